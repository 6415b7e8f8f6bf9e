// Top principal components of a small set of vectors (e.g. 2000 latent codes
// of 32 values), for drawing them in 2-D. Orthogonal (block power) iteration
// on the dim x dim covariance matrix, in double precision; pure functions,
// no DOM, no engine.

export interface PrincipalComponents {
  /** Mean of the rows: dim values. */
  mean: Float64Array;
  /** k orthonormal directions of dim values, largest variance first. */
  components: Float64Array[];
  /** Variance of the rows along each component (population: divided by n). */
  variances: number[];
  /** Sum of the variances along all dim axes (the covariance's trace). */
  totalVariance: number;
}

export interface PcaOptions {
  /**
   * Starting directions, e.g. the previous result's components: iteration
   * starts there and each component's sign is chosen to agree with them, so
   * that a picture redrawn from slowly changing data does not flip.
   */
  start?: readonly Float64Array[];
  maxIterations?: number;
  /** Stop when every direction moves by less than this (1 - |cos angle|). */
  tolerance?: number;
}

/**
 * The k directions of largest variance of n rows of dim values, stored row
 * after row in `rows` (n x dim).
 */
export function principalComponents(
  rows: ArrayLike<number>,
  dim: number,
  k: number,
  options: PcaOptions = {},
): PrincipalComponents {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(k) || k < 1 || k > dim)
    throw new RangeError(`k must be an integer in [1, ${dim}], got ${k}`);
  if (rows.length === 0 || rows.length % dim !== 0) {
    throw new RangeError(`rows must hold a positive multiple of ${dim} values, got ${rows.length}`);
  }
  const { mean, covariance } = meanAndCovariance(rows, dim);
  let totalVariance = 0;
  for (let i = 0; i < dim; i++) totalVariance += covariance[i * dim + i];

  const start = options.start;
  const useStart = start !== undefined && start.length === k && start.every((v) => v.length === dim);
  let basis = useStart ? start.map((v) => Float64Array.from(v)) : pseudoRandomVectors(k, dim);
  orthonormalize(basis);
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-12;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // next = orthonormalized C * basis; converges to the top-k eigenvectors, in order.
    const next = basis.map((v) => multiplySymmetric(covariance, v, dim));
    orthonormalize(next);
    let moved = 0;
    for (let i = 0; i < k; i++) moved = Math.max(moved, 1 - Math.abs(dot(next[i], basis[i])));
    basis = next;
    if (moved < tolerance) break;
  }

  const variances = basis.map((v) => dot(v, multiplySymmetric(covariance, v, dim)));
  const order = variances.map((_, i) => i).sort((a, b) => variances[b] - variances[a]);
  const components = order.map((i) => basis[i]);
  components.forEach((v, i) => orientSign(v, useStart ? start[i] : undefined));
  return { mean, components, variances: order.map((i) => Math.max(0, variances[i])), totalVariance };
}

/** The rows (n x dim) in the coordinates of the components: n x k, as float32. */
export function project(rows: ArrayLike<number>, dim: number, pcs: PrincipalComponents): Float32Array {
  const n = rows.length / dim;
  const k = pcs.components.length;
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      const v = pcs.components[c];
      let sum = 0;
      for (let j = 0; j < dim; j++) sum += (rows[r * dim + j] - pcs.mean[j]) * v[j];
      out[r * k + c] = sum;
    }
  }
  return out;
}

/** Column means and the population covariance (dim x dim, symmetric) of n x dim rows. */
function meanAndCovariance(rows: ArrayLike<number>, dim: number) {
  const n = rows.length / dim;
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) mean[j] += rows[r * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) centred[j] = rows[r * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const ca = centred[a];
      for (let b = a; b < dim; b++) covariance[a * dim + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      covariance[a * dim + b] /= n;
      covariance[b * dim + a] = covariance[a * dim + b];
    }
  }
  return { mean, covariance };
}

function multiplySymmetric(matrix: Float64Array, v: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(dim);
  for (let a = 0; a < dim; a++) {
    let sum = 0;
    for (let b = 0; b < dim; b++) sum += matrix[a * dim + b] * v[b];
    out[a] = sum;
  }
  return out;
}

/**
 * Gram-Schmidt in place (applied twice for accuracy). A vector that vanishes
 * (data of lower rank than k) is replaced by a unit axis orthogonal to the others.
 */
function orthonormalize(vectors: Float64Array[]): void {
  vectors.forEach((v, i) => {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < i; p++) subtractProjection(v, vectors[p]);
    }
    let norm = Math.sqrt(dot(v, v));
    if (!(norm > 1e-150)) {
      const axis = leastCoveredAxis(vectors.slice(0, i), v.length);
      v.fill(0);
      v[axis] = 1;
      for (let p = 0; p < i; p++) subtractProjection(v, vectors[p]);
      norm = Math.sqrt(dot(v, v));
    }
    for (let j = 0; j < v.length; j++) v[j] /= norm;
  });
}

function subtractProjection(v: Float64Array, unit: Float64Array): void {
  const d = dot(v, unit);
  for (let j = 0; j < v.length; j++) v[j] -= d * unit[j];
}

/** The axis e_j with the smallest squared projection onto the given orthonormal vectors. */
function leastCoveredAxis(vectors: Float64Array[], dim: number): number {
  let best = 0;
  let bestCover = Infinity;
  for (let j = 0; j < dim; j++) {
    let cover = 0;
    for (const v of vectors) cover += v[j] * v[j];
    if (cover < bestCover) {
      bestCover = cover;
      best = j;
    }
  }
  return best;
}

/** Agrees with `reference` if given, else makes the largest-magnitude entry positive. */
function orientSign(v: Float64Array, reference: Float64Array | undefined): void {
  let flip: boolean;
  if (reference !== undefined) {
    flip = dot(v, reference) < 0;
  } else {
    let largest = 0;
    for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[largest])) largest = j;
    flip = v[largest] < 0;
  }
  if (flip) for (let j = 0; j < v.length; j++) v[j] = -v[j];
}

/** Fixed, generic starting vectors (a small LCG), so results are deterministic. */
function pseudoRandomVectors(k: number, dim: number): Float64Array[] {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: k }, () => Float64Array.from({ length: dim }, next));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
}
