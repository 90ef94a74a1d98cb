#pragma once
/// @file
/// Internals of bid-curve clearing: the breakpoint events of a set of curves and the search for
/// the price at which their total demand meets a capacity margin.

#include <evmarket/config.hpp>
#include <evmarket/detail/largest_remainder.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace detail {

/// One breakpoint of one curve, seen by the total demand D(lambda). For every price lambda at or
/// above `at`, the event adds slope * (lambda - at) - jump to D: a slope event changes the rate
/// at which demand falls (continuously), a jump event is a vertical step of the curve.
struct clearing_event {
  double at;
  double slope;
  double jump;
};

/// Where the total demand meets the margin.
struct clearing_point {
  /// The clearing price (micro-Token/kWh).
  double price = 0.0;
  /// Total demand just below the price (the upper end of a step) and at or just above it.
  double demand_below = 0.0;
  double demand_at = 0.0;
};

/// Finds the lowest price lambda >= 0 at which total demand is at most `margin`. `demand_at_zero`
/// is the demand for prices below every breakpoint; breakpoints at price 0 come folded in as
/// `jump_at_zero` (the total of steps at price 0) and `slope_from_zero` (the total slope of
/// segments starting there), which spares the common linear curve one event. The search partitions
/// the remaining events (which it reorders) around a pivot price, like quickselect, so it visits
/// each event an expected constant number of times instead of sorting them all; it ends on the exact
/// linear piece of D that crosses the margin, so no tolerance or iteration count is involved.
/// Precondition: demand_at_zero > margin and D(+inf) <= margin.
inline clearing_point find_clearing_point(std::vector<clearing_event>& events, double demand_at_zero,
                                          double jump_at_zero, double slope_from_zero, double margin) {
  if (demand_at_zero - jump_at_zero <= margin) return {0.0, demand_at_zero, demand_at_zero - jump_at_zero};
  double intercept = demand_at_zero - jump_at_zero;  // D(lambda) = intercept + slope * lambda over the events absorbed
  double slope = slope_from_zero;
  auto first = events.begin();
  auto last = events.end();
  double upper_price = -1.0;  // the lowest price known to clear (from a discarded pivot), if any
  double upper_demand_below = 0.0, upper_demand_at = 0.0;
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;  // fixed-seed pivot choice: the result never depends on it
  std::vector<double> sample;
  while (first != last) {
    const auto size = static_cast<std::uint64_t>(last - first);
    auto random_at = [&] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return (first + static_cast<std::ptrdiff_t>(state % size))->at;
    };
    // The median of a small sample splits large ranges nearly in half.
    sample.clear();
    const std::size_t sample_size = size > 4096 ? 63 : (size > 64 ? 7 : 1);
    for (std::size_t k = 0; k < sample_size; ++k) sample.push_back(random_at());
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(sample_size / 2), sample.end());
    const double pivot = sample[sample_size / 2];
    // One three-way pass: [first, lower_end) below the pivot, [lower_end, upper_begin) at it, the
    // rest above; the sums of the two lower groups are taken on the way.
    double below_intercept = 0.0, below_slope = 0.0, at_jump = 0.0, at_slope = 0.0;
    auto lower_end = first, scan = first, upper_begin = last;
    while (scan != upper_begin) {
      if (scan->at < pivot) {
        below_intercept -= scan->slope * scan->at + scan->jump;
        below_slope += scan->slope;
        std::iter_swap(lower_end++, scan++);
      } else if (scan->at > pivot) {
        std::iter_swap(scan, --upper_begin);
      } else {
        at_jump += scan->jump;
        at_slope += scan->slope;
        ++scan;
      }
    }
    const double demand_below = intercept + below_intercept + (slope + below_slope) * pivot;
    const double demand_at = demand_below - at_jump;
    if (demand_at > margin) {
      // Still too much demand at the pivot: the clearing price lies above it.
      intercept += below_intercept - at_slope * pivot - at_jump;
      slope += below_slope + at_slope;
      first = upper_begin;
    } else if (demand_below > margin) {
      // A step at the pivot crosses the margin.
      return {pivot, demand_below, demand_at};
    } else {
      // Demand already fits just below the pivot (D may even reach the margin and stay flat
      // there): the lowest clearing price is at or below it.
      upper_price = pivot;
      upper_demand_below = demand_below;
      upper_demand_at = demand_at;
      last = lower_end;
    }
  }
  // D is linear between the last absorbed event and the first discarded one and crosses the margin
  // inside that interval or at its upper end.
  if (slope < 0.0) {
    const double price = (intercept - margin) / -slope;
    // At (or, by rounding, past) the interval's end the crossing is that breakpoint itself, with
    // whatever step it has.
    if (upper_price >= 0.0 && price >= upper_price) return {upper_price, upper_demand_below, upper_demand_at};
    return {std::max(price, 0.0), margin, margin};
  }
  // A flat piece cannot cross the margin; only rounding gets here. The interval's end clears.
  return {std::max(upper_price, 0.0), upper_demand_below, upper_demand_at};
}

/// Rounds real-valued powers x[i] in [low_i, high_i] (integer bounds from `bounds(i)`) to whole
/// watts summing to `target`: floors first, then the watts left go one each to the largest
/// fractional parts, equal fractions to the lower index. Rounding error in x (a few ulps) is
/// absorbed by further passes that respect the bounds. Requires sum(low) <= target <= sum(high).
template <class Quantity, class Bounds>
void round_to_target(std::span<const double> x, std::int64_t target, std::span<Quantity> out, Bounds bounds) {
  const std::size_t n = x.size();
  std::vector<std::int64_t> whole(n);
  std::vector<double> fraction(n);
  std::int64_t leftover = target;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [low, high] = bounds(i);
    whole[i] = std::clamp(static_cast<std::int64_t>(x[i]), low, high);  // x >= 0: truncation floors
    // Only a power below its upper bound can take another watt.
    fraction[i] = whole[i] < high ? x[i] - static_cast<double>(whole[i]) : -1.0;
    leftover -= whole[i];
  }
  if (leftover > 0) {
    // The leftover largest fractions take a watt each, equal fractions in index order.
    std::size_t eligible = 0;
    for (const double f : fraction) eligible += f >= 0.0;
    const auto rank = static_cast<std::size_t>(std::min<std::int64_t>(leftover, static_cast<std::int64_t>(eligible)));
    award_largest_fractions(fraction, rank, [&](std::size_t i) { ++whole[i]; });
    leftover -= static_cast<std::int64_t>(rank);
    // Only rounding error in x leaves watts here: hand them out where the bounds allow.
    for (std::size_t i = 0; i < n && leftover > 0; ++i) {
      const std::int64_t give = std::min(bounds(i).second - whole[i], leftover);
      whole[i] += give;
      leftover -= give;
    }
  } else if (leftover < 0) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const double fa = x[a] - static_cast<double>(whole[a]), fb = x[b] - static_cast<double>(whole[b]);
      return fa != fb ? fa < fb : a > b;
    });
    // One watt at a time from the smallest fractions, so no power moves more than needed.
    for (bool progress = true; leftover < 0 && progress;) {
      progress = false;
      for (std::size_t c = 0; c < n && leftover < 0; ++c) {
        const std::size_t i = order[c];
        if (whole[i] <= bounds(i).first) continue;
        --whole[i];
        ++leftover;
        progress = true;
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = Quantity::from_base(whole[i]);
}

}  // namespace detail

EVMARKET_END_NAMESPACE
