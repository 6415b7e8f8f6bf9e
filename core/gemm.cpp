#include "gemm.h"

#include <algorithm>
#include <vector>

#include "cache_aligned.h"
#include "parallel.h"
#include "simd.h"

namespace latentlab::gemm {
namespace {

using simd::f32x4;

constexpr int kRows = 8;     // of the register tile (two vectors)
constexpr int kColumns = 4;  // of the register tile
// Columns of B packed at a time by a thread: a block of B stays in cache
// while all of packed A streams past it.
constexpr int kBlockColumns = 64;

// Packing space, grown to the largest product seen and then reused, so that
// a training step allocates nothing after its first. Every panel starts on
// a 16-byte boundary (panels are multiples of 4 floats), so no load of the
// tile straddles two cache lines.
struct Workspace {
  CacheAlignedVector<float> a;
  std::vector<CacheAlignedVector<float>> b;  // one per thread
};

Workspace& workspace() {
  static Workspace instance;
  return instance;
}

float* reserve(CacheAlignedVector<float>& buffer, long floats) {
  if (static_cast<long>(buffer.size()) < floats) buffer.resize(static_cast<std::size_t>(floats));
  return buffer.data();
}

// op(X)(i, j) of a stored column-major matrix.
inline float element(Operand x, long i, long j) {
  return x.op == Op::none ? x.data[i + j * x.stride] : x.data[j + i * x.stride];
}

// Rows [first, first + kRows) of op(A), k-contiguous: packed[p * kRows + r]
// = op(A)(first + r, p); rows past m are zero.
void pack_a_panel(Operand a, int m, int k, int first, float* packed) {
  const int rows = std::min(kRows, m - first);
  if (a.op == Op::none && rows == kRows) {
    for (int p = 0; p < k; ++p) {
      const float* column = a.data + first + static_cast<long>(p) * a.stride;
      simd::store(packed + p * kRows, simd::load(column));
      simd::store(packed + p * kRows + 4, simd::load(column + 4));
    }
    return;
  }
  int p = 0;
  if (a.op == Op::transpose && rows == kRows) {
    // op(A)'s rows are stored columns: transpose 4 x 4 blocks of them.
    for (; p + 4 <= k; p += 4) {
      for (int half = 0; half < kRows; half += 4) {
        const float* row = a.data + static_cast<long>(first + half) * a.stride + p;
        simd::f32x4 r0 = simd::load(row), r1 = simd::load(row + a.stride),
                    r2 = simd::load(row + 2L * a.stride), r3 = simd::load(row + 3L * a.stride);
        simd::transpose4(r0, r1, r2, r3);
        simd::store(packed + p * kRows + half, r0);
        simd::store(packed + (p + 1) * kRows + half, r1);
        simd::store(packed + (p + 2) * kRows + half, r2);
        simd::store(packed + (p + 3) * kRows + half, r3);
      }
    }
  }
  for (; p < k; ++p) {
    for (int r = 0; r < kRows; ++r) packed[p * kRows + r] = r < rows ? element(a, first + r, p) : 0;
  }
}

// Columns [first, first + kColumns) of op(B), k-contiguous; columns past n are zero.
void pack_b_panel(Operand b, int n, int k, int first, float* packed) {
  const int columns = std::min(kColumns, n - first);
  if (b.op == Op::transpose && columns == kColumns) {
    for (int p = 0; p < k; ++p) {
      simd::store(packed + p * kColumns,
                  simd::load(b.data + first + static_cast<long>(p) * b.stride));
    }
    return;
  }
  int p = 0;
  if (b.op == Op::none && columns == kColumns) {
    // op(B)'s columns are stored columns: transpose 4 x 4 blocks of them.
    const float* column = b.data + static_cast<long>(first) * b.stride;
    for (; p + 4 <= k; p += 4) {
      simd::f32x4 c0 = simd::load(column + p), c1 = simd::load(column + b.stride + p),
                  c2 = simd::load(column + 2L * b.stride + p),
                  c3 = simd::load(column + 3L * b.stride + p);
      simd::transpose4(c0, c1, c2, c3);
      simd::store(packed + p * kColumns, c0);
      simd::store(packed + (p + 1) * kColumns, c1);
      simd::store(packed + (p + 2) * kColumns, c2);
      simd::store(packed + (p + 3) * kColumns, c3);
    }
  }
  for (; p < k; ++p) {
    for (int c = 0; c < kColumns; ++c) {
      packed[p * kColumns + c] = c < columns ? element(b, p, first + c) : 0;
    }
  }
}

// The 8x4 tile of C at (row, column) from one panel of A and one of B.
void tile(int k, const float* a, const float* b, Output c, int m, int n, int row, int column) {
  f32x4 acc[2][kColumns];
  for (int j = 0; j < kColumns; ++j) acc[0][j] = acc[1][j] = simd::splat(0);
    // Not unrolled: in V8 an unrolled loop spills the accumulators.
#if defined(__clang__)
#pragma clang loop unroll(disable)
#endif
  for (int p = 0; p < k; ++p) {
    const f32x4 top = simd::load(a), bottom = simd::load(a + 4);
    for (int j = 0; j < kColumns; ++j) {
      const f32x4 bj = simd::load_splat(b + j);
      acc[0][j] = simd::add(acc[0][j], simd::mul(top, bj));
      acc[1][j] = simd::add(acc[1][j], simd::mul(bottom, bj));
    }
    a += kRows;
    b += kColumns;
  }
  const int rows = std::min(kRows, m - row), columns = std::min(kColumns, n - column);
  if (rows == kRows) {
    const f32x4 bias_top = c.bias ? simd::load(c.bias + row) : simd::splat(0);
    const f32x4 bias_bottom = c.bias ? simd::load(c.bias + row + 4) : simd::splat(0);
    for (int j = 0; j < columns; ++j) {
      float* out = c.data + row + static_cast<long>(column + j) * c.stride;
      f32x4 top = simd::add(acc[0][j], bias_top), bottom = simd::add(acc[1][j], bias_bottom);
      if (c.accumulate) {
        top = simd::add(simd::load(out), top);
        bottom = simd::add(simd::load(out + 4), bottom);
      }
      simd::store(out, top);
      simd::store(out + 4, bottom);
    }
    return;
  }
  float values[kColumns][kRows];
  for (int j = 0; j < kColumns; ++j) {
    simd::store(values[j], acc[0][j]);
    simd::store(values[j] + 4, acc[1][j]);
  }
  for (int j = 0; j < columns; ++j) {
    float* out = c.data + row + static_cast<long>(column + j) * c.stride;
    for (int r = 0; r < rows; ++r) {
      const float value = values[j][r] + (c.bias ? c.bias[row + r] : 0.0f);
      out[r] = c.accumulate ? out[r] + value : value;
    }
  }
}

}  // namespace

void multiply(int m, int n, int k, const Operand& a, const Operand& b, const Output& c) {
  if (m <= 0 || n <= 0) return;
  Workspace& space = workspace();
  const int row_panels = (m + kRows - 1) / kRows;
  const int column_panels = (n + kColumns - 1) / kColumns;
  const long panel_a = static_cast<long>(kRows) * k;
  float* packed_a = reserve(space.a, row_panels * panel_a);
  if (static_cast<int>(space.b.size()) < thread_count()) space.b.resize(thread_count());
  // The product as every part reads it. Each part copies it first: the
  // caller's stack, where it is, is written by the caller as it runs parts
  // of its own, and a line of it that another thread kept reading in its
  // loops would move between the cores at every write.
  const struct {
    int m, n, k, row_panels;
    long panel_a;
    Operand a, b;
    Output c;
    float* packed_a;
    Workspace* space;
  } shared{m, n, k, row_panels, panel_a, a, b, c, packed_a, &space};
  // Packing is a copy: parts of about kElementsPerPart values.
  parallel_for(row_panels, std::max(1L, kElementsPerPart / std::max(1L, panel_a)),
               [&shared](long begin, long end, int) {
                 const auto p = shared;
                 for (long i = begin; i < end; ++i) {
                   pack_a_panel(p.a, p.m, p.k, static_cast<int>(i) * kRows,
                                p.packed_a + i * p.panel_a);
                 }
               });
  // Enough work per part to be worth a thread: about 2^17 multiply-adds.
  const long per_column_panel = static_cast<long>(kColumns) * m * std::max(k, 1);
  parallel_for(column_panels, std::max(1L, (1L << 17) / per_column_panel),
               [&shared](long begin, long end, int thread) {
                 const auto p = shared;
                 const long block = kBlockColumns / kColumns;
                 const long panel_b = static_cast<long>(kColumns) * p.k;
                 float* packed_b = reserve(p.space->b[thread], block * panel_b);
                 for (long first = begin; first < end; first += block) {
                   const long last = std::min(end, first + block);
                   for (long j = first; j < last; ++j) {
                     pack_b_panel(p.b, p.n, p.k, static_cast<int>(j) * kColumns,
                                  packed_b + (j - first) * panel_b);
                   }
                   for (long j = first; j < last; ++j) {
                     for (int i = 0; i < p.row_panels; ++i) {
                       tile(p.k, p.packed_a + i * p.panel_a, packed_b + (j - first) * panel_b, p.c,
                            p.m, p.n, i * kRows, static_cast<int>(j) * kColumns);
                     }
                   }
                 }
               });
}

}  // namespace latentlab::gemm
