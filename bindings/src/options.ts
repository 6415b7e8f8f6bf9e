// The training options, and save's: their types, their defaults and their
// checks, in one place. (A model's configuration is described, defaulted and checked by
// the engine's schema: see model-config.ts.) Every error names the option
// that is wrong, so that a bad call is rejected before anything reaches the
// engine.
import { shown } from './arrays.js';
import type { RawTrainOptions } from './engine.mjs';

export type OptimizerName = 'adam' | 'sgd';

export interface TrainOptions {
  /** Samples per mini-batch. Default: 128. */
  batchSize?: number;
  /** Default: 1e-3. */
  learningRate?: number;
  /** Default: 'adam'. */
  optimizer?: OptimizerName;
  /** SGD momentum. Default: 0.9. */
  momentum?: number;
  /** Adam's decay rates and epsilon. Defaults: 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const optimizers: readonly OptimizerName[] = ['adam', 'sgd'];

/** Throws if `value` is not a plain object or has keys outside `known`. */
export function checkKeys(value: unknown, known: readonly string[], what: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${what}: unknown option '${key}' (known: ${known.join(', ')})`);
    }
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value as T)) {
    throw new RangeError(
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

function numberIn(value: unknown, name: string, low: number, high: number, openLow: boolean): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${shown(value)}`);
  const ok = Number.isFinite(value) && (openLow ? value > low : value >= low) && value < high;
  if (!ok) {
    throw new RangeError(`${name} must be a number in ${openLow ? '(' : '['}${low}, ${high}), got ${value}`);
  }
  return value;
}

export const trainOptionKeys = [
  'batchSize',
  'learningRate',
  'optimizer',
  'momentum',
  'beta1',
  'beta2',
  'epsilon',
] as const;

export function normalizeTrainOptions(options: TrainOptions): RawTrainOptions {
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1 << 20) {
    throw new RangeError(`batchSize must be an integer in [1, ${1 << 20}], got ${shown(batchSize)}`);
  }
  return {
    batchSize,
    optimizer: oneOf(options.optimizer ?? 'adam', optimizers, 'optimizer'),
    learningRate: numberIn(options.learningRate ?? 1e-3, 'learningRate', 0, Infinity, true),
    momentum: numberIn(options.momentum ?? 0.9, 'momentum', 0, 1, false),
    beta1: numberIn(options.beta1 ?? 0.9, 'beta1', 0, 1, false),
    beta2: numberIn(options.beta2 ?? 0.999, 'beta2', 0, 1, false),
    epsilon: numberIn(options.epsilon ?? 1e-8, 'epsilon', 0, Infinity, true),
  };
}

/** The element type of a model file's tensors (safetensors' dtype). */
export type TensorDtype = 'F32' | 'F16';

export interface SaveOptions {
  /**
   * 'F32' (default): float32, every weight as it is. 'F16': IEEE float16,
   * half the bytes, each weight rounded to the nearest half (ties to even);
   * a weight of magnitude 65520 or more (past the largest half, 65504) makes
   * save throw an Error naming it rather than change the model.
   */
  dtype?: TensorDtype;
}

const tensorDtypes: readonly TensorDtype[] = ['F32', 'F16'];

export function saveDtype(options: SaveOptions): TensorDtype {
  checkKeys(options, ['dtype'], 'save options');
  return oneOf(options.dtype ?? 'F32', tensorDtypes, 'dtype');
}
