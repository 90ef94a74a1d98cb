// Catalogue rows for market/curve_market.hpp (paper 002's curve-priced session): out-of-phase
// calls, replays and bad values. "Unchanged" is checked on every account's money, the curve's
// supply and reserve, and the number of trades.
#include "catalogue.hpp"

#include <evmarket/market/curve_market.hpp>

#include <map>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

using curve_session = curve_market_session<>;
constexpr trading_period evening{0, 37};  // 18:30-19:00, traded from 18:00
market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }

// The pool is id 1, the grid id 2, the user id 3 and the pile id 4; the user has bought 1 kWh on
// the curve and the pile rests a 3 kWh offer (order 2). `time` is where the clock ends.
curve_session session_at(market_time time) {
  curve_session s({kilowatt_hours(1000), tokens(250), 0.5}, catalogue_price_deviation(tokens_per_kwh(0.8)));
  const participant_id user = s.enrol("user"), pile = s.enrol("pile");
  s.clock().set(at(18, 0));
  static_cast<void>(s.submit(evening, market_order(order_id{1}, user, side::buy, kilowatt_hours(1))));
  static_cast<void>(s.submit(evening, limit_order(order_id{2}, pile, side::sell, tokens_per_kwh(0.9), kilowatt_hours(3))));
  s.clock().set(time);
  return s;
}
auto state_of(const curve_session& s) {
  return std::make_tuple(s.balances(), s.curve().state().supply.base(), s.curve().state().reserve.base(),
                         s.trades().size());
}
const std::string state = "balances, curve, trades";

const bool registered = evmarket_catalogue::add_section(100, "market curve session", [](section& s) {
  const participant_id user{3}, pile{4};
  const std::string submit = "curve_market_session::submit";
  s.on<phase_error>(
      submit, "after the trading window (18:30)", "submit", "day 0 18:30:00", [] { return session_at(at(18, 30)); },
      [user](curve_session& c) {
        static_cast<void>(c.submit(evening, market_order(order_id{5}, user, side::buy, kilowatt_hours(1))));
      },
      state_of, state);
  s.on<bad_input>(
      submit, "an order id already used in the period (replay)", "order.id", "1", [] { return session_at(at(18, 5)); },
      [user](curve_session& c) {
        static_cast<void>(c.submit(evening, market_order(order_id{1}, user, side::buy, kilowatt_hours(1))));
      },
      state_of, state);
  s.on<bad_input>(
      submit, "zero quantity", "order.quantity", "0", [] { return session_at(at(18, 5)); },
      [user](curve_session& c) {
        static_cast<void>(c.submit(evening, market_order(order_id{5}, user, side::buy, energy::zero())));
      },
      state_of, state);
  s.on<bad_input>(
      submit, "the pool as the owner", "order.owner", "1", [] { return session_at(at(18, 5)); },
      [](curve_session& c) {
        static_cast<void>(c.submit(evening, market_order(order_id{5}, c.pool(), side::buy, kilowatt_hours(1))));
      },
      state_of, state);
  s.on<bad_input>(
      submit, "limit order without a price", "order.limit_price", "0", [] { return session_at(at(18, 5)); },
      [user](curve_session& c) {
        static_cast<void>(c.submit(evening, limit_order(order_id{5}, user, side::buy, price::zero(), kilowatt_hours(1))));
      },
      state_of, state);
  s.on<bad_input>(
      "curve_market_session::cancel", "another participant's order", "owner", "3", [] { return session_at(at(18, 5)); },
      [user](curve_session& c) { static_cast<void>(c.cancel(evening, order_id{2}, user)); }, state_of, state);
  s.on<phase_error>(
      "curve_market_session::meter", "during delivery", "meter", "day 0 18:45:00", [] { return session_at(at(18, 45)); },
      [user](curve_session& c) { c.meter(evening, user, kilowatt_hours(1)); }, state_of, state);
  s.on<bad_input>(
      "curve_market_session::settle", "a trader without a meter reading", "participant", "3",
      [] { return session_at(at(19, 0)); }, [](curve_session& c) { static_cast<void>(c.settle(evening)); }, state_of,
      state);
  s.on<bad_input>(
      "curve_market_session::meter", "a second reading (replay)", "participant", "4",
      [pile] {
        curve_session c = session_at(at(19, 0));
        c.meter(evening, pile, energy::zero());
        return c;
      },
      [pile](curve_session& c) { c.meter(evening, pile, kilowatt_hours(1)); }, state_of, state);
  s.on<bad_input>(
      "curve_market_session::settle", "a settled period (replay)", "delivery", "day 0 period 37",
      [user] {
        curve_session c = session_at(at(19, 0));
        c.meter(evening, user, kilowatt_hours(1));
        static_cast<void>(c.settle(evening));
        return c;
      },
      [](curve_session& c) { static_cast<void>(c.settle(evening)); }, state_of, state);
  s.call<bad_input>("bancor_pricing::bancor_pricing", "weight above 1", "weight", "1.5",
                    [] { (void)bancor_pricing<>(kilowatt_hours(1), tokens(1), 1.5); });
  s.call<bad_input>("bancor_evm_pricing::bancor_evm_pricing", "weight above 10^6 ppm", "weight_ppm", "1000001",
                    [] { (void)bancor_evm_pricing(kilowatt_hours(1), tokens(1), 1'000'001); });
  s.call<bad_input>("catalogue_price_deviation::catalogue_price_deviation", "zero catalogue price", "catalogue", "0",
                    [] { (void)catalogue_price_deviation{price::zero()}; });
});

}  // namespace
