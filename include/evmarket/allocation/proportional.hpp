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
#include <functional>
#include <span>
#include <type_traits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Paper 003's beta rule. When the total demand fits, every station gets its demand (beta = 1).
/// Otherwise station i gets floor(beta * P_i) watts, and the watts those floors leave unassigned
/// go one each to the stations with the largest remainders (Hamilton's method); equal remainders
/// go to the earlier request. Hence: quotas sum to exactly the capacity, no quota exceeds its
/// demand, and every quota is within one watt of beta * P_i.
struct proportional_allocation {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "proportional (beta)";

  /// Shares `capacity` among `requests` as the rule above says; throws bad_input for invalid requests.
  [[nodiscard]] allocation allocate(power capacity, std::span<const station_request> requests) const {
    allocation result;
    allocate_into(capacity, requests, result);
    return result;
  }

  /// As allocate(), but writes into `result`, reusing its storage: a session that allocates every
  /// period avoids a fresh multi-megabyte vector (and its page faults) each time.
  void allocate_into(power capacity, std::span<const station_request> requests, allocation& result) const {
    const power total = detail::validate_allocation_input(capacity, requests);
    result.capacity = capacity;
    result.total_demand = total;
    result.quotas.resize(requests.size());
    if (total <= capacity) {
      for (std::size_t i = 0; i < requests.size(); ++i) result.quotas[i] = requests[i].demand;
      result.allocated = total;
      result.satisfaction = {1, 1};
      return;
    }
    result.allocated = capacity;
    result.satisfaction = {capacity.base(), total.base()};
    // The exact remainder margin * P_i - quota_i * total lies in [0, total). When the total is
    // below 2^52 W (any real grid), it is computed in wrapping 64-bit arithmetic: the result is
    // exact modulo 2^64 and the true value is small, so no 128-bit product is needed.
    if (total.base() < (std::int64_t{1} << 52))
      curtail<std::uint64_t>(capacity.base(), total.base(), requests, result.quotas);
    else
      curtail<detail::int128>(capacity.base(), total.base(), requests, result.quotas);
  }

private:
  // Remainders are bucketed by their leading bits so the largest ones can be found in linear time
  // (a full sort of a million remainders would dominate the allocation).
  static constexpr std::uint32_t bucket_count = 2048;
  // Below 2^52 W of total demand every quota fits in 52 bits, so a quota's slot carries its
  // bucket in bits 52..62 until the final sweep: no scratch array, one memory stream less.
  static constexpr int packed_shift = 52;
  static constexpr std::int64_t packed_quota_mask = (std::int64_t{1} << packed_shift) - 1;

  // margin * a - b * demand_sum, exactly (int128) or modulo 2^64 (uint64; exact when the true
  // value lies in [0, 2^64), and recognisably out of range when it lies in (-demand_sum, 0)).
  template <class Wide>
  static Wide difference(std::int64_t margin, std::int64_t a, std::int64_t b, std::int64_t demand_sum) {
    return static_cast<Wide>(static_cast<Wide>(margin) * static_cast<Wide>(a) -
                             static_cast<Wide>(b) * static_cast<Wide>(demand_sum));
  }

  // Grants floor(margin * P_i / demand_sum) to everyone, then the leftover watts by largest
  // remainder. `Wide` is the type the exact remainders are computed in.
  template <class Wide>
  static void curtail(std::int64_t margin, std::int64_t demand_sum, std::span<const station_request> requests,
                      std::vector<power>& quotas) {
    const double beta = static_cast<double>(margin) / static_cast<double>(demand_sum);
    // bucket(r) = floor(r * bucket_multiplier / 2^64) ~ r * bucket_count / demand_sum: monotone in
    // r and below bucket_count, which is all the selection below needs.
    const auto bucket_multiplier = static_cast<std::uint64_t>(
        (static_cast<detail::uint128>(bucket_count) << 64) / static_cast<detail::uint128>(demand_sum));
    constexpr bool packed = std::is_unsigned_v<Wide>;
    std::vector<std::uint16_t> bucket(packed ? 0 : requests.size());
    std::array<std::size_t, bucket_count> histogram{};
    power* const quota_of = quotas.data();

    std::int64_t granted = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const std::int64_t demand = requests[i].demand.base();
      // The double estimate is off by at most one watt; the exact remainder corrects it.
      auto quota = static_cast<std::int64_t>(static_cast<double>(demand) * beta);
      Wide remainder = difference<Wide>(margin, demand, quota, demand_sum);
      if constexpr (std::is_unsigned_v<Wide>) {
        const auto sum = static_cast<Wide>(demand_sum);
        if (remainder >= sum) {
          // Either negative (wrapped to near 2^64): the estimate was one too high; or in
          // [sum, 2 * sum): one too low.
          const bool too_high = remainder > ~Wide{0} - sum;
          quota += too_high ? -1 : 1;
          remainder = too_high ? remainder + sum : remainder - sum;
        }
      } else {
        while (remainder < 0) { --quota; remainder += demand_sum; }
        while (remainder >= demand_sum) { ++quota; remainder -= demand_sum; }
      }
      granted += quota;
      const auto b = static_cast<std::uint32_t>(
          (static_cast<detail::uint128>(static_cast<std::uint64_t>(remainder)) * bucket_multiplier) >> 64);
      if constexpr (packed) {
        quota_of[i] = watts(quota | (static_cast<std::int64_t>(b) << packed_shift));
      } else {
        quota_of[i] = watts(quota);
        bucket[i] = static_cast<std::uint16_t>(b);
      }
      ++histogram[b];
    }

    // The floors leave `leftover` watts, fewer than the number of stations with a remainder.
    const auto leftover = static_cast<std::size_t>(margin - granted);
    // Buckets above `threshold` win outright; the threshold bucket is settled exactly.
    std::uint32_t threshold = bucket_count - 1;
    std::size_t above = 0;
    while (leftover > 0 && above + histogram[threshold] < leftover) above += histogram[threshold--];
    // One branch-free sweep: about half the stations take a watt, so a branch would mispredict
    // often. The threshold bucket's stations are collected in request order (the slot past the
    // last one absorbs the unconditional writes of the others).
    // With no leftover the threshold stays above every bucket, and the sweep only unpacks.
    if (leftover == 0) threshold = bucket_count;
    std::vector<std::size_t> candidates(leftover == 0 ? 1 : histogram[threshold] + 1);
    std::size_t candidate_count = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      std::int64_t quota = quota_of[i].base();
      std::uint32_t b = 0;
      if constexpr (packed) {
        b = static_cast<std::uint32_t>(quota >> packed_shift);
        quota &= packed_quota_mask;
      } else {
        b = bucket[i];
      }
      quota_of[i] = watts(quota + static_cast<std::int64_t>(b > threshold));
      candidates[candidate_count] = i;
      candidate_count += static_cast<std::size_t>(b == threshold);
    }
    candidates.resize(candidate_count);
    if (leftover == 0) return;
    // Remainders cluster when beta is a simple fraction, so this set can be large: it is scanned
    // and partitioned, never sorted.
    std::vector<Wide> remainders(candidates.size());
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const std::size_t i = candidates[c];
      remainders[c] = difference<Wide>(margin, requests[i].demand.base(), quota_of[i].base(), demand_sum);
    }
    // The `needed`-th largest remainder is the cut: larger ones win, equal ones win in request order.
    const std::size_t needed = leftover - above;
    std::vector<Wide> ordered = remainders;
    std::nth_element(ordered.begin(), ordered.begin() + static_cast<std::ptrdiff_t>(needed - 1), ordered.end(),
                     std::greater<>{});
    const Wide cut = ordered[needed - 1];
    std::size_t at_cut = needed - static_cast<std::size_t>(std::count_if(
                                      remainders.begin(), remainders.end(), [cut](Wide r) { return r > cut; }));
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const bool wins = remainders[c] > cut || (remainders[c] == cut && at_cut > 0);
      if (remainders[c] == cut && at_cut > 0) --at_cut;
      if (wins) quota_of[candidates[c]] = watts(quota_of[candidates[c]].base() + 1);
    }
  }
};

static_assert(AllocationRule<proportional_allocation>);

EVMARKET_END_NAMESPACE
