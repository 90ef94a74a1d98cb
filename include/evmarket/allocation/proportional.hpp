#pragma once
/// @file
/// Proportional allocation by the satisfaction rate beta (paper 003 eq. 1-2): every station gets
/// the same fraction beta = capacity / total demand of its demand, rounded to whole watts by the
/// largest-remainder method so the quotas sum to exactly the capacity.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/detail/checked.hpp>
#include <evmarket/detail/largest_remainder.hpp>

#include <algorithm>
#include <cstdint>
#include <span>

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
    curtail(
        capacity, total, requests.size(), [requests](std::size_t i) { return requests[i].demand.base(); }, result);
  }

  /// The same rule on demands held in their own array (quotas[i] belongs to demands[i]): the
  /// layout for a caller with very many stations, since every pass then reads 8 bytes per
  /// station instead of a whole request. Throws bad_input on a negative capacity or demand, an
  /// empty array, or a total above int64; `result` is then left as it was.
  void allocate_into(power capacity, std::span<const power> demands, allocation& result) const {
    detail::require(!capacity.is_negative(), "capacity", capacity.base(), "must not be negative (W)");
    detail::require(!demands.empty(), "demands", "[]", "must name at least one station");
    const auto [sum, any_negative] = detail::sum_and_sign(demands);
    if (any_negative) {
      const auto index = static_cast<std::size_t>(
          std::find_if(demands.begin(), demands.end(), [](power d) { return d.is_negative(); }) - demands.begin());
      throw bad_input(detail::element_field("demands", index), detail::describe(demands[index].base()),
                      "must not be negative (W)");
    }
    const power total = watts(detail::narrow(sum, "total demand"));
    result.capacity = capacity;
    result.total_demand = total;
    result.quotas.resize(demands.size());
    if (total <= capacity) {
      std::copy(demands.begin(), demands.end(), result.quotas.begin());
      result.allocated = total;
      result.satisfaction = {1, 1};
      return;
    }
    curtail(
        capacity, total, demands.size(), [demands](std::size_t i) { return demands[i].base(); }, result);
  }

 private:
  // Station i gets floor(capacity * P_i / total) watts plus one for the largest remainders.
  template <class DemandOf>
  static void curtail(power capacity, power total, std::size_t n, DemandOf demand_of, allocation& result) {
    result.allocated = capacity;
    result.satisfaction = {capacity.base(), total.base()};
    power* const quota_of = result.quotas.data();
    detail::apportion_largest_remainder(capacity.base(), total.base(), n, demand_of,
                                        [quota_of](std::size_t i, std::int64_t units) { quota_of[i] = watts(units); });
  }
};

static_assert(AllocationRule<proportional_allocation>);

EVMARKET_END_NAMESPACE
