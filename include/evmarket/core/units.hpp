#pragma once
/// @file
/// Exact quantities for what changes hands: power, energy, prices and money as 64-bit integers of
/// a fixed base unit, with checked arithmetic (overflow throws, never wraps).
///
/// Base units (chosen so the papers' figures are exact: kW and kWh to 3 decimals, Token to 6):
///   power  : 1 W                (display unit kW,        1000 base units)
///   energy : 1 Wh               (display unit kWh,       1000 base units)
///   money  : 1 micro-Token      (display unit Token,  1000000 base units)
///   price  : 1 micro-Token/kWh  (display unit Token/kWh, 1000000 base units)

#include <evmarket/core/error.hpp>
#include <evmarket/core/rounding.hpp>
#include <evmarket/detail/checked.hpp>

#include <compare>
#include <cstdint>
#include <functional>
#include <iterator>
#include <type_traits>
#include <limits>
#include <ostream>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

/// A quantity of one kind (power, energy, money, price), held as an exact count of base units.
/// `Tag` names the kind: it supplies `base_unit`, `display_unit` and `scale` (base units per
/// display unit). Distinct tags do not mix: adding watts to Tokens does not compile.
template <class Tag>
class quantity {
public:
  /// The representation: a signed 64-bit count of base units.
  using rep = std::int64_t;
  /// The kind.
  using tag = Tag;
  /// Base units per display unit.
  static constexpr rep scale = Tag::scale;

  constexpr quantity() noexcept = default;

  /// The quantity of exactly `count` base units.
  [[nodiscard]] static constexpr quantity from_base(rep count) noexcept { return quantity(count); }
  /// A value in display units (kW, kWh, Token, Token/kWh), rounded to base units as `mode` says.
  /// Throws bad_input for NaN, infinities and values outside the range.
  [[nodiscard]] static quantity from_display(double value, rounding mode = rounding::nearest,
                                             std::string_view field = Tag::display_unit) {
    detail::require_finite(value, field);
    return quantity(detail::round_to_int64(value * static_cast<double>(scale), mode, field, value));
  }
  /// Zero.
  [[nodiscard]] static constexpr quantity zero() noexcept { return quantity(0); }
  /// The largest representable quantity.
  [[nodiscard]] static constexpr quantity max() noexcept { return quantity(std::numeric_limits<rep>::max()); }

  /// The exact count of base units.
  [[nodiscard]] constexpr rep base() const noexcept { return count_; }
  /// The value in display units; exact whenever |base()| < 2^53.
  [[nodiscard]] constexpr double display() const noexcept {
    return static_cast<double>(count_) / static_cast<double>(scale);
  }

  /// True when zero.
  [[nodiscard]] constexpr bool is_zero() const noexcept { return count_ == 0; }
  /// True when below zero.
  [[nodiscard]] constexpr bool is_negative() const noexcept { return count_ < 0; }
  /// True when above zero.
  [[nodiscard]] constexpr bool is_positive() const noexcept { return count_ > 0; }

  ///@{
  /// Ordered and compared exactly, by base units.
  friend constexpr auto operator<=>(quantity, quantity) noexcept = default;
  friend constexpr bool operator==(quantity, quantity) noexcept = default;
  ///@}

  /// Checked sum (throws overflow_error).
  friend quantity operator+(quantity a, quantity b) {
    return quantity(detail::checked_add(a.count_, b.count_, Tag::add_operation));
  }
  /// Checked difference (throws overflow_error).
  friend quantity operator-(quantity a, quantity b) {
    return quantity(detail::checked_sub(a.count_, b.count_, Tag::add_operation));
  }
  /// Checked negation (throws overflow_error).
  friend quantity operator-(quantity a) { return quantity(detail::checked_neg(a.count_, Tag::add_operation)); }
  ///@{
  /// Checked compound sum and difference.
  quantity& operator+=(quantity other) { return *this = *this + other; }
  quantity& operator-=(quantity other) { return *this = *this - other; }
  ///@}

  ///@{
  /// Scaling by an integer count is exact (or throws on overflow).
  friend quantity operator*(quantity a, std::int64_t factor) {
    return quantity(detail::checked_mul(a.count_, factor, Tag::add_operation));
  }
  friend quantity operator*(std::int64_t factor, quantity a) { return a * factor; }
  ///@}

  /// a * numerator / denominator, exact in 128 bits, rounded as `mode` says.
  [[nodiscard]] quantity scaled(std::int64_t numerator, std::int64_t denominator, rounding mode) const {
    return quantity(detail::mul_div(count_, numerator, denominator, mode, Tag::add_operation));
  }

  /// Prints the value in display units and the unit, e.g. "29.815 kW".
  friend std::ostream& operator<<(std::ostream& out, quantity q) {
    return out << q.display() << ' ' << Tag::display_unit;
  }

private:
  constexpr explicit quantity(rep count) noexcept : count_(count) {}
  rep count_ = 0;
};

/// The kind power: base unit W, shown in kW.
struct power_tag {
  ///@{
  /// Base units per display unit, the units' names, and the operation an overflow_error names.
  static constexpr std::int64_t scale = 1000;
  static constexpr std::string_view base_unit = "W";
  static constexpr std::string_view display_unit = "kW";
  static constexpr const char* add_operation = "power arithmetic";
  ///@}
};
/// The kind energy: base unit Wh, shown in kWh.
struct energy_tag {
  ///@{
  /// Base units per display unit, the units' names, and the operation an overflow_error names.
  static constexpr std::int64_t scale = 1000;
  static constexpr std::string_view base_unit = "Wh";
  static constexpr std::string_view display_unit = "kWh";
  static constexpr const char* add_operation = "energy arithmetic";
  ///@}
};
/// The kind money: base unit micro-Token, shown in Token.
struct money_tag {
  ///@{
  /// Base units per display unit, the units' names, and the operation an overflow_error names.
  static constexpr std::int64_t scale = 1'000'000;
  static constexpr std::string_view base_unit = "uToken";
  static constexpr std::string_view display_unit = "Token";
  static constexpr const char* add_operation = "money arithmetic";
  ///@}
};
/// The kind price: base unit micro-Token/kWh, shown in Token/kWh.
struct price_tag {
  ///@{
  /// Base units per display unit, the units' names, and the operation an overflow_error names.
  static constexpr std::int64_t scale = 1'000'000;
  static constexpr std::string_view base_unit = "uToken/kWh";
  static constexpr std::string_view display_unit = "Token/kWh";
  static constexpr const char* add_operation = "price arithmetic";
  ///@}
};

/// Electrical power; base unit 1 W.
using power = quantity<power_tag>;
/// Electrical energy; base unit 1 Wh.
using energy = quantity<energy_tag>;
/// Money; base unit 1 micro-Token (10^-6 Token).
using money = quantity<money_tag>;
/// Price of energy; base unit 1 micro-Token per kWh.
using price = quantity<price_tag>;

///@{
/// Exact constructors in base units.
[[nodiscard]] constexpr power watts(std::int64_t w) noexcept { return power::from_base(w); }
[[nodiscard]] constexpr energy watt_hours(std::int64_t wh) noexcept { return energy::from_base(wh); }
[[nodiscard]] constexpr money micro_tokens(std::int64_t u) noexcept { return money::from_base(u); }
[[nodiscard]] constexpr price micro_tokens_per_kwh(std::int64_t u) noexcept { return price::from_base(u); }
///@}

///@{
/// Constructors from display units, rounded to the nearest base unit (halves away from zero).
[[nodiscard]] inline power kilowatts(double kw, rounding mode = rounding::nearest) {
  return power::from_display(kw, mode, "kilowatts");
}
[[nodiscard]] inline energy kilowatt_hours(double kwh, rounding mode = rounding::nearest) {
  return energy::from_display(kwh, mode, "kilowatt_hours");
}
[[nodiscard]] inline money tokens(double t, rounding mode = rounding::nearest) {
  return money::from_display(t, mode, "tokens");
}
[[nodiscard]] inline price tokens_per_kwh(double t, rounding mode = rounding::nearest) {
  return price::from_display(t, mode, "tokens_per_kwh");
}
///@}

/// Cost of `amount` at `unit_price`: price (uToken/kWh) x energy (Wh) / 1000, rounded as `mode`
/// says. Charge with rounding::up and pay out with rounding::down so nobody gains from rounding.
[[nodiscard]] inline money cost(price unit_price, energy amount, rounding mode) {
  return micro_tokens(detail::mul_div(unit_price.base(), amount.base(), energy_tag::scale, mode, "cost"));
}

/// Energy delivered by `p` held for `minutes` minutes: W x min / 60, rounded as `mode` says.
[[nodiscard]] inline energy energy_over(power p, std::int64_t minutes, rounding mode) {
  detail::require(minutes >= 0, "minutes", minutes, "must not be negative");
  return watt_hours(detail::mul_div(p.base(), minutes, 60, mode, "energy_over"));
}

/// Constant power that delivers `e` in `minutes` minutes: Wh x 60 / min, rounded as `mode` says.
[[nodiscard]] inline power average_power(energy e, std::int64_t minutes, rounding mode) {
  detail::require(minutes > 0, "minutes", minutes, "must be positive");
  return watts(detail::mul_div(e.base(), 60, minutes, mode, "average_power"));
}

/// Price per kWh that `total` pays for `amount`, rounded as `mode` says (amount must be non-zero).
[[nodiscard]] inline price unit_price_of(money total, energy amount, rounding mode) {
  detail::require(!amount.is_zero(), "amount", amount.base(), "must be non-zero to form a unit price");
  return micro_tokens_per_kwh(detail::mul_div(total.base(), energy_tag::scale, amount.base(), mode, "unit_price_of"));
}

/// (a + b) / 2 rounded as `mode` says; exact even where a + b would overflow 64 bits.
template <class Tag>
[[nodiscard]] quantity<Tag> midpoint(quantity<Tag> a, quantity<Tag> b, rounding mode) {
  return quantity<Tag>::from_base(
      static_cast<std::int64_t>(detail::divide(static_cast<detail::int128>(a.base()) + b.base(), 2, mode)));
}

/// Checked sum of a range of quantities.
template <class Range>
[[nodiscard]] auto sum(const Range& values) {
  using value_type = std::remove_cvref_t<decltype(*std::begin(values))>;
  value_type total = value_type::zero();
  for (const auto& v : values) total += v;
  return total;
}

EVMARKET_END_NAMESPACE

template <class Tag>
struct std::hash<evmarket::quantity<Tag>> {
  std::size_t operator()(evmarket::quantity<Tag> q) const noexcept { return std::hash<std::int64_t>{}(q.base()); }
};
