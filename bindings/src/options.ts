// Public option types and the one place that owns their defaults and checks
// them. Every error names the option that is wrong, so that a bad call is
// rejected before anything reaches the engine.
import type { RawModelConfig, RawTrainOptions } from './engine.mjs';

export type ActivationName = 'identity' | 'relu' | 'sigmoid' | 'tanh';
export type LossName = 'mse' | 'bce';
export type OptimizerName = 'adam' | 'sgd';

export interface ModelConfig {
  /** Features per sample, e.g. 784 for 28 x 28 MNIST digits. */
  inputSize: number;
  /** Hidden layer sizes of the encoder, input side first. Default: []. */
  encoder?: number[];
  /** Size of the code (the bottleneck). */
  latentSize: number;
  /** Hidden sizes of the decoder, latent side first. Default: the encoder mirrored. */
  decoder?: number[];
  /** Hidden layers' activation. Default: 'relu'. */
  activation?: ActivationName;
  /** The bottleneck layer's activation. Default: 'identity'. */
  latentActivation?: ActivationName;
  /** Output activation. Default: 'sigmoid'. */
  outputActivation?: ActivationName;
  /** Reconstruction loss, averaged over samples and features. Default: 'mse'. */
  loss?: LossName;
  /** Seed of the weights and of the shuffling; the same seed gives the same model. Default: 0. */
  seed?: number;
}

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

const activations: readonly ActivationName[] = ['identity', 'relu', 'sigmoid', 'tanh'];
const losses: readonly LossName[] = ['mse', 'bce'];
const optimizers: readonly OptimizerName[] = ['adam', 'sgd'];
const maxLayerWidth = 65536;

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

function layerWidth(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > maxLayerWidth) {
    throw new RangeError(`${name} must be an integer in [1, ${maxLayerWidth}], got ${String(value)}`);
  }
  return value as number;
}

function layerWidths(value: unknown, name: string): number[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of layer sizes`);
  return value.map((width, i) => layerWidth(width, `${name}[${i}]`));
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
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (openLow ? value > low : value >= low) &&
    value < high;
  if (!ok) {
    throw new RangeError(`${name} must be a number in ${openLow ? '(' : '['}${low}, ${high}), got ${String(value)}`);
  }
  return value as number;
}

export const modelConfigKeys = [
  'inputSize', 'encoder', 'latentSize', 'decoder', 'activation', 'latentActivation',
  'outputActivation', 'loss', 'seed',
] as const;

/** The complete, checked configuration, with every default filled in. */
export function normalizeModelConfig(config: ModelConfig): RawModelConfig {
  checkKeys(config, modelConfigKeys, 'createModel');
  const seed = config.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${String(seed)}`);
  }
  const normalized: RawModelConfig = {
    inputSize: layerWidth(config.inputSize, 'inputSize'),
    encoder: layerWidths(config.encoder ?? [], 'encoder'),
    latentSize: layerWidth(config.latentSize, 'latentSize'),
    decoder: config.decoder === undefined ? undefined : layerWidths(config.decoder, 'decoder'),
    activation: oneOf(config.activation ?? 'relu', activations, 'activation'),
    latentActivation: oneOf(config.latentActivation ?? 'identity', activations, 'latentActivation'),
    outputActivation: oneOf(config.outputActivation ?? 'sigmoid', activations, 'outputActivation'),
    loss: oneOf(config.loss ?? 'mse', losses, 'loss'),
    seed,
  };
  if (normalized.loss === 'bce' && normalized.outputActivation !== 'sigmoid') {
    throw new RangeError(
      `loss 'bce' needs outputActivation 'sigmoid', got '${normalized.outputActivation}'`,
    );
  }
  return normalized;
}

export const trainOptionKeys = [
  'batchSize', 'learningRate', 'optimizer', 'momentum', 'beta1', 'beta2', 'epsilon',
] as const;

export function normalizeTrainOptions(options: TrainOptions): RawTrainOptions {
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1 << 20) {
    throw new RangeError(`batchSize must be an integer in [1, ${1 << 20}], got ${String(batchSize)}`);
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
