#pragma once
/// @file
/// The linear assignment problem (Kuhn-Munkres), dense and rectangular: match every row of the
/// smaller side of an m x n weight matrix to a distinct column of the other side at minimum (or
/// maximum) total weight. Solved by Jonker-Volgenant shortest augmenting paths in O(n^3): column
/// reduction and augmenting row reduction to start, then one Dijkstra search per remaining row.
///
/// Fast layout: the shorter side along the outer index, i.e. row-major when rows <= columns and
/// column-major when rows > columns (its transpose is then row-major). Those are read in place,
/// including blocks and Maps with an outer stride; any other layout costs one temporary copy of
/// the matrix. Working memory is O(m + n), allocated once per call, never per augmentation.

#include <evmarket/detail/matching_scalar.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// The answer of solve_assignment. With k = min(m, n) pairs and objective minimise, the duals
/// satisfy u[i] + v[j] <= w(i, j) for every allowed pair, with equality on every assigned pair,
/// so sum(u) + sum(v) == value certifies optimality (LP duality). On the larger side the
/// potential of an unassigned line is 0 and every potential of that side is <= 0. For
/// maximise every inequality flips: u[i] + v[j] >= w(i, j), larger-side potentials >= 0.
/// A square problem's duals are unique only up to (u + t, v - t); integer ones are returned with
/// both sides centred on one value to stay inside int64 (if they still do not fit, the call
/// throws overflow_error: never a wrapped value).
/// Floating potentials satisfy the inequalities up to rounding (about 1e-15 relative).
template <MatchingScalar Scalar>
struct assignment_result {
  /// double for float/double weights, int64 for integer weights.
  using value_type = matching_value_t<Scalar>;

  /// optimal, or infeasible when the allowed pairs admit no complete matching of the smaller side
  /// (then nothing below is filled in: both maps are all -1, the potentials are empty).
  matching_status status = matching_status::optimal;
  /// column_of_row[i]: the column assigned to row i, or -1.
  std::vector<std::ptrdiff_t> column_of_row;
  /// row_of_column[j]: the row assigned to column j, or -1.
  std::vector<std::ptrdiff_t> row_of_column;
  /// Total weight of the assigned pairs, exact for integer weights.
  value_type value{};
  ///@{
  /// Row potentials (size m) and column potentials (size n) of an optimal dual solution.
  std::vector<value_type> u;
  std::vector<value_type> v;
  ///@}

  /// True when an optimal assignment was found.
  [[nodiscard]] bool optimal() const noexcept { return status == matching_status::optimal; }
};

namespace detail {

/// Jonker-Volgenant on a row-major matrix with rows <= cols. `Negate` turns maximisation into
/// minimisation on the fly; `Masked` consults an allowed-pair mask.
template <MatchingScalar Scalar, bool Negate, bool Masked>
class jonker_volgenant {
 public:
  using arithmetic = matching_arithmetic<Scalar>;
  using work = typename arithmetic::work;
  static constexpr work infinity = arithmetic::infinity;

  jonker_volgenant(const Scalar* data, Eigen::Index stride, Eigen::Index rows, Eigen::Index cols, const bool* mask,
                   Eigen::Index mask_stride)
      : data_(data), stride_(stride), rows_(rows), cols_(cols), mask_(mask), mask_stride_(mask_stride) {}

  /// Fills x (column of row), y (row of column), v (column potentials); false when infeasible.
  bool solve(std::vector<std::ptrdiff_t>& x, std::vector<std::ptrdiff_t>& y, std::vector<work>& v) {
    x.assign(static_cast<std::size_t>(rows_), -1);
    y.assign(static_cast<std::size_t>(cols_), -1);
    v.assign(static_cast<std::size_t>(cols_), work{0});
    std::vector<std::ptrdiff_t> free_rows;
    free_rows.reserve(static_cast<std::size_t>(rows_));
    if (rows_ == cols_) {
      if (!column_reduction(x, y, v, free_rows)) return false;
    } else {
      // A rectangular problem needs v <= 0 with v = 0 on unassigned columns, which column
      // reduction would break; augmenting row reduction from v = 0 keeps it.
      for (std::ptrdiff_t i = 0; i < rows_; ++i) free_rows.push_back(i);
    }
    for (int pass = 0; pass < 2 && !free_rows.empty(); ++pass)
      if (!augmenting_row_reduction(x, y, v, free_rows)) return false;
    return augment(x, y, v, free_rows);
  }

 private:
  const Scalar* data_;
  Eigen::Index stride_;
  Eigen::Index rows_;
  Eigen::Index cols_;
  const bool* mask_;
  Eigen::Index mask_stride_;

  const Scalar* row(std::ptrdiff_t i) const noexcept { return data_ + i * stride_; }
  const bool* mask_row(std::ptrdiff_t i) const noexcept {
    if constexpr (Masked)
      return mask_ + i * mask_stride_;
    else {
      (void)i;
      return nullptr;
    }
  }
  static work cost(Scalar raw) noexcept {
    const auto c = static_cast<work>(raw);
    if constexpr (Negate)
      return -c;
    else
      return c;
  }
  static bool allowed(const bool* mask, std::ptrdiff_t j) noexcept {
    if constexpr (Masked)
      return mask[j];
    else {
      (void)mask;
      (void)j;
      return true;
    }
  }
  // A forbidden entry of a floating matrix is +inf after negation; it behaves as an absent arc
  // in every comparison below because potentials stay finite.
  static bool finite(work value) noexcept { return value < infinity; }

  bool column_reduction(std::vector<std::ptrdiff_t>& x, std::vector<std::ptrdiff_t>& y, std::vector<work>& v,
                        std::vector<std::ptrdiff_t>& free_rows) const {
    const auto n = static_cast<std::size_t>(cols_);
    std::vector<work> column_min(n, infinity);
    std::vector<std::ptrdiff_t> argmin(n, -1);
    for (std::ptrdiff_t i = 0; i < rows_; ++i) {  // row by row, so the matrix is read in order
      const Scalar* r = row(i);
      const bool* m = mask_row(i);
      for (std::size_t j = 0; j < n; ++j) {
        const work c = cost(r[j]);
        if (allowed(m, static_cast<std::ptrdiff_t>(j)) && c < column_min[j]) {
          column_min[j] = c;
          argmin[j] = i;
        }
      }
    }
    std::vector<int> matches(static_cast<std::size_t>(rows_), 0);
    for (std::size_t j = n; j-- > 0;) {
      if (argmin[j] < 0) return false;  // a column no row may take
      const auto i = static_cast<std::size_t>(argmin[j]);
      v[j] = column_min[j];
      if (++matches[i] == 1) {
        x[i] = static_cast<std::ptrdiff_t>(j);
        y[j] = argmin[j];
      } else if (v[j] < v[static_cast<std::size_t>(x[i])]) {
        y[static_cast<std::size_t>(x[i])] = -1;
        x[i] = static_cast<std::ptrdiff_t>(j);
        y[j] = argmin[j];
      }
    }
    // Reduction transfer: a row that won exactly one column hands that column's slack to the
    // others, so the column's potential reflects the row's second choice.
    for (std::ptrdiff_t i = 0; i < rows_; ++i) {
      const auto ui = static_cast<std::size_t>(i);
      if (matches[ui] == 0) {
        free_rows.push_back(i);
        continue;
      }
      if (matches[ui] != 1) continue;
      const std::ptrdiff_t j1 = x[ui];
      const Scalar* r = row(i);
      const bool* m = mask_row(i);
      work second = infinity;
      for (std::ptrdiff_t j = 0; j < cols_; ++j) {
        if (j == j1 || !allowed(m, j)) continue;
        second = std::min(second, cost(r[j]) - v[static_cast<std::size_t>(j)]);
      }
      if (finite(second)) v[static_cast<std::size_t>(j1)] -= second;
    }
    return true;
  }

  // Auction-like passes: each free row bids for its cheapest column, lowering that column's
  // potential by the gap to its second choice and evicting the previous owner. Bounded work: it
  // only prepares the exact augmentation below, so stopping early costs speed, not optimality.
  bool augmenting_row_reduction(std::vector<std::ptrdiff_t>& x, std::vector<std::ptrdiff_t>& y, std::vector<work>& v,
                                std::vector<std::ptrdiff_t>& free_rows) const {
    std::size_t pending = free_rows.size();
    std::size_t next_free = 0;
    std::size_t k = 0;
    std::size_t budget = 4 * static_cast<std::size_t>(rows_) + 64;
    while (k < pending) {
      if (budget-- == 0) {
        while (k < pending) free_rows[next_free++] = free_rows[k++];
        break;
      }
      const std::ptrdiff_t i = free_rows[k++];
      const Scalar* r = row(i);
      const bool* m = mask_row(i);
      work u1 = infinity, u2 = infinity;
      std::ptrdiff_t j1 = -1, j2 = -1;
      for (std::ptrdiff_t j = 0; j < cols_; ++j) {
        if (!allowed(m, j)) continue;
        const work h = cost(r[j]) - v[static_cast<std::size_t>(j)];
        if (h < u2) {
          if (h >= u1) {
            u2 = h;
            j2 = j;
          } else {
            u2 = u1;
            j2 = j1;
            u1 = h;
            j1 = j;
          }
        }
      }
      if (j1 < 0) return false;  // a row with no allowed column
      if (j2 < 0 || !finite(u2)) {
        free_rows[next_free++] = i;  // a single choice: leave it to the exact augmentation
        continue;
      }
      auto& vj1 = v[static_cast<std::size_t>(j1)];
      const work lowered = vj1 - (u2 - u1);
      const bool strict = lowered < vj1;
      std::ptrdiff_t evicted = y[static_cast<std::size_t>(j1)];
      if (strict) {
        vj1 = lowered;
      } else if (evicted >= 0) {
        j1 = j2;
        evicted = y[static_cast<std::size_t>(j2)];
      }
      x[static_cast<std::size_t>(i)] = j1;
      y[static_cast<std::size_t>(j1)] = i;
      if (evicted >= 0) {
        x[static_cast<std::size_t>(evicted)] = -1;
        if (strict)
          free_rows[--k] = evicted;  // bid again at once: its price just rose
        else
          free_rows[next_free++] = evicted;
      }
    }
    free_rows.resize(next_free);
    return true;
  }

  // One Dijkstra search per free row over reduced costs c(i, j) - u[i] - v[j] >= 0, where
  // u[i] = c(i, x[i]) - v[x[i]] for assigned rows, stopping at the first free column it settles.
  // A settled column gets a potential of "minus infinity" in the search's copy of v, so no later
  // scan can relax it, and a distance of +infinity, so no later scan selects it: the scan of a row
  // is then one branch-free pass over contiguous arrays. Once a search has settled an eighth of
  // the columns it is a long one, and it scans a compact list of the open columns instead.
  bool augment(std::vector<std::ptrdiff_t>& x, std::vector<std::ptrdiff_t>& y, std::vector<work>& v,
               const std::vector<std::ptrdiff_t>& free_rows) const {
    const auto n = static_cast<std::size_t>(cols_);
    // Far enough below every potential that offset + cost - it stays above `infinity`.
    constexpr work settled_mark = arithmetic::exact ? -2 * infinity : -infinity;
    std::vector<work> d(n), search_potential(n);
    std::vector<std::ptrdiff_t> pred(n);
    std::vector<std::pair<std::size_t, work>> settled;
    settled.reserve(n);
    std::vector<std::size_t> open(n);
    work* const dist = d.data();
    work* const pot = search_potential.data();
    std::ptrdiff_t* const from = pred.data();
    const std::ptrdiff_t* const owner = y.data();
    for (const std::ptrdiff_t f : free_rows) {
      std::fill(d.begin(), d.end(), infinity);
      std::copy(v.begin(), v.end(), search_potential.begin());
      settled.clear();
      std::ptrdiff_t i = f;
      work offset = 0;  // distance of row i minus u[i]; u[f] is taken as 0
      std::size_t end = 0;
      work delta = 0;
      std::size_t active = 0;  // size of `open` once the search has switched to it
      for (;;) {
        const Scalar* r = row(i);
        const bool* m = mask_row(i);
        work best = infinity;
        std::size_t best_j = n;
        // Relaxes column j from row i and keeps the nearest open column; among equal distances
        // a free column wins, since it ends the search.
        const auto relax = [&](std::size_t j) {
          const work candidate = allowed(m, static_cast<std::ptrdiff_t>(j)) ? offset + cost(r[j]) - pot[j] : infinity;
          const work old = dist[j];
          const bool better = candidate < old;
          const work now = better ? candidate : old;
          dist[j] = now;
          from[j] = better ? i : from[j];
          const bool wins = now < best || (now == best && owner[j] < 0);
          best = wins ? now : best;
          best_j = wins ? j : best_j;
        };
        if (active == 0 && settled.size() * 8 >= n) {
          // A long search: from here on, scan only the columns still open.
          for (std::size_t j = 0; j < n; ++j)
            if (!(pot[j] == settled_mark)) open[active++] = j;
        }
        std::size_t best_k = 0;  // position of best_j in `open`
        if (active == 0) {
          for (std::size_t j = 0; j < n; ++j) relax(j);
        } else {
          for (std::size_t k = 0; k < active; ++k) {
            const std::size_t j = open[k];
            relax(j);
            best_k = best_j == j ? k : best_k;
          }
        }
        if (best_j == n || !finite(best)) return false;  // no free column reachable
        settled.emplace_back(best_j, best);
        dist[best_j] = infinity;
        pot[best_j] = settled_mark;
        if (active > 0) open[best_k] = open[--active];
        if (owner[best_j] < 0) {
          end = best_j;
          delta = best;
          break;
        }
        i = owner[best_j];
        offset = best - (cost(row(i)[best_j]) - v[best_j]);
      }
      for (const auto& [j, dj] : settled) v[j] += dj - delta;
      auto j = static_cast<std::ptrdiff_t>(end);
      for (;;) {
        const std::ptrdiff_t previous = pred[static_cast<std::size_t>(j)];
        y[static_cast<std::size_t>(j)] = previous;
        std::swap(j, x[static_cast<std::size_t>(previous)]);
        if (previous == f) break;
      }
    }
    return true;
  }
};

/// Solves the rows <= cols problem and fills `result` in the orientation of `weights`.
template <MatchingScalar Scalar>
void solve_wide(const weight_matrix_ref<Scalar>& weights, const bool* mask, Eigen::Index mask_stride, objective sense,
                std::vector<std::ptrdiff_t>& x, std::vector<std::ptrdiff_t>& y,
                std::vector<typename matching_arithmetic<Scalar>::work>& v, bool& feasible) {
  const auto run = [&]<bool Negate, bool Masked>() {
    jonker_volgenant<Scalar, Negate, Masked> solver(weights.data(), weights.outerStride(), weights.rows(),
                                                    weights.cols(), mask, mask_stride);
    feasible = solver.solve(x, y, v);
  };
  const bool negate = sense == objective::maximise;
  if (mask != nullptr) {
    if (negate)
      run.template operator()<true, true>();
    else
      run.template operator()<false, true>();
  } else {
    if (negate)
      run.template operator()<true, false>();
    else
      run.template operator()<false, false>();
  }
}

template <MatchingScalar Scalar>
assignment_result<Scalar> solve_assignment_oriented(const weight_matrix_ref<Scalar>& weights,
                                                    const allowed_mask_ref* allowed, objective sense, bool transposed) {
  using work = typename matching_arithmetic<Scalar>::work;
  validate_weights<Scalar>(weights, allowed ? allowed->data() : nullptr, allowed ? allowed->outerStride() : 0, sense,
                           "weights", transposed);
  const Eigen::Index rows = weights.rows(), cols = weights.cols();
  assignment_result<Scalar> result;
  std::vector<std::ptrdiff_t> x, y;
  std::vector<work> v;
  bool feasible = true;
  if (rows > 0) {
    solve_wide<Scalar>(weights, allowed ? allowed->data() : nullptr, allowed ? allowed->outerStride() : 0, sense, x, y,
                       v, feasible);
  } else {
    y.assign(static_cast<std::size_t>(cols), -1);
    v.assign(static_cast<std::size_t>(cols), work{0});
  }
  auto& row_map = transposed ? result.row_of_column : result.column_of_row;
  auto& col_map = transposed ? result.column_of_row : result.row_of_column;
  if (!feasible) {
    result.status = matching_status::infeasible;
    row_map.assign(static_cast<std::size_t>(rows), -1);
    col_map.assign(static_cast<std::size_t>(cols), -1);
    return result;
  }
  std::vector<work> u(static_cast<std::size_t>(rows));
  work total = 0;
  for (Eigen::Index i = 0; i < rows; ++i) {
    const auto j = static_cast<std::size_t>(x[static_cast<std::size_t>(i)]);
    const work w = static_cast<work>(weights.data()[i * weights.outerStride() + static_cast<Eigen::Index>(j)]);
    total += w;
    // u[i] = c(i, x[i]) - v[x[i]] in the minimisation's terms.
    u[static_cast<std::size_t>(i)] = (sense == objective::maximise ? -w : w) - v[j];
  }
  if constexpr (matching_arithmetic<Scalar>::exact) {
    // A square problem's duals may shift by a constant (u + t, v - t). Centring both sides on one
    // value keeps exact potentials inside int64 whenever the spread of each side allows it.
    if (rows == cols && rows > 0) {
      const auto [u_lo, u_hi] = std::minmax_element(u.begin(), u.end());
      const auto [v_lo, v_hi] = std::minmax_element(v.begin(), v.end());
      const work shift = ((*v_lo + *v_hi) - (*u_lo + *u_hi)) / 4;
      for (auto& p : u) p += shift;
      for (auto& p : v) p -= shift;
    }
  }
  const auto publish = [&](const std::vector<work>& internal, std::vector<matching_value_t<Scalar>>& out) {
    out.resize(internal.size());
    for (std::size_t k = 0; k < internal.size(); ++k)
      out[k] =
          to_matching_value<Scalar>(sense == objective::maximise ? -internal[k] : internal[k], "assignment potentials");
  };
  publish(u, transposed ? result.v : result.u);
  publish(v, transposed ? result.u : result.v);
  result.value = to_matching_value<Scalar>(total, "assignment value");
  row_map = std::move(x);
  col_map = std::move(y);
  return result;
}

}  // namespace detail

/// Solves the assignment problem on a dense m x n matrix: min(m, n) pairs, each row and each
/// column used at most once, every line of the smaller side used, total weight optimal.
/// Forbidden pairs: +inf entries when minimising, -inf when maximising (floating weights).
/// Throws bad_input on NaN (naming the entry), on the other infinity, or on a finite magnitude
/// above 1e300. An empty matrix has the empty assignment as its optimum.
template <class Derived>
[[nodiscard]] assignment_result<typename Derived::Scalar> solve_assignment(const Eigen::MatrixBase<Derived>& weights,
                                                                           objective sense = objective::minimise) {
  using Scalar = typename Derived::Scalar;
  detail::check_matching_types<Scalar>();
  if (weights.rows() <= weights.cols())
    return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.derived()), nullptr, sense,
                                                     false);
  return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.transpose()), nullptr, sense,
                                                   true);
}

/// As above, with forbidden pairs given by a mask of the same shape (true = allowed). The only
/// way to forbid pairs of an integer matrix; entries under a false mask are ignored (even NaN).
template <class Derived, class MaskDerived>
[[nodiscard]] assignment_result<typename Derived::Scalar> solve_assignment(
    const Eigen::MatrixBase<Derived>& weights, const Eigen::MatrixBase<MaskDerived>& allowed,
    objective sense = objective::minimise) {
  using Scalar = typename Derived::Scalar;
  detail::check_matching_types<Scalar, typename MaskDerived::Scalar>();
  detail::require(allowed.rows() == weights.rows() && allowed.cols() == weights.cols(), "allowed",
                  std::to_string(allowed.rows()) + " x " + std::to_string(allowed.cols()),
                  "must have the shape of weights (" + std::to_string(weights.rows()) + " x " +
                      std::to_string(weights.cols()) + ")");
  if (weights.rows() <= weights.cols()) {
    const allowed_mask_ref mask(allowed.derived());
    return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.derived()), &mask, sense, false);
  }
  const allowed_mask_ref mask(allowed.transpose());
  return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.transpose()), &mask, sense, true);
}

EVMARKET_END_NAMESPACE
