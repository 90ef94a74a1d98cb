#pragma once
/// @file
/// Checked integer arithmetic: every operation either gives the exact result or throws
/// evmarket::overflow_error. Internal; the public face is core/units.hpp.

#include <evmarket/core/error.hpp>
#include <evmarket/core/rounding.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

__extension__ using int128 = __int128;
__extension__ using uint128 = unsigned __int128;

/// "a op b" for an overflow message: the operands say which values did not fit.
inline std::string operands(std::int64_t a, std::string_view op, std::int64_t b) {
  return std::to_string(a).append(op).append(std::to_string(b));
}

/// Decimal text of a 128-bit integer (std::to_string has no overload for it).
inline std::string int128_text(int128 value) {
  const bool negative = value < 0;
  uint128 magnitude = negative ? uint128(0) - static_cast<uint128>(value) : static_cast<uint128>(value);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  return negative ? "-" + digits : digits;
}

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* operation = "addition") {
  std::int64_t result;
  if (__builtin_add_overflow(a, b, &result)) throw overflow_error(operation, operands(a, " + ", b));
  return result;
}
inline std::int64_t checked_sub(std::int64_t a, std::int64_t b, const char* operation = "subtraction") {
  std::int64_t result;
  if (__builtin_sub_overflow(a, b, &result)) throw overflow_error(operation, operands(a, " - ", b));
  return result;
}
inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* operation = "multiplication") {
  std::int64_t result;
  if (__builtin_mul_overflow(a, b, &result)) throw overflow_error(operation, operands(a, " * ", b));
  return result;
}
inline std::int64_t checked_neg(std::int64_t a, const char* operation = "negation") {
  return checked_sub(0, a, operation);
}

/// Narrows a 128-bit value to 64 bits, or throws.
inline std::int64_t narrow(int128 value, const char* operation) {
  if (value > std::numeric_limits<std::int64_t>::max() || value < std::numeric_limits<std::int64_t>::min())
    throw overflow_error(operation, "result " + int128_text(value) + " leaves the 64-bit range");
  return static_cast<std::int64_t>(value);
}

/// numerator / denominator rounded as `mode` says, exactly, in the integer type `Int`
/// (denominator != 0; negating either operand must not overflow `Int`).
template <class Int>
constexpr Int divide_rounded(Int numerator, Int denominator, rounding mode) {
  EVMARKET_ASSERT(denominator != 0);
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const Int quotient = numerator / denominator;   // truncates toward zero
  const Int remainder = numerator % denominator;  // same sign as numerator
  if (remainder == 0) return quotient;
  const Int away = remainder < 0 ? quotient - 1 : quotient + 1;
  // |remainder| against what is left to the next multiple: twice |remainder| >= denominator
  // exactly when |remainder| >= denominator - |remainder|, and that never overflows.
  const Int magnitude = remainder < 0 ? -remainder : remainder;
  const Int rest = denominator - magnitude;
  switch (mode) {
    case rounding::toward_zero:
      return quotient;
    case rounding::down:
      return remainder < 0 ? away : quotient;
    case rounding::up:
      return remainder > 0 ? away : quotient;
    case rounding::nearest:
      return magnitude >= rest ? away : quotient;  // halves away from zero
    case rounding::nearest_even:
      return magnitude > rest || (magnitude == rest && quotient % 2 != 0) ? away : quotient;
  }
  return quotient;
}

/// numerator / denominator rounded as `mode` says, exactly (denominator != 0).
inline int128 divide(int128 numerator, int128 denominator, rounding mode) {
  return divide_rounded<int128>(numerator, denominator, mode);
}

/// a * b / c, exact, rounded as `mode` says; throws when c == 0 or the result leaves int64. The
/// common case (a product that fits 64 bits) stays in 64-bit arithmetic; the rest goes through 128.
inline std::int64_t mul_div(std::int64_t a, std::int64_t b, std::int64_t c, rounding mode,
                            const char* operation = "multiply-divide") {
  if (c == 0) throw bad_input("divisor", "0", std::string(operation) + " divides by zero");
  constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
  std::int64_t product;
  if (!__builtin_mul_overflow(a, b, &product) && product != lowest && c != lowest)
    return divide_rounded<std::int64_t>(product, c, mode);
  return narrow(divide(static_cast<int128>(a) * b, c, mode), operation);
}

/// Rounds a finite double to an integer as `mode` says; throws bad_input when it is not finite
/// or does not fit in int64. The message shows `shown`: the caller's value before any scaling
/// (kilowatts(1e17) reports 1e17, not the 1e20 watts it became).
inline std::int64_t round_to_int64(double value, rounding mode, std::string_view field, double shown) {
  require_finite(shown, field);  // a finite value scaled past the double range fails the range check below
  double rounded = 0;
  switch (mode) {
    case rounding::toward_zero:
      rounded = std::trunc(value);
      break;
    case rounding::down:
      rounded = std::floor(value);
      break;
    case rounding::up:
      rounded = std::ceil(value);
      break;
    case rounding::nearest:
      rounded = std::round(value);
      break;
    case rounding::nearest_even:
      rounded = std::nearbyint(value);
      break;  // default FE_TONEAREST
  }
  // 2^63 is exactly representable; anything at or beyond it does not fit.
  constexpr double limit = 9223372036854775808.0;
  require(rounded < limit && rounded >= -limit, field, shown, "is outside the 64-bit integer range of base units");
  return static_cast<std::int64_t>(rounded);
}

/// As above, for a value that was not scaled.
inline std::int64_t round_to_int64(double value, rounding mode, std::string_view field) {
  return round_to_int64(value, mode, field, value);
}

}  // namespace detail
EVMARKET_END_NAMESPACE
