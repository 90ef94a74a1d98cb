// Catalogue rows for market/: the sessions' out-of-phase calls, replayed submissions and bad
// values. "Unchanged" is checked on what the session would settle: a copy of the session is
// driven through its remaining steps, and the settlement lines (and the credit of every user)
// before and after the failed call must be equal.
#include "catalogue.hpp"

#include "ledger_toy_crypto.hpp"

#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr trading_period evening{0, 37};  // 18:30-19:00, traded from 18:00
market_time at(int hour, int minute) { return market_time::at(0, hour, minute); }

using quota = quota_market_session<>;

// Stations A (id 2) and B (id 3), the operator is id 1; the session at `time` with the period
// brought as far as `step` says: 0 margin, 1 demands, 2 pre-allocation, 3 an order from A,
// 4 clearing.
quota quota_at(market_time time, int step) {
  quota s;
  const station_id a = s.enrol_station("A"), b = s.enrol_station("B");
  s.clock().set(at(18, 0));
  s.broadcast_margin(evening, kilowatts(60));
  if (step >= 1) {
    static_cast<void>(s.submit_demand(evening, a, kilowatts(50), tokens(5'000)));
    static_cast<void>(s.submit_demand(evening, b, kilowatts(30), tokens(5'000)));
  }
  if (step >= 2) {
    s.clock().set(at(18, 5));
    static_cast<void>(s.pre_allocate(evening));
  }
  if (step >= 3) {
    s.clock().set(at(18, 7));
    static_cast<void>(s.submit_order(evening, a, side::buy, kilowatt_hours(2), tokens_per_kwh(30)));
  }
  if (step >= 4) {
    s.clock().set(at(18, 10));
    static_cast<void>(s.clear(evening));
  }
  if (s.clock().now() < time) s.clock().set(time);
  return s;
}

// What a copy of the session settles when driven through its remaining steps.
auto settles(const quota& original) {
  quota s = original;
  const auto forward = [&](market_time t) { evmarket_catalogue::forward_clock(s, t); };
  using evmarket_catalogue::attempt;
  forward(at(18, 5));
  attempt([&] { static_cast<void>(s.pre_allocate(evening)); });
  forward(at(18, 10));
  attempt([&] { static_cast<void>(s.clear(evening)); });
  forward(at(19, 0));
  for (const std::uint64_t id : {std::uint64_t{2}, std::uint64_t{3}})
    attempt([&] { s.record_metering(evening, station_id{id}, kilowatt_hours(10)); });
  std::vector<std::tuple<std::uint64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>> lines;
  attempt([&] {
    for (const settlement_line& l : s.settle(evening).lines)
      lines.emplace_back(l.station.value, l.deposit.base(), l.metered.base(), l.auction_payment.base(),
                         l.final_quota.base());
  });
  return std::tuple(original.open_periods(), lines);
}

using reservations = reservation_market_session<toy::verifier>;

// A reservation market with station S (id 1) and user u (credit 5) holding a reservation of 10 kWh
// at S for 12:00-13:00; the clock at `time`.
reservations reservations_at(market_time time) {
  reservations s;
  const toy::signer station_key(1), user_key(2);
  const station_id station =
      s.enrol_station("S", bytes(station_key.public_key().begin(), station_key.public_key().end()));
  const user_id user = s.enrol_user("u", bytes(user_key.public_key().begin(), user_key.public_key().end()), 5.0);
  s.clock().set(at(9, 0));
  static_cast<void>(s.reserve(user, station, {0, 12}, kilowatt_hours(10)));
  if (s.clock().now() < time) s.clock().set(time);
  return s;
}

// What a copy settles for 12:00-13:00 and at the day's close: the user's credit after both.
auto credit_after(const reservations& original) {
  reservations s = original;
  try {
    if (s.clock().now() < market_time::at(1, 0, 0)) s.clock().set(market_time::at(1, 0, 0));
    static_cast<void>(s.settle({0, 12}));
    static_cast<void>(s.close_day(0));
  } catch (const evmarket::error&) {
  }
  return s.credit(user_id{1});
}

const bool registered = evmarket_catalogue::add_section(100, "market sessions", [](section& s) {
  const station_id a{2};
  // quota_market_session: the margin broadcast.
  s.on<phase_error>(
      "quota_market_session::broadcast_margin", "before 18:00 (its phase is 18:00-18:05)", "broadcast_margin",
      "day 0 17:59:00",
      [] {
        quota q;
        q.clock().set(at(17, 59));
        return q;
      },
      [](quota& q) { q.broadcast_margin(evening, kilowatts(60)); }, [](const quota& q) { return q.open_periods(); },
      "open periods");
  s.on<bad_input>(
      "quota_market_session::broadcast_margin", "negative margin", "margin", "-1",
      [] { return quota_at(at(18, 30), 4); },
      [](quota& q) {
        q.broadcast_margin({0, 38}, watts(-1));
      },
      settles, "what the session settles");
  s.on<bad_input>(
      "quota_market_session::broadcast_margin", "the same period again (replay)", "delivery", "day 0 period 37",
      [] { return quota_at(at(18, 1), 1); }, [](quota& q) { q.broadcast_margin(evening, kilowatts(60)); }, settles,
      "what the session settles");
  // Demand submission.
  s.on<phase_error>(
      "quota_market_session::submit_demand", "after 18:05", "submit_demand", "day 0 18:06:00",
      [] { return quota_at(at(18, 6), 0); },
      [a](quota& q) { static_cast<void>(q.submit_demand(evening, a, kilowatts(1), tokens(100))); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "the same station again (replay)", "station", "2",
      [] { return quota_at(at(18, 1), 1); },
      [a](quota& q) { static_cast<void>(q.submit_demand(evening, a, kilowatts(1), tokens(100))); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "negative demand", "demand", "-1", [] { return quota_at(at(18, 1), 0); },
      [a](quota& q) { static_cast<void>(q.submit_demand(evening, a, watts(-1), tokens(100))); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "negative deposit", "deposit", "-1", [] { return quota_at(at(18, 1), 0); },
      [a](quota& q) { static_cast<void>(q.submit_demand(evening, a, watts(1), micro_tokens(-1))); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "NaN credit", "credit", "NaN", [] { return quota_at(at(18, 1), 0); },
      [a](quota& q) { static_cast<void>(q.submit_demand(evening, a, watts(1), tokens(100), nan)); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "a station not enrolled", "station", "99",
      [] { return quota_at(at(18, 1), 0); },
      [](quota& q) { static_cast<void>(q.submit_demand(evening, station_id{99}, watts(1), tokens(100))); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "the operator as a station", "station", "1",
      [] { return quota_at(at(18, 1), 0); },
      [](quota& q) { static_cast<void>(q.submit_demand(evening, q.operator_account(), watts(1), tokens(100))); },
      settles, "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_demand", "a period never opened", "delivery", "day 0 period 39",
      [] { return quota_at(at(18, 1), 0); },
      [a](quota& q) {
        static_cast<void>(q.submit_demand({0, 39}, a, watts(1), tokens(100)));
      },
      settles, "what the session settles");
  // Pre-allocation, orders, clearing.
  s.on<phase_error>(
      "quota_market_session::pre_allocate", "during the demand phase", "pre_allocate", "day 0 18:04:00",
      [] { return quota_at(at(18, 4), 1); }, [](quota& q) { static_cast<void>(q.pre_allocate(evening)); }, settles,
      "what the session settles");
  s.on<phase_error>(
      "quota_market_session::submit_order", "after 18:10", "submit_order", "day 0 18:11:00",
      [] { return quota_at(at(18, 11), 2); },
      [a](quota& q) { static_cast<void>(q.submit_order(evening, a, side::buy, kilowatt_hours(1), tokens_per_kwh(9))); },
      settles, "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_order", "the same station again (replay)", "station", "2",
      [] { return quota_at(at(18, 8), 3); },
      [a](quota& q) { static_cast<void>(q.submit_order(evening, a, side::buy, kilowatt_hours(1), tokens_per_kwh(9))); },
      settles, "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_order", "zero quantity", "quantity", "0", [] { return quota_at(at(18, 8), 2); },
      [a](quota& q) { static_cast<void>(q.submit_order(evening, a, side::buy, watt_hours(0), tokens_per_kwh(9))); },
      settles, "what the session settles");
  s.on<bad_input>(
      "quota_market_session::submit_order", "negative limit", "limit", "-1", [] { return quota_at(at(18, 8), 2); },
      [a](quota& q) {
        static_cast<void>(q.submit_order(evening, a, side::sell, kilowatt_hours(1), micro_tokens_per_kwh(-1)));
      },
      settles, "what the session settles");
  s.on<phase_error>(
      "quota_market_session::clear", "during the bidding phase", "clear", "day 0 18:08:00",
      [] { return quota_at(at(18, 8), 3); }, [](quota& q) { static_cast<void>(q.clear(evening)); }, settles,
      "what the session settles");
  // Metering and settlement.
  s.on<bad_input>(
      "quota_market_session::record_metering", "negative energy", "metered", "-1",
      [] { return quota_at(at(18, 40), 4); }, [a](quota& q) { q.record_metering(evening, a, watt_hours(-1)); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::record_metering", "a second reading (replay)", "station", "2",
      [] {
        quota q = quota_at(at(18, 40), 4);
        q.record_metering(evening, station_id{2}, kilowatt_hours(10));
        return q;
      },
      [a](quota& q) { q.record_metering(evening, a, kilowatt_hours(20)); }, settles, "what the session settles");
  s.on<phase_error>(
      "quota_market_session::settle", "before delivery ends (19:00)", "settle", "day 0 18:59:00",
      [] { return quota_at(at(18, 59), 4); }, [](quota& q) { static_cast<void>(q.settle(evening)); }, settles,
      "what the session settles");
  s.on<bad_input>(
      "quota_market_session::settle", "a station without a meter reading", "station", "2",
      [] { return quota_at(at(19, 0), 4); }, [](quota& q) { static_cast<void>(q.settle(evening)); }, settles,
      "what the session settles");
  // reservation_market_session.
  s.on<phase_error>(
      "reservation_market_session::reserve", "after the period's trading started", "reserve", "day 0 11:00:00",
      [] { return reservations_at(at(11, 0)); },
      [](reservations& r) {
        static_cast<void>(r.reserve(user_id{1}, station_id{1}, {0, 12}, kilowatt_hours(1)));
      },
      credit_after, "the user's credit after settlement");
  s.on<bad_input>(
      "reservation_market_session::reserve", "the same user and period again (replay)", "user", "1",
      [] { return reservations_at(at(9, 30)); },
      [](reservations& r) {
        static_cast<void>(r.reserve(user_id{1}, station_id{1}, {0, 12}, kilowatt_hours(1)));
      },
      credit_after, "the user's credit after settlement");
  s.on<bad_input>(
      "reservation_market_session::reserve", "zero energy", "amount", "0", [] { return reservations_at(at(9, 30)); },
      [](reservations& r) {
        static_cast<void>(r.reserve(user_id{1}, station_id{1}, {0, 14}, watt_hours(0)));
      },
      credit_after, "the user's credit after settlement");
  s.on<bad_input>(
      "reservation_market_session::report", "NaN credit", "credit", "NaN", [] { return reservations_at(at(11, 1)); },
      [](reservations& r) {
        static_cast<void>(r.report({0, 12}, station_id{1}, kilowatts(10), nan));
      },
      credit_after, "the user's credit after settlement");
  s.on<bad_input>(
      "reservation_market_session::propose_charge", "a reservation that does not exist", "reservation", "7",
      [] { return reservations_at(at(12, 10)); },
      [](reservations& r) { static_cast<void>(r.propose_charge(7, station_id{1}, kilowatt_hours(1))); }, credit_after,
      "the user's credit after settlement");
  s.on<phase_error>(
      "reservation_market_session::close_day", "before the day ends", "close_day", "day 0 23:00:00",
      [] { return reservations_at(at(23, 0)); }, [](reservations& r) { static_cast<void>(r.close_day(0)); },
      credit_after, "the user's credit after settlement");
});

}  // namespace
