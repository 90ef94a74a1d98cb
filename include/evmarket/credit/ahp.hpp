#pragma once
/// @file
/// The analytic hierarchy process (Saaty): priority weights from a positive reciprocal matrix of
/// pairwise comparisons, its consistency ratio, Harker's method for matrices with missing
/// judgments, and the aggregation of several experts' judgments or priorities. Paper 001 weights
/// its three reservation criteria (time, location, energy) this way.
///
/// Everything here is real-valued (double): priorities are ratios on a judgment scale, not money
/// or quota, so the tolerances are named where they apply.

#include <evmarket/core/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Default bound on |a_ij * a_ji - 1| when a matrix is checked for reciprocity. Entries computed
/// as 1.0 / x pass with room to spare; judgments typed as rounded decimals (0.333 for 1/3) need a
/// looser bound passed explicitly, or pairwise_matrix::from_upper_triangle.
inline constexpr double default_reciprocity_tolerance = 1e-6;

namespace detail {

inline std::string ahp_entry_field(std::string_view name, std::size_t row, std::size_t column) {
  return std::string(name) + "[" + std::to_string(row) + "][" + std::to_string(column) + "]";
}

inline void require_judgment(double value, std::string_view name, std::size_t row, std::size_t column) {
  if (!std::isfinite(value) || value <= 0.0)
    throw bad_input(ahp_entry_field(name, row, column), describe(value), "must be a finite positive judgment");
}

}  // namespace detail

/// A validated n x n positive reciprocal matrix of pairwise comparisons: a(i, j) says how many
/// times criterion i matters more than criterion j, a(i, i) = 1 and a(j, i) = 1 / a(i, j).
class pairwise_matrix {
 public:
  /// Validates `judgments`: square, n >= 1, every entry finite and positive, a unit diagonal
  /// (within `tolerance`), and |a_ij * a_ji - 1| <= `tolerance`. Errors name the entry, e.g.
  /// "judgments[2][0]". The diagonal is then stored as exactly 1: a criterion compared with
  /// itself is 1 by definition, and a diagonal the tolerance let through would pull lambda_max
  /// below n (and the consistency index below 0).
  explicit pairwise_matrix(Eigen::MatrixXd judgments, double tolerance = default_reciprocity_tolerance)
      : values_(std::move(judgments)) {
    detail::require(std::isfinite(tolerance) && tolerance >= 0.0, "tolerance", tolerance,
                    "must be finite and not negative");
    detail::require(values_.rows() == values_.cols(), "judgments",
                    std::to_string(values_.rows()) + "x" + std::to_string(values_.cols()), "must be square");
    detail::require(values_.rows() >= 1, "judgments", "0x0", "must compare at least one criterion");
    const auto n = static_cast<std::size_t>(values_.rows());
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) detail::require_judgment(at(i, j), "judgments", i, j);
    for (std::size_t i = 0; i < n; ++i) {
      if (std::abs(at(i, i) - 1.0) > tolerance)
        throw bad_input(detail::ahp_entry_field("judgments", i, i), detail::describe(at(i, i)),
                        "a criterion compared with itself must be 1");
      for (std::size_t j = i + 1; j < n; ++j)
        if (std::abs(at(i, j) * at(j, i) - 1.0) > tolerance)
          throw bad_input(detail::ahp_entry_field("judgments", j, i), detail::describe(at(j, i)),
                          "must be the reciprocal of judgments[" + std::to_string(i) + "][" + std::to_string(j) +
                              "] = " + detail::describe(at(i, j)));
    }
    values_.diagonal().setOnes();
  }

  /// A matrix from its rows, e.g. {{1, 5, 7}, {1. / 5, 1, 3}, {1. / 7, 1. / 3, 1}}.
  [[nodiscard]] static pairwise_matrix from_rows(std::initializer_list<std::initializer_list<double>> rows,
                                                 double tolerance = default_reciprocity_tolerance) {
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd m(n, n);
    Eigen::Index i = 0;
    for (const auto& row : rows) {
      detail::require(
          static_cast<Eigen::Index>(row.size()) == n, detail::element_field("judgments", static_cast<std::size_t>(i)),
          std::to_string(row.size()) + " entries", "every row needs one entry per criterion (must be square)");
      Eigen::Index j = 0;
      for (const double value : row) m(i, j++) = value;
      ++i;
    }
    return pairwise_matrix(std::move(m), tolerance);
  }

  /// A matrix from the judgments above its diagonal, row by row (a_01, a_02, ..., a_12, ...):
  /// n (n - 1) / 2 values. The diagonal is 1 and the lower triangle the exact reciprocals.
  [[nodiscard]] static pairwise_matrix from_upper_triangle(std::size_t n, std::span<const double> upper) {
    detail::require(n >= 1, "n", n, "must compare at least one criterion");
    detail::require(upper.size() == n * (n - 1) / 2, "upper", std::to_string(upper.size()) + " values",
                    "must hold n (n - 1) / 2 = " + std::to_string(n * (n - 1) / 2) + " judgments");
    const auto size = static_cast<Eigen::Index>(n);
    Eigen::MatrixXd m = Eigen::MatrixXd::Ones(size, size);
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j, ++k) {
        detail::require_judgment(upper[k], "judgments", i, j);
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = upper[k];
        m(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = 1.0 / upper[k];
      }
    return pairwise_matrix(std::move(m));
  }

  /// Number of criteria compared.
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(values_.rows()); }
  /// The judgment a(i, j).
  [[nodiscard]] double at(std::size_t i, std::size_t j) const {
    return values_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  }
  /// The whole matrix (a concrete Eigen matrix, not an expression).
  [[nodiscard]] const Eigen::MatrixXd& values() const noexcept { return values_; }

 private:
  Eigen::MatrixXd values_;
};

/// PriorityMethod: turns a pairwise matrix into priority weights (positive, summing to 1, one per
/// criterion). The methods disagree on inconsistent matrices, so the choice is the caller's.
template <class Method>
concept PriorityMethod = requires(const Method& method, const pairwise_matrix& matrix) {
  { method.priorities(matrix) } -> std::same_as<std::vector<double>>;
  { Method::name } -> std::convertible_to<std::string_view>;
};

namespace detail {

inline std::vector<double> to_weights(const Eigen::VectorXd& v) {
  std::vector<double> w(static_cast<std::size_t>(v.size()));
  Eigen::VectorXd::Map(w.data(), v.size()) = v / v.sum();
  // Judgments valid one by one (say 1e308 and its reciprocal) can still span more orders of
  // magnitude than a double holds: a weight then underflows to 0 or the sums overflow. Refuse
  // rather than return a weight that is not a positive number.
  for (std::size_t i = 0; i < w.size(); ++i)
    if (!std::isfinite(w[i]) || w[i] <= 0.0)
      throw bad_input("judgments", "a matrix whose weight " + std::to_string(i) + " comes out as " + describe(w[i]),
                      "the judgments span more orders of magnitude than double precision holds");
  return w;
}

inline Eigen::VectorXd geometric_mean_of_rows(const Eigen::MatrixXd& m) {
  // Averaging logarithms keeps the product of 15 entries of up to 9 far from overflow.
  Eigen::VectorXd w = m.array().log().rowwise().mean().exp().matrix();
  return w / w.sum();
}

/// Result of a power iteration: the Perron vector (summing to 1) and its eigenvalue.
struct perron_pair {
  Eigen::VectorXd vector;
  double value = 0.0;
};

/// Power iteration for the Perron pair of a nonnegative primitive matrix, started at `start`
/// (positive, summing to 1). With w summing to 1, lambda = sum(A w) once w is an eigenvector.
/// Stops when successive iterates differ by at most `tolerance` in every entry (or by the rounding
/// noise of an n-term product, 8 n epsilon, if that is larger, so large n cannot stall).
inline perron_pair power_iteration(const Eigen::MatrixXd& m, Eigen::VectorXd start, double tolerance,
                                   int max_iterations) {
  tolerance = std::max(tolerance, 8.0 * static_cast<double>(m.rows()) * std::numeric_limits<double>::epsilon());
  Eigen::VectorXd w = std::move(start);
  Eigen::VectorXd next(w.size());
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    next.noalias() = m * w;
    const double lambda = next.sum();
    next /= lambda;
    const double change = (next - w).cwiseAbs().maxCoeff();
    w.swap(next);
    if (change <= tolerance) return {std::move(w), lambda};
  }
  throw solver_failure("AHP power iteration did not converge within " + std::to_string(max_iterations) +
                       " iterations (tolerance " + describe(tolerance) + ")");
}

}  // namespace detail

/// Saaty's eigenvector method (the default): the principal right eigenvector of the matrix.
///
/// Computed by power iteration started from the geometric-mean vector rather than by
/// Eigen::EigenSolver: a positive matrix has a simple Perron root strictly larger in modulus than
/// every other eigenvalue, so the iteration cannot fail, costs O(n^2) per step instead of a general
/// O(n^3) complex eigen-decomposition, and needs no selection of the right complex eigenpair or sign.
/// Because a reciprocal matrix has trace n, its other eigenvalues are small against lambda_max and
/// a handful of steps suffice; for n = 3 the start is already the eigenvector. Entries of a
/// Saaty-scale matrix lie in [1/9, 9], which bounds the contraction rate (Birkhoff) away from 1,
/// so `max_iterations` is a guard, not a limit met in practice.
struct principal_eigenvector {
  /// The method's name, for reports.
  static constexpr std::string_view name = "principal eigenvector";
  /// Stop when successive normalised iterates differ by at most this in every entry.
  double tolerance = 1e-13;
  /// Iterations allowed before the method gives up (a guard; see above).
  int max_iterations = 100'000;

  /// The priority vector of `matrix`: positive, summing to 1.
  [[nodiscard]] std::vector<double> priorities(const pairwise_matrix& matrix) const {
    return detail::to_weights(perron(matrix).vector);
  }
  /// The Perron vector (summing to 1) and lambda_max together.
  [[nodiscard]] detail::perron_pair perron(const pairwise_matrix& matrix) const {
    return detail::power_iteration(matrix.values(), detail::geometric_mean_of_rows(matrix.values()), tolerance,
                                   max_iterations);
  }
};

/// The geometric mean of each row, normalised (the logarithmic least-squares solution). Equals the
/// eigenvector for every 3 x 3 reciprocal matrix and for every consistent one.
struct geometric_mean {
  /// The method's name, for reports.
  static constexpr std::string_view name = "geometric mean of rows";

  /// The priority vector of `matrix`: positive, summing to 1.
  [[nodiscard]] std::vector<double> priorities(const pairwise_matrix& matrix) const {
    return detail::to_weights(detail::geometric_mean_of_rows(matrix.values()));
  }
};

/// Saaty's approximation: normalise each column to sum 1, then average across each row.
struct column_normalised_mean {
  /// The method's name, for reports.
  static constexpr std::string_view name = "mean of normalised columns";

  /// The priority vector of `matrix`: positive, summing to 1.
  [[nodiscard]] std::vector<double> priorities(const pairwise_matrix& matrix) const {
    const Eigen::MatrixXd& m = matrix.values();
    const Eigen::RowVectorXd column_sums = m.colwise().sum();
    const Eigen::VectorXd w = (m.array().rowwise() / column_sums.array()).rowwise().mean().matrix();
    return detail::to_weights(w);
  }
};

static_assert(PriorityMethod<principal_eigenvector>);
static_assert(PriorityMethod<geometric_mean>);
static_assert(PriorityMethod<column_normalised_mean>);

/// RandomIndexTable: the mean consistency index of random reciprocal matrices of size n, RI(n),
/// which the consistency ratio divides by. Tables differ by the simulation that produced them.
template <class Table>
concept RandomIndexTable = requires(const Table& table, std::size_t n) {
  { table.random_index(n) } -> std::same_as<double>;
  { Table::name } -> std::convertible_to<std::string_view>;
};

namespace detail {

/// RI(n) from a table covering n = 3..15 (RI(1) = RI(2) = 0: such matrices are always consistent).
inline double random_index_from(const std::array<double, 13>& from_3_to_15, std::string_view table, std::size_t n) {
  detail::require(n >= 1, "n", n, "must be at least 1");
  if (n <= 2) return 0.0;
  if (n > 15)
    throw bad_input("n", describe(n),
                    std::string("has no random index in the ") + std::string(table) +
                        " table (n = 1..15); choose alonso_lamata_2006, which extends beyond 15");
  return from_3_to_15[n - 3];
}

}  // namespace detail

/// Saaty (1980), the default: 0.58 for n = 3 up to 1.59 for n = 15.
struct saaty_1980 {
  /// The table's name, for reports.
  static constexpr std::string_view name = "Saaty 1980";
  /// The random index RI(n) of an n x n matrix.
  [[nodiscard]] double random_index(std::size_t n) const {
    static constexpr std::array<double, 13> table{0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45,
                                                  1.49, 1.51, 1.48, 1.56, 1.57, 1.59};
    return detail::random_index_from(table, name, n);
  }
};

/// Saaty (2005).
struct saaty_2005 {
  /// The table's name, for reports.
  static constexpr std::string_view name = "Saaty 2005";
  /// The random index RI(n) of an n x n matrix.
  [[nodiscard]] double random_index(std::size_t n) const {
    static constexpr std::array<double, 13> table{0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45,
                                                  1.49, 1.52, 1.54, 1.56, 1.58, 1.59};
    return detail::random_index_from(table, name, n);
  }
};

/// Alonso and Lamata (2006); beyond n = 15 their fit RI(n) = (1.7699 n - 4.3513) / (n - 1).
struct alonso_lamata_2006 {
  /// The table's name, for reports.
  static constexpr std::string_view name = "Alonso-Lamata 2006";
  /// The random index RI(n) of an n x n matrix.
  [[nodiscard]] double random_index(std::size_t n) const {
    static constexpr std::array<double, 13> table{0.5247, 0.8816, 1.1086, 1.2479, 1.3417, 1.4057, 1.4499,
                                                  1.4854, 1.5140, 1.5365, 1.5551, 1.5713, 1.5838};
    if (n > 15) {
      const auto size = static_cast<double>(n);
      return (1.7699 * size - 4.3513) / (size - 1.0);
    }
    return detail::random_index_from(table, name, n);
  }
};

/// Donegan and Dodd (1991).
struct donegan_dodd_1991 {
  /// The table's name, for reports.
  static constexpr std::string_view name = "Donegan-Dodd 1991";
  /// The random index RI(n) of an n x n matrix.
  [[nodiscard]] double random_index(std::size_t n) const {
    static constexpr std::array<double, 13> table{0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733,
                                                  1.4055, 1.4213, 1.4497, 1.4643, 1.4822, 1.4969};
    return detail::random_index_from(table, name, n);
  }
};

static_assert(RandomIndexTable<saaty_1980>);
static_assert(RandomIndexTable<saaty_2005>);
static_assert(RandomIndexTable<alonso_lamata_2006>);
static_assert(RandomIndexTable<donegan_dodd_1991>);

/// How consistent a matrix's judgments are (Saaty): CI = (lambda_max - n) / (n - 1), CR = CI / RI(n).
struct consistency_report {
  /// Principal eigenvalue of the matrix (>= n; equal to n exactly when the judgments are consistent).
  double lambda_max = 0.0;
  /// Consistency index (lambda_max - n) / (n - 1); 0 for n <= 2.
  double index = 0.0;
  /// RI(n) from the chosen table.
  double random_index = 0.0;
  /// CI / RI; 0 for n <= 2, where every reciprocal matrix is consistent.
  double ratio = 0.0;
  /// The threshold the ratio was judged against.
  double threshold = 0.1;

  /// True when ratio <= threshold (Saaty's rule: below 0.1 the judgments are acceptable).
  [[nodiscard]] bool acceptable() const noexcept { return ratio <= threshold; }
};

/// What the AHP does with judgments whose consistency ratio exceeds the threshold.
enum class on_inconsistency {
  report,  ///< return the weights; the caller reads consistency.acceptable()
  reject   ///< throw inconsistent_judgments
};

/// The judgments' consistency ratio exceeds the threshold and the caller asked for an error.
class inconsistent_judgments : public bad_input {
 public:
  /// The error for a matrix whose consistency ratio exceeds the threshold; `report` says by how much.
  explicit inconsistent_judgments(const consistency_report& report)
      : bad_input("consistency_ratio", detail::describe(report.ratio),
                  "exceeds the threshold " + detail::describe(report.threshold) + "; revise the judgments"),
        report_(report) {}
  /// The full consistency figures of the rejected matrix.
  [[nodiscard]] const consistency_report& report() const noexcept { return report_; }

 private:
  consistency_report report_;
};

namespace detail {

template <class Table>
consistency_report consistency_from(std::size_t n, double lambda_max, const Table& table, double threshold) {
  require(std::isfinite(threshold) && threshold >= 0.0, "threshold", threshold, "must be finite and not negative");
  consistency_report report;
  report.threshold = threshold;
  report.random_index = table.random_index(n);
  report.lambda_max = lambda_max;
  if (n <= 2) return report;  // CI and CR are 0 by definition; lambda_max = n up to rounding
  const auto size = static_cast<double>(n);
  // Rounding can put lambda_max a few ulps below n for consistent matrices; CI is never negative.
  report.index = std::max(0.0, (lambda_max - size) / (size - 1.0));
  report.ratio = report.index / report.random_index;
  return report;
}

}  // namespace detail

/// lambda_max, CI and CR of `matrix` with RI from `table`. lambda_max is always the principal
/// eigenvalue, whichever priority method produced the weights: consistency is a property of the
/// judgments, not of the method.
template <RandomIndexTable Table = saaty_1980>
[[nodiscard]] consistency_report consistency_of(const pairwise_matrix& matrix, const Table& table = {},
                                                double threshold = 0.1) {
  return detail::consistency_from(matrix.size(), principal_eigenvector{}.perron(matrix).value, table, threshold);
}

/// Weights and their consistency, as the AHP returns them.
struct ahp_result {
  /// One weight per criterion, positive, summing to 1, in the matrix's order.
  std::vector<double> weights;
  /// lambda_max, CI and CR of the matrix.
  consistency_report consistency;
};

/// The AHP as a configurable policy: a priority method, a random-index table, a threshold and
/// what to do when it is exceeded. Defaults: eigenvector, Saaty 1980, 0.1, report.
template <PriorityMethod Method = principal_eigenvector, RandomIndexTable Table = saaty_1980>
class analytic_hierarchy {
 public:
  analytic_hierarchy() = default;
  /// An AHP with a consistency-ratio `threshold`, what to do above it, the priority method and the random-index table.
  explicit analytic_hierarchy(double threshold, on_inconsistency action = on_inconsistency::report, Method method = {},
                              Table table = {})
      : method_(std::move(method)), table_(std::move(table)), threshold_(threshold), action_(action) {
    detail::require(std::isfinite(threshold) && threshold >= 0.0, "threshold", threshold,
                    "must be finite and not negative");
  }

  /// Weights and consistency of `matrix`; throws inconsistent_judgments when asked to reject.
  [[nodiscard]] ahp_result evaluate(const pairwise_matrix& matrix) const {
    ahp_result result;
    if constexpr (std::same_as<Method, principal_eigenvector>) {
      // One power iteration yields both the weights and lambda_max.
      const detail::perron_pair pair = method_.perron(matrix);
      result = {detail::to_weights(pair.vector),
                detail::consistency_from(matrix.size(), pair.value, table_, threshold_)};
    } else {
      result = {method_.priorities(matrix), consistency_of(matrix, table_, threshold_)};
    }
    if (action_ == on_inconsistency::reject && !result.consistency.acceptable())
      throw inconsistent_judgments(result.consistency);
    return result;
  }

 private:
  [[no_unique_address]] Method method_{};
  [[no_unique_address]] Table table_{};
  double threshold_ = 0.1;
  on_inconsistency action_ = on_inconsistency::report;
};

/// Priority weights of `matrix` by `method` (the eigenvector by default).
template <PriorityMethod Method = principal_eigenvector>
[[nodiscard]] std::vector<double> priorities(const pairwise_matrix& matrix, const Method& method = {}) {
  return method.priorities(matrix);
}

// --- Incomplete matrices -------------------------------------------------------------------------

/// One known judgment of an incomplete comparison: criterion `row` matters `value` times more than
/// criterion `column`. The reciprocal judgment is implied.
struct judgment {
  /// The criterion judged.
  std::size_t row = 0;
  /// The criterion it is compared with.
  std::size_t column = 0;
  /// How many times more important `row` is than `column` (Saaty's scale 1/9 .. 9).
  double value = 1.0;
};

/// Harker's method's outcome: the weights and the matrix completed with w_i / w_j.
struct incomplete_ahp_result {
  /// The priority weights: positive, summing to 1.
  std::vector<double> weights;
  /// Known judgments as given, missing ones filled with w_i / w_j. Its principal eigenvector is
  /// `weights`, so consistency_of(completed) is the consistency of the given judgments.
  pairwise_matrix completed;
};

/// Harker's (1987) eigenvector method for a comparison with missing judgments: a missing a_ij is
/// set to 0 and each row's diagonal to 1 + (number of missing entries in the row); the Perron
/// vector of that matrix equals the eigenvector of the matrix completed with w_i / w_j. The known
/// judgments must connect all n criteria (else the weights are not determined). A judgment given
/// for both (i, j) and (j, i) must be reciprocal within `tolerance`.
[[nodiscard]] inline incomplete_ahp_result harker_priorities(std::size_t n, std::span<const judgment> judgments,
                                                             double tolerance = default_reciprocity_tolerance) {
  detail::require(n >= 1, "n", n, "must compare at least one criterion");
  const auto size = static_cast<Eigen::Index>(n);
  Eigen::MatrixXd known = Eigen::MatrixXd::Zero(size, size);
  for (std::size_t k = 0; k < judgments.size(); ++k) {
    const judgment& j = judgments[k];
    if (j.row >= n || j.column >= n || j.row == j.column)
      throw bad_input(detail::element_field("judgments", k, "row/column"),
                      std::to_string(j.row) + "/" + std::to_string(j.column),
                      "must name two different criteria below n = " + std::to_string(n));
    if (!std::isfinite(j.value) || j.value <= 0.0)
      throw bad_input(detail::element_field("judgments", k, "value"), detail::describe(j.value),
                      "must be a finite positive judgment");
    const auto r = static_cast<Eigen::Index>(j.row), c = static_cast<Eigen::Index>(j.column);
    if (known(r, c) != 0.0 && std::abs(known(r, c) - j.value) > tolerance * known(r, c))
      throw bad_input(detail::element_field("judgments", k, "value"), detail::describe(j.value),
                      "contradicts an earlier judgment of the same pair (or the reciprocal of its reverse)");
    // known(r, c) holds either an earlier judgment of (r, c) or the reciprocal of one of (c, r).
    if (known(r, c) == 0.0) {
      known(r, c) = j.value;
      known(c, r) = 1.0 / j.value;
    }
  }
  // The comparison graph must be connected, or the Perron vector is not unique.
  std::vector<bool> reached(n, false);
  std::vector<std::size_t> stack{0};
  reached[0] = true;
  std::size_t count = 1;
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    for (std::size_t j = 0; j < n; ++j)
      if (!reached[j] && known(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) != 0.0) {
        reached[j] = true;
        ++count;
        stack.push_back(j);
      }
  }
  if (count < n) {
    const auto first = static_cast<std::size_t>(std::find(reached.begin(), reached.end(), false) - reached.begin());
    throw bad_input("judgments", "criterion " + std::to_string(first) + " unconnected",
                    "must connect every criterion to the others through known judgments");
  }
  Eigen::MatrixXd harker = known;
  Eigen::VectorXd start(size);
  for (Eigen::Index i = 0; i < size; ++i) {
    Eigen::Index missing = 0;
    double log_sum = 0.0;
    for (Eigen::Index j = 0; j < size; ++j)
      if (j != i) {
        if (known(i, j) == 0.0)
          ++missing;
        else
          log_sum += std::log(known(i, j));
      }
    harker(i, i) = 1.0 + static_cast<double>(missing);
    // Geometric mean of the known judgments: a positive start close to the answer.
    start(i) = std::exp(log_sum / static_cast<double>(size));
  }
  start /= start.sum();
  // Harker's matrix is nonnegative, irreducible (connected) with a positive diagonal, hence
  // primitive: power iteration converges to its Perron vector.
  const principal_eigenvector method;
  detail::perron_pair pair = detail::power_iteration(harker, std::move(start), method.tolerance, method.max_iterations);
  std::vector<double> weights = detail::to_weights(pair.vector);
  Eigen::MatrixXd completed = known;
  for (Eigen::Index i = 0; i < size; ++i) {
    completed(i, i) = 1.0;
    for (Eigen::Index j = 0; j < size; ++j)
      if (j != i && completed(i, j) == 0.0)
        completed(i, j) = weights[static_cast<std::size_t>(i)] / weights[static_cast<std::size_t>(j)];
  }
  // The filled entries are exact ratios up to rounding; the given ones were checked above.
  return {std::move(weights), pairwise_matrix(std::move(completed), std::max(tolerance, 1e-9))};
}

// --- Group decisions -----------------------------------------------------------------------------

namespace detail {

inline std::vector<double> expert_weights_or_equal(std::span<const double> weights, std::size_t experts) {
  if (weights.empty()) return std::vector<double>(experts, 1.0 / static_cast<double>(experts));
  require(weights.size() == experts, "expert_weights", std::to_string(weights.size()) + " weights",
          "must give one weight per expert (" + std::to_string(experts) + ")");
  double total = 0.0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (!std::isfinite(weights[k]) || weights[k] <= 0.0)
      throw bad_input(element_field("expert_weights", k), describe(weights[k]), "must be finite and positive");
    total += weights[k];
  }
  std::vector<double> normalised(weights.begin(), weights.end());
  for (double& w : normalised) w /= total;
  return normalised;
}

}  // namespace detail

/// Aggregation of individual judgments (AIJ): the element-wise weighted geometric mean of the
/// experts' matrices, the only mean that keeps the result reciprocal (Aczel and Saaty, 1983).
/// `expert_weights` empty means equal weights; otherwise positive, one per expert, normalised here.
[[nodiscard]] inline pairwise_matrix aggregate_judgments(std::span<const pairwise_matrix> experts,
                                                         std::span<const double> expert_weights = {}) {
  detail::require(!experts.empty(), "experts", "[]", "must hold at least one expert's matrix");
  const std::size_t n = experts[0].size();
  for (std::size_t k = 1; k < experts.size(); ++k)
    detail::require(experts[k].size() == n, detail::element_field("experts", k),
                    std::to_string(experts[k].size()) + "x" + std::to_string(experts[k].size()),
                    "must have the same size as experts[0] (" + std::to_string(n) + "x" + std::to_string(n) + ")");
  const std::vector<double> v = detail::expert_weights_or_equal(expert_weights, experts.size());
  std::vector<double> upper;
  upper.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      double log_mean = 0.0;
      for (std::size_t k = 0; k < experts.size(); ++k) log_mean += v[k] * std::log(experts[k].at(i, j));
      upper.push_back(std::exp(log_mean));
    }
  return pairwise_matrix::from_upper_triangle(n, upper);
}

/// Aggregation of individual priorities (AIP): the weighted geometric mean of the experts' weight
/// vectors, normalised to sum 1. Each vector must be positive and finite; all of one length.
[[nodiscard]] inline std::vector<double> aggregate_priorities(std::span<const std::vector<double>> priorities,
                                                              std::span<const double> expert_weights = {}) {
  detail::require(!priorities.empty(), "priorities", "[]", "must hold at least one expert's priorities");
  const std::size_t n = priorities[0].size();
  detail::require(n >= 1, "priorities[0]", "[]", "must hold at least one weight");
  const std::vector<double> v = detail::expert_weights_or_equal(expert_weights, priorities.size());
  std::vector<double> log_mean(n, 0.0);
  for (std::size_t k = 0; k < priorities.size(); ++k) {
    detail::require(priorities[k].size() == n, detail::element_field("priorities", k),
                    std::to_string(priorities[k].size()) + " weights",
                    "must have as many weights as priorities[0] (" + std::to_string(n) + ")");
    for (std::size_t i = 0; i < n; ++i) {
      const double w = priorities[k][i];
      if (!std::isfinite(w) || w <= 0.0)
        throw bad_input("priorities[" + std::to_string(k) + "][" + std::to_string(i) + "]", detail::describe(w),
                        "must be finite and positive");
      log_mean[i] += v[k] * std::log(w);
    }
  }
  Eigen::VectorXd w(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) w(static_cast<Eigen::Index>(i)) = std::exp(log_mean[i]);
  return detail::to_weights(w);
}

EVMARKET_END_NAMESPACE
