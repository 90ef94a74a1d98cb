// The assignment solver on arbitrary small matrices (up to 7 x 7; NaN, infinities, huge
// magnitudes, int64 extremes). Properties: bad weights throw bad_input and integer overflow
// throws overflow_error; otherwise the status and value agree with brute force over every
// matching, and the dual potentials certify optimality (feasible, tight on assigned pairs,
// sign-constrained and zero where unassigned on the larger side, summing to the value).
#include "fuzz_support.hpp"

#include <evmarket/detail/checked.hpp>
#include <evmarket/matching/hungarian.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

using namespace evmarket;

namespace {

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using mask = Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Exact sums for integers, extended precision for doubles.
template <class Scalar>
using total_t = std::conditional_t<std::is_integral_v<Scalar>, detail::int128, long double>;

double arbitrary_double(FuzzedDataProvider& in) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (in.ConsumeIntegralInRange<int>(0, 11)) {
    case 0:
      return inf;
    case 1:
      return -inf;
    case 2:
      return std::numeric_limits<double>::quiet_NaN();
    case 3:
      return in.ConsumeFloatingPointInRange<double>(-1e300, 1e300);
    case 4:
      return in.ConsumeFloatingPoint<double>();
    case 5:
      return 1e300;
    default:
      return static_cast<double>(in.ConsumeIntegralInRange<int>(-20, 20));
  }
}

std::int64_t arbitrary_integer(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return std::numeric_limits<std::int64_t>::max();
    case 1:
      return std::numeric_limits<std::int64_t>::min();
    case 2:
      return in.ConsumeIntegral<std::int64_t>();
    case 3:
      return in.ConsumeIntegral<std::int64_t>() / 64;
    default:
      return in.ConsumeIntegralInRange<std::int64_t>(-20, 20);
  }
}

// The best total over every matching of the smaller side, or nullopt when none is allowed.
template <class Scalar>
std::optional<total_t<Scalar>> brute_force(const matrix<Scalar>& w, const mask& allowed, objective sense) {
  const bool rows_smaller = w.rows() <= w.cols();
  const auto small = rows_smaller ? w.rows() : w.cols(), large = rows_smaller ? w.cols() : w.rows();
  std::vector<Eigen::Index> lines(static_cast<std::size_t>(large));
  std::iota(lines.begin(), lines.end(), Eigen::Index{0});
  std::optional<total_t<Scalar>> best;
  do {  // every permutation of the larger side; its first `small` entries are a matching
    total_t<Scalar> sum = 0;
    bool ok = true;
    for (Eigen::Index s = 0; s < small && ok; ++s) {
      const Eigen::Index i = rows_smaller ? s : lines[static_cast<std::size_t>(s)];
      const Eigen::Index j = rows_smaller ? lines[static_cast<std::size_t>(s)] : s;
      ok = allowed(i, j) && std::isfinite(static_cast<double>(w(i, j)));
      if (ok) sum += static_cast<total_t<Scalar>>(w(i, j));
    }
    if (ok && (!best || (sense == objective::minimise ? sum < *best : sum > *best))) best = sum;
  } while (std::next_permutation(lines.begin(), lines.end()));
  return best;
}

template <class Scalar>
void check(const matrix<Scalar>& w, const mask& allowed, objective sense, const assignment_result<Scalar>& r) {
  const std::optional<total_t<Scalar>> best = brute_force(w, allowed, sense);
  FUZZ_CHECK(r.optimal() == best.has_value());
  if (!best) return;
  const bool minimise = sense == objective::minimise;
  long double scale = 1;
  for (Eigen::Index i = 0; i < w.rows(); ++i)
    for (Eigen::Index j = 0; j < w.cols(); ++j)
      if (allowed(i, j) && std::isfinite(static_cast<double>(w(i, j))))
        scale += std::fabs(static_cast<long double>(w(i, j)));
  const auto tolerance = static_cast<total_t<Scalar>>(std::is_integral_v<Scalar> ? 0.0L : 1e-9L * scale);
  const auto near = [&](total_t<Scalar> a, total_t<Scalar> b) {
    if constexpr (std::is_integral_v<Scalar>)
      return a == b;
    else
      return std::fabs(a - b) <= tolerance;
  };
  total_t<Scalar> value = 0, dual = 0;
  for (Eigen::Index i = 0; i < w.rows(); ++i) {
    const auto j = r.column_of_row[static_cast<std::size_t>(i)];
    if (j < 0) continue;
    FUZZ_CHECK(r.row_of_column[static_cast<std::size_t>(j)] == i && allowed(i, j));
    value += static_cast<total_t<Scalar>>(w(i, j));
  }
  FUZZ_CHECK(near(value, *best) && near(static_cast<total_t<Scalar>>(r.value), *best));
  for (const auto u : r.u) dual += static_cast<total_t<Scalar>>(u);
  for (const auto v : r.v) dual += static_cast<total_t<Scalar>>(v);
  FUZZ_CHECK(near(dual, value));
  for (Eigen::Index i = 0; i < w.rows(); ++i)
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      if (!allowed(i, j) || !std::isfinite(static_cast<double>(w(i, j)))) continue;
      const total_t<Scalar> slack = static_cast<total_t<Scalar>>(w(i, j)) -
                                    static_cast<total_t<Scalar>>(r.u[static_cast<std::size_t>(i)]) -
                                    static_cast<total_t<Scalar>>(r.v[static_cast<std::size_t>(j)]);
      FUZZ_CHECK(minimise ? slack >= -tolerance : slack <= tolerance);
      if (r.column_of_row[static_cast<std::size_t>(i)] == j) FUZZ_CHECK(near(slack, 0));
    }
  // The larger side's potentials (a rectangular problem): zero where unassigned, of one sign.
  if (w.rows() == w.cols()) return;
  const bool rows_larger = w.rows() > w.cols();
  const auto& larger = rows_larger ? r.u : r.v;
  const auto& owner = rows_larger ? r.column_of_row : r.row_of_column;
  for (std::size_t k = 0; k < larger.size(); ++k) {
    const auto potential = static_cast<total_t<Scalar>>(larger[k]);
    FUZZ_CHECK(minimise ? potential <= tolerance : potential >= -tolerance);
    if (owner[k] < 0) FUZZ_CHECK(larger[k] == 0);
  }
}

template <class Scalar, class Make>
void run(FuzzedDataProvider& in, Make make) {
  const auto rows = in.ConsumeIntegralInRange<Eigen::Index>(0, 7), cols = in.ConsumeIntegralInRange<Eigen::Index>(0, 7);
  const objective sense = in.ConsumeBool() ? objective::minimise : objective::maximise;
  const bool masked = in.ConsumeBool();
  matrix<Scalar> w(rows, cols);
  mask allowed = mask::Constant(rows, cols, true);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) {
      w(i, j) = make(in);
      if (masked) allowed(i, j) = in.ConsumeIntegralInRange<int>(0, 3) != 0;
    }
  try {
    const assignment_result<Scalar> r = masked ? solve_assignment(w, allowed, sense) : solve_assignment(w, sense);
    if constexpr (std::is_floating_point_v<Scalar>) {
      // What a call without a mask accepted contains no NaN and no wrong-signed infinity.
      const double forbidden = sense == objective::minimise ? HUGE_VAL : -HUGE_VAL;
      for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) {
          if (!allowed(i, j)) continue;
          FUZZ_CHECK(!std::isnan(w(i, j)) && std::fabs(w(i, j)) <= 1e300 || w(i, j) == forbidden);
          if (w(i, j) == forbidden) allowed(i, j) = false;
        }
    }
    check(w, allowed, sense, r);
  } catch (const bad_input&) {
  } catch (const overflow_error&) {
    FUZZ_CHECK(std::is_integral_v<Scalar>);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool())
    run<double>(in, arbitrary_double);
  else
    run<std::int64_t>(in, arbitrary_integer);
  return 0;
}
