#pragma once
/// @file
/// The fixed-point core of the on-chain Bancor formula (power, logarithms, exponentials) in
/// 256-bit unsigned integers. Internal: include <evmarket/curve/bancor_evm.hpp> instead.

#include <evmarket/config.hpp>
#include <evmarket/detail/bancor_evm_constants.hpp>
#include <evmarket/detail/checked.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <array>
#include <cstdint>
#include <limits>

EVMARKET_BEGIN_NAMESPACE

/// A 256-bit unsigned integer with the EVM's width (fixed size, no expression templates).
using uint256 = boost::multiprecision::number<
    boost::multiprecision::cpp_int_backend<256, 256, boost::multiprecision::unsigned_magnitude,
                                           boost::multiprecision::unchecked, void>,
    boost::multiprecision::et_off>;

/// Why an on-chain Bancor computation reverted: the contract's require() checks and SafeMath.
enum class bancor_revert : std::uint8_t {
  none = 0,                 ///< no revert: the call returned a value
  invalid_supply,           ///< "ERR_INVALID_SUPPLY": supply is zero
  invalid_reserve_balance,  ///< "ERR_INVALID_RESERVE_BALANCE": a reserve balance is zero
  invalid_reserve_weight,   ///< "ERR_INVALID_RESERVE_WEIGHT": a weight outside (0, 1'000'000]
  invalid_reserve_ratio,    ///< "ERR_INVALID_RESERVE_RATIO": a ratio outside (1, 2'000'000]
  invalid_amount,           ///< "ERR_INVALID_AMOUNT": more tokens than the supply
  multiplication_overflow,  ///< "SafeMath: multiplication overflow"
  addition_overflow,        ///< "SafeMath: addition overflow"
  power_base_too_large,     ///< power(): require(baseN < 2^129), no message
  exponent_too_large,       ///< findPositionInMaxExpArray: exponent above maxExpArray[32], no message
};

namespace detail::bancor_evm {

/// A 512-bit product, only where a SafeMath check must see past 2^256.
using uint512 = boost::multiprecision::number<
    boost::multiprecision::cpp_int_backend<512, 512, boost::multiprecision::unsigned_magnitude,
                                           boost::multiprecision::unchecked, void>,
    boost::multiprecision::et_off>;

inline constexpr std::uint32_t max_weight = 1'000'000;
inline constexpr unsigned max_precision = 127;
inline constexpr unsigned min_precision = 32;

/// A value or the reason the contract would revert (with the argument it concerns).
struct outcome {
  uint256 value;
  bancor_revert revert = bancor_revert::none;
};

/// power()'s result: r / 2^precision approximates (baseN / baseD)^(expN / expD) from below.
struct power_outcome {
  uint256 result;
  unsigned precision = 0;
  bancor_revert revert = bancor_revert::none;
};

inline uint256 from_limbs(const bancor_evm_constants::limbs& l) {
  uint256 v = l[2];
  v <<= 64;
  v |= l[1];
  v <<= 64;
  v |= l[0];
  return v;
}

/// n! for n <= 33 (33! < 2^123), computed at compile time: the Taylor coefficients' rule.
constexpr uint128 factorial(unsigned n) {
  uint128 f = 1;
  for (unsigned k = 2; k <= n; ++k) f *= k;
  return f;
}

inline uint256 from_u128(uint128 v) {
  uint256 r = static_cast<std::uint64_t>(v >> 64);
  r <<= 64;
  r |= static_cast<std::uint64_t>(v);
  return r;
}

/// The low 128 bits of `v`, read from its limbs.
inline uint128 to_u128_value(const uint256& v) noexcept {
  static_assert(sizeof(boost::multiprecision::limb_type) == 8, "the limb reader expects 64-bit limbs");
  const auto& backend = v.backend();
  const boost::multiprecision::limb_type* limbs = backend.limbs();
  const uint128 low = limbs[0];
  return backend.size() > 1 ? (static_cast<uint128>(limbs[1]) << 64) | low : low;
}

/// Every constant as a uint256, built once from the generated limbs and the factorial rules.
struct tables {
  uint256 fixed_1, fixed_2, max_num, opt_exp_max_val, low_124_mask;
  uint256 ln2_numerator, ln2_denominator, opt_log_max_val;
  std::array<uint256, 8> log_thresholds;       // T_1..T_8
  std::array<uint256, 8> log_numerators;       // N_0..N_7
  std::array<uint128, 8> log_numerators_u128;  // N_1..N_7 (N_0 = 2^128 does not fit; slot 0 unused)
  std::array<uint256, 7> exp_numerators, exp_denominators;
  std::array<std::uint64_t, 21> optimal_exp_coefficients;  // [k] = 20!/k!, k = 2..20
  std::uint64_t optimal_exp_divisor;                       // 20!
  std::array<uint256, 34> general_exp_coefficients;        // [k] = 33!/k!, k = 2..33
  uint256 general_exp_divisor;                             // 33!
  std::array<uint256, 128> max_exp_array;

  tables() {
    namespace c = bancor_evm_constants;
    fixed_1 = uint256(1) << 127;
    fixed_2 = uint256(1) << 128;
    max_num = uint256(1) << 129;
    opt_exp_max_val = uint256(1) << 131;
    low_124_mask = (uint256(1) << 124) - 1;
    ln2_numerator = from_limbs(c::ln2_numerator);
    ln2_denominator = from_limbs(c::ln2_denominator);
    opt_log_max_val = from_limbs(c::opt_log_max_val);
    for (std::size_t n = 0; n < 8; ++n) log_thresholds[n] = from_limbs(c::optimal_log_thresholds[n]);
    // N_k = floor(2^127 (2k+2) / (2k+1)); the matching D_k = 2^127 (2k+2) is applied as a shift
    // and a small division (floor(floor(a / 2^127) / m) = floor(a / (2^127 m))).
    for (unsigned k = 0; k < 8; ++k) log_numerators[k] = (fixed_1 * (2 * k + 2)) / (2 * k + 1);
    log_numerators_u128 = {};
    for (unsigned k = 1; k < 8; ++k) log_numerators_u128[k] = to_u128_value(log_numerators[k]);
    for (std::size_t n = 0; n < 7; ++n) {
      exp_numerators[n] = from_limbs(c::optimal_exp_numerators[n]);
      exp_denominators[n] = from_limbs(c::optimal_exp_denominators[n]);
    }
    optimal_exp_coefficients = {};
    optimal_exp_divisor = static_cast<std::uint64_t>(factorial(20));
    for (unsigned k = 2; k <= 20; ++k)
      optimal_exp_coefficients[k] = static_cast<std::uint64_t>(factorial(20) / factorial(k));
    general_exp_coefficients = {};
    general_exp_divisor = from_u128(factorial(33));
    for (unsigned k = 2; k <= 33; ++k) general_exp_coefficients[k] = from_u128(factorial(33) / factorial(k));
    for (std::size_t p = 0; p < 128; ++p) max_exp_array[p] = from_limbs(c::max_exp_array[p]);
  }
};

inline const tables& constants() {
  static const tables instance;
  return instance;
}

/// Index of the highest set bit; 0 for n <= 1 (the contract's floorLog2).
inline unsigned floor_log2(const uint256& n) {
  if (n <= 1) return 0;
  return static_cast<unsigned>(boost::multiprecision::msb(n));
}

/// SafeMath mul's check: true when a * b >= 2^256.
inline bool mul_overflows(const uint256& a, const uint256& b) {
  if (a.is_zero() || b.is_zero()) return false;
  const auto bits = boost::multiprecision::msb(a) + boost::multiprecision::msb(b);
  if (bits <= 254) return false;  // a * b < 2^(msb a + 1) * 2^(msb b + 1) <= 2^256
  if (bits >= 256) return true;   // a * b >= 2^(msb a + msb b)
  const uint512 wide = uint512(a) * uint512(b);
  return (wide >> 256) != 0;
}

/// SafeMath mul: the product, or multiplication_overflow.
inline bool checked_mul(const uint256& a, const uint256& b, uint256& product, bancor_revert& revert) {
  if (mul_overflows(a, b)) {
    revert = bancor_revert::multiplication_overflow;
    return false;
  }
  product = a * b;
  return true;
}

/// SafeMath add: the sum, or addition_overflow.
inline bool checked_add(const uint256& a, const uint256& b, uint256& sum, bancor_revert& revert) {
  sum = a + b;  // wraps modulo 2^256
  if (sum < a) {
    revert = bancor_revert::addition_overflow;
    return false;
  }
  return true;
}

/// ln(x / 2^127) * 2^127 for x >= 2^127, rounded down (§4.2).
inline uint256 general_log(uint256 x) {
  const tables& t = constants();
  uint256 res = 0;
  if (x >= t.fixed_2) {
    const unsigned count = floor_log2(x >> 127);
    x >>= count;
    res = t.fixed_1 * count;
  }
  if (x > t.fixed_1) {
    for (unsigned i = max_precision; i > 0; --i) {
      x = (x * x) >> 127;
      if (x >= t.fixed_2) {
        x >>= 1;
        res += uint256(1) << (i - 1);
      }
    }
  }
  return (res * t.ln2_numerator) / t.ln2_denominator;
}

// The series parts of optimalLog and optimalExp work on values below 2^128, so they run on
// 128-bit integers with a hand-made 128 x 128 -> 256-bit product: the same integer results as
// the 256-bit formulas, several times faster than general-width arithmetic.

/// The 256-bit product of two 128-bit integers, as (high, low) halves.
struct wide_product {
  uint128 high;
  uint128 low;
};

inline wide_product multiply_wide(uint128 a, uint128 b) noexcept {
  const auto a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
  const auto b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
  const uint128 p00 = static_cast<uint128>(a0) * b0, p01 = static_cast<uint128>(a0) * b1;
  const uint128 p10 = static_cast<uint128>(a1) * b0, p11 = static_cast<uint128>(a1) * b1;
  const uint128 middle = (p00 >> 64) + static_cast<std::uint64_t>(p01) + static_cast<std::uint64_t>(p10);
  return {p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64), (middle << 64) | static_cast<std::uint64_t>(p00)};
}

/// floor(a * b / 2^127) for a product below 2^255 (so the quotient fits in 128 bits).
inline uint128 multiply_shift_127(uint128 a, uint128 b) noexcept {
  const wide_product p = multiply_wide(a, b);
  return (p.high << 1) | (p.low >> 127);
}

/// The low 128 bits of `v` (callers pass values below 2^128).
inline uint128 to_u128(const uint256& v) { return to_u128_value(v); }

/// ln(x / 2^127) * 2^127 for 2^127 <= x < e * 2^127 (§4.3).
inline uint256 optimal_log(uint256 x) {
  const tables& t = constants();
  uint128 res = 0;
  for (unsigned n = 1; n <= 8; ++n) {
    if (x >= t.log_thresholds[n - 1]) {
      res += uint128(1) << (127 - n);
      x = (x << 127) / t.log_thresholds[n - 1];
    }
  }
  // Now x < T_8 < 2^128, so y = x - 2^127 < 2^120 and every term below fits in 128 bits.
  const uint128 y = to_u128(x) - (uint128(1) << 127);
  if (y == 0) return from_u128(res);
  uint128 z = y;
  const uint128 w = multiply_shift_127(y, y);
  for (unsigned k = 0; k < 8; ++k) {
    // N_k - y; N_0 = 2^128 does not fit in 128 bits, but 2^128 - y does (y > 0).
    const uint128 factor = k == 0 ? static_cast<uint128>(0) - y : t.log_numerators_u128[k] - y;
    res += multiply_shift_127(z, factor) / (2 * k + 2);
    if (k < 7) z = multiply_shift_127(z, w);
  }
  return from_u128(res);
}

/// e^(x / 2^127) * 2^127 for x < 2^131 (§6.1).
inline uint256 optimal_exp(const uint256& x) {
  const tables& t = constants();
  const uint128 y = to_u128(x & t.low_124_mask);
  uint128 z = y;
  // The Taylor sum (below 2^186) as a 128-bit low part and a 64-bit high part.
  uint128 low = 0;
  std::uint64_t high = 0;
  for (unsigned k = 2; k <= 20; ++k) {
    z = multiply_shift_127(z, y);
    const std::uint64_t c = t.optimal_exp_coefficients[k];
    const uint128 part0 = static_cast<uint128>(static_cast<std::uint64_t>(z)) * c;
    const uint128 part1 = static_cast<uint128>(static_cast<std::uint64_t>(z >> 64)) * c;  // times 2^64
    const uint128 before = low;
    low += part0;
    high += static_cast<std::uint64_t>(low < before);
    const uint128 before_shifted = low;
    low += part1 << 64;
    high += static_cast<std::uint64_t>(part1 >> 64) + static_cast<std::uint64_t>(low < before_shifted);
  }
  // The sum // 20!, limb by limb (20! < 2^64); the quotient is below 2^128.
  const std::uint64_t d = t.optimal_exp_divisor;
  const uint128 upper = (static_cast<uint128>(high % d) << 64) | static_cast<std::uint64_t>(low >> 64);
  const uint128 lower =
      (static_cast<uint128>(static_cast<std::uint64_t>(upper % d)) << 64) | static_cast<std::uint64_t>(low);
  EVMARKET_ASSERT(high / d == 0 && upper / d <= std::numeric_limits<std::uint64_t>::max());
  const uint128 series = ((upper / d) << 64) + lower / d;
  uint256 res = from_u128(series) + from_u128(y) + t.fixed_1;
  for (unsigned n = 0; n < 7; ++n) {
    if (boost::multiprecision::bit_test(x, 124 + n)) res = (res * t.exp_numerators[n]) / t.exp_denominators[n];
  }
  return res;
}

/// e^(x / 2^p) * 2^p for x within maxExpArray's bound at precision p (§6.2).
inline uint256 general_exp(const uint256& x, unsigned precision) {
  const tables& t = constants();
  uint256 xi = x;
  uint256 res = 0;
  for (unsigned k = 2; k <= 33; ++k) {
    xi = (xi * x) >> precision;
    res += xi * t.general_exp_coefficients[k];
  }
  return res / t.general_exp_divisor + x + (uint256(1) << precision);
}

/// The largest p in [32, 127] with maxExpArray[p] >= x, by the contract's binary search (§8).
inline bool find_position_in_max_exp_array(const uint256& x, unsigned& position) {
  const auto& a = constants().max_exp_array;
  unsigned lo = min_precision;
  unsigned hi = max_precision;
  while (lo + 1 < hi) {
    const unsigned mid = (lo + hi) / 2;
    if (a[mid] >= x)
      lo = mid;
    else
      hi = mid;
  }
  if (a[hi] >= x) {
    position = hi;
    return true;
  }
  if (a[lo] >= x) {
    position = lo;
    return true;
  }
  return false;
}

/// (baseN / baseD)^(expN / expD) * 2^p as (r, p), from below (§3). Needs baseN >= baseD >= 1.
inline power_outcome power(const uint256& base_n, const uint256& base_d, std::uint32_t exp_n, std::uint32_t exp_d) {
  const tables& t = constants();
  if (base_n >= t.max_num) return {0, 0, bancor_revert::power_base_too_large};
  const uint256 base = (base_n << 127) / base_d;
  const uint256 log = base < t.opt_log_max_val ? optimal_log(base) : general_log(base);
  const uint256 exponent = (log * exp_n) / exp_d;
  if (exponent < t.opt_exp_max_val) return {optimal_exp(exponent), max_precision, bancor_revert::none};
  unsigned precision = 0;
  if (!find_position_in_max_exp_array(exponent, precision)) return {0, 0, bancor_revert::exponent_too_large};
  return {general_exp(exponent >> (max_precision - precision), precision), precision, bancor_revert::none};
}

}  // namespace detail::bancor_evm
EVMARKET_END_NAMESPACE
