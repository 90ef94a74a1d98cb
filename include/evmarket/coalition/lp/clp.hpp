#pragma once
/// @file
/// The COIN-OR Clp backend of LpBackend (EPL-2.0: part of evmarket::clp, no GPL code). It solves
/// with Clp's dual simplex method (falling back to the primal when the dual gives up), restarts
/// from the previous basis after every edit, prints nothing, and turns every Clp failure into
/// evmarket::solver_failure.
///
/// Threads: each clp_backend owns its own ClpSimplex, and distinct objects may be used on distinct
/// threads at once. Checked on Debian 12's libClp 1.17.6: the only writable globals it exports are
/// CoinDrand48's seed (read by ClpSimplexNonlinear only), an assertion-trace pointer and one unused
/// double; the simplex code paths used here touch none of them. One object is not thread-safe.

#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/core/error.hpp>

#include <ClpSimplex.hpp>
#include <CoinError.hpp>
#include <CoinFinite.hpp>

#include <climits>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Clp behind the LpBackend concept. Neither copyable nor movable; each object owns one ClpSimplex.
class clp_backend {
public:
  /// An empty problem; Clp's log is off.
  clp_backend() { quiet(); }
  clp_backend(const clp_backend&) = delete;
  clp_backend& operator=(const clp_backend&) = delete;

  /// A new, empty problem with `columns` free columns and a zero objective.
  void reset(std::size_t columns) {
    guarded("reset", [&] {
      model_ = ClpSimplex();
      quiet();
      model_.resize(0, to_int(columns));
      for (std::size_t j = 0; j < columns; ++j) model_.setColumnBounds(to_int(j), -COIN_DBL_MAX, COIN_DBL_MAX);
    });
    columns_ = columns;
    pending_ = {};
    padding_ = false;
  }

  /// Bounds of column j (+-lp_unbounded for none).
  void set_column_bounds(std::size_t column, double lower, double upper) {
    check_column(column);
    guarded("set_column_bounds", [&] { model_.setColumnBounds(to_int(column), clp_bound(lower), clp_bound(upper)); });
  }

  /// Objective coefficient of column j.
  void set_objective(std::size_t column, double coefficient) {
    check_column(column);
    guarded("set_objective", [&] { model_.setObjectiveCoefficient(to_int(column), coefficient); });
  }

  /// Appends the row lower <= sum values[k] x[indices[k]] <= upper; returns its index. New rows
  /// are collected and enter Clp together before the next solve, each with its slack basic, so the
  /// previous basis stays valid.
  std::size_t add_row(std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) {
    check_row_input(indices, values, lower, upper);
    for (std::size_t k = 0; k < indices.size(); ++k) {
      pending_.columns.push_back(to_int(indices[k]));
      pending_.values.push_back(values[k]);
    }
    pending_.starts.push_back(static_cast<CoinBigIndex>(pending_.columns.size()));
    pending_.lower.push_back(clp_bound(lower));
    pending_.upper.push_back(clp_bound(upper));
    return rows() - 1;
  }

  /// Replaces the coefficients and bounds of row i (its basis status is kept).
  void set_row(std::size_t row, std::span<const std::size_t> indices, std::span<const double> values, double lower,
               double upper) {
    check_row(row);
    check_row_input(indices, values, lower, upper);
    flush();
    guarded("set_row", [&] {
      const int r = to_int(row);
      coefficients_.assign(columns_, 0.0);
      for (std::size_t k = 0; k < indices.size(); ++k) coefficients_[indices[k]] += values[k];
      for (std::size_t j = 0; j < columns_; ++j) model_.modifyCoefficient(r, to_int(j), coefficients_[j], false);
      model_.setRowBounds(r, clp_bound(lower), clp_bound(upper));
    });
  }

  /// Deletes the listed rows; the others keep their order (and are renumbered from 0).
  void delete_rows(std::span<const std::size_t> rows_to_delete) {
    if (rows_to_delete.empty()) return;
    for (const std::size_t r : rows_to_delete) check_row(r);
    flush();
    std::vector<int> which(rows_to_delete.size());
    for (std::size_t k = 0; k < which.size(); ++k) which[k] = to_int(rows_to_delete[k]);
    guarded("delete_rows", [&] { model_.deleteRows(static_cast<int>(which.size()), which.data()); });
  }

  /// Solves from the current basis by the dual simplex; when Clp stops short of a verdict, once
  /// more by the primal simplex. Anything else that goes wrong throws solver_failure.
  lp_status solve() {
    flush();
    int status = 0;
    guarded("solve", [&] {
      if (model_.numberRows() == 0) {  // Clp 1.17's dual simplex crashes on a model without rows
        const CoinBigIndex starts[2] = {0, 0};
        model_.addRows(1, nullptr, nullptr, starts, nullptr, nullptr);
        padding_ = true;
      }
      model_.dual();
      status = model_.status();
      if (status != 0 && status != 1 && status != 2) {
        model_.primal();
        status = model_.status();
      }
    });
    switch (status) {
      case 0: return lp_status::optimal;
      case 1: return lp_status::infeasible;
      case 2: return lp_status::unbounded;
      default: throw solver_failure("Clp stopped without a verdict while solving the LP (status " + std::to_string(status) + ")");
    }
  }

  /// Number of rows (including rows added since the last solve).
  [[nodiscard]] std::size_t rows() const {
    return static_cast<std::size_t>(model_.numberRows()) - (padding_ ? 1 : 0) + pending_.lower.size();
  }
  /// Objective value of the last solution.
  [[nodiscard]] double objective_value() const { return model_.objectiveValue(); }
  /// Primal value of column j.
  [[nodiscard]] double column_value(std::size_t column) const {
    check_column(column);
    return model_.getColSolution()[column];
  }
  /// Reduced cost of column j.
  [[nodiscard]] double column_dual(std::size_t column) const {
    check_column(column);
    return model_.getReducedCost()[column];
  }
  /// Dual value of row i.
  [[nodiscard]] double row_dual(std::size_t row) const {
    check_solved_row(row);
    return model_.getRowPrice()[row];
  }
  /// True when row i's slack is basic (the row is not binding).
  [[nodiscard]] bool row_is_basic(std::size_t row) const {
    check_solved_row(row);
    return const_cast<ClpSimplex&>(model_).getRowStatus(to_int(row)) == ClpSimplex::basic;
  }

private:
  // Rows added since the last flush, in Clp's row-ordered layout.
  struct pending_rows {
    std::vector<CoinBigIndex> starts{0};
    std::vector<int> columns;
    std::vector<double> values;
    std::vector<double> lower, upper;
  };

  void quiet() {
    model_.setLogLevel(0);
    model_.messageHandler()->setLogLevel(0);
  }

  // Clp reports trouble by throwing CoinError; the stage it happened in goes into the message.
  template <class Step>
  static void guarded(const char* stage, Step step) {
    try {
      step();
    } catch (const CoinError& e) {
      throw solver_failure(std::string("Clp failed in ") + stage + ": " + e.className() + "::" + e.methodName() + ": " +
                           e.message());
    }
  }

  void flush() {
    if (pending_.lower.empty()) return;
    if (padding_) {  // the empty row solve() added; basic, so removing it keeps the basis valid
      const int zero = 0;
      guarded("add_row", [&] { model_.deleteRows(1, &zero); });
      padding_ = false;
    }
    const int first = model_.numberRows();
    const int count = static_cast<int>(pending_.lower.size());
    guarded("add_row", [&] {
      model_.addRows(count, pending_.lower.data(), pending_.upper.data(), pending_.starts.data(),
                     pending_.columns.data(), pending_.values.data());
      if (model_.statusExists())  // no basis before the first solve
        for (int r = first; r < first + count; ++r) model_.setRowStatus(r, ClpSimplex::basic);
    });
    pending_ = {};
  }

  static int to_int(std::size_t value) {
    if (value > static_cast<std::size_t>(INT_MAX)) throw solver_failure("LP too large for Clp's int indices");
    return static_cast<int>(value);
  }
  static double clp_bound(double bound) {
    if (bound == lp_unbounded) return COIN_DBL_MAX;
    if (bound == -lp_unbounded) return -COIN_DBL_MAX;
    return bound;
  }
  void check_column(std::size_t column) const {
    if (column >= columns_) throw solver_failure("LP column " + std::to_string(column) + " does not exist");
  }
  void check_row(std::size_t row) const {
    if (row >= rows()) throw solver_failure("LP row " + std::to_string(row) + " does not exist");
  }
  void check_solved_row(std::size_t row) const {
    if (row >= static_cast<std::size_t>(model_.numberRows()) - (padding_ ? 1 : 0))
      throw solver_failure("LP row " + std::to_string(row) + " has no solution yet (solve first)");
  }
  void check_row_input(std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) const {
    if (indices.size() != values.size()) throw solver_failure("LP row with mismatched index and value counts");
    if (std::isnan(lower) || std::isnan(upper) || lower > upper) throw solver_failure("LP row with lower > upper bound");
    for (std::size_t k = 0; k < indices.size(); ++k) {
      check_column(indices[k]);
      if (!std::isfinite(values[k])) throw solver_failure("LP row with a non-finite coefficient");
    }
  }

  ClpSimplex model_;
  std::size_t columns_ = 0;
  pending_rows pending_;
  bool padding_ = false;  // the model holds one empty row that is not the caller's
  std::vector<double> coefficients_;
};

static_assert(LpBackend<clp_backend>, "clp_backend must model LpBackend");

EVMARKET_END_NAMESPACE
