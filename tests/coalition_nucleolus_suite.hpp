// The nucleolus test suite, run on every LP backend: a test file defines
// EVMARKET_NUCLEOLUS_BACKENDS (the backend types) and includes this file after the headers.
// It covers the issue's exact values, the "fix every tight coalition" trap, random games certified
// by Kohlberg's criterion (and the certificate failing after a perturbation), the assignment-game
// fast path against the general path, the least core, the backend itself, decimal games and bad
// input.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace nucleolus_suite {

using namespace evmarket;
using Q = exact_rational;



tu_game<double> game_of(std::vector<double> values) {
  const auto n = static_cast<std::size_t>(std::countr_zero(values.size()));
  return tu_game<double>::from_table(n, std::move(values));
}

// The issue's random games: v({i}) = 0, v(S) uniform in 1..100|S|, v(N) in 100(n-2)..100n.
tu_game<double> issue_random_game(std::size_t n, std::mt19937_64& rng) {
  const std::size_t count = std::size_t{1} << n;
  std::vector<double> values(count, 0.0);
  for (std::size_t s = 1; s + 1 < count; ++s) {
    const auto size = static_cast<long long>(std::popcount(s));
    if (size >= 2) values[s] = static_cast<double>(std::uniform_int_distribution<long long>(1, 100 * size)(rng));
  }
  const auto players = static_cast<long long>(n);
  values[count - 1] = static_cast<double>(std::uniform_int_distribution<long long>(100 * (players - 2), 100 * players)(rng));
  return tu_game<double>::from_table(n, std::move(values));
}

// Games whose value grows faster than the coalition size: long sequences of LP stages.
tu_game<Q> convexish_rational_game(std::size_t n, std::mt19937_64& rng) {
  const std::size_t count = std::size_t{1} << n;
  std::vector<Q> values(count, Q(0));
  for (std::size_t s = 1; s < count; ++s) {
    const auto size = static_cast<long long>(std::popcount(s));
    values[s] = Q(std::uniform_int_distribution<long long>(0, 10 * size * size)(rng), 1 + static_cast<long long>(rng() % 3));
  }
  return tu_game<Q>::from_table(n, std::move(values));
}

std::vector<Q> nudged(std::vector<Q> x, std::size_t from, std::size_t to) {
  x[from] -= Q(1, 1000);
  x[to] += Q(1, 1000);
  return x;
}

// The classic mistake, for the trap test: after each LP, fix every coalition that is tight at the
// solver's optimum, whether or not the LP forces it.
template <LpBackend Backend>
std::vector<double> nucleolus_fixing_every_tight_coalition(const tu_game<double>& game) {
  const std::size_t n = game.players();
  Backend lp;
  lp.reset(n + 1);
  lp.set_objective(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) lp.set_column_bounds(i, game.value(coalition{1} << i), lp_unbounded);
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  lp.add_row(all, std::vector<double>(n, 1.0), game.value(game.grand()), game.value(game.grand()));
  std::vector<coalition> rows;
  for (coalition s = 1; s < game.grand(); ++s) {
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < n; ++i)
      if ((s >> i) & 1U) indices.push_back(i);
    indices.push_back(n);
    lp.add_row(indices, std::vector<double>(indices.size(), 1.0), game.value(s), lp_unbounded);
    rows.push_back(s);
  }
  std::vector<bool> fixed(rows.size(), false);
  std::vector<double> x(n);
  while (std::find(fixed.begin(), fixed.end(), false) != fixed.end()) {
    REQUIRE(lp.solve() == lp_status::optimal);
    const double t = lp.column_value(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = lp.column_value(i);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (fixed[r]) continue;
      double sum = 0;
      std::vector<std::size_t> indices;
      for (std::size_t i = 0; i < n; ++i)
        if ((rows[r] >> i) & 1U) { sum += x[i]; indices.push_back(i); }
      if (game.value(rows[r]) - sum >= t - 1e-9) {
        fixed[r] = true;
        lp.set_row(r + 1, indices, std::vector<double>(indices.size(), 1.0), game.value(rows[r]) - t, game.value(rows[r]) - t);
      }
    }
  }
  return x;
}

// Any LpBackend plugs in: this one forwards to another and counts the solves.
template <class Inner>
struct counting_backend {
  Inner inner;
  static inline std::size_t solves = 0;
  void reset(std::size_t columns) { inner.reset(columns); }
  void set_column_bounds(std::size_t j, double lower, double upper) { inner.set_column_bounds(j, lower, upper); }
  void set_objective(std::size_t j, double c) { inner.set_objective(j, c); }
  std::size_t add_row(std::span<const std::size_t> i, std::span<const double> v, double lower, double upper) {
    return inner.add_row(i, v, lower, upper);
  }
  void set_row(std::size_t r, std::span<const std::size_t> i, std::span<const double> v, double lower, double upper) {
    inner.set_row(r, i, v, lower, upper);
  }
  void delete_rows(std::span<const std::size_t> rows) { inner.delete_rows(rows); }
  lp_status solve() {
    ++solves;
    return inner.solve();
  }
  std::size_t rows() const { return inner.rows(); }
  double objective_value() const { return inner.objective_value(); }
  double column_value(std::size_t j) const { return inner.column_value(j); }
  double column_dual(std::size_t j) const { return inner.column_dual(j); }
  double row_dual(std::size_t r) const { return inner.row_dual(r); }
  bool row_is_basic(std::size_t r) const { return inner.row_is_basic(r); }
};


TEST_CASE_TEMPLATE("another LpBackend plugs in", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  using counting = counting_backend<Backend>;
  static_assert(LpBackend<counting>);
  counting::solves = 0;
  const auto result = nucleolus<counting>(game_of({0, 1, 1, 2, 1, 3, 4, 5}));
  CHECK(result.certified());
  CHECK(result.exact_allocation == std::vector<Q>{1, Q(3, 2), Q(5, 2)});
  CHECK(counting::solves == result.lp_solves);
  CHECK(counting::solves > 0);
}

TEST_CASE_TEMPLATE("the issue's exact values", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  // Values in the order v1, v2, v3, v12, v13, v23, v123; bitmask order puts v3 after v12.
  SUBCASE("(1,1,1,2,3,4,5) -> (1, 3/2, 5/2)") {
    const auto result = nucleolus<Backend>(game_of({0, 1, 1, 2, 1, 3, 4, 5}));
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>{1, Q(3, 2), Q(5, 2)});
    CHECK(result.allocation[1] == doctest::Approx(1.5));
    CHECK(result.kind == solution_kind::nucleolus);
  }
  SUBCASE("(0,0,0,10,0,0,2): nucleolus (1, 1, 0), prenucleolus (3, 3, -4)") {
    const auto game = game_of({0, 0, 0, 10, 0, 0, 0, 2});
    const auto nuc = nucleolus<Backend>(game);
    CHECK(nuc.certified());
    CHECK(nuc.exact_allocation == std::vector<Q>{1, 1, 0});
    const auto pre = prenucleolus<Backend>(game);
    CHECK(pre.certified());
    CHECK(pre.kind == solution_kind::prenucleolus);
    CHECK(pre.exact_allocation == std::vector<Q>{3, 3, -4});
    CHECK(pre.exact_levels.front() == 4);  // the least-core value: e(12) = e(3) = 4
  }
  SUBCASE("majority 2-of-3 -> 1/3 each") {
    const auto result = nucleolus<Backend>(majority_game<double>(3));
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>(3, Q(1, 3)));
  }
  SUBCASE("bankruptcy (100, 200, 300): the Talmud rule") {
    const std::vector<double> claims{100, 200, 300};
    CHECK(nucleolus<Backend>(bankruptcy_game<double>(100, claims)).exact_allocation == std::vector<Q>(3, Q(100, 3)));
    CHECK(nucleolus<Backend>(bankruptcy_game<double>(200, claims)).exact_allocation == std::vector<Q>{50, 75, 75});
    CHECK(nucleolus<Backend>(bankruptcy_game<double>(300, claims)).exact_allocation == std::vector<Q>{50, 100, 150});
    const auto exact = nucleolus<Backend>(bankruptcy_game<Q>(200, {100, 200, 300}));
    CHECK(exact.certified());
    CHECK(exact.exact_allocation == std::vector<Q>{50, 75, 75});
  }
  SUBCASE("glove game, left {1}, right {2, 3} -> (1, 0, 0)") {
    const auto result = nucleolus<Backend>(glove_game<double>(1, 2));
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>{1, 0, 0});
  }
  SUBCASE("assignment game [[3,2],[2,3]] -> 3/2 each") {
    const auto result = nucleolus<Backend>(assignment_game<double>({{3, 2}, {2, 3}}));
    CHECK(result.assignment_fast_path);
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>(4, Q(3, 2)));
  }
}

TEST_CASE_TEMPLATE("fixing every tight coalition gives a wrong answer; fixing the proven ones does not", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  // v(12) = v(N) = 4, all else 0. The first LP's optima are x3 = 0, x1 + x2 = 4, x1 in [0, 4]
  // at level t = 0; only {1,2} and {3} are forced (their duals are positive). Every basic optimum
  // has x1 = 0 or x2 = 0, making {1} and {1,3} (or {2} and {2,3}) tight by accident: fixing them
  // ends at (0, 4, 0) or (4, 0, 0). The nucleolus is (2, 2, 0).
  const auto game = game_of({0, 0, 0, 4, 0, 0, 0, 4});
  const auto naive = nucleolus_fixing_every_tight_coalition<Backend>(game);
  CHECK((std::abs(naive[0] - 2) > 1 || std::abs(naive[1] - 2) > 1));
  const std::vector<Q> naive_exact{Q(naive[0]), Q(naive[1]), Q(naive[2])};
  CHECK_FALSE(kohlberg_check(game, std::span<const Q>(naive_exact)).holds);
  const auto result = nucleolus<Backend>(game);
  CHECK(result.certified());
  CHECK(result.exact_allocation == std::vector<Q>{2, 2, 0});
  CHECK(result.stages >= 2);  // {1} and {2} are fixed only at a later, lower level
}

TEST_CASE_TEMPLATE("random games up to 10 players are certified, and a perturbation is rejected", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  std::mt19937_64 rng(20240607);
  for (std::size_t n = 2; n <= 10; ++n) {
    for (int round = 0; round < (n <= 7 ? 4 : 2); ++round) {
      CAPTURE(n);
      CAPTURE(round);
      const auto game = issue_random_game(n, rng);
      for (const auto kind : {solution_kind::nucleolus, solution_kind::prenucleolus}) {
        const auto result = kind == solution_kind::nucleolus ? nucleolus<Backend>(game) : prenucleolus<Backend>(game);
        REQUIRE(result.certified());
        REQUIRE(result.exact_allocation.size() == n);
        CHECK(kohlberg_check(game, std::span<const Q>(result.exact_allocation), kind).holds);
        const auto moved = nudged(result.exact_allocation, n - 1, 0);
        CHECK_FALSE(kohlberg_check(game, std::span<const Q>(moved), kind).holds);
        for (std::size_t i = 0; i < n; ++i) CHECK(result.allocation[i] == doctest::Approx(static_cast<double>(result.exact_allocation[i])));
        // The levels decrease along the sequence.
        for (std::size_t k = 1; k < result.exact_levels.size(); ++k) CHECK(result.exact_levels[k] <= result.exact_levels[k - 1]);
      }
    }
  }
}

TEST_CASE_TEMPLATE("exact rational games with long sequences are certified", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  std::mt19937_64 rng(99);
  std::size_t most_stages = 0;
  for (std::size_t n = 3; n <= 8; ++n) {
    for (int round = 0; round < 3; ++round) {
      const auto game = convexish_rational_game(n, rng);
      CAPTURE(n);
      if (!has_imputations(game)) continue;
      const auto result = nucleolus<Backend>(game);
      REQUIRE(result.certified());
      most_stages = std::max(most_stages, result.stages);
      CHECK_FALSE(kohlberg_check(game, std::span<const Q>(nudged(result.exact_allocation, 0, 1))).holds);
      // Same game as a callable: same answer.
      const auto callable = tu_game<Q>::from_function(n, [&](coalition s) { return game.value(s); });
      CHECK(nucleolus<Backend>(callable).exact_allocation == result.exact_allocation);
    }
  }
  CHECK(most_stages >= 3);
}

TEST_CASE_TEMPLATE("the assignment fast path agrees with the general sequential LP", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<int> gain(-3, 12);
  for (int round = 0; round < 12; ++round) {
    const std::size_t m = 1 + static_cast<std::size_t>(round % 4), k = 1 + static_cast<std::size_t>((round / 2) % 4);
    std::vector<std::vector<double>> gains(m, std::vector<double>(k));
    for (auto& row : gains)
      for (auto& g : row) g = gain(rng);
    const assignment_game<double> market(gains);
    const auto fast = nucleolus<Backend>(market);
    CAPTURE(round);
    REQUIRE(fast.certified());
    CHECK(fast.assignment_fast_path);
    // to_game() remembers its origin and takes the fast path too; a copy through a callable does not.
    CHECK(nucleolus<Backend>(market.to_game()).assignment_fast_path);
    const auto table = market.to_game();
    const auto general = nucleolus<Backend>(tu_game<double>::from_function(table.players(), [&](coalition s) { return table.value(s); }));
    CHECK_FALSE(general.assignment_fast_path);
    REQUIRE(general.certified());
    CHECK(general.exact_allocation == fast.exact_allocation);
    // The full-game certificate accepts the fast path's answer as well.
    CHECK(kohlberg_check(table, std::span<const Q>(fast.exact_allocation)).holds);
  }
}

TEST_CASE_TEMPLATE("least core: paper 004 eq. (11)", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  std::mt19937_64 rng(8);
  for (std::size_t n = 2; n <= 8; ++n) {
    const auto game = issue_random_game(n, rng);
    const auto core = least_core<Backend>(game);
    const auto pre = prenucleolus<Backend>(game);
    CAPTURE(n);
    CHECK(core.epsilon == doctest::Approx(static_cast<double>(pre.exact_levels.front())));
    const auto excesses = excess_vector(game, std::span<const double>(core.allocation));
    CHECK(is_efficient(game, std::span<const double>(core.allocation), 1e-6));
    for (std::size_t s = 1; s + 1 < excesses.size(); ++s) CHECK(excesses[s] <= core.epsilon + 1e-6);
  }
}

TEST_CASE_TEMPLATE("the backend: solves, duals, warm re-solves and errors", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  Backend lp;
  lp.reset(2);
  lp.set_objective(0, 1);
  lp.set_objective(1, 1);
  lp.set_column_bounds(0, 0, lp_unbounded);
  lp.set_column_bounds(1, 0, lp_unbounded);
  const std::vector<std::size_t> both{0, 1};
  CHECK(lp.add_row(both, std::vector<double>{1, 2}, 2, lp_unbounded) == 0);
  CHECK(lp.add_row(both, std::vector<double>{3, 1}, 3, lp_unbounded) == 1);
  REQUIRE(lp.solve() == lp_status::optimal);
  CHECK(lp.objective_value() == doctest::Approx(1.4));
  CHECK(lp.column_value(0) == doctest::Approx(0.8));
  CHECK(lp.row_dual(0) == doctest::Approx(0.4));
  CHECK(lp.row_dual(1) == doctest::Approx(0.2));
  CHECK_FALSE(lp.row_is_basic(0));
  lp.add_row(both, std::vector<double>{1, 1}, 0, 10);  // slack: enters the basis
  REQUIRE(lp.solve() == lp_status::optimal);
  CHECK(lp.row_is_basic(2));
  lp.delete_rows(std::vector<std::size_t>{2});
  lp.delete_rows(std::vector<std::size_t>{0});
  REQUIRE(lp.rows() == 1);
  REQUIRE(lp.solve() == lp_status::optimal);
  CHECK(lp.objective_value() == doctest::Approx(1.0));
  lp.set_row(0, both, std::vector<double>{1, 1}, -lp_unbounded, -1);
  CHECK(lp.solve() == lp_status::infeasible);
  lp.reset(1);
  lp.set_objective(0, -1);
  CHECK(lp.solve() == lp_status::unbounded);
  CHECK_THROWS_AS(lp.set_objective(3, 1), solver_failure);
  CHECK_THROWS_AS(lp.delete_rows(std::vector<std::size_t>{0}), solver_failure);
  CHECK_THROWS_AS(lp.add_row(std::vector<std::size_t>{0}, std::vector<double>{}, 0, 1), solver_failure);
}

TEST_CASE_TEMPLATE("bad input gets clear errors", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  SUBCASE("an empty imputation set has no nucleolus (but a prenucleolus)") {
    const auto game = game_of({0, 3, 3, 4});  // v(N) = 4 < v(1) + v(2) = 6
    try {
      (void)nucleolus<Backend>(game);
      FAIL("no error for an empty imputation set");
    } catch (const bad_input& e) {
      CHECK(e.field() == "v(N)");
      CHECK(e.value() == "4");
    }
    const auto pre = prenucleolus<Backend>(game);
    CHECK(pre.certified());
    CHECK(pre.exact_allocation == std::vector<Q>{Q(2), Q(2)});
  }
  SUBCASE("too many players for the general algorithm") {
    const auto big = tu_game<double>::from_function(30, [](coalition s) { return static_cast<double>(coalition_size(s)); });
    CHECK_THROWS_AS(nucleolus<Backend>(big), bad_input);
    CHECK_THROWS_AS(least_core<Backend>(big), bad_input);
  }
  SUBCASE("a callable's NaN surfaces as bad_input") {
    const auto broken = tu_game<double>::from_function(3, [](coalition s) {
      return s == 7 ? std::numeric_limits<double>::quiet_NaN() : 0.0;
    });
    CHECK_THROWS_AS(nucleolus<Backend>(broken), bad_input);
  }
  SUBCASE("options") {
    nucleolus_options options;
    options.tolerance = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(nucleolus<Backend>(majority_game<double>(3), options), bad_input);
  }
  SUBCASE("one player") {
    const auto result = nucleolus<Backend>(game_of({0, 7}));
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>{Q(7)});
  }
}

// --- Decimal games (nucleolus_options::decimal_values) ---------------------------------------

// The Talmud rule (Aumann and Maschler 1985): constrained equal awards on the half-claims up to
// half the total claim, then constrained equal losses on them. It is the bankruptcy game's
// nucleolus; computed here in exact rationals, independently of any LP.
inline std::vector<Q> equal_awards(const std::vector<Q>& caps, Q amount) {
  std::vector<std::size_t> order(caps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return caps[a] < caps[b]; });
  std::vector<Q> award(caps.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Q share = amount / static_cast<long long>(order.size() - k);
    award[order[k]] = std::min(caps[order[k]], share);
    amount -= award[order[k]];
  }
  return award;
}
inline std::vector<Q> talmud_rule(const std::vector<Q>& claims, const Q& estate) {
  std::vector<Q> half;
  Q total(0);
  for (const auto& c : claims) {
    half.push_back(c / 2);
    total += c;
  }
  if (estate <= total / 2) return equal_awards(half, estate);
  std::vector<Q> award = equal_awards(half, total - estate);  // the losses
  for (std::size_t i = 0; i < claims.size(); ++i) award[i] = claims[i] - award[i];
  return award;
}
// The bankruptcy game of claims and estate given in cents, its values written as decimals in doubles.
inline tu_game<double> decimal_bankruptcy_game(const std::vector<long long>& claims, long long estate) {
  const std::size_t n = claims.size();
  std::vector<double> values(std::size_t{1} << n);
  for (std::size_t s = 0; s < values.size(); ++s) {
    long long outside = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (((s >> i) & 1U) == 0) outside += claims[i];
    values[s] = static_cast<double>(std::max(0LL, estate - outside)) / 100.0;  // the double nearest the decimal
  }
  return tu_game<double>::from_table(n, std::move(values));
}
inline std::vector<Q> in_cents(const std::vector<long long>& cents) {
  std::vector<Q> out;
  for (const long long c : cents) out.emplace_back(c, 100);
  return out;
}

TEST_CASE_TEMPLATE("a game written in decimals has the decimal game's exact nucleolus", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  SUBCASE("v(12) = 96.7: 967/20 each, not a binary fraction") {
    const auto game = game_of({0, 0, 0, 96.7});
    const auto result = nucleolus<Backend>(game);
    CHECK(result.decimal_reading);
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>{Q(967, 20), Q(967, 20)});
    nucleolus_options binary;
    binary.decimal_values = false;
    const auto as_binary = nucleolus<Backend>(game, binary);
    CHECK_FALSE(as_binary.decimal_reading);
    CHECK(as_binary.certified());
    CHECK(as_binary.exact_allocation[0] == Q(96.7) / 2);
    CHECK(as_binary.exact_allocation[0] != Q(967, 20));
  }
  SUBCASE("the Talmud's table (Aumann and Maschler 1985) in Token: claims 0.35, 0.70, 1.05") {
    const std::vector<long long> claims{35, 70, 105};
    const std::vector<std::pair<long long, std::vector<Q>>> table{
        {35, {Q(7, 60), Q(7, 60), Q(7, 60)}}, {70, {Q(7, 40), Q(21, 80), Q(21, 80)}}, {105, {Q(7, 40), Q(7, 20), Q(21, 40)}}};
    for (const auto& row : table) {
      const long long estate = row.first;
      const std::vector<Q>& expected = row.second;
      CAPTURE(estate);
      const auto result = nucleolus<Backend>(decimal_bankruptcy_game(claims, estate));
      CHECK(result.certified());
      CHECK(result.exact_allocation == expected);
      CHECK(result.exact_allocation == talmud_rule(in_cents(claims), Q(estate, 100)));
    }
  }
  SUBCASE("random bankruptcy games in cents: exactly the Talmud rule, certified on the decimal game") {
    std::mt19937_64 rng(1985);
    for (int round = 0; round < 12; ++round) {
      const std::size_t n = 2 + static_cast<std::size_t>(round % 5);
      std::vector<long long> claims(n);
      long long total = 0;
      for (auto& c : claims) total += c = std::uniform_int_distribution<long long>(1, 99999)(rng);
      const long long estate = std::uniform_int_distribution<long long>(1, total - 1)(rng);
      CAPTURE(round);
      const auto game = decimal_bankruptcy_game(claims, estate);
      const auto result = nucleolus<Backend>(game);
      REQUIRE(result.certified());
      CHECK(result.decimal_reading);
      CHECK(result.exact_allocation == talmud_rule(in_cents(claims), Q(estate, 100)));
      // The same game over exact decimals agrees.
      std::vector<Q> exact_values;
      for (std::size_t s = 0; s < (std::size_t{1} << n); ++s) exact_values.push_back(Q(static_cast<long long>(std::llround(game.value(s) * 100)), 100));
      CHECK(nucleolus<Backend>(tu_game<Q>::from_table(n, exact_values)).exact_allocation == result.exact_allocation);
    }
  }
  SUBCASE("an assignment game with gains in cents") {
    const auto result = nucleolus<Backend>(assignment_game<double>({{0.3, 0.2}, {0.2, 0.3}}));
    CHECK(result.decimal_reading);
    CHECK(result.certified());
    CHECK(result.exact_allocation == std::vector<Q>(4, Q(3, 20)));
  }
  SUBCASE("values beyond 22 decimal places are read as binary fractions") {
    const auto result = nucleolus<Backend>(game_of({0, 0, 0, 1e-30}));
    CHECK_FALSE(result.decimal_reading);
    CHECK(result.certified());
    CHECK(result.exact_allocation[0] == Q(1e-30) / 2);
  }
}

TEST_CASE_TEMPLATE("distinct backends on distinct threads agree with the serial results", Backend, EVMARKET_NUCLEOLUS_BACKENDS) {
  std::mt19937_64 rng(404);
  std::vector<tu_game<double>> games;
  for (int k = 0; k < 8; ++k) games.push_back(issue_random_game(5 + static_cast<std::size_t>(k % 4), rng));
  std::vector<std::vector<Q>> serial;
  for (const auto& game : games) serial.push_back(nucleolus<Backend>(game).exact_allocation);
  std::vector<std::vector<std::vector<Q>>> parallel(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (const auto& game : games) parallel[t].push_back(nucleolus<Backend>(game).exact_allocation);
    });
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < 4; ++t) CHECK(parallel[t] == serial);
}

}  // namespace nucleolus_suite
