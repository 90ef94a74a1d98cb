// Session C (paper 000's continuous market with P2P fallback): invariants on seeded random
// periods, the P2P round against a brute-force matcher, phases, bad input and replays.
#include <evmarket/evmarket.hpp>

#include "ledger_toy_crypto.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

using toy_sink = chain_ledger_sink<toy::hasher, toy::verifier, toy::signer>;
template <class Adjust = price_concession, class Range = own_level_and_above, class Sink = null_ledger_sink>
using session_of = continuous_market_session<toy::verifier, radial_feeder, quantile_levels, Range, Adjust,
                                             conformance_reputation, Sink>;
using session_type = session_of<price_concession, own_level_and_above, toy_sink>;

market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }
const trading_period delivery{0, 37};  // 18:30-19:00, traded 18:00-18:30

// A random radial feeder: bus i + 1 hangs from a bus before it, limits 4-40 kW.
struct feeder_spec {
  std::vector<feeder_line> lines;
  std::vector<bus_index> parent;
};
feeder_spec random_feeder(std::mt19937_64& rng, std::size_t buses) {
  feeder_spec f;
  f.parent.assign(buses, 0);
  for (std::size_t b = 1; b < buses; ++b) {
    f.parent[b] = static_cast<bus_index>(std::uniform_int_distribution<std::size_t>(0, b - 1)(rng));
    f.lines.push_back(
        {f.parent[b], static_cast<bus_index>(b), kilowatts(std::uniform_int_distribution<int>(4, 40)(rng))});
  }
  return f;
}

// A market of nodes with toy keys on a random feeder.
template <class Session = session_type>
struct market {
  feeder_spec spec;
  Session session;
  std::vector<participant_id> nodes;
  std::map<participant_id, toy::signer> keys;
  std::map<participant_id, bus_index> bus;

  market(std::mt19937_64& rng, std::size_t node_count, std::size_t buses)
      : spec(random_feeder(rng, buses)),
        session(radial_feeder(buses, spec.lines, kilowatts(1000)), {}, toy::verifier{}, {}, {}, {}, {},
                toy_sink(toy::signer(200))) {
    for (std::size_t i = 0; i < node_count; ++i) {
      const toy::signer key(static_cast<std::uint8_t>(i + 1));
      const double reputation = static_cast<double>(std::uniform_int_distribution<int>(0, 20)(rng)) / 2.0;
      const participant_id id = session.enrol_node("node " + std::to_string(i),
                                                   bytes(key.public_key().begin(), key.public_key().end()), reputation);
      const auto b = static_cast<bus_index>(std::uniform_int_distribution<std::size_t>(1, buses - 1)(rng));
      session.network().place(id, b);
      nodes.push_back(id);
      keys.emplace(id, key);
      bus.emplace(id, b);
    }
  }
  void go(int hour, int minute) { session.clock().set(at(hour, minute)); }
  confirmed_trade sign(confirmed_trade t) const {
    t.buyer_signature = sign_confirmation(keys.at(t.deal.buyer), t.deal, t.period, t.buyer_sequence, t.seller_sequence);
    t.seller_signature =
        sign_confirmation(keys.at(t.deal.seller), t.deal, t.period, t.buyer_sequence, t.seller_sequence);
    return t;
  }
  // Line flows from scratch: each line carries its subtree's net load from the trades given.
  [[nodiscard]] std::vector<std::int64_t> flows(const std::vector<trade>& reserved) const {
    std::vector<std::int64_t> at_bus(spec.parent.size(), 0);
    for (const trade& t : reserved) {
      const std::int64_t q = average_power(t.quantity, 30, rounding::up).base();
      at_bus[bus.at(t.buyer)] += q;
      at_bus[bus.at(t.seller)] -= q;
    }
    for (std::size_t b = spec.parent.size(); b-- > 1;) at_bus[spec.parent[b]] += at_bus[b];  // parents come first
    return {at_bus.begin() + 1, at_bus.end()};  // the line into bus b is lines[b - 1]
  }
  void check_security(const std::vector<trade>& reserved) const {
    const std::vector<std::int64_t> expected = flows(reserved);
    for (std::size_t l = 0; l < expected.size(); ++l) {
      CHECK(session.network().flow(l).base() == expected[l]);
      CHECK(std::abs(expected[l]) <= spec.lines[l].limit.base());
    }
  }
  [[nodiscard]] money total_money() const {
    money sum = session.operator_balance();
    for (const auto& [node, m] : session.balances()) sum += m;
    return sum;
  }
};

// One seeded random period through every phase; returns its report.
template <class Market>
continuous_period_report random_period(Market& m, std::mt19937_64& rng, std::size_t orders, int later = 0) {
  // `later` hours after the 18:30 period: its delivery and every phase move by as much
  const trading_period period{0, 37 + 2 * later};
  const auto go = [&](int hour, int minute) { m.go(hour + later, minute); };
  go(18, 7);
  for (std::size_t k = 0; k < orders; ++k) {
    const participant_id node = m.nodes[std::uniform_int_distribution<std::size_t>(0, m.nodes.size() - 1)(rng)];
    const side s = std::bernoulli_distribution(0.5)(rng) ? side::buy : side::sell;
    const price limit = tokens_per_kwh(std::uniform_int_distribution<int>(15, 30)(rng));
    const energy quantity = kilowatt_hours(std::uniform_int_distribution<int>(1, 12)(rng));
    m.session.submit_order(period, node, s, limit, quantity);
  }
  m.check_security(m.session.trades(period));
  go(18, 10);
  m.session.close_window(period);
  go(18, 15);
  for (int round = 0; round < 8; ++round) {
    const p2p_round& r = m.session.run_round(period);
    m.check_security(m.session.trades(period));
    if (r.quiet()) break;
    const std::vector<confirmed_trade> proposals = r.proposals;
    for (const confirmed_trade& p : proposals)
      if (std::bernoulli_distribution(0.9)(rng)) {
        const p2p_confirmation result = m.session.confirm(m.sign(p));
        // a party's earlier proposal left unsigned leaves a gap in its sequence; a trade that leaned
        // on an unsigned proposal's counter-flow may now fail the check
        CHECK((result.confirmation == confirmation_status::accepted ||
               result.confirmation == confirmation_status::out_of_order));
        m.check_security(m.session.trades(period));
      }
    CHECK(m.total_money() == money::zero());
  }
  go(18, 25);
  const money fees = m.session.settle_fees(period);
  CHECK(m.total_money() == money::zero());
  m.check_security({});  // every reservation of the period released
  std::vector<delivery_reading> readings;
  std::map<participant_id, energy> traded;
  for (const trade& t : m.session.trades(period)) {
    traded[t.buyer] += t.quantity;
    traded[t.seller] += t.quantity;
  }
  for (const auto& [node, q] : traded)
    readings.push_back({node, std::bernoulli_distribution(0.8)(rng) ? q : energy::zero()});
  const std::vector<trade> standing = m.session.trades(period);
  go(19, 0);
  const continuous_period_report report = m.session.settle(period, readings);
  CHECK(report.fees == fees);
  energy volume = energy::zero();
  for (const trade& t : standing) volume += t.quantity;
  CHECK(report.window_volume + report.p2p_volume == volume);
  CHECK(report.window_trades + report.p2p_trades == standing.size());
  return report;
}

}  // namespace

TEST_CASE("continuous session: seeded random periods conserve money, respect the feeder and verify") {
  std::uint64_t window_voided = 0, p2p_voided = 0, p2p_trades = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    market m(rng, 12, 9);
    for (std::size_t l = 0; l < m.spec.lines.size(); l += 3)
      m.session.network().post_congestion_fee(l, tokens_per_kwh(1));
    const continuous_period_report first = random_period(m, rng, 60);
    const continuous_period_report second = random_period(m, rng, 60, 1);
    CHECK(m.total_money() == money::zero());
    CHECK(m.session.operator_balance() == first.fees + second.fees);
    CHECK(first.window_volume.is_positive());
    CHECK(m.session.sink().verify().ok());
    CHECK(m.session.sink().ledger().size() == 2);  // one block per period
    for (const continuous_period_report& r : {first, second}) {
      window_voided += r.window_voided;
      p2p_voided += r.p2p_voided;
      p2p_trades += r.p2p_trades;
    }
  }
  // the seeds exercise every path: voids in the window and in P2P, and P2P trades
  CHECK(window_voided > 0);
  CHECK(p2p_voided > 0);
  CHECK(p2p_trades > 0);
}

TEST_CASE("continuous session: congestion fees are each trade's path fee, paid by the buyer") {
  std::mt19937_64 rng(77);
  market m(rng, 10, 8);
  for (std::size_t l = 0; l < m.spec.lines.size(); ++l)
    m.session.network().post_congestion_fee(l, micro_tokens_per_kwh(static_cast<std::int64_t>(1000 * (l + 1))));
  std::map<participant_id, money> expected;
  money total = money::zero();
  m.go(18, 7);
  for (int k = 0; k < 40; ++k)
    m.session.submit_order(delivery, m.nodes[static_cast<std::size_t>(k) % m.nodes.size()],
                           k % 2 == 0 ? side::buy : side::sell, tokens_per_kwh(20 + (k * 7) % 9),
                           kilowatt_hours(1 + k % 5));
  for (const trade& t : m.session.trades(delivery)) {
    // the path's fee from the spec's tree: lines on either side below the meeting bus
    std::int64_t per_kwh = 0;
    bus_index a = m.bus.at(t.seller), b = m.bus.at(t.buyer);
    while (a != b) {
      if (a > b) {
        per_kwh += 1000 * static_cast<std::int64_t>(a);
        a = m.spec.parent[a];
      } else {
        per_kwh += 1000 * static_cast<std::int64_t>(b);
        b = m.spec.parent[b];
      }
    }
    const money fee = trade_amount(micro_tokens_per_kwh(per_kwh), t.quantity);
    expected[t.buyer] += fee;
    total += fee;
  }
  REQUIRE(!m.session.trades(delivery).empty());
  std::map<participant_id, money> before = m.session.balances();
  m.go(18, 25);
  CHECK(m.session.settle_fees(delivery) == total);
  for (const auto& [node, fee] : expected) CHECK(m.session.balances().at(node) == before.at(node) - fee);
  CHECK(m.session.operator_balance() == total);
}

TEST_CASE("continuous session: a window trade the check refuses is voided and quotes in the P2P phase") {
  // bus 1 and bus 2 hang from the transformer; line 0 (into bus 1) carries 2 kW at most.
  const std::vector<feeder_line> lines{{0, 1, kilowatts(2)}, {0, 2, kilowatts(100)}, {0, 3, kilowatts(100)}};
  session_of<no_adjustment> s(radial_feeder(4, lines, kilowatts(1000)));
  const toy::signer ka(1), kb(2), kc(3);
  const auto key = [](const toy::signer& k) { return bytes(k.public_key().begin(), k.public_key().end()); };
  const participant_id a = s.enrol_node("a", key(ka), 9.0);
  const participant_id b = s.enrol_node("b", key(kb), 9.0);
  const participant_id c = s.enrol_node("c", key(kc), 9.0);
  s.network().place(a, 1);
  s.network().place(b, 2);
  s.network().place(c, 3);
  s.clock().set(at(18, 7));
  const order_id sell_b = s.submit_order(delivery, b, side::sell, tokens_per_kwh(20), kilowatt_hours(3));
  const order_id buy_a =
      s.submit_order(delivery, a, side::buy, tokens_per_kwh(22), kilowatt_hours(3));  // 6 kW into bus 1
  CHECK(s.report(delivery).window_voided == 1);
  CHECK(s.trades(delivery).empty());
  CHECK(s.balances().empty());
  const order_id buy_c = s.submit_order(delivery, c, side::buy, tokens_per_kwh(21), kilowatt_hours(2));
  CHECK(s.trades(delivery).empty());  // b's offer left the book with the voided trade
  s.clock().set(at(18, 10));
  const p2p_broadcast& shown = s.close_window(delivery);
  REQUIRE(shown.bids.size() == 2);
  REQUIRE(shown.offers.size() == 1);
  CHECK(shown.bids[0].id == buy_a);  // 22 before 21
  CHECK(shown.bids[1].id == buy_c);
  CHECK(shown.offers[0].id == sell_b);
  CHECK(shown.offers[0].open == kilowatt_hours(3));
  s.clock().set(at(18, 15));
  const p2p_round& first = s.run_round(delivery);
  CHECK(first.voided == 1);  // a again (it waits for the next round), then c takes 2 kWh of b's 3
  REQUIRE(first.proposals.size() == 1);
  const confirmed_trade p = first.proposals[0];
  CHECK(p.deal.buyer == c);
  CHECK(p.deal.buyer_price == micro_tokens_per_kwh(20'500'000));
  confirmed_trade signed_p = p;
  signed_p.buyer_signature = sign_confirmation(kc, p.deal, p.period, p.buyer_sequence, p.seller_sequence);
  signed_p.seller_signature = sign_confirmation(kb, p.deal, p.period, p.buyer_sequence, p.seller_sequence);
  confirmed_trade forged = signed_p;
  forged.seller_signature = signed_p.buyer_signature;
  CHECK(s.confirm(forged).confirmation == confirmation_status::bad_seller_signature);
  CHECK(s.balances().empty());
  CHECK(s.confirm(signed_p).outcome == p2p_outcome::traded);
  CHECK(s.confirm(signed_p).confirmation == confirmation_status::replayed);  // replay refused, nothing moves twice
  CHECK(s.balances().at(c) == -p.deal.buyer_paid);
  CHECK(s.balances().at(b) == p.deal.seller_received);
  const p2p_round& second = s.run_round(delivery);  // no adjustment: a and b leave
  CHECK(second.left == 2);
  CHECK(second.quiet());
  CHECK(s.report(delivery).p2p_volume == kilowatt_hours(2));
  CHECK(s.report(delivery).p2p_voided == 1);
}

TEST_CASE("continuous session: quotation rounds, adjustments by call and by policy, lapsed proposals") {
  const std::vector<feeder_line> lines{{0, 1, kilowatts(100)}, {0, 2, kilowatts(100)}};
  session_of<price_concession, any_level> s(radial_feeder(3, lines, kilowatts(1000)));
  const toy::signer ka(1), kb(2);
  const auto key = [](const toy::signer& k) { return bytes(k.public_key().begin(), k.public_key().end()); };
  const participant_id a = s.enrol_node("a", key(ka), 5.0);
  const participant_id b = s.enrol_node("b", key(kb), 5.0);
  s.network().place(a, 1);
  s.network().place(b, 2);
  s.clock().set(at(18, 7));
  const order_id bid = s.submit_order(delivery, a, side::buy, tokens_per_kwh(100), kilowatt_hours(4));
  const order_id offer = s.submit_order(delivery, b, side::sell, tokens_per_kwh(104), kilowatt_hours(4));
  s.clock().set(at(18, 10));
  CHECK(s.close_window(delivery).offers.at(0).id == offer);
  s.clock().set(at(18, 15));
  CHECK(s.run_round(delivery).quiet());                                   // 100 < 104
  s.adjust_quote(delivery, bid, tokens_per_kwh(102), kilowatt_hours(3));  // a real node answers the prompt
  const p2p_round& second = s.run_round(delivery);                        // b concedes 2 %: 104 -> 101.92
  REQUIRE(second.proposals.size() == 1);
  CHECK(second.proposals[0].deal.quantity == kilowatt_hours(3));
  CHECK(s.broadcast(delivery).bids[0].limit == tokens_per_kwh(102));
  CHECK(second.proposals[0].deal.buyer_price == micro_tokens_per_kwh(101'960'000));
  // nobody signs: the proposal lapses at the next round and both quotes get their 3 kWh back
  const p2p_round& third = s.run_round(delivery);
  REQUIRE(third.proposals.size() == 1);
  CHECK(third.proposals[0].deal.quantity == kilowatt_hours(3));
  CHECK(s.network().flow(0) == power::zero());  // a proposal holds no reservation once its round is over
  const confirmed_trade t = third.proposals[0];
  confirmed_trade signed_t = t;
  signed_t.buyer_signature = sign_confirmation(ka, t.deal, t.period, t.buyer_sequence, t.seller_sequence);
  signed_t.seller_signature = sign_confirmation(kb, t.deal, t.period, t.buyer_sequence, t.seller_sequence);
  CHECK(s.confirm(signed_t).outcome == p2p_outcome::traded);
  CHECK(s.network().flow(0) == average_power(kilowatt_hours(3), 30, rounding::up));
  CHECK(s.balances().at(a) + s.balances().at(b) == money::zero());
  CHECK_THROWS_AS(s.adjust_quote(delivery, bid, tokens_per_kwh(102), kilowatt_hours(1)), bad_input);  // filled
}

TEST_CASE("continuous session: a signed trade that leaned on an unsigned proposal's counter-flow is voided") {
  // line 0 (bus 1) carries 6 kW; e at bus 2 buying from d at bus 1 sends 6 kW up it, which lets
  // a at bus 1 buy 8 kW from b at bus 2 in the same round; without e-d, a-b overloads line 0.
  const std::vector<feeder_line> lines{{0, 1, kilowatts(6)}, {0, 2, kilowatts(100)}};
  for (const bool sign_counter_flow : {false, true}) {
    CAPTURE(sign_counter_flow);
    session_of<no_adjustment, any_level> s(radial_feeder(3, lines, kilowatts(1000)));
    std::map<participant_id, toy::signer> keys;
    const auto enrol = [&](const char* name, std::uint8_t seed, bus_index b) {
      const toy::signer k(seed);
      const participant_id id = s.enrol_node(name, bytes(k.public_key().begin(), k.public_key().end()), 5.0);
      s.network().place(id, b);
      keys.emplace(id, k);
      return id;
    };
    const participant_id e = enrol("e", 1, 2), d = enrol("d", 2, 1), a = enrol("a", 3, 1), b = enrol("b", 4, 2);
    s.clock().set(at(18, 7));
    const order_id qe = s.submit_order(delivery, e, side::buy, tokens_per_kwh(5), kilowatt_hours(3));
    const order_id qd = s.submit_order(delivery, d, side::sell, tokens_per_kwh(10), kilowatt_hours(3));
    const order_id qa = s.submit_order(delivery, a, side::buy, tokens_per_kwh(5), kilowatt_hours(4));
    const order_id qb = s.submit_order(delivery, b, side::sell, tokens_per_kwh(20), kilowatt_hours(4));
    s.clock().set(at(18, 10));
    s.close_window(delivery);
    s.clock().set(at(18, 15));
    CHECK(s.run_round(delivery).quiet());
    s.adjust_quote(delivery, qe, tokens_per_kwh(30), kilowatt_hours(3));
    s.adjust_quote(delivery, qd, tokens_per_kwh(10), kilowatt_hours(3));
    s.adjust_quote(delivery, qa, tokens_per_kwh(25), kilowatt_hours(4));
    s.adjust_quote(delivery, qb, tokens_per_kwh(20), kilowatt_hours(4));
    const std::vector<confirmed_trade> proposals = s.run_round(delivery).proposals;
    REQUIRE(proposals.size() == 2);
    const auto signed_by_both = [&](confirmed_trade t) {
      t.buyer_signature =
          sign_confirmation(keys.at(t.deal.buyer), t.deal, t.period, t.buyer_sequence, t.seller_sequence);
      t.seller_signature =
          sign_confirmation(keys.at(t.deal.seller), t.deal, t.period, t.buyer_sequence, t.seller_sequence);
      return t;
    };
    if (sign_counter_flow) CHECK(s.confirm(signed_by_both(proposals[0])).outcome == p2p_outcome::traded);
    const p2p_confirmation second = s.confirm(signed_by_both(proposals[1]));
    CHECK(second.confirmation == confirmation_status::accepted);
    CHECK(second.outcome == (sign_counter_flow ? p2p_outcome::traded : p2p_outcome::voided_by_check));
    if (!sign_counter_flow) {
      CHECK(second.congested_line == 0);
      CHECK(s.balances().empty());
      CHECK(s.report(delivery).p2p_voided == 1);
      CHECK(s.broadcast(delivery).bids.at(1).open == kilowatt_hours(4));  // a's 4 kWh are back on its quote
      CHECK(s.confirm(signed_by_both(proposals[1])).confirmation == confirmation_status::replayed);
    }
    CHECK(std::abs(s.network().flow(0).base()) <= kilowatts(6).base());
  }
}

TEST_CASE("continuous session: calls outside their phase throw phase_error and change nothing") {
  std::mt19937_64 rng(5);
  market m(rng, 4, 4);
  m.go(18, 5);
  CHECK_THROWS_AS(m.session.submit_order(delivery, m.nodes[0], side::buy, tokens_per_kwh(20), kilowatt_hours(1)),
                  phase_error);
  m.go(18, 7);
  CHECK_THROWS_AS(m.session.close_window(delivery), phase_error);
  CHECK_THROWS_AS(m.session.run_round(delivery), phase_error);
  CHECK_THROWS_AS(m.session.settle_fees(delivery), phase_error);
  CHECK_THROWS_AS(m.session.settle(delivery, {}), phase_error);
  m.session.submit_order(delivery, m.nodes[0], side::buy, tokens_per_kwh(20), kilowatt_hours(1));
  m.go(18, 10);
  CHECK_THROWS_AS(m.session.submit_order(delivery, m.nodes[1], side::sell, tokens_per_kwh(20), kilowatt_hours(1)),
                  phase_error);
  CHECK(m.session.broadcast(delivery).bids.empty());
  m.go(18, 15);
  CHECK_THROWS_AS(m.session.run_round(delivery), bad_input);  // the window never closed
  CHECK_THROWS_AS(m.session.close_window(delivery), phase_error);
  m.go(18, 25);
  CHECK_THROWS_AS(m.session.run_round(delivery), phase_error);
  CHECK(m.session.settle_fees(delivery) == money::zero());
  CHECK_THROWS_AS(m.session.settle_fees(delivery), bad_input);  // a replay
  m.go(19, 0);
  m.session.settle(delivery, {});
  CHECK_THROWS_AS(m.session.settle(delivery, {}), bad_input);  // settles once
}

TEST_CASE("continuous session: bad input throws naming field and value, session unchanged") {
  std::mt19937_64 rng(9);
  market m(rng, 6, 5);
  const auto snapshot = [&] {
    return std::make_tuple(m.session.balances(), m.session.operator_balance(), m.session.trades(delivery),
                           m.session.report(delivery));
  };
  m.go(18, 7);
  m.session.submit_order(delivery, m.nodes[0], side::buy, tokens_per_kwh(25), kilowatt_hours(2));
  m.session.submit_order(delivery, m.nodes[1], side::sell, tokens_per_kwh(20), kilowatt_hours(3));
  const auto before = snapshot();
  CHECK_THROWS_WITH_AS(m.session.submit_order(delivery, m.nodes[2], side::buy, tokens_per_kwh(25), energy::zero()),
                       doctest::Contains("quantity"), bad_input);
  CHECK_THROWS_WITH_AS(m.session.submit_order(delivery, m.nodes[2], side::buy, price::zero(), kilowatt_hours(1)),
                       doctest::Contains("limit"), bad_input);
  CHECK_THROWS_WITH_AS(
      m.session.submit_order(delivery, participant_id{99}, side::buy, tokens_per_kwh(25), kilowatt_hours(1)),
      doctest::Contains("99"), bad_input);
  CHECK(snapshot() == before);
  m.go(18, 10);
  m.session.close_window(delivery);
  m.go(18, 15);
  const order_id open = m.session.broadcast(delivery).offers.at(0).id;
  CHECK_THROWS_WITH_AS(m.session.adjust_quote(delivery, open, tokens_per_kwh(20), kilowatt_hours(2)),
                       doctest::Contains("volume"), bad_input);  // 1 kWh open
  CHECK_THROWS_WITH_AS(m.session.adjust_quote(delivery, order_id{999}, tokens_per_kwh(20), kilowatt_hours(1)),
                       doctest::Contains("999"), bad_input);
  confirmed_trade stranger;
  stranger.deal = priced_trade(order_id{1}, order_id{2}, m.nodes[0], m.nodes[1], kilowatt_hours(1), tokens_per_kwh(20),
                               tokens_per_kwh(20));
  stranger.period = delivery;
  CHECK_THROWS_AS(m.session.confirm(stranger), bad_input);
  CHECK(m.session.broadcast(delivery).offers.at(0).open == kilowatt_hours(1));
  CHECK(snapshot() == before);
  m.go(19, 0);
  const std::vector<delivery_reading> missing{{m.nodes[0], kilowatt_hours(2)}};
  CHECK_THROWS_WITH_AS(m.session.settle(delivery, missing), doctest::Contains("missing"), bad_input);
  const std::vector<delivery_reading> negative{{m.nodes[0], kilowatt_hours(2)}, {m.nodes[1], watt_hours(-1)}};
  CHECK_THROWS_WITH_AS(m.session.settle(delivery, negative), doctest::Contains("readings[1].delivered"), bad_input);
  const std::vector<delivery_reading> twice{{m.nodes[0], kilowatt_hours(2)}, {m.nodes[0], kilowatt_hours(2)}};
  CHECK_THROWS_AS(m.session.settle(delivery, twice), bad_input);
  CHECK(snapshot() == before);
  CHECK(m.session.reputation(m.nodes[0]) == m.session.reputation(m.nodes[0]));
  const double rep0 = m.session.reputation(m.nodes[0]), rep1 = m.session.reputation(m.nodes[1]);
  const std::vector<delivery_reading> good{{m.nodes[0], kilowatt_hours(2)}, {m.nodes[1], energy::zero()}};
  m.session.settle(delivery, good);
  // paper 001's rule: all three criteria kept +1 (cap 10); nothing delivered -1 (floor 0)
  CHECK(m.session.reputation(m.nodes[0]) == doctest::Approx(std::min(10.0, rep0 + 0.99999)));
  CHECK(m.session.reputation(m.nodes[1]) == doctest::Approx(std::max(0.0, rep1 - 0.99999)));
  CHECK(m.session.sink().verify().ok());
}

namespace {
// The brute-force reading of a round: repeatedly take the feasible pair that comes first in
// (bid order, offer order); a refused pair ends the bid's round.
template <class InRange, class Attempt>
void reference_round(std::vector<p2p_quote>& bids, std::vector<p2p_quote>& offers, InRange in_range, Attempt attempt) {
  std::vector<bool> frozen_bid(bids.size());
  for (;;) {
    bool found = false;
    for (std::size_t i = 0; i < bids.size() && !found; ++i)
      for (std::size_t j = 0; j < offers.size() && !found; ++j) {
        if (frozen_bid[i] || !bids[i].open.is_positive() || !offers[j].open.is_positive()) continue;
        if (offers[j].limit > bids[i].limit || !in_range(bids[i], offers[j])) continue;
        found = true;
        const energy q = std::min(bids[i].open, offers[j].open);
        if (attempt(bids[i], offers[j], q)) {
          bids[i].open -= q;
          offers[j].open -= q;
        } else {
          frozen_bid[i] = true;
        }
      }
    if (!found) return;
  }
}
}  // namespace

TEST_CASE("continuous session: a P2P round equals the brute-force matcher on small inputs") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    const auto count = [&] { return std::uniform_int_distribution<std::size_t>(0, 7)(rng); };
    std::vector<p2p_quote> bids, offers;
    std::uint64_t next = 1;
    const auto quote = [&](side s) {
      const auto node = participant_id{std::uniform_int_distribution<std::uint64_t>(1, 5)(rng)};
      return p2p_quote{order_id{next},
                       node,
                       s,
                       tokens_per_kwh(std::uniform_int_distribution<int>(1, 6)(rng)),
                       kilowatt_hours(std::uniform_int_distribution<int>(1, 4)(rng)),
                       next++ % 3};
    };
    for (std::size_t k = count(); k > 0; --k) bids.push_back(quote(side::buy));
    for (std::size_t k = count(); k > 0; --k) offers.push_back(quote(side::sell));
    detail::sort_for_matching(bids, offers);
    std::vector<std::uint32_t> level(6);
    for (auto& l : level) l = std::uniform_int_distribution<std::uint32_t>(0, 2)(rng);
    const auto in_range = [&](const p2p_quote& b, const p2p_quote& o) {
      return b.node != o.node && own_level_and_above{}.in_range(level[b.node.value], level[o.node.value]);
    };
    const std::uint64_t salt = rng();
    std::vector<std::tuple<std::uint64_t, std::uint64_t, std::int64_t>> fast_log, slow_log;
    const auto attempt_into = [&](auto& log) {
      return [&log, salt](const p2p_quote& b, const p2p_quote& o, energy q) {
        log.emplace_back(b.id.value, o.id.value, q.base());
        return ((b.id.value * 31 + o.id.value * 7 + salt) % 4) != 0;  // a quarter of the pairs fail the check
      };
    };
    std::vector<p2p_quote> bids2 = bids, offers2 = offers;
    detail::match_round(std::span<p2p_quote>(bids), std::span<p2p_quote>(offers), in_range, attempt_into(fast_log));
    reference_round(bids2, offers2, in_range, attempt_into(slow_log));
    CHECK(fast_log == slow_log);
    CHECK(bids == bids2);
    CHECK(offers == offers2);
  }
}

TEST_CASE("continuous session: quantile levels and ranges as broadcast") {
  CHECK(quantile_levels{3}.assign(std::vector<double>{9, 8, 7, 6, 5, 4}) ==
        std::vector<std::uint32_t>{0, 0, 1, 1, 2, 2});
  CHECK(quantile_levels{3}.assign(std::vector<double>{9, 9, 9, 6, 5, 4}) ==
        std::vector<std::uint32_t>{0, 0, 0, 1, 2, 2});
  CHECK_THROWS_AS(quantile_levels{0}.assign(std::vector<double>{1}), bad_input);
  std::mt19937_64 rng(3);
  market m(rng, 9, 4);
  m.go(18, 10);
  const p2p_broadcast& shown = m.session.close_window(delivery);
  REQUIRE(shown.ranking.size() == 9);
  for (std::size_t r = 1; r < shown.ranking.size(); ++r)
    CHECK(shown.ranking[r - 1].reputation >= shown.ranking[r].reputation);
  for (const ranked_node& n : shown.ranking) {
    CHECK(n.range.size() == n.level + 1);  // own level and the levels above
    CHECK(m.session.reputation(n.node) == n.reputation);
  }
}
