#pragma once
/// @file
/// The GLPK backend of LpBackend (GNU Linear Programming Kit, GPL-3: part of evmarket::lp only).
/// It solves with the dual simplex method (falling back to the primal when the dual fails),
/// restarts from the previous basis after every edit, prints nothing, and turns every GLPK
/// failure into evmarket::solver_failure.

#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/core/error.hpp>

#include <glpk.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// GLPK behind the LpBackend concept. Move-only; each object owns one glp_prob.
class glpk_backend {
public:
  /// An empty problem, set up for the dual simplex method with GLPK's output off.
  glpk_backend() : problem_(glp_create_prob()) {
    if (!problem_) throw solver_failure("GLPK could not create a problem object");
    glp_set_obj_dir(problem_.get(), GLP_MIN);
    glp_init_smcp(&parameters_);
    parameters_.msg_lev = GLP_MSG_OFF;
    parameters_.meth = GLP_DUALP;
    parameters_.presolve = GLP_OFF;  // the presolver would discard the warm-start basis
  }

  /// A new, empty problem with `columns` free columns and a zero objective.
  void reset(std::size_t columns) {
    problem_.reset(glp_create_prob());
    if (!problem_) throw solver_failure("GLPK could not create a problem object");
    glp_set_obj_dir(problem_.get(), GLP_MIN);
    if (columns > 0) glp_add_cols(problem_.get(), to_int(columns));
    for (std::size_t j = 0; j < columns; ++j) glp_set_col_bnds(problem_.get(), to_int(j + 1), GLP_FR, 0.0, 0.0);
    columns_ = columns;
  }

  /// Bounds of column j (+-lp_unbounded for none).
  void set_column_bounds(std::size_t column, double lower, double upper) {
    check_column(column);
    glp_set_col_bnds(problem_.get(), to_int(column + 1), bound_type(lower, upper), finite_or_zero(lower), finite_or_zero(upper));
  }

  /// Objective coefficient of column j.
  void set_objective(std::size_t column, double coefficient) {
    check_column(column);
    glp_set_obj_coef(problem_.get(), to_int(column + 1), coefficient);
  }

  /// Appends the row lower <= sum values[k] x[indices[k]] <= upper; returns its index. A new row
  /// enters the basis, so the previous basis stays valid (dual simplex resumes from it).
  std::size_t add_row(std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) {
    check_row_input(indices, values, lower, upper);  // before the row exists: a refused row leaves no trace
    const int row = glp_add_rows(problem_.get(), 1);
    write_row(row, indices, values, lower, upper);
    return static_cast<std::size_t>(row - 1);
  }

  /// Replaces the coefficients and bounds of row i (its basis status is kept).
  void set_row(std::size_t row, std::span<const std::size_t> indices, std::span<const double> values, double lower,
               double upper) {
    check_row(row);
    write_row(to_int(row + 1), indices, values, lower, upper);
  }

  /// Deletes the listed rows; the others keep their order (and are renumbered from 0).
  void delete_rows(std::span<const std::size_t> rows) {
    if (rows.empty()) return;
    std::vector<int> numbers(rows.size() + 1, 0);  // GLPK arrays are 1-based
    for (std::size_t k = 0; k < rows.size(); ++k) {
      check_row(rows[k]);
      numbers[k + 1] = to_int(rows[k] + 1);
    }
    // GLPK aborts the process on a repeated row number, so repeats are refused here.
    std::vector<int> sorted(numbers.begin() + 1, numbers.end());
    std::sort(sorted.begin(), sorted.end());
    if (const auto repeat = std::adjacent_find(sorted.begin(), sorted.end()); repeat != sorted.end())
      throw solver_failure("LP row " + std::to_string(*repeat - 1) + " listed twice for deletion");
    glp_del_rows(problem_.get(), to_int(rows.size()), numbers.data());
  }

  /// Solves from the current basis. A basis GLPK cannot factorise is replaced by an advanced
  /// initial basis once; anything else that goes wrong throws solver_failure.
  lp_status solve() {
    int code = glp_simplex(problem_.get(), &parameters_);
    if (code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND || code == GLP_EFAIL ||
        (code == 0 && glp_get_status(problem_.get()) == GLP_UNDEF)) {
      const int previous = glp_term_out(GLP_OFF);  // glp_adv_basis reports to the terminal
      glp_adv_basis(problem_.get(), 0);
      glp_term_out(previous);
      code = glp_simplex(problem_.get(), &parameters_);
    }
    if (code != 0) throw solver_failure("GLPK glp_simplex failed with code " + std::to_string(code));
    switch (glp_get_status(problem_.get())) {
      case GLP_OPT: return lp_status::optimal;
      case GLP_NOFEAS: return lp_status::infeasible;
      case GLP_UNBND: return lp_status::unbounded;
      default: throw solver_failure("GLPK glp_simplex ended without an optimal basis (status " +
                                    std::to_string(glp_get_status(problem_.get())) + ")");
    }
  }

  /// Number of rows.
  [[nodiscard]] std::size_t rows() const { return static_cast<std::size_t>(glp_get_num_rows(problem_.get())); }
  /// Objective value of the last solution.
  [[nodiscard]] double objective_value() const { return glp_get_obj_val(problem_.get()); }
  /// Primal value of column j.
  [[nodiscard]] double column_value(std::size_t column) const { return glp_get_col_prim(problem_.get(), to_int(column + 1)); }
  /// Reduced cost of column j.
  [[nodiscard]] double column_dual(std::size_t column) const { return glp_get_col_dual(problem_.get(), to_int(column + 1)); }
  /// Dual value of row i.
  [[nodiscard]] double row_dual(std::size_t row) const { return glp_get_row_dual(problem_.get(), to_int(row + 1)); }
  /// True when row i's auxiliary variable is basic (the row is not binding).
  [[nodiscard]] bool row_is_basic(std::size_t row) const { return glp_get_row_stat(problem_.get(), to_int(row + 1)) == GLP_BS; }

private:
  struct deleter {
    void operator()(glp_prob* problem) const noexcept { glp_delete_prob(problem); }
  };

  static int to_int(std::size_t value) {
    if (value > static_cast<std::size_t>(INT_MAX)) throw solver_failure("LP too large for GLPK's int indices");
    return static_cast<int>(value);
  }
  static int bound_type(double lower, double upper) {
    const bool has_lower = std::isfinite(lower), has_upper = std::isfinite(upper);
    if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
    if (has_lower) return GLP_LO;
    if (has_upper) return GLP_UP;
    return GLP_FR;
  }
  static double finite_or_zero(double bound) { return std::isfinite(bound) ? bound : 0.0; }

  // GLPK aborts the process on invalid arguments, so they are caught here first.
  void check_column(std::size_t column) const {
    if (column >= columns_) throw solver_failure("LP column " + std::to_string(column) + " does not exist");
  }
  void check_row(std::size_t row) const {
    if (row >= rows()) throw solver_failure("LP row " + std::to_string(row) + " does not exist");
  }
  void check_row_input(std::span<const std::size_t> indices, std::span<const double> values, double lower,
                       double upper) const {
    if (indices.size() != values.size())
      throw solver_failure("LP row with mismatched index and value counts: " + std::to_string(indices.size()) +
                           " indices, " + std::to_string(values.size()) + " values");
    if (std::isfinite(lower) && std::isfinite(upper) && lower > upper)
      throw solver_failure("LP row with lower > upper bound: " + detail::describe(lower) + " > " +
                           detail::describe(upper));
    for (const std::size_t column : indices) check_column(column);
  }
  void write_row(int row, std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) {
    check_row_input(indices, values, lower, upper);
    index_buffer_.assign(indices.size() + 1, 0);
    value_buffer_.assign(values.size() + 1, 0.0);
    for (std::size_t k = 0; k < indices.size(); ++k) {
      check_column(indices[k]);
      index_buffer_[k + 1] = to_int(indices[k] + 1);
      value_buffer_[k + 1] = values[k];
    }
    glp_set_mat_row(problem_.get(), row, to_int(indices.size()), index_buffer_.data(), value_buffer_.data());
    glp_set_row_bnds(problem_.get(), row, bound_type(lower, upper), finite_or_zero(lower), finite_or_zero(upper));
  }

  std::unique_ptr<glp_prob, deleter> problem_;
  glp_smcp parameters_{};
  std::size_t columns_ = 0;
  std::vector<int> index_buffer_;
  std::vector<double> value_buffer_;
};

static_assert(LpBackend<glpk_backend>, "glpk_backend must model LpBackend");

EVMARKET_END_NAMESPACE
