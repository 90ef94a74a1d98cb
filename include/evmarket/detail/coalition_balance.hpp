#pragma once
/// @file
/// Internal: exact balancedness tests for Kohlberg's criterion. The collections of coalitions are
/// fed one excess level at a time; the span of the earlier levels (and of N) is kept as a reduced
/// row-echelon basis over exact rationals, and each new level is tested in the quotient space by
/// a small exact phase-1 simplex.

#include <evmarket/config.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

using balance_rational = boost::multiprecision::cpp_rational;

/// Is there lambda >= 1 on `required` and mu >= 0 on `optional` with
/// sum lambda_c c + sum mu_c c = 0? (Columns are dense vectors of one common length.) By scaling,
/// this is the same as lambda > 0: the homogeneous system has a strictly positive solution.
inline bool positive_combination_vanishes(const std::vector<std::vector<balance_rational>>& required,
                                          const std::vector<std::vector<balance_rational>>& optional) {
  if (required.empty()) return true;
  const std::size_t dim = required.front().size();
  std::vector<balance_rational> target(dim);
  for (const auto& column : required)
    for (std::size_t r = 0; r < dim; ++r)
      if (!column[r].is_zero()) target[r] -= column[r];
  bool all_ones_work = true;
  for (const auto& t : target) all_ones_work = all_ones_work && t.is_zero();
  if (all_ones_work) return true;

  // Phase 1 of the simplex method on A y = target, y >= 0, where y = (lambda - 1, mu), with one
  // artificial variable per row. Artificial columns are never needed again once they leave the
  // basis (only feasibility matters), so the tableau holds the real columns and the right-hand side.
  const std::size_t columns = required.size() + optional.size();
  auto column_entry = [&](std::size_t j, std::size_t r) -> const balance_rational& {
    return j < required.size() ? required[j][r] : optional[j - required.size()][r];
  };
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < dim; ++r) {
    bool used = !target[r].is_zero();
    for (std::size_t j = 0; j < columns && !used; ++j) used = !column_entry(j, r).is_zero();
    if (used) rows.push_back(r);
  }
  const std::size_t m = rows.size();
  constexpr std::size_t artificial = static_cast<std::size_t>(-1);
  std::vector<std::vector<balance_rational>> tableau(m, std::vector<balance_rational>(columns + 1));
  std::vector<std::size_t> basic(m, artificial);
  std::vector<balance_rational> objective(columns + 1);  // reduced gains of the phase-1 objective
  for (std::size_t i = 0; i < m; ++i) {
    const bool flip = target[rows[i]] < 0;
    for (std::size_t j = 0; j < columns; ++j) {
      const balance_rational& a = column_entry(j, rows[i]);
      if (!a.is_zero()) tableau[i][j] = flip ? balance_rational(-a) : a;
    }
    tableau[i][columns] = flip ? balance_rational(-target[rows[i]]) : target[rows[i]];
    for (std::size_t j = 0; j <= columns; ++j)
      if (!tableau[i][j].is_zero()) objective[j] += tableau[i][j];
  }
  // objective[j] > 0: raising y_j lowers the sum of the artificials; objective[columns] is that sum.
  // Bland's rule (lowest index enters, lowest basic index leaves on ties) guarantees termination.
  for (;;) {
    if (objective[columns].is_zero()) return true;
    std::size_t entering = columns;
    for (std::size_t j = 0; j < columns; ++j)
      if (objective[j] > 0) { entering = j; break; }
    if (entering == columns) return false;  // optimal with artificials left: infeasible
    // Ratio test; ties go to an artificial first (it leaves for good), then to the lowest index.
    std::size_t leaving = m;
    balance_rational best_ratio;
    auto rank_of = [&](std::size_t i) { return basic[i] == artificial ? std::size_t{0} : basic[i] + 1; };
    for (std::size_t i = 0; i < m; ++i) {
      if (tableau[i][entering] <= 0) continue;
      balance_rational ratio = tableau[i][columns] / tableau[i][entering];
      if (leaving == m || ratio < best_ratio || (ratio == best_ratio && rank_of(i) < rank_of(leaving))) {
        leaving = i;
        best_ratio = std::move(ratio);
      }
    }
    EVMARKET_ASSERT(leaving < m);  // the phase-1 objective is bounded below by 0
    if (leaving == m) return false;
    const balance_rational pivot = tableau[leaving][entering];
    for (auto& a : tableau[leaving]) if (!a.is_zero()) a /= pivot;
    const std::vector<balance_rational>& pivot_row = tableau[leaving];
    auto eliminate = [&](std::vector<balance_rational>& row) {
      if (row[entering].is_zero()) return;
      const balance_rational factor = row[entering];
      for (std::size_t j = 0; j <= columns; ++j)
        if (!pivot_row[j].is_zero()) row[j] -= factor * pivot_row[j];
    };
    for (std::size_t i = 0; i < m; ++i)
      if (i != leaving) eliminate(tableau[i]);
    eliminate(objective);
    basic[leaving] = entering;
  }
}

/// The span of the coalitions of the levels seen so far (and of N), as a reduced row-echelon
/// basis, and the test that decides whether the next level keeps the union balanced.
class balance_tracker {
public:
  /// `players` players; `lower_tight` lists the players whose payoff sits on its individually
  /// rational bound (Kohlberg's T0 for the nucleolus; empty for the prenucleolus).
  balance_tracker(std::size_t players, std::vector<std::size_t> lower_tight)
      : players_(players), lower_tight_(std::move(lower_tight)), pivot_row_(players, none), scratch_(players),
        mark_(players, 0) {
    std::vector<std::uint32_t> everyone(players);
    for (std::size_t i = 0; i < players; ++i) everyone[i] = static_cast<std::uint32_t>(i);
    insert(everyone);
  }

  /// True once the levels seen span R^n: every later level is then balanced automatically.
  [[nodiscard]] bool spans() const noexcept { return rows_.size() == players_; }
  /// Dimension of the span so far.
  [[nodiscard]] std::size_t rank() const noexcept { return rows_.size(); }

  /// Adds one excess level (each coalition a list of its members) and reports whether the union
  /// of the levels so far, with T0's singletons weighted >= 0, is still balanced.
  bool add_level(const std::vector<std::vector<std::uint32_t>>& level) {
    std::vector<sparse_vector> required;
    for (const auto& members : level) {
      sparse_vector r = residual(members);
      if (!r.empty()) required.push_back(std::move(r));
    }
    bool balanced = true;
    if (!required.empty()) {
      std::vector<sparse_vector> optional;
      for (const std::size_t i : lower_tight_) {
        sparse_vector r = residual(std::vector<std::uint32_t>{static_cast<std::uint32_t>(i)});
        if (!r.empty()) optional.push_back(std::move(r));
      }
      balanced = positive_combination_vanishes(compress(required), compress(optional));
    }
    for (const auto& members : level) {
      if (spans()) break;
      insert(members);
    }
    return balanced;
  }

private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  using sparse_vector = std::vector<std::pair<std::size_t, balance_rational>>;

  // 1_S reduced modulo the basis, as its non-zero entries: only the pivot rows of S's members
  // contribute (the basis is reduced). A scratch row avoids building n rationals per coalition.
  sparse_vector residual(const std::vector<std::uint32_t>& members) const {
    touched_.clear();
    auto touch = [&](std::size_t j) {
      if (!mark_[j]) { mark_[j] = 1; touched_.push_back(j); }
    };
    for (const auto i : members) { touch(i); scratch_[i] += 1; }
    for (const auto i : members) {
      const std::size_t row = pivot_row_[i];
      if (row == none) continue;
      for (const std::size_t j : support_[row]) { touch(j); scratch_[j] -= rows_[row][j]; }
    }
    std::sort(touched_.begin(), touched_.end());
    sparse_vector out;
    for (const std::size_t j : touched_) {
      if (!scratch_[j].is_zero()) out.emplace_back(j, scratch_[j]);
      scratch_[j] = 0;
      mark_[j] = 0;
    }
    return out;
  }
  // Dense columns over the non-pivot coordinates (the pivot entries of a residual are zero).
  std::vector<std::vector<balance_rational>> compress(const std::vector<sparse_vector>& vectors) const {
    std::vector<std::size_t> position(players_, none);
    std::size_t free_count = 0;
    for (std::size_t j = 0; j < players_; ++j)
      if (pivot_row_[j] == none) position[j] = free_count++;
    std::vector<std::vector<balance_rational>> out(vectors.size(), std::vector<balance_rational>(free_count));
    for (std::size_t c = 0; c < vectors.size(); ++c)
      for (const auto& [j, a] : vectors[c]) out[c][position[j]] = a;
    return out;
  }
  void insert(const std::vector<std::uint32_t>& members) {
    const sparse_vector r = residual(members);
    if (r.empty()) return;
    const std::size_t pivot = r.front().first;
    const balance_rational scale = r.front().second;
    std::vector<balance_rational> v(players_);
    std::vector<std::size_t> support;
    for (const auto& [j, a] : r) { v[j] = a / scale; support.push_back(j); }
    for (std::size_t row = 0; row < rows_.size(); ++row) {
      if (rows_[row][pivot].is_zero()) continue;
      const balance_rational factor = rows_[row][pivot];
      for (const std::size_t j : support) rows_[row][j] -= factor * v[j];
      support_[row].clear();
      for (std::size_t j = 0; j < players_; ++j)
        if (!rows_[row][j].is_zero()) support_[row].push_back(j);
    }
    pivot_row_[pivot] = rows_.size();
    rows_.push_back(std::move(v));
    support_.push_back(std::move(support));
  }

  std::size_t players_;
  std::vector<std::size_t> lower_tight_;
  std::vector<std::size_t> pivot_row_;
  std::vector<std::vector<balance_rational>> rows_;
  std::vector<std::vector<std::size_t>> support_;
  mutable std::vector<balance_rational> scratch_;
  mutable std::vector<char> mark_;
  mutable std::vector<std::size_t> touched_;
};

}  // namespace detail
EVMARKET_END_NAMESPACE
