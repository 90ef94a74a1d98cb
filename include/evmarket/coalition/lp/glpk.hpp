#pragma once
/// @file
/// The GLPK backend of LpBackend (GNU Linear Programming Kit, GPL-3: part of evmarket::lp only).
/// It solves with the dual simplex method (falling back to an advanced basis when the basis
/// breaks down), restarts from the previous basis after every edit, prints nothing unless asked,
/// and turns every GLPK failure, internal errors included, into evmarket::solver_failure.

#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/detail/coalition_glpk_guard.hpp>

#include <glpk.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Options of the GLPK backend.
struct glpk_options {
  /// Let GLPK print to the terminal (its simplex log and messages). A library prints nothing by
  /// default; this is for debugging a model.
  bool terminal_output = false;
};

/// GLPK behind the LpBackend concept. Neither copyable nor movable; each object owns one glp_prob.
///
/// Never aborts: every GLPK internal error becomes solver_failure naming the step (see
/// detail/coalition_glpk_guard.hpp). Such an error frees the calling thread's GLPK environment, as
/// GLPK's manual requires, and with it every GLPK object of that thread, including those of other
/// glpk_backend objects (which then throw solver_failure until reset()) and any the host created
/// directly with GLPK on that thread. Later solves work.
///
/// Threads: GLPK keeps one environment per thread (verified for Debian 12's GLPK 5.0), so distinct
/// objects may be used on distinct threads at once without a lock. An object belongs to the
/// thread that created it (GLPK allocates its memory from that thread's environment); using it
/// on another thread throws solver_failure. When a thread's last glpk_backend goes and GLPK holds
/// no other memory there, the thread's environment is freed, so threads do not leak it.
class glpk_backend {
public:
  /// An empty problem, set up for the dual simplex method; GLPK's output is off unless asked for.
  explicit glpk_backend(glpk_options options = {}) : options_(options) {
    parameters_.msg_lev = GLP_MSG_OFF;
    run("glp_create_prob", [&] {
      glp_init_smcp(&parameters_);
      problem_ = glp_create_prob();
      glp_set_obj_dir(problem_, GLP_MIN);
    });
    adopt();
    parameters_.msg_lev = options_.terminal_output ? GLP_MSG_ON : GLP_MSG_OFF;
    parameters_.meth = GLP_DUALP;
    parameters_.presolve = GLP_OFF;  // the presolver would discard the warm-start basis
  }
  glpk_backend(const glpk_backend&) = delete;
  glpk_backend& operator=(const glpk_backend&) = delete;
  ~glpk_backend() { release(true); }

  /// A new, empty problem with `columns` free columns and a zero objective.
  void reset(std::size_t columns) {
    const int count = to_int(columns);
    release(false);
    run("reset (glp_create_prob)", [&] {
      problem_ = glp_create_prob();
      glp_set_obj_dir(problem_, GLP_MIN);
      if (count > 0) glp_add_cols(problem_, count);
      for (int j = 1; j <= count; ++j) glp_set_col_bnds(problem_, j, GLP_FR, 0.0, 0.0);
    });
    adopt();
    columns_ = columns;
  }

  /// Bounds of column j (+-lp_unbounded for none).
  void set_column_bounds(std::size_t column, double lower, double upper) {
    check_column(column);
    glp_prob* p = live();
    const int j = to_int(column + 1), type = bound_type(lower, upper);
    const double lo = finite_or_zero(lower), up = finite_or_zero(upper);
    run("set_column_bounds (glp_set_col_bnds)", [&] { glp_set_col_bnds(p, j, type, lo, up); });
  }

  /// Objective coefficient of column j.
  void set_objective(std::size_t column, double coefficient) {
    check_column(column);
    glp_prob* p = live();
    const int j = to_int(column + 1);
    run("set_objective (glp_set_obj_coef)", [&] { glp_set_obj_coef(p, j, coefficient); });
  }

  /// Appends the row lower <= sum values[k] x[indices[k]] <= upper; returns its index. A new row
  /// enters the basis, so the previous basis stays valid (dual simplex resumes from it).
  std::size_t add_row(std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) {
    prepare_row(indices, values, lower, upper);
    glp_prob* p = live();
    int row = 0;
    run("add_row (glp_add_rows, glp_set_mat_row)", [&] {
      row = glp_add_rows(p, 1);
      write_row(p, row);
    });
    return static_cast<std::size_t>(row - 1);
  }

  /// Replaces the coefficients and bounds of row i (its basis status is kept).
  void set_row(std::size_t row, std::span<const std::size_t> indices, std::span<const double> values, double lower,
               double upper) {
    check_row(row);
    prepare_row(indices, values, lower, upper);
    glp_prob* p = live();
    const int i = to_int(row + 1);
    run("set_row (glp_set_mat_row)", [&] { write_row(p, i); });
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
    glp_prob* p = live();
    const int count = to_int(rows.size());
    const int* which = numbers.data();
    run("delete_rows (glp_del_rows)", [&] { glp_del_rows(p, count, which); });
  }

  /// Solves from the current basis. A basis GLPK cannot factorise is replaced by an advanced
  /// initial basis once; anything else that goes wrong throws solver_failure.
  lp_status solve() {
    glp_prob* p = live();
    const glp_smcp* parameters = &parameters_;
    int code = 0, status = 0;
    run("solve (glp_simplex)", [&] {
      code = glp_simplex(p, parameters);
      if (code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND || code == GLP_EFAIL ||
          (code == 0 && glp_get_status(p) == GLP_UNDEF)) {
        glp_adv_basis(p, 0);
        code = glp_simplex(p, parameters);
      }
      status = glp_get_status(p);
    });
    if (code != 0) throw solver_failure("GLPK glp_simplex failed with code " + std::to_string(code));
    switch (status) {
      case GLP_OPT: return lp_status::optimal;
      case GLP_NOFEAS: return lp_status::infeasible;
      case GLP_UNBND: return lp_status::unbounded;
      default: throw solver_failure("GLPK glp_simplex ended without an optimal basis (status " + std::to_string(status) + ")");
    }
  }

  // The queries below cannot fail inside GLPK once the row or column exists.
  /// Number of rows.
  [[nodiscard]] std::size_t rows() const { return static_cast<std::size_t>(glp_get_num_rows(live())); }
  /// Objective value of the last solution.
  [[nodiscard]] double objective_value() const { return glp_get_obj_val(live()); }
  /// Primal value of column j.
  [[nodiscard]] double column_value(std::size_t column) const {
    check_column(column);
    return glp_get_col_prim(live(), to_int(column + 1));
  }
  /// Reduced cost of column j.
  [[nodiscard]] double column_dual(std::size_t column) const {
    check_column(column);
    return glp_get_col_dual(live(), to_int(column + 1));
  }
  /// Dual value of row i.
  [[nodiscard]] double row_dual(std::size_t row) const {
    check_row(row);
    return glp_get_row_dual(live(), to_int(row + 1));
  }
  /// True when row i's auxiliary variable is basic (the row is not binding).
  [[nodiscard]] bool row_is_basic(std::size_t row) const {
    check_row(row);
    return glp_get_row_stat(live(), to_int(row + 1)) == GLP_BS;
  }

private:
  // Runs GLPK calls under the error hook; a GLPK failure becomes solver_failure naming the step.
  template <class Step>
  void run(const char* step_name, Step step) const {
    detail::glpk_guard_state& guard = detail::glpk_guard();
    guard.print = options_.terminal_output;
    if (!detail::glpk_guarded(guard, step)) {
      std::string said(guard.message, guard.length);
      while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
      for (char& c : said)
        if (c == '\n') c = ' ';
      throw solver_failure(std::string("GLPK failed in ") + step_name + ": " + said);
    }
  }

  // Counts the problem just created as this thread's and remembers the environment it lives in.
  void adopt() {
    detail::glpk_guard_state& guard = detail::glpk_guard();
    owner_ = std::this_thread::get_id();
    generation_ = guard.generation;
    ++guard.live_problems;
  }

  // Deletes the problem if it still exists; with `last_use`, also frees the thread's environment
  // when nothing is left in it.
  void release(bool last_use) noexcept {
    if (problem_ == nullptr || owner_ != std::this_thread::get_id()) return;  // another thread's memory: leave it
    detail::glpk_guard_state& guard = detail::glpk_guard();
    glp_prob* p = problem_;
    problem_ = nullptr;
    if (generation_ != guard.generation) return;  // freed with the environment after an error
    auto erase = [&] {
      glp_delete_prob(p);
      if (--guard.live_problems == 0 && last_use) {
        int blocks = 0;
        glp_mem_usage(&blocks, nullptr, nullptr, nullptr);
        if (blocks == 0) glp_free_env();  // nothing of the host's in it either
      }
    };
    detail::glpk_guarded(guard, erase);
  }

  // The problem, checked to be usable on this thread.
  glp_prob* live() const {
    if (owner_ != std::this_thread::get_id())
      throw solver_failure("a glpk_backend must be used on the thread that created it (GLPK's memory is per thread)");
    if (problem_ == nullptr || generation_ != detail::glpk_guard().generation)
      throw solver_failure("the GLPK problem was freed with the environment after an earlier GLPK error; call reset()");
    return problem_;
  }

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

  // GLPK aborts the process on invalid arguments, so the ones it would reject are caught here
  // first (what slips through is still caught by the error hook).
  void check_column(std::size_t column) const {
    if (column >= columns_) throw solver_failure("LP column " + std::to_string(column) + " does not exist");
  }
  void check_row(std::size_t row) const {
    if (row >= rows()) throw solver_failure("LP row " + std::to_string(row) + " does not exist");
  }
  // Fills the 1-based buffers GLPK reads a row from, after checking the row (so a refused row
  // leaves no trace in the problem).
  void prepare_row(std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) {
    if (indices.size() != values.size())
      throw solver_failure("LP row with mismatched index and value counts: " + std::to_string(indices.size()) +
                           " indices, " + std::to_string(values.size()) + " values");
    if (std::isfinite(lower) && std::isfinite(upper) && lower > upper)
      throw solver_failure("LP row with lower > upper bound: " + detail::describe(lower) + " > " +
                           detail::describe(upper));
    index_buffer_.assign(indices.size() + 1, 0);
    value_buffer_.assign(values.size() + 1, 0.0);
    for (std::size_t k = 0; k < indices.size(); ++k) {
      check_column(indices[k]);
      index_buffer_[k + 1] = to_int(indices[k] + 1);
      value_buffer_[k + 1] = values[k];
    }
    row_length_ = to_int(indices.size());
    row_type_ = bound_type(lower, upper);
    row_lower_ = finite_or_zero(lower);
    row_upper_ = finite_or_zero(upper);
  }
  // GLPK calls only: runs inside the guard.
  void write_row(glp_prob* p, int row) const noexcept {
    glp_set_mat_row(p, row, row_length_, index_buffer_.data(), value_buffer_.data());
    glp_set_row_bnds(p, row, row_type_, row_lower_, row_upper_);
  }

  glpk_options options_;
  glp_prob* problem_ = nullptr;
  std::thread::id owner_;
  std::uint64_t generation_ = 0;
  glp_smcp parameters_{};
  std::size_t columns_ = 0;
  std::vector<int> index_buffer_;
  std::vector<double> value_buffer_;
  int row_length_ = 0, row_type_ = GLP_FR;
  double row_lower_ = 0, row_upper_ = 0;
};

static_assert(LpBackend<glpk_backend>, "glpk_backend must model LpBackend");

EVMARKET_END_NAMESPACE
