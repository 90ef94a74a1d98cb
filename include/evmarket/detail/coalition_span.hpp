#pragma once
/// @file
/// Internal: the span of 0/1 coalition vectors in floating point (reduced row-echelon form), used
/// to drop coalitions whose excess the fixed ones already determine; and an exact incremental
/// linear solver for the final allocation.

#include <evmarket/config.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// Span of coalition indicator vectors, in doubles. Entries of the basis stay small rationals
/// (the vectors are 0/1), so a fixed absolute tolerance separates zero from non-zero.
class coalition_span {
public:
  explicit coalition_span(std::size_t players) : players_(players), pivot_row_(players, none) {}

  [[nodiscard]] std::size_t rank() const noexcept { return rows_.size(); }
  [[nodiscard]] bool full() const noexcept { return rows_.size() == players_; }

  /// True when 1_S is a combination of the vectors inserted so far.
  [[nodiscard]] bool contains(const std::vector<std::uint32_t>& members) const {
    if (full()) return true;
    residual(members, scratch_);
    for (std::size_t j = 0; j < players_; ++j)
      if (std::abs(scratch_[j]) > zero_tolerance) return false;
    return true;
  }

  /// Adds 1_S; returns false (and changes nothing) when it is already in the span.
  bool insert(const std::vector<std::uint32_t>& members) {
    if (full()) return false;
    std::vector<double> v;
    residual(members, v);
    std::size_t pivot = none;
    double largest = zero_tolerance;
    for (std::size_t j = 0; j < players_; ++j)
      if (std::abs(v[j]) > largest) { largest = std::abs(v[j]); pivot = j; }
    if (pivot == none) return false;
    const double scale = v[pivot];
    for (auto& a : v) a = std::abs(a) <= zero_tolerance ? 0.0 : a / scale;
    v[pivot] = 1.0;
    std::vector<std::size_t> support;
    for (std::size_t j = 0; j < players_; ++j)
      if (v[j] != 0.0) support.push_back(j);
    for (std::size_t row = 0; row < rows_.size(); ++row) {
      const double factor = rows_[row][pivot];
      if (factor == 0.0) continue;
      for (const std::size_t j : support) {
        double& a = rows_[row][j];
        a -= factor * v[j];
        if (std::abs(a) <= zero_tolerance) a = 0.0;
      }
      rows_[row][pivot] = 0.0;
      rebuild_support(row);
    }
    pivot_row_[pivot] = rows_.size();
    rows_.push_back(std::move(v));
    support_.push_back(std::move(support));
    return true;
  }

private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  static constexpr double zero_tolerance = 1e-9;

  void rebuild_support(std::size_t row) {
    support_[row].clear();
    for (std::size_t j = 0; j < players_; ++j)
      if (rows_[row][j] != 0.0) support_[row].push_back(j);
  }
  void residual(const std::vector<std::uint32_t>& members, std::vector<double>& v) const {
    v.assign(players_, 0.0);
    for (const auto i : members) v[i] += 1.0;
    for (const auto i : members) {
      const std::size_t row = pivot_row_[i];
      if (row == none) continue;
      for (const std::size_t j : support_[row]) v[j] -= rows_[row][j];
    }
  }

  std::size_t players_;
  std::vector<std::size_t> pivot_row_;
  std::vector<std::vector<double>> rows_;
  std::vector<std::vector<std::size_t>> support_;
  mutable std::vector<double> scratch_;
};

/// Exact incremental solver of a square-or-overdetermined linear system A x = b over rationals:
/// equations are added one at a time (sparse rows); dependent ones are dropped once reduced.
class exact_linear_system {
public:
  using rational = boost::multiprecision::cpp_rational;

  explicit exact_linear_system(std::size_t unknowns) : unknowns_(unknowns), pivot_row_(unknowns, none) {}

  [[nodiscard]] bool determined() const noexcept { return rows_.size() == unknowns_; }
  /// False once an added equation contradicted the earlier ones.
  [[nodiscard]] bool consistent() const noexcept { return consistent_; }

  /// Adds sum coefficients[k] x[variables[k]] = rhs.
  void add(const std::vector<std::pair<std::size_t, rational>>& terms, const rational& rhs) {
    if (determined()) return;
    std::vector<rational> v(unknowns_ + 1);
    for (const auto& [j, a] : terms) v[j] += a;
    v[unknowns_] = rhs;
    // Reduce by the existing rows (reduced echelon form: one pass suffices).
    for (std::size_t p = 0; p < unknowns_; ++p) {
      if (pivot_row_[p] == none || v[p].is_zero()) continue;
      const rational factor = v[p];
      const auto& row = rows_[pivot_row_[p]];
      for (const std::size_t j : support_[pivot_row_[p]]) v[j] -= factor * row[j];
    }
    std::size_t pivot = none;
    for (std::size_t j = 0; j < unknowns_ && pivot == none; ++j)
      if (!v[j].is_zero()) pivot = j;
    if (pivot == none) {
      if (!v[unknowns_].is_zero()) consistent_ = false;
      return;
    }
    const rational scale = v[pivot];
    std::vector<std::size_t> support;
    for (std::size_t j = 0; j <= unknowns_; ++j)
      if (!v[j].is_zero()) { v[j] /= scale; support.push_back(j); }
    for (std::size_t row = 0; row < rows_.size(); ++row) {
      if (rows_[row][pivot].is_zero()) continue;
      const rational factor = rows_[row][pivot];
      for (const std::size_t j : support) rows_[row][j] -= factor * v[j];
      support_[row].clear();
      for (std::size_t j = 0; j <= unknowns_; ++j)
        if (!rows_[row][j].is_zero()) support_[row].push_back(j);
    }
    pivot_row_[pivot] = rows_.size();
    rows_.push_back(std::move(v));
    support_.push_back(std::move(support));
  }

  /// The solution once determined().
  [[nodiscard]] std::vector<rational> solution() const {
    std::vector<rational> x(unknowns_);
    for (std::size_t p = 0; p < unknowns_; ++p) x[p] = rows_[pivot_row_[p]][unknowns_];
    return x;
  }

private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t unknowns_;
  std::vector<std::size_t> pivot_row_;
  std::vector<std::vector<rational>> rows_;
  std::vector<std::vector<std::size_t>> support_;
  bool consistent_ = true;
};

}  // namespace detail
EVMARKET_END_NAMESPACE
