// Catalogue rows for coalition/: TU games, the classic families, excesses, the Shapley value and
// Kohlberg's certificate. The nucleolus (GLPK) rows are in tests/lp/catalogue_nucleolus.cpp.
#include "catalogue.hpp"

#include <limits>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

void game_rows(section& s) {
  using game = tu_game<double>;
  s.call<bad_input>("tu_game::from_table", "no players (the empty game)", "players", "0",
                    [] { (void)game::from_table(0, {}); });
  s.call<bad_input>("tu_game::from_table", "26 players (beyond a table)", "players", "26",
                    [] { (void)game::from_table(26, {}); });
  s.call<bad_input>("tu_game::from_table", "mismatched sizes: 3 values for 2 players", "values.size()", "3",
                    [] { (void)game::from_table(2, {0, 1, 1}); });
  s.call<bad_input>("tu_game::from_table", "v(empty) = 1", "values[0]", "1", [] { (void)game::from_table(2, {1, 1, 1, 2}); });
  s.call<bad_input>("tu_game::from_table", "+infinite value", "v(2)", "+inf",
                    [] { (void)game::from_table(2, {0, 1, inf, 2}); });
  s.call<bad_input>("tu_game::from_table", "NaN value", "v(3)", "NaN", [] { (void)game::from_table(2, {0, 1, 1, nan}); });
  s.call<bad_input>("tu_game::from_table (exact)", "v(empty) = 1/2", "values[0]", "1/2", [] {
    (void)tu_game<exact_rational>::from_table(1, {exact_rational(1, 2), exact_rational(1)});
  });
  s.call<bad_input>("tu_game::from_function", "63 players", "players", "63",
                    [] { (void)game::from_function(max_players + 1, [](coalition) { return 0.0; }); });
  s.call<bad_input>("tu_game::from_function", "zero players", "players", "0",
                    [] { (void)game::from_function(0, [](coalition) { return 0.0; }); });
  s.call<bad_input>("tu_game::from_function", "empty callable", "characteristic", "empty",
                    [] { (void)game::from_function(3, nullptr); });

  const auto table = [] { return game::from_table(2, {0, 1, 1, 3}); };
  const auto values = [](const game& g) {
    std::vector<double> v;
    for (coalition c = 0; c < 4; ++c) v.push_back(g.value(c));
    return v;
  };
  s.on<bad_input>("tu_game::value", "coalition with a player outside the game", "coalition", "8", table,
                  [](game& g) { (void)g.value(8); }, values);
  const auto callable = [] {
    return game::from_function(40, [](coalition c) { return c == 5 ? nan : (c == 6 ? inf : double(c != 0)); });
  };
  const auto small_values = [](const game& g) { return std::vector<double>{g.value(1), g.value(2), g.value(3)}; };
  s.on<bad_input>("tu_game::value", "a callable returning NaN", "v(5)", "NaN", callable,
                  [](game& g) { (void)g.value(5); }, small_values);
  s.on<bad_input>("tu_game::value", "a callable returning +infinity", "v(6)", "+inf", callable,
                  [](game& g) { (void)g.value(6); }, small_values);
  s.on<bad_input>("tu_game::value", "a callable with v(empty) = 1", "v(empty)", "1",
                  [] { return game::from_function(3, [](coalition) { return 1.0; }); },
                  [](game& g) { (void)g.value(0); }, [](const game& g) { return g.value(1); });
  s.on<bad_input>("tu_game::tabulated", "40 players", "players", "40", callable,
                  [](game& g) { (void)g.tabulated(); }, small_values);
  s.on<bad_input>("tu_game::negated", "40 players", "players", "40", callable, [](game& g) { (void)g.negated(); },
                  small_values);
  s.call<bad_input>("make_coalition", "player 62", "player", "62", [] { (void)make_coalition({1, 62}); });

  s.call<bad_input>("bankruptcy_game", "negative estate", "estate", "-1", [] { (void)bankruptcy_game<double>(-1, {1, 2}); });
  s.call<bad_input>("bankruptcy_game", "estate above the claims", "estate", "10",
                    [] { (void)bankruptcy_game<double>(10, {1, 2}); });
  s.call<bad_input>("bankruptcy_game", "NaN claim", "claims[1]", "NaN", [] { (void)bankruptcy_game<double>(1, {1, nan}); });
  s.call<bad_input>("bankruptcy_game", "no claimants", "claims.size()", "0", [] { (void)bankruptcy_game<double>(0, {}); });
  s.call<bad_input>("airport_game", "negative cost", "costs[0]", "-2", [] { (void)airport_game<double>({-2, 3}); });
  s.call<bad_input>("airport_game", "no players", "costs.size()", "0", [] { (void)airport_game<double>({}); });
  s.call<bad_input>("glove_game", "no left gloves", "left", "0", [] { (void)glove_game<double>(0, 2); });
  s.call<bad_input>("glove_game", "no right gloves", "right", "0", [] { (void)glove_game<double>(2, 0); });
  s.call<bad_input>("glove_game", "30 players", "left + right", "30", [] { (void)glove_game<double>(15, 15); });
  s.call<bad_input>("weighted_voting_game", "zero quota", "quota", "0",
                    [] { (void)weighted_voting_game<double>(0, {1, 1}); });
  s.call<bad_input>("weighted_voting_game", "NaN quota", "quota", "NaN",
                    [] { (void)weighted_voting_game<double>(nan, {1, 1}); });
  s.call<bad_input>("weighted_voting_game", "negative weight", "weights[1]", "-1",
                    [] { (void)weighted_voting_game<double>(1, {1, -1}); });
  s.call<bad_input>("majority_game", "no players", "players", "0", [] { (void)majority_game<double>(0); });
  s.call<bad_input>("assignment_game::assignment_game", "no buyers", "gains", "[]",
                    [] { (void)assignment_game<double>({}); });
  s.call<bad_input>("assignment_game::assignment_game", "no sellers", "gains[0].size()", "0",
                    [] { (void)assignment_game<double>(std::vector<std::vector<double>>(1)); });
  s.call<bad_input>("assignment_game::assignment_game", "mismatched sizes: ragged gains", "gains[1].size()", "1",
                    [] { (void)assignment_game<double>({{1, 2}, {3}}); });
  s.call<bad_input>("assignment_game::assignment_game", "NaN gain", "gains[0][1]", "NaN",
                    [] { (void)assignment_game<double>({{1, nan}}); });
  const auto market = [] { return assignment_game<double>({{3, 2}, {2, 3}}); };
  const auto grand = [](const assignment_game<double>& g) { return g.grand_value(); };
  s.on<bad_input>("assignment_game::pair_value", "buyer out of range", "buyer", "2", market,
                  [](assignment_game<double>& g) { (void)g.pair_value(2, 0); }, grand);
  s.on<bad_input>("assignment_game::pair_value", "seller out of range", "seller", "5", market,
                  [](assignment_game<double>& g) { (void)g.pair_value(0, 5); }, grand);
  s.on<bad_input>("assignment_game::to_game", "26 players", "players", "26",
                  [] { return assignment_game<double>(std::vector<std::vector<double>>(13, std::vector<double>(13, 1.0))); },
                  [](assignment_game<double>& g) { (void)g.to_game(); },
                  [](const assignment_game<double>& g) { return g.players(); });

  const auto three = [] { return majority_game<double>(3); };
  const auto all = [](const game& g) {
    std::vector<double> v;
    for (coalition c = 0; c < 8; ++c) v.push_back(g.value(c));
    return v;
  };
  const std::vector<double> two{0.5, 0.5};
  s.on<bad_input>("excess", "mismatched sizes: 2 payoffs for 3 players", "allocation.size()", "2", three,
                  [two](game& g) { (void)excess(g, std::span<const double>(two), 1); }, all);
  s.on<bad_input>("excess", "coalition outside the game", "coalition", "16", three,
                  [](game& g) {
                    const std::vector<double> x{1, 0, 0};
                    (void)excess(g, std::span<const double>(x), 16);
                  },
                  all);
  s.on<bad_input>("excess_vector", "mismatched sizes: 2 payoffs for 3 players", "allocation.size()", "2", three,
                  [two](game& g) { (void)excess_vector(g, std::span<const double>(two)); }, all);
  s.on<bad_input>("is_efficient", "mismatched sizes: 2 payoffs for 3 players", "allocation.size()", "2", three,
                  [two](game& g) { (void)is_efficient(g, std::span<const double>(two)); }, all);
  s.on<bad_input>("is_imputation", "mismatched sizes: 4 payoffs for 3 players", "allocation.size()", "4", three,
                  [](game& g) {
                    const std::vector<double> four{0.25, 0.25, 0.25, 0.25};
                    (void)is_imputation(g, std::span<const double>(four));
                  },
                  all);
  s.on<bad_input>("shapley_value", "40 players", "players", "40", callable, [](game& g) { (void)shapley_value(g); },
                  small_values);
  s.on<bad_input>("has_imputations", "a callable returning NaN for a singleton", "v(4)", "NaN",
                  [] { return game::from_function(3, [](coalition c) { return c == 4 ? nan : 0.0; }); },
                  [](game& g) { (void)has_imputations(g); }, [](const game& g) { return g.value(1); });
}

void kohlberg_rows(section& s) {
  using Q = exact_rational;
  const auto three = [] { return majority_game<double>(3); };
  const auto all = [](const tu_game<double>& g) {
    std::vector<double> v;
    for (coalition c = 0; c < 8; ++c) v.push_back(g.value(c));
    return v;
  };
  s.on<bad_input>("kohlberg_check", "mismatched sizes: 2 payoffs for 3 players", "allocation.size()", "2", three,
                  [](tu_game<double>& g) {
                    const std::vector<Q> two{Q(1, 2), Q(1, 2)};
                    (void)kohlberg_check(g, std::span<const Q>(two));
                  },
                  all);
  s.on<bad_input>("kohlberg_check", "40 players", "players", "40",
                  [] { return tu_game<double>::from_function(40, [](coalition) { return 0.0; }); },
                  [](tu_game<double>& g) {
                    const std::vector<Q> x(40, Q(0));
                    (void)kohlberg_check(g, std::span<const Q>(x));
                  },
                  [](const tu_game<double>& g) { return g.players(); });
  s.on<bad_input>("kohlberg_check (assignment game)", "mismatched sizes: 2 payoffs for 4 players", "allocation.size()",
                  "2", [] { return assignment_game<double>({{3, 2}, {2, 3}}); },
                  [](assignment_game<double>& g) {
                    const std::vector<Q> two{Q(1), Q(2)};
                    (void)kohlberg_check(g, std::span<const Q>(two));
                  },
                  [](const assignment_game<double>& g) { return g.grand_value(); });
}

const bool registered = evmarket_catalogue::add_section(70, "coalition", [](section& s) {
  game_rows(s);
  kohlberg_rows(s);
});

}  // namespace
