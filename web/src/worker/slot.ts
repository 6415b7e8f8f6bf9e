// One model in the worker, shared by every view that names it: its state in
// the life cycle of ./slot-state (the only way it changes), the model and
// where it came from, its training bookkeeping, the loss history the curves
// draw, and results cached until the model changes. Each job on a slot (a
// load, a training run) gets its own AbortSignal, aborted by the next
// transition that ends it: that is the one way a stale job learns to stop.
import type { Dataset, TrainOptions } from 'latentlab';
import type { Experiment } from '../lab/experiment';
import { describeExperiment } from '../lab/model-config';
import type { LossPoint, ModelSource, SlotStatus } from '../lab/protocol';
import { AutoencoderCodec, type Codec, type Scores } from './codec';
import { nextState, type SlotEvent, type SlotState } from './slot-state';

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
/** Shortest ms between two model files sent at epochs' ends (epochs of a few hundred images are short). */
const epochFileInterval = 1000;

/** A model put in place, with where it came from. */
export interface PlacedModel {
  codec: Codec;
  source: ModelSource;
  note?: string;
  /** The preset whose pretrained file it is. */
  preset?: string;
  /** Training it has had already (a restored snapshot): its steps and epochs count on from there. */
  trained?: { step: number; epochs: number };
}

export interface LossHistory {
  /** Incremented whenever the history restarts (a new model). */
  generation: number;
  train: readonly LossPoint[];
  test: readonly LossPoint[];
}

export class Slot {
  readonly key: string;
  readonly experiment: Experiment;
  #state: SlotState = 'loading';
  #job: AbortController | undefined;
  #codec: Codec | undefined;
  #source: ModelSource = 'loading';
  #preset: string | undefined;
  #note: string | undefined;
  /** Why there is no model (state 'failed'). */
  #failure: string | undefined;
  /** While loading: waiting for the training digits (PCA). */
  #waitingForData = false;
  #trainOptions: TrainOptions;
  #step = 0;
  /** Steps and epochs before this model came to the slot (a restored snapshot); the engine counts from 0. */
  #before = { step: 0, epochs: 0 };
  #samplesSeen = 0;
  #trainingCount = 1;
  #version = 0;
  #generation = 0;
  readonly #train: LossPoint[] = [];
  readonly #test: LossPoint[] = [];
  #latestLoss: number | undefined;
  #samplesPerSecond: number | undefined;
  #lastProgress = -Infinity;
  #lastSnapshot = -Infinity;
  #lastEpochFile = -Infinity;
  #snapshotInterval: number;
  readonly #minimumSnapshotInterval: number;
  #stepsPerSlice = 1;
  /** Samples and seconds of training since training last started, for a steady speed. */
  #run = { samples: 0, seconds: 0 };
  #pending: Pending = emptyPending();
  #cache = new Map<string, unknown>();
  #cacheVersion = -1;
  /** Values kept across model versions (e.g. the map's axes, so that it does not flip). */
  readonly sticky = new Map<string, unknown>();

  /** A new slot is loading its first model: start that job with begin('load'). */
  constructor(key: string, experiment: Experiment, trainOptions: TrainOptions, snapshotInterval: number) {
    this.key = key;
    this.experiment = experiment;
    this.#trainOptions = trainOptions;
    this.#snapshotInterval = snapshotInterval;
    this.#minimumSnapshotInterval = snapshotInterval;
  }

  // ---- the life cycle ----

  get state(): SlotState {
    return this.#state;
  }

  /** The model views are computed with (an older one may still show while loading). */
  get codec(): Codec | undefined {
    return this.#codec;
  }

  /** Why there is no model, in state 'failed'. */
  get failure(): string | undefined {
    return this.#failure;
  }

  get note(): string | undefined {
    return this.#note;
  }

  /**
   * Starts a job: 'load' puts a new model in place, 'train' prepares a
   * training run. Aborts the job before it; returns this one's signal.
   */
  begin(event: 'load' | 'train'): AbortSignal {
    this.#move(event);
    this.#job = new AbortController();
    this.#note = undefined;
    this.#waitingForData = false;
    return this.#job.signal;
  }

  /** A sentence on the job's progress; `waitingForData`: a load that waits for the training digits. */
  progress(note: string, waitingForData = false): void {
    this.#note = note;
    this.#waitingForData = waitingForData && this.#state === 'loading';
  }

  /** A new model is in place (from a load, or a model file): step 0, an empty history; ends any job. */
  loaded(model: PlacedModel): void {
    this.#move('loaded');
    this.#place(model);
  }

  /** No model could be built: the current one is freed and views show `reason`. Ends any job. */
  fail(reason: string): void {
    this.#move('fail');
    this.#codec?.dispose();
    this.#codec = undefined;
    this.#failure = reason;
    this.#note = undefined;
  }

  /** The training digits are in: training starts (on `fresh`, a new model, if given). */
  run(now: number, fresh?: Codec): void {
    this.#move('run');
    if (fresh) this.#place({ codec: fresh, source: 'trained' });
    this.#source = 'trained';
    this.#note = undefined;
    this.#run = { samples: 0, seconds: 0 };
    this.#lastSnapshot = now;
    this.#lastProgress = now;
  }

  /** Training (or waiting to train) ends, saying why if it was not asked to. Ends the job. */
  stop(note?: string): void {
    this.#move('stop');
    this.#note = note;
  }

  /** Frees the model; nothing may happen to the slot afterwards. */
  dispose(): void {
    this.#move('dispose');
    this.#codec?.dispose();
    this.#codec = undefined;
    this.#clearCache();
  }

  /** Whether the loop should train it. */
  get training(): boolean {
    return this.#state === 'training';
  }

  /** Every transition goes through the table; every one but 'run' ends the running job. */
  #move(event: SlotEvent): void {
    this.#state = nextState(this.key, this.#state, event);
    if (event !== 'run') {
      this.#job?.abort();
      this.#job = undefined;
    }
    if (this.#state !== 'failed') this.#failure = undefined;
  }

  #place({ codec, source, note, preset, trained }: PlacedModel): void {
    if (this.#codec !== codec) this.#codec?.dispose();
    this.#codec = codec;
    this.#source = source;
    this.#note = note;
    this.#preset = preset;
    this.#before = trained ?? { step: 0, epochs: 0 };
    this.#step = this.#before.step;
    this.#samplesSeen = 0;
    this.#latestLoss = undefined;
    this.#samplesPerSecond = undefined;
    this.#train.length = 0;
    this.#test.length = 0;
    this.#generation++;
    this.#version++;
    this.#stepsPerSlice = 1;
    this.#pending = emptyPending();
  }

  // ---- training ----

  setTrainOptions(options: TrainOptions): void {
    this.#trainOptions = options;
  }

  get step(): number {
    return this.#step;
  }

  get epochs(): number {
    return this.#before.epochs + this.#samplesSeen / this.#trainingCount;
  }

  /** A few mini-batches of training, as many as fit in about `sliceMs`; true if an epoch ended in them. */
  trainSlice(dataset: Dataset, sliceMs: number): boolean {
    if (this.#state !== 'training' || !(this.#codec instanceof AutoencoderCodec)) {
      throw new Error(
        `slot ${this.key}: only a training autoencoder trains in slices (state '${this.#state}')`,
      );
    }
    const stats = this.#codec.model.trainSteps(dataset, {
      ...this.#trainOptions,
      steps: this.#stepsPerSlice,
    });
    this.#step = this.#before.step + stats.step;
    this.#trainingCount = dataset.count;
    this.#samplesSeen += stats.samples;
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
    return stats.epochFinished;
  }

  /** Whether a loss point is due at `now` (then the clock restarts). */
  progressDue(now: number, interval: number): boolean {
    if (now - this.#lastProgress < interval) return false;
    this.#lastProgress = now;
    return true;
  }

  /** Whether the model file of an epoch that ended at `now` is due (then the clock restarts). */
  epochFileDue(now: number): boolean {
    if (now - this.#lastEpochFile < epochFileInterval) return false;
    this.#lastEpochFile = now;
    return true;
  }

  /** Whether the views are due for a refresh at `now`. */
  snapshotDue(now: number): boolean {
    return now - this.#lastSnapshot >= this.#snapshotInterval;
  }

  /** A refresh took `cost` ms, ending at `now`: keep refreshing under a fifth of the time, so that training goes on. */
  snapshotTaken(cost: number, now: number): void {
    this.#snapshotInterval = Math.max(this.#minimumSnapshotInterval, 5 * cost);
    this.#lastSnapshot = now;
  }

  /** The mean training loss since the last call, as a curve point (undefined if no batch ran). */
  takeTrainPoint(): LossPoint | undefined {
    const p = this.#pending;
    if (p.batches === 0) return undefined;
    const point: LossPoint = {
      step: this.#step,
      epochs: this.epochs,
      loss: p.loss / p.batches,
      reconstruction: p.reconstruction / p.batches,
      sparsity: p.sparsity / p.batches,
      contractive: p.contractive / p.batches,
      kl: p.kl / p.batches,
    };
    this.#latestLoss = point.loss;
    this.#samplesPerSecond = this.#run.seconds > 0 ? this.#run.samples / this.#run.seconds : undefined;
    this.#train.push(point);
    this.#pending = emptyPending();
    return point;
  }

  /** Measures the test loss now and adds it to the history. */
  addTestPoint(evaluation: Dataset): LossPoint | undefined {
    if (!this.#codec) return undefined;
    const scores: Scores = this.#codec.evaluate(evaluation);
    const point: LossPoint = { step: this.#step, epochs: this.epochs, ...scores };
    const last = this.#test.at(-1);
    if (last && last.step === point.step) this.#test[this.#test.length - 1] = point;
    else this.#test.push(point);
    return point;
  }

  get history(): LossHistory {
    return { generation: this.#generation, train: this.#train, test: this.#test };
  }

  // ---- what views share ----

  /** Incremented whenever the weights views show change (a snapshot or a new model). */
  get version(): number {
    return this.#version;
  }

  /** The weights changed (a training snapshot): cached results are recomputed. */
  newVersion(): void {
    this.#version++;
  }

  /** `compute()` once per model version; a cached value with a dispose() is freed with its version. */
  cached<T>(name: string, compute: () => T): T {
    if (this.#cacheVersion !== this.#version) {
      this.#clearCache();
      this.#cacheVersion = this.#version;
    }
    if (!this.#cache.has(name)) this.#cache.set(name, compute());
    return this.#cache.get(name) as T;
  }

  status(): SlotStatus {
    const loading = this.#state === 'loading';
    return {
      spec: '',
      family: this.experiment.family,
      description: describeExperiment(this.experiment),
      source: loading ? (this.#waitingForData ? 'waiting' : 'loading') : this.#source,
      preset: this.#preset,
      hasPretrained: false,
      running: this.#state === 'training' || this.#state === 'preparing',
      step: this.#step,
      epochs: this.epochs,
      parameterCount: this.#codec?.parameterCount ?? 0,
      loss: this.#latestLoss,
      samplesPerSecond: this.#samplesPerSecond,
      note: this.#failure ?? this.#note,
    };
  }

  #clearCache(): void {
    for (const value of this.#cache.values()) {
      const disposable = value as { dispose?: unknown } | null;
      if (typeof disposable?.dispose === 'function') (disposable as { dispose(): void }).dispose();
    }
    this.#cache.clear();
  }
}
