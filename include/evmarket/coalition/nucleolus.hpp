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
/// Double-valued games are read as decimals by default (nucleolus_options::decimal_values): a
/// value written 48.35 is taken as 4835/100, the number its writer meant, not as the binary
/// fraction the double holds, so the exact answer is the decimal game's (967/20, not a fraction
/// over 2^47), and the certificate is checked against that decimal game.
///
/// Assignment games (and games built by assignment_game::to_game) take a fast path: only
/// singletons and profitable buyer-seller pairs are essential, so the sequence has m*k + m + k
/// rows instead of 2^(m+k); the result is certified over the same essential coalitions.
///
/// No LP solver is included here: the caller names a backend, `nucleolus<clp_backend>(game)`
/// (coalition/lp/clp.hpp, EPL-2.0) or `nucleolus<glpk_backend>(game)` (coalition/lp/glpk.hpp,
/// GPL-3). <evmarket/lp.hpp> makes GLPK the default, so `nucleolus(game)` works there.

#include <evmarket/coalition/game.hpp>
#include <evmarket/coalition/kohlberg.hpp>
#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/detail/coalition_span.hpp>
#include <evmarket/detail/coalition_decimal.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
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
  /// Read each double value as the shortest decimal that round-trips to it (48.35 as 4835/100)
  /// for the exact finish and the certificate. It applies when every value has at most 22 decimal
  /// places and v * 10^places stays below 2^51 (nucleolus_result::decimal_reading says whether it
  /// did); otherwise, and when false, a double is taken as the binary fraction it holds.
  bool decimal_values = true;
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
  /// True when the double values were read as decimals (exact results are the decimal game's).
  bool decimal_reading = false;

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
  std::size_t proposals() const { return candidates_.size(); }
  // Keeps the `limit` proposals with the largest excess (all of them when fewer).
  void keep_largest(std::size_t limit) {
    if (candidates_.size() <= limit) return;
    std::nth_element(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(limit), candidates_.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    candidates_.resize(limit);
  }
  // The smallest excess among the proposals (after keep_largest: the cut for the next ones).
  double smallest_proposal() const {
    double smallest = lp_unbounded;
    for (const auto& candidate : candidates_) smallest = std::min(smallest, candidate.first);
    return smallest;
  }
  // Hands the `limit` proposals with the largest excess (all of them when fewer) to take(key).
  template <class Take>
  void take_largest(std::size_t limit, Take take) {
    keep_largest(limit);
    for (const auto& candidate : candidates_) take(candidate.second);
  }
  const std::vector<std::pair<double, std::size_t>>& candidates() const { return candidates_; }

private:
  static constexpr std::uint8_t in_lp = 1, settled = 2;
  std::vector<std::uint8_t> state_;
  std::vector<std::pair<double, std::size_t>> candidates_;
};

// All coalitions of a tabulated game. Separation is the step that scales with 2^n, so it is made
// cheap two ways. A full scan computes x(S) as low[S mod 2^L] + high[S >> L] from two tables of
// partial sums small enough for the L1 cache, streaming once through v; it keeps the `reserve`
// largest excesses by a running cut, so the fresh-state byte is read only for the few coalitions
// that pass it. The coalitions of that reserve are then re-priced first in later rounds (x moves
// little between rounds); a full scan runs only when the reserve holds no violated coalition, so
// the LP is feasible for all 2^n coalitions exactly when a full scan finds none.
template <GameValue Value>
class dense_coalitions : public coalition_pool {
public:
  explicit dense_coalitions(const tu_game<Value>& table)
      : coalition_pool(std::size_t{1} << table.players()), table_(table), n_(table.players()),
        count_(std::size_t{1} << n_), low_bits_(n_ / 2), low_(std::size_t{1} << low_bits_),
        high_(std::size_t{1} << (n_ - low_bits_)) {
    if constexpr (std::same_as<Value, double>) {
      values_ = table.table();
    } else {
      owned_.resize(count_);
      for (std::size_t s = 0; s < count_; ++s) owned_[s] = static_cast<double>(table.value(static_cast<coalition>(s)));
      values_ = owned_;
    }
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
    if (reprice_reserve(x, threshold)) {
      take_largest(limit, [&](std::size_t s) { take(s, out); });
      return;
    }
    full_scan(x, std::max<std::size_t>(32 * limit, 512));
    reserve_.clear();
    clear_violated(threshold);
    take_largest(limit, [&](std::size_t s) { take(s, out); });
  }

private:
  // Proposes the violated fresh coalitions of the reserve; true when there is one.
  bool reprice_reserve(std::span<const double> x, double threshold) {
    clear_candidates();
    for (const std::size_t s : reserve_) {
      if (!fresh(s)) continue;
      double sum = 0;
      for (coalition m = s; m != 0; m &= m - 1) sum += x[static_cast<std::size_t>(std::countr_zero(m))];
      if (values_[s] - sum > threshold) propose(values_[s] - sum, s);
    }
    return proposals() > 0;
  }

  // The `keep` fresh coalitions of largest excess, as proposals.
  void full_scan(std::span<const double> x, std::size_t keep) {
    partial_sums(x.first(low_bits_), low_);
    partial_sums(x.subspan(low_bits_), high_);
    clear_candidates();
    double cut = -lp_unbounded;
    const std::size_t low_count = low_.size();
    for (std::size_t h = 0; h < high_.size(); ++h) {
      const double* v = values_.data() + (h << low_bits_);
      const double base = high_[h];
      for (std::size_t l = 0; l < low_count; ++l) {
        const double e = v[l] - (low_[l] + base);
        if (!(e > cut)) continue;
        const std::size_t s = (h << low_bits_) | l;
        if (!fresh(s)) continue;
        propose(e, s);
        if (proposals() >= 2 * keep) {
          keep_largest(keep);
          cut = smallest_proposal();
        }
      }
    }
    keep_largest(keep);
  }

  // Moves the proposals at or below `threshold` to the reserve, keeping the violated ones.
  void clear_violated(double threshold) {
    std::vector<std::pair<double, std::size_t>> violated;
    for (const auto& [e, s] : candidates()) {
      if (e > threshold) violated.emplace_back(e, s);
      reserve_.push_back(s);
    }
    clear_candidates();
    for (const auto& [e, s] : violated) propose(e, s);
  }

  // sums[m] = the sum of x over the bits of m.
  static void partial_sums(std::span<const double> x, std::vector<double>& sums) {
    sums[0] = 0;
    for (std::size_t m = 1; m < sums.size(); ++m)
      sums[m] = sums[m & (m - 1)] + x[static_cast<std::size_t>(std::countr_zero(static_cast<coalition>(m)))];
  }

  void take(std::size_t s, std::vector<lp_coalition>& out) {
    if (!enter(s)) return;
    lp_coalition row;
    row.members = members_of(static_cast<coalition>(s));
    row.value = values_[s];
    row.key = s;
    out.push_back(std::move(row));
  }

  const tu_game<Value>& table_;
  std::size_t n_, count_, low_bits_;
  std::vector<double> owned_;  // the values in doubles, for an exact game
  std::span<const double> values_;
  std::vector<double> low_, high_;
  std::vector<std::size_t> reserve_;
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

/// What the sequence is asked to solve: efficiency x(N) = v(N) and, for the nucleolus, the bounds
/// x_i >= v({i}) (empty `lower` for the prenucleolus and the least core), in doubles and exactly.
struct sequence_problem {
  std::size_t players = 0;
  std::vector<double> lower;
  std::vector<exact_rational> exact_lower;
  double grand_value = 0;
  exact_rational exact_grand;
};

/// An equation of the exact finish: x(members) = rhs - t_stage (no t term when stage is none).
struct fixed_equation {
  static constexpr std::size_t no_stage = static_cast<std::size_t>(-1);
  std::vector<std::uint32_t> members;
  std::size_t stage = no_stage;
  exact_rational rhs;
};

/// The exact finish: t_k = v(S_k) - x(S_k) for the first coalition S_k fixed at stage k; every
/// other equation of stage k becomes x(S) - x(S_k) = v(S) - v(S_k), an equation in x alone. Fills
/// the exact allocation and levels of `outcome` when the equations determine x.
inline void finish_exactly(std::span<const fixed_equation> equations, std::size_t n, sequence_outcome& outcome) {
  constexpr std::size_t none = fixed_equation::no_stage;
  std::vector<std::size_t> reference(outcome.stages, none);
  for (std::size_t e = 0; e < equations.size(); ++e)
    if (equations[e].stage != none && reference[equations[e].stage] == none) reference[equations[e].stage] = e;
  if (std::find(reference.begin(), reference.end(), none) != reference.end()) return;
  exact_linear_system system(n);
  std::vector<std::pair<std::size_t, exact_rational>> terms;
  for (std::size_t e = 0; e < equations.size() && !system.determined(); ++e) {
    const fixed_equation& eq = equations[e];
    if (eq.stage != none && reference[eq.stage] == e) continue;
    terms.clear();
    for (const auto i : eq.members) terms.emplace_back(i, exact_rational(1));
    exact_rational rhs = eq.rhs;
    if (eq.stage != none) {
      const fixed_equation& ref = equations[reference[eq.stage]];
      for (const auto i : ref.members) terms.emplace_back(i, exact_rational(-1));
      rhs -= ref.rhs;
    }
    system.add(terms, rhs);
  }
  if (!system.determined()) return;
  outcome.exact_allocation = system.solution();
  for (std::size_t k = 0; k < outcome.stages; ++k) {
    const fixed_equation& eq = equations[reference[k]];
    exact_rational level = eq.rhs;
    for (const auto i : eq.members) level -= outcome.exact_allocation[i];
    outcome.exact_levels.push_back(std::move(level));
  }
  for (std::size_t i = 0; i < n; ++i) outcome.allocation[i] = static_cast<double>(outcome.exact_allocation[i]);
}

// The sequential LP, one method per stage of its work: generate rows (add_rows), solve a stage
// to feasibility over all coalitions (solve_stage), fix what the duals prove (fix_by_duals, then
// drop_determined_rows), and finish exactly (finish_exactly above). Columns: x_0..x_{n-1}, then
// t. Row 0 is efficiency; every other row is a coalition S, either active (x(S) + t >= v(S)) or
// fixed (x(S) = v(S) - t_k).
template <LpBackend Backend, class Coalitions>
class nucleolus_sequence {
public:
  nucleolus_sequence(Backend& lp, Coalitions& coalitions, const sequence_problem& problem, const nucleolus_options& options)
      : lp_(lp), coalitions_(coalitions), problem_(problem), options_(options), n_(problem.players), span_(n_),
        player_fixed_(n_, 0), x_(n_) {
    require(std::isfinite(options.tolerance) && options.tolerance > 0, "options.tolerance", options.tolerance,
            "must be positive");
    require(std::isfinite(options.dual_tolerance) && options.dual_tolerance > 0, "options.dual_tolerance",
            options.dual_tolerance, "must be positive");
    scale_ = coalitions.scale();
    tolerance_ = options.tolerance * scale_;
    limit_ = options.cuts_per_round != 0 ? options.cuts_per_round : std::max<std::size_t>(2 * n_, 16);
  }

  /// Runs the stages until the fixed coalitions span R^n (or the first stage, for the least core).
  sequence_outcome run(bool least_core_only) {
    try {
      set_up();
      while (!span_.full()) {
        solve_stage();
        outcome_.levels.push_back(t_);
        if (least_core_only) break;
        if (!fix_by_duals()) throw solver_failure("the sequence made no progress (no positive dual value)");
        ++outcome_.stages;
        drop_determined_rows();
      }
    } catch (const solver_failure& e) {
      throw solver_failure("nucleolus LP stage " + std::to_string(outcome_.stages + 1) + " (after " +
                           std::to_string(outcome_.lp_solves) + " solves): " + e.what());
    }
    outcome_.allocation = x_;
    if (!least_core_only) finish_exactly(equations_, n_, outcome_);
    return std::move(outcome_);
  }

private:
  // A row leaves the LP only while basic: deleting a non-basic row would invalidate the basis
  // and lose the warm start. Until then a dropped row is kept free (dead) and harmless.
  struct row_state {
    lp_coalition coalition;
    bool fixed = false;
    bool dead = false;
  };

  void set_up() {
    const std::size_t t_column = n_;
    const double n_plus = static_cast<double>(n_ + 1);
    lp_.reset(n_ + 1);
    lp_.set_objective(t_column, 1.0);
    // The bound on t only keeps an early, too small row set bounded; it is never reached at a
    // stage's optimum, where every excess is within (n + 1)^2 * max|v|.
    lp_.set_column_bounds(t_column, -4 * n_plus * n_plus * scale_, lp_unbounded);
    for (std::size_t i = 0; i < problem_.lower.size(); ++i) lp_.set_column_bounds(i, problem_.lower[i], lp_unbounded);
    std::vector<std::uint32_t> everyone(n_);
    for (std::size_t i = 0; i < n_; ++i) everyone[i] = static_cast<std::uint32_t>(i);
    write_indices(everyone, false);
    lp_.add_row(indices_, ones_, problem_.grand_value, problem_.grand_value);
    rows_.push_back({{everyone, problem_.grand_value, 0}, true});
    span_.insert(everyone);
    equations_.push_back({everyone, fixed_equation::no_stage, problem_.exact_grand});
    coalitions_.initial(limit_, fresh_);
    add_rows();
  }

  // Stage 1: the fresh coalitions enter as active rows, except those the fixed ones determine.
  std::size_t add_rows() {
    std::size_t added = 0;
    for (auto& c : fresh_) {
      if (span_.contains(c.members)) {
        coalitions_.settle(c.key);
        continue;
      }
      write_indices(c.members, true);
      lp_.add_row(indices_, ones_, c.value, lp_unbounded);
      rows_.push_back({std::move(c), false});
      ++added;
    }
    outcome_.rows_generated += added;
    fresh_.clear();
    return added;
  }

  // Stage 2: solve, then add the most violated coalitions, until none outside the LP is violated.
  void solve_stage() {
    for (;;) {
      const lp_status status = lp_.solve();
      ++outcome_.lp_solves;
      if (status != lp_status::optimal) throw solver_failure("the stage LP was not solved to optimality (numerical trouble)");
      for (std::size_t i = 0; i < n_; ++i) x_[i] = lp_.column_value(i);
      t_ = lp_.column_value(n_);
      std::size_t added = 0;
      for (;;) {
        coalitions_.separate(x_, t_ + tolerance_, limit_, fresh_);
        if (fresh_.empty()) break;
        added = add_rows();
        if (added > 0) break;
      }
      if (added == 0) return;
    }
  }

  // Stage 3: players held at v({i}) by a bound with a positive reduced cost are fixed there, and
  // coalitions with a positive dual (tight at every optimum) are fixed at this stage's level.
  bool fix_by_duals() {
    const std::size_t stage = outcome_.stages;
    bool progress = false;
    for (std::size_t i = 0; i < problem_.lower.size(); ++i) {
      if (player_fixed_[i] || !(lp_.column_dual(i) > options_.dual_tolerance)) continue;
      player_fixed_[i] = 1;
      lp_.set_column_bounds(i, problem_.lower[i], problem_.lower[i]);
      equations_.push_back({{static_cast<std::uint32_t>(i)}, fixed_equation::no_stage, problem_.exact_lower[i]});
      progress = span_.insert({static_cast<std::uint32_t>(i)}) || progress;
    }
    for (std::size_t r = 1; r < rows_.size(); ++r) {
      if (rows_[r].fixed || rows_[r].dead || !(lp_.row_dual(r) > options_.dual_tolerance)) continue;
      const lp_coalition& c = rows_[r].coalition;
      equations_.push_back({c.members, stage, coalitions_.exact_value(c.key)});
      progress = true;
      rows_[r].fixed = true;
      if (span_.insert(c.members)) {
        write_indices(c.members, false);
        lp_.set_row(r, indices_, ones_, c.value - t_, c.value - t_);
      } else {
        kill(r);
        coalitions_.settle(c.key);
      }
    }
    return progress;
  }

  // Drops active coalitions whose excess the fixed ones now determine; in a regenerating row
  // set, also the slack rows once the LP has grown large (they return if violated again).
  void drop_determined_rows() {
    std::size_t active = 0;
    for (std::size_t r = 1; r < rows_.size(); ++r)
      if (!rows_[r].fixed && !rows_[r].dead) ++active;
    const bool trim = Coalitions::regenerates && active > 4 * limit_;
    std::vector<std::size_t> to_delete;
    for (std::size_t r = 1; r < rows_.size(); ++r) {
      if (rows_[r].dead) {
        if (lp_.row_is_basic(r)) to_delete.push_back(r);
        continue;
      }
      if (rows_[r].fixed) continue;
      if (span_.contains(rows_[r].coalition.members)) {
        coalitions_.settle(rows_[r].coalition.key);
        if (lp_.row_is_basic(r)) to_delete.push_back(r);
        else kill(r);
      } else if (trim && lp_.row_is_basic(r)) {
        to_delete.push_back(r);
        coalitions_.release(rows_[r].coalition.key);
      }
    }
    lp_.delete_rows(to_delete);
    std::size_t kept = 0;
    for (std::size_t r = 0, d = 0; r < rows_.size(); ++r) {
      if (d < to_delete.size() && to_delete[d] == r) {
        ++d;
        continue;
      }
      if (kept != r) rows_[kept] = std::move(rows_[r]);
      ++kept;
    }
    rows_.resize(kept);
  }

  void kill(std::size_t r) {
    rows_[r].dead = true;
    lp_.set_row(r, {}, {}, -lp_unbounded, lp_unbounded);
  }
  void write_indices(const std::vector<std::uint32_t>& members, bool with_t) {
    indices_.assign(members.begin(), members.end());
    if (with_t) indices_.push_back(n_);
    ones_.assign(indices_.size(), 1.0);
  }

  Backend& lp_;
  Coalitions& coalitions_;
  const sequence_problem& problem_;
  const nucleolus_options& options_;
  std::size_t n_, limit_ = 0;
  double scale_ = 1, tolerance_ = 0, t_ = 0;
  coalition_span span_;
  std::vector<row_state> rows_;
  std::vector<fixed_equation> equations_;
  std::vector<char> player_fixed_;
  std::vector<lp_coalition> fresh_;
  std::vector<std::size_t> indices_;
  std::vector<double> ones_;
  std::vector<double> x_;
  sequence_outcome outcome_;
};

template <LpBackend Backend, class Coalitions>
sequence_outcome sequential_lp(Backend& lp, Coalitions& coalitions, const sequence_problem& problem,
                               const nucleolus_options& options, bool least_core_only) {
  return nucleolus_sequence<Backend, Coalitions>(lp, coalitions, problem, options).run(least_core_only);
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

// The nucleolus is homogeneous: the answer for 10^D v is 10^D times the answer for v. A decimal
// game is solved as the integer game 10^D v and divided back here, exactly.
inline void divide_result(nucleolus_result& result, double factor) {
  const exact_rational exact_factor(factor);
  for (auto& xi : result.exact_allocation) xi /= exact_factor;
  for (auto& level : result.exact_levels) level /= exact_factor;
  for (auto& level : result.levels) level /= factor;
  result.certificate.max_excess /= exact_factor;
  if (result.exact_allocation.empty()) {
    for (auto& xi : result.allocation) xi /= factor;
  } else {
    for (std::size_t i = 0; i < result.allocation.size(); ++i) result.allocation[i] = static_cast<double>(result.exact_allocation[i]);
  }
}

template <LpBackend Backend, GameValue Value>
nucleolus_result assignment_nucleolus_as_given(const assignment_game<Value>& game, solution_kind kind,
                                               const nucleolus_options& options) {
  const Value grand = game.grand_value();
  assignment_coalitions<Value> coalitions(game);
  Backend lp;
  // In an assignment game the core is not empty, so prenucleolus and nucleolus coincide and the
  // imputation bounds can be left out of the LP.
  sequence_problem problem{game.players(), {}, {}, static_cast<double>(grand), exact_rational(grand)};
  nucleolus_result result = to_result(sequential_lp(lp, coalitions, problem, options, false), kind);
  result.assignment_fast_path = true;
  if (options.certify && !result.exact_allocation.empty())
    result.certificate = kohlberg_check(game, std::span<const exact_rational>(result.exact_allocation));
  return result;
}

template <LpBackend Backend, GameValue Value>
nucleolus_result assignment_nucleolus(const assignment_game<Value>& game, solution_kind kind, const nucleolus_options& options) {
  if constexpr (std::same_as<Value, double>) {
    if (options.decimal_values) {
      std::vector<double> gains;
      for (std::size_t i = 0; i < game.buyers(); ++i)
        for (std::size_t j = 0; j < game.sellers(); ++j) gains.push_back(game.pair_value(i, j));
      if (const auto places = common_decimal_places(gains)) {
        if (*places == 0) {
          nucleolus_result result = assignment_nucleolus_as_given<Backend>(game, kind, options);
          result.decimal_reading = true;
          return result;
        }
        const std::vector<double> scaled = scaled_by_power_of_ten(gains, *places);
        std::vector<std::vector<double>> rows(game.buyers());
        for (std::size_t i = 0; i < rows.size(); ++i)
          rows[i].assign(scaled.begin() + static_cast<std::ptrdiff_t>(i * game.sellers()),
                         scaled.begin() + static_cast<std::ptrdiff_t>((i + 1) * game.sellers()));
        nucleolus_result result = assignment_nucleolus_as_given<Backend>(assignment_game<double>(std::move(rows)), kind, options);
        divide_result(result, power_of_ten(*places));
        result.decimal_reading = true;
        return result;
      }
    }
  }
  return assignment_nucleolus_as_given<Backend>(game, kind, options);
}

// The general path on a tabulated game, its values taken as they are.
template <LpBackend Backend, GameValue Value>
nucleolus_result tabulated_nucleolus(const tu_game<Value>& table, solution_kind kind, const nucleolus_options& options) {
  const std::size_t n = table.players();
  sequence_problem problem;
  problem.players = n;
  if (kind == solution_kind::nucleolus)
    for (std::size_t i = 0; i < n; ++i) {
      problem.lower.push_back(static_cast<double>(table.value(coalition{1} << i)));
      problem.exact_lower.emplace_back(table.value(coalition{1} << i));
    }
  const Value grand = table.value(table.grand());
  problem.grand_value = static_cast<double>(grand);
  problem.exact_grand = exact_rational(grand);
  nucleolus_result result;
  if (n == 1) {
    result.kind = kind;
    result.exact_allocation = {exact_rational(grand)};
    result.allocation = {static_cast<double>(grand)};
  } else {
    dense_coalitions<Value> coalitions(table);
    Backend lp;
    result = to_result(sequential_lp(lp, coalitions, problem, options, false), kind);
  }
  if (options.certify && !result.exact_allocation.empty())
    result.certificate = kohlberg_check(table, std::span<const exact_rational>(result.exact_allocation), kind);
  return result;
}

template <LpBackend Backend, GameValue Value>
nucleolus_result general_nucleolus(const tu_game<Value>& game, solution_kind kind, const nucleolus_options& options) {
  if (const assignment_game<Value>* origin = game.assignment())
    return assignment_nucleolus<Backend>(*origin, kind, options);
  const std::size_t n = game.players();
  require(n <= max_dense_players, "players", n, "the nucleolus of a general game scans 2^n coalitions (at most 25 players)");
  // A tabulated game is used in place: at 25 players its table is 256 MiB.
  std::optional<tu_game<Value>> tabulated;
  if (!game.is_tabulated()) tabulated = game.tabulated();
  const tu_game<Value>& table = tabulated ? *tabulated : game;
  if (kind == solution_kind::nucleolus)
    require(has_imputations(table), "v(N)", tu_game<Value>::describe_value(table.value(table.grand())),
            "is below the sum of the singleton values v({i}): the imputation set is empty, so the game has no "
            "nucleolus (its prenucleolus still exists)");
  if constexpr (std::same_as<Value, double>) {
    if (options.decimal_values) {
      if (const auto places = common_decimal_places(table.table())) {
        if (*places == 0) {
          nucleolus_result result = tabulated_nucleolus<Backend>(table, kind, options);
          result.decimal_reading = true;  // integers are their own decimals
          return result;
        }
        const auto scaled = tu_game<double>::from_table(n, scaled_by_power_of_ten(table.table(), *places));
        tabulated.reset();
        nucleolus_result result = tabulated_nucleolus<Backend>(scaled, kind, options);
        divide_result(result, power_of_ten(*places));
        result.decimal_reading = true;
        return result;
      }
    }
  }
  return tabulated_nucleolus<Backend>(table, kind, options);
}

}  // namespace detail

// The backend is a template argument with no default here, so that this header names no solver:
// nucleolus<clp_backend>(game) or nucleolus<glpk_backend>(game); <evmarket/lp.hpp> adds
// overloads that default to GLPK.

/// The nucleolus: the imputation that lexicographically minimises the sorted excesses (paper 004
/// eq. 9). Throws bad_input when the imputation set is empty. Assignment games use the fast path.
template <LpBackend Backend, GameValue Value>
[[nodiscard]] nucleolus_result nucleolus(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return detail::general_nucleolus<Backend>(game, solution_kind::nucleolus, options);
}

/// The prenucleolus: the same over all efficient allocations (it always exists).
template <LpBackend Backend, GameValue Value>
[[nodiscard]] nucleolus_result prenucleolus(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return detail::general_nucleolus<Backend>(game, solution_kind::prenucleolus, options);
}

/// The nucleolus of an assignment game by its essential coalitions (equal to its prenucleolus).
template <LpBackend Backend, GameValue Value>
[[nodiscard]] nucleolus_result nucleolus(const assignment_game<Value>& game, const nucleolus_options& options = {}) {
  return detail::assignment_nucleolus<Backend>(game, solution_kind::nucleolus, options);
}

/// The least core (paper 004 eq. 11): the smallest epsilon such that some efficient x has every
/// excess <= epsilon, and one such x (epsilon is 0 for a one-player game: it has no proper coalition).
template <LpBackend Backend, GameValue Value>
[[nodiscard]] least_core_result least_core(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  const std::size_t n = game.players();
  detail::require(n <= max_dense_players, "players", n, "the least core of a general game scans 2^n coalitions (at most 25 players)");
  std::optional<tu_game<Value>> tabulated;
  if (!game.is_tabulated()) tabulated = game.tabulated();
  const tu_game<Value>& table = tabulated ? *tabulated : game;
  const Value grand = table.value(table.grand());
  if (n == 1) return {0.0, {static_cast<double>(grand)}};
  detail::dense_coalitions<Value> coalitions(table);
  Backend lp;
  const detail::sequence_problem problem{n, {}, {}, static_cast<double>(grand), exact_rational(grand)};
  detail::sequence_outcome outcome = detail::sequential_lp(lp, coalitions, problem, options, true);
  return {outcome.levels.front(), std::move(outcome.allocation)};
}

EVMARKET_END_NAMESPACE
