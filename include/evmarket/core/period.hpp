#pragma once
/// @file
/// Trading periods: a day divided into equal periods (paper 003 uses 48 half-hour periods;
/// energy for 18:30-19:00 is traded in 18:00-18:30).

#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>

#include <compare>
#include <cstdint>
#include <ostream>

EVMARKET_BEGIN_NAMESPACE

/// One trading period: the `slot`-th period of day `day` (both counted from 0).
struct trading_period {
  /// The day, counted from 0.
  std::int64_t day = 0;
  /// The period within the day, counted from 0.
  std::int32_t slot = 0;

  ///@{
  /// Ordered by day, then period.
  friend constexpr auto operator<=>(const trading_period&, const trading_period&) noexcept = default;
  friend constexpr bool operator==(const trading_period&, const trading_period&) noexcept = default;
  ///@}
  /// Prints "day D period P".
  friend std::ostream& operator<<(std::ostream& out, const trading_period& p) {
    return out << "day " << p.day << " period " << p.slot;
  }
};

/// A day's division into equal trading periods.
class trading_calendar {
public:
  /// Minutes in a day.
  static constexpr std::int32_t minutes_per_day = 24 * 60;

  /// `periods_per_day` must divide 1440 minutes evenly (48 gives half-hour periods).
  explicit trading_calendar(std::int32_t periods_per_day = 48) : periods_per_day_(periods_per_day) {
    detail::require(periods_per_day > 0 && minutes_per_day % periods_per_day == 0, "periods_per_day",
                    periods_per_day, "must be positive and divide the 1440 minutes of a day");
  }

  /// Number of periods in a day.
  [[nodiscard]] constexpr std::int32_t periods_per_day() const noexcept { return periods_per_day_; }
  /// Length of every period in minutes.
  [[nodiscard]] constexpr std::int32_t period_minutes() const noexcept { return minutes_per_day / periods_per_day_; }

  /// The period containing minute `minute_of_day` (0..1439) of day `day`.
  [[nodiscard]] trading_period period_at(std::int64_t day, std::int32_t minute_of_day) const {
    detail::require(minute_of_day >= 0 && minute_of_day < minutes_per_day, "minute_of_day", minute_of_day,
                    "must lie in 0..1439");
    return {day, minute_of_day / period_minutes()};
  }
  /// First minute of the day at which `p` starts.
  [[nodiscard]] std::int32_t start_minute(trading_period p) const {
    check(p);
    return p.slot * period_minutes();
  }
  /// The period after `p` (the one whose energy is traded during `p`).
  [[nodiscard]] trading_period next(trading_period p) const {
    check(p);
    return p.slot + 1 == periods_per_day_ ? trading_period{p.day + 1, 0} : trading_period{p.day, p.slot + 1};
  }
  /// Periods from the start of day 0: a single index for arrays over several days.
  [[nodiscard]] std::int64_t index(trading_period p) const {
    check(p);
    return detail::checked_add(detail::checked_mul(p.day, periods_per_day_), p.slot);
  }
  /// Energy a constant power delivers over one period, rounded as `mode` says.
  [[nodiscard]] energy energy_in_period(power p, rounding mode) const { return energy_over(p, period_minutes(), mode); }

private:
  void check(trading_period p) const {
    detail::require(p.slot >= 0 && p.slot < periods_per_day_, "period.slot", p.slot,
                    "must lie in 0..periods_per_day-1");
  }
  std::int32_t periods_per_day_;
};

EVMARKET_END_NAMESPACE
