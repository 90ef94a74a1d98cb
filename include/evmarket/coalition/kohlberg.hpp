#pragma once
/// @file
/// Kohlberg's criterion in exact arithmetic: a public certificate that an allocation is the
/// prenucleolus or the nucleolus of a game. An efficient x is the prenucleolus iff, listing the
/// coalitions by decreasing excess e(S, x) in levels B_1, B_2, ..., every union B_1 u ... u B_k is
/// balanced; an imputation x is the nucleolus iff the same holds when the singletons of the players
/// held at v({i}) may join each union with weight >= 0 (Kohlberg 1971). The check stops at the first
/// union that spans R^n: every later union is then balanced too.

#include <evmarket/coalition/game.hpp>
#include <evmarket/detail/coalition_balance.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Which lexicographic centre an allocation claims to be.
enum class solution_kind {
  prenucleolus,  ///< over all efficient allocations
  nucleolus,     ///< over the imputations (x_i >= v({i}))
};

/// The verdict of Kohlberg's criterion on one allocation.
struct kohlberg_certificate {
  /// True when the allocation is proven to be the claimed solution.
  bool holds = false;
  /// Why it failed (empty when it holds).
  std::string reason;
  /// Excess levels examined before the coalitions spanned R^n (or the failing level, 1-based).
  std::size_t levels = 0;
  /// The largest excess over the coalitions examined (proper, non-empty).
  exact_rational max_excess;

  /// Same as `holds`.
  explicit operator bool() const noexcept { return holds; }
};

namespace detail {

/// Kohlberg's test over explicit coalitions sorted into levels. `level_of` returns the coalitions
/// (member lists) of each level in decreasing order of excess.
template <class NextLevel>
kohlberg_certificate kohlberg_levels(std::size_t players, std::vector<std::size_t> lower_tight, NextLevel next_level) {
  kohlberg_certificate verdict;
  balance_tracker tracker(players, std::move(lower_tight));
  std::vector<std::vector<std::uint32_t>> level;
  while (!tracker.spans()) {
    level.clear();
    if (!next_level(level)) break;  // no coalitions left
    ++verdict.levels;
    if (!tracker.add_level(level)) {
      verdict.reason = "the coalitions of the " + std::to_string(verdict.levels) +
                       " highest excess levels are not balanced: some coalition there can be given more";
      return verdict;
    }
  }
  if (!tracker.spans()) {
    verdict.reason = "the coalitions do not determine a unique allocation";
    return verdict;
  }
  verdict.holds = true;
  return verdict;
}

inline std::vector<std::uint32_t> members_of(coalition mask) {
  std::vector<std::uint32_t> members;
  for (; mask != 0; mask &= mask - 1) members.push_back(static_cast<std::uint32_t>(std::countr_zero(mask)));
  return members;
}

template <GameValue Value>
exact_rational to_exact(const Value& value) {
  return exact_rational(value);
}

inline boost::multiprecision::cpp_int lcm_of(const boost::multiprecision::cpp_int& a, const boost::multiprecision::cpp_int& b) {
  return a / boost::multiprecision::gcd(a, b) * b;
}

// Partial sums of x over the bit patterns of a slice of the players: sums[m] = x(m).
template <class Int>
std::vector<Int> slice_sums(const std::vector<Int>& x, std::size_t first, std::size_t bits) {
  std::vector<Int> sums(std::size_t{1} << bits);
  for (std::size_t m = 1; m < sums.size(); ++m)
    sums[m] = sums[m & (m - 1)] + x[first + static_cast<std::size_t>(std::countr_zero(static_cast<coalition>(m)))];
  return sums;
}

// The proper coalitions whose excess is among the `keep` largest (ties at the boundary included,
// so the last level is complete), sorted by decreasing excess. Two streaming passes over the
// 2^n excesses; nothing of size 2^n is stored.
template <class Int, class Excess>
std::vector<std::uint32_t> top_coalitions(std::size_t count, std::size_t keep, Excess excess) {
  std::vector<Int> best;
  bool have_cut = false;
  Int cut{};
  auto compact = [&] {
    std::nth_element(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(keep - 1), best.end(), std::greater<>());
    best.resize(keep);
    cut = best[keep - 1];
    have_cut = true;
  };
  for (std::size_t s = 1; s + 1 < count; ++s) {
    const Int e = excess(s);
    if (have_cut && !(e > cut)) continue;
    best.push_back(e);
    if (best.size() >= 2 * keep) compact();
  }
  if (best.size() > keep) compact();
  const Int floor = have_cut ? cut : *std::min_element(best.begin(), best.end());
  std::vector<std::pair<Int, std::uint32_t>> chosen;
  for (std::size_t s = 1; s + 1 < count; ++s) {
    Int e = excess(s);
    if (!(e < floor)) chosen.emplace_back(std::move(e), static_cast<std::uint32_t>(s));
  }
  std::sort(chosen.begin(), chosen.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::uint32_t> order(chosen.size());
  for (std::size_t k = 0; k < chosen.size(); ++k) order[k] = chosen[k].second;
  return order;
}

// Kohlberg's test over all proper coalitions of a tabulated game, with values and x scaled by a
// common denominator to integers so that they compare and add fast; Int is std::int64_t when
// every scaled value is small enough, else cpp_int. x(S) comes from two small tables of partial
// sums (low and high halves of the players). Only the top of the excess order is needed (until the
// levels span R^n): the largest excesses are taken first, and more only when they ran out.
template <class Int, class ScaledValue>
kohlberg_certificate kohlberg_dense(std::size_t n, ScaledValue scaled_value, const std::vector<Int>& x,
                                    const boost::multiprecision::cpp_int& denominator, std::vector<std::size_t> lower_tight) {
  const std::size_t count = std::size_t{1} << n, low_bits = n / 2;
  const std::vector<Int> low = slice_sums(x, 0, low_bits), high = slice_sums(x, low_bits, n - low_bits);
  const std::size_t low_mask = low.size() - 1;
  auto excess = [&](std::size_t s) -> Int { return scaled_value(s) - (low[s & low_mask] + high[s >> low_bits]); };
  for (std::size_t keep = std::min<std::size_t>(16 * n, count - 2);; keep = std::min(4 * keep, count - 2)) {
    const std::vector<std::uint32_t> order = top_coalitions<Int>(count, keep, excess);
    std::size_t position = 0;
    auto next_level = [&](std::vector<std::vector<std::uint32_t>>& level) {
      if (position >= order.size()) return false;
      const Int value = excess(order[position]);
      for (; position < order.size() && excess(order[position]) == value; ++position) level.push_back(members_of(order[position]));
      return true;
    };
    kohlberg_certificate verdict = kohlberg_levels(n, lower_tight, next_level);
    const bool ran_out = position >= order.size() && order.size() < count - 2;
    if (verdict.holds || !ran_out) {
      verdict.max_excess = exact_rational(boost::multiprecision::cpp_int(excess(order.front())), denominator);
      return verdict;
    }
  }
}

}  // namespace detail

/// Kohlberg's criterion for `allocation` on a game of at most max_dense_players players, in exact
/// arithmetic (a double game's values are taken exactly as the doubles they are).
template <GameValue Value>
[[nodiscard]] kohlberg_certificate kohlberg_check(const tu_game<Value>& game, std::span<const exact_rational> allocation,
                                                  solution_kind kind = solution_kind::nucleolus) {
  using boost::multiprecision::cpp_int;
  const std::size_t n = game.players();
  detail::require(allocation.size() == n, "allocation.size()", allocation.size(), "needs one payoff per player");
  detail::require(n <= max_dense_players, "players", n, "Kohlberg's criterion enumerates 2^n coalitions (at most 25 players)");
  std::optional<tu_game<Value>> tabulated;  // a tabulated game is read in place, not copied
  if (!game.is_tabulated()) tabulated = game.tabulated();
  const tu_game<Value>& table = tabulated ? *tabulated : game;
  const std::size_t count = std::size_t{1} << n;

  kohlberg_certificate verdict;
  exact_rational total(0);
  for (const auto& xi : allocation) total += xi;
  if (total != detail::to_exact(table.value(table.grand()))) {
    verdict.reason = "the allocation is not efficient: x(N) = " + total.str() + " differs from v(N)";
    return verdict;
  }
  std::vector<std::size_t> lower_tight;
  if (kind == solution_kind::nucleolus) {
    for (std::size_t i = 0; i < n; ++i) {
      const exact_rational own = detail::to_exact(table.value(coalition{1} << i));
      if (allocation[i] < own) {
        verdict.reason = "the allocation is not an imputation: player " + std::to_string(i) + " gets less than v({i})";
        return verdict;
      }
      if (allocation[i] == own) lower_tight.push_back(i);
    }
  }
  if (n == 1) {
    verdict.holds = true;
    return verdict;
  }

  // One common denominator turns every excess into an integer. Integer game values (the usual
  // case) and small denominators take a 64-bit path; anything else goes through cpp_int.
  cpp_int denominator = 1;
  for (const auto& xi : allocation) denominator = detail::lcm_of(denominator, boost::multiprecision::denominator(xi));
  std::vector<cpp_int> scaled_x(n);
  cpp_int largest_x = 0;
  for (std::size_t i = 0; i < n; ++i) {
    scaled_x[i] = boost::multiprecision::numerator(allocation[i]) * (denominator / boost::multiprecision::denominator(allocation[i]));
    largest_x = std::max(largest_x, cpp_int(abs(scaled_x[i])));
  }
  constexpr double integral_limit = 9007199254740992.0;  // 2^53
  bool integral = true;
  double largest_value = 0;
  for (std::size_t s = 0; s < count && integral; ++s) {
    const Value& v = table.table()[s];
    if constexpr (std::same_as<Value, double>) {
      integral = std::trunc(v) == v && std::abs(v) < integral_limit;
      largest_value = std::max(largest_value, std::abs(v));
    } else {
      integral = boost::multiprecision::denominator(v) == 1 && abs(v) < integral_limit;
      if (integral) largest_value = std::max(largest_value, std::abs(static_cast<double>(v)));
    }
  }
  // |excess| <= largest * D + n * largest_x: int64 is safe below 2^62.
  // Converted only below 2^62: a larger double does not fit a long long (the conversion is UB).
  const bool small_values = integral && largest_value < 0x1p62;
  if (small_values && cpp_int(static_cast<long long>(largest_value)) * denominator +
                              largest_x * static_cast<long long>(n + 1) < (cpp_int(1) << 62)) {
    const auto d = static_cast<std::int64_t>(denominator);
    std::vector<std::int64_t> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<std::int64_t>(scaled_x[i]);
    auto scaled_value = [&](std::size_t s) {
      if constexpr (std::same_as<Value, double>) return static_cast<std::int64_t>(table.table()[s]) * d;
      else return static_cast<std::int64_t>(table.value(static_cast<coalition>(s))) * d;
    };
    return detail::kohlberg_dense<std::int64_t>(n, scaled_value, x, denominator, std::move(lower_tight));
  }
  std::vector<cpp_int> scaled_values(count);
  for (std::size_t s = 0; s < count; ++s) {
    const exact_rational v = detail::to_exact(table.value(static_cast<coalition>(s)));
    denominator = detail::lcm_of(denominator, boost::multiprecision::denominator(v));
  }
  for (std::size_t s = 0; s < count; ++s) {
    const exact_rational v = detail::to_exact(table.value(static_cast<coalition>(s)));
    scaled_values[s] = boost::multiprecision::numerator(v) * (denominator / boost::multiprecision::denominator(v));
  }
  std::vector<cpp_int> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = boost::multiprecision::numerator(allocation[i]) * (denominator / boost::multiprecision::denominator(allocation[i]));
  return detail::kohlberg_dense<cpp_int>(n, [&](std::size_t s) -> const cpp_int& { return scaled_values[s]; }, x,
                                         denominator, std::move(lower_tight));
}

/// Kohlberg's criterion for an assignment game, over its essential coalitions (singletons and
/// buyer-seller pairs). The nucleolus of a game with a non-empty core depends on its essential
/// coalitions only (Huberman 1980) and lies in the core, so the certificate also demands that no
/// essential coalition has positive excess; with efficiency that proves v(N) is the best matching.
template <GameValue Value>
[[nodiscard]] kohlberg_certificate kohlberg_check(const assignment_game<Value>& game, std::span<const exact_rational> allocation) {
  const std::size_t m = game.buyers(), k = game.sellers(), n = game.players();
  detail::require(allocation.size() == n, "allocation.size()", allocation.size(), "needs one payoff per player");
  kohlberg_certificate verdict;
  exact_rational total(0);
  for (const auto& xi : allocation) total += xi;
  if (total != detail::to_exact(game.grand_value())) {
    verdict.reason = "the allocation is not efficient: x(N) = " + total.str() + " differs from v(N)";
    return verdict;
  }
  struct entry {
    exact_rational excess;
    std::uint32_t first, second;  // second == first for a singleton
  };
  std::vector<entry> entries;
  entries.reserve(m * k + n);
  for (std::size_t i = 0; i < n; ++i)
    entries.push_back({-allocation[i], static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i)});
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < k; ++j)
      entries.push_back({detail::to_exact(game.pair_value(i, j)) - allocation[i] - allocation[m + j],
                         static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(m + j)});
  std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.excess > b.excess; });
  verdict.max_excess = entries.front().excess;
  if (verdict.max_excess > 0) {
    verdict.reason = "the allocation is outside the core: some pair or player has a positive excess";
    return verdict;
  }
  std::size_t position = 0;
  auto next_level = [&](std::vector<std::vector<std::uint32_t>>& level) {
    if (position >= entries.size()) return false;
    const exact_rational value = entries[position].excess;
    for (; position < entries.size() && entries[position].excess == value; ++position) {
      const entry& e = entries[position];
      if (e.first == e.second) level.push_back({e.first});
      else level.push_back({e.first, e.second});
    }
    return true;
  };
  kohlberg_certificate result = detail::kohlberg_levels(n, {}, next_level);
  result.max_excess = verdict.max_excess;
  return result;
}

EVMARKET_END_NAMESPACE
