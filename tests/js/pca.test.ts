// The latent map's PCA against cases whose principal components are known exactly.
import { describe, expect, test } from 'vitest';
import { principalComponents, project } from '../../web/src/worker/principal-components';

/** |cos| of the angle between two vectors. */
function alignment(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return Math.abs(ab) / Math.sqrt(aa * bb);
}

/** An orthonormal basis of R^dim from a fixed pseudo-random matrix (Gram-Schmidt). */
function orthonormalBasis(dim: number): Float64Array[] {
  let state = 7;
  const random = () => (state = (Math.imul(state, 48271) + 11) >>> 0) / 2 ** 32 - 0.5;
  const basis: Float64Array[] = [];
  for (let i = 0; i < dim; i++) {
    const v = Float64Array.from({ length: dim }, random);
    for (const u of basis) {
      const d = v.reduce((sum, x, j) => sum + x * u[j], 0);
      for (let j = 0; j < dim; j++) v[j] -= d * u[j];
    }
    const norm = Math.hypot(...v);
    basis.push(v.map((x) => x / norm));
  }
  return basis;
}

describe('principalComponents', () => {
  test('2-D case worked by hand', () => {
    // Points +-2 u1 and +-1 u2 with u1 = (1, 1)/sqrt2, u2 = (1, -1)/sqrt2: the
    // covariance (divided by n = 4) is 2 u1 u1' + 0.5 u2 u2' = [[1.25, 0.75], [0.75, 1.25]].
    const r = Math.SQRT1_2;
    const rows = new Float32Array([2 * r, 2 * r, -2 * r, -2 * r, r, -r, -r, r]);
    const pcs = principalComponents(rows, 2, 2);
    expect(pcs.variances[0]).toBeCloseTo(2, 6);
    expect(pcs.variances[1]).toBeCloseTo(0.5, 6);
    expect(pcs.totalVariance).toBeCloseTo(2.5, 6);
    expect(Array.from(pcs.mean)).toEqual([0, 0]);
    // Sign convention without a start: the largest entry is positive (ties: the first).
    expect(pcs.components[0][0]).toBeCloseTo(r, 6);
    expect(pcs.components[0][1]).toBeCloseTo(r, 6);
    expect(alignment(pcs.components[1], [1, -1])).toBeCloseTo(1, 6);
    const projected = project(rows, 2, pcs);
    expect(Math.abs(projected[0])).toBeCloseTo(2, 5); // (2, 0) on the components
    expect(projected[1]).toBeCloseTo(0, 5);
    expect(projected[4]).toBeCloseTo(0, 5);
    expect(Math.abs(projected[5])).toBeCloseTo(1, 5);
  });

  test('32-D codes: finds the two directions of largest spread, whatever the offset', () => {
    // Two rows +-s_i u_i per basis direction, plus a common offset: the
    // covariance is sum_i (s_i^2 / 32) u_i u_i', so the variances are s_i^2 / 32.
    const dim = 32;
    const basis = orthonormalBasis(dim);
    const spread = basis.map((_, i) => (i === 0 ? 10 : i === 1 ? 7 : 5 - i * 0.12));
    const rows = new Float32Array(2 * dim * dim);
    basis.forEach((u, i) => {
      for (let j = 0; j < dim; j++) {
        rows[2 * i * dim + j] = 3 + spread[i] * u[j];
        rows[(2 * i + 1) * dim + j] = 3 - spread[i] * u[j];
      }
    });
    const pcs = principalComponents(rows, dim, 2);
    expect(pcs.mean.every((m) => Math.abs(m - 3) < 1e-5)).toBe(true);
    expect(alignment(pcs.components[0], basis[0])).toBeGreaterThan(1 - 1e-6);
    expect(alignment(pcs.components[1], basis[1])).toBeGreaterThan(1 - 1e-6);
    expect(pcs.variances[0]).toBeCloseTo(100 / 32, 4);
    expect(pcs.variances[1]).toBeCloseTo(49 / 32, 4);
    const total = spread.reduce((sum, s) => sum + (s * s) / 32, 0);
    expect(pcs.totalVariance).toBeCloseTo(total, 4);
    // Unit length, orthogonal.
    const [a, b] = pcs.components;
    expect(a.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 10);
    expect(a.reduce((s, x, j) => s + x * b[j], 0)).toBeCloseTo(0, 10);

    // Started from the negated answer, the signs follow the start.
    const start = basis.slice(0, 2).map((u) => u.map((x) => -x));
    const again = principalComponents(rows, dim, 2, { start });
    expect(again.components[0].reduce((s, x, j) => s + x * start[0][j], 0)).toBeCloseTo(1, 6);
    expect(again.components[1].reduce((s, x, j) => s + x * start[1][j], 0)).toBeCloseTo(1, 6);
  });

  test('identical rows: zero variance, still orthonormal axes and no NaN', () => {
    const rows = new Float32Array(5 * 4).fill(0.5);
    const pcs = principalComponents(rows, 4, 2);
    expect(pcs.variances).toEqual([0, 0]);
    expect(pcs.components.every((v) => v.every(Number.isFinite))).toBe(true);
    expect(pcs.components[0].reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 10);
    expect(pcs.components[0].reduce((s, x, j) => s + x * pcs.components[1][j], 0)).toBeCloseTo(0, 10);
    expect(Array.from(project(rows, 4, pcs))).toEqual(new Array(10).fill(0));
  });

  test('rejects bad shapes', () => {
    expect(() => principalComponents(new Float32Array(7), 2, 1)).toThrow(/multiple of 2/);
    expect(() => principalComponents(new Float32Array(0), 2, 1)).toThrow(/multiple of 2/);
    expect(() => principalComponents(new Float32Array(4), 2, 3)).toThrow(/k must be/);
  });
});
