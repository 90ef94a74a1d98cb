#pragma once
/// @file
/// Internal: the integer arithmetic of exact computations on values scaled by a common
/// denominator. Two types share one interface: a native 128-bit integer whose every operation is
/// checked (it throws `scaled_overflow` before leaving a safe range, never wraps), and cpp_int,
/// which cannot overflow. Algorithms are written once over both and run first on the fast one,
/// again on cpp_int if it overflowed.

#include <evmarket/config.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <bit>
#include <cstdint>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

__extension__ typedef __int128 wide_int;  // GCC and Clang both provide it
__extension__ typedef unsigned __int128 unsigned_wide_int;
using big_int = boost::multiprecision::cpp_int;

/// Thrown by the checked wide_int operations; callers catch it and redo the work in big_int.
struct scaled_overflow {};

/// Bits of |value| (0 for 0). Values are kept below 2^120 in magnitude, so the sign is never a
/// problem and the checks below stay simple: they are conservative, not tight.
inline int magnitude_bits(wide_int value) noexcept {
  const auto magnitude = static_cast<unsigned_wide_int>(value < 0 ? -value : value);
  const auto high = static_cast<std::uint64_t>(magnitude >> 64);
  return static_cast<int>(high != 0 ? 64 + std::bit_width(high) : std::bit_width(static_cast<std::uint64_t>(magnitude)));
}

inline constexpr int wide_limit_bits = 120;

inline wide_int checked(wide_int value) {
  if (magnitude_bits(value) > wide_limit_bits) throw scaled_overflow{};
  return value;
}
inline wide_int add(wide_int a, wide_int b) { return checked(checked(a) + checked(b)); }
inline wide_int sub(wide_int a, wide_int b) { return checked(checked(a) - checked(b)); }
inline wide_int mul(wide_int a, wide_int b) {
  if (magnitude_bits(a) + magnitude_bits(b) > wide_limit_bits) throw scaled_overflow{};
  return a * b;
}
inline wide_int gcd_of(wide_int a, wide_int b) noexcept {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const wide_int r = a % b;
    a = b;
    b = r;
  }
  return a;
}
inline big_int to_big(wide_int value) {
  const bool negative = value < 0;
  const auto magnitude = static_cast<unsigned_wide_int>(negative ? -value : value);
  big_int result = static_cast<std::uint64_t>(magnitude >> 64);
  result <<= 64;
  result += static_cast<std::uint64_t>(magnitude);
  return negative ? big_int(-result) : result;
}
/// The big integer as a wide_int; throws scaled_overflow when it is out of the safe range.
inline wide_int from_big(const big_int& value, wide_int /*tag*/) {
  if (boost::multiprecision::msb(abs(value) + 1) >= static_cast<unsigned>(wide_limit_bits)) throw scaled_overflow{};
  const bool negative = value < 0;
  const big_int magnitude = abs(value);
  const auto low = static_cast<std::uint64_t>(magnitude & big_int(~std::uint64_t{0}));
  const auto high = static_cast<std::uint64_t>(magnitude >> 64);
  const wide_int result = (static_cast<wide_int>(high) << 64) | static_cast<wide_int>(low);
  return negative ? -result : result;
}

inline big_int add(const big_int& a, const big_int& b) { return a + b; }
inline big_int sub(const big_int& a, const big_int& b) { return a - b; }
inline big_int mul(const big_int& a, const big_int& b) { return a * b; }
inline big_int gcd_of(const big_int& a, const big_int& b) { return boost::multiprecision::gcd(a, b); }
inline big_int to_big(const big_int& value) { return value; }
inline big_int from_big(const big_int& value, const big_int& /*tag*/) { return value; }
inline int magnitude_bits(const big_int& value) {
  return value == 0 ? 0 : static_cast<int>(boost::multiprecision::msb(abs(value))) + 1;
}

}  // namespace detail
EVMARKET_END_NAMESPACE
