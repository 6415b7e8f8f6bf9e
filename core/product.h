// The matrix product of the layers that work on stored matrices by pointer
// (the convolutions):  C = op(A) op(B) [+ C], column-major, op(A) m x k,
// op(B) k x n. Floats in WebAssembly take the engine's SIMD GEMM (gemm.h);
// everything else (doubles for the gradient checks, the native build) takes
// Eigen's.
#pragma once

#include <Eigen/Core>
#include <type_traits>

#include "gemm.h"
#include "matrix.h"

namespace latentlab {

template <typename Scalar>
struct Stored {
  const Scalar* data;
  int stride;  // between columns of the stored matrix
  bool transposed = false;
};

template <typename Scalar>
void multiply(int m, int n, int k, const Stored<Scalar>& a, const Stored<Scalar>& b, Scalar* c,
              int c_stride, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if constexpr (std::is_same_v<Scalar, float> && gemm::kUsedForFloat) {
    const auto op = [](bool transposed) {
      return transposed ? gemm::Op::transpose : gemm::Op::none;
    };
    gemm::multiply(m, n, k, {a.data, a.stride, op(a.transposed)},
                   {b.data, b.stride, op(b.transposed)}, {c, c_stride, nullptr, accumulate});
  } else {
    using Map = Eigen::Map<const Matrix<Scalar>, 0, Eigen::OuterStride<>>;
    const Map stored_a(a.data, a.transposed ? k : m, a.transposed ? m : k,
                       Eigen::OuterStride<>(a.stride));
    const Map stored_b(b.data, b.transposed ? n : k, b.transposed ? k : n,
                       Eigen::OuterStride<>(b.stride));
    Eigen::Map<Matrix<Scalar>, 0, Eigen::OuterStride<>> out(c, m, n,
                                                            Eigen::OuterStride<>(c_stride));
    auto product = [&](const auto& left, const auto& right) {
      if (accumulate) {
        out.noalias() += left * right;
      } else {
        out.noalias() = left * right;
      }
    };
    if (a.transposed && b.transposed) {
      product(stored_a.transpose(), stored_b.transpose());
    } else if (a.transposed) {
      product(stored_a.transpose(), stored_b);
    } else if (b.transposed) {
      product(stored_a, stored_b.transpose());
    } else {
      product(stored_a, stored_b);
    }
  }
}

}  // namespace latentlab
