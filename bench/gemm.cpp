// GFLOP/s of the engine's matrix product (core/gemm.h) against Eigen's, on
// the reference model's largest product: W (256 x 784) times a batch X
// (784 x 128). Built for WebAssembly (build/wasm/bench_gemm.mjs, run with
// node) and natively; each kernel is warmed up (V8 tiers the code up), then
// timed for about a second, three times alternating; the best is printed.
// Prints one JSON line per kernel: {"kernel":"latentlab","gflops":...}.
#include "gemm.h"

#include <Eigen/Core>
#include <chrono>
#include <cstdio>

namespace {

template <typename Product>
double gflops(int m, int n, int k, Product&& product) {
  const auto start = std::chrono::steady_clock::now();
  long runs = 0;
  double seconds = 0;
  while (seconds < 1.0) {
    product();
    ++runs;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return 2.0 * m * n * k * static_cast<double>(runs) / seconds / 1e9;
}

}  // namespace

int main() {
  const int m = 256, n = 128, k = 784;
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(m, k), b = Eigen::MatrixXf::Random(k, n);
  Eigen::MatrixXf c(m, n);
  auto own = [&] {
    latentlab::gemm::multiply(m, n, k, {a.data(), m, latentlab::gemm::Op::none},
                              {b.data(), k, latentlab::gemm::Op::none}, {c.data(), m});
  };
  auto eigen = [&] { c.noalias() = a * b; };
  double best_own = 0, best_eigen = 0;
  for (int round = 0; round < 4; ++round) {  // the first round is the warm-up
    const double o = gflops(m, n, k, own), e = gflops(m, n, k, eigen);
    if (round > 0) {
      best_own = std::max(best_own, o);
      best_eigen = std::max(best_eigen, e);
    }
  }
  std::printf("{\"kernel\":\"latentlab\",\"shape\":\"256x784*784x128\",\"gflops\":%.1f}\n",
              best_own);
  std::printf("{\"kernel\":\"eigen\",\"shape\":\"256x784*784x128\",\"gflops\":%.1f}\n", best_eigen);
  return 0;
}
