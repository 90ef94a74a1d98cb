#pragma once
/// @file
/// Capacitated many-to-many matching (paper 004 eq. 5-8): on an m x n weight matrix of buyers
/// (rows) and sellers (columns), choose pairs so that seller j is in exactly L[j] pairs, buyer i
/// in at most L^a[i] pairs and every pair at most once, at optimal total weight. This is a
/// min-cost flow problem (source -> seller, capacity L[j]; seller -> buyer, capacity 1; buyer ->
/// sink, capacity L^a[i]); duplicating rows of an assignment problem instead would let one pair
/// trade twice. Solved exactly by successive shortest paths with potentials on the bipartite
/// network, after a greedy start that already satisfies the optimality conditions.
///
/// Any input layout is accepted; the solver works on its own seller-major copy of the weights in
/// its arithmetic (8 bytes per entry for floating weights, 16 for integer ones) plus one byte per
/// pair, so peak memory is about m * n * 9 (or 17) bytes.

#include <evmarket/detail/matching_scalar.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// One matched pair of a b-matching.
struct matched_pair {
  std::ptrdiff_t buyer;   ///< row of the weight matrix
  std::ptrdiff_t seller;  ///< column of the weight matrix
  /// Member-wise equality.
  friend bool operator==(const matched_pair&, const matched_pair&) = default;
};

/// The answer of solve_b_matching. Certificate (objective minimise): with reduced weight
/// r(i, j) = w(i, j) - seller_potential[j] - buyer_potential[i], every allowed pair with r < 0 is
/// matched, every one with r > 0 is not, buyer_potential[i] <= 0, and buyer_potential[i] < 0 only
/// for a buyer with L^a[i] pairs. Then value == sum_j L[j] seller_potential[j] + sum_i L^a[i]
/// buyer_potential[i] + sum over allowed pairs of min(0, r(i, j)) (LP duality). For maximise
/// every inequality flips (r > 0 matched, r < 0 not, buyer potentials >= 0, max(0, r) in the sum).
template <MatchingScalar Scalar>
struct b_matching_result {
  /// double for float/double weights, int64 for integer weights.
  using value_type = matching_value_t<Scalar>;

  /// optimal, or infeasible when the sellers' L cannot be met (then `pairs` is empty and
  /// `unmet_seller` names a seller whose demand could not be completed).
  matching_status status = matching_status::optimal;
  /// The matched pairs, ordered by seller, then buyer.
  std::vector<matched_pair> pairs;
  /// Total weight of the matched pairs, exact for integer weights.
  value_type value{};
  ///@{
  /// Dual potentials of the optimal solution: one per buyer (row) and one per seller (column).
  std::vector<value_type> buyer_potential;
  std::vector<value_type> seller_potential;
  ///@}
  /// When infeasible: a seller that could not get its L[j]-th buyer; -1 otherwise.
  std::ptrdiff_t unmet_seller = -1;

  /// True when an optimal matching was found.
  [[nodiscard]] bool optimal() const noexcept { return status == matching_status::optimal; }
};

namespace detail {

/// Successive shortest paths on the seller -> buyer network, sellers one unit at a time.
template <MatchingScalar Scalar>
class b_matching_solver {
 public:
  using arithmetic = matching_arithmetic<Scalar>;
  using work = typename arithmetic::work;
  static constexpr work infinity = arithmetic::infinity;

  b_matching_solver(const weight_matrix_ref<Scalar>& weights, const bool* mask, Eigen::Index mask_stride,
                    objective sense, std::span<const int> seller_demand, std::span<const int> buyer_capacity)
      : m_(static_cast<std::size_t>(weights.rows())),
        n_(static_cast<std::size_t>(weights.cols())),
        demand_(seller_demand),
        capacity_(buyer_capacity) {
    // Seller-major copy: a seller's arcs are then one contiguous row. Tiles keep both the reads
    // and the writes of the transposition within cache.
    cost_.resize(m_ * n_);
    constexpr std::size_t tile = 32;
    const bool negate = sense == objective::maximise;
    for (std::size_t i0 = 0; i0 < m_; i0 += tile)
      for (std::size_t j0 = 0; j0 < n_; j0 += tile)
        for (std::size_t i = i0; i < std::min(m_, i0 + tile); ++i) {
          const Scalar* row = weights.data() + static_cast<Eigen::Index>(i) * weights.outerStride();
          const bool* mrow = mask != nullptr ? mask + static_cast<Eigen::Index>(i) * mask_stride : nullptr;
          for (std::size_t j = j0; j < std::min(n_, j0 + tile); ++j) {
            work c = static_cast<work>(row[j]);
            if (negate) c = -c;
            // +inf (after negation) already compares as absent; the mask maps onto it.
            if (mrow != nullptr && !mrow[j]) c = infinity;
            cost_[j * m_ + i] = c;
          }
        }
  }

  b_matching_result<Scalar> solve(const weight_matrix_ref<Scalar>& weights, objective sense) {
    b_matching_result<Scalar> result;
    used_.assign(m_ * n_, 0);
    load_.assign(m_, 0);
    users_offset_.assign(m_ + 1, 0);
    for (std::size_t i = 0; i < m_; ++i)
      users_offset_[i + 1] = users_offset_[i] + static_cast<std::size_t>(capacity_[i]);
    users_.assign(users_offset_[m_], 0);
    u_.assign(n_, work{0});
    v_.assign(m_, work{0});
    std::vector<int> missing(n_, 0);
    greedy_start(missing);
    dist_buyer_.assign(m_, infinity);
    dist_seller_.assign(n_, infinity);
    pred_buyer_.assign(m_, 0);
    pred_seller_.assign(n_, 0);
    done_buyer_.assign(m_, 0);
    state_seller_.assign(n_, 0);
    touched_sellers_.reserve(n_);
    pending_sellers_.reserve(n_);
    settled_buyers_.reserve(m_);
    for (std::size_t j = 0; j < n_; ++j)
      for (; missing[j] > 0; --missing[j])
        if (!augment(j)) {
          result.status = matching_status::infeasible;
          result.unmet_seller = static_cast<std::ptrdiff_t>(j);
          return result;
        }
    work total = 0;
    for (std::size_t j = 0; j < n_; ++j)
      for (std::size_t i = 0; i < m_; ++i)
        if (used_[j * m_ + i] != 0) {
          result.pairs.push_back({static_cast<std::ptrdiff_t>(i), static_cast<std::ptrdiff_t>(j)});
          total += static_cast<work>(
              weights.data()[static_cast<Eigen::Index>(i) * weights.outerStride() + static_cast<Eigen::Index>(j)]);
        }
    result.value = to_matching_value<Scalar>(total, "b-matching value");
    const bool negate = sense == objective::maximise;
    for (const work p : v_)
      result.buyer_potential.push_back(to_matching_value<Scalar>(negate ? -p : p, "b-matching potentials"));
    for (const work p : u_)
      result.seller_potential.push_back(to_matching_value<Scalar>(negate ? -p : p, "b-matching potentials"));
    return result;
  }

 private:
  std::size_t m_, n_;
  std::span<const int> demand_, capacity_;
  std::vector<work> cost_;           // seller-major, +infinity where forbidden
  std::vector<unsigned char> used_;  // seller-major: the pair is matched
  std::vector<int> load_;            // pairs per buyer
  std::vector<std::size_t> users_offset_;
  std::vector<std::size_t> users_;  // the sellers matched to each buyer, load_[i] of them
  std::vector<work> u_, v_;         // seller and buyer potentials (minimisation)
  std::vector<work> dist_buyer_, dist_seller_;
  std::vector<std::size_t> pred_buyer_, pred_seller_;
  std::vector<unsigned char> done_buyer_, state_seller_;  // seller: 0 unseen, 1 reached, 2 settled
  std::vector<std::size_t> touched_sellers_, pending_sellers_, settled_buyers_;

  const work* costs_of(std::size_t j) const noexcept { return cost_.data() + j * m_; }

  void attach(std::size_t j, std::size_t i) {
    used_[j * m_ + i] = 1;
    users_[users_offset_[i] + static_cast<std::size_t>(load_[i]++)] = j;
  }
  void replace(std::size_t old_seller, std::size_t new_seller, std::size_t i) {
    used_[old_seller * m_ + i] = 0;
    used_[new_seller * m_ + i] = 1;
    const std::size_t first = users_offset_[i], last = first + static_cast<std::size_t>(load_[i]);
    for (std::size_t k = first; k < last; ++k)
      if (users_[k] == old_seller) users_[k] = new_seller;
  }

  // Each seller takes its cheapest buyers in order while they have room, stopping at the first
  // full one (ties aside); its potential sits between its last taken and first untaken cost, so
  // every reduced cost already has the sign optimality asks for (buyer potentials are all 0).
  static constexpr std::size_t insertion_limit = 16;

  void greedy_start(std::vector<int>& missing) {
    std::vector<std::pair<work, std::size_t>> best;
    best.reserve(insertion_limit + 1);
    for (std::size_t j = 0; j < n_; ++j) {
      const auto want = static_cast<std::size_t>(demand_[j]);
      const work* c = costs_of(j);
      best.clear();
      // The want + 1 cheapest allowed buyers in ascending order: by insertion while that list is
      // short (paper 004's L is a handful), by selection and a partial sort otherwise.
      if (want < insertion_limit) {
        for (std::size_t i = 0; i < m_; ++i) {
          if (!(c[i] < infinity)) continue;
          if (best.size() == want + 1 && !(c[i] < best.back().first)) continue;
          if (best.size() == want + 1) best.pop_back();
          auto at = best.end();
          while (at != best.begin() && c[i] < (at - 1)->first) --at;
          best.insert(at, {c[i], i});
        }
      } else {
        for (std::size_t i = 0; i < m_; ++i)
          if (c[i] < infinity) best.emplace_back(c[i], i);
        const auto by_cost = [](const auto& a, const auto& b) { return a.first < b.first; };
        if (best.size() > want + 1) {
          const auto cut = best.begin() + static_cast<std::ptrdiff_t>(want + 1);
          std::nth_element(best.begin(), cut - 1, best.end(), by_cost);
          best.erase(cut, best.end());
        }
        std::sort(best.begin(), best.end(), by_cost);
      }
      // Past the first full buyer only buyers of exactly its cost may still be taken (ties), so
      // that cost separates every taken pair from every untaken one.
      std::size_t taken = 0;
      bool blocked = false;
      work separator = 0;
      for (const auto& [c_ji, i] : best) {
        if (taken == want || (blocked && separator < c_ji)) break;
        if (load_[i] < capacity_[i]) {
          attach(j, i);
          ++taken;
        } else if (!blocked) {
          blocked = true;
          separator = c_ji;
        }
      }
      if (blocked)
        u_[j] = separator;
      else if (taken < best.size())
        u_[j] = best[taken].first;  // the first untaken
      else if (taken > 0)
        u_[j] = best[taken - 1].first;  // no untaken allowed arc
      missing[j] = static_cast<int>(want - taken);
    }
  }

  // One unit from seller s: Dijkstra over reduced costs (forward arcs unmatched seller -> buyer,
  // backward arcs matched buyer -> seller) to the nearest buyer with room.
  bool augment(std::size_t s) {
    std::fill(dist_buyer_.begin(), dist_buyer_.end(), infinity);
    std::fill(done_buyer_.begin(), done_buyer_.end(), static_cast<unsigned char>(0));
    for (const std::size_t j : touched_sellers_) {
      dist_seller_[j] = infinity;
      state_seller_[j] = 0;
    }
    touched_sellers_.clear();
    pending_sellers_.clear();
    settled_buyers_.clear();
    dist_seller_[s] = 0;
    state_seller_[s] = 1;
    touched_sellers_.push_back(s);
    pending_sellers_.push_back(s);
    std::size_t terminal = m_;
    work delta = 0;
    for (;;) {
      // Settle the nearest node: a pending seller if it is not farther than every open buyer.
      work best_buyer = infinity;
      std::size_t best_i = m_;
      // Among equal distances a buyer with room wins: it ends the search (ties are the rule
      // when many weights are equal).
      bool best_has_room = false;
      for (std::size_t i = 0; i < m_; ++i) {
        if (done_buyer_[i] != 0) continue;
        const work d = dist_buyer_[i];
        if (d < best_buyer || (d == best_buyer && !best_has_room && best_i < m_ && load_[i] < capacity_[i])) {
          best_buyer = d;
          best_i = i;
          best_has_room = load_[i] < capacity_[i];
        }
      }
      std::size_t best_pending = pending_sellers_.size();
      work best_seller = infinity;
      for (std::size_t k = 0; k < pending_sellers_.size(); ++k)
        if (dist_seller_[pending_sellers_[k]] < best_seller) {
          best_seller = dist_seller_[pending_sellers_[k]];
          best_pending = k;
        }
      if (best_pending < pending_sellers_.size() &&
          (best_seller < best_buyer || (best_seller == best_buyer && !best_has_room))) {
        const std::size_t j = pending_sellers_[best_pending];
        pending_sellers_[best_pending] = pending_sellers_.back();
        pending_sellers_.pop_back();
        state_seller_[j] = 2;
        scan_seller(j, best_seller);
        continue;
      }
      if (best_i == m_ || !(best_buyer < infinity)) return false;  // nothing with room is reachable
      done_buyer_[best_i] = 1;
      settled_buyers_.push_back(best_i);
      if (load_[best_i] < capacity_[best_i]) {
        terminal = best_i;
        delta = best_buyer;
        break;
      }
      // A full buyer passes the flow back along its matched pairs (reduced cost <= 0 there).
      const std::size_t first = users_offset_[best_i], last = first + static_cast<std::size_t>(load_[best_i]);
      for (std::size_t k = first; k < last; ++k) {
        const std::size_t j = users_[k];
        if (state_seller_[j] == 2) continue;
        const work candidate = best_buyer - (costs_of(j)[best_i] - u_[j] - v_[best_i]);
        if (state_seller_[j] == 0) {
          state_seller_[j] = 1;
          touched_sellers_.push_back(j);
          pending_sellers_.push_back(j);
        }
        if (candidate < dist_seller_[j]) {
          dist_seller_[j] = candidate;
          pred_seller_[j] = best_i;
        }
      }
    }
    for (const std::size_t i : settled_buyers_) v_[i] += dist_buyer_[i] - delta;
    for (const std::size_t j : touched_sellers_)
      if (state_seller_[j] == 2) u_[j] += delta - dist_seller_[j];
    // Walk back: each seller on the path takes the buyer after it and drops the one before.
    std::size_t buyer = terminal;
    std::size_t seller = pred_buyer_[buyer];
    attach(seller, buyer);
    while (seller != s) {
      const std::size_t previous = pred_seller_[seller];
      const std::size_t next_seller = pred_buyer_[previous];
      // Buyer `previous` keeps its load: `seller` leaves, `next_seller` arrives.
      replace(seller, next_seller, previous);
      seller = next_seller;
    }
    return true;
  }

  void scan_seller(std::size_t j, work dist) {
    const work* c = costs_of(j);
    const unsigned char* used = used_.data() + j * m_;
    const work offset = dist - u_[j];
    for (std::size_t i = 0; i < m_; ++i) {
      if (done_buyer_[i] != 0 || used[i] != 0) continue;
      const work candidate = offset + c[i] - v_[i];
      if (candidate < dist_buyer_[i]) {
        dist_buyer_[i] = candidate;
        pred_buyer_[i] = j;
      }
    }
  }
};

}  // namespace detail

namespace detail {

template <MatchingScalar Scalar>
b_matching_result<Scalar> solve_b_matching_impl(const weight_matrix_ref<Scalar>& weights,
                                                const allowed_mask_ref* allowed, objective sense,
                                                std::span<const int> seller_demand,
                                                std::span<const int> buyer_capacity) {
  require(seller_demand.size() == static_cast<std::size_t>(weights.cols()), "seller_demand",
          std::to_string(seller_demand.size()) + " entries",
          "needs one entry per seller (column): " + std::to_string(weights.cols()));
  require(buyer_capacity.size() == static_cast<std::size_t>(weights.rows()), "buyer_capacity",
          std::to_string(buyer_capacity.size()) + " entries",
          "needs one entry per buyer (row): " + std::to_string(weights.rows()));
  for (std::size_t j = 0; j < seller_demand.size(); ++j)
    require(seller_demand[j] >= 0, element_field("seller_demand", j), seller_demand[j], "must not be negative");
  for (std::size_t i = 0; i < buyer_capacity.size(); ++i)
    require(buyer_capacity[i] >= 0, element_field("buyer_capacity", i), buyer_capacity[i], "must not be negative");
  if (allowed != nullptr)
    require(allowed->rows() == weights.rows() && allowed->cols() == weights.cols(), "allowed",
            std::to_string(allowed->rows()) + " x " + std::to_string(allowed->cols()),
            "must have the shape of weights (" + std::to_string(weights.rows()) + " x " +
                std::to_string(weights.cols()) + ")");
  validate_weights<Scalar>(weights, allowed ? allowed->data() : nullptr, allowed ? allowed->outerStride() : 0, sense,
                           "weights");
  std::int64_t demand = 0, capacity = 0;
  for (const int d : seller_demand) demand += d;
  for (const int c : buyer_capacity) capacity += c;
  if (demand > capacity) {
    b_matching_result<Scalar> result;
    result.status = matching_status::infeasible;
    // The first seller whose demand no longer fits in what the buyers can take.
    std::int64_t running = 0;
    for (std::size_t j = 0; j < seller_demand.size(); ++j) {
      running += seller_demand[j];
      if (running > capacity) {
        result.unmet_seller = static_cast<std::ptrdiff_t>(j);
        break;
      }
    }
    return result;
  }
  b_matching_solver<Scalar> solver(weights, allowed ? allowed->data() : nullptr, allowed ? allowed->outerStride() : 0,
                                   sense, seller_demand, buyer_capacity);
  return solver.solve(weights, sense);
}

}  // namespace detail

/// Solves paper 004's matching (eq. 5-8) on an m x n matrix of buyers x sellers: seller j in
/// exactly seller_demand[j] pairs (L[j]), buyer i in at most buyer_capacity[i] pairs (L^a[i]),
/// each pair at most once. Forbidden pairs as for solve_assignment (+inf / -inf entries, or the
/// mask overload). Infeasibility (for instance sum L > sum L^a) is a result status. Throws
/// bad_input on NaN, the wrong infinity, negative counts or sizes that do not match the matrix.
template <class Derived>
[[nodiscard]] b_matching_result<typename Derived::Scalar> solve_b_matching(const Eigen::MatrixBase<Derived>& weights,
                                                                           std::span<const int> seller_demand,
                                                                           std::span<const int> buyer_capacity,
                                                                           objective sense = objective::minimise) {
  using Scalar = typename Derived::Scalar;
  detail::check_matching_types<Scalar>();
  return detail::solve_b_matching_impl<Scalar>(weight_matrix_ref<Scalar>(weights.derived()), nullptr, sense,
                                               seller_demand, buyer_capacity);
}

/// As above, with forbidden pairs given by a bool mask of the same shape (true = allowed).
template <class Derived, class MaskDerived>
[[nodiscard]] b_matching_result<typename Derived::Scalar> solve_b_matching(
    const Eigen::MatrixBase<Derived>& weights, const Eigen::MatrixBase<MaskDerived>& allowed,
    std::span<const int> seller_demand, std::span<const int> buyer_capacity, objective sense = objective::minimise) {
  using Scalar = typename Derived::Scalar;
  detail::check_matching_types<Scalar, typename MaskDerived::Scalar>();
  const allowed_mask_ref mask(allowed.derived());
  return detail::solve_b_matching_impl<Scalar>(weight_matrix_ref<Scalar>(weights.derived()), &mask, sense,
                                               seller_demand, buyer_capacity);
}

/// What a market session needs from a matching policy: a weight matrix (buyers x sellers), each
/// seller's exact count L and each buyer's limit L^a in, a b_matching_result out. A session holds
/// the policy as a member, so an alternative rule (a heuristic, a fairness-constrained variant)
/// drops in without touching the session.
template <class Rule>
concept CapacitatedMatchingRule = requires(const Rule& rule, const weight_matrix_ref<double>& weights,
                                           std::span<const int> seller_demand, std::span<const int> buyer_capacity) {
  { rule.match(weights, seller_demand, buyer_capacity) } -> std::same_as<b_matching_result<double>>;
  { Rule::name } -> std::convertible_to<std::string_view>;
};

/// Paper 004's rule as a policy: maximise the total relative income sigma (eq. 5) under eq. (6)-(8).
struct max_benefit_matching {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "maximum-benefit b-matching (paper 004 eq. 5-8)";

  /// The maximum-benefit matching for `weights` under the capacities (see solve_b_matching).
  [[nodiscard]] b_matching_result<double> match(const weight_matrix_ref<double>& weights,
                                                std::span<const int> seller_demand,
                                                std::span<const int> buyer_capacity) const {
    return solve_b_matching(weights, seller_demand, buyer_capacity, objective::maximise);
  }
};

static_assert(CapacitatedMatchingRule<max_benefit_matching>);

EVMARKET_END_NAMESPACE
