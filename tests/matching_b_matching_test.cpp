// Capacitated many-to-many matching, paper 004 eq. (5)-(8).
#include <evmarket/matching/b_matching.hpp>
#include <evmarket/matching/hungarian.hpp>

#include <doctest/doctest.h>

#include "matching_test_support.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <vector>

using namespace evmarket;
using namespace evmarket_test;

namespace {

// Brute force: every seller chooses a subset of exactly L[j] allowed buyers (recursively), buyers'
// loads are checked against L^a. Returns NaN when no choice is feasible.
struct brute_force {
  const matrix<double>& w;
  const std::vector<int>& demand;
  const std::vector<int>& capacity;
  objective sense;
  std::vector<int> load;
  double best = std::numeric_limits<double>::quiet_NaN();

  double run() {
    load.assign(capacity.size(), 0);
    seller(0, 0.0);
    return best;
  }
  void seller(Eigen::Index j, double total) {
    if (j == w.cols()) {
      if (std::isnan(best) || (sense == objective::minimise ? total < best : total > best)) best = total;
      return;
    }
    choose(j, 0, demand[static_cast<std::size_t>(j)], total);
  }
  void choose(Eigen::Index j, Eigen::Index from, int left, double total) {
    if (left == 0) return seller(j + 1, total);
    for (Eigen::Index i = from; i < w.rows(); ++i) {
      if (std::isinf(w(i, j)) || load[static_cast<std::size_t>(i)] == capacity[static_cast<std::size_t>(i)]) continue;
      ++load[static_cast<std::size_t>(i)];
      choose(j, i + 1, left - 1, total + w(i, j));
      --load[static_cast<std::size_t>(i)];
    }
  }
};

// Checks the result is feasible (eq. 6-8) and optimal by the LP certificate documented in
// b_matching.hpp: reduced weights' signs agree with the matching, buyer duals are sign-correct
// and nonzero only on full buyers, and the dual objective equals the value.
template <class Scalar>
void check_certificate(const matrix<Scalar>& w, const std::vector<int>& demand, const std::vector<int>& capacity,
                       const b_matching_result<Scalar>& r, objective sense, double tol) {
  REQUIRE(r.optimal());
  const Eigen::Index m = w.rows(), n = w.cols();
  matrix<int> t = matrix<int>::Zero(m, n);
  long double total = 0;
  for (const matched_pair& p : r.pairs) {
    REQUIRE(p.buyer >= 0);
    REQUIRE(p.buyer < m);
    REQUIRE(p.seller >= 0);
    REQUIRE(p.seller < n);
    ++t(p.buyer, p.seller);
    total += static_cast<long double>(w(p.buyer, p.seller));
  }
  CHECK(t.maxCoeff() <= 1);  // eq. (6): each pair at most once
  for (Eigen::Index j = 0; j < n; ++j) CHECK(t.col(j).sum() == demand[static_cast<std::size_t>(j)]);    // eq. (7)
  for (Eigen::Index i = 0; i < m; ++i) CHECK(t.row(i).sum() <= capacity[static_cast<std::size_t>(i)]);  // eq. (8)
  CHECK(std::is_sorted(r.pairs.begin(), r.pairs.end(), [](const matched_pair& a, const matched_pair& b) {
    return a.seller != b.seller ? a.seller < b.seller : a.buyer < b.buyer;
  }));
  const double scale = 1.0 + std::fabs(static_cast<double>(r.value));
  CHECK(std::fabs(static_cast<double>(total) - static_cast<double>(r.value)) <= tol * scale);
  const double sign = sense == objective::minimise ? 1.0 : -1.0;
  long double dual = 0;
  for (Eigen::Index j = 0; j < n; ++j)
    dual += static_cast<long double>(demand[static_cast<std::size_t>(j)]) *
            static_cast<long double>(r.seller_potential[static_cast<std::size_t>(j)]);
  for (Eigen::Index i = 0; i < m; ++i) {
    const double beta = static_cast<double>(r.buyer_potential[static_cast<std::size_t>(i)]);
    dual += static_cast<long double>(capacity[static_cast<std::size_t>(i)]) * static_cast<long double>(beta);
    CHECK(sign * beta <= tol * scale);
    if (sign * beta < -tol * scale) CHECK(t.row(i).sum() == capacity[static_cast<std::size_t>(i)]);
  }
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      if (std::isinf(static_cast<double>(w(i, j)))) {
        CHECK(t(i, j) == 0);
        continue;
      }
      // long double carries 64 bits: exact for the int64 tests' reduced weights.
      const long double reduced =
          static_cast<long double>(sign) * (static_cast<long double>(w(i, j)) -
                                            static_cast<long double>(r.seller_potential[static_cast<std::size_t>(j)]) -
                                            static_cast<long double>(r.buyer_potential[static_cast<std::size_t>(i)]));
      if (reduced < -tol * scale) CHECK(t(i, j) == 1);
      if (reduced > tol * scale) CHECK(t(i, j) == 0);
      dual += static_cast<long double>(sign) * std::min(0.0L, reduced);
    }
  CHECK(std::fabs(static_cast<double>(dual - total)) <= tol * scale * 10);
}

std::vector<int> random_counts(std::mt19937_64& rng, Eigen::Index size, int lo, int hi) {
  std::uniform_int_distribution<int> count(lo, hi);
  std::vector<int> out(static_cast<std::size_t>(size));
  for (auto& c : out) c = count(rng);
  return out;
}

}  // namespace

TEST_CASE("small random instances agree with brute force; infeasible ones say so") {
  std::mt19937_64 rng(31337);
  int infeasible = 0, feasible = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const auto m = static_cast<Eigen::Index>(1 + rng() % 6);
    const auto n = static_cast<Eigen::Index>(1 + rng() % 4);
    std::uniform_int_distribution<int> value(0, trial % 2 == 0 ? 3 : 1000);
    std::bernoulli_distribution forbid(trial % 4 == 0 ? 0.3 : 0.0);
    matrix<double> w(m, n);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < n; ++j) w(i, j) = forbid(rng) ? inf : value(rng);
    const auto demand = random_counts(rng, n, 0, static_cast<int>(std::min<Eigen::Index>(m, 3)));
    const auto capacity = random_counts(rng, m, 0, 3);
    for (const objective sense : {objective::minimise, objective::maximise}) {
      CAPTURE(trial);
      matrix<double> marked = w;
      if (sense == objective::maximise) marked = marked.unaryExpr([](double x) { return std::isinf(x) ? -inf : x; });
      const double expected = brute_force{w, demand, capacity, sense, {}}.run();
      const auto result = solve_b_matching(marked, demand, capacity, sense);
      if (std::isnan(expected)) {
        ++infeasible;
        CHECK(result.status == matching_status::infeasible);
        CHECK(result.pairs.empty());
        CHECK(result.unmet_seller >= 0);
        CHECK(result.unmet_seller < n);
      } else {
        ++feasible;
        REQUIRE(result.optimal());
        CHECK(result.value == expected);
        check_certificate(marked, demand, capacity, result, sense, 1e-9);
        // The integer solver and the mask agree.
        bool_matrix allowed = w.array().isFinite();
        const matrix<std::int64_t> wi = w.array().isFinite().select(w, 0.0).cast<std::int64_t>();
        const auto exact = solve_b_matching(wi, allowed, demand, capacity, sense);
        REQUIRE(exact.optimal());
        CHECK(exact.value == static_cast<std::int64_t>(expected));
      }
    }
  }
  CHECK(infeasible > 20);
  CHECK(feasible > 200);
}

TEST_CASE("with every L and L^a equal to 1 it is the rectangular assignment problem") {
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> value(0, 1);
  for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{60, 25}, {40, 40}, {150, 100}}) {
    const Eigen::Index m = shape.first, n = shape.second;
    matrix<double> w(m, n);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < n; ++j) w(i, j) = value(rng);
    const std::vector<int> demand(static_cast<std::size_t>(n), 1), capacity(static_cast<std::size_t>(m), 1);
    for (const objective sense : {objective::minimise, objective::maximise}) {
      const auto b = solve_b_matching(w, demand, capacity, sense);
      const auto a = solve_assignment(w, sense);
      CHECK(b.value == doctest::Approx(a.value).epsilon(1e-12));
      check_certificate(w, demand, capacity, b, sense, 1e-12);
    }
  }
}

TEST_CASE("larger random instances in paper 004's shape carry an optimality certificate") {
  std::mt19937_64 rng(2021);
  std::uniform_real_distribution<double> value(0, 1);
  for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{200, 50}, {120, 90}, {300, 20}}) {
    const Eigen::Index m = shape.first, n = shape.second;
    matrix<double> w(m, n);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < n; ++j) w(i, j) = value(rng);
    const auto demand = random_counts(rng, n, 0, 3);
    const auto capacity = random_counts(rng, m, 1, 3);
    for (const objective sense : {objective::minimise, objective::maximise}) {
      CAPTURE(m);
      const auto result = solve_b_matching(w, demand, capacity, sense);
      check_certificate(w, demand, capacity, result, sense, 1e-12);
    }
    // float weights are solved in double arithmetic: the same pairs' certificate holds.
    const matrix<float> wf = w.cast<float>();
    check_certificate(wf, demand, capacity, solve_b_matching(wf, demand, capacity), objective::minimise, 1e-12);
    // Integer weights: the exact certificate holds with zero tolerance.
    const matrix<std::int64_t> wi = (w * 1e6).cast<std::int64_t>();
    check_certificate(wi, demand, capacity, solve_b_matching(wi, demand, capacity, objective::maximise),
                      objective::maximise, 0.0);
  }
}

TEST_CASE("large L (a seller with many buyers) carries an optimality certificate") {
  // L above the insertion limit takes the selection path of the greedy start.
  std::mt19937_64 rng(404);
  std::uniform_int_distribution<int> value(0, 50);  // many ties
  matrix<double> w(80, 6);
  for (Eigen::Index i = 0; i < 80; ++i)
    for (Eigen::Index j = 0; j < 6; ++j) w(i, j) = value(rng);
  const std::vector<int> demand{40, 25, 17, 3, 0, 30};
  const auto capacity = random_counts(rng, 80, 1, 3);
  for (const objective sense : {objective::minimise, objective::maximise})
    check_certificate(w, demand, capacity, solve_b_matching(w, demand, capacity, sense), sense, 1e-12);
}

TEST_CASE("all-equal weights (ties everywhere) still give a certified optimum") {
  const matrix<double> w = matrix<double>::Constant(300, 60, 2.5);
  const std::vector<int> demand(60, 3);
  std::vector<int> capacity(300, 1);
  const auto r = solve_b_matching(w, demand, capacity);
  CHECK(r.value == 2.5 * 180);
  check_certificate(w, demand, capacity, r, objective::minimise, 0.0);
  // 101 sellers wanting 3 buyers each need 303 of the 300 single-slot buyers.
  CHECK(solve_b_matching(matrix<double>::Constant(300, 101, 1.0), std::vector<int>(101, 3), capacity).status ==
        matching_status::infeasible);
}

TEST_CASE("each pair trades at most once, unlike an assignment with duplicated rows") {
  // One buyer with room for 2, one seller wanting 2: duplication would pair them twice.
  const matrix<double> w = matrix<double>::Constant(1, 1, 5.0);
  const auto twice = solve_b_matching(w, std::vector<int>{2}, std::vector<int>{2});
  CHECK(twice.status == matching_status::infeasible);
  CHECK(twice.unmet_seller == 0);
  // Two buyers: the seller takes both, once each.
  matrix<double> two(2, 1);
  two << 5, 7;
  const auto ok = solve_b_matching(two, std::vector<int>{2}, std::vector<int>{2, 2}, objective::maximise);
  REQUIRE(ok.optimal());
  CHECK(ok.value == 12.0);
  CHECK(ok.pairs == std::vector<matched_pair>{{0, 0}, {1, 0}});
}

TEST_CASE("integer weights beyond 2^53 are matched exactly") {
  // Entries differ by 1 around 2^60: a double cannot tell them apart.
  const std::int64_t big = std::int64_t{1} << 60;
  matrix<std::int64_t> w(3, 2);
  w << big + 1, big + 3, big + 2, big + 1, big + 3, big + 2;
  const auto r = solve_b_matching(w, std::vector<int>{1, 1}, std::vector<int>{1, 1, 1});
  REQUIRE(r.optimal());
  CHECK(r.value == 2 * big + 2);  // buyer 0 -> seller 0, buyer 1 -> seller 1
  CHECK(r.pairs == std::vector<matched_pair>{{0, 0}, {1, 1}});
  check_certificate(w, std::vector<int>{1, 1}, std::vector<int>{1, 1, 1}, r, objective::minimise, 0.0);
}

TEST_CASE("max_benefit_matching is paper 004's rule as a session policy") {
  static_assert(CapacitatedMatchingRule<max_benefit_matching>);
  matrix<double> w(3, 2);
  w << 4, 1, 2, 5, 3, 3;
  const std::vector<int> demand{1, 2}, capacity{1, 1, 1};
  const auto r = max_benefit_matching{}.match(w, demand, capacity);
  REQUIRE(r.optimal());
  CHECK(r.value == 4.0 + 5.0 + 3.0);  // seller 0 takes buyer 0; seller 1 buyers 1 and 2
  CHECK(r.value == solve_b_matching(w, demand, capacity, objective::maximise).value);
}

TEST_CASE("infeasibility and bad input") {
  const matrix<double> w = matrix<double>::Constant(3, 2, 1.0);
  SUBCASE("more demand than capacity is reported with the seller that does not fit") {
    const auto r = solve_b_matching(w, std::vector<int>{2, 2}, std::vector<int>{1, 1, 1});
    CHECK(r.status == matching_status::infeasible);
    CHECK(r.unmet_seller == 1);
  }
  SUBCASE("forbidden pairs can make a seller unreachable") {
    matrix<double> f = w;
    f.col(1).setConstant(inf);
    const auto r = solve_b_matching(f, std::vector<int>{1, 1}, std::vector<int>{3, 3, 3});
    CHECK(r.status == matching_status::infeasible);
    CHECK(r.unmet_seller == 1);
  }
  SUBCASE("zero demand everywhere is the empty optimum") {
    const auto r = solve_b_matching(w, std::vector<int>{0, 0}, std::vector<int>{0, 0, 0});
    CHECK(r.optimal());
    CHECK(r.pairs.empty());
    CHECK(r.value == 0.0);
  }
  SUBCASE("sizes, negative counts and NaN are rejected by name") {
    CHECK_THROWS_AS(solve_b_matching(w, std::vector<int>{1}, std::vector<int>{1, 1, 1}), bad_input);
    CHECK_THROWS_AS(solve_b_matching(w, std::vector<int>{1, 1}, std::vector<int>{1, 1}), bad_input);
    try {
      (void)solve_b_matching(w, std::vector<int>{1, -1}, std::vector<int>{1, 1, 1});
      FAIL("negative demand accepted");
    } catch (const bad_input& e) {
      CHECK(e.field() == "seller_demand[1]");
    }
    matrix<double> nan = w;
    nan(2, 1) = std::numeric_limits<double>::quiet_NaN();
    try {
      (void)solve_b_matching(nan, std::vector<int>{1, 1}, std::vector<int>{1, 1, 1});
      FAIL("NaN accepted");
    } catch (const bad_input& e) {
      CHECK(e.field() == "weights(2, 1)");
    }
  }
}
