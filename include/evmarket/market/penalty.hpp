#pragma once
/// @file
/// What a station forfeits from its deposit for drawing more than its final quota (paper 003
/// Step 6: over-consumption "disturbs the secure and stable operation of the distribution
/// network"), as a policy.

#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>

#include <concepts>
#include <cstdint>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

/// What a penalty may depend on: the energy drawn beyond the final quota, and what the tariff
/// charges for that energy alone.
struct penalty_basis {
  energy over_consumption;
  price rate;
};

/// Penalty: what a station that drew more than its final quota forfeits from its deposit.
template <class P>
concept Penalty = requires(const P& penalty, const penalty_basis& basis) {
  { P::name } -> std::convertible_to<std::string_view>;
  { penalty.penalty(basis) } -> std::same_as<money>;
};

/// The over-consumed energy charged again at `multiple` times the tariff's rate (rounded up).
/// Paper 003 leaves the amount open; the default (1x) makes every excess kWh cost double.
class over_consumption_penalty {
 public:
  static constexpr std::string_view name = "over-consumption x rate";
  explicit over_consumption_penalty(std::int64_t multiple = 1) : multiple_(multiple) {
    detail::require(multiple >= 0, "multiple", multiple, "must not be negative");
  }
  [[nodiscard]] money penalty(const penalty_basis& basis) const {
    return cost(basis.rate, basis.over_consumption, rounding::up) * multiple_;
  }

 private:
  std::int64_t multiple_;
};

static_assert(Penalty<over_consumption_penalty>);

EVMARKET_END_NAMESPACE
