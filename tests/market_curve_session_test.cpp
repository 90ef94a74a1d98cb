// Session E: paper 002's curve-priced settlement driven call by call: the Bancor figures through the
// session, money conservation on seeded random periods, the curve's response to load, traceability
// from the chain alone, the on-chain twin to the last base unit, phases, replays and bad input.
#include <evmarket/evmarket.hpp>
#include <evmarket/market/curve_market.hpp>

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
using exact_pricing = bancor_pricing<bin_float50>;

// A half-hour calendar: 18:30-19:00 is slot 37; its energy trades in 18:00-18:30.
constexpr trading_period evening{0, 37};
market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }

catalogue_price_deviation catalogue() { return catalogue_price_deviation(tokens_per_kwh(0.8)); }

// The whitepaper's curve (the papers' README): S = 1000 tokens (1 token = 1 kWh), B = 250, CRR 0.5.
bancor_pricing<bin_float50> whitepaper_curve() { return {kilowatt_hours(1000), tokens(250), bin_float50(0.5)}; }
bancor_evm_pricing whitepaper_evm_curve() { return {kilowatt_hours(1000), tokens(250), 500'000}; }

template <class Session>
participant_id enrol_and_open(Session& session, const char* name) {
  const participant_id id = session.enrol(name);
  session.clock().set(at(18, 0));
  return id;
}

// The cost of a purchase of `quantity` Wh on a curve of `supply` Wh and `reserve` micro-Token with
// CRR 1/2, as an exact fraction: B((1 + q/S)^2 - 1) = B q (2S + q) / S^2 (and the sale's return
// B q (2S - q) / S^2): the oracle for the real curve's amounts.
__extension__ typedef __int128 wide_int;
struct fraction {
  wide_int num;
  wide_int den;
};
fraction half_weight_amount(side s, std::int64_t supply, std::int64_t reserve, std::int64_t quantity) {
  const wide_int S = supply, B = reserve, q = quantity;
  return {B * q * (s == side::buy ? 2 * S + q : 2 * S - q), S * S};
}

std::vector<curve_trade_record> trades_where(const std::vector<curve_trade_record>& all, participant_id who,
                                             bool sold) {
  std::vector<curve_trade_record> out;
  for (const curve_trade_record& r : all)
    if ((sold ? r.deal.seller : r.deal.buyer) == who) out.push_back(r);
  return out;
}

// One seeded random period (periods two slots apart, so one settles before the next trades):
// a mix of market and limit orders, then meters
// with random deviations and the settlement. Returns the settlement report.
template <class Session>
curve_period_report random_period(Session& session, std::mt19937_64& rng, const std::vector<participant_id>& people,
                                  trading_period delivery, int orders) {
  const period_timeline timeline(trading_calendar(48), curve_market_setup().schedule, delivery);
  if (session.clock().now() < timeline.trading_start()) session.clock().set(timeline.trading_start());
  std::uniform_int_distribution<std::size_t> who(0, people.size() - 1);
  std::uniform_int_distribution<std::int64_t> wh(100, 20'000);
  std::uniform_int_distribution<int> coin(0, 99);
  std::uint64_t next_id = 1;
  for (int i = 0; i < orders; ++i) {
    const side s = coin(rng) < 50 ? side::buy : side::sell;
    const participant_id owner = people[who(rng)];
    const energy q = watt_hours(wh(rng));
    if (coin(rng) < 40) {
      const curve_order_result r = session.submit(delivery, market_order(order_id{next_id++}, owner, s, q));
      REQUIRE((r.status == order_status::filled || r.reason == reject_reason::no_liquidity));
    } else {
      const std::int64_t spot = session.spot_price().base();
      std::uniform_int_distribution<std::int64_t> around(spot * 8 / 10, spot * 12 / 10);
      const curve_order_result r =
          session.submit(delivery, limit_order(order_id{next_id++}, owner, s, micro_tokens_per_kwh(around(rng)), q));
      REQUIRE(r.status != order_status::rejected);
    }
  }
  session.clock().set(timeline.delivery_end());
  std::map<participant_id, energy> contracted;
  for (const curve_trade_record& r : session.trades()) {
    if (r.delivery != delivery) continue;
    if (r.deal.buyer != session.pool()) contracted[r.deal.buyer] += r.deal.quantity;
    if (r.deal.seller != session.pool()) contracted[r.deal.seller] -= r.deal.quantity;
  }
  std::uniform_int_distribution<std::int64_t> off(-2'000, 2'000);
  for (const auto& [p, net] : contracted) session.meter(delivery, p, net + watt_hours(coin(rng) < 30 ? 0 : off(rng)));
  return session.settle(delivery);
}

}  // namespace

TEST_CASE("paper 002: P = B / (S * CRR) and the whitepaper's purchase, through the session") {
  // S = 1000, B = 250, CRR = 0.5 -> P = 0.5 reserve per token; buying with 10 reserve tokens
  // returns 19.8039027... tokens. The session trades whole Wh, so it brackets the figure: 19.803
  // kWh costs at most 10 Tokens, 19.804 kWh more than 10.
  for (const bool on_chain : {false, true}) {
    CAPTURE(on_chain);
    const auto cost_of = [&](std::int64_t wh) {
      if (on_chain) {
        curve_market_session<bancor_evm_pricing> session(whitepaper_evm_curve(), catalogue());
        CHECK(session.spot_price() == tokens_per_kwh(0.5));
        const participant_id user = enrol_and_open(session, "user");
        return session.submit(evening, market_order(order_id{1}, user, side::buy, watt_hours(wh))).trades.at(0);
      }
      curve_market_session<exact_pricing> session(whitepaper_curve(), catalogue());
      CHECK(session.spot_price() == tokens_per_kwh(0.5));
      const participant_id user = enrol_and_open(session, "user");
      return session.submit(evening, market_order(order_id{1}, user, side::buy, watt_hours(wh))).trades.at(0);
    };
    const curve_trade_record below = cost_of(19'803);
    const curve_trade_record above = cost_of(19'804);
    CHECK(below.deal.buyer_paid <= tokens(10));
    CHECK(above.deal.buyer_paid > tokens(10));
    CHECK(below.deal.seller_received == below.deal.buyer_paid);
    CHECK(below.spot_before == tokens_per_kwh(0.5));
    CHECK(below.spot_after > below.spot_before);  // load up -> price up
  }
}

TEST_CASE("the real curve's amounts are the closed form for CRR 1/2, rounded against the trader") {
  std::mt19937_64 rng(2002);
  curve_market_session<bancor_pricing<>> session({kilowatt_hours(500), tokens(100), 0.5}, catalogue());
  const participant_id user = enrol_and_open(session, "user");
  std::uniform_int_distribution<std::int64_t> wh(1, 50'000);
  for (std::uint64_t id = 1; id <= 300; ++id) {
    const curve_state before = session.curve().state();
    const side s = id % 3 == 0 ? side::sell : side::buy;
    const energy q = watt_hours(wh(rng));
    const curve_order_result r = session.submit(evening, market_order(order_id{id}, user, s, q));
    REQUIRE(r.status == order_status::filled);
    const fraction exact = half_weight_amount(s, before.supply.base(), before.reserve.base(), q.base());
    const wide_int amount = r.trades.at(0).deal.buyer_paid.base();
    const double slack = 1.0 + static_cast<double>(exact.num / exact.den) * 1e-9;  // the rounding margin
    if (s == side::buy) {
      CHECK(amount * exact.den >= exact.num);  // never charged below the exact cost
      CHECK(static_cast<double>(amount - exact.num / exact.den) <= slack + 1);
    } else {
      CHECK(amount * exact.den <= exact.num);  // never paid above the exact return
      CHECK(static_cast<double>(exact.num / exact.den - amount) <= slack);
    }
    const curve_state after = session.curve().state();
    CHECK(after.supply == (s == side::buy ? before.supply + q : before.supply - q));
    CHECK(after.reserve ==
          (s == side::buy ? before.reserve + r.trades[0].deal.buyer_paid : before.reserve - r.trades[0].deal.buyer_paid));
  }
}

TEST_CASE("the curve's price is monotone in load, and a round trip never gains money") {
  curve_market_session<exact_pricing> session({kilowatt_hours(800), tokens(300), bin_float50(0.4)}, catalogue());
  const participant_id user = enrol_and_open(session, "user");
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> wh(1'000, 30'000);
  std::uint64_t id = 1;
  price last = session.spot_price();
  for (int i = 0; i < 40; ++i) {  // load rises: every purchase raises the price
    session.submit(evening, market_order(order_id{id++}, user, side::buy, watt_hours(wh(rng))));
    CHECK(session.spot_price() > last);
    last = session.spot_price();
  }
  for (int i = 0; i < 40; ++i) {  // load falls: every sale lowers it
    session.submit(evening, market_order(order_id{id++}, user, side::sell, watt_hours(wh(rng))));
    CHECK(session.spot_price() < last);
    last = session.spot_price();
  }
  for (int i = 0; i < 30; ++i) {  // buy q then sell q: the reserve never pays out more than it took
    const energy q = watt_hours(wh(rng));
    const money paid = session.submit(evening, market_order(order_id{id++}, user, side::buy, q)).trades.at(0).deal.buyer_paid;
    const money got = session.submit(evening, market_order(order_id{id++}, user, side::sell, q)).trades.at(0).deal.seller_received;
    CHECK(got <= paid);
  }
  // More load, higher price: a larger purchase from the same state ends at a higher price.
  const exact_pricing curve = session.curve();
  price previous = curve.spot_price();
  for (std::int64_t kwh = 1; kwh <= 64; kwh *= 2) {
    const price p = curve.quote(side::buy, kilowatt_hours(static_cast<double>(kwh)))->spot_after;
    CHECK(p > previous);
    previous = p;
  }
}

TEST_CASE("seeded random periods conserve money and energy exactly") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    const money initial_reserve = tokens(400);
    curve_market_session<bancor_pricing<>> session({kilowatt_hours(1200), initial_reserve, 0.35}, catalogue());
    std::vector<participant_id> people;
    for (int i = 0; i < 12; ++i) people.push_back(session.enrol("p" + std::to_string(i)));
    std::vector<curve_period_report> reports;
    for (std::int32_t slot = 37; slot <= 41; slot += 2) reports.push_back(random_period(session, rng, people, {0, slot}, 150));

    money total = money::zero();
    for (const auto& [who, amount] : session.balances()) total += amount;
    CHECK(total == money::zero());
    CHECK(session.balance(session.pool()) == session.curve().state().reserve - initial_reserve);
    // Each participant's balance is its trades' money plus its deviation lines, nothing else.
    std::map<participant_id, money> expected;
    energy pool_sold = energy::zero();
    for (const curve_trade_record& r : session.trades()) {
      CHECK(r.deal.buyer_paid == r.deal.seller_received);
      expected[r.deal.buyer] -= r.deal.buyer_paid;
      expected[r.deal.seller] += r.deal.seller_received;
      if (r.deal.seller == session.pool()) pool_sold += r.deal.quantity;
      if (r.deal.buyer == session.pool()) pool_sold -= r.deal.quantity;
      if (r.venue == trade_venues::book) CHECK(r.deal.buyer_paid == trade_amount(r.deal.buyer_price, r.deal.quantity));
    }
    for (const curve_period_report& report : reports)
      for (const deviation_line& line : report.deviations) {
        CHECK(line.deviation == line.metered - line.contracted);
        CHECK(line.amount == (line.deviation.is_negative() ? -trade_amount(tokens_per_kwh(0.8), -line.deviation)
                                                           : trade_amount(tokens_per_kwh(0.8), line.deviation)));
        expected[line.participant] -= line.amount;
        expected[session.grid()] += line.amount;
      }
    for (const auto& [who, amount] : session.balances()) CHECK(amount == expected[who]);
    CHECK(session.curve().state().supply == kilowatt_hours(1200) + pool_sold);
    energy traded = energy::zero();
    for (const curve_period_report& report : reports) traded += report.curve_volume + report.book_volume;
    energy recorded = energy::zero();
    for (const curve_trade_record& r : session.trades()) recorded += r.deal.quantity;
    CHECK(traded == recorded);
  }
}

TEST_CASE("traceability answers from the chain equal what the session reported") {
  std::mt19937_64 rng(42);
  curve_market_session<bancor_pricing<>, catalogue_price_deviation, toy_sink> session(
      {kilowatt_hours(1000), tokens(250), 0.5}, catalogue(), curve_market_setup(), toy_sink(toy::signer(9)));
  std::vector<participant_id> people;
  for (int i = 0; i < 8; ++i) people.push_back(session.enrol("pile " + std::to_string(i)));
  std::vector<curve_period_report> reports;
  for (std::int32_t slot = 37; slot <= 39; slot += 2) reports.push_back(random_period(session, rng, people, {0, slot}, 80));

  CHECK(session.sink().verify().ok());
  CHECK(session.sink().pending() == 0);
  const curve_trace trace(session.sink().ledger());
  REQUIRE(trace.verification().ok());
  REQUIRE(trace.trades().size() == session.trades().size());
  for (std::size_t i = 0; i < trace.trades().size(); ++i) {
    const traced_curve_trade& t = trace.trades()[i];
    CHECK(t.record == session.trades()[i]);
    const block& b = session.sink().ledger().blocks()[t.where.height];
    CHECK(t.block_hash == b.header.hash);
    if (t.where.height > 0)
      CHECK(t.previous_hash == session.sink().ledger().blocks()[t.where.height - 1].header.hash);
    CHECK(static_cast<std::int64_t>(t.record.at) <= t.block_time);  // sealed after it was made
  }
  for (const participant_id p : people) {
    const auto sold = trace.sold_by(p);
    const auto expected_sold = trades_where(session.trades(), p, true);
    REQUIRE(sold.size() == expected_sold.size());
    for (std::size_t i = 0; i < sold.size(); ++i) CHECK(sold[i].record == expected_sold[i]);
    const auto bought = trace.bought_by(p);
    const auto expected_bought = trades_where(session.trades(), p, false);
    REQUIRE(bought.size() == expected_bought.size());
    for (std::size_t i = 0; i < bought.size(); ++i) CHECK(bought[i].record == expected_bought[i]);
  }
  std::vector<deviation_line> lines;
  for (const curve_period_report& r : reports) lines.insert(lines.end(), r.deviations.begin(), r.deviations.end());
  CHECK(trace.deviations() == lines);
  CHECK(trace.trades_in({0, 39}).size() + trace.trades_in({0, 37}).size() == trace.trades().size());
}

TEST_CASE("the on-chain twin: the session's amounts are the EVM module's own, to the base unit") {
  std::mt19937_64 rng(99);
  const std::uint32_t weight = 350'000;
  curve_market_session<bancor_evm_pricing> session({kilowatt_hours(900), tokens(320), weight}, catalogue());
  const participant_id user = enrol_and_open(session, "user");
  uint256 supply = 900'000, reserve = 320'000'000;
  std::uniform_int_distribution<std::int64_t> wh(1, 40'000);
  for (std::uint64_t id = 1; id <= 200; ++id) {
    const side s = id % 4 == 0 ? side::sell : side::buy;
    const energy q = watt_hours(wh(rng));
    // The real curve from the same state, for a sanity bound on the chain's approximation.
    const exact_pricing real(session.curve().state().supply, session.curve().state().reserve,
                             bin_float50(weight) / 1'000'000);
    const curve_order_result r = session.submit(evening, market_order(order_id{id}, user, s, q));
    REQUIRE(r.status == order_status::filled);
    const uint256 amount = static_cast<std::uint64_t>(q.base());
    const uint256 chain = s == side::buy ? bancor_evm::fund_cost(supply, reserve, weight, amount)
                                         : bancor_evm::sale_target_amount(supply, reserve, weight, amount);
    CHECK(uint256(static_cast<std::uint64_t>(r.trades.at(0).deal.buyer_paid.base())) == chain);
    const std::int64_t real_amount = real.quote(s, q)->amount.base();
    CHECK(std::llabs(real_amount - r.trades[0].deal.buyer_paid.base()) <= 2 + real_amount / 1'000'000);
    supply = s == side::buy ? supply + amount : supply - amount;
    reserve = s == side::buy ? reserve + chain : reserve - chain;
  }
  CHECK(uint256(static_cast<std::uint64_t>(session.curve().state().supply.base())) == supply);
  CHECK(uint256(static_cast<std::uint64_t>(session.curve().state().reserve.base())) == reserve);
}

TEST_CASE("deviations settle at the catalogue price, both ways; two prices as the variant") {
  curve_market_session<bancor_pricing<>, two_price_deviation> session({kilowatt_hours(1000), tokens(250), 0.5},
                                                                      two_price_deviation(tokens_per_kwh(0.9), tokens_per_kwh(0.3)));
  const participant_id user = enrol_and_open(session, "user");
  const participant_id pile = session.enrol("pile");
  session.submit(evening, limit_order(order_id{1}, pile, side::sell, tokens_per_kwh(0.6), kilowatt_hours(10)));
  const curve_order_result r = session.submit(evening, limit_order(order_id{2}, user, side::buy, tokens_per_kwh(0.7), kilowatt_hours(10)));
  REQUIRE(r.status == order_status::filled);
  CHECK(r.trades.at(0).deal.buyer_paid == tokens(6));  // the resting offer's price
  session.clock().set(at(19, 0));
  session.meter(evening, user, kilowatt_hours(12));  // used 2 kWh more: the grid provided it
  session.meter(evening, pile, kilowatt_hours(-11));  // supplied 1 kWh more: the grid bought it back
  const curve_period_report report = session.settle(evening);
  REQUIRE(report.deviations.size() == 2);
  CHECK(session.balance(user) == -tokens(6) - tokens(1.8));
  CHECK(session.balance(pile) == tokens(6) + tokens(0.3));
  CHECK(session.balance(session.grid()) == tokens(1.5));
  CHECK(session.balance(session.pool()) == money::zero());

  const catalogue_price_deviation one_price(tokens_per_kwh(0.8));
  CHECK(one_price.amount(kilowatt_hours(2)) == tokens(1.6));
  CHECK(one_price.amount(kilowatt_hours(-2)) == -tokens(1.6));
}

TEST_CASE("phases, replays and bad input: errors name the field, the session is unchanged") {
  using evmarket_test::field_of;
  curve_market_session<bancor_pricing<>, catalogue_price_deviation, toy_sink> session(
      {kilowatt_hours(1000), tokens(250), 0.5}, catalogue(), curve_market_setup(), toy_sink(toy::signer(3)));
  const participant_id user = session.enrol("user");
  const participant_id pile = session.enrol("pile");
  session.clock().set(at(17, 59));
  CHECK_THROWS_AS(session.submit(evening, market_order(order_id{1}, user, side::buy, kilowatt_hours(1))), phase_error);
  session.clock().set(at(18, 0));
  session.submit(evening, market_order(order_id{1}, user, side::buy, kilowatt_hours(1)));
  session.submit(evening, limit_order(order_id{2}, pile, side::sell, tokens_per_kwh(0.9), kilowatt_hours(3)));

  const auto balances = session.balances();
  const curve_state state = session.curve().state();
  const std::size_t trades = session.trades().size();
  CHECK(field_of([&] { session.submit(evening, market_order(order_id{1}, user, side::buy, kilowatt_hours(1))); }) ==
        "order.id");  // a replay
  CHECK(field_of([&] { session.submit(evening, market_order(order_id{3}, user, side::buy, energy::zero())); }) ==
        "order.quantity");
  CHECK(field_of([&] { session.submit(evening, market_order(order_id{3}, participant_id{99}, side::buy, kilowatt_hours(1))); }) ==
        "order.owner");
  CHECK(field_of([&] { session.submit(evening, market_order(order_id{3}, session.pool(), side::buy, kilowatt_hours(1))); }) ==
        "order.owner");
  CHECK(field_of([&] { session.submit(evening, limit_order(order_id{3}, user, side::buy, price::zero(), kilowatt_hours(1))); }) ==
        "order.limit_price");
  CHECK(field_of([&] { session.cancel(evening, order_id{2}, user); }) == "owner");
  CHECK(field_of([&] { session.cancel(evening, order_id{7}, user); }) == "id");
  // A sale of the whole supply is an outcome, not an error.
  const curve_order_result dry = session.submit(evening, market_order(order_id{3}, pile, side::sell, kilowatt_hours(5000)));
  CHECK(dry.status == order_status::rejected);
  CHECK(dry.reason == reject_reason::no_liquidity);
  CHECK(session.balances() == balances);
  CHECK(session.curve().state() == state);
  CHECK(session.trades().size() == trades);
  CHECK(session.sink().pending() == 0);  // nothing is sealed before the period settles

  CHECK_THROWS_AS(session.meter(evening, user, kilowatt_hours(1)), phase_error);  // still trading
  CHECK_THROWS_AS(session.settle(evening), phase_error);
  session.clock().set(at(18, 30));
  CHECK_THROWS_AS(session.submit(evening, market_order(order_id{4}, user, side::buy, kilowatt_hours(1))), phase_error);
  CHECK_THROWS_AS(session.settle(evening), phase_error);  // during delivery
  session.clock().set(at(19, 0));
  CHECK(field_of([&] { session.settle(evening); }) == "participant");  // the user traded but has no reading
  session.meter(evening, user, kilowatt_hours(1));
  CHECK(field_of([&] { session.meter(evening, user, kilowatt_hours(1)); }) == "participant");  // a replay
  CHECK(field_of([&] { session.meter(evening, session.grid(), kilowatt_hours(1)); }) == "participant");
  const curve_period_report report = session.settle(evening);
  REQUIRE(report.expired.size() == 1);
  CHECK(report.expired[0].order == order_id{2});
  CHECK(report.expired[0].cancelled == kilowatt_hours(3));
  CHECK(field_of([&] { session.settle(evening); }) == "delivery");  // a period settles once
  CHECK(field_of([&] { session.meter(evening, pile, kilowatt_hours(1)); }) == "delivery");
  CHECK(session.sink().verify().ok());
  CHECK(session.sink().ledger().blocks().size() == 1);

  CHECK(field_of([] { bancor_pricing<>(energy::zero(), tokens(1), 0.5); }) == "supply");
  CHECK(field_of([] { bancor_pricing<>(kilowatt_hours(1), tokens(1), 1.5); }) == "weight");
  CHECK(field_of([] { bancor_evm_pricing(kilowatt_hours(1), money::zero(), 500'000); }) == "reserve");
  CHECK(field_of([] { bancor_evm_pricing(kilowatt_hours(1), tokens(1), 1'000'001); }) == "weight_ppm");
  CHECK(field_of([] { catalogue_price_deviation{price::zero()}; }) == "catalogue");
}
