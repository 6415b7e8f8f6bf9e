// The engine's own matrix product against Eigen's, for every transposition,
// sizes that are not multiples of the register tile, a bias and
// accumulation; the same bits with any number of threads; and how the
// threads' loops are cut into parts.
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include "cache_aligned.h"
#include "gemm.h"
#include "parallel.h"
#include "rng.h"

namespace {

using latentlab::Rng;
using latentlab::gemm::Op;
using MatrixF = Eigen::MatrixXf;

MatrixF random_matrix(int rows, int cols, Rng& rng) {
  MatrixF m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.normal());
  return m;
}

// C = op(A) op(B) + bias [+ C0] through gemm::multiply.
MatrixF product(const MatrixF& a, Op op_a, const MatrixF& b, Op op_b, const Eigen::VectorXf* bias,
                const MatrixF* initial) {
  const int m = static_cast<int>(op_a == Op::none ? a.rows() : a.cols());
  const int k = static_cast<int>(op_a == Op::none ? a.cols() : a.rows());
  const int n = static_cast<int>(op_b == Op::none ? b.cols() : b.rows());
  MatrixF c = initial ? *initial : MatrixF::Constant(m, n, 1e30f);
  latentlab::gemm::multiply(m, n, k, {a.data(), static_cast<int>(a.rows()), op_a},
                            {b.data(), static_cast<int>(b.rows()), op_b},
                            {c.data(), m, bias ? bias->data() : nullptr, initial != nullptr});
  return c;
}

Eigen::MatrixXd reference(const MatrixF& a, Op op_a, const MatrixF& b, Op op_b) {
  const Eigen::MatrixXd ad = a.cast<double>(), bd = b.cast<double>();
  const Eigen::MatrixXd left = op_a == Op::none ? ad : Eigen::MatrixXd(ad.transpose());
  const Eigen::MatrixXd right = op_b == Op::none ? bd : Eigen::MatrixXd(bd.transpose());
  return left * right;
}

}  // namespace

TEST_CASE("gemm matches the product in double for every transposition and odd sizes") {
  Rng rng(11);
  const int shapes[][3] = {{1, 1, 1},    {8, 4, 16},  {13, 7, 5},
                           {31, 33, 70}, {9, 130, 3}, {64, 5, 0}};
  for (const auto& shape : shapes) {
    const int m = shape[0], n = shape[1], k = shape[2];
    for (Op op_a : {Op::none, Op::transpose}) {
      for (Op op_b : {Op::none, Op::transpose}) {
        CAPTURE(m);
        CAPTURE(n);
        CAPTURE(k);
        const MatrixF a = op_a == Op::none ? random_matrix(m, k, rng) : random_matrix(k, m, rng);
        const MatrixF b = op_b == Op::none ? random_matrix(k, n, rng) : random_matrix(n, k, rng);
        const Eigen::VectorXf bias = random_matrix(m, 1, rng);
        const MatrixF initial = random_matrix(m, n, rng);
        const Eigen::MatrixXd expected = reference(a, op_a, b, op_b);
        const double tolerance = 1e-5 * (k + 1);
        CHECK((product(a, op_a, b, op_b, nullptr, nullptr).cast<double>() - expected)
                  .cwiseAbs()
                  .maxCoeff() <= tolerance);
        const Eigen::MatrixXd with_bias = expected.colwise() + bias.cast<double>();
        CHECK((product(a, op_a, b, op_b, &bias, nullptr).cast<double>() - with_bias)
                  .cwiseAbs()
                  .maxCoeff() <= tolerance);
        const Eigen::MatrixXd accumulated = expected + initial.cast<double>();
        CHECK((product(a, op_a, b, op_b, nullptr, &initial).cast<double>() - accumulated)
                  .cwiseAbs()
                  .maxCoeff() <= tolerance);
      }
    }
  }
}

TEST_CASE("gemm gives the same bits with 1, 2 and 3 threads") {
  Rng rng(5);
  const MatrixF a = random_matrix(257, 785, rng), b = random_matrix(785, 131, rng);
  const Eigen::VectorXf bias = random_matrix(257, 1, rng);
  latentlab::set_thread_count(1);
  const MatrixF one = product(a, Op::none, b, Op::none, &bias, nullptr);
  const MatrixF one_t = product(a, Op::transpose, a, Op::none, nullptr, nullptr);
  for (int threads : {2, 3}) {
    latentlab::set_thread_count(threads);
    CHECK(latentlab::thread_count() == threads);
    const MatrixF many = product(a, Op::none, b, Op::none, &bias, nullptr);
    const MatrixF many_t = product(a, Op::transpose, a, Op::none, nullptr, nullptr);
    CHECK(std::memcmp(one.data(), many.data(), sizeof(float) * one.size()) == 0);
    CHECK(std::memcmp(one_t.data(), many_t.data(), sizeof(float) * one_t.size()) == 0);
  }
  latentlab::set_thread_count(1);
}

TEST_CASE("parallel_for cuts a loop into contiguous non-empty parts that shrink toward its end") {
  for (int threads : {2, 3, 4}) {
    latentlab::set_thread_count(threads);
    for (long count : {0L, 1L, 2L, 3L, 5L, 31L, 32L, 33L, 100L, 1000L, 100000L}) {
      for (long grain : {1L, 7L, 1000L}) {
        CAPTURE(threads);
        CAPTURE(count);
        CAPTURE(grain);
        std::mutex mutex;
        std::vector<std::pair<long, long>> parts;
        latentlab::parallel_for(count, grain, [&](long begin, long end, int) {
          std::lock_guard<std::mutex> lock(mutex);
          parts.emplace_back(begin, end);
        });
        if (count == 0) {
          CHECK(parts.empty());
          continue;
        }
        std::sort(parts.begin(), parts.end());
        const long most =
            std::min<long>(threads * latentlab::kPartsPerThread, std::max(1L, count / grain));
        CHECK(static_cast<long>(parts.size()) <= most);
        long next = 0;
        for (const auto& [begin, end] : parts) {
          CHECK(begin == next);
          CHECK(end > begin);
          next = end;
        }
        CHECK(next == count);
        const long first = parts.front().second - parts.front().first;
        const long last = parts.back().second - parts.back().first;
        CHECK(last <= first + 1);  // rounding
        // With no more parts than threads, every thread gets an equal share;
        // with many, the last is a small fraction of the first.
        if (most <= threads) CHECK(std::abs(first - last) <= 1);
        if (most >= 4 * threads && count >= 100 * most) CHECK(4 * last <= first);
      }
    }
  }
  latentlab::set_thread_count(1);
}

TEST_CASE("parallel_lines covers every element once, in parts that begin on a line") {
  latentlab::set_thread_count(3);
  const long line = latentlab::kElementsPerLine;
  for (long count : {0L, 1L, 15L, 17L, 1000L, 100003L}) {
    std::vector<int> seen(static_cast<std::size_t>(count), 0);
    std::atomic<long> parts{0};
    latentlab::parallel_lines(count, 64, [&](long begin, long end, int) {
      CHECK(begin % line == 0);
      CHECK(end > begin);
      for (long i = begin; i < end; ++i) ++seen[static_cast<std::size_t>(i)];
      ++parts;
    });
    for (int s : seen) CHECK(s == 1);
    CHECK(parts <= std::max(1L, count / 64));
    if (count >= 100000) CHECK(parts > 1);
  }
  latentlab::set_thread_count(1);
}

TEST_CASE("the kernels' buffers start on a cache line, at every size and after growing") {
  latentlab::CacheAlignedVector<float> buffer;
  for (std::size_t size : {1, 3, 16, 1000, 4097, 100000}) {
    buffer.resize(size);
    CHECK(reinterpret_cast<std::uintptr_t>(buffer.data()) % latentlab::kCacheLineBytes == 0);
  }
}
