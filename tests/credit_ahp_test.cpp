// The analytic hierarchy process: priorities, consistency, Harker's method, group aggregation.
#include <evmarket/credit/ahp.hpp>

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <Eigen/Eigenvalues>

#include <cmath>
#include <limits>
#include <string>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

// The nine Saaty-scale values above 1 and their reciprocals.
const std::vector<double> saaty_scale = [] {
  std::vector<double> scale;
  for (int v = 1; v <= 9; ++v) {
    scale.push_back(v);
    if (v > 1) scale.push_back(1.0 / v);
  }
  return scale;
}();

// Independent oracle: Eigen's general eigen-solver, picking the eigenvalue of largest real part
// and its (real, positive after normalisation) eigenvector.
struct eigen_oracle {
  std::vector<double> weights;
  double lambda_max;
};
eigen_oracle oracle_of(const Eigen::MatrixXd& m) {
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m);
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < m.rows(); ++i)
    if (solver.eigenvalues()(i).real() > solver.eigenvalues()(best).real()) best = i;
  Eigen::VectorXd v = solver.eigenvectors().col(best).real();
  v /= v.sum();
  return {std::vector<double>(v.data(), v.data() + v.size()), solver.eigenvalues()(best).real()};
}

pairwise_matrix random_saaty_matrix(std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, saaty_scale.size() - 1);
  std::vector<double> upper(n * (n - 1) / 2);
  for (double& a : upper) a = saaty_scale[pick(rng)];
  return pairwise_matrix::from_upper_triangle(n, upper);
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

const pairwise_matrix paper001 = pairwise_matrix::from_rows({{1, 5, 7}, {1. / 5, 1, 3}, {1. / 7, 1. / 3, 1}});

}  // namespace

TEST_CASE("paper 001: weights 73.064 / 18.839 / 8.096 % and CR 0.056") {
  // Rows and columns: time, location, electricity (the only Saaty-scale matrix giving the
  // printed weights; see the papers' README).
  const ahp_result result = analytic_hierarchy<>{}.evaluate(paper001);
  REQUIRE(result.weights.size() == 3);
  CHECK(round_to(100 * result.weights[0], 3) == 73.064);
  CHECK(round_to(100 * result.weights[1], 3) == 18.839);
  CHECK(round_to(100 * result.weights[2], 3) == 8.096);
  CHECK(result.weights[0] + result.weights[1] + result.weights[2] == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(result.consistency.lambda_max == doctest::Approx(3.064888).epsilon(1e-6));
  CHECK(result.consistency.index == doctest::Approx(0.032444).epsilon(1e-4));
  CHECK(result.consistency.random_index == 0.58);
  CHECK(round_to(result.consistency.ratio, 3) == 0.056);
  CHECK(result.consistency.acceptable());
  // For n = 3 the geometric mean gives the same weights.
  const std::vector<double> geometric = priorities(paper001, geometric_mean{});
  for (std::size_t i = 0; i < 3; ++i) CHECK(geometric[i] == doctest::Approx(result.weights[i]).epsilon(1e-12));
}

TEST_CASE("Saaty's drinks example: relative consumption in the United States") {
  // Rows and columns: coffee, wine, tea, beer, soda, milk, water (Saaty's published example).
  const pairwise_matrix drinks = pairwise_matrix::from_rows({{1, 9, 5, 2, 1, 1, 1. / 2},
                                                             {1. / 9, 1, 1. / 3, 1. / 9, 1. / 9, 1. / 9, 1. / 9},
                                                             {1. / 5, 3, 1, 1. / 3, 1. / 4, 1. / 3, 1. / 9},
                                                             {1. / 2, 9, 3, 1, 1. / 2, 1, 1. / 3},
                                                             {1, 9, 4, 2, 1, 2, 1. / 2},
                                                             {1, 9, 3, 1, 1. / 2, 1, 1. / 3},
                                                             {2, 9, 9, 3, 2, 3, 1}});
  const ahp_result result = analytic_hierarchy<>{}.evaluate(drinks);
  const double published[] = {0.1775, 0.0191, 0.0418, 0.1164, 0.1896, 0.1288, 0.3268};
  for (std::size_t i = 0; i < 7; ++i) {
    CAPTURE(i);
    CHECK(round_to(result.weights[i], 4) == published[i]);
  }
  CHECK(round_to(result.consistency.lambda_max, 4) == 7.1766);
  CHECK(result.consistency.acceptable());
}

TEST_CASE("property: the power iteration agrees with Eigen's eigen-solver on random matrices") {
  std::mt19937_64 rng(2026001);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = 1 + static_cast<std::size_t>(trial % 15);
    const pairwise_matrix m = random_saaty_matrix(n, rng);
    const eigen_oracle expected = oracle_of(m.values());
    const std::vector<double> w = priorities(m);
    const consistency_report report = consistency_of(m);
    CAPTURE(trial);
    CAPTURE(n);
    CHECK(report.lambda_max == doctest::Approx(expected.lambda_max).epsilon(1e-10));
    CHECK(report.lambda_max >= static_cast<double>(n) - 1e-9);  // Perron root of a reciprocal matrix
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(w[i] > 0.0);
      CHECK(std::abs(w[i] - expected.weights[i]) < 1e-9);
      total += w[i];
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-14));
  }
}

TEST_CASE("eigenvector and geometric mean agree on every 3x3 reciprocal matrix of the Saaty scale") {
  int matrices = 0;
  for (const double a : saaty_scale)
    for (const double b : saaty_scale)
      for (const double c : saaty_scale) {
        const double upper[] = {a, b, c};
        const pairwise_matrix m = pairwise_matrix::from_upper_triangle(3, upper);
        const auto e = priorities(m, principal_eigenvector{});
        const auto g = priorities(m, geometric_mean{});
        bool same = true;
        for (std::size_t i = 0; i < 3; ++i) same = same && std::abs(e[i] - g[i]) < 1e-12;
        CAPTURE(a);
        CAPTURE(b);
        CAPTURE(c);
        CHECK(same);
        ++matrices;
      }
  CHECK(matrices == 17 * 17 * 17);
}

TEST_CASE("a consistent matrix: all methods return the generating weights, lambda_max = n, CR = 0") {
  const std::vector<double> truth{0.4, 0.25, 0.2, 0.1, 0.05};
  Eigen::MatrixXd m(5, 5);
  for (Eigen::Index i = 0; i < 5; ++i)
    for (Eigen::Index j = 0; j < 5; ++j)
      m(i, j) = truth[static_cast<std::size_t>(i)] / truth[static_cast<std::size_t>(j)];
  const pairwise_matrix consistent(m);
  for (const auto& w : {priorities(consistent, principal_eigenvector{}), priorities(consistent, geometric_mean{}),
                        priorities(consistent, column_normalised_mean{})})
    for (std::size_t i = 0; i < 5; ++i) CHECK(w[i] == doctest::Approx(truth[i]).epsilon(1e-12));
  const consistency_report report = consistency_of(consistent);
  CHECK(report.lambda_max == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(report.ratio == doctest::Approx(0.0).epsilon(1e-12));
}

TEST_CASE("column-normalised mean by hand on paper 001's matrix") {
  // Column sums 1.342857, 6.333333, 11; each entry divided by its column's sum, rows averaged.
  const std::vector<double> w = priorities(paper001, column_normalised_mean{});
  const double col[] = {1 + 0.2 + 1. / 7, 5 + 1 + 1. / 3, 7 + 3 + 1};
  const double expected0 = (1 / col[0] + 5 / col[1] + 7 / col[2]) / 3;
  const double expected2 = ((1. / 7) / col[0] + (1. / 3) / col[1] + 1 / col[2]) / 3;
  CHECK(w[0] == doctest::Approx(expected0).epsilon(1e-14));
  CHECK(w[2] == doctest::Approx(expected2).epsilon(1e-14));
  CHECK(w[0] + w[1] + w[2] == doctest::Approx(1.0).epsilon(1e-15));
}

TEST_CASE("random-index tables and the consistency verdict") {
  CHECK(saaty_1980{}.random_index(1) == 0.0);
  CHECK(saaty_1980{}.random_index(2) == 0.0);
  CHECK(saaty_1980{}.random_index(3) == 0.58);
  CHECK(saaty_1980{}.random_index(12) == 1.48);
  CHECK(saaty_1980{}.random_index(15) == 1.59);
  CHECK(saaty_2005{}.random_index(3) == 0.52);
  CHECK(saaty_2005{}.random_index(12) == 1.54);
  CHECK(alonso_lamata_2006{}.random_index(4) == 0.8816);
  CHECK(alonso_lamata_2006{}.random_index(15) == 1.5838);
  CHECK(alonso_lamata_2006{}.random_index(20) == doctest::Approx((1.7699 * 20 - 4.3513) / 19));
  CHECK(donegan_dodd_1991{}.random_index(3) == 0.4914);
  CHECK(donegan_dodd_1991{}.random_index(15) == 1.4969);
  CHECK_THROWS_AS(saaty_1980{}.random_index(16), bad_input);
  CHECK_THROWS_AS(saaty_2005{}.random_index(0), bad_input);

  // The same judgments against another table: CR = CI / RI.
  const consistency_report saaty = consistency_of(paper001);
  const consistency_report alonso = consistency_of(paper001, alonso_lamata_2006{});
  CHECK(alonso.ratio == doctest::Approx(saaty.index / 0.5247));
  // n <= 2 is always consistent.
  const pairwise_matrix two = pairwise_matrix::from_rows({{1, 9}, {1. / 9, 1}});
  CHECK(consistency_of(two).ratio == 0.0);
  CHECK(consistency_of(two).lambda_max == doctest::Approx(2.0));

  // A badly inconsistent matrix (a > b > c > a): reported, or rejected when asked.
  const pairwise_matrix cycle = pairwise_matrix::from_rows({{1, 9, 1. / 9}, {1. / 9, 1, 9}, {9, 1. / 9, 1}});
  const ahp_result reported = analytic_hierarchy<>{}.evaluate(cycle);
  CHECK_FALSE(reported.consistency.acceptable());
  CHECK(reported.consistency.ratio > 1.0);
  const analytic_hierarchy<> strict(0.1, on_inconsistency::reject);
  CHECK_NOTHROW((void)strict.evaluate(paper001));
  try {
    (void)strict.evaluate(cycle);
    FAIL("expected inconsistent_judgments");
  } catch (const inconsistent_judgments& e) {
    CHECK(e.field() == "consistency_ratio");
    CHECK(e.report().ratio == reported.consistency.ratio);
  }
  // A looser threshold accepts paper 001's CR 0.056 but a tighter one rejects it.
  CHECK_THROWS_AS((void)analytic_hierarchy<>(0.05, on_inconsistency::reject).evaluate(paper001),
                  inconsistent_judgments);
  // Other policies compose: geometric mean with Saaty 2005.
  const ahp_result other = analytic_hierarchy<geometric_mean, saaty_2005>{}.evaluate(paper001);
  CHECK(other.consistency.random_index == 0.52);
}

TEST_CASE("bad input gives a typed error naming the entry") {
  using evmarket_test::field_of;
  CHECK(field_of([] { (void)pairwise_matrix::from_rows({{1, 0}, {0, 1}}); }) == "judgments[0][1]");
  CHECK(field_of([] { (void)pairwise_matrix::from_rows({{1, 2}, {-0.5, 1}}); }) == "judgments[1][0]");
  CHECK(field_of([] { (void)pairwise_matrix::from_rows({{1, std::nan("")}, {1, 1}}); }) == "judgments[0][1]");
  CHECK(field_of([] { (void)pairwise_matrix::from_rows({{1, INFINITY}, {0, 1}}); }) == "judgments[0][1]");
  CHECK(field_of([] {
          (void)pairwise_matrix::from_rows({{1, 3, 2}, {1. / 3, 1, 1}, {0.4, 1, 1}});
        }) == "judgments[2][0]");  // 0.4 is not 1/2
  CHECK(field_of([] { (void)pairwise_matrix::from_rows({{2, 1}, {1, 1}}); }) == "judgments[0][0]");
  CHECK(field_of([] { (void)pairwise_matrix::from_rows({{1, 2}, {0.5, 1, 3}}); }) == "judgments[1]");
  CHECK(field_of([] { (void)pairwise_matrix(Eigen::MatrixXd::Ones(2, 3)); }) == "judgments");
  CHECK(field_of([] { (void)pairwise_matrix(Eigen::MatrixXd(0, 0)); }) == "judgments");
  const double upper[] = {2, 3};
  CHECK(field_of([&] { (void)pairwise_matrix::from_upper_triangle(3, upper); }) == "upper");
  // Rounded reciprocals pass with a looser, explicit tolerance.
  CHECK_THROWS_AS((void)pairwise_matrix::from_rows({{1, 3}, {0.333, 1}}), bad_input);
  CHECK_NOTHROW((void)pairwise_matrix::from_rows({{1, 3}, {0.333, 1}}, 1e-2));
  try {
    (void)pairwise_matrix::from_rows({{1, 3}, {-1, 1}});
  } catch (const bad_input& e) {
    CHECK(e.value() == "-1");
  }
}

TEST_CASE("Harker's method: a complete set of judgments gives the eigenvector") {
  std::vector<judgment> all;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = i + 1; j < 3; ++j) all.push_back({i, j, paper001.at(i, j)});
  const incomplete_ahp_result result = harker_priorities(3, all);
  const std::vector<double> expected = priorities(paper001);
  for (std::size_t i = 0; i < 3; ++i) CHECK(result.weights[i] == doctest::Approx(expected[i]).epsilon(1e-12));
}

TEST_CASE("Harker's method: missing judgments") {
  // Consistent judgments with one pair missing: the weights are still the generating ones.
  const std::vector<double> truth{0.5, 0.3, 0.15, 0.05};
  std::vector<judgment> known;
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = i + 1; j < 4; ++j)
      if (!(i == 0 && j == 3)) known.push_back({i, j, truth[i] / truth[j]});
  const incomplete_ahp_result consistent = harker_priorities(4, known);
  for (std::size_t i = 0; i < 4; ++i) CHECK(consistent.weights[i] == doctest::Approx(truth[i]).epsilon(1e-10));
  CHECK(consistent.completed.at(0, 3) == doctest::Approx(10.0).epsilon(1e-9));

  // Inconsistent judgments: the weights are the eigenvector of the completed matrix (Harker's
  // theorem), checked against Eigen's solver on that matrix.
  std::mt19937_64 rng(1987);
  std::uniform_int_distribution<std::size_t> pick(0, saaty_scale.size() - 1);
  for (int trial = 0; trial < 100; ++trial) {
    const std::size_t n = 3 + static_cast<std::size_t>(trial % 8);
    std::vector<judgment> js;
    for (std::size_t i = 0; i + 1 < n; ++i) js.push_back({i, i + 1, saaty_scale[pick(rng)]});  // a spanning path
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 2; j < n; ++j)
        if (rng() % 2) js.push_back({j, i, saaty_scale[pick(rng)]});  // reverse orientation too
    const incomplete_ahp_result result = harker_priorities(n, js);
    const eigen_oracle expected = oracle_of(result.completed.values());
    CAPTURE(trial);
    for (std::size_t i = 0; i < n; ++i) CHECK(std::abs(result.weights[i] - expected.weights[i]) < 1e-9);
    for (const judgment& j : js) CHECK(result.completed.at(j.row, j.column) == j.value);
  }
}

TEST_CASE("Harker's method: bad input") {
  const std::vector<judgment> disconnected{{0, 1, 3}, {2, 3, 5}};
  CHECK_THROWS_AS((void)harker_priorities(4, disconnected), bad_input);
  const std::vector<judgment> out_of_range{{0, 4, 3}};
  CHECK_THROWS_AS((void)harker_priorities(4, out_of_range), bad_input);
  const std::vector<judgment> diagonal{{1, 1, 1}};
  CHECK_THROWS_AS((void)harker_priorities(2, diagonal), bad_input);
  const std::vector<judgment> contradictory{{0, 1, 3}, {1, 0, 3}};
  try {
    (void)harker_priorities(2, contradictory);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "judgments[1].value");
  }
  const std::vector<judgment> reciprocal{{0, 1, 3}, {1, 0, 1. / 3}};
  CHECK_NOTHROW((void)harker_priorities(2, reciprocal));
  const std::vector<judgment> negative{{0, 1, -3}};
  CHECK_THROWS_AS((void)harker_priorities(2, negative), bad_input);
  CHECK(harker_priorities(1, {}).weights == std::vector<double>{1.0});
}

TEST_CASE("group decisions: aggregation of judgments and of priorities") {
  const pairwise_matrix a = pairwise_matrix::from_rows({{1, 4, 9}, {1. / 4, 1, 2}, {1. / 9, 1. / 2, 1}});
  const pairwise_matrix b = pairwise_matrix::from_rows({{1, 1, 1}, {1, 1, 1}, {1, 1, 1}});
  const std::vector<pairwise_matrix> experts{a, b};
  const pairwise_matrix equal = aggregate_judgments(experts);
  CHECK(equal.at(0, 1) == doctest::Approx(2.0));
  CHECK(equal.at(0, 2) == doctest::Approx(3.0));
  CHECK(equal.at(2, 0) == doctest::Approx(1.0 / 3));
  CHECK(equal.at(1, 2) * equal.at(2, 1) == doctest::Approx(1.0).epsilon(1e-15));
  const double weights[] = {3, 1};  // normalised to 3/4, 1/4
  const pairwise_matrix weighted = aggregate_judgments(experts, weights);
  CHECK(weighted.at(0, 2) == doctest::Approx(std::pow(9.0, 0.75)));

  // One expert is returned unchanged (up to rounding).
  const pairwise_matrix alone = aggregate_judgments(std::span<const pairwise_matrix>(&paper001, 1));
  CHECK(alone.at(0, 2) == doctest::Approx(7.0));

  // AIP: weighted geometric mean of the priority vectors, renormalised.
  const std::vector<std::vector<double>> priority_sets{{0.5, 0.3, 0.2}, {0.2, 0.3, 0.5}};
  const std::vector<double> aip = aggregate_priorities(priority_sets);
  const double g0 = std::sqrt(0.5 * 0.2), g1 = 0.3, g2 = std::sqrt(0.2 * 0.5);
  CHECK(aip[0] == doctest::Approx(g0 / (g0 + g1 + g2)));
  CHECK(aip[1] == doctest::Approx(g1 / (g0 + g1 + g2)));
  // For consistent experts AIJ and AIP give the same group weights (geometric means commute).
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.05, 1.0);
  std::vector<pairwise_matrix> consistent_experts;
  std::vector<std::vector<double>> their_priorities;
  for (int k = 0; k < 4; ++k) {
    std::vector<double> w(6);
    for (double& x : w) x = u(rng);
    Eigen::MatrixXd m(6, 6);
    for (Eigen::Index i = 0; i < 6; ++i)
      for (Eigen::Index j = 0; j < 6; ++j) m(i, j) = w[static_cast<std::size_t>(i)] / w[static_cast<std::size_t>(j)];
    consistent_experts.emplace_back(m);
    their_priorities.push_back(priorities(consistent_experts.back()));
  }
  const std::vector<double> via_aij = priorities(aggregate_judgments(consistent_experts));
  const std::vector<double> via_aip = aggregate_priorities(their_priorities);
  for (std::size_t i = 0; i < 6; ++i) CHECK(via_aij[i] == doctest::Approx(via_aip[i]).epsilon(1e-10));

  // Bad input.
  CHECK_THROWS_AS((void)aggregate_judgments({}), bad_input);
  const std::vector<pairwise_matrix> mixed{a, pairwise_matrix::from_rows({{1, 2}, {0.5, 1}})};
  try {
    (void)aggregate_judgments(mixed);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "experts[1]");
  }
  const double bad_weights[] = {1, 0};
  CHECK_THROWS_AS((void)aggregate_judgments(experts, bad_weights), bad_input);
  const double too_few[] = {1};
  CHECK_THROWS_AS((void)aggregate_judgments(experts, too_few), bad_input);
  const std::vector<std::vector<double>> ragged{{0.5, 0.5}, {1.0}};
  CHECK_THROWS_AS((void)aggregate_priorities(ragged), bad_input);
  const std::vector<std::vector<double>> zero{{1.0, 0.0}};
  CHECK_THROWS_AS((void)aggregate_priorities(zero), bad_input);
}

TEST_CASE("sizes 1 to 15 work with every method") {
  std::mt19937_64 rng(15);
  for (std::size_t n = 1; n <= 15; ++n) {
    const pairwise_matrix m = random_saaty_matrix(n, rng);
    for (const auto& w : {priorities(m, principal_eigenvector{}), priorities(m, geometric_mean{}),
                          priorities(m, column_normalised_mean{})}) {
      REQUIRE(w.size() == n);
      double total = 0.0;
      for (const double x : w) {
        CHECK(x > 0.0);
        total += x;
      }
      CHECK(total == doctest::Approx(1.0).epsilon(1e-14));
    }
    const consistency_report report = consistency_of(m, alonso_lamata_2006{});
    CHECK(report.ratio >= 0.0);
  }
}

TEST_CASE("the power iteration's guard and large matrices") {
  std::mt19937_64 rng(60);
  const pairwise_matrix big = random_saaty_matrix(60, rng);
  const eigen_oracle expected = oracle_of(big.values());
  const std::vector<double> w = priorities(big);
  for (std::size_t i = 0; i < 60; ++i) CHECK(std::abs(w[i] - expected.weights[i]) < 1e-9);
  // An iteration budget too small for an inconsistent matrix is a solver failure, not a wrong answer.
  const pairwise_matrix cycle = pairwise_matrix::from_rows({{1, 9, 1. / 9}, {1. / 9, 1, 9}, {9, 1. / 9, 1}});
  const pairwise_matrix four = random_saaty_matrix(4, rng);
  CHECK_THROWS_AS((void)priorities(four, principal_eigenvector{1e-13, 1}), solver_failure);
  CHECK_NOTHROW((void)priorities(cycle, principal_eigenvector{1e-13, 1}));  // 3x3: the start is exact
}

TEST_CASE("judgments spanning more than double precision holds are refused, not turned into zero weights") {
  // Found by tests/fuzz/ahp_fuzz: every judgment 1.8e308 (each valid, with its reciprocal) gave
  // weights that underflowed to exactly 0.
  for (const std::size_t n : {3u, 5u, 9u}) {
    CAPTURE(n);
    const std::vector<double> upper(n * (n - 1) / 2, std::numeric_limits<double>::max());
    const pairwise_matrix m = pairwise_matrix::from_upper_triangle(n, upper);
    const auto refused = [](auto evaluate) {
      try {
        evaluate();
      } catch (const bad_input& e) {
        return e.field() == "judgments" && std::string(e.what()).find("orders of magnitude") != std::string::npos;
      }
      return false;
    };
    CHECK(refused([&] { return analytic_hierarchy<>{}.evaluate(m); }));
    CHECK(refused([&] { return analytic_hierarchy<geometric_mean>{}.evaluate(m); }));
    // Column normalisation keeps every weight representable here; whatever it returns is positive.
    try {
      for (const double w : analytic_hierarchy<column_normalised_mean>{}.evaluate(m).weights)
        CHECK((std::isfinite(w) && w > 0));
    } catch (const bad_input& e) {
      CHECK(e.field() == "judgments");
    }
  }
  // Wide but representable judgments still give positive weights.
  const std::vector<double> wide{1e100, 1e100, 1e100};
  const auto r = analytic_hierarchy<>{}.evaluate(pairwise_matrix::from_upper_triangle(3, wide));
  for (const double w : r.weights) CHECK(w > 0);
}
