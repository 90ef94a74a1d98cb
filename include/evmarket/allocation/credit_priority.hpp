#pragma once
/// @file
/// Credit-priority allocation (paper 001, Step 4): when the stations' demand exceeds the capacity
/// margin, stations whose users are more creditworthy are served first. Two readings:
/// inverse_credit_curtailment (each station's curtailment inversely proportional to its
/// creditworthiness, by water-filling; the reading that fits paper 001's Table I) and
/// strict_credit_priority (serve in credit order until the margin is used).
///
/// Credits are real-valued (station_request::credit, a double); the quotas are exact watts.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/core/error.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace detail {

/// Every credit-priority rule needs each credit finite and positive.
inline void validate_credits(std::span<const station_request> requests) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const double credit = requests[i].credit;
    if (!std::isfinite(credit) || credit <= 0.0)
      throw bad_input(element_field("requests", i, "credit"), describe(credit),
                      "must be a finite positive creditworthiness");
  }
}

}  // namespace detail

/// Curtailment inversely proportional to creditworthiness, by water-filling. The excess
/// E = total demand - capacity is curtailed one watt at a time, each watt from the station whose
/// curtailment-times-credit after the cut would be least: the k-th watt cut from station i has
/// the level k * C_i (computed as a double product), and the E lowest levels are cut, equal
/// levels from the later request first. So curtailment_i * C_i is levelled across the stations
/// that are not cut to zero, which is curtailment_i = lambda / C_i clipped to [0, demand_i] in
/// exact watts (a divisor method of apportionment applied to the curtailment).
///
/// Guarantees: quotas sum to exactly the capacity when it binds (to the total demand otherwise),
/// no quota is negative or above its demand, the result is deterministic, and a station never
/// gets less by having more credit (raising C_i raises all of its levels and nobody else's), and
/// nobody else gains when it does. Against the real-valued water-filling q_i, each quota lies in
/// [q_i - (n - 1) W, q_i + 1 W], and in practice within a watt. A rounding that is monotone in
/// this way cannot always stay within one watt of q_i (Balinski and Young's impossibility theorem
/// for apportionment), which is why this is a divisor method and not largest remainders.
/// Demands must not exceed 2^53 W (9 TW), so that every watt count is exact in a double; credits
/// more than 2^1022 times smaller than the largest are treated as that ratio.
///
/// Cost: O(n) per pass over the stations, about a dozen passes (a few Newton steps for the
/// continuous level, three exact counts, one final pass) and a selection among O(sqrt n) levels.
struct inverse_credit_curtailment {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "curtailment inversely proportional to credit";

  /// Shares `capacity` among `requests` as the rule above says; throws bad_input for invalid requests.
  [[nodiscard]] allocation allocate(power capacity, std::span<const station_request> requests) const {
    const power total = detail::validate_allocation_input(capacity, requests);
    detail::validate_credits(requests);
    for (std::size_t i = 0; i < requests.size(); ++i)
      if (requests[i].demand.base() > max_demand)
        throw bad_input(detail::element_field("requests", i, "demand"), detail::describe(requests[i].demand.base()),
                        "must not exceed 2^53 W for credit-priority curtailment");
    if (total <= capacity) return detail::grant_all(capacity, total, requests);
    return curtail(capacity, total, requests);
  }

 private:
  static constexpr std::int64_t max_demand = std::int64_t{1} << 53;

  struct station_view {
    double demand;   // watts, exact (<= 2^53)
    double credit;   // scaled by a power of two: same ordering of levels, no overflow
    double inverse;  // 1 / credit, for estimates only (every count is settled by exact comparisons)
  };

  // Watts of station s whose level k * credit is <= lambda: the largest k in [0, demand] with
  // fl(k * credit) <= lambda. fl(k * c) is nondecreasing in k, so the estimate lambda / credit
  // needs only a step or two of correction.
  static std::int64_t cut_at(const station_view& s, double lambda) {
    const double estimate = std::floor(lambda * s.inverse);
    auto k = static_cast<std::int64_t>(std::clamp(estimate, 0.0, s.demand));
    const auto demand = static_cast<std::int64_t>(s.demand);
    while (k < demand && static_cast<double>(k + 1) * s.credit <= lambda) ++k;
    while (k > 0 && static_cast<double>(k) * s.credit > lambda) --k;
    return k;
  }

  struct count {
    std::int64_t cut;   // watts with level <= lambda, exactly
    double continuous;  // sum_i min(d_i, lambda / C_i), the real-valued water-filling's cut
  };
  static count count_at(std::span<const station_view> stations, double lambda) {
    count total{0, 0.0};
    for (const station_view& s : stations) {
      total.cut += cut_at(s, lambda);
      total.continuous += std::min(s.demand, lambda * s.inverse);
    }
    return total;
  }

  struct water_level_at {
    double lambda;  // the level
    double slope;   // d/dlambda of the continuous cut just above it: sum of 1 / C_i not yet cut to zero
  };

  // Continuous water level: lambda with sum_i min(d_i, lambda / C_i) = target. That sum is concave
  // and piecewise linear in lambda, so Newton's method from 0 approaches the root from below and
  // ends on its linear piece after a few steps; the step cap only bounds adversarial inputs (the
  // exact phase below does not depend on this estimate being accurate).
  static water_level_at water_level(std::span<const station_view> stations, double target) {
    water_level_at at{0.0, 0.0};
    for (int step = 0; step < 64; ++step) {
      // Four partial sums break the chain of dependent additions.
      double cut_part[4] = {0, 0, 0, 0}, slope_part[4] = {0, 0, 0, 0};
      for (std::size_t i = 0; i < stations.size(); ++i) {
        const station_view& s = stations[i];
        const bool saturated = at.lambda >= s.demand * s.credit;
        cut_part[i % 4] += saturated ? s.demand : at.lambda * s.inverse;
        slope_part[i % 4] += saturated ? 0.0 : s.inverse;
      }
      const double cut = (cut_part[0] + cut_part[1]) + (cut_part[2] + cut_part[3]);
      at.slope = (slope_part[0] + slope_part[1]) + (slope_part[2] + slope_part[3]);
      if (at.slope == 0.0 || cut >= target) break;
      const double next = at.lambda + (target - cut) / at.slope;
      if (!(next > at.lambda)) break;
      at.lambda = next;
    }
    return at;
  }

  static allocation curtail(power capacity, power total, std::span<const station_request> requests) {
    const std::size_t n = requests.size();
    const std::int64_t excess = total.base() - capacity.base();

    double max_credit = 0.0;
    for (const station_request& r : requests) max_credit = std::max(max_credit, r.credit);
    int exponent = 0;
    (void)std::frexp(max_credit, &exponent);
    std::vector<station_view> stations(n);
    double top_level = 0.0;  // every watt of every station is cut at this level
    for (std::size_t i = 0; i < n; ++i) {
      // A power-of-two scale is exact, so the levels keep their order; only credits below 2^-1022
      // of the largest (far outside any real use) are raised to the smallest normal double.
      const double credit = std::max(std::ldexp(requests[i].credit, -exponent), std::numeric_limits<double>::min());
      stations[i] = {static_cast<double>(requests[i].demand.base()), credit, 1.0 / credit};
      top_level = std::max(top_level, stations[i].demand * stations[i].credit);
    }

    // Bracket the level of the excess-th cut watt: count(low) <= excess <= count(high), with
    // every end verified by an exact count. Counting whole watts loses less than one watt per
    // station against the continuous water-filling; the loss measured at the continuous level
    // predicts the count near it to within a few sqrt(n) watts, so two more counts place a tight
    // bracket. The safe ends remain the fallback: no watt has a level of 0 and every watt has a
    // level <= top_level.
    const auto excess_w = static_cast<double>(excess);
    const water_level_at continuous = water_level(stations, excess_w);
    double low = 0.0, high = top_level;
    std::int64_t cut_low = 0, cut_high = total.base();
    auto tighten = [&](double level) {
      if (!(level > low && level < high)) return count{-1, 0.0};
      const count counted = count_at(stations, level);
      if (counted.cut <= excess) {
        low = level;
        cut_low = counted.cut;
      } else {
        high = level;
        cut_high = counted.cut;
      }
      return counted;
    };
    const count at_continuous = tighten(std::min(continuous.lambda, top_level));
    const double margin = 8.0 * std::sqrt(static_cast<double>(n)) + 64.0;
    if (at_continuous.cut >= 0 && continuous.slope > 0.0) {
      const double loss = at_continuous.continuous - static_cast<double>(at_continuous.cut);
      const double below = continuous.lambda + (loss - margin) / continuous.slope;
      const double above = continuous.lambda + (loss + margin) / continuous.slope;
      tighten(below);
      tighten(above);
    }

    // Narrow the bracket until few cut watts lie between its ends; bisection on the level halves
    // it each time and stops once the levels are adjacent doubles.
    const auto few = static_cast<std::int64_t>(4.0 * margin);
    while (cut_high - cut_low > few && cut_low < excess) {
      const double middle = low + (high - low) / 2;
      if (!(middle > low && middle < high)) break;
      const std::int64_t cut_middle = count_at(stations, middle).cut;
      if (cut_middle <= excess) {
        low = middle;
        cut_low = cut_middle;
      } else {
        high = middle;
        cut_high = cut_middle;
      }
    }

    // Cut every watt at or below `low`; the remaining ones are the lowest levels in (low, high].
    struct candidate {
      double level;
      std::size_t station;
    };
    std::vector<candidate> candidates;
    const std::int64_t still = excess - cut_low;
    if (still > 0) candidates.reserve(static_cast<std::size_t>(std::min<std::int64_t>(cut_high - cut_low, few)));
    std::vector<std::int64_t> cut(n);
    for (std::size_t i = 0; i < n; ++i) {
      cut[i] = cut_at(stations[i], low);
      if (still == 0) continue;
      const auto demand = static_cast<std::int64_t>(stations[i].demand);
      for (std::int64_t k = cut[i] + 1; k <= demand; ++k) {
        const double level = static_cast<double>(k) * stations[i].credit;
        if (level > high) break;
        candidates.push_back({level, i});
      }
    }
    if (still > 0) {
      // Lower level first; on equal levels the later request is cut first.
      auto cut_first = [](const candidate& a, const candidate& b) {
        return a.level != b.level ? a.level < b.level : a.station > b.station;
      };
      const auto needed = static_cast<std::ptrdiff_t>(still);
      std::nth_element(candidates.begin(), candidates.begin() + (needed - 1), candidates.end(), cut_first);
      for (std::ptrdiff_t c = 0; c < needed; ++c) ++cut[candidates[static_cast<std::size_t>(c)].station];
    }

    allocation result{{}, capacity, total, capacity, {capacity.base(), total.base()}};
    result.quotas.reserve(n);
    for (std::size_t i = 0; i < n; ++i) result.quotas.push_back(watts(requests[i].demand.base() - cut[i]));
    return result;
  }
};

/// Strict priority: stations are served in order of decreasing creditworthiness (equal credit:
/// the earlier request first), each in full, until the margin runs out; the station at which it
/// runs out gets the rest, and those after it nothing. Quotas sum to exactly the capacity when
/// it binds; no quota exceeds its demand; a station never gets less by having more credit.
struct strict_credit_priority {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "strict credit priority";

  /// Shares `capacity` among `requests` as the rule above says; throws bad_input for invalid requests.
  [[nodiscard]] allocation allocate(power capacity, std::span<const station_request> requests) const {
    const power total = detail::validate_allocation_input(capacity, requests);
    detail::validate_credits(requests);
    if (total <= capacity) return detail::grant_all(capacity, total, requests);

    allocation result{
        std::vector<power>(requests.size(), power::zero()), capacity, total, capacity, {capacity.base(), total.base()}};
    std::vector<entry> order(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) order[i] = {requests[i].credit, i};
    std::int64_t left = capacity.base();
    auto grant = [&](const entry& e) {
      const std::int64_t amount = std::min(left, requests[e.index].demand.base());
      result.quotas[e.index] = watts(amount);
      left -= amount;
    };
    // Only the station where the margin runs out matters, so a weighted quickselect finds it in
    // expected linear time instead of sorting everyone; after too many rounds (an adversarial
    // order) the rest is sorted, which bounds the worst case by O(n log n).
    auto first = order.begin(), last = order.end();
    int rounds_left = 2 * static_cast<int>(std::bit_width(requests.size())) + 8;
    while (first != last && left > 0) {
      if (rounds_left-- == 0) {
        std::sort(first, last, ahead);
        for (auto it = first; it != last && left > 0; ++it) grant(*it);
        break;
      }
      const entry pivot = median_of_three(*first, *(first + (last - first) / 2), *(last - 1));
      const auto middle = std::partition(first, last, [&](const entry& e) { return ahead(e, pivot); });
      std::int64_t front = 0;
      for (auto it = first; it != middle; ++it) front += requests[it->index].demand.base();
      if (front > left) {  // the margin runs out ahead of the pivot
        last = middle;
        continue;
      }
      for (auto it = first; it != middle; ++it) grant(*it);
      std::iter_swap(middle, std::find_if(middle, last, [&](const entry& e) { return e.index == pivot.index; }));
      grant(pivot);
      first = middle + 1;
    }
    return result;
  }

 private:
  struct entry {
    double credit;
    std::size_t index;
  };
  // Served earlier: higher credit, then the earlier request.
  static bool ahead(const entry& a, const entry& b) noexcept {
    return a.credit != b.credit ? a.credit > b.credit : a.index < b.index;
  }
  static entry median_of_three(const entry& a, const entry& b, const entry& c) noexcept {
    if (ahead(a, b)) return ahead(b, c) ? b : (ahead(a, c) ? c : a);
    return ahead(a, c) ? a : (ahead(b, c) ? c : b);
  }
};

static_assert(AllocationRule<inverse_credit_curtailment>);
static_assert(AllocationRule<strict_credit_priority>);

EVMARKET_END_NAMESPACE
