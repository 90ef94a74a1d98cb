// AHP on arbitrary judgment matrices (any size up to 10, any doubles: zero, negative, NaN,
// infinities, huge and tiny, non-reciprocal). Properties: invalid judgments throw bad_input;
// valid ones give, for every priority method, finite positive weights summing to 1, a finite
// lambda_max >= n (up to rounding), CI and CR finite and not negative; Harker's method on arbitrary partial judgments
// likewise.
#include "fuzz_support.hpp"

#include <evmarket/credit/ahp.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace evmarket;

namespace {

double arbitrary_judgment(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return std::numeric_limits<double>::infinity();
    case 2:
      return 0.0;
    case 3:
      return -in.ConsumeFloatingPointInRange<double>(0, 9);
    case 4:
      return in.ConsumeFloatingPoint<double>();
    case 5:
      return std::numeric_limits<double>::max();
    case 6:
      return std::numeric_limits<double>::denorm_min();
    case 7:
      return std::ldexp(1.0, in.ConsumeIntegralInRange<int>(-1074, 1023));
    case 8:
      return 1.0 / in.ConsumeIntegralInRange<int>(1, 9);
    default:
      return static_cast<double>(in.ConsumeIntegralInRange<int>(1, 9));
  }
}

void check_weights(const std::vector<double>& w, std::size_t n) {
  FUZZ_CHECK(w.size() == n);
  double sum = 0;
  for (const double x : w) {
    FUZZ_CHECK(std::isfinite(x) && x > 0);
    sum += x;
  }
  FUZZ_CHECK(std::fabs(sum - 1.0) <= 1e-9);
}

// For a positive matrix with a unit diagonal and |a_ij a_ji - 1| <= tolerance, summing the
// eigen-equation over the rows gives lambda_max >= 1 + (n - 1) sqrt(1 - tolerance) (AM-GM on each
// pair), which is n for an exactly reciprocal matrix.
template <class Method>
void evaluate(const pairwise_matrix& m, double tolerance = 0) {
  const analytic_hierarchy<Method> ahp;
  const ahp_result r = ahp.evaluate(m);
  check_weights(r.weights, m.size());
  const consistency_report& c = r.consistency;
  const double n = static_cast<double>(m.size());
  const double floor = 1 + (n - 1) * std::sqrt(std::max(0.0, 1 - tolerance));
  FUZZ_CHECK(std::isfinite(c.lambda_max) && c.lambda_max >= floor * (1 - 1e-9));
  FUZZ_CHECK(std::isfinite(c.index) && c.index >= 0 && std::isfinite(c.ratio) && c.ratio >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const auto n = in.ConsumeIntegralInRange<std::size_t>(1, 10);
  const int shape = in.ConsumeIntegralInRange<int>(0, 2);
  if (shape == 2) {  // Harker's method on partial judgments
    std::vector<judgment> known(in.ConsumeIntegralInRange<std::size_t>(0, 2 * n));
    for (judgment& j : known)
      j = {in.ConsumeIntegralInRange<std::size_t>(0, n), in.ConsumeIntegralInRange<std::size_t>(0, n),
           arbitrary_judgment(in)};
    try {
      const incomplete_ahp_result r = harker_priorities(n, known);
      check_weights(r.weights, n);
      evaluate<principal_eigenvector>(r.completed);
    } catch (const error&) {  // bad_input, or a typed solver failure
    }
    return 0;
  }
  try {
    std::vector<double> upper(n * (n - 1) / 2);
    for (double& x : upper) x = arbitrary_judgment(in);
    double tolerance = default_reciprocity_tolerance;
    const pairwise_matrix m = shape == 0 ? pairwise_matrix::from_upper_triangle(n, upper) : [&] {
      Eigen::MatrixXd raw(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
      for (Eigen::Index i = 0; i < raw.rows(); ++i)
        for (Eigen::Index j = 0; j < raw.cols(); ++j) raw(i, j) = arbitrary_judgment(in);
      tolerance = in.ConsumeFloatingPointInRange<double>(0, 1);
      return pairwise_matrix(raw, tolerance);
    }();
    evaluate<principal_eigenvector>(m, tolerance);
    evaluate<geometric_mean>(m, tolerance);
    evaluate<column_normalised_mean>(m, tolerance);
  } catch (const error&) {  // bad_input, or a typed solver failure
  }
  return 0;
}
