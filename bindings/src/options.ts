// Public option types and the one place that owns their defaults and checks
// them. Every error names the option that is wrong, so that a bad call is
// rejected before anything reaches the engine.
import type { RawModelConfig, RawNoise, RawTrainOptions } from './engine.mjs';

export type ActivationName = 'identity' | 'relu' | 'sigmoid' | 'tanh';
export type LossName = 'mse' | 'bce';
export type OptimizerName = 'adam' | 'sgd';

/**
 * An activity penalty on one encoder layer (default: the first). 'l1' adds
 * weight * mean over samples of sum |h|; 'kl' adds weight * sum over units of
 * KL(target || mean activation), and needs a sigmoid layer.
 */
export type Sparsity =
  | { kind: 'l1'; weight: number; layer?: number }
  | { kind: 'kl'; target: number; weight: number; layer?: number };

/** Input corruption for denoising: training inputs only, clean targets. */
export type Noise =
  { kind: 'gaussian'; std: number } | { kind: 'mask'; rate: number } | { kind: 'salt-pepper'; rate: number };

export interface ModelConfig {
  /** Features per sample, e.g. 784 for 28 x 28 MNIST digits. */
  inputSize: number;
  /** Hidden layer sizes of the encoder, input side first. Default: []. */
  encoder?: number[];
  /** Size of the code (the bottleneck). */
  latentSize: number;
  /** Hidden sizes of the decoder, latent side first. Default: the encoder mirrored. */
  decoder?: number[];
  /** The encoder's hidden layers' activation. Default: 'relu'. */
  activation?: ActivationName;
  /** The decoder's hidden layers' activation. Default: `activation`. */
  decoderActivation?: ActivationName;
  /** The bottleneck layer's activation. Default: 'identity'. */
  latentActivation?: ActivationName;
  /** Output activation. Default: 'sigmoid'. */
  outputActivation?: ActivationName;
  /** Reconstruction loss, averaged over samples and features. Default: 'mse'. */
  loss?: LossName;
  /** Seed of the weights, the shuffling and the noise; the same seed gives the same model. Default: 0. */
  seed?: number;
  /** Sparse autoencoder. */
  sparsity?: Sparsity;
  /** Denoising autoencoder. */
  noise?: Noise;
  /**
   * Variational autoencoder: a Gaussian code, reconstruction summed over
   * features plus beta * KL(q(z|x) || N(0, I)). Default beta: 1.
   */
  variational?: { beta?: number };
  /** Contractive autoencoder: weight * mean squared Frobenius norm of the first layer's Jacobian. */
  contractive?: { weight: number };
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
    throw new RangeError(
      `${name} must be a number in ${openLow ? '(' : '['}${low}, ${high}), got ${String(value)}`,
    );
  }
  return value as number;
}

export const modelConfigKeys = [
  'inputSize',
  'encoder',
  'latentSize',
  'decoder',
  'activation',
  'decoderActivation',
  'latentActivation',
  'outputActivation',
  'loss',
  'seed',
  'sparsity',
  'noise',
  'variational',
  'contractive',
] as const;

const weightOf = (value: unknown, name: string) => numberIn(value, name, 0, Infinity, false);

function normalizeSparsity(sparsity: Sparsity, encoderLayers: number): RawModelConfig['sparsity'] {
  checkKeys(sparsity, ['kind', 'target', 'weight', 'layer'], 'sparsity');
  const kind = oneOf(sparsity.kind, ['l1', 'kl'] as const, 'sparsity.kind');
  if (kind === 'l1' && 'target' in sparsity) {
    throw new TypeError("sparsity.target applies to kind 'kl' only");
  }
  const layer = sparsity.layer ?? 0;
  if (!Number.isInteger(layer) || layer < 0 || layer > encoderLayers) {
    throw new RangeError(
      `sparsity.layer must be an encoder layer index in [0, ${encoderLayers}], got ${String(layer)}`,
    );
  }
  const target = sparsity.kind === 'kl' ? numberIn(sparsity.target, 'sparsity.target', 0, 1, true) : 0.05;
  return { kind, weight: weightOf(sparsity.weight, 'sparsity.weight'), target, layer };
}

/** The engine's form of a noise option: a kind and its level (std or rate). */
export function normalizeNoise(noise: Noise, name = 'noise'): RawNoise {
  checkKeys(noise, ['kind', 'std', 'rate'], name);
  const kind = oneOf(noise.kind, ['gaussian', 'mask', 'salt-pepper'] as const, `${name}.kind`);
  if (noise.kind === 'gaussian') {
    if ('rate' in noise)
      throw new TypeError(`${name}.rate applies to kinds 'mask' and 'salt-pepper'; gaussian noise takes std`);
    return { kind, level: numberIn(noise.std, `${name}.std`, 0, Infinity, false) };
  }
  if ('std' in noise) throw new TypeError(`${name}.std applies to kind 'gaussian'; ${kind} noise takes rate`);
  const rate = noise.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new RangeError(`${name}.rate must be a number in [0, 1], got ${String(rate)}`);
  }
  return { kind, level: rate };
}

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
    decoderActivation:
      config.decoderActivation === undefined
        ? undefined
        : oneOf(config.decoderActivation, activations, 'decoderActivation'),
    latentActivation: oneOf(config.latentActivation ?? 'identity', activations, 'latentActivation'),
    outputActivation: oneOf(config.outputActivation ?? 'sigmoid', activations, 'outputActivation'),
    loss: oneOf(config.loss ?? 'mse', losses, 'loss'),
    seed,
    sparsity:
      config.sparsity === undefined
        ? undefined
        : normalizeSparsity(config.sparsity, (config.encoder ?? []).length),
    noise: config.noise === undefined ? undefined : normalizeNoise(config.noise),
    variational: undefined,
    contractive: undefined,
  };
  if (config.variational !== undefined) {
    checkKeys(config.variational, ['beta'], 'variational');
    normalized.variational = { beta: weightOf(config.variational.beta ?? 1, 'variational.beta') };
  }
  if (config.contractive !== undefined) {
    checkKeys(config.contractive, ['weight'], 'contractive');
    normalized.contractive = { weight: weightOf(config.contractive.weight, 'contractive.weight') };
  }
  if (normalized.loss === 'bce' && normalized.outputActivation !== 'sigmoid') {
    throw new RangeError(`loss 'bce' needs outputActivation 'sigmoid', got '${normalized.outputActivation}'`);
  }
  return normalized;
}

/** A model's configuration with every default filled in. */
export interface ResolvedModelConfig {
  inputSize: number;
  encoder: number[];
  latentSize: number;
  decoder: number[];
  activation: ActivationName;
  decoderActivation: ActivationName;
  latentActivation: ActivationName;
  outputActivation: ActivationName;
  loss: LossName;
  seed: number;
  sparsity?: Sparsity;
  noise?: Noise;
  variational?: { beta: number };
  contractive?: { weight: number };
}

/** The public form of a normalized configuration (the engine's form turned back). */
export function resolvedConfig(raw: RawModelConfig): ResolvedModelConfig {
  const resolved: ResolvedModelConfig = {
    inputSize: raw.inputSize,
    encoder: [...raw.encoder],
    latentSize: raw.latentSize,
    decoder: raw.decoder ? [...raw.decoder] : [...raw.encoder].reverse(),
    activation: raw.activation as ActivationName,
    decoderActivation: (raw.decoderActivation ?? raw.activation) as ActivationName,
    latentActivation: raw.latentActivation as ActivationName,
    outputActivation: raw.outputActivation as ActivationName,
    loss: raw.loss as LossName,
    seed: raw.seed,
  };
  const { sparsity, noise } = raw;
  if (sparsity) {
    resolved.sparsity =
      sparsity.kind === 'l1'
        ? { kind: 'l1', weight: sparsity.weight, layer: sparsity.layer }
        : { kind: 'kl', target: sparsity.target, weight: sparsity.weight, layer: sparsity.layer };
  }
  if (noise) {
    resolved.noise =
      noise.kind === 'gaussian'
        ? { kind: 'gaussian', std: noise.level }
        : { kind: noise.kind as 'mask' | 'salt-pepper', rate: noise.level };
  }
  if (raw.variational) resolved.variational = { ...raw.variational };
  if (raw.contractive) resolved.contractive = { ...raw.contractive };
  return resolved;
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
