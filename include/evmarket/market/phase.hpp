#pragma once
/// @file
/// The phases of a trading period and their deadlines. Energy for a delivery period is traded in
/// the period before it (paper 003: energy for 18:30-19:00 is traded in 18:00-18:30). Each phase
/// before delivery is a window of minutes from the start of that trading period; delivery is the
/// delivery period itself, and settlement opens when delivery ends. A session refuses a call
/// outside its phase with a phase_error that names the call, the phase, its window and the time.

#include <evmarket/core/error.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/market/clock.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

/// A phase of a trading period, in the order the papers run them.
enum class session_phase : std::uint8_t {
  margin,          ///< the operator broadcasts the capacity margin (paper 003 Step 1, 18:00)
  demand,          ///< stations submit demand and deposits, or report forecasts (18:00-18:05)
  allocation,      ///< the operator pre-allocates quotas (18:05-18:07)
  bidding,         ///< stations submit bids and offers for quota (18:07-18:10)
  clearing,        ///< the auction clears (18:10-18:15)
  peer_to_peer,    ///< paper 000's P2P matching of what is left (18:15-18:25)
  fee_settlement,  ///< paper 000's congestion fees (18:25-18:30)
  delivery,        ///< energy flows (the delivery period, 18:30-19:00)
  settlement,      ///< metering, payment, penalties, withdrawal (from the end of delivery)
};

/// The phase's name, for messages.
[[nodiscard]] constexpr std::string_view to_string(session_phase phase) noexcept {
  constexpr std::array<std::string_view, 9> names{"margin broadcast", "demand submission", "pre-allocation",
                                                  "bidding",          "clearing",          "peer-to-peer",
                                                  "fee settlement",   "delivery",          "settlement"};
  return names[static_cast<std::size_t>(phase)];
}

/// A call made outside the phase that accepts it; the session is unchanged.
class phase_error : public error {
 public:
  phase_error(std::string_view call, session_phase phase, const std::string& window, const market_time& now)
      : error(std::string(call) + " at " + now.text() + " is outside the " + std::string(to_string(phase)) +
              " phase (" + window + ")"),
        phase_(phase), now_(now) {}
  /// The phase the call belongs to, and when it was made.
  [[nodiscard]] session_phase phase() const noexcept { return phase_; }
  [[nodiscard]] market_time when() const noexcept { return now_; }

 private:
  session_phase phase_;
  market_time now_;
};

/// Minutes [start, end) from the start of the trading period.
struct phase_window {
  std::int32_t start_minute = 0;
  std::int32_t end_minute = 0;
};

/// When each pre-delivery phase is open, as minutes of the trading period; delivery and
/// settlement follow from the calendar. The defaults are paper 003's timeline with paper 000's
/// P2P and fee phases.
struct phase_schedule {
  phase_window margin{0, 5};
  phase_window demand{0, 5};
  phase_window allocation{5, 7};
  phase_window bidding{7, 10};
  phase_window clearing{10, 15};
  phase_window peer_to_peer{15, 25};
  phase_window fee_settlement{25, 30};

  /// Paper 003's (and 000's) timeline for half-hour periods.
  [[nodiscard]] static constexpr phase_schedule papers() noexcept { return {}; }

  /// The window of a pre-delivery phase.
  [[nodiscard]] constexpr phase_window window(session_phase phase) const noexcept {
    switch (phase) {
      case session_phase::margin: return margin;
      case session_phase::demand: return demand;
      case session_phase::allocation: return allocation;
      case session_phase::bidding: return bidding;
      case session_phase::clearing: return clearing;
      case session_phase::peer_to_peer: return peer_to_peer;
      case session_phase::fee_settlement: return fee_settlement;
      default: return {};
    }
  }

  /// Throws bad_input unless every window is non-empty and fits in a trading period of
  /// `period_minutes` minutes.
  void check(std::int32_t period_minutes) const {
    constexpr std::array phases{session_phase::margin,   session_phase::demand,       session_phase::allocation,
                                session_phase::bidding,  session_phase::clearing,     session_phase::peer_to_peer,
                                session_phase::fee_settlement};
    for (const session_phase phase : phases) {
      const phase_window w = window(phase);
      if (w.start_minute < 0 || w.end_minute <= w.start_minute || w.end_minute > period_minutes)
        throw bad_input("schedule." + std::string(to_string(phase)),
                        std::to_string(w.start_minute) + "-" + std::to_string(w.end_minute),
                        "must be a non-empty window of minutes within the " + std::to_string(period_minutes) +
                            "-minute trading period");
    }
  }
};

/// Where a delivery period's phases fall in market time: the calendar and schedule applied to one
/// delivery period.
class period_timeline {
 public:
  period_timeline(const trading_calendar& calendar, const phase_schedule& schedule, trading_period delivery)
      : schedule_(schedule), minutes_(calendar.period_minutes()) {
    const std::int64_t index = calendar.index(delivery);
    detail::require(index >= 1, "delivery", "day 0 period 0", "has no trading period before it");
    delivery_start_ = index * minutes_ * 60;
    trading_start_ = delivery_start_ - std::int64_t{minutes_} * 60;
  }

  /// Throws phase_error unless `now` lies in `phase`.
  void require(session_phase phase, std::string_view call, market_time now) const {
    const auto [from, to] = bounds(phase);
    if (now.seconds < from || (to >= 0 && now.seconds >= to)) throw phase_error(call, phase, describe(phase), now);
  }
  /// True when `now` lies in `phase`.
  [[nodiscard]] bool contains(session_phase phase, market_time now) const {
    const auto [from, to] = bounds(phase);
    return now.seconds >= from && (to < 0 || now.seconds < to);
  }
  /// Start of the trading period and of delivery, and the delivery's length in minutes.
  [[nodiscard]] market_time trading_start() const noexcept { return {trading_start_}; }
  [[nodiscard]] market_time delivery_start() const noexcept { return {delivery_start_}; }
  [[nodiscard]] market_time delivery_end() const noexcept { return {delivery_start_ + std::int64_t{minutes_} * 60}; }
  [[nodiscard]] std::int32_t minutes() const noexcept { return minutes_; }

 private:
  // [from, to) in seconds; to < 0 means open-ended (settlement).
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> bounds(session_phase phase) const {
    if (phase == session_phase::delivery) return {delivery_start_, delivery_end().seconds};
    if (phase == session_phase::settlement) return {delivery_end().seconds, -1};
    const phase_window w = schedule_.window(phase);
    return {trading_start_ + std::int64_t{w.start_minute} * 60, trading_start_ + std::int64_t{w.end_minute} * 60};
  }
  [[nodiscard]] std::string describe(session_phase phase) const {
    const auto [from, to] = bounds(phase);
    const std::string start = market_time{from}.text();
    return to < 0 ? "from " + start : start + " to " + market_time{to}.text();
  }

  phase_schedule schedule_;
  std::int32_t minutes_;
  std::int64_t trading_start_ = 0;
  std::int64_t delivery_start_ = 0;
};

EVMARKET_END_NAMESPACE
