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
    const kohlberg_certificate again = kohlberg_check(game, std::span<const exact_rational>(r.exact_allocation),
                                                      pre ? solution_kind::prenucleolus : solution_kind::nucleolus);
    FUZZ_CHECK(again.holds);
    exact_rational total(0);
    for (std::size_t i = 0; i < n; ++i) {
      total += r.exact_allocation[i];
      if (!pre) FUZZ_CHECK(r.exact_allocation[i] >= exact_rational(values[std::size_t{1} << i]));
    }
    FUZZ_CHECK(total == exact_rational(values.back()));
  } catch (const error&) {
    // Bad input, an empty imputation set or a solver failure: typed, never a crash.
  }
  return 0;
}
