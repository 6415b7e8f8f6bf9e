// One model in the worker, shared by every view that names it: its codec
// (autoencoder or PCA), where it came from, its training state, the loss
// history the curves draw, and results cached until the model changes.
import type { Dataset, TrainOptions } from 'latentlab';
import type { Experiment } from '../lab/experiment';
import { describeExperiment } from '../lab/model-config';
import type { LossPoint, ModelSource, SlotStatus } from '../lab/protocol';
import { AutoencoderCodec, type Codec, type Scores } from './codec';

/** Sums over the mini-batches not yet reported (losses weighted by batches). */
interface Pending {
  batches: number;
  samples: number;
  seconds: number;
  loss: number;
  reconstruction: number;
  sparsity: number;
  contractive: number;
  kl: number;
}

const emptyPending = (): Pending => ({
  batches: 0,
  samples: 0,
  seconds: 0,
  loss: 0,
  reconstruction: 0,
  sparsity: 0,
  contractive: 0,
  kl: 0,
});

/** Most mini-batches in one slice, however fast they run. */
const maxStepsPerSlice = 64;

export class Slot {
  readonly key: string;
  readonly experiment: Experiment;
  codec: Codec | undefined;
  source: ModelSource = 'loading';
  preset: string | undefined;
  note: string | undefined;
  /** Set when the model could not be built at all; views show it. */
  error: string | undefined;
  running = false;
  /** Incremented by every train, pause and restore request, so that a stale one gives up. */
  request = 0;
  trainOptions: TrainOptions;
  step = 0;
  samplesSeen = 0;
  trainingCount = 1;
  /** Incremented whenever the weights views show change (a snapshot or a new model). */
  version = 0;
  /** Incremented whenever the loss history restarts. */
  historyGeneration = 0;
  readonly train: LossPoint[] = [];
  readonly test: LossPoint[] = [];
  lastProgress = -Infinity;
  lastSnapshot = -Infinity;
  snapshotInterval: number;
  latestLoss: number | undefined;
  samplesPerSecond: number | undefined;
  /** Resolves when the first model is in place (or could not be built). */
  ready: Promise<void> = Promise.resolve();
  #stepsPerSlice = 1;
  /** Samples and seconds of training since training last started, for a steady speed. */
  #run = { samples: 0, seconds: 0 };
  #pending: Pending = emptyPending();
  #cache = new Map<string, unknown>();
  #cacheVersion = -1;

  constructor(key: string, experiment: Experiment, trainOptions: TrainOptions, snapshotInterval: number) {
    this.key = key;
    this.experiment = experiment;
    this.trainOptions = trainOptions;
    this.snapshotInterval = snapshotInterval;
  }

  get epochs(): number {
    return this.samplesSeen / this.trainingCount;
  }

  /** Puts a new model in place: step 0, an empty history. */
  replace(codec: Codec, source: ModelSource, note?: string): void {
    this.codec?.dispose();
    this.codec = codec;
    this.source = source;
    this.note = note;
    this.error = undefined;
    this.preset = undefined;
    this.step = 0;
    this.samplesSeen = 0;
    this.latestLoss = undefined;
    this.samplesPerSecond = undefined;
    this.train.length = 0;
    this.test.length = 0;
    this.historyGeneration++;
    this.version++;
    this.#stepsPerSlice = 1;
    this.#clearPending();
  }

  /** A few mini-batches of training, as many as fit in about `sliceMs`. */
  trainSlice(dataset: Dataset, sliceMs: number): void {
    if (!(this.codec instanceof AutoencoderCodec)) throw new Error('only autoencoders train in steps');
    const stats = this.codec.model.trainSteps(dataset, { ...this.trainOptions, steps: this.#stepsPerSlice });
    this.step = stats.step;
    this.trainingCount = dataset.count;
    this.samplesSeen += stats.samples;
    const p = this.#pending;
    p.batches += stats.batches;
    p.samples += stats.samples;
    p.seconds += stats.seconds;
    p.loss += stats.loss * stats.batches;
    p.reconstruction += stats.terms.reconstruction * stats.batches;
    p.sparsity += stats.terms.sparsity * stats.batches;
    p.contractive += stats.terms.contractive * stats.batches;
    p.kl += stats.terms.kl * stats.batches;
    this.#run.samples += stats.samples;
    this.#run.seconds += stats.seconds;
    const secondsPerBatch = stats.seconds / Math.max(1, stats.batches);
    const fit = Math.round(sliceMs / 1000 / Math.max(secondsPerBatch, 1e-6));
    this.#stepsPerSlice = Math.min(maxStepsPerSlice, Math.max(1, fit));
  }

  /** Training (re)starts: the speed is measured afresh. */
  beginRun(): void {
    this.#run = { samples: 0, seconds: 0 };
  }

  /** The mean training loss since the last call, as a curve point (undefined if no batch ran). */
  takeTrainPoint(): LossPoint | undefined {
    const p = this.#pending;
    if (p.batches === 0) return undefined;
    const point: LossPoint = {
      step: this.step,
      epochs: this.epochs,
      loss: p.loss / p.batches,
      reconstruction: p.reconstruction / p.batches,
      sparsity: p.sparsity / p.batches,
      contractive: p.contractive / p.batches,
      kl: p.kl / p.batches,
    };
    this.latestLoss = point.loss;
    this.samplesPerSecond = this.#run.seconds > 0 ? this.#run.samples / this.#run.seconds : undefined;
    this.train.push(point);
    this.#clearPending();
    return point;
  }

  /** Measures the test loss now and adds it to the history. */
  addTestPoint(evaluation: Float32Array): LossPoint | undefined {
    if (!this.codec) return undefined;
    const scores: Scores = this.codec.evaluate(evaluation);
    const point: LossPoint = { step: this.step, epochs: this.epochs, ...scores };
    const last = this.test.at(-1);
    if (last && last.step === point.step) this.test[this.test.length - 1] = point;
    else this.test.push(point);
    return point;
  }

  /** `compute()` once per model version; a cached value with a dispose() is freed with its version. */
  cached<T>(name: string, compute: () => T): T {
    if (this.#cacheVersion !== this.version) {
      this.#clearCache();
      this.#cacheVersion = this.version;
    }
    if (!this.#cache.has(name)) this.#cache.set(name, compute());
    return this.#cache.get(name) as T;
  }

  /** The previous value stored under `name`, whatever its version (e.g. PCA axes to start from). */
  readonly sticky = new Map<string, unknown>();

  status(): SlotStatus {
    return {
      spec: '',
      family: this.experiment.family,
      description: describeExperiment(this.experiment),
      source: this.source,
      preset: this.preset,
      hasPretrained: false,
      running: this.running,
      step: this.step,
      epochs: this.epochs,
      parameterCount: this.codec?.parameterCount ?? 0,
      loss: this.latestLoss,
      samplesPerSecond: this.samplesPerSecond,
      note: this.error ?? this.note,
    };
  }

  dispose(): void {
    this.running = false;
    this.codec?.dispose();
    this.codec = undefined;
    this.#clearCache();
  }

  #clearCache(): void {
    for (const value of this.#cache.values()) {
      const disposable = value as { dispose?: unknown } | null;
      if (typeof disposable?.dispose === 'function') (disposable as { dispose(): void }).dispose();
    }
    this.#cache.clear();
  }

  #clearPending(): void {
    this.#pending = emptyPending();
  }
}
