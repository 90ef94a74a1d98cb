#pragma once
/// @file
/// Checked integer arithmetic: every operation either gives the exact result or throws
/// evmarket::overflow_error. Internal; the public face is core/units.hpp.

#include <evmarket/core/error.hpp>
#include <evmarket/core/rounding.hpp>

#include <cstdint>
#include <limits>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

__extension__ using int128 = __int128;
__extension__ using uint128 = unsigned __int128;

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* operation = "addition") {
  std::int64_t result;
  if (__builtin_add_overflow(a, b, &result)) throw overflow_error(operation);
  return result;
}
inline std::int64_t checked_sub(std::int64_t a, std::int64_t b, const char* operation = "subtraction") {
  std::int64_t result;
  if (__builtin_sub_overflow(a, b, &result)) throw overflow_error(operation);
  return result;
}
inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* operation = "multiplication") {
  std::int64_t result;
  if (__builtin_mul_overflow(a, b, &result)) throw overflow_error(operation);
  return result;
}
inline std::int64_t checked_neg(std::int64_t a, const char* operation = "negation") {
  return checked_sub(0, a, operation);
}

/// Narrows a 128-bit value to 64 bits, or throws.
inline std::int64_t narrow(int128 value, const char* operation) {
  if (value > std::numeric_limits<std::int64_t>::max() || value < std::numeric_limits<std::int64_t>::min())
    throw overflow_error(operation);
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
/// or does not fit in int64.
inline std::int64_t round_to_int64(double value, rounding mode, std::string_view field) {
  require_finite(value, field);
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
  require(rounded < limit && rounded >= -limit, field, value, "is outside the 64-bit integer range");
  return static_cast<std::int64_t>(rounded);
}

}  // namespace detail
EVMARKET_END_NAMESPACE
