#pragma once
/// @file
/// The nucleolus of an assignment game without linear programming, in exact arithmetic.
///
/// Why this works: the nucleolus of a game with a non-empty core lies in the core and depends on
/// the essential coalitions only (Huberman 1980): here the singletons and the pairs with a positive
/// gain. Fix an optimal matching mu. Every core point pays each matched pair exactly its gain and
/// each unmatched player nothing, so it is given by one number per matched pair p, the buyer's
/// payoff pi(p) (the seller gets a_p - pi(p)). Every essential excess is then a constant or
/// c + pi(q) - pi(p) for two nodes of a graph whose nodes are the matched pairs and a node 0 with
/// pi(0) = 0 standing for "unmatched" (Solymosi and Raghavan 1994 work on the same description of
/// the core). The nucleolus is the lexicographic minimiser of those excesses, computed by
/// successive maximum cycle means with contraction (detail/coalition_potentials.hpp): at most
/// min(m, k) stages, each a policy iteration (Howard) on a graph of at most min(m, k) + 1 nodes
/// and O(min(m, k)^2) per round. Howard's method has no polynomial bound on its rounds in theory;
/// on random markets it takes about six per stage, warm-started from the previous stage.
///
/// Everything is exact: gains (doubles read as the binary fractions they are, or rationals) are
/// scaled to integers by one common denominator and kept in checked 128-bit integers, or in
/// cpp_int when those would overflow. The result is certified by Kohlberg's criterion over the
/// essential coalitions, checked in the same graph by widest paths; the check also proves the
/// allocation in the core and the matching optimal.

#include <evmarket/coalition/game.hpp>
#include <evmarket/coalition/kohlberg.hpp>
#include <evmarket/detail/coalition_potentials.hpp>
#include <evmarket/matching/hungarian.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Options of assignment_nucleolus.
struct assignment_nucleolus_options {
  /// Check the result with Kohlberg's criterion over the essential coalitions.
  bool certify = true;
};

/// The nucleolus of an assignment game, exact, with the matching it was computed on.
struct assignment_nucleolus_result {
  /// Marks an unmatched buyer in `matching`.
  static constexpr std::size_t unmatched = static_cast<std::size_t>(-1);

  /// The allocation in exact rationals: buyers 0..m-1, then sellers (players m..m+k-1).
  std::vector<exact_rational> exact_allocation;
  /// The same allocation rounded to doubles.
  std::vector<double> allocation;
  /// An optimal matching: the seller of each buyer, or `unmatched` (pairs of zero gain are left out).
  std::vector<std::size_t> matching;
  /// The excess level of each stage, decreasing; the first is the least-core value.
  std::vector<exact_rational> levels;
  /// Kohlberg's verdict over the essential coalitions (holds == false when not certified).
  kohlberg_certificate certificate;

  /// True when Kohlberg's criterion proved exact_allocation to be the nucleolus.
  [[nodiscard]] bool certified() const noexcept { return certificate.holds; }
  /// Number of stages of the computation.
  [[nodiscard]] std::size_t stages() const noexcept { return levels.size(); }
};

namespace detail {

// The gains as integers over one common denominator (the lcm of the exact gains' denominators),
// also as wide_int when every one fits (the usual case), so the hot loops need no conversion.
struct scaled_gains {
  std::size_t buyers = 0, sellers = 0;
  std::vector<big_int> gain;  // buyers x sellers, row-major, max(gain, 0) * denominator
  std::vector<wide_int> wide;  // the same, when every entry fits a wide_int (else empty)
  big_int denominator = 1;

  [[nodiscard]] const big_int& at(std::size_t i, std::size_t j) const { return gain[i * sellers + j]; }
  template <class Int>
  [[nodiscard]] Int as(std::size_t i, std::size_t j) const {
    if constexpr (std::same_as<Int, wide_int>) {
      if (wide.empty()) throw scaled_overflow{};
      return wide[i * sellers + j];
    } else {
      return gain[i * sellers + j];
    }
  }
};

// A double is m 2^e exactly with an odd 53-bit m: the common denominator of doubles is a power
// of two, found without rational arithmetic.
inline void scale_binary(const std::vector<double>& values, scaled_gains& out) {
  std::vector<std::pair<std::int64_t, int>> parts(values.size());
  int shift = 0;  // the common denominator is 2^shift
  for (std::size_t e = 0; e < values.size(); ++e) {
    if (values[e] == 0) continue;
    int exponent = 0;
    const double fraction = std::frexp(values[e], &exponent);
    auto mantissa = static_cast<std::int64_t>(std::ldexp(fraction, 53));
    exponent -= 53;
    const int zeros = std::countr_zero(static_cast<std::uint64_t>(mantissa));
    parts[e] = {mantissa >> zeros, exponent + zeros};
    shift = std::max(shift, -(exponent + zeros));
  }
  out.denominator = big_int(1) << shift;
  out.gain.reserve(values.size());
  for (const auto& [mantissa, exponent] : parts) out.gain.push_back(big_int(mantissa) << (exponent + shift));
}

inline void scale_rational(const std::vector<exact_rational>& values, scaled_gains& out) {
  for (const auto& g : values) {
    const big_int& d = boost::multiprecision::denominator(g);
    if (d != 1) out.denominator = lcm_of(out.denominator, d);
  }
  out.gain.reserve(values.size());
  for (const auto& g : values)
    out.gain.push_back(boost::multiprecision::numerator(g) * (out.denominator / boost::multiprecision::denominator(g)));
}

template <GameValue Value>
scaled_gains scale_gains(const assignment_game<Value>& game) {
  scaled_gains out;
  out.buyers = game.buyers();
  out.sellers = game.sellers();
  std::vector<Value> values;
  values.reserve(out.buyers * out.sellers);
  for (std::size_t i = 0; i < out.buyers; ++i)
    for (std::size_t j = 0; j < out.sellers; ++j) values.push_back(game.pair_value(i, j));
  if constexpr (std::same_as<Value, double>) scale_binary(values, out);
  else scale_rational(values, out);
  try {
    out.wide.reserve(out.gain.size());
    for (const auto& g : out.gain) out.wide.push_back(from_big(g, wide_int(0)));
  } catch (const scaled_overflow&) {
    out.wide.clear();
  }
  return out;
}

// A maximum-weight matching. Exact when the scaled gains fit in int64 with room for any sum of
// min(m, k) of them (the solver is then exact); otherwise found in doubles and proven (or
// refuted, then redone by exact_matching) by the first stage of the nucleolus.
inline std::vector<std::size_t> best_matching(const scaled_gains& g) {
  const std::size_t m = g.buyers, k = g.sellers;
  const big_int limit = (big_int(1) << 62) / (m + k + 2);
  const bool small = std::all_of(g.gain.begin(), g.gain.end(), [&](const big_int& v) { return v < limit; });
  std::vector<std::ptrdiff_t> column_of_row;
  if (small) {
    Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w(m, k);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < k; ++j)
        w(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = static_cast<std::int64_t>(g.at(i, j));
    column_of_row = solve_assignment(w, objective::maximise).column_of_row;
  } else {
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w(m, k);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < k; ++j)
        w(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            static_cast<double>(exact_rational(g.at(i, j), g.denominator));
    column_of_row = solve_assignment(w, objective::maximise).column_of_row;
  }
  std::vector<std::size_t> match(m, assignment_nucleolus_result::unmatched);
  for (std::size_t i = 0; i < m; ++i) {
    const std::ptrdiff_t j = column_of_row[i];
    if (j >= 0 && g.at(i, static_cast<std::size_t>(j)) > 0) match[i] = static_cast<std::size_t>(j);
  }
  return match;
}

// A maximum-weight matching in exact arithmetic (shortest augmenting paths with potentials, the
// shorter side as rows, cost -gain); the fallback when the floating-point one proved not optimal.
inline std::vector<std::size_t> exact_matching(const scaled_gains& g) {
  const bool flip = g.buyers > g.sellers;
  const std::size_t rows = flip ? g.sellers : g.buyers, cols = flip ? g.buyers : g.sellers;
  auto cost = [&](std::size_t r, std::size_t c) -> big_int { return -(flip ? g.at(c, r) : g.at(r, c)); };
  // 1-based potentials and the row of each column; column 0 is the root of each search.
  std::vector<big_int> u(rows + 1), v(cols + 1), slack(cols + 1);
  std::vector<std::size_t> row_of(cols + 1, 0), via(cols + 1, 0);
  std::vector<char> used(cols + 1);
  for (std::size_t i = 1; i <= rows; ++i) {
    row_of[0] = i;
    std::size_t j0 = 0;
    std::fill(used.begin(), used.end(), char{0});
    std::vector<char> reached(cols + 1, 0);
    do {
      used[j0] = 1;
      const std::size_t i0 = row_of[j0];
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= cols; ++j) {
        if (used[j]) continue;
        big_int reduced = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (!reached[j] || reduced < slack[j]) {
          slack[j] = std::move(reduced);
          via[j] = j0;
          reached[j] = 1;
        }
        if (j1 == 0 || slack[j] < slack[j1]) j1 = j;
      }
      const big_int delta = slack[j1];
      for (std::size_t j = 0; j <= cols; ++j) {
        if (used[j]) {
          u[row_of[j]] += delta;
          v[j] -= delta;
        } else {
          slack[j] -= delta;
        }
      }
      j0 = j1;
    } while (row_of[j0] != 0);
    for (std::size_t j1 = 0; j0 != 0; j0 = j1) {
      j1 = via[j0];
      row_of[j0] = row_of[j1];
    }
  }
  std::vector<std::size_t> match(g.buyers, assignment_nucleolus_result::unmatched);
  for (std::size_t j = 1; j <= cols; ++j) {
    if (row_of[j] == 0) continue;
    const std::size_t buyer = flip ? j - 1 : row_of[j] - 1, seller = flip ? row_of[j] - 1 : j - 1;
    if (g.at(buyer, seller) > 0) match[buyer] = seller;
  }
  return match;
}

// Signals that the matching is not optimal in exact arithmetic (a floating-point one can be off
// by a rounding); the computation is redone on an exact matching.
struct matching_not_optimal {};

// The core's description by the matched pairs: node 0 is "unmatched", node p + 1 is the p-th
// matched pair; node_of[player] is the node whose potential moves that player's payoff.
struct pair_nodes {
  std::vector<std::size_t> buyer, seller;  // of each matched pair
  std::vector<std::size_t> node_of;        // per player (buyers, then sellers); 0 when unmatched
};

inline pair_nodes number_pairs(const scaled_gains& g, const std::vector<std::size_t>& match) {
  pair_nodes nodes;
  nodes.node_of.assign(g.buyers + g.sellers, 0);
  for (std::size_t i = 0; i < g.buyers; ++i) {
    if (match[i] == assignment_nucleolus_result::unmatched) continue;
    nodes.buyer.push_back(i);
    nodes.seller.push_back(match[i]);
    nodes.node_of[i] = nodes.node_of[g.buyers + match[i]] = nodes.buyer.size();
  }
  return nodes;
}

// Adds one essential coalition, as the arc p -> q with excess c + pi(q) - pi(p), keeping the
// heaviest of parallel arcs. A coalition inside one node (a matched pair, an unmatched player)
// has a constant excess and no arc; `constant` collects the largest such excess.
template <class Int>
void add_arc(scaled_digraph<Int>& graph, std::size_t p, std::size_t q, Int c, Int& constant) {
  if (p == q) {
    if (c > constant) constant = std::move(c);
    return;
  }
  const std::size_t arc = p * graph.nodes + q;
  if (!graph.present[arc] || c > graph.weight[arc]) {
    graph.weight[arc] = std::move(c);
    graph.present[arc] = 1;
  }
}

// The arcs of every essential coalition when each payoff is written through the nodes: the buyer
// of pair p gets base + pi(p), its seller base - pi(p), an unmatched player base; `base(player)`
// gives that constant part and gain_scale the gains' factor to the common denominator. Excess of
// {i}: -x_i; of {i, j}: gain - x_i - x_j; so {buyer of p} is the arc p -> 0, {seller of q} the
// arc 0 -> q, and {buyer of p, seller of q} the arc p -> q.
template <class Int, class Base>
scaled_digraph<Int> essential_arcs(const scaled_gains& g, const pair_nodes& nodes, const Int& gain_scale, Base base,
                                   Int& constant) {
  scaled_digraph<Int> graph;
  graph.nodes = nodes.buyer.size() + 1;
  graph.weight.assign(graph.nodes * graph.nodes, Int(0));
  graph.present.assign(graph.nodes * graph.nodes, 0);
  const std::size_t m = g.buyers, n = m + g.sellers;
  std::vector<Int> payoff_base(n);
  for (std::size_t player = 0; player < n; ++player) payoff_base[player] = base(player);
  for (std::size_t player = 0; player < n; ++player) {
    const std::size_t node = nodes.node_of[player];
    if (player < m) add_arc(graph, node, std::size_t{0}, sub(Int(0), payoff_base[player]), constant);
    else add_arc(graph, std::size_t{0}, node, sub(Int(0), payoff_base[player]), constant);
  }
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < g.sellers; ++j) {
      if (g.at(i, j) <= 0) continue;
      const Int c = sub(sub(mul(g.as<Int>(i, j), gain_scale), payoff_base[i]), payoff_base[m + j]);
      add_arc(graph, nodes.node_of[i], nodes.node_of[m + j], c, constant);
    }
  return graph;
}

template <class Int>
lexicographic_potentials<Int> nucleolus_potentials(const scaled_gains& g, const pair_nodes& nodes, Int& constant) {
  // Base payoffs: 0 for buyers and unmatched players, the pair's gain for a matched seller.
  const std::size_t m = g.buyers;
  auto base = [&](std::size_t player) {
    const std::size_t node = nodes.node_of[player];
    return player >= m && node != 0 ? g.as<Int>(nodes.buyer[node - 1], nodes.seller[node - 1]) : Int(0);
  };
  scaled_digraph<Int> graph = essential_arcs(g, nodes, Int(1), base, constant);
  return potential_stages<Int>(std::move(graph), from_big(g.denominator, Int(0))).run();
}

// The allocation from the potentials: buyer of pair p gets pi(p), its seller a_p - pi(p).
template <class Int>
std::vector<exact_rational> allocation_of(const scaled_gains& g, const pair_nodes& nodes,
                                          const lexicographic_potentials<Int>& pi) {
  std::vector<exact_rational> x(g.buyers + g.sellers, exact_rational(0));
  const big_int denominator = to_big(pi.denominator);
  for (std::size_t p = 0; p < nodes.buyer.size(); ++p) {
    exact_rational buyer(to_big(pi.potential[p + 1]), denominator);
    x[g.buyers + nodes.seller[p]] = exact_rational(g.at(nodes.buyer[p], nodes.seller[p]), g.denominator) - buyer;
    x[nodes.buyer[p]] = std::move(buyer);
  }
  return x;
}

template <class Int>
kohlberg_certificate certify_on(const scaled_gains& g, const pair_nodes& nodes, std::span<const exact_rational> x) {
  kohlberg_certificate verdict;
  // One denominator for the gains and the payoffs; each payoff is then base + 0 * pi: the excess
  // graph is built with every potential zero and every payoff in the base.
  big_int denominator = g.denominator;
  for (const auto& xi : x) denominator = lcm_of(denominator, boost::multiprecision::denominator(xi));
  const Int gain_scale = from_big(denominator / g.denominator, Int(0));
  std::vector<Int> scaled_x;
  scaled_x.reserve(x.size());
  for (const auto& xi : x)
    scaled_x.push_back(from_big(boost::multiprecision::numerator(xi) * (denominator / boost::multiprecision::denominator(xi)), Int(0)));
  Int constant(0);
  const scaled_digraph<Int> excess =
      essential_arcs(g, nodes, gain_scale, [&](std::size_t player) { return scaled_x[player]; }, constant);
  // Core: the pairs and players inside one node have excess constant <= 0, the matched pairs 0.
  Int largest = constant;
  for (std::size_t arc = 0; arc < excess.weight.size(); ++arc)
    if (excess.present[arc] && excess.weight[arc] > largest) largest = excess.weight[arc];
  verdict.max_excess = exact_rational(to_big(largest), denominator);
  for (std::size_t p = 0; p < nodes.buyer.size(); ++p)
    if (add(scaled_x[nodes.buyer[p]], scaled_x[g.buyers + nodes.seller[p]]) !=
        mul(g.as<Int>(nodes.buyer[p], nodes.seller[p]), gain_scale)) {
      verdict.reason = "a matched pair is not paid exactly its gain: the allocation is not efficient";
      return verdict;
    }
  for (std::size_t player = 0; player < x.size(); ++player)
    if (nodes.node_of[player] == 0 && scaled_x[player] != Int(0)) {
      verdict.reason = "an unmatched player is paid: the allocation is not efficient";
      return verdict;
    }
  if (largest > Int(0)) {
    verdict.reason = "the allocation is outside the core: some pair or player has a positive excess";
    return verdict;
  }
  if (!every_arc_on_a_heavier_cycle(excess, verdict.levels)) {
    verdict.reason = "the coalitions of some highest excess levels are not balanced: some coalition there can be given more";
    return verdict;
  }
  verdict.holds = true;
  return verdict;
}

inline kohlberg_certificate certify_assignment(const scaled_gains& g, std::span<const exact_rational> allocation,
                                               std::span<const std::size_t> matching) {
  std::vector<std::size_t> match(matching.begin(), matching.end());
  for (std::size_t i = 0; i < match.size(); ++i)
    if (match[i] != assignment_nucleolus_result::unmatched && g.at(i, match[i]) <= 0)
      match[i] = assignment_nucleolus_result::unmatched;  // a zero-gain pair is its two singletons
  const pair_nodes nodes = number_pairs(g, match);
  try {
    return certify_on<wide_int>(g, nodes, allocation);
  } catch (const scaled_overflow&) {
    return certify_on<big_int>(g, nodes, allocation);
  }
}

}  // namespace detail

/// Kohlberg's criterion for an assignment game over its essential coalitions (singletons and
/// pairs of positive gain), in exact arithmetic and O(min(m, k)^3) time: true exactly when
/// `allocation` pays every pair of `matching` its gain, every unmatched player nothing, lies in the
/// core (so the matching is optimal and x(N) = v(N)), and is the nucleolus.
template <GameValue Value>
[[nodiscard]] kohlberg_certificate assignment_kohlberg_check(const assignment_game<Value>& game,
                                                             std::span<const exact_rational> allocation,
                                                             std::span<const std::size_t> matching) {
  detail::require(allocation.size() == game.players(), "allocation.size()", allocation.size(), "needs one payoff per player");
  detail::require(matching.size() == game.buyers(), "matching.size()", matching.size(), "needs one entry per buyer");
  std::vector<char> seller_used(game.sellers(), 0);
  for (std::size_t i = 0; i < matching.size(); ++i) {
    if (matching[i] == assignment_nucleolus_result::unmatched) continue;
    detail::require(matching[i] < game.sellers() && !seller_used[matching[i]], detail::element_field("matching", i),
                    matching[i], "must name a seller not matched to another buyer");
    seller_used[matching[i]] = 1;
  }
  return detail::certify_assignment(detail::scale_gains(game), allocation, matching);
}

/// The nucleolus of an assignment game (paper 004's pricing), exact and without an LP solver.
/// Gains of zero or below make a pair inessential (it gains nothing by trading).
template <GameValue Value>
[[nodiscard]] assignment_nucleolus_result assignment_nucleolus(const assignment_game<Value>& game,
                                                               const assignment_nucleolus_options& options = {}) {
  const detail::scaled_gains g = detail::scale_gains(game);
  assignment_nucleolus_result result;
  const auto finish = [&](auto tag) {
    using Int = decltype(tag);
    const detail::pair_nodes nodes = detail::number_pairs(g, result.matching);
    Int constant(0);
    const detail::lexicographic_potentials<Int> pi = detail::nucleolus_potentials<Int>(g, nodes, constant);
    // A positive excess at the first stage means the core is missed: the matching is not optimal.
    if (constant > Int(0) || (!pi.levels.empty() && pi.levels.front() > 0)) throw detail::matching_not_optimal{};
    result.exact_allocation = detail::allocation_of(g, nodes, pi);
    result.levels.assign(pi.levels.begin(), pi.levels.end());
  };
  const auto finish_exactly = [&]() {
    try {
      finish(detail::wide_int(0));
    } catch (const detail::scaled_overflow&) {
      finish(detail::big_int(0));
    }
  };
  result.matching = detail::best_matching(g);
  try {
    finish_exactly();
  } catch (const detail::matching_not_optimal&) {
    result.matching = detail::exact_matching(g);
    try {
      finish_exactly();
    } catch (const detail::matching_not_optimal&) {  // unreachable: an optimal matching meets the core
      throw solver_failure("assignment_nucleolus: the exact matching was not optimal (a defect)");
    }
  }
  result.allocation.reserve(result.exact_allocation.size());
  for (const auto& xi : result.exact_allocation) result.allocation.push_back(static_cast<double>(xi));
  if (options.certify)
    result.certificate = detail::certify_assignment(g, std::span<const exact_rational>(result.exact_allocation),
                                                    std::span<const std::size_t>(result.matching));
  return result;
}

EVMARKET_END_NAMESPACE
