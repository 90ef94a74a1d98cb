// Session D: paper 004's hourly coalition market with SMES, driven call by call: exact money
// conservation, the storage unit's limits, the security check and individual rationality on
// seeded random rounds and feeders; bad input, phases and replays; the chain; the paper's day.
#include <evmarket/evmarket.hpp>

#include "ledger_toy_crypto.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

using toy_sink = chain_ledger_sink<toy::hasher, toy::verifier, toy::signer>;

market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }

std::int64_t uniform(std::mt19937_64& rng, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
}

// A random radial feeder of `buses` buses (each bus hangs off an earlier one).
radial_feeder random_feeder(std::mt19937_64& rng, std::size_t buses) {
  std::vector<feeder_line> lines;
  for (std::size_t b = 1; b < buses; ++b)
    lines.push_back({static_cast<bus_index>(uniform(rng, 0, static_cast<std::int64_t>(b) - 1)),
                     static_cast<bus_index>(b), watts(uniform(rng, 3'000, 40'000))});
  radial_feeder feeder(buses, lines, kilowatts(500));
  for (std::size_t b = 1; b < buses; ++b)
    feeder.set_base_load(static_cast<bus_index>(b), watts(uniform(rng, -8'000, 12'000)));
  return feeder;
}

buyer_quote random_buyer(std::mt19937_64& rng) {
  return {watt_hours(uniform(rng, 500, 15'000)), micro_tokens_per_kwh(uniform(rng, 300'000, 1'300'000)),
          static_cast<std::uint16_t>(uniform(rng, 1, 3)), 0.15, static_cast<double>(uniform(rng, 0, 40)) / 10};
}

seller_quote random_seller(std::mt19937_64& rng) {
  seller_quote s;
  s.kind = uniform(rng, 0, 1) == 0 ? seller_kind::ev : seller_kind::pv;
  s.offer = watt_hours(uniform(rng, 500, 15'000));
  s.reserve = micro_tokens_per_kwh(uniform(rng, 200'000, 900'000));
  s.pairs = static_cast<std::uint16_t>(uniform(rng, 1, 3));
  s.p_0 = 0.5;
  s.eta = 0.9;
  s.lambda_kwh_per_km = 0.15;
  s.distance_km = static_cast<double>(uniform(rng, 0, 40)) / 10;
  s.depreciation = 0.1;
  s.k_pv = 0.05;
  return s;
}

smes_parameters random_storage(std::mt19937_64& rng) {
  const energy capacity = watt_hours(uniform(rng, 1'000, 60'000));
  return {capacity,
          watts(uniform(rng, 0, 30'000)),
          static_cast<std::uint32_t>(uniform(rng, 500'000, 1'000'000)),
          watt_hours(uniform(rng, 0, capacity.base())),
          micro_tokens_per_kwh(uniform(rng, 200'000, 700'000)),
          micro_tokens_per_kwh(uniform(rng, 500'000, 1'200'000))};
}

using random_session = coalition_market_session<paper004_benefit, max_benefit_matching, radial_feeder, smes>;

// Everything a round must satisfy, checked against the quotes, the unit and the feeder.
void check_round(const coalition_round& r, const smes_parameters& unit, energy soc_before, participant_id storage,
                 std::int64_t minutes) {
  // Money: each trade moves one exact amount; the accounts' nets sum to zero.
  money sum = money::zero();
  for (const auto& [account, net] : r.balances) sum += net;
  CHECK(sum == money::zero());
  std::map<participant_id, money> recomputed;
  std::map<std::size_t, energy> bought, sold;
  energy in = energy::zero(), out = energy::zero();
  for (const coalition_trade& t : r.trades) {
    CHECK(t.deal.buyer_paid == t.deal.seller_received);
    CHECK(t.deal.buyer_paid == trade_amount(t.deal.buyer_price, t.deal.quantity));
    recomputed[t.deal.buyer] -= t.deal.buyer_paid;
    recomputed[t.deal.seller] += t.deal.seller_received;
    if (t.deal.buyer == storage) in += t.deal.quantity;
    if (t.deal.seller == storage) out += t.deal.quantity;
    // Both sides no worse off than not trading: within the buyer's limit and the seller's reserve.
    for (std::size_t i = 0; i < r.buyers.size(); ++i)
      if (r.buyer_ids[i] == t.deal.buyer) {
        CHECK(t.deal.buyer_price <= r.buyers[i].limit);
        CHECK(t.deal.buyer_paid <= trade_amount(r.buyers[i].limit, t.deal.quantity));
        bought[i] += t.deal.quantity;
      }
    for (std::size_t j = 0; j < r.sellers.size(); ++j)
      if (r.seller_ids[j] == t.deal.seller) {
        CHECK(t.deal.seller_price >= r.sellers[j].reserve);
        CHECK(t.deal.seller_received >= trade_amount(r.sellers[j].reserve, t.deal.quantity));
        sold[j] += t.deal.quantity;
      }
  }
  CHECK(recomputed == r.balances);
  for (const auto& [i, e] : bought) CHECK(e <= r.buyers[i].demand);
  for (const auto& [j, e] : sold) CHECK(e <= r.sellers[j].offer);
  // The storage unit: power within the limit each way, the efficiency applied exactly, SoC in range.
  const energy budget = energy_over(unit.power_limit, minutes, rounding::down);
  CHECK(in == r.energy_sums.storage_in);
  CHECK(out == r.energy_sums.storage_out);
  CHECK(in <= budget);
  CHECK(out <= budget);
  const energy stored = watt_hours(in.base() * unit.efficiency_ppm / 1'000'000);
  CHECK(r.storage_stored == stored);
  CHECK(r.state_of_charge == soc_before + stored - out);
  CHECK_FALSE(r.state_of_charge.is_negative());
  CHECK(r.state_of_charge <= unit.capacity);
  // The rates' sums: secure pairs traded peer to peer, refused ones did not.
  CHECK(r.energy_sums.secure + r.energy_sums.rescued <= r.energy_sums.proposed);
  CHECK(r.energy_sums.renewable_sold <= r.energy_sums.renewable_offered);
}

// The payoffs are the nucleolus of the secure pairs' game, rebuilt here from the quotes: they
// are in its core (every unit pair gets at least its gain together, nobody less than 0) and pay
// out exactly the best assignment's value, found by trying every permutation.
void check_payoffs(const coalition_round& r) {
  std::vector<const coalition_pair*> secure;
  for (const coalition_pair& p : r.pairs)
    if (p.secure) secure.push_back(&p);
  const std::size_t k = secure.size();
  REQUIRE(r.payoffs.size() == 2 * k);
  if (k == 0 || k > 6) return;
  std::vector<std::vector<std::int64_t>> gain(k, std::vector<std::int64_t>(k));
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) {
      const energy q = std::min(secure[a]->quantity, secure[b]->quantity);
      const money g = trade_amount(r.buyers[secure[a]->buyer].limit, q) -
                      trade_amount(r.sellers[secure[b]->seller].reserve, q);
      gain[a][b] = std::max<std::int64_t>(g.base(), 0);
    }
  std::vector<std::size_t> order(k);
  for (std::size_t a = 0; a < k; ++a) order[a] = a;
  std::int64_t best = 0;
  do {
    std::int64_t total = 0;
    for (std::size_t a = 0; a < k; ++a) total += gain[a][order[a]];
    best = std::max(best, total);
  } while (std::next_permutation(order.begin(), order.end()));
  exact_rational paid = 0;
  for (const exact_rational& x : r.payoffs) {
    CHECK(x >= 0);
    paid += x;
  }
  CHECK(paid == best);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) CHECK(r.payoffs[a] + r.payoffs[k + b] >= gain[a][b]);
}

// Lines may carry no more than their limit after the clearing, except where the base load alone
// already overloads them and the trades did not add to it.
void check_feeder(const radial_feeder& cleared, const radial_feeder& base) {
  for (std::size_t line = 0; line < cleared.line_count(); ++line)
    CHECK(cleared.utilisation(line) <= std::max(1.0, base.utilisation(line)) + 1e-12);
}

}  // namespace

TEST_CASE("smes: charge room, power budget and round-trip efficiency are exact") {
  smes unit({watt_hours(10'000), watts(6'000), 800'000, watt_hours(9'000), tokens_per_kwh(0.4), tokens_per_kwh(0.9)});
  unit.begin_interval(60);
  // 1,000 Wh free: inputs up to 1,251 Wh store floor(0.8 e) <= 1,000 Wh.
  CHECK(unit.charge_room() == watt_hours(1'251));
  CHECK(unit.stored_of(watt_hours(1'251)) == watt_hours(1'000));
  CHECK(unit.stored_of(watt_hours(1'252)) == watt_hours(1'001));
  CHECK(unit.charge(watt_hours(1'251)) == watt_hours(1'000));
  CHECK(unit.state_of_charge() == watt_hours(10'000));
  CHECK(unit.charge_room() == watt_hours(1));  // 1 Wh in stores floor(0.8) = 0: the unit is full
  CHECK(unit.stored_of(watt_hours(1)) == energy::zero());
  CHECK(unit.discharge_room() == watt_hours(6'000));  // the power budget, not the SoC
  unit.discharge(watt_hours(6'000));
  CHECK(unit.discharge_room() == energy::zero());
  CHECK_THROWS_AS(unit.discharge(watt_hours(1)), bad_input);
  CHECK(unit.state_of_charge() == watt_hours(4'000));
  unit.begin_interval(30);  // half an hour: 3,000 Wh each way
  CHECK(unit.discharge_room() == watt_hours(3'000));
  CHECK(unit.charge_room() == watt_hours(3'000));
  CHECK_THROWS_AS(unit.charge(watt_hours(3'001)), bad_input);
  CHECK(unit.state_of_charge() == watt_hours(4'000));
  CHECK_THROWS_AS(smes({watt_hours(0), watts(1), 1, {}, {}, {}}), bad_input);
  CHECK_THROWS_AS(smes({watt_hours(10), watts(1), 1'000'001, {}, {}, {}}), bad_input);
  CHECK_THROWS_AS(smes({watt_hours(10), watts(1), 500'000, watt_hours(11), {}, {}}), bad_input);
}

TEST_CASE("coalition session: one pair is priced at the equal split of its gain (the two-player nucleolus)") {
  // Two players: the nucleolus splits the gain equally, so the price is the midpoint of the
  // buyer's limit and the seller's reserve, to the micro-Token/kWh.
  std::mt19937_64 rng(41);
  for (int trial = 0; trial < 30; ++trial) {
    always_secure check;
    coalition_market_session<paper004_benefit, max_benefit_matching, always_secure, no_storage> session(
        {}, check, no_storage{});
    const participant_id b = session.enrol_prosumer("buyer"), s = session.enrol_prosumer("seller");
    session.open_round();
    buyer_quote bq = random_buyer(rng);
    seller_quote sq = random_seller(rng);
    sq.pairs = 1;
    // No travel, depreciation or own cost: Q is positive whenever the prices meet.
    bq.distance_km = sq.distance_km = sq.depreciation = sq.p_0 = sq.k_pv = 0;
    bq.limit = sq.reserve + micro_tokens_per_kwh(uniform(rng, 1, 900'000));
    session.submit_buy(b, bq);
    session.submit_sell(s, sq);
    session.clock().set(at(0, 40));
    const coalition_round& r = session.clear();
    REQUIRE(r.trades.size() == 1);
    const trade& t = r.trades.front().deal;
    CHECK(t.quantity == std::min(bq.demand, sq.offer));
    const std::int64_t gain = (trade_amount(bq.limit, t.quantity) - trade_amount(sq.reserve, t.quantity)).base();
    // price = limit - 1000 (gain / 2) / q, rounded half up.
    const std::int64_t twice = bq.limit.base() * 2 * t.quantity.base() - gain * 1000;
    const std::int64_t expected = (twice + t.quantity.base()) / (2 * t.quantity.base());
    CHECK(t.buyer_price.base() == expected);
    CHECK(r.payoffs.size() == 2);
    CHECK(r.payoffs[0] == r.payoffs[1]);
  }
}

TEST_CASE("coalition session: seeded random rounds conserve money and respect storage, network and reserves") {
  std::size_t refused = 0, peer = 0, by_storage = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    std::mt19937_64 rng(seed);
    const std::size_t prosumers = static_cast<std::size_t>(uniform(rng, 2, 14));
    radial_feeder feeder = random_feeder(rng, prosumers + 2);
    const smes_parameters unit = random_storage(rng);
    random_session session({}, feeder, smes(unit));
    std::vector<participant_id> ids;
    for (std::size_t k = 0; k < prosumers; ++k) {
      std::string name = "prosumer ";
      name += std::to_string(k);
      ids.push_back(session.enrol_prosumer(name));
      session.security().place(ids.back(), static_cast<bus_index>(k + 1));
    }
    session.security().place(session.storage_account(), static_cast<bus_index>(prosumers + 1));
    for (int hour = 0; hour < 4; ++hour) {
      session.clock().set(at(hour, 0));
      session.open_round();
      for (const participant_id id : ids) {
        const auto roll = uniform(rng, 0, 2);
        if (roll == 0) session.submit_buy(id, random_buyer(rng));
        if (roll == 1) session.submit_sell(id, random_seller(rng));
      }
      const energy soc_before = session.storage().state_of_charge();
      const radial_feeder base = session.security();
      session.clock().set(at(hour, 45));
      const coalition_round& r = session.clear();
      check_round(r, unit, soc_before, session.storage_account(), 60);
      check_payoffs(r);
      for (const coalition_pair& p : r.pairs) refused += p.secure ? 0 : 1;
      for (const coalition_trade& t : r.trades) (t.route == coalition_route::peer ? peer : by_storage) += 1;
      check_feeder(session.security(), base);
      session.clock().set(at(hour, 55));
      session.settle();
      for (std::size_t line = 0; line < base.line_count(); ++line)
        CHECK(session.security().flow(line) == base.flow(line));  // every reservation released
    }
  }
  // The rounds exercise every path: pairs refused by the feeder, peer trades, storage trades.
  CHECK(refused > 0);
  CHECK(peer > 0);
  CHECK(by_storage > 0);
}

TEST_CASE("coalition session: bad input is refused whole, naming the field and value") {
  coalition_market_session<> session({}, paper004_day::feeder(), smes(make_paper004_day(1).storage));
  const participant_id u = session.enrol_prosumer("u");
  session.security().place(u, 8);
  session.open_round();
  const auto refused = [&](auto call, const std::string& field, const std::string& value) {
    const std::size_t before = session.current_round()->buyers.size() + session.current_round()->sellers.size();
    try {
      call();
      FAIL("no error");
    } catch (const bad_input& e) {
      CHECK(e.field() == field);
      CHECK(e.value() == value);
    }
    CHECK(session.current_round()->buyers.size() + session.current_round()->sellers.size() == before);
  };
  buyer_quote b{watt_hours(0), tokens_per_kwh(1), 1, 0, 0};
  refused([&] { session.submit_buy(u, b); }, "demand", "0");
  b.demand = watt_hours(1'000);
  b.max_pairs = 0;
  refused([&] { session.submit_buy(u, b); }, "max_pairs", "0");
  b.max_pairs = 1;
  b.limit = micro_tokens_per_kwh(-5);
  refused([&] { session.submit_buy(u, b); }, "limit", "-5");
  seller_quote s;
  s.offer = watt_hours(1'000);
  s.eta = 1.5;
  refused([&] { session.submit_sell(u, s); }, "eta", "1.5");
  s.eta = 1;
  refused([&] { session.submit_sell(participant_id{99}, s); }, "prosumer", "99");
  refused([&] { session.submit_sell(session.storage_account(), s); }, "prosumer", "1");
  session.submit_sell(u, s);
  refused([&] { session.submit_buy(u, {watt_hours(1'000), tokens_per_kwh(1), 1, 0, 0}); }, "prosumer", "2");
  CHECK_THROWS_AS(coalition_market_session<>({60, 50, 40}, paper004_day::feeder(), smes(make_paper004_day(1).storage)),
                  bad_input);
}

TEST_CASE("coalition session: phases, replays and stages") {
  coalition_market_session<> session({}, paper004_day::feeder(), smes(make_paper004_day(1).storage));
  const participant_id u = session.enrol_prosumer("u"), v = session.enrol_prosumer("v");
  session.security().place(u, 8);
  session.security().place(v, 9);
  session.security().place(session.storage_account(), 7);
  session.clock().set(at(5, 0));
  CHECK_THROWS_AS(session.clear(), bad_input);  // no round open yet
  CHECK(session.open_round() == 5);
  CHECK_THROWS_AS(session.open_round(), bad_input);  // the same round again
  CHECK_THROWS_AS(session.clear(), phase_error);     // quotes are still open
  CHECK_THROWS_AS(session.settle(), bad_input);      // not cleared
  session.submit_buy(u, {watt_hours(4'000), tokens_per_kwh(1), 1, 0.15, 1});
  seller_quote s;
  s.kind = seller_kind::ev;
  s.offer = watt_hours(3'000);
  s.reserve = tokens_per_kwh(0.6);
  session.submit_sell(v, s);
  session.clock().set(at(5, 40));
  CHECK_THROWS_AS(session.submit_buy(u, {watt_hours(1), tokens_per_kwh(1), 1, 0, 0}), phase_error);
  const coalition_round& r = session.clear();
  REQUIRE(r.trades.size() == 2);  // the pair, then the unit sells to the buyer's demand left
  CHECK(r.trades[0].route == coalition_route::storage_sells);
  CHECK(r.trades[1].route == coalition_route::peer);
  CHECK_THROWS_AS(session.clear(), bad_input);  // a replayed clearing
  CHECK_THROWS_AS(session.settle(), phase_error);  // settlement opens at :50
  session.clock().set(at(6, 0));
  CHECK_THROWS_AS(session.settle(), phase_error);  // the round's hour is over
  CHECK_THROWS_AS(session.open_round(), bad_input);  // round 5 is cleared but not settled
}

TEST_CASE("coalition session: the paper's day on a chain verifies, and the SMES raises both rates") {
  for (std::uint64_t seed : {4u, 5u, 6u}) {
    CAPTURE(seed);
    const paper004_day day = make_paper004_day(seed);
    money conserved = money::zero();
    std::size_t trades = 0;
    auto with = run_paper004_day(day, smes(day.storage), toy_sink(toy::signer(3)),
                                 [&](const coalition_round& r, const auto&) {
                                   for (const auto& [account, net] : r.balances) conserved += net;
                                   trades += r.trades.size();
                                 });
    const auto without = run_paper004_day(day, no_storage{});
    CHECK(conserved == money::zero());
    REQUIRE(with.sink().verify().ok());
    CHECK(with.sink().ledger().blocks().size() == 24);
    std::size_t recorded = 0;
    for (const block& b : with.sink().ledger().blocks())
      for (const bytes& record : b.records)
        if (holds_record<coalition_trade>(record)) ++recorded;
    CHECK(recorded == trades);
    // The peer-to-peer part is the same with and without the unit; the unit only adds.
    CHECK(with.totals().proposed == without.totals().proposed);
    CHECK(with.totals().secure == without.totals().secure);
    CHECK(without.totals().rescued == energy::zero());
    CHECK(with.totals().transaction_success_rate() > without.totals().transaction_success_rate());
    CHECK(with.totals().renewable_consumption_rate() > without.totals().renewable_consumption_rate());
    CHECK(without.totals().transaction_success_rate() < 1.0);  // the feeder does congest
  }
}
