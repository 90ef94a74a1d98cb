#pragma once
/// @file
/// The nucleolus, prenucleolus and least core (paper 004 eq. 9-11) by the sequential LP of
/// Kopelowitz and Maschler-Peleg-Shapley, computed in floating point and then proven exactly.
///
/// Each stage minimises the largest excess t of the coalitions not yet fixed. Only coalitions the
/// LP proves fixed are fixed: those with a positive dual value (complementary slackness makes them
/// tight at every optimum), and players whose bound x_i >= v({i}) has a positive reduced cost.
/// Coalitions that merely happen to be tight at the optimum the solver returned are left free:
/// fixing them is the classic mistake (Guajardo and Jornsten 2015) and gives wrong answers. The
/// 2^n constraints are generated lazily: the LP starts from a few coalitions and gets the most
/// violated ones added until none is violated; the dual simplex resumes from the previous basis.
/// Coalitions in the span of the fixed ones are dropped, since their excess is already determined.
///
/// Exact finish: the fixed coalitions give a linear system in x and the stage levels t_k, solved
/// over exact rationals; Kohlberg's criterion (coalition/kohlberg.hpp) then certifies the result.
///
/// Assignment games (and games built by assignment_game::to_game) take a fast path: only
/// singletons and profitable buyer-seller pairs are essential, so the sequence has m*k + m + k
/// rows instead of 2^(m+k); the result is certified over the same essential coalitions.

#include <evmarket/coalition/game.hpp>
#include <evmarket/coalition/kohlberg.hpp>
#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/coalition/lp/glpk.hpp>
#include <evmarket/detail/coalition_span.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Tuning of the sequential LP. The defaults suit games with values of any magnitude.
struct nucleolus_options {
  /// Feasibility tolerance relative to max |v(S)|: an excess above t by more than this is violated.
  double tolerance = 1e-9;
  /// Dual values above this count as positive (duals of the t-rows sum to 1).
  double dual_tolerance = 1e-9;
  /// Coalitions added per round of constraint generation; 0 chooses max(2n, 16).
  std::size_t cuts_per_round = 0;
  /// Check the exact result with Kohlberg's criterion.
  bool certify = true;
};

/// The nucleolus (or prenucleolus) with its exact form and its certificate.
struct nucleolus_result {
  /// Which centre was computed.
  solution_kind kind = solution_kind::nucleolus;
  /// The allocation in doubles (the exact one rounded, or the LP's when the exact finish failed).
  std::vector<double> allocation;
  /// The allocation in exact rationals (empty when the exact finish failed).
  std::vector<exact_rational> exact_allocation;
  /// The excess level t_k of each LP stage, exact (empty when the exact finish failed); the
  /// first is the least-core value epsilon of eq. (11).
  std::vector<exact_rational> exact_levels;
  /// The same levels as the LP found them.
  std::vector<double> levels;
  /// Kohlberg's verdict on exact_allocation (holds == false when not certified).
  kohlberg_certificate certificate;
  ///@{
  /// LP solves, stages of the sequence and coalition rows generated.
  std::size_t lp_solves = 0, stages = 0, rows_generated = 0;
  ///@}
  /// True when the assignment-game fast path was used.
  bool assignment_fast_path = false;

  /// True when Kohlberg's criterion proved exact_allocation.
  [[nodiscard]] bool certified() const noexcept { return certificate.holds; }
};

/// A point of the least core and its value: the first LP of the sequence (paper 004 eq. 11).
struct least_core_result {
  /// The smallest possible largest excess.
  double epsilon = 0;
  /// One allocation attaining it.
  std::vector<double> allocation;
};

namespace detail {

/// One coalition row of the LP.
struct lp_coalition {
  std::vector<std::uint32_t> members;
  double value = 0;
  std::uint64_t key = 0;  // the oracle's name for it
};

/// Bookkeeping shared by the coalition oracles: whether each coalition is fresh, in the LP or settled.
// Both oracles generate rows the same way: a separation round proposes the violated fresh
// coalitions and only the `limit` most violated enter, so the LP grows by its worst rows first.
class coalition_pool {
public:
  /// Keeps a coalition out of the LP for good: the fixed ones already determine its excess.
  void settle(std::uint64_t key) { state_[key] = settled; }
  /// Lets a coalition trimmed from the LP return when it is violated again; a settled one stays out.
  void release(std::uint64_t key) {
    if (state_[key] == in_lp) state_[key] = 0;
  }

protected:
  explicit coalition_pool(std::size_t keys) : state_(keys, 0) {}

  // Neither in the LP nor settled: a candidate for separation.
  bool fresh(std::size_t key) const { return state_[key] == 0; }
  // Marks a fresh coalition as in the LP; false (and no change) when it is in already or settled.
  bool enter(std::size_t key) {
    if (state_[key] != 0) return false;
    state_[key] = in_lp;
    return true;
  }
  void clear_candidates() { candidates_.clear(); }
  void propose(double excess, std::size_t key) { candidates_.emplace_back(excess, key); }
  // Hands the `limit` proposals with the largest excess (all of them when fewer) to take(key).
  template <class Take>
  void take_largest(std::size_t limit, Take take) {
    if (candidates_.size() > limit) {
      std::nth_element(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(limit), candidates_.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      candidates_.resize(limit);
    }
    for (const auto& candidate : candidates_) take(candidate.second);
  }

private:
  static constexpr std::uint8_t in_lp = 1, settled = 2;
  std::vector<std::uint8_t> state_;
  std::vector<std::pair<double, std::size_t>> candidates_;
};

// All coalitions of a tabulated game, generated by a full scan of the 2^n excesses.
template <GameValue Value>
class dense_coalitions : public coalition_pool {
public:
  explicit dense_coalitions(const tu_game<Value>& table)
      : coalition_pool(std::size_t{1} << table.players()),
        table_(table),
        n_(table.players()),
        count_(std::size_t{1} << n_),
        values_(count_),
        sums_(count_) {
    for (std::size_t s = 0; s < count_; ++s) values_[s] = static_cast<double>(table.value(static_cast<coalition>(s)));
    settle(0);
    settle(count_ - 1);
  }
  static constexpr bool regenerates = true;

  double scale() const {
    double largest = 1;
    for (const double v : values_) largest = std::max(largest, std::abs(v));
    return largest;
  }
  double value(std::uint64_t key) const { return values_[key]; }
  exact_rational exact_value(std::uint64_t key) const { return exact_rational(table_.value(key)); }

  // Singletons, the coalitions of all but one player, and the largest excesses at the equal split.
  void initial(std::size_t limit, std::vector<lp_coalition>& out) {
    for (std::size_t i = 0; i < n_; ++i) take(coalition{1} << i, out);
    if (n_ >= 3)
      for (std::size_t i = 0; i < n_; ++i) take((count_ - 1) & ~(std::size_t{1} << i), out);
    std::vector<double> equal(n_, values_[count_ - 1] / static_cast<double>(n_));
    separate(equal, -lp_unbounded, limit, out);
  }

  // The `limit` coalitions with the largest excess above `threshold`, not yet in the LP.
  void separate(std::span<const double> x, double threshold, std::size_t limit, std::vector<lp_coalition>& out) {
    clear_candidates();
    for (std::size_t s = 1; s + 1 < count_; ++s) {
      sums_[s] = sums_[s & (s - 1)] + x[static_cast<std::size_t>(std::countr_zero(static_cast<coalition>(s)))];
      if (!fresh(s)) continue;
      const double e = values_[s] - sums_[s];
      if (e > threshold) propose(e, s);
    }
    take_largest(limit, [&](std::size_t s) { take(s, out); });
  }

private:
  void take(std::size_t s, std::vector<lp_coalition>& out) {
    if (!enter(s)) return;
    lp_coalition row;
    row.members = members_of(static_cast<coalition>(s));
    row.value = values_[s];
    row.key = s;
    out.push_back(std::move(row));
  }

  const tu_game<Value>& table_;
  std::size_t n_, count_;
  std::vector<double> values_;
  std::vector<double> sums_;
};

// The essential coalitions of an assignment game: singletons and profitable buyer-seller pairs.
// An unprofitable pair is inessential (its singletons dominate it) and never enters. The LP starts
// from the singletons, the pairs of a best matching and the most valuable pairs; the rest are
// generated when violated, by a scan of the m * k pairs.
template <GameValue Value>
class assignment_coalitions : public coalition_pool {
public:
  explicit assignment_coalitions(const assignment_game<Value>& game)
      : coalition_pool(game.players() + game.buyers() * game.sellers()), game_(game), m_(game.buyers()),
        k_(game.sellers()), n_(game.players()), gains_(m_ * k_) {
    for (std::size_t i = 0; i < m_; ++i)
      for (std::size_t j = 0; j < k_; ++j) gains_[i * k_ + j] = static_cast<double>(game.pair_value(i, j));
  }
  static constexpr bool regenerates = true;

  double scale() const {
    double largest = 1;
    for (const double g : gains_) largest = std::max(largest, g);
    return largest;
  }
  exact_rational exact_value(std::uint64_t key) const {
    if (key < n_) return exact_rational(0);
    const std::uint64_t pair = key - n_;
    return exact_rational(game_.pair_value(static_cast<std::size_t>(pair / k_), static_cast<std::size_t>(pair % k_)));
  }
  void initial(std::size_t limit, std::vector<lp_coalition>& out) {
    for (std::size_t i = 0; i < n_; ++i) take(i, out);
    const auto match = game_.optimal_matching();
    for (std::size_t i = 0; i < m_; ++i)
      if (match[i] != static_cast<std::size_t>(-1)) take(n_ + i * k_ + match[i], out);
    std::vector<double> zero(n_, 0.0);
    separate(zero, 0.0, limit, out);
  }
  void separate(std::span<const double> x, double threshold, std::size_t limit, std::vector<lp_coalition>& out) {
    clear_candidates();
    for (std::size_t i = 0; i < n_; ++i)
      if (fresh(i) && -x[i] > threshold) propose(-x[i], i);
    for (std::size_t i = 0; i < m_; ++i)
      for (std::size_t j = 0; j < k_; ++j) {
        const std::size_t key = n_ + i * k_ + j;
        if (!fresh(key) || !(gains_[i * k_ + j] > 0)) continue;
        const double e = gains_[i * k_ + j] - x[i] - x[m_ + j];
        if (e > threshold) propose(e, key);
      }
    take_largest(limit, [&](std::size_t key) { take(key, out); });
  }

private:
  void take(std::size_t key, std::vector<lp_coalition>& out) {
    // Before enter(): an unprofitable pair must stay fresh, not be marked as in the LP.
    if (key >= n_ && !(gains_[key - n_] > 0)) return;
    if (!enter(key)) return;
    lp_coalition row;
    if (key < n_) {
      row.members = {static_cast<std::uint32_t>(key)};
    } else {
      const std::size_t pair = key - n_;
      row.members = {static_cast<std::uint32_t>(pair / k_), static_cast<std::uint32_t>(m_ + pair % k_)};
      row.value = gains_[pair];
    }
    row.key = key;
    out.push_back(std::move(row));
  }

  const assignment_game<Value>& game_;
  std::size_t m_, k_, n_;
  std::vector<double> gains_;
};

/// Output of the floating-point sequence, before certification.
struct sequence_outcome {
  std::vector<double> allocation;
  std::vector<double> levels;
  std::vector<exact_rational> exact_allocation, exact_levels;
  std::size_t lp_solves = 0, stages = 0, rows_generated = 0;
};

// The sequential LP. Columns: x_0..x_{n-1}, then t. Row 0 is efficiency; every other row is a
// coalition S, either active (x(S) + t >= v(S)) or fixed (x(S) = v(S) - t_k).
template <LpBackend Backend, class Coalitions>
sequence_outcome sequential_lp(Backend& lp, Coalitions& coalitions, std::size_t n, const std::vector<double>& lower,
                               double grand_value, const exact_rational& exact_grand,
                               const std::vector<exact_rational>& exact_lower, const nucleolus_options& options,
                               bool least_core_only) {
  require(std::isfinite(options.tolerance) && options.tolerance > 0, "options.tolerance", options.tolerance, "must be positive");
  require(std::isfinite(options.dual_tolerance) && options.dual_tolerance > 0, "options.dual_tolerance",
          options.dual_tolerance, "must be positive");
  const double scale = coalitions.scale();
  const double tolerance = options.tolerance * scale;
  const std::size_t limit = options.cuts_per_round != 0 ? options.cuts_per_round : std::max<std::size_t>(2 * n, 16);
  const std::size_t t_column = n;
  const double n_plus = static_cast<double>(n + 1);

  lp.reset(n + 1);
  lp.set_objective(t_column, 1.0);
  // The bound on t only keeps an early, too small row set bounded; it is never reached at a
  // stage's optimum, where every excess is within (n + 1)^2 * max|v|.
  lp.set_column_bounds(t_column, -4 * n_plus * n_plus * scale, lp_unbounded);
  for (std::size_t i = 0; i < lower.size(); ++i) lp.set_column_bounds(i, lower[i], lp_unbounded);

  // A row leaves the LP only while basic: deleting a non-basic row would invalidate the basis
  // and lose the warm start. Until then a dropped row is kept free (dead) and harmless.
  struct row_state {
    lp_coalition coalition;
    bool fixed = false;
    bool dead = false;
  };
  std::vector<row_state> rows;
  std::vector<std::size_t> indices;
  std::vector<double> ones;
  auto write_indices = [&](const std::vector<std::uint32_t>& members, bool with_t) {
    indices.assign(members.begin(), members.end());
    if (with_t) indices.push_back(t_column);
    ones.assign(indices.size(), 1.0);
  };

  coalition_span span(n);
  std::vector<std::uint32_t> everyone(n);
  for (std::size_t i = 0; i < n; ++i) everyone[i] = static_cast<std::uint32_t>(i);
  write_indices(everyone, false);
  lp.add_row(indices, ones, grand_value, grand_value);
  rows.push_back({{everyone, grand_value, 0}, true});
  span.insert(everyone);

  sequence_outcome outcome;
  std::vector<lp_coalition> fresh;
  auto add_fresh = [&]() {
    std::size_t added = 0;
    for (auto& c : fresh) {
      if (span.contains(c.members)) { coalitions.settle(c.key); continue; }
      write_indices(c.members, true);
      lp.add_row(indices, ones, c.value, lp_unbounded);
      rows.push_back({std::move(c), false});
      ++added;
    }
    outcome.rows_generated += added;
    fresh.clear();
    return added;
  };
  coalitions.initial(limit, fresh);
  add_fresh();

  // Equations for the exact finish: (members, stage or none, exact right-hand side).
  struct equation {
    std::vector<std::uint32_t> members;
    std::size_t stage;
    exact_rational rhs;
  };
  constexpr std::size_t no_stage = static_cast<std::size_t>(-1);
  std::vector<equation> equations;
  equations.push_back({everyone, no_stage, exact_grand});
  std::vector<char> player_fixed(n, 0);
  auto kill = [&](std::size_t r) {
    rows[r].dead = true;
    lp.set_row(r, {}, {}, -lp_unbounded, lp_unbounded);
  };
  std::vector<double> x(n);
  double t = 0;

  while (!span.full()) {
    // Constraint generation until no coalition outside the LP is violated.
    for (;;) {
      const lp_status status = lp.solve();
      ++outcome.lp_solves;
      if (status != lp_status::optimal)
        throw solver_failure("a stage LP of the nucleolus was not solved to optimality (numerical trouble)");
      for (std::size_t i = 0; i < n; ++i) x[i] = lp.column_value(i);
      t = lp.column_value(t_column);
      std::size_t added = 0;
      for (;;) {
        coalitions.separate(x, t + tolerance, limit, fresh);
        if (fresh.empty()) break;
        added = add_fresh();
        if (added > 0) break;
      }
      if (added == 0) break;
    }
    if (least_core_only) {
      outcome.levels.push_back(t);
      outcome.allocation = x;
      return outcome;
    }
    const std::size_t stage = outcome.stages++;
    outcome.levels.push_back(t);

    bool progress = false;
    // Players held at v({i}) by a bound with a positive reduced cost are fixed there.
    for (std::size_t i = 0; i < lower.size(); ++i) {
      if (player_fixed[i] || !(lp.column_dual(i) > options.dual_tolerance)) continue;
      player_fixed[i] = 1;
      lp.set_column_bounds(i, lower[i], lower[i]);
      equations.push_back({{static_cast<std::uint32_t>(i)}, no_stage, exact_lower[i]});
      progress = span.insert({static_cast<std::uint32_t>(i)}) || progress;
    }
    // Coalitions with a positive dual are tight at every optimum: fix them at this level.
    std::vector<std::size_t> to_delete;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].fixed || rows[r].dead || !(lp.row_dual(r) > options.dual_tolerance)) continue;
      const lp_coalition& c = rows[r].coalition;
      equations.push_back({c.members, stage, coalitions.exact_value(c.key)});
      progress = true;
      rows[r].fixed = true;
      if (span.insert(c.members)) {
        write_indices(c.members, false);
        lp.set_row(r, indices, ones, c.value - t, c.value - t);
      } else {
        kill(r);
        coalitions.settle(c.key);
      }
    }
    if (!progress) throw solver_failure("the nucleolus sequence made no progress (no positive dual value)");
    // Drop active coalitions whose excess the fixed ones now determine; in a regenerating row
    // set, also drop the slack rows once the LP has grown large (they return if violated again).
    std::size_t active = 0;
    for (std::size_t r = 1; r < rows.size(); ++r)
      if (!rows[r].fixed && !rows[r].dead) ++active;
    const bool trim = Coalitions::regenerates && active > 4 * limit;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].dead) {
        if (lp.row_is_basic(r)) to_delete.push_back(r);
        continue;
      }
      if (rows[r].fixed) continue;
      if (span.contains(rows[r].coalition.members)) {
        coalitions.settle(rows[r].coalition.key);
        if (lp.row_is_basic(r)) to_delete.push_back(r);
        else kill(r);
      } else if (trim && lp.row_is_basic(r)) {
        to_delete.push_back(r);
        coalitions.release(rows[r].coalition.key);
      }
    }
    lp.delete_rows(to_delete);
    std::size_t kept = 0;
    for (std::size_t r = 0, d = 0; r < rows.size(); ++r) {
      if (d < to_delete.size() && to_delete[d] == r) { ++d; continue; }
      if (kept != r) rows[kept] = std::move(rows[r]);
      ++kept;
    }
    rows.resize(kept);
  }
  outcome.allocation = x;

  // Exact finish: t_k = v(S_k) - x(S_k) for the first coalition S_k fixed at stage k; every other
  // equation of stage k becomes x(S) - x(S_k) = v(S) - v(S_k), an equation in x alone.
  std::vector<std::size_t> reference(outcome.stages, no_stage);
  for (std::size_t e = 0; e < equations.size(); ++e)
    if (equations[e].stage != no_stage && reference[equations[e].stage] == no_stage) reference[equations[e].stage] = e;
  if (std::find(reference.begin(), reference.end(), no_stage) != reference.end()) return outcome;
  exact_linear_system system(n);
  std::vector<std::pair<std::size_t, exact_rational>> terms;
  for (std::size_t e = 0; e < equations.size() && !system.determined(); ++e) {
    const equation& eq = equations[e];
    terms.clear();
    for (const auto i : eq.members) terms.emplace_back(i, exact_rational(1));
    exact_rational rhs = eq.rhs;
    if (eq.stage != no_stage) {
      const std::size_t ref = reference[eq.stage];
      if (ref == e) continue;
      for (const auto i : equations[ref].members) terms.emplace_back(i, exact_rational(-1));
      rhs -= equations[ref].rhs;
    }
    system.add(terms, rhs);
  }
  if (!system.determined()) return outcome;
  outcome.exact_allocation = system.solution();
  for (std::size_t k = 0; k < outcome.stages; ++k) {
    const equation& eq = equations[reference[k]];
    exact_rational level = eq.rhs;
    for (const auto i : eq.members) level -= outcome.exact_allocation[i];
    outcome.exact_levels.push_back(std::move(level));
  }
  for (std::size_t i = 0; i < n; ++i) outcome.allocation[i] = static_cast<double>(outcome.exact_allocation[i]);
  return outcome;
}

inline nucleolus_result to_result(sequence_outcome&& outcome, solution_kind kind) {
  nucleolus_result result;
  result.kind = kind;
  result.allocation = std::move(outcome.allocation);
  result.exact_allocation = std::move(outcome.exact_allocation);
  result.exact_levels = std::move(outcome.exact_levels);
  result.levels = std::move(outcome.levels);
  result.lp_solves = outcome.lp_solves;
  result.stages = outcome.stages;
  result.rows_generated = outcome.rows_generated;
  if (result.exact_allocation.empty())
    result.certificate.reason = "the exact finish failed: the fixed coalitions do not determine a unique allocation";
  return result;
}

template <LpBackend Backend, GameValue Value>
nucleolus_result assignment_nucleolus(const assignment_game<Value>& game, solution_kind kind, const nucleolus_options& options) {
  const std::size_t n = game.players();
  const Value grand = game.grand_value();
  assignment_coalitions<Value> coalitions(game);
  Backend lp;
  // In an assignment game the core is not empty, so prenucleolus and nucleolus coincide and the
  // imputation bounds can be left out of the LP.
  nucleolus_result result = to_result(
      sequential_lp(lp, coalitions, n, {}, static_cast<double>(grand), exact_rational(grand), {}, options, false), kind);
  result.assignment_fast_path = true;
  if (options.certify && !result.exact_allocation.empty())
    result.certificate = kohlberg_check(game, std::span<const exact_rational>(result.exact_allocation));
  return result;
}

template <LpBackend Backend, GameValue Value>
nucleolus_result general_nucleolus(const tu_game<Value>& game, solution_kind kind, const nucleolus_options& options) {
  if (const assignment_game<Value>* origin = game.assignment())
    return assignment_nucleolus<Backend>(*origin, kind, options);
  const std::size_t n = game.players();
  require(n <= max_dense_players, "players", n, "the nucleolus of a general game scans 2^n coalitions (at most 25 players)");
  const tu_game<Value> table = game.tabulated();
  if (kind == solution_kind::nucleolus)
    require(has_imputations(table), "v(N)", tu_game<Value>::describe_value(table.value(table.grand())),
            "is below the sum of the singleton values v({i}): the imputation set is empty, so the game has no "
            "nucleolus (its prenucleolus still exists)");
  std::vector<double> lower;
  std::vector<exact_rational> exact_lower;
  if (kind == solution_kind::nucleolus)
    for (std::size_t i = 0; i < n; ++i) {
      lower.push_back(static_cast<double>(table.value(coalition{1} << i)));
      exact_lower.emplace_back(table.value(coalition{1} << i));
    }
  const Value grand = table.value(table.grand());
  nucleolus_result result;
  if (n == 1) {
    result.kind = kind;
    result.exact_allocation = {exact_rational(grand)};
    result.allocation = {static_cast<double>(grand)};
  } else {
    dense_coalitions<Value> coalitions(table);
    Backend lp;
    result = to_result(sequential_lp(lp, coalitions, n, lower, static_cast<double>(grand), exact_rational(grand),
                                     exact_lower, options, false),
                       kind);
  }
  if (options.certify && !result.exact_allocation.empty())
    result.certificate = kohlberg_check(table, std::span<const exact_rational>(result.exact_allocation), kind);
  return result;
}

}  // namespace detail

/// The nucleolus: the imputation that lexicographically minimises the sorted excesses (paper 004
/// eq. 9). Throws bad_input when the imputation set is empty. Assignment games use the fast path.
template <LpBackend Backend = glpk_backend, GameValue Value>
[[nodiscard]] nucleolus_result nucleolus(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return detail::general_nucleolus<Backend>(game, solution_kind::nucleolus, options);
}

/// The prenucleolus: the same over all efficient allocations (it always exists).
template <LpBackend Backend = glpk_backend, GameValue Value>
[[nodiscard]] nucleolus_result prenucleolus(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return detail::general_nucleolus<Backend>(game, solution_kind::prenucleolus, options);
}

/// The nucleolus of an assignment game by its essential coalitions (equal to its prenucleolus).
template <LpBackend Backend = glpk_backend, GameValue Value>
[[nodiscard]] nucleolus_result nucleolus(const assignment_game<Value>& game, const nucleolus_options& options = {}) {
  return detail::assignment_nucleolus<Backend>(game, solution_kind::nucleolus, options);
}

/// The least core (paper 004 eq. 11): the smallest epsilon such that some efficient x has every
/// excess <= epsilon, and one such x (epsilon is 0 for a one-player game: it has no proper coalition).
template <LpBackend Backend = glpk_backend, GameValue Value>
[[nodiscard]] least_core_result least_core(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  const std::size_t n = game.players();
  detail::require(n <= max_dense_players, "players", n, "the least core of a general game scans 2^n coalitions (at most 25 players)");
  const tu_game<Value> table = game.tabulated();
  const Value grand = table.value(table.grand());
  if (n == 1) return {0.0, {static_cast<double>(grand)}};
  detail::dense_coalitions<Value> coalitions(table);
  Backend lp;
  detail::sequence_outcome outcome =
      detail::sequential_lp(lp, coalitions, n, {}, static_cast<double>(grand), exact_rational(grand), {}, options, true);
  return {outcome.levels.front(), std::move(outcome.allocation)};
}

EVMARKET_END_NAMESPACE
