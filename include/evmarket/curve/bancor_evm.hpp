#pragma once
/// @file
/// The on-chain Bancor formula, bit for bit: the 256-bit fixed-point algorithm of Bancor's
/// BancorFormula contract (purchase, sale, cross-reserve conversion, fund cost, fund supply,
/// liquidation), so that a platform settling on a chain gets the chain's numbers to the last unit.
///
/// Amounts are integers in a token's base units (10^18 per token for an 18-decimal token); weights
/// and reserve ratios are parts per million (1'000'000 = 100 %), as in the contract's ABI. Every
/// check the contract makes is reproduced, in the contract's order: a failed check comes back as a
/// `bancor_revert` value in a `bancor_evm_result` (the `try_` functions) or is thrown as a
/// `bancor_evm_error` carrying that value (the plain functions). Results are never above the real
/// formula, except fund_cost, which rounds its last step up yet can still land below the real cost
/// (the contract's power() approximates from below); the port keeps that, as the chain does.

#include <evmarket/core/error.hpp>
#include <evmarket/core/rounding.hpp>
#include <evmarket/detail/bancor_evm_math.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

EVMARKET_BEGIN_NAMESPACE

/// The contract's revert message for `revert` ("" where the contract gives none).
[[nodiscard]] constexpr std::string_view revert_reason(bancor_revert revert) noexcept {
  switch (revert) {
    case bancor_revert::none:
      return "";
    case bancor_revert::invalid_supply:
      return "ERR_INVALID_SUPPLY";
    case bancor_revert::invalid_reserve_balance:
      return "ERR_INVALID_RESERVE_BALANCE";
    case bancor_revert::invalid_reserve_weight:
      return "ERR_INVALID_RESERVE_WEIGHT";
    case bancor_revert::invalid_reserve_ratio:
      return "ERR_INVALID_RESERVE_RATIO";
    case bancor_revert::invalid_amount:
      return "ERR_INVALID_AMOUNT";
    case bancor_revert::multiplication_overflow:
      return "SafeMath: multiplication overflow";
    case bancor_revert::addition_overflow:
      return "SafeMath: addition overflow";
    case bancor_revert::power_base_too_large:
      return "";
    case bancor_revert::exponent_too_large:
      return "";
  }
  return "";
}

/// evmarket's name for `revert` (never empty, unlike the contract's message).
[[nodiscard]] constexpr std::string_view revert_name(bancor_revert revert) noexcept {
  switch (revert) {
    case bancor_revert::none:
      return "none";
    case bancor_revert::invalid_supply:
      return "invalid_supply";
    case bancor_revert::invalid_reserve_balance:
      return "invalid_reserve_balance";
    case bancor_revert::invalid_reserve_weight:
      return "invalid_reserve_weight";
    case bancor_revert::invalid_reserve_ratio:
      return "invalid_reserve_ratio";
    case bancor_revert::invalid_amount:
      return "invalid_amount";
    case bancor_revert::multiplication_overflow:
      return "multiplication_overflow";
    case bancor_revert::addition_overflow:
      return "addition_overflow";
    case bancor_revert::power_base_too_large:
      return "power_base_too_large";
    case bancor_revert::exponent_too_large:
      return "exponent_too_large";
  }
  return "unknown";
}

/// An on-chain Bancor call that would revert; nothing was computed.
class bancor_evm_error : public error {
 public:
  /// `function` reverted with `revert` because of `field` = `argument`.
  bancor_evm_error(std::string_view function, bancor_revert revert, std::string_view field, const uint256& argument)
      : error(message(function, revert, field, argument)), revert_(revert), field_(field) {}

  /// Which check failed.
  [[nodiscard]] bancor_revert revert() const noexcept { return revert_; }
  /// The contract's revert message ("" where it has none).
  [[nodiscard]] std::string_view reason() const noexcept { return revert_reason(revert_); }
  /// The argument (or expression of arguments) the failed check concerns, e.g. "supply".
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  static std::string message(std::string_view function, bancor_revert revert, std::string_view field,
                             const uint256& argument) {
    std::string text = "bancor_evm::" + std::string(function) + " reverts (" + std::string(revert_name(revert));
    if (!revert_reason(revert).empty()) text += ", \"" + std::string(revert_reason(revert)) + "\"";
    text += "): " + std::string(field) + " = " + argument.str();
    return text;
  }

  bancor_revert revert_;
  std::string field_;
};

/// A value, or the check that made the call revert and the argument it concerns.
class bancor_evm_result {
 public:
  /// A returned value.
  explicit bancor_evm_result(uint256 value) : value_(std::move(value)) {}
  /// A revert of `function` by `revert`, about `field` whose value was `argument`.
  bancor_evm_result(std::string_view function, bancor_revert revert, std::string_view field, uint256 argument)
      : value_(std::move(argument)), revert_(revert), function_(function), field_(field) {}

  /// True when the call returned a value.
  [[nodiscard]] bool ok() const noexcept { return revert_ == bancor_revert::none; }
  /// True when the call returned a value (same as ok()).
  explicit operator bool() const noexcept { return ok(); }
  /// The check that failed (bancor_revert::none when ok()).
  [[nodiscard]] bancor_revert revert() const noexcept { return revert_; }
  /// The argument the failed check concerns ("" when ok()).
  [[nodiscard]] std::string_view field() const noexcept { return field_; }
  /// The returned value; throws bancor_evm_error when the call reverted.
  [[nodiscard]] const uint256& value() const {
    if (!ok()) throw bancor_evm_error(function_, revert_, field_, value_);
    return value_;
  }

 private:
  uint256 value_;  // the value, or on a revert the offending argument
  bancor_revert revert_ = bancor_revert::none;
  std::string_view function_;
  std::string_view field_;
};

/// power()'s answer: result / 2^precision approximates (baseN / baseD)^(expN / expD) from below.
struct bancor_power {
  uint256 result;          ///< r
  unsigned precision = 0;  ///< p, in [32, 127]
};

namespace bancor_evm {

/// The contract's MAX_WEIGHT: weights and ratios are parts per million.
inline constexpr std::uint32_t max_weight = detail::bancor_evm::max_weight;

namespace detail_checks {
using detail::bancor_evm::outcome;

inline bool valid_weight(std::uint32_t weight) noexcept { return weight > 0 && weight <= max_weight; }
inline bool valid_ratio(std::uint32_t ratio) noexcept { return ratio > 1 && ratio <= 2 * max_weight; }

// (S * r >> p) - S, the purchase and fund-supply tail.
inline bancor_evm_result grow(std::string_view function, const uint256& supply, const bancor_power& power) {
  bancor_revert revert = bancor_revert::none;
  uint256 product;
  if (!detail::bancor_evm::checked_mul(supply, power.result, product, revert))
    return {function, revert, "supply * power", supply};
  return bancor_evm_result((product >> power.precision) - supply);
}

// (R * r - R << p) // r, the sale, cross and liquidation tail.
inline bancor_evm_result shrink(std::string_view function, const uint256& balance, const bancor_power& power) {
  bancor_revert revert = bancor_revert::none;
  uint256 product;
  if (!detail::bancor_evm::checked_mul(balance, power.result, product, revert))
    return {function, revert, "balance * power", balance};
  return bancor_evm_result((product - (balance << power.precision)) / power.result);
}

inline bool run_power(std::string_view function, const uint256& base_n, const uint256& base_d, std::uint32_t exp_n,
                      std::uint32_t exp_d, std::string_view base_field, std::string_view amount_field,
                      const uint256& amount, bancor_power& out, bancor_evm_result& failure) {
  auto p = detail::bancor_evm::power(base_n, base_d, exp_n, exp_d);
  if (p.revert == bancor_revert::power_base_too_large) {
    failure = bancor_evm_result(function, p.revert, base_field, base_n);
    return false;
  }
  if (p.revert != bancor_revert::none) {
    failure = bancor_evm_result(function, p.revert, amount_field, amount);
    return false;
  }
  out.result = std::move(p.result);
  out.precision = p.precision;
  return true;
}

// S((1 + A/R)^(e/M) - 1), rounded down: purchaseTargetAmount (e = weight) and fundSupplyAmount
// (e = ratio) are this one computation once their own arguments have been checked.
inline bancor_evm_result growth_amount(std::string_view fn, const uint256& supply, const uint256& balance,
                                       std::uint32_t exponent, const uint256& amount) {
  if (amount.is_zero()) return bancor_evm_result(uint256(0));
  bancor_revert revert = bancor_revert::none;
  if (exponent == max_weight) {
    uint256 product;
    if (!detail::bancor_evm::checked_mul(supply, amount, product, revert))
      return {fn, revert, "supply * amount", amount};
    return bancor_evm_result(product / balance);
  }
  uint256 base_n;
  if (!detail::bancor_evm::checked_add(amount, balance, base_n, revert))
    return {fn, revert, "amount + reserve_balance", amount};
  bancor_power p;
  bancor_evm_result failure(uint256(0));
  if (!run_power(fn, base_n, balance, exponent, max_weight, "amount + reserve_balance", "amount", amount, p, failure))
    return failure;
  return grow(fn, supply, p);
}

// R(1 - (1 - A/S)^(M/e)), rounded down: saleTargetAmount (e = weight) and liquidateReserveAmount
// (e = ratio) are this one computation once their own arguments have been checked.
inline bancor_evm_result reduction_amount(std::string_view fn, const uint256& supply, const uint256& balance,
                                          std::uint32_t exponent, const uint256& amount) {
  if (amount > supply) return {fn, bancor_revert::invalid_amount, "amount", amount};
  if (amount.is_zero()) return bancor_evm_result(uint256(0));
  if (amount == supply) return bancor_evm_result(balance);
  bancor_revert revert = bancor_revert::none;
  if (exponent == max_weight) {
    uint256 product;
    if (!detail::bancor_evm::checked_mul(balance, amount, product, revert))
      return {fn, revert, "reserve_balance * amount", amount};
    return bancor_evm_result(product / supply);
  }
  bancor_power p;
  bancor_evm_result failure(uint256(0));
  if (!run_power(fn, supply, supply - amount, max_weight, exponent, "supply", "amount", amount, p, failure))
    return failure;
  return shrink(fn, balance, p);
}
}  // namespace detail_checks

/// The contract's power(baseN, baseD, expN, expD); needs baseN >= baseD >= 1 and exponents >= 1.
/// Throws bancor_evm_error where the contract reverts: power_base_too_large (baseN >= 2^129) or
/// exponent_too_large; bad_input outside that domain.
[[nodiscard]] inline bancor_power power(const uint256& base_n, const uint256& base_d, std::uint32_t exp_n,
                                        std::uint32_t exp_d) {
  detail::require(base_d >= 1, "base_d", static_cast<double>(base_d), "must be at least 1");
  detail::require(base_n >= base_d, "base_n", static_cast<double>(base_n), "must be at least base_d");
  detail::require(exp_n >= 1, "exp_n", exp_n, "must be at least 1");
  detail::require(exp_d >= 1, "exp_d", exp_d, "must be at least 1");
  auto p = detail::bancor_evm::power(base_n, base_d, exp_n, exp_d);
  if (p.revert != bancor_revert::none)
    throw bancor_evm_error("power", p.revert, p.revert == bancor_revert::power_base_too_large ? "base_n" : "exponent",
                           base_n);
  return {std::move(p.result), p.precision};
}

/// purchaseTargetAmount: tokens minted for `amount` of reserve, S((1 + A/R)^(w/M) - 1), rounded down.
[[nodiscard]] inline bancor_evm_result try_purchase_target_amount(const uint256& supply, const uint256& balance,
                                                                  std::uint32_t weight, const uint256& amount) {
  constexpr std::string_view fn = "purchase_target_amount";
  using namespace detail_checks;
  if (supply.is_zero()) return {fn, bancor_revert::invalid_supply, "supply", supply};
  if (balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "reserve_balance", balance};
  if (!valid_weight(weight)) return {fn, bancor_revert::invalid_reserve_weight, "reserve_weight", weight};
  return growth_amount(fn, supply, balance, weight, amount);
}

/// saleTargetAmount: reserve paid for `amount` tokens, R(1 - (1 - A/S)^(M/w)), rounded down.
[[nodiscard]] inline bancor_evm_result try_sale_target_amount(const uint256& supply, const uint256& balance,
                                                              std::uint32_t weight, const uint256& amount) {
  constexpr std::string_view fn = "sale_target_amount";
  using namespace detail_checks;
  if (supply.is_zero()) return {fn, bancor_revert::invalid_supply, "supply", supply};
  if (balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "reserve_balance", balance};
  if (!valid_weight(weight)) return {fn, bancor_revert::invalid_reserve_weight, "reserve_weight", weight};
  return reduction_amount(fn, supply, balance, weight, amount);
}

/// crossReserveTargetAmount: target reserve paid for `amount` of the source reserve,
/// Rt(1 - (Rs / (Rs + A))^(ws/wt)), rounded down.
[[nodiscard]] inline bancor_evm_result try_cross_reserve_target_amount(const uint256& source_balance,
                                                                       std::uint32_t source_weight,
                                                                       const uint256& target_balance,
                                                                       std::uint32_t target_weight,
                                                                       const uint256& amount) {
  constexpr std::string_view fn = "cross_reserve_target_amount";
  using namespace detail_checks;
  if (source_balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "source_balance", source_balance};
  if (target_balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "target_balance", target_balance};
  if (!valid_weight(source_weight)) return {fn, bancor_revert::invalid_reserve_weight, "source_weight", source_weight};
  if (!valid_weight(target_weight)) return {fn, bancor_revert::invalid_reserve_weight, "target_weight", target_weight};
  bancor_revert revert = bancor_revert::none;
  if (source_weight == target_weight) {
    uint256 product, sum;
    if (!detail::bancor_evm::checked_mul(target_balance, amount, product, revert))
      return {fn, revert, "target_balance * amount", amount};
    if (!detail::bancor_evm::checked_add(source_balance, amount, sum, revert))
      return {fn, revert, "source_balance + amount", amount};
    return bancor_evm_result(product / sum);
  }
  uint256 base_n;
  if (!detail::bancor_evm::checked_add(source_balance, amount, base_n, revert))
    return {fn, revert, "source_balance + amount", amount};
  bancor_power p;
  bancor_evm_result failure(uint256(0));
  if (!run_power(fn, base_n, source_balance, source_weight, target_weight, "source_balance + amount", "amount", amount,
                 p, failure))
    return failure;
  return shrink(fn, target_balance, p);
}

/// fundCost: reserve charged to mint `amount` pool tokens, R(((S + A)/S)^(M/q) - 1), its last
/// step rounded up (yet possibly below the real cost: see the file comment).
[[nodiscard]] inline bancor_evm_result try_fund_cost(const uint256& supply, const uint256& balance, std::uint32_t ratio,
                                                     const uint256& amount) {
  constexpr std::string_view fn = "fund_cost";
  using namespace detail_checks;
  if (supply.is_zero()) return {fn, bancor_revert::invalid_supply, "supply", supply};
  if (balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "reserve_balance", balance};
  if (!valid_ratio(ratio)) return {fn, bancor_revert::invalid_reserve_ratio, "reserve_ratio", ratio};
  if (amount.is_zero()) return bancor_evm_result(uint256(0));
  bancor_revert revert = bancor_revert::none;
  uint256 product;
  if (ratio == max_weight) {
    if (!detail::bancor_evm::checked_mul(amount, balance, product, revert))
      return {fn, revert, "amount * reserve_balance", amount};
    return bancor_evm_result((product - 1) / supply + 1);
  }
  uint256 base_n;
  if (!detail::bancor_evm::checked_add(supply, amount, base_n, revert)) return {fn, revert, "supply + amount", amount};
  bancor_power p;
  bancor_evm_result failure(uint256(0));
  if (!run_power(fn, base_n, supply, max_weight, ratio, "supply + amount", "amount", amount, p, failure))
    return failure;
  if (!detail::bancor_evm::checked_mul(balance, p.result, product, revert))
    return {fn, revert, "balance * power", balance};
  return bancor_evm_result((((product - 1) >> p.precision) + 1) - balance);
}

/// fundSupplyAmount: pool tokens minted for `amount` of reserve, S((1 + A/R)^(q/M) - 1), rounded down.
[[nodiscard]] inline bancor_evm_result try_fund_supply_amount(const uint256& supply, const uint256& balance,
                                                              std::uint32_t ratio, const uint256& amount) {
  constexpr std::string_view fn = "fund_supply_amount";
  using namespace detail_checks;
  if (supply.is_zero()) return {fn, bancor_revert::invalid_supply, "supply", supply};
  if (balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "reserve_balance", balance};
  if (!valid_ratio(ratio)) return {fn, bancor_revert::invalid_reserve_ratio, "reserve_ratio", ratio};
  return growth_amount(fn, supply, balance, ratio, amount);
}

/// liquidateReserveAmount: reserve paid for burning `amount` pool tokens, R(1 - ((S - A)/S)^(M/q)),
/// rounded down.
[[nodiscard]] inline bancor_evm_result try_liquidate_reserve_amount(const uint256& supply, const uint256& balance,
                                                                    std::uint32_t ratio, const uint256& amount) {
  constexpr std::string_view fn = "liquidate_reserve_amount";
  using namespace detail_checks;
  if (supply.is_zero()) return {fn, bancor_revert::invalid_supply, "supply", supply};
  if (balance.is_zero()) return {fn, bancor_revert::invalid_reserve_balance, "reserve_balance", balance};
  if (!valid_ratio(ratio)) return {fn, bancor_revert::invalid_reserve_ratio, "reserve_ratio", ratio};
  return reduction_amount(fn, supply, balance, ratio, amount);
}

/// purchase_target_amount, throwing bancor_evm_error where the contract reverts.
[[nodiscard]] inline uint256 purchase_target_amount(const uint256& supply, const uint256& balance, std::uint32_t weight,
                                                    const uint256& amount) {
  return try_purchase_target_amount(supply, balance, weight, amount).value();
}
/// sale_target_amount, throwing bancor_evm_error where the contract reverts.
[[nodiscard]] inline uint256 sale_target_amount(const uint256& supply, const uint256& balance, std::uint32_t weight,
                                                const uint256& amount) {
  return try_sale_target_amount(supply, balance, weight, amount).value();
}
/// cross_reserve_target_amount, throwing bancor_evm_error where the contract reverts.
[[nodiscard]] inline uint256 cross_reserve_target_amount(const uint256& source_balance, std::uint32_t source_weight,
                                                         const uint256& target_balance, std::uint32_t target_weight,
                                                         const uint256& amount) {
  return try_cross_reserve_target_amount(source_balance, source_weight, target_balance, target_weight, amount).value();
}
/// fund_cost, throwing bancor_evm_error where the contract reverts.
[[nodiscard]] inline uint256 fund_cost(const uint256& supply, const uint256& balance, std::uint32_t ratio,
                                       const uint256& amount) {
  return try_fund_cost(supply, balance, ratio, amount).value();
}
/// fund_supply_amount, throwing bancor_evm_error where the contract reverts.
[[nodiscard]] inline uint256 fund_supply_amount(const uint256& supply, const uint256& balance, std::uint32_t ratio,
                                                const uint256& amount) {
  return try_fund_supply_amount(supply, balance, ratio, amount).value();
}
/// liquidate_reserve_amount, throwing bancor_evm_error where the contract reverts.
[[nodiscard]] inline uint256 liquidate_reserve_amount(const uint256& supply, const uint256& balance,
                                                      std::uint32_t ratio, const uint256& amount) {
  return try_liquidate_reserve_amount(supply, balance, ratio, amount).value();
}

/// 10^decimals as a uint256 (the base units of one token); decimals <= 77.
[[nodiscard]] inline uint256 unit_scale(unsigned decimals) {
  detail::require(decimals <= 77, "decimals", decimals, "must be at most 77 (10^78 exceeds 2^256)");
  uint256 scale = 1;
  for (unsigned i = 0; i < decimals; ++i) scale *= 10u;
  return scale;
}

/// A real-valued token amount in whole base units (10^decimals per token), rounded down unless
/// `mode` says otherwise: how an amount of the exact curve (`curve/bancor.hpp`) enters the
/// on-chain formula. Amounts the exact curve's directed rounding produced are whole base units
/// already (up to the binary representation of a decimal): convert those with rounding::nearest.
template <class Number>
[[nodiscard]] uint256 to_base_units(const Number& tokens, unsigned decimals = 18, rounding mode = rounding::down) {
  using wide = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<100>, boost::multiprecision::et_off>;
  const wide value(tokens);
  detail::require(boost::multiprecision::isfinite(value) && value >= 0, "tokens", static_cast<double>(value),
                  "must be a finite, non-negative amount");
  const wide scaled = value * wide(unit_scale(decimals));
  wide units;
  switch (mode) {
    case rounding::down:
    case rounding::toward_zero:
      units = boost::multiprecision::floor(scaled);
      break;
    case rounding::up:
      units = boost::multiprecision::ceil(scaled);
      break;
    case rounding::nearest:
      units = boost::multiprecision::floor(scaled + wide(0.5));
      break;
    case rounding::nearest_even: {
      units = boost::multiprecision::floor(scaled);
      const wide fraction = scaled - units;
      if (fraction > wide(0.5) || (fraction == wide(0.5) && boost::multiprecision::fmod(units, wide(2)) != 0))
        units += 1;
      break;
    }
  }
  detail::require(units < boost::multiprecision::ldexp(wide(1), 256), "tokens", static_cast<double>(value),
                  "does not fit in 256 bits of base units");
  return units.template convert_to<uint256>();
}

/// A base-unit amount as a real-valued token amount (10^decimals base units per token).
template <class Number>
[[nodiscard]] Number from_base_units(const uint256& units, unsigned decimals = 18) {
  using wide = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<100>, boost::multiprecision::et_off>;
  const wide value = wide(units) / wide(unit_scale(decimals));
  if constexpr (std::is_floating_point_v<Number>)
    return value.template convert_to<Number>();
  else
    return Number(value);
}

/// A weight or reserve ratio given as a fraction (0.5 = 50 %) in parts per million, rounded to
/// nearest: the ABI's uint32 form. Throws bad_input outside (0, 2].
[[nodiscard]] inline std::uint32_t to_ppm(double fraction) {
  detail::require_finite(fraction, "fraction");
  detail::require(fraction > 0 && fraction <= 2, "fraction", fraction, "must lie in (0, 2]");
  const auto ppm = static_cast<std::uint32_t>(std::llround(fraction * max_weight));
  detail::require(ppm >= 1, "fraction", fraction, "is below one part per million");
  return ppm;
}

}  // namespace bancor_evm
EVMARKET_END_NAMESPACE
