#pragma once
/// @file
/// The vocabulary every allocation rule shares: a station's request, the allocation it returns,
/// and the AllocationRule concept that market sessions are written against.

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// What one charging station asks of the transformer's capacity margin for the next period.
struct station_request {
  /// The station asking.
  station_id station;
  /// Requested charging power; must not be negative (zero is allowed: a station with no EV).
  power demand;
  /// The station's total creditworthiness (paper 001 eq. 3). Rules that ignore credit ignore it;
  /// credit-priority rules require it to be finite and positive.
  double credit = 0.0;
};

/// The satisfaction rate beta = capacity / total demand (paper 003 eq. 1), held as the exact
/// fraction it is, or 1 when the demand fits.
struct satisfaction_rate {
  ///@{
  /// beta as the fraction numerator / denominator (capacity / total demand when the margin binds, else 1 / 1).
  std::int64_t numerator = 1;
  std::int64_t denominator = 1;
  ///@}

  /// beta as a double (correctly rounded quotient of the exact fraction).
  [[nodiscard]] double value() const noexcept {
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  /// The unrounded share beta * demand in display units (kW), as printed tables show it. The
  /// granted quota is this share rounded to whole watts (within one watt of it).
  [[nodiscard]] double share_of(power demand) const noexcept {
    if (is_full()) return demand.display();
    const auto scaled = static_cast<detail::int128>(demand.base()) * numerator;
    const auto whole = static_cast<double>(scaled / denominator);
    const double fraction = static_cast<double>(scaled % denominator) / static_cast<double>(denominator);
    return (whole + fraction) / static_cast<double>(power::scale);
  }
  /// True when every demand is met in full.
  [[nodiscard]] bool is_full() const noexcept { return numerator >= denominator; }
};

/// The outcome of one allocation: quotas[i] belongs to requests[i].
struct allocation {
  /// Granted power per station, in the order of the requests.
  std::vector<power> quotas;
  /// The capacity margin that was shared.
  power capacity;
  /// Sum of all demands.
  power total_demand;
  /// Sum of all quotas; never above capacity.
  power allocated;
  /// Fraction of the total demand met: min(1, capacity / total_demand).
  satisfaction_rate satisfaction;

  /// True when the capacity margin was binding (some demand was curtailed).
  [[nodiscard]] bool curtailed() const noexcept { return total_demand > capacity; }
};

/// AllocationRule: shares a capacity margin among stations' requests. Sessions hold a rule as a
/// policy, so the proportional beta rule (paper 003) and credit-priority rules (paper 001) are
/// interchangeable. A rule must grant every station at most its demand, and in total at most
/// the capacity, in exact integer units with a deterministic rounding rule.
template <class Rule>
concept AllocationRule = requires(const Rule& rule, power capacity, std::span<const station_request> requests) {
  { rule.allocate(capacity, requests) } -> std::same_as<allocation>;
  { Rule::name } -> std::convertible_to<std::string_view>;
};

namespace detail {

/// The exact sum of `demands` and whether any is negative, in one pass the compiler vectorises:
/// each value is added as two 32-bit halves into two 64-bit sums (neither can overflow below 2^32
/// entries) and the sign bits are OR-ed, where a 128-bit sum and a running minimum would not vectorise.
inline std::pair<int128, bool> sum_and_sign(std::span<const power> demands) {
  constexpr std::size_t block = std::size_t{1} << 31;  // entries per pair of half sums
  int128 sum = 0;
  std::uint64_t bits = 0;
  for (std::size_t begin = 0; begin < demands.size(); begin += block) {
    const std::size_t end = std::min(demands.size(), begin + block);
    std::uint64_t high = 0, low = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const auto value = static_cast<std::uint64_t>(demands[i].base());
      bits |= value;
      high += value >> 32;
      low += value & 0xffff'ffffU;
    }
    sum += (static_cast<int128>(high) << 32) + static_cast<int128>(low);
  }
  return {sum, (bits >> 63) != 0};
}

/// Checks what every allocation rule requires of its input and returns the total demand:
/// capacity not negative, at least one request, no negative demand, no duplicate station, and a
/// total that fits. Duplicates are found in one pass when ids ascend, else by sorting a copy.
inline power validate_allocation_input(power capacity, std::span<const station_request> requests) {
  require(!capacity.is_negative(), "capacity", capacity.base(), "must not be negative (W)");
  require(!requests.empty(), "requests", "[]", "must name at least one station");
  // One branch-free sweep (this runs over every station every period): a 128-bit sum cannot
  // overflow, and the rare bad cases are located afterwards.
  int128 total = 0;
  std::int64_t smallest = 0;
  bool ascending = true;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const std::int64_t demand = requests[i].demand.base();
    total += demand;
    smallest = std::min(smallest, demand);
    ascending &= i == 0 || requests[i - 1].station < requests[i].station;
  }
  if (smallest < 0) {
    const auto negative = std::find_if(requests.begin(), requests.end(),
                                       [](const station_request& r) { return r.demand.is_negative(); });
    const auto index = static_cast<std::size_t>(negative - requests.begin());
    throw bad_input(element_field("requests", index, "demand"), describe(negative->demand.base()),
                    "must not be negative (W)");
  }
  const power checked_total = watts(narrow(total, "total demand"));
  if (!ascending) {
    std::vector<station_id> ids(requests.size());
    std::transform(requests.begin(), requests.end(), ids.begin(), [](const station_request& r) { return r.station; });
    std::sort(ids.begin(), ids.end());
    auto duplicate = std::adjacent_find(ids.begin(), ids.end());
    if (duplicate != ids.end())
      throw bad_input("requests.station", describe(duplicate->value), "appears more than once");
  }
  return checked_total;
}

/// The allocation when demand fits entirely: everyone gets what they asked for.
inline allocation grant_all(power capacity, power total, std::span<const station_request> requests) {
  allocation result{{}, capacity, total, total, {1, 1}};
  result.quotas.reserve(requests.size());
  for (const station_request& request : requests) result.quotas.push_back(request.demand);
  return result;
}

}  // namespace detail

EVMARKET_END_NAMESPACE
