#pragma once
/// @file
/// Scalar policy shared by the assignment and b-matching solvers: which arithmetic the solvers
/// work in, which type the dual potentials come back in, and the validation of weight entries.
/// Internal; the public faces are matching/hungarian.hpp and matching/b_matching.hpp.

#include <evmarket/core/error.hpp>
#include <evmarket/detail/checked.hpp>

#include <Eigen/Core>

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

EVMARKET_BEGIN_NAMESPACE

/// The weight types the matching solvers accept: double, float and exact 64-bit integers.
template <class Scalar>
concept MatchingScalar =
    std::same_as<Scalar, double> || std::same_as<Scalar, float> || std::same_as<Scalar, std::int64_t>;

/// Whether a matching solver minimises the total weight (costs) or maximises it (benefits).
enum class objective : std::uint8_t {
  minimise,  ///< weights are costs; +inf marks a forbidden pair
  maximise,  ///< weights are benefits; -inf marks a forbidden pair
};

/// How a matching problem ended.
enum class matching_status : std::uint8_t {
  optimal,     ///< every constraint met at optimal total weight
  infeasible,  ///< the allowed pairs cannot meet the constraints; nothing is assigned
};

/// Type of the optimal value and of the dual potentials: double for floating weights (float
/// weights are summed in double), int64 for integer weights (computed exactly in 128 bits and
/// narrowed with a check, so a figure that does not fit throws overflow_error instead of wrapping).
template <MatchingScalar Scalar>
using matching_value_t = std::conditional_t<std::is_floating_point_v<Scalar>, double, std::int64_t>;

/// A dense weight matrix by reference: row-major with any row stride (a whole matrix, a block of
/// one, or a Map over foreign memory). Other layouts convert through a temporary copy.
template <MatchingScalar Scalar>
using weight_matrix_ref =
    Eigen::Ref<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0, Eigen::OuterStride<>>;

/// A dense mask of allowed pairs (true = the pair may be matched), row-major by reference.
using allowed_mask_ref =
    Eigen::Ref<const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0, Eigen::OuterStride<>>;

namespace detail {

/// Arithmetic the solvers run in: potentials of integer problems can grow to n times the weight
/// range, so they live in 128 bits; float weights are widened so potentials do not drift.
template <MatchingScalar Scalar>
struct matching_arithmetic {
  using work = double;
  static constexpr bool exact = false;
  static constexpr work infinity = std::numeric_limits<double>::infinity();
};
template <>
struct matching_arithmetic<std::int64_t> {
  using work = int128;
  static constexpr bool exact = true;
  // Far above any reachable distance (n * 2^65), far below overflow when one weight is added.
  static constexpr work infinity = static_cast<int128>(1) << 120;
};

/// Rejects, at compile time, weight and mask types the solvers do not take (as static_assert).
// One check for every public solver overload; the compiler's "required from" note names the caller.
template <class Scalar, class MaskScalar = bool>
consteval void check_matching_types() {
  static_assert(MatchingScalar<Scalar>,
                "matching solver: weights must be double, float or std::int64_t; cast the matrix with .cast<double>()");
  static_assert(std::is_same_v<MaskScalar, bool>,
                "matching solver: the mask must be a bool matrix (true = the pair may be matched)");
}

/// Finite weights above this magnitude could overflow a double once potentials accumulate.
inline constexpr double matching_magnitude_limit = 1e300;

/// Field name of one matrix entry, "weights(3, 5)".
inline std::string matrix_entry_field(const char* name, Eigen::Index row, Eigen::Index col) {
  return std::string(name) + "(" + std::to_string(row) + ", " + std::to_string(col) + ")";
}

/// Where weight rows are validated: the caller's orientation and objective, for the messages.
struct weight_validation {
  objective sense = objective::minimise;
  const char* name = "weights";
  bool transposed = false;  ///< the caller's matrix is the transpose of the one validated
};

/// Rejects, in row i of `cols` entries, NaN, infinities other than the forbidden marker of the
/// objective, and finite magnitudes a double solver cannot carry; integer weights are all valid.
/// Entries a mask row forbids (mask != nullptr) are not looked at.
template <MatchingScalar Scalar>
void validate_weight_row(const Scalar* row, Eigen::Index i, Eigen::Index cols, const bool* mask,
                         const weight_validation& how) {
  if constexpr (std::is_floating_point_v<Scalar>) {
    // Vectorised test of the whole row first (a finite sum rules out NaN and infinities); only
    // a row that fails it, e.g. one with forbidden pairs, is examined entry by entry.
    const Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>> entries(row, cols);
    if (cols == 0 || (std::isfinite(static_cast<double>(entries.sum())) &&
                      static_cast<double>(entries.abs().maxCoeff()) <= matching_magnitude_limit))
      return;
    const double forbidden = how.sense == objective::minimise ? std::numeric_limits<double>::infinity()
                                                              : -std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < cols; ++j) {
      const auto w = static_cast<double>(row[j]);
      if (std::fabs(w) <= matching_magnitude_limit || w == forbidden) continue;
      if (mask != nullptr && !mask[j]) continue;
      const std::string field =
          how.transposed ? matrix_entry_field(how.name, j, i) : matrix_entry_field(how.name, i, j);
      if (std::isnan(w)) throw bad_input(field, "NaN", "must be a number");
      if (std::isinf(w))
        throw bad_input(field, describe(w),
                        how.sense == objective::minimise ? "only +inf (a forbidden pair) is allowed when minimising"
                                                         : "only -inf (a forbidden pair) is allowed when maximising");
      throw bad_input(field, describe(w), "magnitude above 1e300 could overflow the potentials; rescale the weights");
    }
  } else {
    (void)row;
    (void)i;
    (void)cols;
    (void)mask;
    (void)how;
  }
}

/// validate_weight_row over every row of `weights`.
template <MatchingScalar Scalar>
void validate_weights(const weight_matrix_ref<Scalar>& weights, const bool* mask, Eigen::Index mask_stride,
                      objective sense, const char* name, bool transposed = false) {
  if constexpr (std::is_floating_point_v<Scalar>) {
    const weight_validation how{sense, name, transposed};
    for (Eigen::Index i = 0; i < weights.rows(); ++i)
      validate_weight_row<Scalar>(weights.data() + i * weights.outerStride(), i, weights.cols(),
                                  mask != nullptr ? mask + i * mask_stride : nullptr, how);
  } else {
    (void)weights;
    (void)mask;
    (void)mask_stride;
    (void)sense;
    (void)name;
    (void)transposed;
  }
}

/// Converts an internal figure to the public value type; integer figures are narrowed exactly.
template <MatchingScalar Scalar>
matching_value_t<Scalar> to_matching_value(typename matching_arithmetic<Scalar>::work value, const char* what) {
  if constexpr (matching_arithmetic<Scalar>::exact)
    return narrow(value, what);
  else
    return static_cast<double>(value);
}

}  // namespace detail
EVMARKET_END_NAMESPACE
