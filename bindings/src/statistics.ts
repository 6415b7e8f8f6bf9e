// The engine's statistics, metrics and randomness (bindings/statistics.cpp):
// each call's arguments are checked here, so that bad input throws a
// TypeError or RangeError naming the argument before it reaches the engine.
import { checkRows, shown } from './arrays.js';
import type { Engine } from './engine.mjs';
import { checkKeys } from './options.js';

export interface ActivationStatistics {
  /** Mean activation of each unit over the samples (units values). */
  unitMeans: Float32Array;
  /** Mean over units and samples. */
  mean: number;
  /** Fraction of the activations near zero: |h| < 0.01 (as Evaluation.fractionInactive). */
  fractionInactive: number;
  /**
   * Counts of the activations in `counts.length` equal bins over [low, high]
   * (values outside go to the end bins). The range is [0, 1] for sigmoid
   * units, [0, max] for ReLU units, and the data's range otherwise.
   */
  histogram: { low: number; high: number; counts: Float64Array };
}

export interface ColumnStatistics {
  /** Per column (width values). */
  mean: Float64Array;
  /** Per column, the population standard deviation (divided by n). */
  std: Float64Array;
  /** One array of width values per requested quantile, in the order asked. */
  quantiles: Float64Array[];
}

export interface RocCurve {
  /** The curve's points from (0, 0) to (1, 1): false positive rates ... */
  falsePositiveRate: Float64Array;
  /** ... and true positive rates, one per point. */
  truePositiveRate: Float64Array;
  /** The area under the whole curve (before thinning): equals LatentLab.rocAuc. */
  auc: number;
}

/** Statistics of n x units activations (row per sample) of a layer of `activation`. */
export function columnStatistics(
  engine: Engine,
  values: Float32Array,
  width: number,
  options: { quantiles?: readonly number[] } = {},
): ColumnStatistics {
  checkKeys(options, ['quantiles'], 'columnStatistics');
  checkWidth(width, 'width');
  checkRows(values, width, 'values');
  const quantiles = options.quantiles ?? [];
  if (!Array.isArray(quantiles)) throw new TypeError('quantiles must be an array of numbers');
  quantiles.forEach((q, i) => {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new RangeError(`quantiles[${i}] must be a number in [0, 1], got ${shown(q)}`);
    }
  });
  return engine.columnStatistics(values, width, [...quantiles]);
}

export function normalQuantile(engine: Engine, p: number): number {
  if (typeof p !== 'number') throw new TypeError(`p must be a number, got ${typeof p}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must lie in (0, 1), got ${p}`);
  return engine.normalQuantile(p);
}

export function randomNormal(engine: Engine, count: number, options: { seed?: number } = {}): Float64Array {
  checkKeys(options, ['seed'], 'randomNormal');
  if (!Number.isInteger(count) || count < 0 || count > 100_000_000) {
    throw new RangeError(`count must be an integer in [0, 100000000], got ${shown(count)}`);
  }
  return engine.randomNormal(count, checkSeed(options.seed ?? 0));
}

export function rocCurve(
  engine: Engine,
  scores: ArrayLike<number>,
  labels: ArrayLike<boolean | number>,
  options: { maxPoints?: number } = {},
): RocCurve {
  checkKeys(options, ['maxPoints'], 'rocCurve');
  const maxPoints = options.maxPoints ?? Infinity;
  if (!(maxPoints === Infinity || Number.isInteger(maxPoints)) || maxPoints < 2) {
    throw new RangeError(`maxPoints must be an integer >= 2 (or Infinity), got ${shown(maxPoints)}`);
  }
  const [values, flags] = scoresAndLabels(scores, labels);
  // A curve has at most one point per sample and the origin.
  return engine.rocCurve(values, flags, Math.min(maxPoints, values.length + 1));
}

/** The ROC-AUC of scores and labels (the Mann-Whitney statistic, ties counting one half). */
export function rocAuc(
  engine: Engine,
  scores: ArrayLike<number>,
  labels: ArrayLike<boolean | number>,
): number {
  const [values, flags] = scoresAndLabels(scores, labels);
  return engine.rocAuc(values, flags);
}

export function meanSquaredError(engine: Engine, a: Float32Array, b: Float32Array): number {
  checkRows(a, 1, 'a');
  checkRows(b, 1, 'b');
  if (a.length !== b.length) {
    throw new RangeError(`a and b must have the same length, got ${a.length} and ${b.length}`);
  }
  return engine.meanSquaredError(a, b);
}

/** A seed the engine takes: a non-negative safe integer. */
export function checkSeed(seed: unknown): number {
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${shown(seed)}`);
  }
  return seed as number;
}

function checkWidth(width: unknown, name: string): void {
  if (!Number.isInteger(width) || (width as number) < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${shown(width)}`);
  }
}

function scoresAndLabels(
  scores: ArrayLike<number>,
  labels: ArrayLike<boolean | number>,
): [Float64Array, number[]] {
  if (scores?.length === undefined) throw new TypeError('scores must be an array of numbers');
  if (labels?.length === undefined) throw new TypeError('labels must be an array of booleans or 0/1');
  if (scores.length !== labels.length) {
    throw new RangeError(
      `scores and labels must have the same length, got ${scores.length} and ${labels.length}`,
    );
  }
  const values = Float64Array.from(scores);
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('scores must be finite numbers');
  return [values, Array.from(labels, (label) => (label ? 1 : 0))];
}
