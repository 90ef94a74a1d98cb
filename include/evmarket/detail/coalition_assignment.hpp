#pragma once
/// @file
/// Internal: a maximum-weight assignment of a rectangular matrix (shortest augmenting paths with
/// dual potentials, O(m^2 n)), used for the grand coalition of an assignment game. Only the
/// matching is returned: callers re-add the matched entries exactly in their own value type.

#include <evmarket/config.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// match[i] = the column assigned to row i, or npos. Entries <= 0 are never worth matching, so a
/// row left unprofitable stays unmatched. `weight(i, j)` is the gain of pairing row i with column j.
template <class Weight>
std::vector<std::size_t> max_weight_assignment(std::size_t rows, std::size_t cols, Weight weight) {
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  // Square cost matrix of size rows + cols: the dummy columns let every row stay unmatched at cost
  // 0, the dummy rows absorb the unused real columns; cost = -max(weight, 0).
  const std::size_t size = rows + cols;
  auto cost = [&](std::size_t i, std::size_t j) -> double {
    if (i < rows && j < cols) {
      const double w = weight(i, j);
      return w > 0 ? -w : 0.0;
    }
    return 0.0;
  };
  const double infinity = std::numeric_limits<double>::infinity();
  // Potentials u (rows), v (columns) and the column->row matching, 1-based with 0 as the sentinel.
  std::vector<double> u(size + 1, 0.0), v(size + 1, 0.0), min_to(size + 1);
  std::vector<std::size_t> row_of(size + 1, 0), way(size + 1, 0);
  std::vector<char> used(size + 1);
  for (std::size_t i = 1; i <= size; ++i) {
    row_of[0] = i;
    std::size_t j0 = 0;
    std::fill(min_to.begin(), min_to.end(), infinity);
    std::fill(used.begin(), used.end(), char{0});
    do {
      used[j0] = 1;
      const std::size_t i0 = row_of[j0];
      double delta = infinity;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= size; ++j) {
        if (used[j]) continue;
        const double reduced = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (reduced < min_to[j]) { min_to[j] = reduced; way[j] = j0; }
        if (min_to[j] < delta) { delta = min_to[j]; j1 = j; }
      }
      for (std::size_t j = 0; j <= size; ++j) {
        if (used[j]) { u[row_of[j]] += delta; v[j] -= delta; }
        else min_to[j] -= delta;
      }
      j0 = j1;
    } while (row_of[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      row_of[j0] = row_of[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<std::size_t> match(rows, npos);
  for (std::size_t j = 1; j <= cols; ++j) {
    const std::size_t i = row_of[j];
    if (i >= 1 && i <= rows && weight(i - 1, j - 1) > 0) match[i - 1] = j - 1;
  }
  return match;
}

}  // namespace detail
EVMARKET_END_NAMESPACE
