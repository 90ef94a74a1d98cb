#pragma once
/// @file
/// The LpBackend concept: what the nucleolus needs from a linear-programming solver. A backend
/// holds one minimisation problem that is edited in place between solves, so a simplex solver can
/// restart from its last basis (a warm start) instead of from scratch.

#include <evmarket/config.hpp>

#include <concepts>
#include <cstddef>
#include <limits>
#include <span>

EVMARKET_BEGIN_NAMESPACE

/// Outcome of one LP solve. Solver breakdowns are not outcomes: they throw solver_failure.
enum class lp_status { optimal, infeasible, unbounded };

/// Bound value meaning "no bound" in an LpBackend call.
inline constexpr double lp_unbounded = std::numeric_limits<double>::infinity();

/// A minimisation LP edited in place. Rows and columns are numbered from 0; deleting rows keeps
/// the remaining rows in their order. Bounds use +-lp_unbounded for "none"; equal bounds fix a
/// row or column. The duals follow the usual sign convention of a minimisation: the dual of a row
/// held at its lower bound is >= 0, as is the reduced cost of a column held at its lower bound.
/// Why a concept: the sequential-LP nucleolus is generic; GLPK is one (GPL-3) backend, and a
/// permissively licensed or faster solver can be plugged in without touching the algorithm.
template <class Backend>
concept LpBackend = requires(Backend lp, const Backend clp, std::size_t index, double number,
                             std::span<const std::size_t> indices, std::span<const double> values) {
  { lp.reset(index) };  // a new, empty problem with `index` columns, all free, objective 0
  { lp.set_column_bounds(index, number, number) };
  { lp.set_objective(index, number) };
  { lp.add_row(indices, values, number, number) } -> std::same_as<std::size_t>;
  { lp.set_row(index, indices, values, number, number) };
  { lp.delete_rows(indices) };
  { lp.solve() } -> std::same_as<lp_status>;
  { clp.rows() } -> std::same_as<std::size_t>;
  { clp.objective_value() } -> std::same_as<double>;
  { clp.column_value(index) } -> std::same_as<double>;
  { clp.column_dual(index) } -> std::same_as<double>;
  { clp.row_dual(index) } -> std::same_as<double>;
  { clp.row_is_basic(index) } -> std::same_as<bool>;
};

EVMARKET_END_NAMESPACE
