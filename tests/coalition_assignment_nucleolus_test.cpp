// The assignment game's nucleolus without an LP (coalition/assignment_nucleolus.hpp): hand-derived
// examples and degenerate markets; on seeded random markets, the general Kohlberg criterion over
// all 2^n coalitions of the tabulated game (an independent oracle) accepts every result; the
// essential-coalition certificate agrees with the general one, also on perturbed allocations;
// relabelling buyers or swapping the two sides permutes the answer; the 128-bit and the
// arbitrary-precision paths agree.
#include <evmarket/coalition/assignment_nucleolus.hpp>

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace evmarket;
using Q = exact_rational;

namespace {

std::vector<Q> rationals(std::initializer_list<Q> values) { return std::vector<Q>(values); }

template <class Value>
assignment_nucleolus_result solve(const std::vector<std::vector<Value>>& gains) {
  return assignment_nucleolus(assignment_game<Value>(gains));
}

// Gains uniform in 0..top; about a third of the pairs gain nothing.
std::vector<std::vector<double>> random_gains(std::mt19937_64& rng, std::size_t m, std::size_t k, int top) {
  std::uniform_int_distribution<int> gain(0, top);
  std::bernoulli_distribution zero(1.0 / 3);
  std::vector<std::vector<double>> gains(m, std::vector<double>(k));
  for (auto& row : gains)
    for (auto& g : row) g = zero(rng) ? 0.0 : gain(rng);
  return gains;
}

std::vector<std::vector<Q>> random_rational_gains(std::mt19937_64& rng, std::size_t m, std::size_t k) {
  std::uniform_int_distribution<int> numerator(0, 40), denominator(1, 7);
  std::vector<std::vector<Q>> gains(m, std::vector<Q>(k));
  for (auto& row : gains)
    for (auto& g : row) g = Q(numerator(rng)) / denominator(rng);
  return gains;
}

// Kohlberg's criterion over every coalition of the tabulated game: knows nothing of matchings.
template <class Value>
bool oracle_accepts(const assignment_game<Value>& game, const std::vector<Q>& x) {
  return kohlberg_check(game.to_game(), std::span<const Q>(x), solution_kind::nucleolus).holds;
}

}  // namespace

TEST_CASE("hand-derived nucleoli") {
  SUBCASE("the README market [[3,2],[2,3]]: 3/2 each, levels -1 then -3/2") {
    const auto r = solve<double>({{3, 2}, {2, 3}});
    CHECK(r.exact_allocation == rationals({Q(3, 2), Q(3, 2), Q(3, 2), Q(3, 2)}));
    CHECK(r.certified());
    CHECK(r.levels == rationals({Q(-1), Q(-3, 2)}));
    CHECK(r.matching == std::vector<std::size_t>{0, 1});
    CHECK(r.allocation == std::vector<double>{1.5, 1.5, 1.5, 1.5});
  }
  SUBCASE("independent pairs split their gains: [[4,0],[0,2]]") {
    const auto r = solve<double>({{4, 0}, {0, 2}});
    CHECK(r.exact_allocation == rationals({2, 1, 2, 1}));
    CHECK(r.certified());
  }
  SUBCASE("one buyer, three sellers {4, 7, 2}: the buyer's outside option 4 is balanced against the seller") {
    // Core: x_b + x_s1 = 7, x_b >= 4. Excesses 4 - x_b and x_b - 7 equalise at x_b = 11/2.
    const auto r = solve<double>({{4, 7, 2}});
    CHECK(r.exact_allocation == rationals({Q(11, 2), 0, Q(3, 2), 0}));
    CHECK(r.certified());
  }
  SUBCASE("three buyers, one seller: the same market seen from the other side") {
    const auto r = solve<double>({{4}, {7}, {2}});
    CHECK(r.exact_allocation == rationals({0, Q(3, 2), 0, Q(11, 2)}));
    CHECK(r.certified());
  }
  SUBCASE("1 x 1") {
    CHECK(solve<double>({{5}}).exact_allocation == rationals({Q(5, 2), Q(5, 2)}));
    CHECK(solve<double>({{0}}).exact_allocation == rationals({0, 0}));
    CHECK(solve<double>({{-3}}).exact_allocation == rationals({0, 0}));  // a loss is no trade
    CHECK(solve<double>({{0}}).certified());
  }
  SUBCASE("the zero market and negative gains: nobody trades, nobody is paid") {
    const auto r = solve<double>({{0, 0}, {0, -1}, {-2, 0}});
    CHECK(r.exact_allocation == std::vector<Q>(5, Q(0)));
    CHECK(r.matching == std::vector<std::size_t>(3, assignment_nucleolus_result::unmatched));
    CHECK(r.levels.empty());
    CHECK(r.certified());
  }
  SUBCASE("exact rationals and binary fractions") {
    const auto r = solve<Q>({{Q(1, 3), Q(1, 7)}, {Q(1, 5), Q(2, 9)}});
    CHECK(r.certified());
    CHECK(oracle_accepts(assignment_game<Q>({{Q(1, 3), Q(1, 7)}, {Q(1, 5), Q(2, 9)}}), r.exact_allocation));
    // 0.1 is read as the binary fraction it is: the two halves add up to exactly that double.
    const auto d = solve<double>({{0.1}});
    CHECK(d.exact_allocation[0] + d.exact_allocation[1] == Q(0.1));
    CHECK(d.exact_allocation[0] == d.exact_allocation[1]);
  }
}

TEST_CASE("random markets: the general Kohlberg criterion over all coalitions accepts every result") {
  std::mt19937_64 rng(16);
  std::uniform_int_distribution<std::size_t> side(1, 5);
  for (int trial = 0; trial < 120; ++trial) {
    std::size_t m = side(rng), k = side(rng);
    while (m + k > 9) --k;
    const auto gains = random_gains(rng, m, k, trial % 2 == 0 ? 6 : 100);
    const assignment_game<double> game(gains);
    const auto r = assignment_nucleolus(game);
    INFO("trial ", trial, ", ", m, " x ", k);
    REQUIRE(r.certified());
    CHECK(oracle_accepts(game, r.exact_allocation));
    CHECK(kohlberg_check(game, std::span<const Q>(r.exact_allocation)).holds);
    for (std::size_t s = 1; s < r.levels.size(); ++s) CHECK(r.levels[s] < r.levels[s - 1]);
    Q total = 0;
    for (const auto& xi : r.exact_allocation) total += xi;
    CHECK(total == Q(game.grand_value()));
  }
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t m = side(rng), k = std::min<std::size_t>(side(rng), 9 - m);
    const assignment_game<Q> game(random_rational_gains(rng, m, k));
    const auto r = assignment_nucleolus(game);
    INFO("rational trial ", trial);
    REQUIRE(r.certified());
    CHECK(oracle_accepts(game, r.exact_allocation));
  }
}

TEST_CASE("the essential-coalition certificate agrees with the general one and rejects perturbations") {
  std::mt19937_64 rng(1994);
  std::uniform_int_distribution<std::size_t> side(1, 4);
  std::uniform_int_distribution<int> step(-3, 3);
  for (int trial = 0; trial < 80; ++trial) {
    const std::size_t m = side(rng), k = side(rng);
    const assignment_game<double> game(random_gains(rng, m, k, 8));
    const auto r = assignment_nucleolus(game);
    std::vector<Q> x = r.exact_allocation;
    // Move payoff between a buyer and a seller (x stays efficient), or from one player to another.
    const std::size_t from = rng() % game.players(), to = rng() % game.players();
    const Q amount = Q(step(rng), 16);
    x[from] -= amount;
    x[to] += amount;
    const bool moved = from != to && amount != 0;
    const auto mine = assignment_kohlberg_check(game, std::span<const Q>(x), std::span<const std::size_t>(r.matching));
    const auto general = kohlberg_check(game, std::span<const Q>(x));
    INFO("trial ", trial, ": ", mine.reason, " / ", general.reason);
    CHECK(mine.holds == !moved);
    CHECK(general.holds == mine.holds);
  }
}

TEST_CASE("relabelling buyers and swapping the two sides permute the nucleolus") {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t m = 1 + rng() % 6, k = 1 + rng() % 6;
    const auto gains = random_gains(rng, m, k, 20);
    std::vector<std::vector<double>> swapped(k, std::vector<double>(m)), reversed(gains.rbegin(), gains.rend());
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < k; ++j) swapped[j][i] = gains[i][j];
    const auto x = solve(gains).exact_allocation;
    const auto y = solve(swapped).exact_allocation;
    const auto z = solve(reversed).exact_allocation;
    for (std::size_t i = 0; i < m; ++i) {
      CHECK(x[i] == y[k + i]);
      CHECK(x[i] == z[m - 1 - i]);
    }
    for (std::size_t j = 0; j < k; ++j) {
      CHECK(x[m + j] == y[j]);
      CHECK(x[m + j] == z[m + j]);
    }
  }
}

TEST_CASE("the 128-bit and the arbitrary-precision paths agree") {
  std::mt19937_64 rng(2013);
  for (int trial = 0; trial < 20; ++trial) {
    const auto gains = random_gains(rng, 7, 6, 1000);
    const detail::scaled_gains g = detail::scale_gains(assignment_game<double>(gains));
    const auto nodes = detail::number_pairs(g, detail::best_matching(g));
    detail::wide_int wide_constant = 0;
    detail::big_int big_constant = 0;
    const auto wide = detail::nucleolus_potentials<detail::wide_int>(g, nodes, wide_constant);
    const auto big = detail::nucleolus_potentials<detail::big_int>(g, nodes, big_constant);
    CHECK(detail::allocation_of(g, nodes, wide) == detail::allocation_of(g, nodes, big));
    CHECK(wide.levels == big.levels);
  }
  SUBCASE("gains 400 orders of magnitude apart overflow 128 bits and are still exact") {
    const assignment_game<double> game({{1e200, 3e-200, 1.0}, {2e-200, 1e200, 0.5}});
    const auto r = assignment_nucleolus(game);
    CHECK(r.certified());
    CHECK(oracle_accepts(game, r.exact_allocation));
  }
}

TEST_CASE("the exact fallback matching is optimal") {
  // Its total gain equals v(N) of the tabulated game (a dynamic programme over all coalitions,
  // exact in rationals) on markets whose gains differ by tiny fractions.
  std::mt19937_64 rng(1971);
  std::uniform_int_distribution<int> base(0, 3), tiny(0, 5);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t m = 1 + rng() % 5, k = 1 + rng() % 4;
    std::vector<std::vector<Q>> gains(m, std::vector<Q>(k));
    for (auto& row : gains)
      for (auto& g : row) g = Q(base(rng)) + Q(tiny(rng), 1000000007);
    const assignment_game<Q> game(gains);
    const auto g = detail::scale_gains(game);
    const auto match = detail::exact_matching(g);
    Q total = 0;
    std::vector<char> used(k, 0);
    for (std::size_t i = 0; i < m; ++i) {
      if (match[i] == assignment_nucleolus_result::unmatched) continue;
      REQUIRE(match[i] < k);
      CHECK_FALSE(used[match[i]]);
      used[match[i]] = 1;
      total += gains[i][match[i]];
    }
    const auto table = game.to_game();
    CHECK(total == table.value(table.grand()));
  }
}

TEST_CASE("bad input is a typed error") {
  using rows = std::vector<std::vector<double>>;
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  CHECK(evmarket_test::field_of([&] { (void)assignment_game<double>(rows{{1, nan}}); }) == "gains[0][1]");
  CHECK(evmarket_test::field_of([&] { (void)assignment_game<double>(rows{{inf}}); }) == "gains[0][0]");
  CHECK(evmarket_test::field_of([&] { (void)assignment_game<double>(rows{}); }) == "gains");
  CHECK(evmarket_test::field_of([&] { (void)assignment_game<double>(rows{{1, 2}, {3}}); }) == "gains[1].size()");
  const assignment_game<double> game({{3, 2}, {2, 3}});
  const std::vector<Q> x(4, Q(3, 2)), short_x(3, Q(1));
  const std::vector<std::size_t> match{0, 1}, twice{0, 0}, outside{0, 5};
  auto check = [&](const std::vector<Q>& a, const std::vector<std::size_t>& mu) {
    return evmarket_test::field_of(
        [&] { (void)assignment_kohlberg_check(game, std::span<const Q>(a), std::span<const std::size_t>(mu)); });
  };
  CHECK(check(short_x, match) == "allocation.size()");
  CHECK(check(x, {0}) == "matching.size()");
  CHECK(check(x, twice) == "matching[1]");
  CHECK(check(x, outside) == "matching[1]");
  CHECK(check(x, match) == "no error");
  // A matching that is not optimal cannot certify anything.
  CHECK_FALSE(assignment_kohlberg_check(game, std::span<const Q>(x), std::span<const std::size_t>(std::vector<std::size_t>{1, 0})).holds);
}
