// The nucleolus and prenucleolus of arbitrary small games (1 to 6 players; values negative,
// fractional, tiny, up to 1e9, NaN, infinite). Properties: a game that cannot be built or has no nucleolus
// throws an evmarket::error; otherwise either Kohlberg's criterion, checked again here on the exact
// allocation, proves the answer, which is efficient and (for the nucleolus) an imputation, or the
// result says it is not certified and why. (Uncertified answers do occur when values nearly tie at
// 1e8 or span hundreds of orders of magnitude: tests/fuzz/findings/ keeps such inputs.)
#include "fuzz_support.hpp"

#include <evmarket/lp.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace evmarket;

namespace {

double arbitrary_value(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 19)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return std::numeric_limits<double>::infinity();
    case 2:
      return in.ConsumeFloatingPointInRange<double>(-1e9, 1e9);
    case 3:
      return in.ConsumeFloatingPointInRange<double>(-1e-9, 1e-9);
    case 4:
      return static_cast<double>(in.ConsumeIntegralInRange<int>(-100, 100)) / 8;
    default:
      return static_cast<double>(in.ConsumeIntegralInRange<int>(-3, 40));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const auto n = in.ConsumeIntegralInRange<std::size_t>(1, 6);
  const bool pre = in.ConsumeBool();
  std::vector<double> values(std::size_t{1} << n);
  for (std::size_t s = 1; s < values.size(); ++s) values[s] = arbitrary_value(in);
  if (in.ConsumeIntegralInRange<int>(0, 15) == 0) values[0] = arbitrary_value(in);
  try {
    const tu_game<double> game = tu_game<double>::from_table(n, values);
    const nucleolus_result r = pre ? prenucleolus(game) : nucleolus(game);
    if (!r.certified()) {
      FUZZ_CHECK(!r.certificate.reason.empty());
      return 0;
    }
    FUZZ_CHECK(r.exact_allocation.size() == n && r.allocation.size() == n);
    // The game solved: a double game is read by default as the decimals its values print as
    // (nucleolus_options::decimal_values), i.e. as 10^D v with integer values, scaled back. The
    // checks run on that game, 10^D v against 10^D x, where both sides are exact.
    double factor = 1;
    if (r.decimal_reading) {
      const auto places = detail::common_decimal_places(values);
      FUZZ_CHECK(places.has_value());
      factor = detail::power_of_ten(*places);
    }
    std::vector<double> solved = values;
    if (factor != 1) solved = detail::scaled_by_power_of_ten(values, static_cast<int>(std::lround(std::log10(factor))));
    const tu_game<double> solved_game = tu_game<double>::from_table(n, solved);
    std::vector<exact_rational> x(r.exact_allocation);
    for (exact_rational& xi : x) xi *= exact_rational(factor);
    const kohlberg_certificate again = kohlberg_check(solved_game, std::span<const exact_rational>(x),
                                                      pre ? solution_kind::prenucleolus : solution_kind::nucleolus);
    FUZZ_CHECK(again.holds);
    exact_rational total(0);
    for (std::size_t i = 0; i < n; ++i) {
      total += x[i];
      if (!pre) FUZZ_CHECK(x[i] >= exact_rational(solved[std::size_t{1} << i]));
    }
    FUZZ_CHECK(total == exact_rational(solved.back()));
  } catch (const error&) {
    // Bad input, an empty imputation set or a solver failure: typed, never a crash.
  }
  return 0;
}
