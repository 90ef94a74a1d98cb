#pragma once
/// @file
/// Internals of the day-ahead coordination: an EV's exact best response to period prices.
///
/// With quadratic discomfort the EV's optimality conditions make every period's power
/// x_t = clamp(a_t + mu, 0, cap) for one water level mu, where a_t is the period's preferred power
/// less its price over the discomfort weight. The total sum_t x_t is piecewise linear and
/// non-decreasing in mu with breakpoints at -a_t and cap - a_t, so sorting the a_t once yields
/// both breakpoint lists in order and a single sweep finds the exact level.

#include <evmarket/config.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace detail {

/// The water level mu with sum_t clamp(a_t + mu, 0, cap) = total, for 0 <= total <= size * cap.
/// `sorted` is scratch space of a's size.
inline double water_level(std::span<const double> a, double cap, double total, std::span<double> sorted) {
  const std::size_t m = a.size();
  std::copy(a.begin(), a.end(), sorted.begin());
  std::sort(sorted.begin(), sorted.end(), std::greater<>());  // largest a enters first
  // Entering breakpoints -sorted[e] ascend; saturating ones cap - sorted[s] ascend too.
  std::size_t entered = 0, saturated = 0;
  double free_sum = 0.0;  // sum of a over periods strictly between 0 and cap
  double level = m > 0 ? -sorted[0] : 0.0;
  while (saturated < m) {
    const double enter_at = entered < m ? -sorted[entered] : 0.0;
    const double saturate_at = cap - sorted[saturated];
    const bool enter_next = entered < m && enter_at <= saturate_at;
    const double next = enter_next ? enter_at : saturate_at;
    const auto free_count = static_cast<double>(entered - saturated);
    const double filled_at_next = static_cast<double>(saturated) * cap + free_sum + free_count * next;
    if (filled_at_next >= total) {
      if (free_count == 0.0) return next;
      return (total - static_cast<double>(saturated) * cap - free_sum) / free_count;
    }
    if (enter_next) {
      free_sum += sorted[entered];
      ++entered;
    } else {
      free_sum -= sorted[saturated];
      ++saturated;
    }
    level = next;
  }
  return level;
}

/// Fills x_t = clamp(a_t + mu, 0, cap) at the water level for `total`.
inline void water_fill(std::span<const double> a, double cap, double total, std::span<double> x,
                       std::span<double> scratch) {
  if (total <= 0.0) {
    std::fill(x.begin(), x.end(), 0.0);
    return;
  }
  const double level = water_level(a, cap, total, scratch);
  for (std::size_t t = 0; t < a.size(); ++t) x[t] = std::clamp(a[t] + level, 0.0, cap);
}

}  // namespace detail

EVMARKET_END_NAMESPACE
