#pragma once
/// @file
/// What a station pays the operator for the energy it draws (paper 003 Step 6), as a policy. The
/// default is paper 003's time-of-use tariff (Table I) applied to the metered energy;
/// `initial_quota_fee` is the reading that reproduces Table IV's "charging service fee" column.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Everything a tariff may charge on, for one station in one delivery period.
struct tariff_basis {
  trading_period delivery;
  /// Minute of the day at which delivery starts, and its length in minutes.
  std::int32_t start_minute = 0;
  std::int32_t minutes = 0;
  /// The station's submitted demand and its initial quota (pre-allocation), as power.
  power demand;
  power initial_quota;
  /// The satisfaction rate of the pre-allocation (the exact initial share is beta x demand).
  satisfaction_rate beta;
  /// Energy the station may draw after the auction, and what its meter measured.
  energy final_quota;
  energy metered;
};

/// Tariff: the fee for one station's period, charged (rounded up), and the most it can be for a
/// station that draws no more than its demand (what a deposit must cover at submission).
template <class T>
concept Tariff = requires(const T& tariff, const tariff_basis& basis, std::int32_t minute_of_day) {
  { T::name } -> std::convertible_to<std::string_view>;
  { tariff.charge(basis) } -> std::same_as<money>;
  { tariff.worst_case(basis) } -> std::same_as<money>;
  { tariff.rate_at(minute_of_day) } -> std::same_as<price>;
};

/// A price per kWh for each time band of the day (minutes [start, end), bands may not overlap
/// and must cover the whole day). Charges metered energy at the rate of the band delivery starts in.
class time_of_use_tariff {
 public:
  static constexpr std::string_view name = "time-of-use tariff on metered energy";

  /// One band of the day.
  struct band {
    std::int32_t start_minute;
    std::int32_t end_minute;
    price rate;
  };

  /// Paper 003's Table I (see paper003()).
  time_of_use_tariff() : time_of_use_tariff(paper003_bands()) {}
  /// Throws bad_input unless the bands cover 0..1440 exactly once with non-negative rates.
  explicit time_of_use_tariff(std::vector<band> bands) : by_minute_(trading_calendar::minutes_per_day) {
    std::vector<int> covered(trading_calendar::minutes_per_day, 0);
    for (std::size_t i = 0; i < bands.size(); ++i) {
      const band& b = bands[i];
      if (b.start_minute < 0 || b.end_minute > trading_calendar::minutes_per_day || b.start_minute >= b.end_minute)
        throw bad_input(detail::element_field("bands", i), std::to_string(b.start_minute) + "-" +
                        std::to_string(b.end_minute), "must be a non-empty window of minutes within 0..1440");
      detail::require(!b.rate.is_negative(), detail::element_field("bands", i, "rate"), b.rate.base(),
                      "must not be negative (micro-Token/kWh)");
      for (std::int32_t m = b.start_minute; m < b.end_minute; ++m) {
        covered[static_cast<std::size_t>(m)] += 1;
        by_minute_[static_cast<std::size_t>(m)] = b.rate;
      }
    }
    for (std::size_t m = 0; m < covered.size(); ++m)
      if (covered[m] != 1)
        throw bad_input("bands", "minute " + std::to_string(m),
                        covered[m] == 0 ? "is in no band: the bands must cover the whole day"
                                        : "is in more than one band");
  }

  /// Paper 003 Table I. Its text extraction interleaves two rows; the reading consistent with
  /// Table IV (which charges 112 Token/kWh for 18:30-19:00) is: valley 22:00-6:00 at 32, flat
  /// 6:00-8:00 and 11:00-18:00 at 69, peak 8:00-11:00 and 18:00-22:00 at 112 Token/kWh.
  [[nodiscard]] static time_of_use_tariff paper003() { return time_of_use_tariff(paper003_bands()); }
  /// The bands of paper003().
  [[nodiscard]] static std::vector<band> paper003_bands() {
    const price valley = micro_tokens_per_kwh(32'000'000), flat = micro_tokens_per_kwh(69'000'000),
                peak = micro_tokens_per_kwh(112'000'000);
    return {{0, 360, valley}, {360, 480, flat}, {480, 660, peak}, {660, 1080, flat}, {1080, 1320, peak},
            {1320, 1440, valley}};
  }

  /// The rate in force at `minute_of_day` (0..1439).
  [[nodiscard]] price rate_at(std::int32_t minute_of_day) const {
    detail::require(minute_of_day >= 0 && minute_of_day < trading_calendar::minutes_per_day, "minute_of_day",
                    minute_of_day, "must lie in 0..1439");
    return by_minute_[static_cast<std::size_t>(minute_of_day)];
  }
  /// Metered energy at the delivery's rate, rounded up.
  [[nodiscard]] money charge(const tariff_basis& basis) const {
    return cost(rate_at(basis.start_minute), basis.metered, rounding::up);
  }
  /// The demand's energy over the period at the delivery's rate, rounded up.
  [[nodiscard]] money worst_case(const tariff_basis& basis) const {
    return cost(rate_at(basis.start_minute), energy_over(basis.demand, basis.minutes, rounding::up), rounding::up);
  }

 private:
  std::vector<price> by_minute_;
};

/// Paper 003 Table IV's "charging service fee": the time-of-use rate times the station's exact
/// initial share beta x P_i held for one hour (the table's A: 29.81538 kW x 112 = 3339.32 Token),
/// rounded up. It charges the pre-allocation, not the meter: use it to reproduce the table.
class initial_quota_fee {
 public:
  static constexpr std::string_view name = "initial quota x rate (paper 003 Table IV)";

  explicit initial_quota_fee(time_of_use_tariff rates = time_of_use_tariff{}) : rates_(std::move(rates)) {}

  [[nodiscard]] price rate_at(std::int32_t minute_of_day) const { return rates_.rate_at(minute_of_day); }
  [[nodiscard]] money charge(const tariff_basis& basis) const {
    // demand (W) x beta x rate (uToken/kWh) x 1 h / 1000 (W -> kW), exact in 128 bits.
    const satisfaction_rate beta = basis.beta.is_full() ? satisfaction_rate{1, 1} : basis.beta;
    const auto numerator =
        static_cast<detail::int128>(basis.demand.base()) * beta.numerator * rate_at(basis.start_minute).base();
    const auto denominator = static_cast<detail::int128>(beta.denominator) * power::scale;
    return micro_tokens(detail::narrow(detail::divide(numerator, denominator, rounding::up), "initial quota fee"));
  }
  [[nodiscard]] money worst_case(const tariff_basis& basis) const {
    return cost(rate_at(basis.start_minute), energy_over(basis.demand, 60, rounding::up), rounding::up);
  }

 private:
  time_of_use_tariff rates_;
};

static_assert(Tariff<time_of_use_tariff> && Tariff<initial_quota_fee>);

EVMARKET_END_NAMESPACE
