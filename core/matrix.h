// Matrix aliases shared by the engine. One column per sample: a batch of B
// inputs of D features is a D x B column-major matrix, which has exactly the
// memory layout of the row-per-sample B x D arrays that JavaScript hands us.
#pragma once

#include <Eigen/Core>

namespace latentlab {

template <typename Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <typename Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
template <typename Scalar>
using MatrixMap = Eigen::Map<Matrix<Scalar>>;
template <typename Scalar>
using VectorMap = Eigen::Map<Vector<Scalar>>;

// Wraps a parameter type so that it takes no part in template argument
// deduction: optional outputs (Matrix<Scalar>*) then accept a plain nullptr.
template <typename T>
struct non_deduced {
  using type = T;
};
template <typename T>
using NonDeduced = typename non_deduced<T>::type;

}  // namespace latentlab
