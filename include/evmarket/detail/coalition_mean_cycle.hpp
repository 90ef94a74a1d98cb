#pragma once
/// @file
/// Internal: the maximum cycle mean of a strongly connected dense digraph with integer arc
/// weights, in exact arithmetic, by Howard's policy iteration (Cochet-Terrasson, Cohen, Gaubert,
/// McGettrick and Quadrat 1998). Besides the mean lambda = num / den it returns potentials x
/// (scaled by den) with w(a, b) - lambda + x(b) <= x(a) on every arc, and the critical graph: the
/// strongly connected components of the arcs where that holds with equality. An arc lies on a
/// cycle of mean lambda exactly when it is critical.

#include <evmarket/detail/scaled_integer.hpp>

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// Howard's policy iteration on a dense K x K weight matrix (row-major, `present` marks arcs).
/// Every node must have an arc to another node; the graph must be strongly connected.
template <class Int>
class max_mean_cycle {
public:
  /// Solves the graph; afterwards mean(), potential() and component() describe the optimum.
  /// `start` (optional) proposes a successor for each node: a nearly optimal policy from a related
  /// graph saves most iterations; entries that are not arcs are replaced by the heaviest arc.
  void solve(std::size_t nodes, const std::vector<Int>& weight, const std::vector<char>& present,
             const std::vector<std::size_t>* start = nullptr) {
    k_ = nodes;
    weight_ = &weight;
    present_ = &present;
    require_headroom();
    initial_policy(start);
    for (;;) {
      evaluate();
      if (improve_mean()) continue;
      if (!improve_potential()) break;
    }
    critical_components();
  }

  /// lambda = mean_numerator() / mean_denominator(), in lowest terms, denominator > 0.
  [[nodiscard]] const Int& mean_numerator() const noexcept { return num_[0]; }
  [[nodiscard]] const Int& mean_denominator() const noexcept { return den_[0]; }
  /// den * x(a): an optimal potential in the units of the weights times the denominator.
  [[nodiscard]] const std::vector<Int>& potential() const noexcept { return x_; }
  /// The critical component of each node (nodes in no critical cycle get `none`).
  [[nodiscard]] const std::vector<std::size_t>& component() const noexcept { return component_; }
  /// The optimal policy: the successor of each node.
  [[nodiscard]] const std::vector<std::size_t>& successor() const noexcept { return successor_; }
  /// Number of critical components (each has at least two nodes).
  [[nodiscard]] std::size_t components() const noexcept { return components_; }

  static constexpr std::size_t none = static_cast<std::size_t>(-1);

private:
  bool arc(std::size_t a, std::size_t b) const { return (*present_)[a * k_ + b] != 0; }
  const Int& w(std::size_t a, std::size_t b) const { return (*weight_)[a * k_ + b]; }
  // den * w(a, b) - num + x(b): the potential a would get by following the arc to b.
  Int through(std::size_t a, std::size_t b) const { return den_[b] * w(a, b) - num_[b] + x_[b]; }

  // The loops below use plain arithmetic, so the sizes are checked once here. With |w| < 2^B
  // and K nodes: den <= K, |num| <= K 2^B, every potential is a sum of at most K terms
  // den w - num, so |x| <= 2 K^2 2^B, and the products of the mean comparisons stay below
  // K^2 2^B. For wide_int that must fit its safe range; big_int cannot overflow.
  void require_headroom() const {
    int bits = 0;
    for (std::size_t arc = 0; arc < weight_->size(); ++arc)
      if ((*present_)[arc]) bits = std::max(bits, magnitude_bits((*weight_)[arc]));
    const int node_bits = static_cast<int>(std::bit_width(k_));
    if constexpr (std::same_as<Int, wide_int>)
      if (bits + 2 * node_bits + 2 > wide_limit_bits) throw scaled_overflow{};
  }

  void initial_policy(const std::vector<std::size_t>* start) {
    successor_.assign(k_, none);
    for (std::size_t a = 0; a < k_; ++a) {
      if (start != nullptr && (*start)[a] < k_ && (*start)[a] != a && arc(a, (*start)[a])) {
        successor_[a] = (*start)[a];
        continue;
      }
      for (std::size_t b = 0; b < k_; ++b)
        if (b != a && arc(a, b) && (successor_[a] == none || w(a, b) > w(a, successor_[a]))) successor_[a] = b;
    }
  }

  // The policy graph has one successor per node: every path ends in a cycle. Each node gets the
  // mean of the cycle it reaches and a potential relative to a root on that cycle.
  void evaluate() {
    num_.assign(k_, Int(0));
    den_.assign(k_, Int(1));
    x_.assign(k_, Int(0));
    state_.assign(k_, 0);
    for (std::size_t start = 0; start < k_; ++start) {
      if (state_[start] != 0) continue;
      path_.clear();
      std::size_t a = start;
      while (state_[a] == 0) {
        state_[a] = 1;
        path_.push_back(a);
        a = successor_[a];
      }
      if (state_[a] == 1) close_cycle(a);
      for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
        if (state_[*it] == 2) continue;
        const std::size_t b = successor_[*it];
        num_[*it] = num_[b];
        den_[*it] = den_[b];
        x_[*it] = through(*it, b);
        state_[*it] = 2;
      }
    }
  }
  void close_cycle(std::size_t root) {
    cycle_.clear();
    Int total(0);
    std::size_t a = root;
    do {
      cycle_.push_back(a);
      total += w(a, successor_[a]);
      a = successor_[a];
    } while (a != root);
    const Int length(static_cast<long long>(cycle_.size()));
    const Int g = gcd_of(total, length);
    const Int num = total / g, den = length / g;
    for (const std::size_t c : cycle_) {
      num_[c] = num;
      den_[c] = den;
      state_[c] = 2;
    }
    x_[root] = Int(0);
    for (std::size_t i = cycle_.size() - 1; i >= 1; --i) x_[cycle_[i]] = through(cycle_[i], cycle_[(i + 1) % cycle_.size()]);
  }

  // First improvement: move to a successor that reaches a cycle of larger mean.
  bool improve_mean() {
    bool uniform = true;  // one mean everywhere (the usual case after a few rounds): nothing to gain
    for (std::size_t a = 1; a < k_ && uniform; ++a) uniform = num_[a] == num_[0] && den_[a] == den_[0];
    if (uniform) return false;
    bool changed = false;
    for (std::size_t a = 0; a < k_; ++a) {
      std::size_t best = successor_[a];
      for (std::size_t b = 0; b < k_; ++b) {
        if (b == a || !arc(a, b) || (num_[b] == num_[best] && den_[b] == den_[best])) continue;
        if (num_[b] * den_[best] > num_[best] * den_[b]) best = b;
      }
      if (best != successor_[a] && num_[best] * den_[a] > num_[a] * den_[best]) {
        successor_[a] = best;
        changed = true;
      }
    }
    return changed;
  }
  // Second improvement, among successors of the same mean: a strictly larger potential.
  bool improve_potential() {
    bool changed = false;
    for (std::size_t a = 0; a < k_; ++a) {
      Int best_value = x_[a];
      std::size_t best = none;
      for (std::size_t b = 0; b < k_; ++b) {
        if (b == a || !arc(a, b) || num_[b] != num_[a] || den_[b] != den_[a]) continue;
        Int value = through(a, b);
        if (value > best_value) {
          best_value = std::move(value);
          best = b;
        }
      }
      if (best != none) {
        successor_[a] = best;
        changed = true;
      }
    }
    return changed;
  }

  // Tarjan's algorithm, iteratively, on the arcs that are tight under the optimal potential.
  void critical_components() {
    const auto tight = [&](std::size_t a, std::size_t b) { return b != a && arc(a, b) && through(a, b) == x_[a]; };
    component_.assign(k_, none);
    components_ = 0;
    std::vector<std::size_t> index(k_, none), low(k_, 0), stack, next(k_, 0);
    std::vector<char> on_stack(k_, 0);
    std::vector<std::size_t> call;
    std::size_t counter = 0;
    for (std::size_t root = 0; root < k_; ++root) {
      if (index[root] != none) continue;
      call.push_back(root);
      index[root] = low[root] = counter++;
      stack.push_back(root);
      on_stack[root] = 1;
      while (!call.empty()) {
        const std::size_t a = call.back();
        bool descended = false;
        for (std::size_t& b = next[a]; b < k_; ++b) {
          if (!tight(a, b)) continue;
          if (index[b] == none) {
            index[b] = low[b] = counter++;
            stack.push_back(b);
            on_stack[b] = 1;
            call.push_back(b);
            ++b;
            descended = true;
            break;
          }
          if (on_stack[b] && index[b] < low[a]) low[a] = index[b];
        }
        if (descended) continue;
        call.pop_back();
        if (!call.empty() && low[a] < low[call.back()]) low[call.back()] = low[a];
        if (low[a] != index[a]) continue;
        std::size_t size = 0;
        for (std::size_t top = none; top != a; ++size) {
          top = stack.back();
          stack.pop_back();
          on_stack[top] = 0;
          component_[top] = components_;
        }
        if (size == 1) component_[a] = none;
        else ++components_;
      }
    }
  }

  std::size_t k_ = 0;
  const std::vector<Int>* weight_ = nullptr;
  const std::vector<char>* present_ = nullptr;
  std::vector<std::size_t> successor_, path_, cycle_, component_;
  std::vector<Int> num_, den_, x_;
  std::vector<std::uint8_t> state_;
  std::size_t components_ = 0;
};

}  // namespace detail
EVMARKET_END_NAMESPACE
