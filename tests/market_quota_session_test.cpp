// Session A: paper 003's quota market driven call by call: the papers' tables through the session,
// phases, replays, deposits, penalties, and the settlement invariants on seeded random periods.
#include <evmarket/evmarket.hpp>

#include "ledger_toy_crypto.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

using toy_sink = chain_ledger_sink<toy::hasher, toy::verifier, toy::signer>;

// Paper 003: 18:30-19:00 is slot 37 of a 48-period day; its energy trades in 18:00-18:30.
constexpr trading_period evening{0, 37};
market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }

struct table_row {
  const char* name;
  double demand_kw;
  double bid_kwh;    // Table III demand (0: none)
  double offer_kwh;  // Table III supply (0: none)
  double unit_price;
  double fee;            // Table IV, first column
  double uniform_pay;    // uniform price k = 1/2 (Table IV's rule; B and C as the clearing gives them)
  double per_match_pay;  // Algorithm 1 as written (the papers' README)
};
const std::vector<table_row> paper003{
    {"A", 36, 0, 3.2, 25, 3339.32, 0, 0},           {"B", 48, 6.5, 0, 24, 4452.43, 149.5, 149.5},
    {"C", 42, 0, 9.8, 22, 3895.88, -151.8, -151.9}, {"D", 66, 10.9, 0, 26, 6122.09, 250.7, 240.0},
    {"E", 30, 3.2, 0, 28, 2782.77, 73.6, 70.4},     {"F", 66, 0, 7.2, 19, 6122.09, -165.6, -162.0},
    {"G", 54, 5.4, 0, 20, 5008.98, 0, 0},           {"H", 48, 0, 6.8, 16, 4452.43, -156.4, -146.0}};

// Drives paper 003's period through every phase with the session's public calls.
struct paper_outcome {
  allocation quotas;
  call_auction_result clearing;
  period_settlement settlement;
  std::map<std::string, settlement_line> lines;
};

template <class Session>
paper_outcome run_paper003(Session& session) {
  paper_outcome out;
  std::map<std::string, station_id> ids;
  for (const table_row& r : paper003) ids[r.name] = session.enrol_station(r.name);
  session.clock().set(at(18, 0));
  session.broadcast_margin(evening, kilowatts(323));
  for (const table_row& r : paper003)
    REQUIRE(session.submit_demand(evening, ids[r.name], kilowatts(r.demand_kw), tokens(10'000)).status ==
            demand_status::accepted);
  session.clock().set(at(18, 5));
  const allocation& quotas = session.pre_allocate(evening);
  REQUIRE(quotas.curtailed());
  out.quotas = quotas;
  session.clock().set(at(18, 7));
  for (const table_row& r : paper003) {
    const bool buys = r.bid_kwh > 0;
    const quota_order_result o =
        session.submit_order(evening, ids[r.name], buys ? side::buy : side::sell,
                             kilowatt_hours(buys ? r.bid_kwh : r.offer_kwh), tokens_per_kwh(r.unit_price));
    REQUIRE(o.status == quota_order_status::accepted);
  }
  session.clock().set(at(18, 10));
  out.clearing = session.clear(evening);
  REQUIRE(out.clearing.status == clearing_status::cleared);
  session.clock().set(at(18, 30));
  // Each station draws exactly its final quota: no penalty in the paper's case.
  std::map<station_id, energy> final_quota;
  for (std::size_t i = 0; i < paper003.size(); ++i)
    final_quota[ids[paper003[i].name]] = energy_over(quotas.quotas[i], 30, rounding::down);
  for (const trade& t : out.clearing.trades) {
    final_quota[t.buyer] += t.quantity;
    final_quota[t.seller] -= t.quantity;
  }
  for (const auto& [station, quota] : final_quota) session.record_metering(evening, station, quota);
  session.clock().set(at(19, 0));
  out.settlement = session.settle(evening);
  for (const settlement_line& line : out.settlement.lines) out.lines[session.roster().name(line.station)] = line;
  return out;
}

bool same_to_cents(money amount, double printed) {
  return std::llround(amount.display() * 100) == std::llround(printed * 100);
}

}  // namespace

TEST_CASE("paper 003 Tables II and IV through the session: fees and uniform-price payments") {
  quota_market_session<proportional_allocation, uniform_price<>, initial_quota_fee> session;
  const paper_outcome out = run_paper003(session);
  const auto& lines = out.lines;
  const allocation& quotas = out.quotas;
  CHECK(quotas.satisfaction.numerator * 390 == quotas.satisfaction.denominator * 323);  // beta = 323/390
  CHECK(quotas.allocated == kilowatts(323));
  for (const table_row& r : paper003) {
    const settlement_line& line = lines.at(r.name);
    CHECK_MESSAGE(same_to_cents(line.fee, r.fee), r.name);  // Table IV's first column, to the printed digits
    CHECK_MESSAGE(line.auction_payment == tokens(r.uniform_pay), r.name);
    CHECK(line.penalty == money::zero());
    CHECK(line.unpaid == money::zero());
    CHECK(line.deposit + line.unpaid == line.fee + line.penalty + line.auction_payment + line.withdrawn);
  }
  CHECK(out.clearing.uniform_price());
  CHECK(out.clearing.lowest_price == tokens_per_kwh(23));
  CHECK(out.settlement.escrow_balance() == money::zero());
}

TEST_CASE("paper 003 with Algorithm 1 as written (the default pricing rule): per-match midpoints") {
  quota_market_session<> session;
  const paper_outcome out = run_paper003(session);
  const auto& lines = out.lines;
  CHECK(out.clearing.rule == midpoint_per_match::name);
  for (const table_row& r : paper003)
    CHECK_MESSAGE(lines.at(r.name).auction_payment == tokens(r.per_match_pay), r.name);
  // Default tariff: the metered energy at 18:30's peak rate, 112 Token/kWh, rounded up.
  const settlement_line& a = lines.at("A");
  CHECK(a.fee == cost(tokens_per_kwh(112), a.metered, rounding::up));
}

TEST_CASE("a call outside its phase is refused with the phase and the time, and changes nothing") {
  quota_market_session<> session;
  const station_id a = session.enrol_station("A");
  session.clock().set(at(17, 59));
  CHECK_THROWS_AS(session.broadcast_margin(evening, kilowatts(100)), phase_error);
  session.clock().set(at(18, 0));
  session.broadcast_margin(evening, kilowatts(100));
  session.clock().set(at(18, 6));
  try {
    static_cast<void>(session.submit_demand(evening, a, kilowatts(50), tokens(100)));
    FAIL("submit_demand after 18:05 must be refused");
  } catch (const phase_error& e) {
    const std::string what = e.what();
    CHECK(what.find("submit_demand at day 0 18:06:00 is outside the demand submission phase") != std::string::npos);
    CHECK(what.find("day 0 18:00:00 to day 0 18:05:00") != std::string::npos);
    CHECK(e.phase() == session_phase::demand);
  }
  // Unchanged: the pre-allocation sees no demand.
  CHECK(session.pre_allocate(evening).quotas.empty());
  session.clock().set(at(18, 8));
  CHECK_THROWS_AS(session.pre_allocate(evening), error);  // once only
}

TEST_CASE("replayed submissions are refused, bad input names the field, and the session is unchanged") {
  quota_market_session<> session;
  const station_id a = session.enrol_station("A"), b = session.enrol_station("B");
  session.clock().set(at(18, 0));
  session.broadcast_margin(evening, kilowatts(60));
  CHECK(session.submit_demand(evening, a, kilowatts(50), tokens(3'000)).status == demand_status::accepted);
  CHECK(evmarket_test::field_of(
            [&] { static_cast<void>(session.submit_demand(evening, a, kilowatts(50), tokens(100))); }) == "station");
  CHECK(evmarket_test::field_of(
            [&] { static_cast<void>(session.submit_demand(evening, b, kilowatts(-1), tokens(100))); }) == "demand");
  CHECK(evmarket_test::field_of(
            [&] { static_cast<void>(session.submit_demand(evening, b, kilowatts(1), tokens(-1))); }) == "deposit");
  CHECK(evmarket_test::field_of([&] {
          static_cast<void>(session.submit_demand(evening, participant_id{99}, kilowatts(1), tokens(1)));
        }) == "station");
  CHECK(evmarket_test::field_of([&] {
          static_cast<void>(session.submit_demand(evening, session.operator_account(), kilowatts(1), tokens(1)));
        }) == "station");
  // A deposit that cannot cover the worst case is an outcome, not an error; a retry may succeed.
  const demand_result poor = session.submit_demand(evening, b, kilowatts(30), tokens(1));
  CHECK(poor.status == demand_status::deposit_insufficient);
  CHECK(poor.required_deposit == cost(tokens_per_kwh(112), kilowatt_hours(15), rounding::up));
  CHECK(session.submit_demand(evening, b, kilowatts(30), poor.required_deposit).status == demand_status::accepted);
  session.clock().set(at(18, 5));
  CHECK(session.pre_allocate(evening).quotas.size() == 2);  // A and B, once each
  session.clock().set(at(18, 7));
  CHECK(session.submit_order(evening, a, side::buy, kilowatt_hours(1), tokens_per_kwh(30)).status ==
        quota_order_status::accepted);
  CHECK(evmarket_test::field_of([&] {
          static_cast<void>(session.submit_order(evening, a, side::buy, kilowatt_hours(1), tokens_per_kwh(30)));
        }) == "station");
  CHECK(evmarket_test::field_of([&] {
          static_cast<void>(session.submit_order(evening, b, side::sell, kilowatt_hours(0), tokens_per_kwh(30)));
        }) == "quantity");
  // B holds 60 x 30/80 = 22.5 kW for half an hour: 11.25 kWh; it cannot offer more.
  CHECK(session.submit_order(evening, b, side::sell, kilowatt_hours(11.251), tokens_per_kwh(1)).status ==
        quota_order_status::exceeds_quota);
  CHECK(session.submit_order(evening, b, side::sell, kilowatt_hours(11.25), tokens_per_kwh(1)).status ==
        quota_order_status::accepted);
}

TEST_CASE("when demand fits the margin the auction is not held (the paper skips Steps 4-5)") {
  quota_market_session<> session;
  const station_id a = session.enrol_station("A");
  session.clock().set(at(18, 0));
  session.broadcast_margin(evening, kilowatts(100));
  REQUIRE(session.submit_demand(evening, a, kilowatts(40), tokens(5'000)).status == demand_status::accepted);
  session.clock().set(at(18, 5));
  CHECK(session.pre_allocate(evening).quotas == std::vector<power>{kilowatts(40)});
  CHECK_FALSE(session.auction_held(evening));
  session.clock().set(at(18, 7));
  CHECK(session.submit_order(evening, a, side::sell, kilowatt_hours(1), tokens_per_kwh(1)).status ==
        quota_order_status::auction_not_held);
  session.clock().set(at(18, 45));
  session.record_metering(evening, a, kilowatt_hours(20));
  CHECK_THROWS_AS(session.settle(evening), phase_error);  // delivery runs to 19:00
  session.clock().set(at(19, 0));
  const period_settlement s = session.settle(evening);
  REQUIRE(s.lines.size() == 1);
  CHECK(s.lines[0].fee == tokens(2240));  // 20 kWh x 112
  CHECK(s.lines[0].withdrawn == tokens(5'000 - 2240));
  // The settled period cannot open again; the next one opens in its own margin window, once.
  CHECK_THROWS_AS(session.broadcast_margin(evening, kilowatts(1)), phase_error);
  CHECK_THROWS_AS(session.broadcast_margin({0, 39}, kilowatts(-1)), bad_input);
  session.broadcast_margin({0, 39}, kilowatts(1));
  CHECK_THROWS_AS(session.broadcast_margin({0, 39}, kilowatts(1)), bad_input);
  CHECK(session.open_periods() == 1);
}

TEST_CASE("over-consumption is penalised from the deposit, which never goes negative") {
  quota_market_session<> session;
  const station_id a = session.enrol_station("A"), b = session.enrol_station("B");
  session.clock().set(at(18, 0));
  session.broadcast_margin(evening, kilowatts(40));
  // Worst case: 40 kW x 0.5 h x 112 = 2240 Token.
  REQUIRE(session.submit_demand(evening, a, kilowatts(40), tokens(2240)).status == demand_status::accepted);
  REQUIRE(session.submit_demand(evening, b, kilowatts(40), tokens(3000)).status == demand_status::accepted);
  session.clock().set(at(18, 5));
  static_cast<void>(session.pre_allocate(evening));  // 20 kW each: 10 kWh
  session.clock().set(at(18, 10));
  static_cast<void>(session.clear(evening));
  session.clock().set(at(19, 0));
  CHECK_THROWS_AS(session.settle(evening), bad_input);      // no meter readings yet
  session.record_metering(evening, a, kilowatt_hours(25));  // 15 kWh over
  session.record_metering(evening, b, kilowatt_hours(12));  // 2 kWh over
  CHECK_THROWS_AS(session.record_metering(evening, b, kilowatt_hours(12)), bad_input);
  const period_settlement s = session.settle(evening);
  const settlement_line& la = s.lines[0];
  const settlement_line& lb = s.lines[1];
  CHECK(la.over_consumption == kilowatt_hours(15));
  CHECK(la.fee == tokens(2800));
  CHECK(la.penalty == tokens(1680));
  CHECK(la.withdrawn == money::zero());
  CHECK(la.unpaid == tokens(2800 + 1680 - 2240));
  CHECK(lb.penalty == tokens(224));
  CHECK(lb.withdrawn == tokens(3000 - 1344 - 224));
  CHECK(s.escrow_balance() == money::zero());
  CHECK(s.operator_income == tokens(2240 + 1344 + 224));
}

namespace {

// Money through the ledger: period_trade records totalled per participant, read back from the
// chain alone.
std::map<participant_id, money> ledger_net_payments(const toy_sink& sink) {
  std::map<participant_id, money> net;
  for (const block& b : sink.ledger().blocks())
    for (const bytes& record : b.records)
      if (holds_record<period_trade>(record)) {
        const trade t = decode_record<period_trade>(record).deal;
        net[t.buyer] += t.buyer_paid;
        net[t.seller] -= t.seller_received;
      }
  return net;
}

// A seeded random period: a margin below `margin_limit` W, then each station's demand, deposit,
// one order (either side, possibly empty) and meter reading.
quota_period_input random_period(std::mt19937_64& random, const std::vector<station_id>& stations,
                                 trading_period delivery, std::uint64_t margin_limit) {
  quota_period_input input{delivery, watts(static_cast<std::int64_t>(random() % margin_limit)), {}};
  for (const station_id s : stations) {
    quota_station_input in;
    in.station = s;
    in.demand = watts(static_cast<std::int64_t>(random() % 60'000));
    in.deposit = tokens(static_cast<double>(random() % 6'000));
    in.order_side = random() % 2 ? side::buy : side::sell;
    in.order_quantity = watt_hours(static_cast<std::int64_t>(random() % 12'000));
    in.order_limit = micro_tokens_per_kwh(static_cast<std::int64_t>(1 + random() % 60'000'000));
    in.metered = watt_hours(static_cast<std::int64_t>(random() % 40'000));
    input.stations.push_back(in);
  }
  return input;
}

template <class Rule>
void check_random_periods(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  quota_market_session<proportional_allocation, Rule, time_of_use_tariff, over_consumption_penalty, toy_sink> session(
      session_setup(), proportional_allocation(), Rule(), time_of_use_tariff(), over_consumption_penalty(),
      toy_sink(toy::signer(7)));
  std::map<participant_id, money> settled_payments;
  std::vector<station_id> stations;
  for (int i = 0; i < 12; ++i) stations.push_back(session.enrol_station("S" + std::to_string(i)));
  // run_period completes a period before it returns, so it drives every other period (the one
  // in between trades while this one delivers).
  for (std::int32_t slot = 1; slot < 15; slot += 2) {
    const quota_period_input input = random_period(random, stations, {0, slot}, 200'000);
    const quota_period_report report = session.run_period(input);
    const period_settlement& s = report.settlement;
    // Money is conserved exactly, with the operator and the escrow as parties.
    CHECK(s.escrow_balance() == money::zero());
    money total = money::zero();
    std::map<participant_id, money> balance;
    for (const money_transfer& t : s.transfers) {
      balance[t.from] -= t.amount;
      balance[t.to] += t.amount;
    }
    for (const auto& [who, amount] : balance) total += amount;
    CHECK(total == money::zero());
    // Clearing totals == settlement == positions, to the micro-Token.
    std::map<participant_id, money> from_positions;
    for (const participant_position& p : report.clearing.positions()) from_positions[p.participant] = p.net_payment;
    for (const settlement_line& line : s.lines) {
      CHECK(line.deposit + line.unpaid == line.fee + line.penalty + line.auction_payment + line.withdrawn);
      CHECK_FALSE(line.withdrawn.is_negative());
      CHECK_FALSE(line.unpaid.is_negative());
      const auto found = from_positions.find(line.station);
      CHECK(line.auction_payment == (found == from_positions.end() ? money::zero() : found->second));
      if (line.metered > line.final_quota) CHECK(line.penalty.is_positive());
      CHECK(line.over_consumption ==
            (line.metered > line.final_quota ? line.metered - line.final_quota : energy::zero()));
    }
    CHECK(s.auction_surplus == report.clearing.auctioneer_surplus);
    for (const settlement_line& line : s.lines) settled_payments[line.station] += line.auction_payment;
  }
  // The ledger's own totals (read back from the chain alone) equal the settlements', and the
  // chain verifies.
  REQUIRE(session.sink().verify().ok());
  const auto from_ledger = ledger_net_payments(session.sink());
  for (const auto& [station, amount] : settled_payments) {
    const auto found = from_ledger.find(station);
    CHECK(amount == (found == from_ledger.end() ? money::zero() : found->second));
  }
  CHECK(session.sink().ledger().size() == 7);
}

}  // namespace

TEST_CASE_TEMPLATE("seeded random periods: conservation, positions == settlement == ledger, chain verifies", Rule,
                   midpoint_per_match, uniform_price<>, pay_as_bid, pay_as_offer, mcafee, trade_reduction, vcg,
                   sbba<>) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) check_random_periods<Rule>(seed);
}

TEST_CASE("every period's clearing money is on the ledger, and a flipped byte fails verification") {
  quota_market_session<proportional_allocation, uniform_price<>, time_of_use_tariff, over_consumption_penalty, toy_sink>
      session(session_setup(), proportional_allocation(), uniform_price<>(), time_of_use_tariff(),
              over_consumption_penalty(), toy_sink(toy::signer(9)));
  std::vector<station_id> stations;
  for (int i = 0; i < 6; ++i) stations.push_back(session.enrol_station("S" + std::to_string(i)));
  std::map<participant_id, money> expected;
  std::mt19937_64 random(42);
  for (std::int32_t slot = 30; slot < 38; slot += 2) {
    quota_period_input input{{0, slot}, kilowatts(50), {}};
    for (std::size_t i = 0; i < stations.size(); ++i)
      input.stations.push_back({stations[i], kilowatts(20), tokens(3'000), i % 2 ? side::buy : side::sell,
                                kilowatt_hours(1 + static_cast<double>(random() % 5)),
                                tokens_per_kwh(10 + static_cast<double>(random() % 20)), kilowatt_hours(5)});
    const quota_period_report report = session.run_period(input);
    for (const settlement_line& line : report.settlement.lines) expected[line.station] += line.auction_payment;
  }
  const auto from_ledger = ledger_net_payments(session.sink());
  for (const auto& [station, amount] : expected) {
    const auto found = from_ledger.find(station);
    CHECK(amount == (found == from_ledger.end() ? money::zero() : found->second));
  }
  const auto blocks = session.sink().ledger().blocks();
  REQUIRE(verify_blocks(toy::hasher{}, toy::verifier{}, blocks).ok());
  std::vector<block> tampered(blocks.begin(), blocks.end());
  for (std::size_t r = 0; r < tampered[2].records.size(); r += 7) {
    for (std::size_t i = 0; i < tampered[2].records[r].size(); i += 5) {
      tampered[2].records[r][i] ^= 0x01;
      CHECK_FALSE(verify_blocks(toy::hasher{}, toy::verifier{}, std::span<const block>(tampered)).ok());
      tampered[2].records[r][i] ^= 0x01;
    }
  }
}

TEST_CASE("run_period_into reusing one report gives what a fresh run_period gives, period after period") {
  quota_market_session<> reusing, fresh;
  std::vector<station_id> stations;
  for (int i = 0; i < 40; ++i) {
    stations.push_back(reusing.enrol_station("S" + std::to_string(i)));
    REQUIRE(fresh.enrol_station("S" + std::to_string(i)) == stations.back());
  }
  std::mt19937_64 random(11);
  quota_period_report reused;
  for (std::int32_t slot = 1; slot < 21; slot += 2) {
    const quota_period_input input = random_period(random, stations, {0, slot}, 1'500'000);
    reusing.run_period_into(input, reused);
    const quota_period_report expected = fresh.run_period(input);
    CHECK(reused.quotas.quotas == expected.quotas.quotas);
    CHECK(reused.quotas.satisfaction.numerator == expected.quotas.satisfaction.numerator);
    CHECK(reused.clearing.trades == expected.clearing.trades);
    CHECK(reused.clearing.bid_outcomes == expected.clearing.bid_outcomes);
    CHECK(reused.settlement.transfers == expected.settlement.transfers);
    CHECK(reused.settlement.operator_income == expected.settlement.operator_income);
    REQUIRE(reused.demands.size() == expected.demands.size());
    for (std::size_t i = 0; i < reused.demands.size(); ++i) {
      CHECK(reused.demands[i].status == expected.demands[i].status);
      CHECK(reused.demands[i].required_deposit == expected.demands[i].required_deposit);
    }
    REQUIRE(reused.orders.size() == expected.orders.size());
    for (std::size_t i = 0; i < reused.orders.size(); ++i) {
      CHECK(reused.orders[i].status == expected.orders[i].status);
      CHECK(reused.orders[i].id == expected.orders[i].id);
    }
  }
  CHECK(reusing.open_periods() == 0);
}
