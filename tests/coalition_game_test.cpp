// TU games (coalition/game.hpp): construction and validation, the classic families against
// brute-force oracles written here, excesses, imputations and the Shapley value.
#include <evmarket/coalition/game.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace evmarket;
using Q = exact_rational;

namespace {

// v(S) of an assignment game by trying every matching of S's buyers to S's sellers.
double brute_matching(const std::vector<std::vector<double>>& gains, std::vector<std::size_t> buyers,
                      std::vector<std::size_t> sellers) {
  if (buyers.empty() || sellers.empty()) return 0;
  const std::size_t b = buyers.back();
  buyers.pop_back();
  double best = brute_matching(gains, buyers, sellers);  // b unmatched
  for (std::size_t k = 0; k < sellers.size(); ++k) {
    auto rest = sellers;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
    best = std::max(best, std::max(gains[b][sellers[k]], 0.0) + brute_matching(gains, buyers, rest));
  }
  return best;
}

// Shapley value by averaging marginal contributions over all n! orders.
std::vector<Q> shapley_by_orders(const tu_game<Q>& game) {
  const std::size_t n = game.players();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<Q> phi(n, Q(0));
  long long orders = 0;
  do {
    coalition before = 0;
    for (const std::size_t i : order) {
      phi[i] += game.value(before | (coalition{1} << i)) - game.value(before);
      before |= coalition{1} << i;
    }
    ++orders;
  } while (std::next_permutation(order.begin(), order.end()));
  for (auto& p : phi) p /= orders;
  return phi;
}

tu_game<Q> random_rational_game(std::size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> value(-20, 60);
  std::vector<Q> values(std::size_t{1} << n, Q(0));
  for (std::size_t s = 1; s < values.size(); ++s) values[s] = Q(value(rng), 1 + (value(rng) & 3));
  return tu_game<Q>::from_table(n, std::move(values));
}

}  // namespace

TEST_CASE("a tabulated game reads v by coalition bitmask") {
  // Order v1, v2, v3, v12, v13, v23, v123 as in the literature; bit i is player i + 1.
  const auto game = tu_game<double>::from_table(3, {0, 1, 1, 2, 1, 3, 4, 5});
  CHECK(game.players() == 3);
  CHECK(game.grand() == 7);
  CHECK(game.value(make_coalition({0, 1})) == 2);
  CHECK(game.value(make_coalition({1, 2})) == 4);
  CHECK(game.value(game.grand()) == 5);
  CHECK(coalition_size(make_coalition({0, 2, 5})) == 3);
  CHECK_THROWS_AS(game.value(8), bad_input);  // player 4 is not in the game
}

TEST_CASE("bad games are rejected with the field and value named") {
  CHECK_THROWS_AS(tu_game<double>::from_table(0, {}), bad_input);  // the empty game
  CHECK_THROWS_AS(tu_game<double>::from_table(2, {0, 1, 1}), bad_input);
  CHECK_THROWS_AS(tu_game<double>::from_table(2, {1, 1, 1, 2}), bad_input);  // v(empty) != 0
  try {
    (void)tu_game<double>::from_table(2, {0, 1, 1, std::numeric_limits<double>::quiet_NaN()});
    FAIL("a NaN v(N) was accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "v(3)");
    CHECK(e.value() == "NaN");
  }
  CHECK_THROWS_AS(tu_game<double>::from_table(2, {0, 1, std::numeric_limits<double>::infinity(), 2}), bad_input);
  try {
    (void)tu_game<double>::from_table(max_dense_players + 1, {});
    FAIL("26 players were tabulated");
  } catch (const bad_input& e) {
    CHECK(e.field() == "players");
    CHECK(e.value() == "26");
  }
  CHECK_THROWS_AS(tu_game<double>::from_function(max_players + 1, [](coalition) { return 0.0; }), bad_input);
  CHECK_THROWS_AS(tu_game<double>::from_function(3, nullptr), bad_input);
  const auto callable = tu_game<double>::from_function(40, [](coalition s) {
    return s == 5 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(coalition_size(s));
  });
  CHECK(callable.value(coalition{1} << 39) == 1);
  CHECK_THROWS_AS(callable.value(5), bad_input);
  CHECK_THROWS_AS(callable.tabulated(), bad_input);  // 40 players cannot be tabulated
  CHECK_THROWS_AS(bankruptcy_game<double>(-1, {1, 2}), bad_input);
  CHECK_THROWS_AS(bankruptcy_game<double>(10, {1, 2}), bad_input);  // estate above the claims
  CHECK_THROWS_AS(glove_game<double>(0, 2), bad_input);
  CHECK_THROWS_AS(weighted_voting_game<double>(0, {1, 1}), bad_input);
  CHECK_THROWS_AS(assignment_game<double>({}), bad_input);
  CHECK_THROWS_AS(assignment_game<double>({{1, 2}, {3}}), bad_input);
  CHECK_THROWS_AS(assignment_game<double>({{1, std::numeric_limits<double>::quiet_NaN()}}), bad_input);
}

TEST_CASE("a callable game tabulates to the same values") {
  const auto callable = tu_game<double>::from_function(4, [](coalition s) { return std::pow(coalition_size(s), 2.0); });
  const auto table = callable.tabulated();
  CHECK(table.is_tabulated());
  CHECK_FALSE(callable.is_tabulated());
  for (coalition s = 0; s < 16; ++s) CHECK(table.value(s) == callable.value(s));
}

TEST_CASE("the classic families match their definitions") {
  SUBCASE("bankruptcy: v(S) = max(0, E - claims outside S)") {
    const auto game = bankruptcy_game<double>(200, {100, 200, 300});
    CHECK(game.value(make_coalition({0})) == 0);
    CHECK(game.value(make_coalition({2})) == 0);
    CHECK(game.value(make_coalition({1, 2})) == 100);
    CHECK(game.value(make_coalition({0, 2})) == 0);
    CHECK(game.value(game.grand()) == 200);
  }
  SUBCASE("airport: the largest cost in S") {
    const auto game = airport_game<double>({1, 2, 3});
    CHECK(game.value(make_coalition({0, 1})) == 2);
    CHECK(game.value(make_coalition({0, 2})) == 3);
    CHECK(game.negated().value(game.grand()) == -3);
  }
  SUBCASE("glove: pairs of one left and one right glove") {
    const auto game = glove_game<double>(2, 3);
    CHECK(game.value(make_coalition({0, 2})) == 1);
    CHECK(game.value(make_coalition({0, 1, 2})) == 1);
    CHECK(game.value(make_coalition({2, 3, 4})) == 0);
    CHECK(game.value(game.grand()) == 2);
  }
  SUBCASE("weighted voting [4; 3, 2, 1, 1]") {
    const auto game = weighted_voting_game<double>(4, {3, 2, 1, 1});
    CHECK(game.value(make_coalition({0, 2})) == 1);
    CHECK(game.value(make_coalition({1, 2, 3})) == 1);
    CHECK(game.value(make_coalition({1, 2})) == 0);
    const auto majority = majority_game<double>(5);
    CHECK(majority.value(make_coalition({0, 1, 4})) == 1);
    CHECK(majority.value(make_coalition({0, 1})) == 0);
  }
}

TEST_CASE("the assignment game's v(S) is the best matching inside S (brute force)") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> gain(-5, 20);
  for (int round = 0; round < 20; ++round) {
    const std::size_t m = 1 + static_cast<std::size_t>(round % 4), k = 1 + static_cast<std::size_t>(round / 5);
    std::vector<std::vector<double>> gains(m, std::vector<double>(k));
    for (auto& row : gains)
      for (auto& g : row) g = gain(rng);
    const assignment_game<double> market(gains);
    const auto game = market.to_game();
    REQUIRE(game.assignment() != nullptr);
    for (coalition s = 0; s <= game.grand(); ++s) {
      std::vector<std::size_t> buyers, sellers;
      for (std::size_t i = 0; i < m; ++i)
        if ((s >> i) & 1U) buyers.push_back(i);
      for (std::size_t j = 0; j < k; ++j)
        if ((s >> (m + j)) & 1U) sellers.push_back(j);
      CAPTURE(s);
      CHECK(game.value(s) == brute_matching(gains, buyers, sellers));
    }
    CHECK(market.grand_value() == game.value(game.grand()));
  }
}

TEST_CASE("the grand coalition of a larger market is the best assignment (brute force over 7! matchings)") {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> gain(-10, 100);
  for (int round = 0; round < 5; ++round) {
    std::vector<std::vector<double>> gains(7, std::vector<double>(7));
    for (auto& row : gains)
      for (auto& g : row) g = gain(rng);
    std::vector<std::size_t> all{0, 1, 2, 3, 4, 5, 6};
    CHECK(assignment_game<double>(gains).grand_value() == brute_matching(gains, all, all));
  }
}

TEST_CASE("excesses and imputations") {
  const auto game = tu_game<double>::from_table(3, {0, 1, 1, 2, 1, 3, 4, 5});
  const std::vector<double> x{1, 1.5, 2.5};
  CHECK(excess(game, std::span<const double>(x), make_coalition({0, 1})) == doctest::Approx(-0.5));
  const auto all = excess_vector(game, std::span<const double>(x));
  REQUIRE(all.size() == 8);
  CHECK(all[0] == 0);
  CHECK(all[7] == doctest::Approx(0));
  CHECK(all[6] == doctest::Approx(0));  // v23 = 4 = 1.5 + 2.5
  CHECK(is_efficient(game, std::span<const double>(x)));
  CHECK(is_imputation(game, std::span<const double>(x)));
  const std::vector<double> poor{0.5, 2, 2.5};
  CHECK(is_efficient(game, std::span<const double>(poor)));
  CHECK_FALSE(is_imputation(game, std::span<const double>(poor)));  // player 1 below v({1}) = 1
  CHECK(has_imputations(game));
  CHECK_FALSE(has_imputations(tu_game<double>::from_table(2, {0, 2, 2, 3})));
  const std::vector<double> short_x{1, 2};
  CHECK_THROWS_AS(excess(game, std::span<const double>(short_x), 1), bad_input);
}

TEST_CASE("Shapley value: closed forms and the average over all orders") {
  // Airport game: Littlechild-Owen, each runway segment shared equally by the players using it.
  const auto airport = shapley_value(airport_game<Q>({1, 2, 3}));
  CHECK(airport == std::vector<Q>{Q(1, 3), Q(1, 3) + Q(1, 2), Q(1, 3) + Q(1, 2) + Q(1)});
  // Glove game, one left glove against two right ones: (2/3, 1/6, 1/6).
  CHECK(shapley_value(glove_game<Q>(1, 2)) == std::vector<Q>{Q(2, 3), Q(1, 6), Q(1, 6)});
  CHECK(shapley_value(majority_game<Q>(3)) == std::vector<Q>(3, Q(1, 3)));
  std::mt19937_64 rng(3);
  for (std::size_t n = 1; n <= 6; ++n) {
    const auto game = random_rational_game(n, rng);
    const auto phi = shapley_value(game);
    CHECK(phi == shapley_by_orders(game));
    CHECK(std::accumulate(phi.begin(), phi.end(), Q(0)) == game.value(game.grand()));
  }
  const auto doubles = shapley_value(airport_game<double>({1, 2, 3}));
  CHECK(doubles[2] == doctest::Approx(11.0 / 6));
}
