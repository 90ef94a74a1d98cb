#pragma once
/// @file
/// Proportional allocation by the satisfaction rate beta (paper 003 eq. 1-2): every station gets
/// the same fraction beta = capacity / total demand of its demand, rounded to whole watts by the
/// largest-remainder method so the quotas sum to exactly the capacity.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/detail/checked.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Paper 003's beta rule. When the total demand fits, every station gets its demand (beta = 1).
/// Otherwise station i gets floor(beta * P_i) watts, and the watts those floors leave unassigned
/// go one each to the stations with the largest remainders (Hamilton's method); equal remainders
/// go to the earlier request. Hence: quotas sum to exactly the capacity, no quota exceeds its
/// demand, and every quota is within one watt of beta * P_i.
struct proportional_allocation {
  static constexpr std::string_view name = "proportional (beta)";

  [[nodiscard]] allocation allocate(power capacity, std::span<const station_request> requests) const {
    const power total = detail::validate_allocation_input(capacity, requests);
    if (total <= capacity) return detail::grant_all(capacity, total, requests);
    return curtail(capacity, total, requests);
  }

private:
  // Remainders are bucketed by their leading bits so the largest ones can be found in linear time
  // (a full sort of a million remainders would dominate the allocation).
  static constexpr std::uint32_t bucket_count = 4096;

  static allocation curtail(power capacity, power total, std::span<const station_request> requests) {
    using detail::int128;
    const std::int64_t margin = capacity.base();
    const std::int64_t demand_sum = total.base();
    const double beta = static_cast<double>(margin) / static_cast<double>(demand_sum);
    const double bucket_scale = static_cast<double>(bucket_count) / static_cast<double>(demand_sum);

    allocation result{{}, capacity, total, power::zero(), {margin, demand_sum}};
    result.quotas.resize(requests.size());
    std::vector<std::uint16_t> bucket(requests.size());
    std::array<std::size_t, bucket_count> histogram{};

    // exact_remainder(i) = margin * P_i - quota_i * demand_sum, in [0, demand_sum).
    auto exact_remainder = [&](std::size_t i) {
      return static_cast<std::int64_t>(static_cast<int128>(margin) * requests[i].demand.base() -
                                       static_cast<int128>(result.quotas[i].base()) * demand_sum);
    };

    std::int64_t granted = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const std::int64_t demand = requests[i].demand.base();
      // The double estimate is off by at most one watt; the exact remainder corrects it.
      auto quota = static_cast<std::int64_t>(static_cast<double>(demand) * beta);
      int128 remainder = static_cast<int128>(margin) * demand - static_cast<int128>(quota) * demand_sum;
      while (remainder < 0) { --quota; remainder += demand_sum; }
      while (remainder >= demand_sum) { ++quota; remainder -= demand_sum; }
      result.quotas[i] = watts(quota);
      granted += quota;
      const auto b = std::min<std::uint32_t>(static_cast<std::uint32_t>(static_cast<double>(remainder) * bucket_scale),
                                             bucket_count - 1);
      bucket[i] = static_cast<std::uint16_t>(b);
      ++histogram[b];
    }

    // The floors leave `leftover` watts, fewer than the number of stations with a remainder.
    std::size_t leftover = static_cast<std::size_t>(margin - granted);
    if (leftover > 0) {
      // Buckets above `threshold` win outright; the threshold bucket is settled exactly.
      std::uint32_t threshold = bucket_count - 1;
      std::size_t above = 0;
      while (above + histogram[threshold] < leftover) above += histogram[threshold--];
      std::vector<std::size_t> candidates;
      candidates.reserve(histogram[threshold]);
      for (std::size_t i = 0; i < requests.size(); ++i) {
        if (bucket[i] > threshold) result.quotas[i] += watts(1);
        else if (bucket[i] == threshold) candidates.push_back(i);
      }
      const std::size_t needed = leftover - above;
      auto larger_remainder_first = [&](std::size_t a, std::size_t b) {
        const std::int64_t ra = exact_remainder(a), rb = exact_remainder(b);
        return ra != rb ? ra > rb : a < b;
      };
      std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(needed - 1),
                       candidates.end(), larger_remainder_first);
      for (std::size_t c = 0; c < needed; ++c) result.quotas[candidates[c]] += watts(1);
    }
    result.allocated = capacity;
    return result;
  }
};

static_assert(AllocationRule<proportional_allocation>);

EVMARKET_END_NAMESPACE
