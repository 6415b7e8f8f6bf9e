// The public model handle: training, encoding and decoding, each call
// checked in full before it reaches the engine, so a rejected call leaves
// the model exactly as it was.
import { checkInterpolation, checkRows, shown } from './arrays.js';
import { withDataset, type Dataset } from './dataset.js';
import type { Engine, RawBatchReport, RawDataset, RawModel, RawTrainReport } from './engine.mjs';
import { Handle } from './handle.js';
import type { ModelConfig, ResolvedModelConfig } from './model-config.js';
import {
  checkKeys,
  normalizeTrainOptions,
  saveDtype,
  trainOptionKeys,
  type SaveOptions,
  type TrainOptions,
} from './options.js';
import type { ActivationStatistics } from './statistics.js';

/** Reported after every mini-batch. */
export interface TrainProgress {
  epoch: number;
  /** Optimizer steps taken by this model so far. */
  step: number;
  /** Mini-batches done in this epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** This mini-batch's loss. */
  loss: number;
  /** Training speed since the call began. */
  samplesPerSecond: number;
}

export interface EpochOptions extends TrainOptions {
  /** Called after every mini-batch; return false to stop before the next one. */
  onProgress?: (progress: TrainProgress) => boolean | void;
}

export interface StepOptions extends EpochOptions {
  /** The most mini-batches to run; the call also ends where the epoch ends. */
  steps: number;
}

export interface TrainStats {
  epoch: number;
  step: number;
  /** Mini-batches and samples run by this call. */
  batches: number;
  samples: number;
  /** Mean loss over this call's mini-batches. */
  loss: number;
  /** Mean loss over the epoch so far. */
  epochLoss: number;
  /** The loss's terms over this call's mini-batches, and over the epoch so far. */
  terms: LossTerms;
  epochTerms: LossTerms;
  epochFinished: boolean;
  /** onProgress returned false. */
  cancelled: boolean;
  seconds: number;
  samplesPerSecond: number;
}

/** The terms of the training objective, means over samples. */
export interface LossTerms {
  /** Reconstruction loss: mean over features, or (variational) summed over features. */
  reconstruction: number;
  /** The weighted sparsity penalty (0 without one). */
  sparsity: number;
  /** The weighted contractive penalty (0 without one). */
  contractive: number;
  /** Variational: KL(q(z|x) || N(0, I)) per sample, unweighted (0 otherwise). */
  kl: number;
}

export interface Evaluation extends LossTerms {
  /** The whole objective: reconstruction + penalties + beta * kl. */
  loss: number;
  /** Variational models only: reconstruction + kl per sample (nats for 'bce'). */
  negativeElbo?: number;
  /** Mean activation of the sparsity layer (else the first encoder layer). */
  meanActivation: number;
  /** Fraction of that layer's activations near zero, |h| < 0.01. */
  fractionInactive: number;
  /**
   * Mean over samples of the first encoder layer's Jacobian Frobenius norm
   * ||dh/dx||_F; absent when the first layer has no weights (pooling, say).
   */
  meanJacobianNorm?: number;
}

/** One tensor of the model: as in the model file and PyTorch's state_dict. */
export interface WeightTensor {
  /** `layers.<i>.weight` or `layers.<i>.bias`. */
  name: string;
  /** [out, in] for a weight, [out] for a bias. */
  shape: number[];
  /** Row-major (a weight's row o holds the input weights of unit o). */
  values: Float32Array;
}

export class Model extends Handle<RawModel> {
  readonly #engine: Engine;
  readonly #config: ResolvedModelConfig;

  /**
   * @internal Use LatentLab.createModel or LatentLab.loadModel. `raw`, when
   * given, is an engine model already built (from a file).
   */
  constructor(engine: Engine, config: ModelConfig | undefined, raw?: RawModel) {
    // The engine reads and checks the configuration (its schema owns every
    // option's default and bounds) and reports it resolved.
    super(raw ?? new engine.Model(config), 'Model');
    this.#engine = engine;
    this.#config = JSON.parse(this.raw.configJson()) as ResolvedModelConfig;
  }

  /** The configuration with every default filled in. */
  get config(): ResolvedModelConfig {
    return structuredClone(this.#config);
  }

  get inputSize(): number {
    return this.#config.inputSize;
  }

  get latentSize(): number {
    return this.#config.latentSize;
  }

  get parameterCount(): number {
    return this.raw.parameterCount();
  }

  /** Trains until the current epoch ends (a new epoch unless one is under way on this dataset). */
  trainEpoch(data: Float32Array | Dataset, options: EpochOptions = {}): TrainStats {
    checkKeys(options, [...trainOptionKeys, 'onProgress'], 'trainEpoch');
    return this.#train(data, options, Infinity);
  }

  /** Trains at most `options.steps` mini-batches, then returns; the next call continues the epoch. */
  trainSteps(data: Float32Array | Dataset, options: StepOptions): TrainStats {
    checkKeys(options, [...trainOptionKeys, 'onProgress', 'steps'], 'trainSteps');
    const steps = options.steps;
    if (!Number.isInteger(steps) || steps < 1) {
      throw new RangeError(`steps must be a positive integer, got ${shown(steps)}`);
    }
    return this.#train(data, options, steps);
  }

  /** n x inputSize values (or a Dataset of n samples) -> n x latentSize codes. */
  encode(images: Float32Array | Dataset): Float32Array {
    return this.#withData(images, (data) => this.raw.encode(data));
  }

  /** n x latentSize codes -> n x inputSize outputs. */
  decode(codes: Float32Array): Float32Array {
    checkRows(codes, this.latentSize, 'codes');
    return this.raw.decode(codes);
  }

  /** n x inputSize values -> their n x inputSize reconstructions. */
  reconstruct(images: Float32Array): Float32Array {
    checkRows(images, this.inputSize, 'images');
    return this.raw.reconstruct(images);
  }

  /** Reconstructions of noisy images (no corruption is added): before/after for denoising. */
  denoise(noisyImages: Float32Array): Float32Array {
    checkRows(noisyImages, this.inputSize, 'noisyImages');
    return this.raw.reconstruct(noisyImages);
  }

  /**
   * Statistics on the given samples; the model is not changed. A variational
   * model draws z with a fixed seed, so the same data gives the same numbers.
   */
  evaluate(images: Float32Array | Dataset): Evaluation {
    return this.#withData(images, (data) => this.raw.evaluate(data));
  }

  /** n x units activations of encoder layer `layer` (0 = the first; the last is the code). */
  hiddenActivations(images: Float32Array | Dataset, layer: number): Float32Array {
    this.#checkLayer(layer);
    return this.#withData(images, (data) => this.raw.hiddenActivations(data, layer));
  }

  /**
   * Statistics of encoder layer `layer`'s activations on `images`: each
   * unit's mean, the mean, the fraction near zero (|h| < 0.01) and a
   * histogram of `bins` (default 40) bins.
   */
  activationStatistics(
    images: Float32Array | Dataset,
    layer: number,
    options: { bins?: number } = {},
  ): ActivationStatistics {
    checkKeys(options, ['bins'], 'activationStatistics');
    const bins = options.bins ?? 40;
    if (!Number.isInteger(bins) || bins < 1 || bins > 10_000) {
      throw new RangeError(`bins must be an integer in [1, 10000], got ${shown(bins)}`);
    }
    this.#checkLayer(layer);
    return this.#withData(images, (data) => this.raw.activationStatistics(data, layer, bins));
  }

  /**
   * One score per sample, higher for samples the model reconstructs worse:
   * the reconstruction loss summed over features, from the mean code; a
   * variational model adds its KL (the negative ELBO).
   */
  anomalyScores(images: Float32Array | Dataset): Float32Array {
    return this.#withData(images, (data) => this.raw.anomalyScores(data));
  }

  /** Variational models: decodes `count` codes drawn from the prior N(0, I). */
  sample(count: number, options: { seed?: number } = {}): Float32Array {
    checkKeys(options, ['seed'], 'sample');
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
      throw new RangeError(`count must be an integer in [1, 1000000], got ${shown(count)}`);
    }
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${shown(seed)}`);
    }
    return this.raw.sample(count, seed);
  }

  /**
   * Decodes `steps` codes evenly spaced on the line from the code of image
   * `a` to that of image `b` (both ends included): steps x inputSize values.
   */
  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array {
    checkInterpolation(a, b, steps, this.inputSize);
    return this.raw.interpolate(a, b, steps);
  }

  /**
   * Every tensor in model-file order (layers.0.weight, layers.0.bias, ...),
   * weights [out, in] row-major as PyTorch's nn.Linear: fresh copies.
   */
  weights(): WeightTensor[] {
    return this.raw.tensors();
  }

  /** A copy of all weights and biases, layer by layer ([W column-major | b]). */
  parameters(): Float32Array {
    return this.raw.parameters();
  }

  /**
   * The model file: safetensors holding the weights and the configuration
   * (not the optimizer's state). LatentLab.loadModel and PyTorch read it.
   * `{ dtype: 'F16' }` stores the weights as float16: half the bytes, each
   * rounded to the nearest half; a weight beyond the half range throws.
   */
  save(options: SaveOptions = {}): Uint8Array {
    return this.raw.save(saveDtype(options));
  }

  /** `body` on the engine's copy of the images (a Float32Array is copied in for the call). */
  #withData<T>(images: Float32Array | Dataset, body: (data: RawDataset) => T): T {
    return withDataset(this.#engine, images, this.inputSize, 'images', body);
  }

  #checkLayer(layer: number): void {
    const last = this.#config.encoder.length;
    if (!Number.isInteger(layer) || layer < 0 || layer > last) {
      throw new RangeError(`layer must be an encoder layer index in [0, ${last}], got ${shown(layer)}`);
    }
  }

  #train(data: Float32Array | Dataset, options: EpochOptions, maxBatches: number): TrainStats {
    const raw = this.raw;
    const rawOptions = normalizeTrainOptions(options);
    const onProgress = options.onProgress;
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new TypeError('onProgress must be a function');
    }
    const start = performance.now();
    let samples = 0;
    let callbackError: { error: unknown } | undefined;
    const onBatch =
      onProgress &&
      ((batch: RawBatchReport) => {
        samples += batch.samples;
        try {
          const seconds = (performance.now() - start) / 1000;
          const { epoch, step, loss, batchesPerEpoch } = batch;
          const samplesPerSecond = seconds > 0 ? samples / seconds : 0;
          return (
            onProgress({ epoch, step, batch: batch.batch, batchesPerEpoch, loss, samplesPerSecond }) !== false
          );
        } catch (error) {
          callbackError = { error };
          return false;
        }
      });
    // A Float32Array enters the engine once per call, where it is checked and
    // fingerprinted in the same pass: the engine continues the epoch under way
    // whenever the data is the same, however it arrives.
    const report: RawTrainReport = withDataset(this.#engine, data, this.inputSize, 'data', (dataset) =>
      raw.train(dataset, rawOptions, maxBatches, onBatch),
    );
    if (callbackError) throw callbackError.error;
    const seconds = (performance.now() - start) / 1000;
    return {
      epoch: report.epoch,
      step: report.step,
      batches: report.batches,
      samples: report.samples,
      loss: report.loss,
      epochLoss: report.epochLoss,
      terms: report.terms,
      epochTerms: report.epochTerms,
      epochFinished: report.epochFinished,
      cancelled: report.stopped,
      seconds,
      samplesPerSecond: seconds > 0 ? report.samples / seconds : 0,
    };
  }
}
