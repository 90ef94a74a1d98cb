#pragma once
/// @file
/// Internal: lexicographically optimal potentials on a digraph, the combinatorial core of the
/// assignment game's nucleolus. Nodes 0..N-1 carry potentials pi with pi(0) = 0; an arc (p, q)
/// of weight c has the excess c + pi(q) - pi(p). The task is to minimise the excesses sorted in
/// decreasing order lexicographically.
///
/// Stage k minimises the largest excess of the arcs not yet fixed. With every fixed group of
/// nodes contracted to one node, that is the maximum cycle mean lambda_k, and the arcs on a cycle
/// of mean lambda_k are tight at every optimum (their excesses sum to the cycle's weight and
/// none exceeds lambda_k), so their end nodes keep fixed potential differences from then on: the
/// critical components are contracted and the next stage runs on the smaller graph. Each stage
/// merges at least two nodes, so there are at most N - 1 stages. All values are integers over one
/// common denominator, which grows by the denominator of each stage's mean and is reduced by the
/// gcd of everything stored when it has grown.
///
/// The certificate (Kohlberg's criterion in this setting) is independent of how pi was found:
/// pi is the lexicographic optimum iff every arc lies on a cycle of arcs whose excesses are at
/// least its own (otherwise some direction lowers it and raises nothing above it), i.e. iff for
/// every arc (p, q) the widest path from q to p, by the smallest excess on it, is no narrower.

#include <evmarket/detail/coalition_mean_cycle.hpp>
#include <evmarket/detail/scaled_integer.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// A dense digraph of integer arc weights: weight[p * nodes + q] when present[p * nodes + q].
template <class Int>
struct scaled_digraph {
  std::size_t nodes = 0;
  std::vector<Int> weight;
  std::vector<char> present;
};

/// The lexicographic optimum: potential[v] / denominator, and the excess level of each stage.
template <class Int>
struct lexicographic_potentials {
  std::vector<Int> potential;
  Int denominator;
  std::vector<boost::multiprecision::cpp_rational> levels;
};

/// Minimises the sorted excesses of `graph` (strongly connected) lexicographically; weights are
/// integers over `denominator`.
template <class Int>
class potential_stages {
public:
  potential_stages(scaled_digraph<Int> graph, Int denominator)
      : graph_(std::move(graph)), n_(graph_.nodes), label_(n_), offset_(n_, Int(0)), denominator_(std::move(denominator)) {
    for (std::size_t v = 0; v < n_; ++v) label_[v] = v;
    groups_ = n_;
    reduced_bits_ = magnitude_bits(denominator_);
    measure_weights();
  }

  lexicographic_potentials<Int> run() {
    while (groups_ > 1) stage();
    lexicographic_potentials<Int> out;
    out.potential.resize(n_);
    for (std::size_t v = 0; v < n_; ++v) out.potential[v] = sub(offset_[v], offset_[0]);
    out.denominator = denominator_;
    out.levels = std::move(levels_);
    return out;
  }

private:
  void stage() {
    contract();
    solver_.solve(groups_, weight_, present_, start_.empty() ? nullptr : &start_);
    const Int& den = solver_.mean_denominator();
    if (den != Int(1)) rescale(den);
    levels_.emplace_back(to_big(solver_.mean_numerator()), to_big(denominator_));
    merge();
    if (magnitude_bits(denominator_) > reduced_bits_ + 32) reduce();
  }

  // The graph of the current groups: each arc between two groups, shifted by the fixed offsets
  // of its end nodes, and only the heaviest of parallel arcs (it alone can be the largest).
  void contract() {
    const std::size_t k = groups_;
    // w = weight + offset(q) - offset(p) in plain arithmetic: the sizes are checked first.
    if constexpr (std::same_as<Int, wide_int>) {
      int bits = weight_bits_;
      for (const auto& o : offset_) bits = std::max(bits, magnitude_bits(o));
      if (bits + 2 > wide_limit_bits) throw scaled_overflow{};
    }
    weight_.assign(k * k, Int(0));
    present_.assign(k * k, 0);
    for (std::size_t p = 0; p < n_; ++p)
      for (std::size_t q = 0; q < n_; ++q) {
        const std::size_t arc = p * n_ + q;
        if (!graph_.present[arc] || label_[p] == label_[q]) continue;
        Int w = graph_.weight[arc] + offset_[q] - offset_[p];
        const std::size_t into = label_[p] * k + label_[q];
        if (!present_[into] || w > weight_[into]) {
          weight_[into] = std::move(w);
          present_[into] = 1;
        }
      }
  }

  void rescale(const Int& factor) {
    for (std::size_t arc = 0; arc < graph_.weight.size(); ++arc)
      if (graph_.present[arc]) graph_.weight[arc] = mul(graph_.weight[arc], factor);
    for (auto& o : offset_) o = mul(o, factor);
    denominator_ = mul(denominator_, factor);
    weight_bits_ += magnitude_bits(factor);
  }

  // Each critical component becomes one group; its nodes' potentials are fixed relative to a
  // representative by the optimal potential the mean-cycle solver returned.
  void merge() {
    const auto& component = solver_.component();
    const auto& x = solver_.potential();
    constexpr std::size_t none = max_mean_cycle<Int>::none;
    std::vector<std::size_t> representative(solver_.components(), none), new_label(groups_, none);
    std::size_t next = 0;
    for (std::size_t a = 0; a < groups_; ++a) {
      const std::size_t c = component[a];
      if (c == none) {
        new_label[a] = next++;
      } else {
        if (representative[c] == none) {
          representative[c] = a;
          new_label[a] = next++;
        }
        new_label[a] = new_label[representative[c]];
      }
    }
    // The optimal policy, carried over to the merged groups, starts the next stage.
    start_.assign(next, max_mean_cycle<Int>::none);
    for (std::size_t a = 0; a < groups_; ++a) {
      const std::size_t from = new_label[a], to = new_label[solver_.successor()[a]];
      if (to != from && start_[from] == none) start_[from] = to;
    }
    for (std::size_t v = 0; v < n_; ++v) {
      const std::size_t a = label_[v];
      if (component[a] != none) offset_[v] = add(offset_[v], sub(x[a], x[representative[component[a]]]));
      label_[v] = new_label[a];
    }
    groups_ = next;
  }

  // Divides every stored value and the denominator by their gcd.
  void reduce() {
    Int g = denominator_;
    for (std::size_t arc = 0; arc < graph_.weight.size() && g != Int(1); ++arc)
      if (graph_.present[arc]) g = gcd_of(g, graph_.weight[arc]);
    for (std::size_t v = 0; v < n_ && g != Int(1); ++v) g = gcd_of(g, offset_[v]);
    if (g != Int(1)) {
      for (std::size_t arc = 0; arc < graph_.weight.size(); ++arc)
        if (graph_.present[arc]) graph_.weight[arc] /= g;
      for (auto& o : offset_) o /= g;
      denominator_ /= g;
    }
    reduced_bits_ = magnitude_bits(denominator_);
    measure_weights();
  }

  void measure_weights() {
    weight_bits_ = 0;
    for (std::size_t arc = 0; arc < graph_.weight.size(); ++arc)
      if (graph_.present[arc]) weight_bits_ = std::max(weight_bits_, magnitude_bits(graph_.weight[arc]));
  }

  scaled_digraph<Int> graph_;
  std::size_t n_;
  std::vector<std::size_t> label_, start_;
  std::vector<Int> offset_;  // pi(v) = pi(group of v) + offset_[v] / denominator_
  Int denominator_;
  std::size_t groups_ = 0;
  int reduced_bits_ = 0;
  int weight_bits_ = 0;  // an upper bound on the bits of every stored weight
  std::vector<Int> weight_;
  std::vector<char> present_;
  max_mean_cycle<Int> solver_;
  std::vector<boost::multiprecision::cpp_rational> levels_;
};

// widest[s * n + t]: the largest, over paths from s to t, of the smallest rank on the path
// (-1 when t is unreachable). Dijkstra's order on a dense graph; ranks are small integers so the
// relaxation of a row is branch-free. Relaxing nodes already done is harmless: they hold the
// best value any later node could offer.
inline std::vector<std::int32_t> widest_paths(std::size_t n, const std::vector<std::int32_t>& rank) {
  std::vector<std::int32_t> widest(n * n, -1);
  std::vector<char> done(n);
  for (std::size_t s = 0; s < n; ++s) {
    std::int32_t* best = &widest[s * n];
    std::fill(done.begin(), done.end(), char{0});
    done[s] = 1;
    std::size_t u = s;
    std::int32_t through = std::numeric_limits<std::int32_t>::max();
    for (;;) {
      const std::int32_t* row = &rank[u * n];
      for (std::size_t t = 0; t < n; ++t) best[t] = std::max(best[t], std::min(through, row[t]));
      std::size_t pick = n;
      for (std::size_t t = 0; t < n; ++t)
        if (!done[t] && best[t] >= 0 && (pick == n || best[t] > best[pick])) pick = t;
      if (pick == n) break;
      done[pick] = 1;
      u = pick;
      through = best[pick];
    }
  }
  return widest;
}

/// Kohlberg's criterion on a digraph of excesses (integers over a common denominator): true when
/// every arc (p, q) lies on a cycle of arcs with excess >= its own and the graph is strongly
/// connected. `levels` receives the number of distinct excesses (counting the constant level 0)
/// down to the one at which the arcs first connect every node: the levels that determine pi.
template <class Int>
bool every_arc_on_a_heavier_cycle(const scaled_digraph<Int>& excess, std::size_t& levels) {
  const std::size_t n = excess.nodes;
  // Only the order of the excesses matters: replace each by its rank among the distinct values.
  std::vector<Int> values{Int(0)};
  for (std::size_t arc = 0; arc < n * n; ++arc)
    if (excess.present[arc]) values.push_back(excess.weight[arc]);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<std::int32_t> rank(n * n, -1);
  for (std::size_t arc = 0; arc < n * n; ++arc)
    if (excess.present[arc])
      rank[arc] = static_cast<std::int32_t>(std::lower_bound(values.begin(), values.end(), excess.weight[arc]) - values.begin());
  const std::vector<std::int32_t> widest = widest_paths(n, rank);
  std::int32_t connect_at = static_cast<std::int32_t>(values.size());
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t t = 0; t < n; ++t) {
      if (s == t) continue;
      if (widest[s * n + t] < 0) return false;
      connect_at = std::min(connect_at, widest[s * n + t]);
    }
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t q = 0; q < n; ++q)
      if (rank[p * n + q] > widest[q * n + p]) return false;
  const auto zero = static_cast<std::int32_t>(std::lower_bound(values.begin(), values.end(), Int(0)) - values.begin());
  levels = values.size() - static_cast<std::size_t>(std::min(connect_at, zero));
  return true;
}

}  // namespace detail
EVMARKET_END_NAMESPACE
