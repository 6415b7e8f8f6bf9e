// The public model handle: training, encoding and decoding, each call
// checked in full before it reaches the engine, so a rejected call leaves
// the model exactly as it was.
import { checkRows, checkUnitRange } from './arrays.js';
import { Dataset } from './dataset.js';
import type {
  Engine,
  RawBatchReport,
  RawModel,
  RawModelConfig,
  RawTrainReport,
} from './engine.mjs';
import { Handle } from './handle.js';
import {
  checkKeys,
  normalizeModelConfig,
  normalizeTrainOptions,
  trainOptionKeys,
  type ModelConfig,
  type TrainOptions,
} from './options.js';

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
  epochFinished: boolean;
  /** onProgress returned false. */
  cancelled: boolean;
  seconds: number;
  samplesPerSecond: number;
}

export interface Evaluation {
  /** Mean reconstruction loss (the model's loss) over the given samples. */
  loss: number;
}

type Normalized = Required<Omit<ModelConfig, 'decoder'>> & { decoder: number[] };

export class Model extends Handle<RawModel> {
  readonly #engine: Engine;
  readonly #config: RawModelConfig;

  /** @internal Use LatentLab.createModel. */
  constructor(engine: Engine, config: ModelConfig) {
    const normalized = normalizeModelConfig(config);
    super(new engine.Model(normalized), 'Model');
    this.#engine = engine;
    this.#config = normalized;
  }

  /** The configuration with every default filled in. */
  get config(): Normalized {
    const c = this.#config;
    return {
      ...c,
      encoder: [...c.encoder],
      decoder: c.decoder ? [...c.decoder] : [...c.encoder].reverse(),
    } as Normalized;
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
      throw new RangeError(`steps must be a positive integer, got ${String(steps)}`);
    }
    return this.#train(data, options, steps);
  }

  /** n x inputSize values -> n x latentSize codes. */
  encode(images: Float32Array): Float32Array {
    checkRows(images, this.inputSize, 'images');
    return this.raw.encode(images);
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

  /** Statistics on the given samples; the model is not changed. */
  evaluate(images: Float32Array): Evaluation {
    this.#checkTargets(images, 'images');
    return { loss: this.raw.loss(images) };
  }

  /** A copy of all weights and biases, layer by layer ([W column-major | b]). */
  parameters(): Float32Array {
    return this.raw.parameters();
  }

  #checkTargets(images: Float32Array, name: string): void {
    const range = checkRows(images, this.inputSize, name);
    if (this.#config.loss === 'bce') checkUnitRange(range, name);
  }

  #train(data: Float32Array | Dataset, options: EpochOptions, maxBatches: number): TrainStats {
    const raw = this.raw;
    const rawOptions = normalizeTrainOptions(options);
    const onProgress = options.onProgress;
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new TypeError('onProgress must be a function');
    }
    let dataset: Dataset;
    if (data instanceof Dataset) {
      if (data.features !== this.inputSize) {
        throw new RangeError(
          `data has ${data.features} features per sample, the model expects ${this.inputSize}`,
        );
      }
      if (this.#config.loss === 'bce') checkUnitRange(data.range, 'data');
      dataset = data;
    } else {
      this.#checkTargets(data, 'data');
      dataset = new Dataset(this.#engine, data, this.inputSize);
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
            onProgress({ epoch, step, batch: batch.batch, batchesPerEpoch, loss, samplesPerSecond }) !==
            false
          );
        } catch (error) {
          callbackError = { error };
          return false;
        }
      });
    let report: RawTrainReport;
    try {
      report = raw.train(dataset.rawDataset, rawOptions, maxBatches, onBatch);
    } finally {
      if (dataset !== data) dataset.dispose();
    }
    if (callbackError) throw callbackError.error;
    const seconds = (performance.now() - start) / 1000;
    return {
      epoch: report.epoch,
      step: report.step,
      batches: report.batches,
      samples: report.samples,
      loss: report.loss,
      epochLoss: report.epochLoss,
      epochFinished: report.epochFinished,
      cancelled: report.stopped,
      seconds,
      samplesPerSecond: seconds > 0 ? report.samples / seconds : 0,
    };
  }
}
