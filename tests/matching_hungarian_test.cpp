// Dense rectangular assignment (Kuhn-Munkres / Jonker-Volgenant).
#include <evmarket/matching/hungarian.hpp>
#include <evmarket/detail/matching_assignment_scan.hpp>

#include <doctest/doctest.h>

#include "matching_test_support.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace evmarket;
using namespace evmarket_test;

namespace {

// Brute force over every injective map of the smaller side into the larger (depth-first); +inf
// (or -inf when maximising) and masked entries are forbidden. NaN when no complete matching exists.
// Works on a flat copy oriented small side x large side, so it stays quick in unoptimised builds.
struct brute_force_search {
  std::vector<double> w;  // small x large, NaN where forbidden
  std::size_t small = 0, large = 0;
  objective sense = objective::minimise;
  std::vector<char> taken;
  double best = std::numeric_limits<double>::quiet_NaN();

  void extend(std::size_t k, double total) {
    if (k == small) {
      if (std::isnan(best) || (sense == objective::minimise ? total < best : total > best)) best = total;
      return;
    }
    const double* row = w.data() + k * large;
    for (std::size_t l = 0; l < large; ++l) {
      if (taken[l] || std::isnan(row[l])) continue;
      taken[l] = 1;
      extend(k + 1, total + row[l]);
      taken[l] = 0;
    }
  }
};

double brute_force(const matrix<double>& w, objective sense, const bool_matrix* allowed = nullptr) {
  const bool wide = w.rows() <= w.cols();
  brute_force_search search;
  search.small = static_cast<std::size_t>(wide ? w.rows() : w.cols());
  search.large = static_cast<std::size_t>(wide ? w.cols() : w.rows());
  search.sense = sense;
  search.taken.assign(search.large, 0);
  for (std::size_t k = 0; k < search.small; ++k)
    for (std::size_t l = 0; l < search.large; ++l) {
      const auto i = static_cast<Eigen::Index>(wide ? k : l), j = static_cast<Eigen::Index>(wide ? l : k);
      const bool forbidden = std::isinf(w(i, j)) || (allowed != nullptr && !(*allowed)(i, j));
      search.w.push_back(forbidden ? std::numeric_limits<double>::quiet_NaN() : w(i, j));
    }
  search.extend(0, 0.0);
  return search.best;
}

// Verifies the result is a valid matching of the smaller side whose value equals the dual bound:
// u[i] + v[j] <= w(i, j) on allowed pairs (>= when maximising), equality on assigned pairs,
// larger-side potentials <= 0 (>= 0) and 0 where unassigned. That proves optimality by LP duality.
template <class Scalar>
void check_certificate(const matrix<Scalar>& w, const assignment_result<Scalar>& r, objective sense, double tol,
                       const bool_matrix* allowed = nullptr) {
  REQUIRE(r.optimal());
  const Eigen::Index m = w.rows(), n = w.cols();
  REQUIRE(r.column_of_row.size() == static_cast<std::size_t>(m));
  REQUIRE(r.row_of_column.size() == static_cast<std::size_t>(n));
  REQUIRE(r.u.size() == static_cast<std::size_t>(m));
  REQUIRE(r.v.size() == static_cast<std::size_t>(n));
  const double sign = sense == objective::minimise ? 1.0 : -1.0;
  std::size_t pairs = 0;
  long double total = 0;
  for (Eigen::Index i = 0; i < m; ++i) {
    const auto j = r.column_of_row[static_cast<std::size_t>(i)];
    if (j < 0) continue;
    ++pairs;
    CHECK(r.row_of_column[static_cast<std::size_t>(j)] == i);
    total += static_cast<long double>(w(i, j));
  }
  CHECK(pairs == static_cast<std::size_t>(std::min(m, n)));
  const double scale = 1.0 + std::fabs(static_cast<double>(r.value));
  CHECK(std::fabs(static_cast<double>(total) - static_cast<double>(r.value)) <= tol * scale);
  long double dual = 0;
  for (auto x : r.u) dual += static_cast<long double>(x);
  for (auto x : r.v) dual += static_cast<long double>(x);
  CHECK(std::fabs(static_cast<double>(dual - total)) <= tol * scale);
  // Counted rather than checked one by one: a 200 x 200 instance has 40000 inequalities.
  int infeasible_duals = 0, loose_pairs = 0;
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      if (allowed != nullptr && !(*allowed)(i, j)) continue;
      if (std::isinf(static_cast<double>(w(i, j)))) continue;
      // long double carries 64 bits: exact for the int64 tests' potentials.
      const long double slack =
          static_cast<long double>(sign) *
          (static_cast<long double>(w(i, j)) - static_cast<long double>(r.u[static_cast<std::size_t>(i)]) -
           static_cast<long double>(r.v[static_cast<std::size_t>(j)]));
      if (slack < -tol * scale) ++infeasible_duals;
      if (r.column_of_row[static_cast<std::size_t>(i)] == j && std::fabs(slack) > tol * scale) ++loose_pairs;
    }
  CHECK(infeasible_duals == 0);
  CHECK(loose_pairs == 0);
  // The larger side's constraints are inequalities: their duals are sign-constrained.
  if (m != n) {
    const auto& large = m < n ? r.v : r.u;
    const auto& owner = m < n ? r.row_of_column : r.column_of_row;
    for (std::size_t k = 0; k < large.size(); ++k) {
      CHECK(sign * static_cast<double>(large[k]) <= 0.0);
      if (owner[k] < 0) CHECK(large[k] == 0);
    }
  }
}

// An independent oracle: the auction algorithm with epsilon scaling (Bertsekas) on integer costs.
// Costs are multiplied by n + 1 so that the final epsilon of 1 is below the 1/n optimality gap;
// rectangular problems are padded with zero rows. Returns the optimal minimum total.
std::int64_t auction_min(const matrix<std::int64_t>& c) {
  const bool wide = c.rows() <= c.cols();
  const matrix<std::int64_t> cw = wide ? c : matrix<std::int64_t>(c.transpose());
  const auto n = static_cast<std::size_t>(cw.cols());
  const auto real_rows = static_cast<std::size_t>(cw.rows());
  const auto scale = static_cast<std::int64_t>(n + 1);
  auto benefit = [&](std::size_t i, std::size_t j) -> std::int64_t {
    return i < real_rows ? -cw(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) * scale : 0;
  };
  std::int64_t spread = 1;
  for (Eigen::Index i = 0; i < cw.rows(); ++i)
    for (Eigen::Index j = 0; j < cw.cols(); ++j)
      spread = std::max(spread, (cw(i, j) < 0 ? -cw(i, j) : cw(i, j)) * scale);
  std::vector<std::int64_t> price(n, 0);
  std::vector<std::ptrdiff_t> owner(n, -1), held(n, -1);
  for (std::int64_t eps = std::max<std::int64_t>(1, spread / 4);; eps = std::max<std::int64_t>(1, eps / 5)) {
    std::fill(owner.begin(), owner.end(), -1);
    std::fill(held.begin(), held.end(), -1);
    std::vector<std::size_t> unassigned(n);
    std::iota(unassigned.begin(), unassigned.end(), std::size_t{0});
    while (!unassigned.empty()) {
      const std::size_t i = unassigned.back();
      unassigned.pop_back();
      std::int64_t best = std::numeric_limits<std::int64_t>::min(), second = best;
      std::size_t best_j = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const std::int64_t value = benefit(i, j) - price[j];
        if (value > best) {
          second = best;
          best = value;
          best_j = j;
        } else if (value > second) {
          second = value;
        }
      }
      const std::int64_t raise = (n == 1 ? 0 : best - second) + eps;
      price[best_j] += raise;
      if (owner[best_j] >= 0) {
        held[static_cast<std::size_t>(owner[best_j])] = -1;
        unassigned.push_back(static_cast<std::size_t>(owner[best_j]));
      }
      owner[best_j] = static_cast<std::ptrdiff_t>(i);
      held[i] = static_cast<std::ptrdiff_t>(best_j);
    }
    if (eps == 1) break;
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < real_rows; ++i)
    total += cw(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(held[i]));
  return total;
}

matrix<double> random_matrix(std::mt19937_64& rng, Eigen::Index m, Eigen::Index n, double lo, double hi) {
  std::uniform_real_distribution<double> value(lo, hi);
  matrix<double> w(m, n);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) w(i, j) = value(rng);
  return w;
}

matrix<std::int64_t> random_int_matrix(std::mt19937_64& rng, Eigen::Index m, Eigen::Index n, std::int64_t hi) {
  std::uniform_int_distribution<std::int64_t> value(0, hi);
  matrix<std::int64_t> w(m, n);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) w(i, j) = value(rng);
  return w;
}

}  // namespace

TEST_CASE("random instances up to 8 x 8 agree with brute force, both objectives, square and rectangular") {
  std::mt19937_64 rng(20240601);
  for (int trial = 0; trial < 300; ++trial) {
    const auto m = static_cast<Eigen::Index>(1 + rng() % 8);
    const auto n = static_cast<Eigen::Index>(1 + rng() % 8);
    // Small integer values make ties (and degenerate duals) common.
    const bool coarse = trial % 2 == 0;
    matrix<double> w = coarse ? random_int_matrix(rng, m, n, 4).cast<double>() : random_matrix(rng, m, n, -50, 50);
    for (const objective sense : {objective::minimise, objective::maximise}) {
      CAPTURE(trial);
      CAPTURE(m);
      CAPTURE(n);
      const auto result = solve_assignment(w, sense);
      CHECK(result.value == doctest::Approx(brute_force(w, sense)).epsilon(1e-12));
      check_certificate(w, result, sense, 1e-9);
    }
  }
}

TEST_CASE("forbidden pairs: +inf / -inf entries and masks agree with brute force, infeasibility is a status") {
  std::mt19937_64 rng(77);
  int infeasible = 0, feasible = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const auto m = static_cast<Eigen::Index>(1 + rng() % 6);
    const auto n = static_cast<Eigen::Index>(1 + rng() % 6);
    const double density = trial % 3 == 0 ? 0.3 : 0.6;
    std::bernoulli_distribution keep(density);
    matrix<double> w = random_int_matrix(rng, m, n, 9).cast<double>();
    bool_matrix allowed(m, n);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < n; ++j) allowed(i, j) = keep(rng);
    for (const objective sense : {objective::minimise, objective::maximise}) {
      CAPTURE(trial);
      const double expected = brute_force(w, sense, &allowed);
      matrix<double> marked = w;
      const double forbidden = sense == objective::minimise ? inf : -inf;
      for (Eigen::Index i = 0; i < m; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
          if (!allowed(i, j)) marked(i, j) = forbidden;
      const auto by_value = solve_assignment(marked, sense);
      const auto by_mask = solve_assignment(w, allowed, sense);
      const matrix<std::int64_t> wi = w.cast<std::int64_t>();
      const auto by_int_mask = solve_assignment(wi, allowed, sense);
      if (std::isnan(expected)) {
        ++infeasible;
        CHECK(by_value.status == matching_status::infeasible);
        CHECK(by_mask.status == matching_status::infeasible);
        CHECK(by_int_mask.status == matching_status::infeasible);
        CHECK(std::all_of(by_mask.column_of_row.begin(), by_mask.column_of_row.end(), [](auto j) { return j < 0; }));
        CHECK(by_mask.u.empty());
      } else {
        ++feasible;
        CHECK(by_value.value == expected);
        CHECK(by_mask.value == expected);
        CHECK(by_int_mask.value == static_cast<std::int64_t>(expected));
        check_certificate(marked, by_value, sense, 1e-9);
        check_certificate(w, by_mask, sense, 1e-9, &allowed);
        check_certificate(wi, by_int_mask, sense, 0.0, &allowed);
      }
    }
  }
  CHECK(infeasible > 20);  // both outcomes were exercised
  CHECK(feasible > 100);
}

TEST_CASE("up to 200 x 200 the optimum equals an independent auction algorithm's") {
  std::mt19937_64 rng(4242);
  const std::pair<Eigen::Index, Eigen::Index> shapes[] = {{30, 30}, {200, 200}, {120, 200}, {200, 90},
                                                          {1, 200}, {200, 1},   {150, 150}};
  for (const auto& shape : shapes) {
    const Eigen::Index m = shape.first, n = shape.second;
    for (const std::int64_t range : {std::int64_t{5}, std::int64_t{1000}, std::int64_t{1} << 30}) {
      CAPTURE(m);
      CAPTURE(n);
      CAPTURE(range);
      const matrix<std::int64_t> c = random_int_matrix(rng, m, n, range);
      const std::int64_t oracle = auction_min(c);
      const auto exact = solve_assignment(c);
      CHECK(exact.value == oracle);
      check_certificate(c, exact, objective::minimise, 0.0);
      if (range < (std::int64_t{1} << 30)) {
        const matrix<double> cd = c.cast<double>();
        const auto real = solve_assignment(cd);
        CHECK(real.value == static_cast<double>(oracle));
        check_certificate(cd, real, objective::minimise, 1e-12);
        // Maximising -c is minimising c.
        const matrix<double> negated = -cd;
        const auto flipped = solve_assignment(negated, objective::maximise);
        CHECK(flipped.value == -static_cast<double>(oracle));
      }
    }
  }
}

TEST_CASE("structured matrices (rank one, modular) agree with the auction oracle") {
  // c(i, j) = i * j defeats the initialisation entirely: every row is left to the augmentation.
  for (const Eigen::Index n : {40, 150}) {
    matrix<std::int64_t> product(n, n), modular(n, n + 13);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < n; ++j) product(i, j) = i * j;
      for (Eigen::Index j = 0; j < n + 13; ++j) modular(i, j) = (i * j + 3 * i) % 17;
    }
    const auto r = solve_assignment(product);
    CHECK(r.value == auction_min(product));
    check_certificate(product, r, objective::minimise, 0.0);
    const auto s = solve_assignment(modular);
    CHECK(s.value == auction_min(modular));
    check_certificate(modular, s, objective::minimise, 0.0);
  }
}

TEST_CASE("real-valued random instances carry an optimality certificate; float agrees with double") {
  std::mt19937_64 rng(99);
  for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{100, 100}, {60, 180}, {180, 60}}) {
    const Eigen::Index m = shape.first, n = shape.second;
    const matrix<double> w = random_matrix(rng, m, n, 0, 1);
    for (const objective sense : {objective::minimise, objective::maximise}) {
      const auto result = solve_assignment(w, sense);
      check_certificate(w, result, sense, 1e-12);
      const matrix<float> wf = w.cast<float>();
      const auto single = solve_assignment(wf, sense);
      check_certificate(wf, single, sense, 1e-12);
      // float rounding moves the optimum by at most 2^-24 per entry.
      CHECK(std::fabs(single.value - result.value) <= static_cast<double>(std::min(m, n)) * 1e-7);
    }
  }
}

TEST_CASE("degenerate inputs: empty, one row, one column, all equal, ties") {
  SUBCASE("empty matrices have the empty optimum") {
    for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{0, 0}, {0, 4}, {4, 0}}) {
      const Eigen::Index m = shape.first, n = shape.second;
      const matrix<double> w(m, n);
      const auto result = solve_assignment(w);
      CHECK(result.optimal());
      CHECK(result.value == 0.0);
      CHECK(result.column_of_row.size() == static_cast<std::size_t>(m));
      CHECK(result.row_of_column.size() == static_cast<std::size_t>(n));
      CHECK(result.u.size() == static_cast<std::size_t>(m));
      CHECK(result.v.size() == static_cast<std::size_t>(n));
      CHECK(std::all_of(result.row_of_column.begin(), result.row_of_column.end(), [](auto i) { return i < 0; }));
    }
  }
  SUBCASE("one row takes its best column; one column takes its best row") {
    matrix<double> row(1, 5);
    row << 4, 2, 7, 2, 9;
    const auto a = solve_assignment(row);
    CHECK(a.value == 2.0);
    CHECK(row(0, a.column_of_row[0]) == 2.0);
    check_certificate(row, a, objective::minimise, 0.0);
    const auto b = solve_assignment(row, objective::maximise);
    CHECK(b.column_of_row[0] == 4);
    const matrix<double> column = row.transpose();
    const auto c = solve_assignment(column, objective::maximise);
    CHECK(c.row_of_column[0] == 4);
    CHECK(c.column_of_row[4] == 0);
    check_certificate(column, c, objective::maximise, 0.0);
  }
  SUBCASE("all equal: any perfect matching, value n times the entry") {
    for (const Eigen::Index n : {1, 2, 7, 64}) {
      const matrix<double> w = matrix<double>::Constant(n, n, 3.5);
      const auto result = solve_assignment(w);
      CHECK(result.value == 3.5 * static_cast<double>(n));
      check_certificate(w, result, objective::minimise, 0.0);
      const matrix<double> wide = matrix<double>::Constant(n, n + 3, -1.0);
      check_certificate(wide, solve_assignment(wide, objective::maximise), objective::maximise, 0.0);
    }
  }
  SUBCASE("an identity of ties: the zero diagonal is the unique minimum") {
    matrix<std::int64_t> w = matrix<std::int64_t>::Constant(50, 50, 1);
    w.diagonal().setZero();
    const auto result = solve_assignment(w);
    CHECK(result.value == 0);
    for (std::size_t i = 0; i < 50; ++i) CHECK(result.column_of_row[i] == static_cast<std::ptrdiff_t>(i));
  }
}

TEST_CASE("huge magnitudes: int64 stays exact above 2^53, doubles up to 1e300 keep a certificate") {
  // Entries differ only below the 53-bit mantissa of a double: a double solver cannot see them.
  const std::int64_t big = std::int64_t{1} << 62;
  matrix<std::int64_t> w(3, 3);
  w << big + 1, big + 2, big + 3,  //
      big + 2, big + 4, big + 6,   //
      big + 3, big + 6, big + 9;
  CHECK(static_cast<double>(big + 1) == static_cast<double>(big + 9));
  // The anti-diagonal (3 + 4 + 3 = 10) is the minimum of w - big; the value itself exceeds int64.
  CHECK_THROWS_AS(solve_assignment(w), overflow_error);
  const matrix<std::int64_t> shifted = (w.array() - big).matrix();
  const auto small = solve_assignment(shifted);
  CHECK(small.value == 10);
  // Mixed signs near 2^61: the answer fits although no double can tell the entries apart.
  const std::int64_t b = (std::int64_t{1} << 61) + 7;
  matrix<std::int64_t> mixed(2, 2);
  mixed << b + 1, -b + 5, -b + 2, b + 3;
  const auto r = solve_assignment(mixed);
  CHECK(r.value == -2 * b + 7);
  check_certificate(mixed, r, objective::minimise, 0.0);
  CHECK(r.u[0] + r.v[1] == mixed(0, 1));  // exact, not within a tolerance
  CHECK(r.u[1] + r.v[0] == mixed(1, 0));

  std::mt19937_64 rng(5);
  const matrix<double> huge = random_matrix(rng, 40, 40, -1e299, 1e299);
  check_certificate(huge, solve_assignment(huge), objective::minimise, 1e-12);
  matrix<double> too_big = huge;
  too_big(3, 4) = 1e301;
  CHECK_THROWS_AS(solve_assignment(too_big), bad_input);
}

TEST_CASE("bad input names the entry: NaN, the wrong infinity, a mask of another shape") {
  matrix<double> w = matrix<double>::Zero(3, 5);
  w(2, 4) = std::numeric_limits<double>::quiet_NaN();
  try {
    (void)solve_assignment(w);
    FAIL("NaN accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "weights(2, 4)");
    CHECK(e.value() == "NaN");
  }
  // A tall matrix is solved transposed; the message still names the caller's position.
  const matrix<double> tall = w.transpose();
  try {
    (void)solve_assignment(tall);
    FAIL("NaN accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "weights(4, 2)");
  }
  w(2, 4) = -inf;
  CHECK_THROWS_AS(solve_assignment(w), bad_input);  // -inf is not a forbidden marker when minimising
  CHECK(solve_assignment(w, objective::maximise).optimal());
  w(2, 4) = inf;
  CHECK_THROWS_AS(solve_assignment(w, objective::maximise), bad_input);
  const bool_matrix wrong_shape = bool_matrix::Constant(5, 3, true);
  CHECK_THROWS_AS(solve_assignment(w, wrong_shape), bad_input);
  // NaN under a false mask is never used, so it is accepted.
  w(2, 4) = std::numeric_limits<double>::quiet_NaN();
  bool_matrix allowed = bool_matrix::Constant(3, 5, true);
  allowed(2, 4) = false;
  CHECK(solve_assignment(w, allowed).value == 0.0);
}

TEST_CASE("layouts: column-major, blocks and maps give the row-major answer") {
  std::mt19937_64 rng(11);
  const matrix<double> w = random_matrix(rng, 40, 70, 0, 10);
  const double expected = solve_assignment(w).value;
  const Eigen::MatrixXd column_major = w;
  CHECK(solve_assignment(column_major).value == expected);
  const Eigen::MatrixXd tall = w.transpose();  // column-major tall: read in place
  CHECK(solve_assignment(tall).value == expected);
  const matrix<double> big = random_matrix(rng, 60, 90, 0, 10);
  const matrix<double> block = big.block(5, 7, 30, 40);
  CHECK(solve_assignment(big.block(5, 7, 30, 40)).value == solve_assignment(block).value);
  const Eigen::Map<const matrix<double>> map(w.data(), w.rows(), w.cols());
  CHECK(solve_assignment(map).value == expected);
}

TEST_CASE("ties, tall and wide, masks: small instances agree with brute force in every layout") {
  // Values in 0..2 make the tied-row matching and the tall start-up do most of the work.
  std::mt19937_64 rng(1606);
  assignment_solver<double> solver;  // one solver for every shape: buffers are reused
  assignment_solver<std::int64_t> exact_solver;
  for (int trial = 0; trial < 600; ++trial) {
    const auto m = static_cast<Eigen::Index>(1 + rng() % 7);
    const auto n = static_cast<Eigen::Index>(1 + rng() % 7);
    const matrix<double> w = random_int_matrix(rng, m, n, trial % 2 == 0 ? 2 : 20).cast<double>();
    bool_matrix allowed(m, n);
    std::bernoulli_distribution keep(0.7);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < n; ++j) allowed(i, j) = keep(rng);
    const Eigen::MatrixXd column_major = w;
    const matrix<std::int64_t> wi = w.cast<std::int64_t>();
    for (const objective sense : {objective::minimise, objective::maximise}) {
      CAPTURE(trial);
      CAPTURE(m);
      CAPTURE(n);
      const double expected = brute_force(w, sense);
      const auto row_major = solver.solve(w, sense);
      CHECK(row_major.value == expected);
      check_certificate(w, row_major, sense, 1e-12);
      CHECK(solver.solve(column_major, sense).value == expected);
      const auto exact = exact_solver.solve(wi, sense);
      CHECK(exact.value == static_cast<std::int64_t>(expected));
      check_certificate(wi, exact, sense, 0.0);
      const double masked_expected = brute_force(w, sense, &allowed);
      const auto masked = solver.solve(w, allowed, sense);
      if (std::isnan(masked_expected)) {
        CHECK(masked.status == matching_status::infeasible);
      } else {
        CHECK(masked.value == masked_expected);
        check_certificate(w, masked, sense, 1e-12, &allowed);
      }
    }
  }
}

TEST_CASE("tall matrices whose cheapest rows run out are refilled; large ties agree with the auction oracle") {
  std::mt19937_64 rng(500);
  assignment_solver<std::int64_t> solver;
  // Few values and many more rows than columns: each column's kept cheapest rows are taken by
  // others, so the tall search must look for free rows again.
  const std::pair<Eigen::Index, Eigen::Index> shapes[] = {{400, 60}, {60, 400}, {300, 300}, {250, 249}};
  for (const auto& shape : shapes) {
    for (const std::int64_t range : {std::int64_t{1}, std::int64_t{3}, std::int64_t{99}}) {
      const Eigen::Index m = shape.first, n = shape.second;
      CAPTURE(m);
      CAPTURE(n);
      CAPTURE(range);
      matrix<std::int64_t> c = random_int_matrix(rng, m, n, range);
      if (range == 1)  // a block structure: every row's cheap entries sit in the same few columns
        for (Eigen::Index i = 0; i < m; ++i)
          for (Eigen::Index j = 0; j < n; ++j) c(i, j) = (j % 7 == 0) ? 0 : 1 + (i + j) % 3;
      const auto r = solver.solve(c);
      CHECK(r.value == auction_min(c));
      check_certificate(c, r, objective::minimise, 0.0);
      const matrix<double> cd = c.cast<double>();
      check_certificate(cd, assignment_solver<double>{}.solve(cd, objective::maximise), objective::maximise, 1e-12);
    }
  }
}

TEST_CASE("a solver reused across shapes, objectives and masks matches fresh solves") {
  std::mt19937_64 rng(12);
  assignment_solver<double> solver;
  for (int trial = 0; trial < 60; ++trial) {
    const auto m = static_cast<Eigen::Index>(1 + rng() % 90);
    const auto n = static_cast<Eigen::Index>(1 + rng() % 90);
    const matrix<double> w = random_matrix(rng, m, n, 0, 10);
    const objective sense = trial % 2 == 0 ? objective::minimise : objective::maximise;
    const auto reused = solver.solve(w, sense);
    const auto fresh = solve_assignment(w, sense);
    CAPTURE(trial);
    CHECK(reused.value == fresh.value);
    CHECK(reused.column_of_row == fresh.column_of_row);
    CHECK(reused.u == fresh.u);
    CHECK(reused.v == fresh.v);
  }
}

TEST_CASE("every row-scan instruction set (portable, SSE2, AVX2 where present) finds the oracle's optimum") {
  // Each capped run must reach the exact optimum on its own: the auction oracle on integer
  // values (stored as double, so the vector kernels run), brute force on small ones, and the
  // duality certificate on real values. Shapes are not multiples of the vector widths (tails),
  // c = i * j leaves the whole start-up to long searches, and ties decide among equal distances.
  // The kernels compute what the portable loop does, so the assignments agree too.
  std::vector<std::vector<std::ptrdiff_t>> portable_assignments;
  std::size_t solve_count = 0;
  const auto same_as_portable = [&](const auto& result, detail::scan_isa isa) {
    if (isa == detail::scan_isa::portable) {
      portable_assignments.push_back(result.column_of_row);
      return true;
    }
    return result.column_of_row == portable_assignments.at(solve_count++);
  };
  struct restore_cap {
    detail::scan_isa saved = detail::scan_isa_cap().load();
    ~restore_cap() { detail::scan_isa_cap().store(saved); }
  } restore;
  for (const detail::scan_isa isa : {detail::scan_isa::portable, detail::scan_isa::sse2, detail::scan_isa::avx2}) {
    detail::scan_isa_cap().store(isa);
    CAPTURE(static_cast<int>(detail::current_scan_isa()));
    solve_count = 0;
    std::mt19937_64 rng(3160);
    assignment_solver<double> solver;
    const std::pair<Eigen::Index, Eigen::Index> shapes[] = {{61, 61}, {97, 133}, {133, 53}, {150, 150}};
    for (const auto& shape : shapes) {
      const Eigen::Index m = shape.first, n = shape.second;
      for (const std::int64_t range : {std::int64_t{3}, std::int64_t{1000}, std::int64_t{-1}}) {
        CAPTURE(m);
        CAPTURE(n);
        CAPTURE(range);
        matrix<std::int64_t> c(m, n);
        if (range < 0) {  // Machol-Wien: c(i, j) = (i + 1) * (j + 1)
          for (Eigen::Index i = 0; i < m; ++i)
            for (Eigen::Index j = 0; j < n; ++j) c(i, j) = (i + 1) * (j + 1);
        } else {
          c = random_int_matrix(rng, m, n, range);
        }
        const std::int64_t oracle = auction_min(c);
        const matrix<double> cd = c.cast<double>();
        const auto low = solver.solve(cd);
        CHECK(low.value == static_cast<double>(oracle));
        check_certificate(cd, low, objective::minimise, 0.0);
        CHECK(same_as_portable(low, isa));
        const matrix<double> negated = -cd;  // the negating kernels
        const auto high = solver.solve(negated, objective::maximise);
        CHECK(high.value == -static_cast<double>(oracle));
        check_certificate(negated, high, objective::maximise, 0.0);
        CHECK(same_as_portable(high, isa));
      }
      // Real values, some pairs forbidden by +inf (unmasked: the vector kernels see them) and the
      // same pairs by a mask (the portable loop): one optimum, each with its certificate.
      matrix<double> w = random_matrix(rng, m, n, 0, 1);
      bool_matrix allowed(m, n);
      std::bernoulli_distribution keep(0.7);
      matrix<double> marked = w;
      for (Eigen::Index i = 0; i < m; ++i)
        for (Eigen::Index j = 0; j < n; ++j) {
          allowed(i, j) = keep(rng);
          if (!allowed(i, j)) marked(i, j) = inf;
        }
      const auto by_value = solver.solve(marked);
      const auto by_mask = solver.solve(w, allowed);
      REQUIRE(by_value.optimal());
      check_certificate(marked, by_value, objective::minimise, 1e-12);
      check_certificate(w, by_mask, objective::minimise, 1e-12, &allowed);
      CHECK(by_value.value == doctest::Approx(by_mask.value).epsilon(1e-12));
      CHECK(same_as_portable(by_value, isa));
    }
    for (int trial = 0; trial < 150; ++trial) {  // small ties against brute force
      const auto m = static_cast<Eigen::Index>(1 + rng() % 7);
      const auto n = static_cast<Eigen::Index>(1 + rng() % 7);
      const matrix<double> w = random_int_matrix(rng, m, n, 2).cast<double>();
      CAPTURE(trial);
      for (const objective sense : {objective::minimise, objective::maximise})
        CHECK(solver.solve(w, sense).value == brute_force(w, sense));
    }
  }
}
