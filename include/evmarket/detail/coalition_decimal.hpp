#pragma once
/// @file
/// Internal: doubles read as the decimals their writer meant. 48.35 is stored as the binary
/// fraction 6805099026617549 / 2^47; its shortest round-tripping decimal is 4835 / 100. A table of
/// such values scaled by a common power of ten 10^D becomes a table of integers, which doubles hold
/// exactly below 2^53, and exact methods can run on that.

#include <evmarket/config.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// Digits after the decimal point of the shortest decimal that round-trips to `value` (finite).
inline int shortest_decimal_places(double value) {
  if (std::trunc(value) == value) return 0;
  char text[40];
  const auto written = std::to_chars(text, text + sizeof text, value, std::chars_format::scientific);
  // The form is [-]d[.ddd]e(+|-)xx: fraction digits of the mantissa minus the exponent.
  const char* p = text;
  if (*p == '-') ++p;
  ++p;  // the leading digit
  int mantissa_places = 0;
  if (*p == '.')
    for (++p; *p != 'e'; ++p) ++mantissa_places;
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), written.ptr, exponent);
  return mantissa_places - exponent > 0 ? mantissa_places - exponent : 0;
}

/// 10^places, exact for places <= 22 (every step is a representable integer).
constexpr double power_of_ten(int places) {
  double result = 1;
  for (int k = 0; k < places; ++k) result *= 10;
  return result;
}

/// The common power of ten D that turns every value into an integer of magnitude below 2^51,
/// where the product value * 10^D rounds to that integer exactly; nullopt when there is none
/// (more than 22 decimal places, or integers too large for a double).
inline std::optional<int> common_decimal_places(std::span<const double> values) {
  constexpr double limit = 2251799813685248.0;  // 2^51
  int places = 0;
  double largest = 0;
  for (const double v : values) {
    const int p = shortest_decimal_places(v);
    if (p > places) places = p;
    if (places > 22) return std::nullopt;
    largest = std::max(largest, std::abs(v));
  }
  if (largest * power_of_ten(places) >= limit) return std::nullopt;
  return places;
}

/// The values times 10^places, each rounded to the integer it is exactly (see above).
inline std::vector<double> scaled_by_power_of_ten(std::span<const double> values, int places) {
  const double factor = power_of_ten(places);
  std::vector<double> scaled(values.size());
  for (std::size_t s = 0; s < values.size(); ++s) scaled[s] = std::nearbyint(values[s] * factor);
  return scaled;
}

}  // namespace detail
EVMARKET_END_NAMESPACE
