// Catalogue rows for market/continuous_market.hpp (session C, paper 000): out-of-phase calls,
// replays and bad values. "Unchanged" is checked on what the session would settle: a copy is
// driven through its remaining steps, and the balances, the operator's fees, the period report
// and the nodes' reputations before and after the failed call must be equal.
#include "catalogue.hpp"

#include "ledger_toy_crypto.hpp"

#include <limits>
#include <map>
#include <tuple>
#include <vector>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr trading_period evening{0, 37};  // 18:30-19:00, traded from 18:00
market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }

using continuous = continuous_market_session<toy::verifier>;

// Nodes a (id 1, bus 1), b (id 2, bus 2), c (id 3, bus 1) and d (id 4, enrolled, not placed);
// the period brought as far as `step` says: 1 orders (a buys 2 kWh at 25 from b's 3 kWh at 20,
// c bids 1 kWh at 10), 2 the window closed, 3 a first P2P round; the clock at `time`.
continuous continuous_at(market_time time, int step) {
  const std::vector<feeder_line> lines{{0, 1, kilowatts(100)}, {0, 2, kilowatts(100)}};
  continuous s(radial_feeder(3, lines, kilowatts(1000)));
  for (std::uint8_t k = 1; k <= 4; ++k) {
    const toy::signer key(k);
    const participant_id id = s.enrol_node(std::string(1, static_cast<char>('a' + k - 1)),
                                           bytes(key.public_key().begin(), key.public_key().end()), 5.0);
    if (k < 4) s.network().place(id, k == 2 ? 2 : 1);
  }
  if (step >= 1) {
    s.clock().set(at(18, 7));
    static_cast<void>(s.submit_order(evening, participant_id{2}, side::sell, tokens_per_kwh(20), kilowatt_hours(3)));
    static_cast<void>(s.submit_order(evening, participant_id{1}, side::buy, tokens_per_kwh(25), kilowatt_hours(2)));
    static_cast<void>(s.submit_order(evening, participant_id{3}, side::buy, tokens_per_kwh(10), kilowatt_hours(1)));
  }
  if (step >= 2) {
    s.clock().set(at(18, 10));
    static_cast<void>(s.close_window(evening));
  }
  if (step >= 3) {
    s.clock().set(at(18, 15));
    static_cast<void>(s.run_round(evening));
  }
  if (s.clock().now() < time) s.clock().set(time);
  return s;
}

// What a copy settles when driven through its remaining steps (every trader delivers in full).
auto settles(const continuous& original) {
  continuous s = original;
  const auto forward = [&](market_time t) { evmarket_catalogue::forward_clock(s, t); };
  using evmarket_catalogue::attempt;
  forward(at(18, 10));
  attempt([&] { static_cast<void>(s.close_window(evening)); });
  forward(at(18, 25));
  attempt([&] { static_cast<void>(s.settle_fees(evening)); });
  continuous_period_report report;
  attempt([&] {
    std::map<participant_id, energy> traded;
    for (const trade& t : s.trades(evening)) {
      traded[t.buyer] += t.quantity;
      traded[t.seller] += t.quantity;
    }
    std::vector<delivery_reading> readings;
    for (const auto& [node, q] : traded) readings.push_back({node, q});
    forward(at(19, 0));
    report = s.settle(evening, readings);
  });
  std::vector<double> reputations;
  for (std::uint64_t id = 1; id <= 4; ++id) reputations.push_back(s.reputation(participant_id{id}));
  return std::tuple(s.balances(), s.operator_balance(), report, reputations);
}

std::vector<delivery_reading> readings_of(std::vector<std::pair<std::uint64_t, std::int64_t>> values) {
  std::vector<delivery_reading> readings;
  for (const auto& [id, wh] : values) readings.push_back({participant_id{id}, watt_hours(wh)});
  return readings;
}

const std::string unchanged = "what the session settles";

void enrolment_and_window(section& s) {
  s.on<bad_input>(
      "continuous_market_session::enrol_node", "reputation above the cap", "reputation", "11",
      [] { return continuous_at(at(18, 0), 0); },
      [](continuous& c) { static_cast<void>(c.enrol_node("e", bytes{1}, 11.0)); }, settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::enrol_node", "a name already enrolled", "name", "a",
      [] { return continuous_at(at(18, 0), 0); },
      [](continuous& c) { static_cast<void>(c.enrol_node("a", bytes{1}, 5.0)); }, settles, unchanged);
  s.on<phase_error>(
      "continuous_market_session::submit_order", "after 18:10", "submit_order", "day 0 18:11:00",
      [] { return continuous_at(at(18, 11), 1); },
      [](continuous& c) {
        static_cast<void>(c.submit_order(evening, participant_id{1}, side::buy, tokens_per_kwh(9), kilowatt_hours(1)));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::submit_order", "zero quantity", "quantity", "0",
      [] { return continuous_at(at(18, 8), 1); },
      [](continuous& c) {
        static_cast<void>(c.submit_order(evening, participant_id{1}, side::buy, tokens_per_kwh(9), watt_hours(0)));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::submit_order", "negative limit", "limit", "-1",
      [] { return continuous_at(at(18, 8), 1); },
      [](continuous& c) {
        static_cast<void>(
            c.submit_order(evening, participant_id{1}, side::sell, micro_tokens_per_kwh(-1), kilowatt_hours(1)));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::submit_order", "a node not enrolled", "node", "99",
      [] { return continuous_at(at(18, 8), 1); },
      [](continuous& c) {
        static_cast<void>(c.submit_order(evening, participant_id{99}, side::buy, tokens_per_kwh(9), kilowatt_hours(1)));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::submit_order", "a node the feeder has not placed", "participant", "4",
      [] { return continuous_at(at(18, 8), 1); },
      [](continuous& c) {
        static_cast<void>(c.submit_order(evening, participant_id{4}, side::buy, tokens_per_kwh(30), kilowatt_hours(1)));
      },
      settles, unchanged);
  s.on<phase_error>(
      "continuous_market_session::close_window", "during the bidding phase", "close_window", "day 0 18:08:00",
      [] { return continuous_at(at(18, 8), 1); }, [](continuous& c) { static_cast<void>(c.close_window(evening)); },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::close_window", "the same period again (replay)", "delivery", "day 0 period 37",
      [] { return continuous_at(at(18, 11), 2); }, [](continuous& c) { static_cast<void>(c.close_window(evening)); },
      settles, unchanged);
}

void p2p_and_settlement(section& s) {
  s.on<bad_input>(
      "continuous_market_session::run_round", "before the window closed", "delivery", "day 0 period 37",
      [] { return continuous_at(at(18, 16), 1); }, [](continuous& c) { static_cast<void>(c.run_round(evening)); },
      settles, unchanged);
  s.on<phase_error>(
      "continuous_market_session::run_round", "after 18:25", "run_round", "day 0 18:26:00",
      [] { return continuous_at(at(18, 26), 3); }, [](continuous& c) { static_cast<void>(c.run_round(evening)); },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::adjust_quote", "a quote that is not open", "quote", "999",
      [] { return continuous_at(at(18, 16), 3); },
      [](continuous& c) { c.adjust_quote(evening, order_id{999}, tokens_per_kwh(20), kilowatt_hours(1)); }, settles,
      unchanged);
  s.on<bad_input>(
      "continuous_market_session::adjust_quote", "more volume than the quote has open", "volume", "2000",
      [] { return continuous_at(at(18, 16), 3); },
      [](continuous& c) { c.adjust_quote(evening, order_id{1}, tokens_per_kwh(20), kilowatt_hours(2)); }, settles,
      unchanged);
  s.on<bad_input>(
      "continuous_market_session::adjust_quote", "zero price", "limit", "0",
      [] { return continuous_at(at(18, 16), 3); },
      [](continuous& c) { c.adjust_quote(evening, order_id{1}, price::zero(), kilowatt_hours(1)); }, settles,
      unchanged);
  s.on<bad_input>(
      "continuous_market_session::confirm", "a trade the round did not propose", "deal", "orders 3/1",
      [] { return continuous_at(at(18, 16), 3); },
      [](continuous& c) {
        confirmed_trade t;
        t.deal = priced_trade(order_id{3}, order_id{1}, participant_id{3}, participant_id{2}, kilowatt_hours(1),
                              tokens_per_kwh(15), tokens_per_kwh(15));
        t.period = evening;
        static_cast<void>(c.confirm(t));
      },
      settles, unchanged);
  s.on<phase_error>(
      "continuous_market_session::settle_fees", "during the P2P phase", "settle_fees", "day 0 18:20:00",
      [] { return continuous_at(at(18, 20), 3); }, [](continuous& c) { static_cast<void>(c.settle_fees(evening)); },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::settle_fees", "the same period again (replay)", "delivery", "day 0 period 37",
      [] {
        continuous c = continuous_at(at(18, 25), 3);
        static_cast<void>(c.settle_fees(evening));
        return c;
      },
      [](continuous& c) { static_cast<void>(c.settle_fees(evening)); }, settles, unchanged);
  s.on<phase_error>(
      "continuous_market_session::settle", "during delivery", "settle", "day 0 18:45:00",
      [] { return continuous_at(at(18, 45), 3); },
      [](continuous& c) {
        static_cast<void>(c.settle(evening, readings_of({{1, 2000}, {2, 2000}})));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::settle", "a trader without a reading", "readings", "node 2",
      [] { return continuous_at(at(19, 0), 3); },
      [](continuous& c) {
        static_cast<void>(c.settle(evening, readings_of({{1, 2000}})));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::settle", "a negative reading", "readings[1].delivered", "-1",
      [] { return continuous_at(at(19, 0), 3); },
      [](continuous& c) {
        static_cast<void>(c.settle(evening, readings_of({{1, 2000}, {2, -1}})));
      },
      settles, unchanged);
  s.on<bad_input>(
      "continuous_market_session::settle", "a reading of a node that did not trade", "readings[2].node", "3",
      [] { return continuous_at(at(19, 0), 3); },
      [](continuous& c) {
        static_cast<void>(c.settle(evening, readings_of({{1, 2000}, {2, 2000}, {3, 0}})));
      },
      settles, unchanged);
  s.call<bad_input>("quantile_levels::assign", "zero levels", "count", "0",
                    [] { static_cast<void>(quantile_levels{0}.assign(std::vector<double>{1.0})); });
}

const bool registered = evmarket_catalogue::add_section(110, "market continuous session", [](section& s) {
  enrolment_and_window(s);
  p2p_and_settlement(s);
});

}  // namespace
