#pragma once
/// @file
/// The linear assignment problem (Kuhn-Munkres), dense and rectangular: match every row of the
/// smaller side of an m x n weight matrix to a distinct column of the other side at minimum (or
/// maximum) total weight. Solved by Jonker-Volgenant shortest augmenting paths in O(n^3): column
/// reduction and augmenting row reduction to start, then one Dijkstra search per remaining line.
///
/// Layouts read in place: row-major of any shape, and column-major when rows > columns (its
/// transpose is then row-major), including blocks and Maps with an outer stride; any other layout
/// costs one temporary copy of the matrix. A tall row-major matrix is solved as it lies (each
/// search starts from all free rows), never transposed. Working memory is O(m + n) (plus 8 slots
/// per column for tall matrices); assignment_solver keeps it between solves.

#include <evmarket/detail/jonker_volgenant.hpp>
#include <evmarket/detail/matching_scalar.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
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

/// Runs the engine on a row-major matrix (either orientation); false when infeasible.
template <MatchingScalar Scalar>
bool run_jonker_volgenant(const weight_matrix_ref<Scalar>& weights, const bool* mask, Eigen::Index mask_stride,
                          objective sense, assignment_workspace<typename matching_arithmetic<Scalar>::work>& ws,
                          const weight_validation* check) {
  bool feasible = true;
  const auto run = [&]<bool Negate, bool Masked>() {
    jonker_volgenant<Scalar, Negate, Masked> solver(weights.data(), weights.outerStride(), weights.rows(),
                                                    weights.cols(), mask, mask_stride, ws, check);
    feasible = solver.solve();
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
  return feasible;
}

/// Solves `weights` and fills the result in the caller's orientation (`transposed`: the caller's
/// matrix is the transpose of `weights`).
template <MatchingScalar Scalar>
assignment_result<Scalar> solve_assignment_oriented(
    const weight_matrix_ref<Scalar>& weights, const allowed_mask_ref* allowed, objective sense, bool transposed,
    assignment_workspace<typename matching_arithmetic<Scalar>::work>& ws) {
  using work = typename matching_arithmetic<Scalar>::work;
  const bool* const mask = allowed ? allowed->data() : nullptr;
  const Eigen::Index mask_stride = allowed ? allowed->outerStride() : 0;
  const Eigen::Index rows = weights.rows(), cols = weights.cols();
  // Validation rides on the engine's first pass when it reads every row anyway; else it is a pass
  // of its own. Either way nothing is published before the whole matrix has been checked.
  const weight_validation how{sense, "weights", transposed};
  const bool validated_by_engine =
      rows > 0 && cols > 0 && jonker_volgenant<Scalar, false, false>::reads_every_row_first(rows, cols);
  if (!validated_by_engine) validate_weights<Scalar>(weights, mask, mask_stride, sense, "weights", transposed);
  assignment_result<Scalar> result;
  bool feasible = true;
  if (rows > 0 && cols > 0) {
    feasible =
        run_jonker_volgenant<Scalar>(weights, mask, mask_stride, sense, ws, validated_by_engine ? &how : nullptr);
  } else {
    ws.x.assign(static_cast<std::size_t>(rows), -1);
    ws.y.assign(static_cast<std::size_t>(cols), -1);
    ws.v.assign(static_cast<std::size_t>(cols), work{0});
  }
  auto& row_map = transposed ? result.row_of_column : result.column_of_row;
  auto& col_map = transposed ? result.column_of_row : result.row_of_column;
  if (!feasible) {
    result.status = matching_status::infeasible;
    row_map.assign(static_cast<std::size_t>(rows), -1);
    col_map.assign(static_cast<std::size_t>(cols), -1);
    return result;
  }
  const auto& x = ws.x;
  const auto& v = ws.v;
  std::vector<work> u(static_cast<std::size_t>(rows), work{0});  // 0 on an unassigned row
  work total = 0;
  for (Eigen::Index i = 0; i < rows; ++i) {
    const std::ptrdiff_t assigned = x[static_cast<std::size_t>(i)];
    if (assigned < 0) continue;
    const auto j = static_cast<std::size_t>(assigned);
    const work w = static_cast<work>(weights.data()[i * weights.outerStride() + static_cast<Eigen::Index>(j)]);
    total += w;
    // u[i] = c(i, x[i]) - v[x[i]] in the minimisation's terms.
    u[static_cast<std::size_t>(i)] = (sense == objective::maximise ? -w : w) - v[j];
  }
  std::vector<work> column_potentials(v.begin(), v.end());
  if constexpr (matching_arithmetic<Scalar>::exact) {
    // A square problem's duals may shift by a constant (u + t, v - t). Centring both sides on one
    // value keeps exact potentials inside int64 whenever the spread of each side allows it.
    if (rows == cols && rows > 0) {
      const auto [u_lo, u_hi] = std::minmax_element(u.begin(), u.end());
      const auto [v_lo, v_hi] = std::minmax_element(column_potentials.begin(), column_potentials.end());
      const work shift = ((*v_lo + *v_hi) - (*u_lo + *u_hi)) / 4;
      for (auto& p : u) p += shift;
      for (auto& p : column_potentials) p -= shift;
    }
  }
  const auto publish = [&](const std::vector<work>& internal, std::vector<matching_value_t<Scalar>>& out) {
    out.resize(internal.size());
    for (std::size_t k = 0; k < internal.size(); ++k)
      out[k] =
          to_matching_value<Scalar>(sense == objective::maximise ? -internal[k] : internal[k], "assignment potentials");
  };
  publish(u, transposed ? result.v : result.u);
  publish(column_potentials, transposed ? result.u : result.v);
  result.value = to_matching_value<Scalar>(total, "assignment value");
  row_map.assign(x.begin(), x.end());
  col_map.assign(ws.y.begin(), ws.y.end());
  return result;
}

/// Checks a mask's shape against the weights'.
template <class Derived, class MaskDerived>
void require_mask_shape(const Eigen::MatrixBase<Derived>& weights, const Eigen::MatrixBase<MaskDerived>& allowed) {
  require(allowed.rows() == weights.rows() && allowed.cols() == weights.cols(), "allowed",
          std::to_string(allowed.rows()) + " x " + std::to_string(allowed.cols()),
          "must have the shape of weights (" + std::to_string(weights.rows()) + " x " + std::to_string(weights.cols()) +
              ")");
}

}  // namespace detail

/// A reusable assignment solver: solve() as the free function solve_assignment, but the working
/// memory (O(m + n)) stays allocated between calls, so a caller solving one problem after another
/// neither allocates nor faults in fresh pages. Not thread-safe; one solver per thread.
template <MatchingScalar Scalar>
class assignment_solver {
 public:
  /// Solves the assignment problem on `weights`; see solve_assignment.
  template <class Derived>
  [[nodiscard]] assignment_result<Scalar> solve(const Eigen::MatrixBase<Derived>& weights,
                                                objective sense = objective::minimise) {
    detail::check_matching_types<typename Derived::Scalar>();
    static_assert(std::is_same_v<typename Derived::Scalar, Scalar>,
                  "assignment_solver<Scalar>::solve: the weights' scalar must be the solver's; cast the matrix");
    if (weights.rows() <= weights.cols() || Derived::IsRowMajor)
      return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.derived()), nullptr, sense,
                                                       false, workspace_);
    return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.transpose()), nullptr, sense,
                                                     true, workspace_);
  }

  /// As above, with forbidden pairs given by a mask of the same shape (true = allowed).
  template <class Derived, class MaskDerived>
  [[nodiscard]] assignment_result<Scalar> solve(const Eigen::MatrixBase<Derived>& weights,
                                                const Eigen::MatrixBase<MaskDerived>& allowed,
                                                objective sense = objective::minimise) {
    detail::check_matching_types<typename Derived::Scalar, typename MaskDerived::Scalar>();
    static_assert(std::is_same_v<typename Derived::Scalar, Scalar>,
                  "assignment_solver<Scalar>::solve: the weights' scalar must be the solver's; cast the matrix");
    detail::require_mask_shape(weights, allowed);
    if (weights.rows() <= weights.cols() || Derived::IsRowMajor) {
      const allowed_mask_ref mask(allowed.derived());
      return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.derived()), &mask, sense,
                                                       false, workspace_);
    }
    const allowed_mask_ref mask(allowed.transpose());
    return detail::solve_assignment_oriented<Scalar>(weight_matrix_ref<Scalar>(weights.transpose()), &mask, sense, true,
                                                     workspace_);
  }

 private:
  detail::assignment_workspace<typename detail::matching_arithmetic<Scalar>::work> workspace_;
};

/// Solves the assignment problem on a dense m x n matrix: min(m, n) pairs, each row and each
/// column used at most once, every line of the smaller side used, total weight optimal.
/// Forbidden pairs: +inf entries when minimising, -inf when maximising (floating weights).
/// Throws bad_input on NaN (naming the entry), on the other infinity, or on a finite magnitude
/// above 1e300. An empty matrix has the empty assignment as its optimum.
template <class Derived>
[[nodiscard]] assignment_result<typename Derived::Scalar> solve_assignment(const Eigen::MatrixBase<Derived>& weights,
                                                                           objective sense = objective::minimise) {
  detail::check_matching_types<typename Derived::Scalar>();
  return assignment_solver<typename Derived::Scalar>{}.solve(weights, sense);
}

/// As above, with forbidden pairs given by a mask of the same shape (true = allowed). The only
/// way to forbid pairs of an integer matrix; entries under a false mask are ignored (even NaN).
template <class Derived, class MaskDerived>
[[nodiscard]] assignment_result<typename Derived::Scalar> solve_assignment(
    const Eigen::MatrixBase<Derived>& weights, const Eigen::MatrixBase<MaskDerived>& allowed,
    objective sense = objective::minimise) {
  detail::check_matching_types<typename Derived::Scalar, typename MaskDerived::Scalar>();
  return assignment_solver<typename Derived::Scalar>{}.solve(weights, allowed, sense);
}

EVMARKET_END_NAMESPACE
