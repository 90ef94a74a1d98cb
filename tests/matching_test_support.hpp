#pragma once
// Matrix types shared by the matching tests (each tests/*_test.cpp is its own executable).
#include <Eigen/Core>

#include <limits>

namespace evmarket_test {

/// A dense row-major weight matrix, the layout the solvers take without a copy.
template <class Scalar>
using matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// A dense row-major mask of allowed pairs (true = the pair may be matched).
using bool_matrix = Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// The forbidden-pair marker when minimising (its negation when maximising).
inline constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace evmarket_test
