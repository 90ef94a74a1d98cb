#pragma once
/// @file
/// log1p and expm1 for Boost.Multiprecision floating-point numbers, by two table lookups and a
/// short Taylor series: several times faster than the general-purpose functions at 50 digits.
/// Relative error below 2^14 units in the last place (times (1 + |y|) for expm1(y)), which the
/// curve's directed rounding margin of 2^20 units covers. Internal: used by curve/bancor.hpp.

#include <evmarket/config.hpp>

#include <boost/multiprecision/number.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail::bancor_real {

/// Tables for one number type, built once (a few hundred full-precision log/exp evaluations).
template <class Number>
struct kernels {
  static constexpr int coarse_bits = 6;                                 // first table step 2^-6
  static constexpr int fine_bits = 12;                                  // second table step 2^-12, leaving |s| <= 2^-13
  static constexpr int fine_half = 1 << (fine_bits - coarse_bits - 1);  // fine index in [-half, half]

  Number ln2;
  std::vector<Number> exp_coarse;          // exp(j / 2^6), j in [-coarse_span, coarse_span]
  std::vector<Number> exp_fine;            // exp(j / 2^12), j in [-fine_half, fine_half]
  std::vector<Number> inverse_factorial;   // 1 / n!, n = 0..exp_terms
  std::vector<Number> log_inverse_coarse;  // log(inv_j) for the stored inv_j below
  std::vector<Number> inverse_coarse;      // ~ 1 / c_j, c_j = 1/2 + (j + 1/2) / 2^7, j = 0..63
  std::vector<Number> inverse_fine;        // ~ 1 / (1 + j / 2^12)
  std::vector<Number> inverse_fine_minus_one;
  std::vector<Number> log_inverse_fine;
  std::vector<Number> series_reciprocal;  // (-1)^(n+1) / n, n = 1..log_terms
  int coarse_span = 0;
  int exp_terms = 0;
  int log_terms = 0;

  kernels() {
    using std::exp;
    using std::log;
    const double bits = std::numeric_limits<Number>::digits * std::log2(double(std::numeric_limits<Number>::radix));
    const double target = bits + 4;
    // expm1 series on |s| <= 2^-13: the first dropped term s^n / n! must fall below 2^-target.
    double size = 0;
    exp_terms = 1;
    while (size < target) {
      ++exp_terms;
      size = 13.0 * exp_terms + std::lgamma(exp_terms + 1.0) / std::log(2.0);
    }
    log_terms = static_cast<int>(std::ceil(target / 13.0)) + 1;
    ln2 = log(Number(2));
    coarse_span = static_cast<int>(std::ceil(0.35 * (1 << coarse_bits))) + 1;
    for (int j = -coarse_span; j <= coarse_span; ++j) exp_coarse.push_back(exp(Number(j) / (1 << coarse_bits)));
    for (int j = -fine_half; j <= fine_half; ++j) exp_fine.push_back(exp(Number(j) / (1 << fine_bits)));
    Number factorial(1);
    for (int n = 0; n <= exp_terms; ++n) {
      if (n > 0) factorial *= n;
      inverse_factorial.push_back(Number(1) / factorial);
    }
    for (int j = 0; j < 64; ++j) {
      const Number centre = Number(0.5) + (Number(j) + Number(0.5)) / 128;
      inverse_coarse.push_back(Number(1) / centre);
      log_inverse_coarse.push_back(log(inverse_coarse.back()));
    }
    for (int j = -2 * fine_half; j <= 2 * fine_half; ++j) {
      inverse_fine.push_back(Number(1) / (Number(1) + Number(j) / (1 << fine_bits)));
      inverse_fine_minus_one.push_back(inverse_fine.back() - 1);
      log_inverse_fine.push_back(log(inverse_fine.back()));
    }
    for (int n = 1; n <= log_terms; ++n) series_reciprocal.push_back(Number(n % 2 == 1 ? 1 : -1) / n);
  }

  static const kernels& get() {
    static const kernels instance;
    return instance;
  }

  /// e^s - 1 for |s| <= 2^-13 (Horner on the Taylor series).
  Number expm1_small(const Number& s) const {
    Number p = inverse_factorial[static_cast<std::size_t>(exp_terms)];
    for (int n = exp_terms - 1; n >= 1; --n) p = p * s + inverse_factorial[static_cast<std::size_t>(n)];
    return Number(p * s);
  }

  /// log(1 + t) for |t| <= ~2^-12.
  Number log1p_small(const Number& t) const {
    Number p = series_reciprocal[static_cast<std::size_t>(log_terms - 1)];
    for (int n = log_terms - 1; n >= 1; --n) p = p * t + series_reciprocal[static_cast<std::size_t>(n - 1)];
    return Number(p * t);
  }

  /// e^y - 1.
  Number expm1(const Number& y) const {
    using std::abs;
    using std::ldexp;
    if (abs(y) <= ldexp(Number(1), -(fine_bits + 1))) return expm1_small(y);
    const double y_estimate = y.template convert_to<double>();
    if (!(std::abs(y_estimate) < 1e9)) return Number(boost::multiprecision::expm1(y));  // far outside any trade
    const double k = std::nearbyint(y_estimate / 0.6931471805599453);
    const Number r = y - ln2 * Number(k);
    const Number scaled_r = ldexp(r, coarse_bits);
    const int j = static_cast<int>(std::nearbyint(scaled_r.template convert_to<double>()));
    const Number s = r - ldexp(Number(j), -coarse_bits);
    const int j2 = static_cast<int>(std::nearbyint(ldexp(s, fine_bits).template convert_to<double>()));
    const Number s2 = s - ldexp(Number(j2), -fine_bits);
    const Number product =
        exp_coarse[static_cast<std::size_t>(j + coarse_span)] * exp_fine[static_cast<std::size_t>(j2 + fine_half)];
    const Number e = product + product * expm1_small(s2);
    return Number(ldexp(e, static_cast<int>(k)) - 1);
  }

  /// log(1 + x) for x > -1.
  Number log1p(const Number& x) const {
    using std::abs;
    using std::frexp;
    using std::ldexp;
    if (abs(x) <= ldexp(Number(1), -(fine_bits + 1))) return log1p_small(x);
    int exponent = 0;
    const Number f = frexp(Number(1 + x), &exponent);  // f in [1/2, 1)
    const int j = std::min(63, static_cast<int>(((f - Number(0.5)) * 128).template convert_to<double>()));
    const Number t = f * inverse_coarse[static_cast<std::size_t>(j)] - 1;  // |t| <= 2^-7
    const int j2 = static_cast<int>(std::nearbyint(ldexp(t, fine_bits).template convert_to<double>()));
    const std::size_t i2 = static_cast<std::size_t>(j2 + 2 * fine_half);
    const Number t2 = t * inverse_fine[i2] + inverse_fine_minus_one[i2];  // (1 + t) / (1 + j2 / 2^12) - 1
    return Number(ln2 * exponent - log_inverse_coarse[static_cast<std::size_t>(j)] - log_inverse_fine[i2] +
                  log1p_small(t2));
  }
};

}  // namespace detail::bancor_real
EVMARKET_END_NAMESPACE
