// Element-wise functions over float arrays, four lanes at a time (simd.h):
// what the activations and the BCE loss spend their time in. Eigen's
// vectorised exp, tanh and logistic run 3-10x slower in WebAssembly than
// natively, and libm's scalar ones do one value at a time.
//
//   exp(x) = 2^n e^r,  n = round(x / ln 2),  r = x - n ln 2 in [-ln2/2, ln2/2]
//            (ln 2 split in two for an exact r), e^r by a degree-7 polynomial
//            (Cephes' expf coefficients); relative error < 3e-7 on [-87, 88] (tested)
//   sigmoid(x) = 1 / (1 + e^-x)                      (exactly 0 below -87, 1 at the top)
//   tanh(x)   = x + x^3 P(x^2) for |x| < 0.625 (no cancellation near 0),
//               else sign(x) (1 - 2 / (e^2|x| + 1))
//   softplus(x) = log(1 + e^x), through log(1 + u) on [0, 1] (below)
#pragma once

#include <cmath>

#include "simd.h"

namespace latentlab::vector_math {

inline simd::f32x4 exp(simd::f32x4 x) {
  using namespace simd;
  x = min(max(x, splat(-87.3f)), splat(88.3f));
  const f32x4 n = nearest(mul(x, splat(1.44269504088896341f)));
  f32x4 r = sub(x, mul(n, splat(0.693359375f)));
  r = sub(r, mul(n, splat(-2.12194440e-4f)));
  f32x4 p = splat(1.9875691500e-4f);
  p = add(mul(p, r), splat(1.3981999507e-3f));
  p = add(mul(p, r), splat(8.3334519073e-3f));
  p = add(mul(p, r), splat(4.1665795894e-2f));
  p = add(mul(p, r), splat(1.6666665459e-1f));
  p = add(mul(p, r), splat(5.0000001201e-1f));
  p = add(add(mul(mul(p, r), r), r), splat(1.0f));
  return mul(p, exp2_integral(n));
}

inline simd::f32x4 sigmoid(simd::f32x4 x) {
  using namespace simd;
  const f32x4 y = div(splat(1.0f), add(splat(1.0f), exp(sub(splat(0.0f), x))));
  // Below -87 the clamped exp would leave a tiny denormal where the value is 0.
  return select(less(x, splat(-87.0f)), splat(0.0f), y);
}

inline simd::f32x4 tanh(simd::f32x4 x) {
  using namespace simd;
  const f32x4 magnitude = abs(x);
  const f32x4 z = mul(x, x);
  f32x4 p = splat(-5.70498872745e-3f);
  p = add(mul(p, z), splat(2.06390887954e-2f));
  p = add(mul(p, z), splat(-5.37397155531e-2f));
  p = add(mul(p, z), splat(1.33314422036e-1f));
  p = add(mul(p, z), splat(-3.33332819422e-1f));
  const f32x4 small = add(mul(mul(p, z), x), x);
  const f32x4 e = exp(add(magnitude, magnitude));
  const f32x4 large_magnitude = sub(splat(1.0f), div(splat(2.0f), add(e, splat(1.0f))));
  const f32x4 sign = bit_and(x, splat(-0.0f));
  const f32x4 large = bit_or(large_magnitude, sign);
  return select(less(magnitude, splat(0.625f)), small, large);
}

// log(1 + u) for u in [0, 1]. v = 1 + u loses the low bits of u, so the
// result is log(v) u / (v - 1), which puts them back (u itself where v = 1).
// log(v), v in [1, 2]: v = m 2^e with e in {0, 1}, m in [sqrt(1/2), sqrt(2)),
// t = m - 1, log v = e ln 2 + t - t^2/2 + t^3 P(t) (Cephes' logf coefficients).
inline simd::f32x4 log1p_unit(simd::f32x4 u) {
  using namespace simd;
  const f32x4 v = add(splat(1.0f), u);
  const f32x4 halve = less(splat(1.41421356f), v);
  const f32x4 e = select(halve, splat(1.0f), splat(0.0f));
  const f32x4 t = sub(select(halve, mul(v, splat(0.5f)), v), splat(1.0f));
  const f32x4 z = mul(t, t);
  f32x4 p = splat(7.0376836292e-2f);
  p = add(mul(p, t), splat(-1.1514610310e-1f));
  p = add(mul(p, t), splat(1.1676998740e-1f));
  p = add(mul(p, t), splat(-1.2420140846e-1f));
  p = add(mul(p, t), splat(1.4249322787e-1f));
  p = add(mul(p, t), splat(-1.6668057665e-1f));
  p = add(mul(p, t), splat(2.0000714765e-1f));
  p = add(mul(p, t), splat(-2.4999993993e-1f));
  p = add(mul(p, t), splat(3.3333331174e-1f));
  f32x4 y = mul(mul(p, t), z);
  y = add(y, mul(e, splat(-2.12194440e-4f)));
  y = add(y, mul(z, splat(-0.5f)));
  const f32x4 log_v = add(add(t, y), mul(e, splat(0.693359375f)));
  const f32x4 v_minus_1 = sub(v, splat(1.0f));
  return select(less(splat(0.0f), v_minus_1), div(mul(log_v, u), v_minus_1), u);
}

// softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^-|x|): never overflows.
inline simd::f32x4 softplus(simd::f32x4 x) {
  using namespace simd;
  return add(max(x, splat(0.0f)), log1p_unit(exp(sub(splat(0.0f), abs(x)))));
}

// y[i] = f(x[i]) for i < count (x and y may be the same array).
template <typename Function>
void map(const float* x, float* y, long count, Function f) {
  long i = 0;
  for (; i + 4 <= count; i += 4) simd::store(y + i, f(simd::load(x + i)));
  if (i < count) {
    float in[4] = {0, 0, 0, 0}, out[4];
    for (long j = i; j < count; ++j) in[j - i] = x[j];
    simd::store(out, f(simd::load(in)));
    for (long j = i; j < count; ++j) y[j] = out[j - i];
  }
}

}  // namespace latentlab::vector_math
