#pragma once
/// @file
/// Internals of the day-ahead coordination: the maximum energy a fleet can receive under the
/// power limits and the per-period capacities, as an exact integer maximum flow (Dinic's
/// algorithm) from the EVs to the periods. It decides feasibility without any tolerance and
/// yields a feasible schedule when one exists.

#include <evmarket/config.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace detail {

/// A directed graph with integer arc capacities and Dinic's maximum-flow algorithm.
class max_flow_graph {
 public:
  explicit max_flow_graph(std::size_t nodes) : first_arc_(nodes, none), level_(nodes), next_(nodes) {}

  /// Adds an arc and returns its index (its reverse arc is index + 1).
  std::size_t add_arc(std::size_t from, std::size_t to, std::int64_t capacity) {
    const std::size_t index = arcs_.size();
    arcs_.push_back({to, first_arc_[from], capacity});
    first_arc_[from] = index;
    arcs_.push_back({from, first_arc_[to], 0});
    first_arc_[to] = index + 1;
    return index;
  }

  /// Flow on arc `index` (after run()).
  [[nodiscard]] std::int64_t flow(std::size_t index) const { return arcs_[index + 1].residual; }

  /// Pushes the maximum flow from `source` to `sink` and returns its value.
  std::int64_t run(std::size_t source, std::size_t sink) {
    std::int64_t total = 0;
    while (build_levels(source, sink)) {
      next_ = first_arc_;
      while (const std::int64_t pushed = push(source, sink, std::numeric_limits<std::int64_t>::max())) total += pushed;
    }
    return total;
  }

 private:
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  struct arc {
    std::size_t to;
    std::size_t next;
    std::int64_t residual;
  };

  bool build_levels(std::size_t source, std::size_t sink) {
    std::fill(level_.begin(), level_.end(), -1);
    std::vector<std::size_t> queue{source};
    level_[source] = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t u = queue[head];
      for (std::size_t a = first_arc_[u]; a != none; a = arcs_[a].next) {
        if (arcs_[a].residual > 0 && level_[arcs_[a].to] < 0) {
          level_[arcs_[a].to] = level_[u] + 1;
          queue.push_back(arcs_[a].to);
        }
      }
    }
    return level_[sink] >= 0;
  }

  // Augmenting paths are at most as long as the level graph is deep (a few times the number of
  // periods), so the recursion stays shallow.
  std::int64_t push(std::size_t u, std::size_t sink, std::int64_t limit) {
    if (u == sink) return limit;
    for (std::size_t& a = next_[u]; a != none; a = arcs_[a].next) {
      arc& forward = arcs_[a];
      if (forward.residual <= 0 || level_[forward.to] != level_[u] + 1) continue;
      const std::int64_t pushed = push(forward.to, sink, std::min(limit, forward.residual));
      if (pushed > 0) {
        forward.residual -= pushed;
        arcs_[a ^ 1].residual += pushed;
        return pushed;
      }
    }
    return 0;
  }

  std::vector<arc> arcs_;
  std::vector<std::size_t> first_arc_;
  std::vector<int> level_;
  std::vector<std::size_t> next_;
};

}  // namespace detail

EVMARKET_END_NAMESPACE
