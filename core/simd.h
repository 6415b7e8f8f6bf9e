// Four float lanes and the few operations the kernels need. In WebAssembly
// they are the SIMD128 instructions themselves (wasm_simd128.h), which V8
// compiles better than generic vector code; natively they are GCC/Clang
// vector extensions, so the same kernels build and are tested natively.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace latentlab::simd {

#if defined(__wasm_simd128__)
using f32x4 = v128_t;
inline f32x4 load(const float* p) { return wasm_v128_load(p); }
inline f32x4 load_splat(const float* p) { return wasm_v128_load32_splat(p); }
inline f32x4 splat(float x) { return wasm_f32x4_splat(x); }
inline void store(float* p, f32x4 v) { wasm_v128_store(p, v); }
inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return wasm_f32x4_sub(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }
inline f32x4 div(f32x4 a, f32x4 b) { return wasm_f32x4_div(a, b); }
inline f32x4 max(f32x4 a, f32x4 b) { return wasm_f32x4_pmax(a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return wasm_f32x4_pmin(a, b); }
inline f32x4 abs(f32x4 a) { return wasm_f32x4_abs(a); }
inline f32x4 sqrt(f32x4 a) { return wasm_f32x4_sqrt(a); }
inline f32x4 nearest(f32x4 a) { return wasm_f32x4_nearest(a); }
inline f32x4 less(f32x4 a, f32x4 b) { return wasm_f32x4_lt(a, b); }
// Lanes of `a` where `mask` is set, else of `b`.
inline f32x4 select(f32x4 mask, f32x4 a, f32x4 b) { return wasm_v128_bitselect(a, b, mask); }
inline f32x4 bit_and(f32x4 a, f32x4 b) { return wasm_v128_and(a, b); }
inline f32x4 bit_or(f32x4 a, f32x4 b) { return wasm_v128_or(a, b); }
// 2^n for integral n in [-126, 127], n given as a float.
inline f32x4 exp2_integral(f32x4 n) {
  return wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
}
// The 4 x 4 matrix whose rows are a, b, c, d, transposed in place.
inline void transpose4(f32x4& a, f32x4& b, f32x4& c, f32x4& d) {
  const f32x4 ab_low = wasm_i32x4_shuffle(a, b, 0, 4, 1, 5);
  const f32x4 ab_high = wasm_i32x4_shuffle(a, b, 2, 6, 3, 7);
  const f32x4 cd_low = wasm_i32x4_shuffle(c, d, 0, 4, 1, 5);
  const f32x4 cd_high = wasm_i32x4_shuffle(c, d, 2, 6, 3, 7);
  a = wasm_i32x4_shuffle(ab_low, cd_low, 0, 1, 4, 5);
  b = wasm_i32x4_shuffle(ab_low, cd_low, 2, 3, 6, 7);
  c = wasm_i32x4_shuffle(ab_high, cd_high, 0, 1, 4, 5);
  d = wasm_i32x4_shuffle(ab_high, cd_high, 2, 3, 6, 7);
}
#else
using f32x4 = float __attribute__((vector_size(16)));
using i32x4 = std::int32_t __attribute__((vector_size(16)));
inline f32x4 load(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline f32x4 splat(float x) { return f32x4{x, x, x, x}; }
inline f32x4 load_splat(const float* p) { return splat(*p); }
inline void store(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }
inline f32x4 add(f32x4 a, f32x4 b) { return a + b; }
inline f32x4 sub(f32x4 a, f32x4 b) { return a - b; }
inline f32x4 mul(f32x4 a, f32x4 b) { return a * b; }
inline f32x4 div(f32x4 a, f32x4 b) { return a / b; }
inline f32x4 select(f32x4 mask, f32x4 a, f32x4 b) {
  const i32x4 m = reinterpret_cast<i32x4>(mask);
  return reinterpret_cast<f32x4>((reinterpret_cast<i32x4>(a) & m) |
                                 (reinterpret_cast<i32x4>(b) & ~m));
}
inline f32x4 less(f32x4 a, f32x4 b) { return reinterpret_cast<f32x4>(a < b); }
// pmax/pmin as WebAssembly defines them: b < a ? a : b, a < b ? a : b.
inline f32x4 max(f32x4 a, f32x4 b) { return select(less(b, a), a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return select(less(a, b), a, b); }
inline f32x4 abs(f32x4 a) {
  return reinterpret_cast<f32x4>(reinterpret_cast<i32x4>(a) & 0x7fffffff);
}
inline f32x4 nearest(f32x4 a) {
  return f32x4{__builtin_nearbyintf(a[0]), __builtin_nearbyintf(a[1]), __builtin_nearbyintf(a[2]),
               __builtin_nearbyintf(a[3])};
}
inline f32x4 bit_and(f32x4 a, f32x4 b) {
  return reinterpret_cast<f32x4>(reinterpret_cast<i32x4>(a) & reinterpret_cast<i32x4>(b));
}
inline f32x4 bit_or(f32x4 a, f32x4 b) {
  return reinterpret_cast<f32x4>(reinterpret_cast<i32x4>(a) | reinterpret_cast<i32x4>(b));
}
inline f32x4 exp2_integral(f32x4 n) {
  const i32x4 bits = (__builtin_convertvector(n, i32x4) + 127) << 23;
  return reinterpret_cast<f32x4>(bits);
}
inline void transpose4(f32x4& a, f32x4& b, f32x4& c, f32x4& d) {
  const f32x4 rows[4] = {a, b, c, d};
  a = f32x4{rows[0][0], rows[1][0], rows[2][0], rows[3][0]};
  b = f32x4{rows[0][1], rows[1][1], rows[2][1], rows[3][1]};
  c = f32x4{rows[0][2], rows[1][2], rows[2][2], rows[3][2]};
  d = f32x4{rows[0][3], rows[1][3], rows[2][3], rows[3][3]};
}
#endif

}  // namespace latentlab::simd
