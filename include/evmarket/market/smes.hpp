#pragma once
/// @file
/// Paper 004's superconducting magnetic energy storage (SMES) unit, in exact units, and the
/// Storage policy a coalition market session offers the trades the security check refuses.
///
/// The model a practitioner sizes a unit by:
/// - energy capacity E (Wh) and a state of charge SoC in [0, E];
/// - a power limit P (W) that bounds each direction separately: in one trading interval of t
///   minutes the unit takes in at most P t / 60 and gives out at most P t / 60 (rounded down to
///   the Wh, so the limit is never exceeded);
/// - a round-trip efficiency eta in parts per million, charged in full on the way in: taking in
///   e Wh stores floor(e eta / 10^6) Wh, and giving out e Wh takes exactly e Wh from the SoC.
///   Putting the whole loss on one side keeps both directions exact integers.
/// - posted prices: the unit buys surplus at `buy_price` and sells to unmet buyers at
///   `sell_price` (per kWh), so a seller or buyer can tell at once whether it is no worse off.

#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

/// The parameters of an SMES unit (see the file comment for the model).
struct smes_parameters {
  /// Energy capacity (Wh), positive.
  energy capacity;
  /// Power limit (W) in each direction, not negative.
  power power_limit;
  /// Round-trip efficiency in parts per million, in 1..1,000,000.
  std::uint32_t efficiency_ppm = 1'000'000;
  /// State of charge when the unit enters service, within [0, capacity].
  energy initial_charge;
  /// What the unit pays a seller per kWh of surplus it takes in.
  price buy_price;
  /// What a buyer pays the unit per kWh it gives out.
  price sell_price;
};

/// Storage: what a coalition market session asks of a storage unit. begin_interval opens a
/// trading interval of the given minutes (the power budgets refill); charge_room and
/// discharge_room are the most energy the unit can take in and give out now; charge(e) takes in
/// e (at most charge_room) and returns what it stored; discharge(e) gives out e (at most
/// discharge_room). Prices are the unit's posted ones.
template <class S>
concept Storage = requires(S& unit, const S& view, energy amount, std::int64_t minutes) {
  { S::name } -> std::convertible_to<std::string_view>;
  unit.begin_interval(minutes);
  { view.charge_room() } -> std::same_as<energy>;
  { view.discharge_room() } -> std::same_as<energy>;
  { unit.charge(amount) } -> std::same_as<energy>;
  unit.discharge(amount);
  { view.state_of_charge() } -> std::same_as<energy>;
  { view.buy_price() } -> std::same_as<price>;
  { view.sell_price() } -> std::same_as<price>;
};

/// No storage: a market without an SMES unit (every room is zero).
struct no_storage {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "no storage";
  /// Nothing to refill.
  void begin_interval(std::int64_t) noexcept {}
  /// Takes in nothing.
  [[nodiscard]] energy charge_room() const noexcept { return energy::zero(); }
  /// Gives out nothing.
  [[nodiscard]] energy discharge_room() const noexcept { return energy::zero(); }
  /// Only zero fits (bad_input otherwise).
  energy charge(energy amount) {
    detail::require(amount.is_zero(), "amount", amount.base(), "exceeds the storage's room (none)");
    return energy::zero();
  }
  /// Only zero fits (bad_input otherwise).
  void discharge(energy amount) {
    detail::require(amount.is_zero(), "amount", amount.base(), "exceeds the storage's room (none)");
  }
  /// Always empty.
  [[nodiscard]] energy state_of_charge() const noexcept { return energy::zero(); }
  /// No price is posted.
  [[nodiscard]] price buy_price() const noexcept { return price::zero(); }
  /// No price is posted.
  [[nodiscard]] price sell_price() const noexcept { return price::zero(); }
};

/// An SMES unit: the Storage of the file comment.
class smes {
 public:
  /// The policy's name, for reports.
  static constexpr std::string_view name = "SMES (capacity, power limit, round-trip efficiency)";
  /// One parts-per-million whole.
  static constexpr std::int64_t ppm_whole = 1'000'000;

  /// A unit with `parameters`; bad_input names a field out of range.
  explicit smes(const smes_parameters& parameters) : p_(parameters), charge_(parameters.initial_charge) {
    detail::require(p_.capacity.is_positive(), "capacity", p_.capacity.base(), "must be positive (Wh)");
    detail::require(!p_.power_limit.is_negative(), "power_limit", p_.power_limit.base(), "must not be negative (W)");
    detail::require(p_.efficiency_ppm >= 1 && p_.efficiency_ppm <= ppm_whole, "efficiency_ppm", p_.efficiency_ppm,
                    "must lie in 1..1000000 (parts per million)");
    detail::require(!p_.initial_charge.is_negative() && p_.initial_charge <= p_.capacity, "initial_charge",
                    p_.initial_charge.base(), "must lie within [0, capacity] (Wh)");
    detail::require(!p_.buy_price.is_negative(), "buy_price", p_.buy_price.base(),
                    "must not be negative (micro-Token/kWh)");
    detail::require(!p_.sell_price.is_negative(), "sell_price", p_.sell_price.base(),
                    "must not be negative (micro-Token/kWh)");
  }

  /// Opens an interval of `minutes` (positive): both power budgets refill to P minutes / 60.
  void begin_interval(std::int64_t minutes) {
    detail::require(minutes > 0, "minutes", minutes, "must be positive");
    budget_in_ = budget_out_ = energy_over(p_.power_limit, minutes, rounding::down);
  }
  /// The most the unit can take in now: the power budget left, and the largest input whose
  /// stored part still fits, ((E - SoC + 1) 10^6 - 1) / eta rounded down.
  [[nodiscard]] energy charge_room() const {
    const detail::int128 free = static_cast<detail::int128>((p_.capacity - charge_).base()) + 1;
    const detail::int128 fits = (free * ppm_whole - 1) / p_.efficiency_ppm;
    return watt_hours(static_cast<std::int64_t>(std::min<detail::int128>(fits, budget_in_.base())));
  }
  /// The most the unit can give out now: the power budget left and the SoC.
  [[nodiscard]] energy discharge_room() const noexcept { return std::min(budget_out_, charge_); }
  /// Takes in `amount` (within charge_room, else bad_input) and returns what it stored.
  energy charge(energy amount) {
    detail::require(!amount.is_negative() && amount <= charge_room(), "amount", amount.base(),
                    "must lie within [0, charge_room()] (Wh)");
    const energy kept = stored_of(amount);
    charge_ += kept;
    budget_in_ -= amount;
    return kept;
  }
  /// Gives out `amount` (within discharge_room, else bad_input).
  void discharge(energy amount) {
    detail::require(!amount.is_negative() && amount <= discharge_room(), "amount", amount.base(),
                    "must lie within [0, discharge_room()] (Wh)");
    charge_ -= amount;
    budget_out_ -= amount;
  }
  /// What taking in `amount` stores: floor(amount eta / 10^6).
  [[nodiscard]] energy stored_of(energy amount) const {
    return watt_hours(detail::mul_div(amount.base(), p_.efficiency_ppm, ppm_whole, rounding::down, "stored energy"));
  }

  /// The state of charge.
  [[nodiscard]] energy state_of_charge() const noexcept { return charge_; }
  /// The posted prices.
  ///@{
  [[nodiscard]] price buy_price() const noexcept { return p_.buy_price; }
  [[nodiscard]] price sell_price() const noexcept { return p_.sell_price; }
  ///@}
  /// The parameters the unit was built with.
  [[nodiscard]] const smes_parameters& parameters() const noexcept { return p_; }

 private:
  smes_parameters p_;
  energy charge_;
  energy budget_in_, budget_out_;  // what is left of this interval's power budgets
};

static_assert(Storage<no_storage> && Storage<smes>);

EVMARKET_END_NAMESPACE
