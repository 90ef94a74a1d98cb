// Kohlberg's criterion (coalition/kohlberg.hpp) in exact arithmetic: it accepts the known
// nucleoli and prenucleoli, including the Talmud rule (the nucleolus of a bankruptcy game,
// Aumann-Maschler 1985) computed here independently, and rejects every small perturbation.
#include <evmarket/coalition/kohlberg.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

using namespace evmarket;
using Q = exact_rational;

namespace {

kohlberg_certificate check(const tu_game<double>& game, const std::vector<Q>& x, solution_kind kind = solution_kind::nucleolus) {
  return kohlberg_check(game, std::span<const Q>(x), kind);
}

// Constrained equal awards: x_i = min(d_i, lambda) with sum x = amount.
std::vector<Q> equal_awards(Q amount, const std::vector<Q>& caps) {
  std::vector<std::size_t> order(caps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return caps[a] < caps[b]; });
  std::vector<Q> x(caps.size());
  std::size_t left = caps.size();
  for (const std::size_t i : order) {
    const Q share = amount / static_cast<long long>(left);
    x[i] = std::min(caps[i], share);
    amount -= x[i];
    --left;
  }
  return x;
}

// The Talmud rule: equal awards on the half-claims when the estate is at most half the claims,
// otherwise each claimant's claim minus equal losses on the half-claims.
std::vector<Q> talmud(const Q& estate, const std::vector<Q>& claims) {
  std::vector<Q> halves;
  Q total(0);
  for (const auto& c : claims) { halves.push_back(c / 2); total += c; }
  if (estate * 2 <= total) return equal_awards(estate, halves);
  std::vector<Q> losses = equal_awards(total - estate, halves);
  for (std::size_t i = 0; i < claims.size(); ++i) losses[i] = claims[i] - losses[i];
  return losses;
}

}  // namespace

TEST_CASE("the issue's 3-player games: nucleolus and prenucleolus") {
  // Values in the order v1, v2, v3, v12, v13, v23, v123 (bitmask order puts v3 after v12).
  const auto game = tu_game<double>::from_table(3, {0, 1, 1, 2, 1, 3, 4, 5});
  CHECK(check(game, {1, Q(3, 2), Q(5, 2)}).holds);
  CHECK_FALSE(check(game, {1, Q(3, 2) + Q(1, 1000), Q(5, 2) - Q(1, 1000)}).holds);
  CHECK_FALSE(check(game, {Q(1) + Q(1, 1000), Q(3, 2) - Q(1, 1000), Q(5, 2)}).holds);

  const auto lopsided = tu_game<double>::from_table(3, {0, 0, 0, 10, 0, 0, 0, 2});
  CHECK(check(lopsided, {1, 1, 0}).holds);
  CHECK(check(lopsided, {3, 3, -4}, solution_kind::prenucleolus).holds);
  // Each is wrong for the other concept.
  CHECK_FALSE(check(lopsided, {1, 1, 0}, solution_kind::prenucleolus).holds);
  const auto not_imputation = check(lopsided, {3, 3, -4});
  CHECK_FALSE(not_imputation.holds);
  CHECK(not_imputation.reason.find("imputation") != std::string::npos);
  CHECK_FALSE(check(lopsided, {Q(11, 10), Q(9, 10), 0}).holds);

  const auto inefficient = check(game, {1, 1, 1});
  CHECK_FALSE(inefficient.holds);
  CHECK(inefficient.reason.find("efficient") != std::string::npos);
}

TEST_CASE("majority, glove and assignment games") {
  CHECK(kohlberg_check(majority_game<double>(3), std::span<const Q>(std::vector<Q>(3, Q(1, 3)))).holds);
  CHECK_FALSE(check(majority_game<double>(3), {Q(1, 2), Q(1, 4), Q(1, 4)}).holds);
  CHECK(check(glove_game<double>(1, 2), {1, 0, 0}).holds);
  CHECK_FALSE(check(glove_game<double>(1, 2), {Q(9, 10), Q(1, 20), Q(1, 20)}).holds);

  const assignment_game<double> market({{3, 2}, {2, 3}});
  const std::vector<Q> fair(4, Q(3, 2));
  CHECK(kohlberg_check(market, std::span<const Q>(fair)).holds);
  CHECK(check(market.to_game(), fair).holds);  // the same verdict over all 2^4 coalitions
  const std::vector<Q> core_but_not_centre{2, 1, 1, 2};
  CHECK_FALSE(kohlberg_check(market, std::span<const Q>(core_but_not_centre)).holds);
  CHECK_FALSE(check(market.to_game(), core_but_not_centre).holds);
  const std::vector<Q> outside_core{3, 1, 0, 2};  // buyer 2 and seller 1 would gain 1 together
  const auto verdict = kohlberg_check(market, std::span<const Q>(outside_core));
  CHECK_FALSE(verdict.holds);
  CHECK(verdict.reason.find("core") != std::string::npos);
}

TEST_CASE("the Talmud rule is certified as the nucleolus of random bankruptcy games") {
  // The three estates first: 100 -> 100/3 each, 200 -> (50, 75, 75), 300 -> (50, 100, 150).
  const std::vector<Q> claims{100, 200, 300};
  CHECK(talmud(100, claims) == std::vector<Q>(3, Q(100, 3)));
  CHECK(talmud(200, claims) == std::vector<Q>{50, 75, 75});
  CHECK(talmud(300, claims) == std::vector<Q>{50, 100, 150});
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> claim(1, 60);
  for (int round = 0; round < 40; ++round) {
    const std::size_t n = 2 + static_cast<std::size_t>(round % 5);
    std::vector<Q> c(n);
    Q total(0);
    for (auto& ci : c) { ci = claim(rng); total += ci; }
    const Q estate = total * std::uniform_int_distribution<int>(1, 19)(rng) / 20;
    const auto game = bankruptcy_game<Q>(estate, c);
    const auto x = talmud(estate, c);
    CAPTURE(round);
    CHECK(kohlberg_check(game, std::span<const Q>(x)).holds);
    // Move a little payoff between two players: no longer the nucleolus.
    auto moved = x;
    moved[0] += Q(1, 97);
    moved[n - 1] -= Q(1, 97);
    CHECK_FALSE(kohlberg_check(game, std::span<const Q>(moved)).holds);
  }
}

TEST_CASE("huge values take the arbitrary-precision path with the same verdicts") {
  // Scaled by 2^70 the excesses no longer fit 64 bits.
  const Q scale = Q(boost::multiprecision::cpp_int(1) << 70);
  std::vector<Q> values{0, 1, 1, 2, 1, 3, 4, 5};
  for (auto& v : values) v *= scale;
  const auto game = tu_game<Q>::from_table(3, values);
  const std::vector<Q> x{scale, Q(3, 2) * scale, Q(5, 2) * scale};
  CHECK(kohlberg_check(game, std::span<const Q>(x)).holds);
  const std::vector<Q> moved{scale, Q(3, 2) * scale + 1, Q(5, 2) * scale - 1};
  CHECK_FALSE(kohlberg_check(game, std::span<const Q>(moved)).holds);
}

TEST_CASE("the certificate reports its levels and largest excess") {
  const auto game = tu_game<double>::from_table(3, {0, 1, 1, 2, 1, 3, 4, 5});
  const auto verdict = check(game, {1, Q(3, 2), Q(5, 2)});
  CHECK(verdict.holds);
  CHECK(static_cast<bool>(verdict));
  CHECK(verdict.levels >= 1);
  CHECK(verdict.max_excess == 0);  // v23 - x2 - x3 = 0 and v1 - x1 = 0
}

TEST_CASE("bad input to the checker") {
  const auto game = tu_game<double>::from_table(3, {0, 1, 1, 2, 1, 3, 4, 5});
  const std::vector<Q> two{1, 4};
  CHECK_THROWS_AS(kohlberg_check(game, std::span<const Q>(two)), bad_input);
  const assignment_game<double> market({{3, 2}, {2, 3}});
  CHECK_THROWS_AS(kohlberg_check(market, std::span<const Q>(two)), bad_input);
  const auto one = tu_game<double>::from_table(1, {0, 4});
  CHECK(kohlberg_check(one, std::span<const Q>(std::vector<Q>{Q(4)})).holds);
}

TEST_CASE("values beyond the int64 range are checked exactly, without converting them to integers") {
  // Found by tests/fuzz/nucleolus_fuzz: the fast integer path converted 5.6e307 to long long.
  const double huge = 5.59147e307;
  const auto game = tu_game<double>::from_table(2, {0.0, 0.0, 0.0, huge});
  const std::vector<exact_rational> half{exact_rational(huge) / 2, exact_rational(huge) / 2};
  CHECK(kohlberg_check(game, std::span<const exact_rational>(half)).holds);
  const std::vector<exact_rational> skewed{exact_rational(huge), exact_rational(0)};
  CHECK_FALSE(kohlberg_check(game, std::span<const exact_rational>(skewed)).holds);
}
