// The engine's own single-precision matrix product for WebAssembly SIMD:
//   C = op(A) op(B) [+ bias, one value per row] [+ C]
// column-major throughout; op(A) is m x k, op(B) is k x n, C is m x n.
// Every product of the layers is one of these: W X + b (forward), dY X^T
// (weight gradient, accumulated), W^T dY (input gradient), and the im2col
// shapes of convolutions.
//
// A and B are packed into panels (8 rows of A, 4 columns of B, k-contiguous)
// and an 8x4 register tile (eight f32x4 accumulators: the largest that V8
// keeps in registers) runs over them. Each element of C is summed over k in
// order, by one thread: the result does not depend on the thread count.
#pragma once

namespace latentlab::gemm {

// Where the engine uses this product for its float layers: in WebAssembly.
// Natively Eigen's GEMM (AVX2/AVX-512 with FMA) is faster and stays.
#if defined(__wasm__)
inline constexpr bool kUsedForFloat = true;
#else
inline constexpr bool kUsedForFloat = false;
#endif

enum class Op { none, transpose };

struct Operand {
  const float* data;
  int stride;  // between columns of the stored matrix (its leading dimension)
  Op op;
};

struct Output {
  float* data;
  int stride;
  const float* bias = nullptr;  // m values added to the rows, or null
  bool accumulate = false;      // add to C instead of overwriting it
};

void multiply(int m, int n, int k, const Operand& a, const Operand& b, const Output& c);

}  // namespace latentlab::gemm
