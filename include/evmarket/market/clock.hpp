#pragma once
/// @file
/// Market time and the clock policy that sessions read it from. A session checks every call
/// against the phase its clock says it is in; tests and simulations drive a manual_clock, a
/// platform uses the wall clock (or its own, e.g. the block time of its chain).

#include <evmarket/core/error.hpp>

#include <chrono>
#include <compare>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <string>

EVMARKET_BEGIN_NAMESPACE

/// A point in market time: whole seconds since 00:00 of day 0 of the trading calendar.
struct market_time {
  std::int64_t seconds = 0;

  /// hh:mm:ss of day `day`; throws bad_input for a time outside the day.
  [[nodiscard]] static market_time at(std::int64_t day, std::int32_t hour, std::int32_t minute,
                                      std::int32_t second = 0) {
    detail::require(hour >= 0 && hour < 24, "hour", hour, "must lie in 0..23");
    detail::require(minute >= 0 && minute < 60, "minute", minute, "must lie in 0..59");
    detail::require(second >= 0 && second < 60, "second", second, "must lie in 0..59");
    detail::require(day >= 0 && day < (std::int64_t{1} << 40), "day", day, "must lie in 0..2^40");
    return {day * seconds_per_day + hour * 3600 + minute * 60 + second};
  }
  static constexpr std::int64_t seconds_per_day = 86400;

  /// The day (from 0) and the second within it.
  [[nodiscard]] constexpr std::int64_t day() const noexcept {
    return seconds >= 0 ? seconds / seconds_per_day : -((-seconds + seconds_per_day - 1) / seconds_per_day);
  }
  [[nodiscard]] constexpr std::int64_t second_of_day() const noexcept { return seconds - day() * seconds_per_day; }
  /// This time plus `delta` seconds.
  [[nodiscard]] constexpr market_time plus(std::int64_t delta) const noexcept { return {seconds + delta}; }
  /// "day 0 18:05:00", for messages.
  [[nodiscard]] std::string text() const {
    const std::int64_t s = second_of_day();
    char out[64];
    std::snprintf(out, sizeof out, "day %lld %02lld:%02lld:%02lld", static_cast<long long>(day()),
                  static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    return out;
  }

  friend constexpr auto operator<=>(market_time, market_time) noexcept = default;
  friend constexpr bool operator==(market_time, market_time) noexcept = default;
};

/// MarketClock: tells a session what time it is. A session holds its clock as a member, so a
/// manual clock is advanced through the session's clock() accessor.
template <class C>
concept MarketClock = requires(const C& clock) {
  { clock.now() } -> std::same_as<market_time>;
};

/// A clock that stands still until it is set or advanced: tests and simulations.
class manual_clock {
 public:
  constexpr manual_clock() noexcept = default;
  constexpr explicit manual_clock(market_time start) noexcept : now_(start) {}

  [[nodiscard]] constexpr market_time now() const noexcept { return now_; }
  /// Moves to `time`; a clock never runs backwards (bad_input).
  void set(market_time time) {
    detail::require(time >= now_, "time", time.text(), "is earlier than the clock's current time");
    now_ = time;
  }
  /// Moves forward by `seconds` (not negative).
  void advance(std::int64_t seconds) {
    detail::require(seconds >= 0, "seconds", seconds, "must not be negative");
    now_ = now_.plus(seconds);
  }

 private:
  market_time now_{};
};

/// The wall clock in UTC, with day 0 = 1970-01-01 (what a platform runs a live market on).
struct utc_clock {
  [[nodiscard]] market_time now() const {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return {std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count()};
  }
};

static_assert(MarketClock<manual_clock> && MarketClock<utc_clock>);

EVMARKET_END_NAMESPACE
