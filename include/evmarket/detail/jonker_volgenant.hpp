#pragma once
/// @file
/// The Jonker-Volgenant engine behind matching/hungarian.hpp: shortest augmenting paths on a
/// row-major cost matrix, in either orientation, in working memory that outlives one solve.
/// Internal; the public face is matching/hungarian.hpp.

#include <evmarket/detail/matching_assignment_scan.hpp>
#include <evmarket/detail/matching_scalar.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// Working memory of one assignment solve, kept by assignment_solver so that repeated solves
/// neither allocate nor touch fresh pages.
template <class Work>
struct assignment_workspace {
  std::vector<std::ptrdiff_t> x;  ///< column of each row, or -1
  std::vector<std::ptrdiff_t> y;  ///< row of each column, or -1
  std::vector<Work> v;            ///< column potentials
  std::vector<std::ptrdiff_t> free_rows;
  std::vector<Work> dist;
  std::vector<Work> search_potential;
  std::vector<std::ptrdiff_t> pred;
  std::vector<std::pair<std::size_t, Work>> settled;
  std::vector<std::size_t> open;  ///< a long search's open columns, in any order
  // A long search's state of each open column, kept in the order of `open` so that a scan
  // reads them contiguously and gathers only the cost row.
  std::vector<Work> open_dist;
  std::vector<Work> open_potential;
  std::vector<std::ptrdiff_t> open_pred;
  std::vector<std::ptrdiff_t> open_owner;  ///< the column's row, or -1
  std::vector<Work> column_min;
  std::vector<std::ptrdiff_t> argmin;
  std::vector<int> matches;
  // Tall problems: per column, its cheapest rows in increasing cost (candidates_per_column slots).
  std::vector<Work> candidate_cost;
  std::vector<std::ptrdiff_t> candidate_row;
  std::vector<std::uint32_t> candidate_count;
  std::vector<std::uint32_t> candidate_head;  ///< first slot that may still hold a free row
  std::vector<std::uint32_t> eligible;        ///< allowed finite entries seen in the column
};

/// Jonker-Volgenant on a row-major matrix. Rows <= cols ("wide"): every row is matched, one
/// Dijkstra search from each row the start-up leaves free. Rows > cols ("tall"): every column is
/// matched, and each search starts from all free rows at once, so the matrix is still read row by
/// row and never transposed. `Negate` turns maximisation into minimisation on the fly; `Masked`
/// consults an allowed-pair mask.
template <MatchingScalar Scalar, bool Negate, bool Masked>
class jonker_volgenant {
 public:
  using arithmetic = matching_arithmetic<Scalar>;
  using work = typename arithmetic::work;
  static constexpr work infinity = arithmetic::infinity;

  /// `check`, when given, validates each row as the first pass over the matrix reads it (so the
  /// matrix is read once less); it may then throw from solve(), leaving only the workspace changed.
  jonker_volgenant(const Scalar* data, Eigen::Index stride, Eigen::Index rows, Eigen::Index cols, const bool* mask,
                   Eigen::Index mask_stride, assignment_workspace<work>& workspace,
                   const weight_validation* check = nullptr)
      : data_(data),
        stride_(stride),
        rows_(rows),
        cols_(cols),
        mask_(mask),
        mask_stride_(mask_stride),
        ws_(workspace),
        check_(check) {}

  /// Whether solve() reads every row in one first pass (and so can validate it there).
  [[nodiscard]] static bool reads_every_row_first(Eigen::Index rows, Eigen::Index cols) noexcept {
    return rows >= cols;
  }

  /// Fills the workspace's x (column of row), y (row of column) and v (column potentials); false
  /// when infeasible. Row potentials follow: u[i] = c(i, x[i]) - v[x[i]], 0 for a free row.
  bool solve() {
    ws_.x.assign(static_cast<std::size_t>(rows_), -1);
    ws_.y.assign(static_cast<std::size_t>(cols_), -1);
    ws_.v.assign(static_cast<std::size_t>(cols_), work{0});
    prepare_search();
    return rows_ <= cols_ ? solve_wide() : solve_tall();
  }

 private:
  // Tall start-up keeps this many cheapest rows per column; a column whose list runs out of free
  // rows is scanned again, which is rare because the matched rows are a small share.
  static constexpr std::uint32_t candidates_per_column = 8;

  const Scalar* data_;
  Eigen::Index stride_;
  Eigen::Index rows_;
  Eigen::Index cols_;
  const bool* mask_;
  Eigen::Index mask_stride_;
  assignment_workspace<work>& ws_;
  const weight_validation* check_;
  scan_isa isa_ = current_scan_isa();
  // State of the current search.
  std::size_t active_ = 0;  // size of ws_.open once a long search has switched to it
  work best_ = infinity;
  std::size_t best_j_ = 0;
  std::size_t best_k_ = 0;  // position of best_j_ in ws_.open
  std::size_t first_ = 0;   // before a long search, the open columns lie in [first_, last_)
  std::size_t last_ = 0;

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
  void validate_row(std::ptrdiff_t i) const {
    if (check_ != nullptr) validate_weight_row<Scalar>(row(i), i, cols_, mask_row(i), *check_);
  }

  void prepare_search() {
    const auto n = static_cast<std::size_t>(cols_);
    ws_.dist.resize(n);
    ws_.search_potential.resize(n);
    ws_.pred.resize(n);
    ws_.open.resize(n);
    ws_.open_dist.resize(n);
    ws_.open_potential.resize(n);
    ws_.open_pred.resize(n);
    ws_.open_owner.resize(n);
    ws_.settled.clear();
    ws_.settled.reserve(n);
  }

  bool solve_wide() {
    auto& free_rows = ws_.free_rows;
    free_rows.clear();
    if (rows_ == cols_) {
      if (!column_reduction()) return false;
    } else {
      // A rectangular problem needs v <= 0 with v = 0 on unassigned columns, which column
      // reduction would break; augmenting row reduction from v = 0 keeps it.
      for (std::ptrdiff_t i = 0; i < rows_; ++i) free_rows.push_back(i);
    }
    for (int pass = 0; pass < 2 && !free_rows.empty(); ++pass)
      if (!augmenting_row_reduction()) return false;
    for (const std::ptrdiff_t f : free_rows) {
      const std::ptrdiff_t end = search_from_row(f);
      if (end < 0) return false;  // no free column reachable
      augment_path(end);
    }
    return true;
  }

  // Column reduction: v[j] = min_i c(i, j) with u = 0, then a matching on the tight pairs
  // (c(i, j) == v[j]) and the reduction transfer. With ties a column has many cheapest rows;
  // up to tied_slots of them are kept, sampled evenly over the rows, so that the rows the first
  // pass leaves free are still reachable from some column.
  static constexpr std::uint32_t tied_slots = 8;

  bool column_reduction() {
    const auto n = static_cast<std::size_t>(cols_);
    ws_.column_min.assign(n, infinity);
    ws_.candidate_row.resize(n * tied_slots);
    ws_.eligible.assign(n, 0);  // rows tied at the minimum so far, per column
    work* const column_min = ws_.column_min.data();
    std::ptrdiff_t* const tied = ws_.candidate_row.data();
    std::uint32_t* const ties = ws_.eligible.data();
    for (std::ptrdiff_t i = 0; i < rows_; ++i) {  // row by row, so the matrix is read in order
      validate_row(i);
      const Scalar* r = row(i);
      const bool* m = mask_row(i);
      for (std::size_t j = 0; j < n; ++j) {
        const work c = cost(r[j]);
        if (!allowed(m, static_cast<std::ptrdiff_t>(j)) || !(c <= column_min[j]) || !finite(c)) continue;
        if (c < column_min[j]) {
          column_min[j] = c;
          ties[j] = 0;
        }
        record_tie(tied + j * tied_slots, ties[j]++, i, j);
      }
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (ties[j] == 0) return false;  // a column no row may take
      ws_.v[j] = column_min[j];
    }
    match_tied_rows();
    reduction_transfer();
    return true;
  }

  // Keeps the t-th row tied at a column's minimum with probability tied_slots / (t + 1), the
  // choice made by a fixed hash (reservoir sampling without a random source).
  static void record_tie(std::ptrdiff_t* slots, std::uint32_t t, std::ptrdiff_t i, std::size_t j) {
    if (t < tied_slots) {
      slots[t] = i;
      return;
    }
    const std::uint64_t h = (static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL) ^ (j * 0xC2B2AE3D27D4EB4FULL);
    const std::uint64_t pick = (h >> 17) % (static_cast<std::uint64_t>(t) + 1);
    if (pick < tied_slots) slots[pick] = i;
  }

  // A maximal matching on the kept tight pairs, then short augmenting paths over them from each
  // column left free (a bounded depth-first search): the tight pairs are a sparse graph, so this
  // settles most ties without scanning a row. What it leaves is handled exactly further on.
  void match_tied_rows() {
    auto& x = ws_.x;
    auto& y = ws_.y;
    const auto n = static_cast<std::size_t>(cols_);
    const std::ptrdiff_t* const tied = ws_.candidate_row.data();
    const auto kept = [&](std::size_t j) { return std::min<std::uint32_t>(ws_.eligible[j], tied_slots); };
    for (std::size_t j = n; j-- > 0;) {
      for (std::uint32_t k = 0; k < kept(j); ++k) {
        const auto i = static_cast<std::size_t>(tied[j * tied_slots + k]);
        if (x[i] >= 0) continue;
        x[i] = static_cast<std::ptrdiff_t>(j);
        y[j] = tied[j * tied_slots + k];
        break;
      }
    }
    // Depth-first search from each free column through (column -> tied row -> its column) to a
    // free row (Kuhn's algorithm). Columns seen by a failed search cannot reach a free row until
    // the matching changes, so the stamp in `visited` (ws_.pred, reused) moves on only after a
    // success; the budget bounds the rest.
    auto& visited = ws_.pred;
    std::fill(visited.begin(), visited.end(), -1);
    auto& stack = ws_.open;                                  // columns on the current path
    std::vector<std::uint32_t>& next = ws_.candidate_count;  // next slot to try, per column
    next.assign(n, 0);
    std::size_t budget = 64 * n * tied_slots + 64;
    std::ptrdiff_t stamp = 0;
    for (std::size_t j0 = 0; j0 < n && budget > 0; ++j0) {
      if (y[j0] >= 0 || visited[j0] == stamp) continue;
      std::size_t depth = 0;
      stack[depth++] = j0;
      visited[j0] = stamp;
      next[j0] = 0;
      while (depth > 0 && budget > 0) {
        const std::size_t j = stack[depth - 1];
        if (next[j] == kept(j)) {
          --depth;
          continue;
        }
        --budget;
        const std::ptrdiff_t i = tied[j * tied_slots + next[j]++];
        const std::ptrdiff_t owned = x[static_cast<std::size_t>(i)];
        if (owned < 0) {  // a free row: flip the path
          for (std::size_t d = depth; d-- > 0;) {
            const std::size_t column = stack[d];
            const std::ptrdiff_t row_taken = tied[column * tied_slots + next[column] - 1];
            x[static_cast<std::size_t>(row_taken)] = static_cast<std::ptrdiff_t>(column);
            y[column] = row_taken;
          }
          ++stamp;
          break;
        }
        const auto k = static_cast<std::size_t>(owned);
        if (visited[k] == stamp) continue;
        visited[k] = stamp;
        next[k] = 0;
        stack[depth++] = k;
      }
    }
  }

  // Reduction transfer: a row that is the only cheapest row of exactly one column, its own,
  // hands that column the slack to its second choice, so the column's potential reflects it.
  // (Elsewhere the second choice is a tie and the transfer would be zero: no row is scanned.)
  // Rows left free are collected for the next phases.
  void reduction_transfer() {
    auto& v = ws_.v;
    auto& sole_minima = ws_.matches;  // columns of which the row is the only cheapest row
    sole_minima.assign(static_cast<std::size_t>(rows_), 0);
    for (std::size_t j = 0; j < static_cast<std::size_t>(cols_); ++j)
      if (ws_.eligible[j] == 1) ++sole_minima[static_cast<std::size_t>(ws_.candidate_row[j * tied_slots])];
    for (std::ptrdiff_t i = 0; i < rows_; ++i) {
      const std::ptrdiff_t j1 = ws_.x[static_cast<std::size_t>(i)];
      if (j1 < 0) {
        ws_.free_rows.push_back(i);
        continue;
      }
      if (sole_minima[static_cast<std::size_t>(i)] != 1 || ws_.eligible[static_cast<std::size_t>(j1)] != 1) continue;
      const Scalar* r = row(i);
      const bool* m = mask_row(i);
      work second = infinity;
      for (std::ptrdiff_t j = 0; j < cols_; ++j) {
        if (j == j1 || !allowed(m, j)) continue;
        second = std::min(second, cost(r[j]) - v[static_cast<std::size_t>(j)]);
      }
      if (finite(second)) v[static_cast<std::size_t>(j1)] -= second;
    }
  }

  // Auction-like passes: each free row bids for its cheapest column, lowering that column's
  // potential by the gap to its second choice and evicting the previous owner. Bounded work: it
  // only prepares the exact augmentation below, so stopping early costs speed, not optimality.
  bool augmenting_row_reduction() {
    auto& x = ws_.x;
    auto& y = ws_.y;
    auto& v = ws_.v;
    auto& free_rows = ws_.free_rows;
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

  // ---- The Dijkstra search, over reduced costs c(i, j) - u[i] - v[j] >= 0 ----
  // A settled column gets a potential of "minus infinity" in the search's copy of v, so no later
  // scan can relax it, and a distance of +infinity, so no later scan selects it: the scan of a row
  // is then a pass over contiguous arrays with no branch, spanning only the range the open
  // columns still occupy, and a second pass that finds the minimum's position. Once a search has
  // settled an eighth of the columns and they are scattered over that range, it is a long one,
  // and it scans a compact list of the open columns instead. Both passes have vector kernels
  // (detail/matching_assignment_scan.hpp) that compute exactly what the portable loops do, so every
  // instruction set gives the same assignment.

  // Far enough below every potential that offset + cost - it stays above `infinity`.
  static constexpr work settled_mark = arithmetic::exact ? -2 * infinity : -infinity;

  void begin_search() {
    ws_.settled.clear();
    std::copy(ws_.v.begin(), ws_.v.end(), ws_.search_potential.begin());
    active_ = 0;
    first_ = 0;
    last_ = static_cast<std::size_t>(cols_);
  }

  // Drops settled columns from both ends of the range a short search scans.
  void narrow_range() {
    const work* const pot = ws_.search_potential.data();
    while (first_ < last_ && pot[first_] == settled_mark) ++first_;
    while (last_ > first_ && pot[last_ - 1] == settled_mark) --last_;
  }

  // Relaxes entries [begin, end) from row i, whose distance minus u[i] is `offset`, and returns
  // the smallest distance among them. Entry k is column open[k] when Gather, column k otherwise;
  // pot, dist and from are indexed by k. One pass with no state carried from one entry to the
  // next but a running minimum (four of them, so that they do not wait on each other); a vector
  // kernel does the bulk where there is one, this loop the rest.
  template <bool Gather>
  work relax_all(std::size_t begin, std::size_t end, const std::size_t* open, const Scalar* r, const bool* m,
                 const work* pot, work* dist, std::ptrdiff_t* from, std::ptrdiff_t i, work offset) const noexcept {
    std::size_t k = begin;
    work lowest[4] = {infinity, infinity, infinity, infinity};
#if EVMARKET_ASSIGNMENT_SCAN_X86
    if constexpr (std::is_same_v<Scalar, double> && !Masked) {
      if (isa_ == scan_isa::avx2)
        k = scan_kernel::relax_avx2<Gather, Negate>(begin, end, open, r, pot, dist, from, i, offset, lowest);
      else if (isa_ == scan_isa::sse2)
        k = scan_kernel::relax_sse2<Gather, Negate>(begin, end, open, r, pot, dist, from, i, offset, lowest);
    }
#endif
    const auto relax = [&](std::size_t at) {
      const std::size_t j = Gather ? open[at] : at;
      const work candidate = allowed(m, static_cast<std::ptrdiff_t>(j)) ? offset + cost(r[j]) - pot[at] : infinity;
      const work old = dist[at];
      const bool better = candidate < old;
      const work now = better ? candidate : old;
      dist[at] = now;
      from[at] = better ? i : from[at];
      return now;
    };
    for (; k + 4 <= end; k += 4)
      for (std::size_t lane = 0; lane < 4; ++lane) lowest[lane] = std::min(lowest[lane], relax(k + lane));
    for (; k < end; ++k) lowest[0] = std::min(lowest[0], relax(k));
    return std::min(std::min(lowest[0], lowest[1]), std::min(lowest[2], lowest[3]));
  }

  // The entry of [begin, end) at distance `nearest` that a search settles next: the first free
  // column at that distance (owner[k] < 0: it ends the search), else the first at that distance;
  // `end` when none is finite.
  std::size_t select(std::size_t begin, std::size_t end, const work* dist, const std::ptrdiff_t* owner,
                     work nearest) const noexcept {
    if (!finite(nearest)) return end;
    std::size_t free = end, any = end;
#if EVMARKET_ASSIGNMENT_SCAN_X86
    if constexpr (std::is_same_v<work, double>) {
      scan_kernel::tie_choice found{end, end};
      if (isa_ == scan_isa::avx2) found = scan_kernel::first_equal_avx2(begin, end, dist, owner, nearest);
      if (isa_ == scan_isa::sse2) found = scan_kernel::first_equal_sse2(begin, end, dist, owner, nearest);
      if (isa_ != scan_isa::portable) return found.free < end ? found.free : found.any;
    }
#endif
    for (std::size_t k = begin; k < end && free == end; ++k) {
      if (!(dist[k] == nearest)) continue;
      any = any == end ? k : any;
      free = owner[k] < 0 ? k : free;
    }
    return free < end ? free : any;
  }

  // Relaxes every open column from row i, whose distance minus u[i] is `offset`, and selects the
  // nearest open column, a free one among equals since it ends the search.
  void scan_row(std::ptrdiff_t i, work offset) {
    const auto n = static_cast<std::size_t>(cols_);
    // Settled columns clustered at the ends of the range cost nothing; scattered ones make the
    // range scan read dead entries, and then the compact list is cheaper despite its gather.
    if (active_ == 0 && ws_.settled.size() * 8 >= n && (last_ - first_) > 2 * (n - ws_.settled.size()))
      open_long_search();
    const Scalar* r = row(i);
    const bool* m = mask_row(i);
    if (active_ == 0) {
      const std::ptrdiff_t* const owner = ws_.y.data();
      const work best = relax_all<false>(first_, last_, nullptr, r, m, ws_.search_potential.data(), ws_.dist.data(),
                                         ws_.pred.data(), i, offset);
      best_ = best;
      const std::size_t j = select(first_, last_, ws_.dist.data(), owner, best);
      best_j_ = j < last_ ? j : n;
      best_k_ = 0;
    } else {
      const work best = relax_all<true>(0, active_, ws_.open.data(), r, m, ws_.open_potential.data(),
                                        ws_.open_dist.data(), ws_.open_pred.data(), i, offset);
      best_ = best;
      best_k_ = select(0, active_, ws_.open_dist.data(), ws_.open_owner.data(), best);
      best_j_ = best_k_ < active_ ? ws_.open[best_k_] : n;
    }
  }

  // A long search: from here on, scans read the open columns' state from compact arrays.
  void open_long_search() {
    const auto n = static_cast<std::size_t>(cols_);
    for (std::size_t j = 0; j < n; ++j) {
      if (ws_.search_potential[j] == settled_mark) continue;
      ws_.open[active_] = j;
      ws_.open_dist[active_] = ws_.dist[j];
      ws_.open_potential[active_] = ws_.search_potential[j];
      ws_.open_pred[active_] = ws_.pred[j];
      ws_.open_owner[active_] = ws_.y[j];
      ++active_;
    }
  }

  // Removes open entry k of a long search (the last entry takes its place), keeping its
  // predecessor for augment_path.
  void close_open_entry(std::size_t k) {
    ws_.pred[ws_.open[k]] = ws_.open_pred[k];
    --active_;
    ws_.open[k] = ws_.open[active_];
    ws_.open_dist[k] = ws_.open_dist[active_];
    ws_.open_potential[k] = ws_.open_potential[active_];
    ws_.open_pred[k] = ws_.open_pred[active_];
    ws_.open_owner[k] = ws_.open_owner[active_];
  }

  // Settles the selected column and continues from its owner until a free column is settled.
  // Returns that column, or -1 when no free column is reachable.
  std::ptrdiff_t finish_search() {
    const auto n = static_cast<std::size_t>(cols_);
    for (;;) {
      if (best_j_ == n || !finite(best_)) return -1;
      const std::size_t j = best_j_;
      ws_.settled.emplace_back(j, best_);
      ws_.dist[j] = infinity;
      ws_.search_potential[j] = settled_mark;
      if (active_ > 0)
        close_open_entry(best_k_);
      else
        narrow_range();
      const std::ptrdiff_t i = ws_.y[j];
      if (i < 0) return static_cast<std::ptrdiff_t>(j);
      scan_row(i, best_ - (cost(row(i)[j]) - ws_.v[j]));
    }
  }

  // Shortest path from free row f (u[f] taken as 0) to a free column; updates v and returns the
  // column, or -1. Only the settled columns' potentials move, so unassigned columns keep v = 0.
  std::ptrdiff_t search_from_row(std::ptrdiff_t f) {
    std::fill(ws_.dist.begin(), ws_.dist.end(), infinity);
    begin_search();
    scan_row(f, 0);
    const std::ptrdiff_t end = finish_search();
    if (end < 0) return end;
    const work delta = ws_.settled.back().second;
    for (const auto& [j, dj] : ws_.settled) ws_.v[j] += dj - delta;
    return end;
  }

  // Flips the path that ends at free column `end`: each column takes the row it was reached from.
  void augment_path(std::ptrdiff_t end) {
    std::ptrdiff_t j = end;
    for (;;) {
      const std::ptrdiff_t previous = ws_.pred[static_cast<std::size_t>(j)];
      ws_.y[static_cast<std::size_t>(j)] = previous;
      std::swap(j, ws_.x[static_cast<std::size_t>(previous)]);
      if (j < 0) break;  // the path began at a free row
    }
  }

  // ---- Tall problems: rows > cols, every column matched, u = 0 on every free row ----

  bool solve_tall() {
    if (!collect_candidates()) return false;
    // Every column starts at its minimum, v[j] = min_i c(i, j), tight on its cheapest rows; a
    // column takes one of those that is still free (row potentials stay 0: a feasible dual).
    std::size_t unmatched = 0;
    const std::uint32_t slots = candidates_per_column;
    for (std::size_t j = 0; j < static_cast<std::size_t>(cols_); ++j) {
      const work* c = ws_.candidate_cost.data() + j * slots;
      const std::ptrdiff_t* r = ws_.candidate_row.data() + j * slots;
      ws_.v[j] = c[0];
      for (std::uint32_t k = 0; k < ws_.candidate_count[j] && c[k] == c[0]; ++k) {
        if (ws_.x[static_cast<std::size_t>(r[k])] >= 0) continue;
        ws_.x[static_cast<std::size_t>(r[k])] = static_cast<std::ptrdiff_t>(j);
        ws_.y[j] = r[k];
        break;
      }
      unmatched += ws_.y[j] < 0;
    }
    for (; unmatched > 0; --unmatched) {
      const std::ptrdiff_t end = search_from_free_rows();
      if (end < 0) return false;
      augment_path(end);
    }
    return true;
  }

  // Inserts (cost, row) into column j's sorted candidate slots, dropping the most expensive.
  void insert_candidate(std::size_t j, work c, std::ptrdiff_t i) {
    work* costs = ws_.candidate_cost.data() + j * candidates_per_column;
    std::ptrdiff_t* rows = ws_.candidate_row.data() + j * candidates_per_column;
    std::uint32_t& count = ws_.candidate_count[j];
    std::uint32_t k = count < candidates_per_column ? count++ : candidates_per_column - 1;
    for (; k > 0 && c < costs[k - 1]; --k) {
      costs[k] = costs[k - 1];
      rows[k] = rows[k - 1];
    }
    costs[k] = c;
    rows[k] = i;
  }

  // One pass over the matrix in memory order: each column's cheapest rows. False when a column
  // has no allowed entry (nothing can match it).
  bool collect_candidates() {
    const auto n = static_cast<std::size_t>(cols_);
    const std::size_t slots = candidates_per_column;
    ws_.candidate_cost.assign(n * slots, infinity);
    ws_.candidate_row.resize(n * slots);
    ws_.candidate_count.assign(n, 0);
    ws_.candidate_head.assign(n, 0);
    ws_.eligible.assign(n, 0);
    // threshold[j]: the cost a row must beat to enter column j's slots (its last slot).
    ws_.column_min.assign(n, infinity);
    work* const threshold = ws_.column_min.data();
    std::uint32_t* const eligible = ws_.eligible.data();
    for (std::ptrdiff_t i = 0; i < rows_; ++i) {
      validate_row(i);
      const Scalar* r = row(i);
      const bool* m = mask_row(i);
      for (std::size_t j = 0; j < n; ++j) {
        const work c = cost(r[j]);
        const bool usable = allowed(m, static_cast<std::ptrdiff_t>(j)) && finite(c);
        eligible[j] += usable ? 1U : 0U;
        if (usable && c < threshold[j]) {
          insert_candidate(j, c, i);
          if (ws_.candidate_count[j] == slots) threshold[j] = ws_.candidate_cost[j * slots + slots - 1];
        }
      }
    }
    for (std::size_t j = 0; j < n; ++j)
      if (ws_.candidate_count[j] == 0) return false;
    return true;
  }

  // The cheapest allowed entry of column j among the free rows, and its row (-1 when none).
  std::pair<work, std::ptrdiff_t> cheapest_free(std::size_t j) {
    const std::size_t slots = candidates_per_column;
    for (;;) {
      std::uint32_t& head = ws_.candidate_head[j];
      const std::uint32_t count = ws_.candidate_count[j];
      const std::ptrdiff_t* rows = ws_.candidate_row.data() + j * slots;
      while (head < count && ws_.x[static_cast<std::size_t>(rows[head])] >= 0) ++head;
      if (head < count) return {ws_.candidate_cost[j * slots + head], rows[head]};
      if (ws_.eligible[j] <= count) return {infinity, -1};  // the slots held every usable row
      refill_candidates(j);
    }
  }

  // Rebuilds column j's slots from the free rows (a strided pass: rare, see candidates_per_column).
  void refill_candidates(std::size_t j) {
    ws_.candidate_count[j] = 0;
    ws_.candidate_head[j] = 0;
    std::uint32_t usable_rows = 0;
    for (std::ptrdiff_t i = 0; i < rows_; ++i) {
      if (ws_.x[static_cast<std::size_t>(i)] >= 0 || !allowed(mask_row(i), static_cast<std::ptrdiff_t>(j))) continue;
      const work c = cost(row(i)[j]);
      if (!finite(c)) continue;
      ++usable_rows;
      if (ws_.candidate_count[j] < candidates_per_column ||
          c < ws_.candidate_cost[j * candidates_per_column + candidates_per_column - 1])
        insert_candidate(j, c, i);
    }
    ws_.eligible[j] = usable_rows;
  }

  // Shortest path from the free rows (all at distance 0, u = 0) to any free column. Potentials
  // move by min(distance, delta) (Johnson's rule), which keeps u = 0 on the rows still free.
  std::ptrdiff_t search_from_free_rows() {
    const auto n = static_cast<std::size_t>(cols_);
    begin_search();
    work best = infinity;
    std::size_t best_j = n;
    for (std::size_t j = 0; j < n; ++j) {
      const auto [c, i] = cheapest_free(j);
      const work d = i >= 0 ? c - ws_.v[j] : infinity;
      ws_.dist[j] = d;
      ws_.pred[j] = i;
      const bool wins = d < best || (d == best && ws_.y[j] < 0);
      best = wins ? d : best;
      best_j = wins ? j : best_j;
    }
    best_ = best;
    best_j_ = best_j;
    best_k_ = 0;
    const std::ptrdiff_t end = finish_search();
    if (end < 0) return end;
    const work delta = ws_.settled.back().second;
    for (auto& potential : ws_.v) potential += delta;
    for (const auto& [j, dj] : ws_.settled) ws_.v[j] += dj - delta;
    return end;
  }
};

}  // namespace detail
EVMARKET_END_NAMESPACE
