// The worker's logic, free of DOM and of Worker globals so that tests drive
// it directly: owns the engine's model and dataset, trains in short slices of
// mini-batches and yields to the event loop between them (so that pause and
// reset messages are handled within one slice), and posts what the page draws.
import type { Dataset, LatentLab, Model, ModelConfig, TrainOptions, TrainStats } from 'latentlab';
import { principalComponents, project } from './pca';
import type { WorkerMessage } from './protocol';
import { errorMessage } from './protocol';

export interface SessionData {
  /** Training samples: n x features values. */
  trainImages: Float32Array;
  /** Fixed samples whose reconstructions every snapshot carries: m x features. */
  probeImages: Float32Array;
  /** Samples whose codes the latent map shows: p x features. */
  mapImages: Float32Array;
}

export interface SessionSettings {
  model: ModelConfig;
  training: TrainOptions;
  /** Milliseconds of training between progress messages. Default 200. */
  progressInterval?: number;
  /** Milliseconds between snapshots while training. Default 1000. */
  snapshotInterval?: number;
  /** Target duration of one slice of mini-batches, in ms. Default 40. */
  sliceDuration?: number;
  /** Clock in ms. Default performance.now. */
  now?: () => number;
  /** Lets queued messages run. Default setTimeout(0). */
  yieldToEventLoop?: () => Promise<void>;
}

export type Post = (message: WorkerMessage, transfer: Transferable[]) => void;

const maxStepsPerSlice = 64;

export class TrainingSession {
  readonly #ll: LatentLab;
  readonly #settings: Required<SessionSettings>;
  readonly #post: Post;
  readonly #dataset: Dataset;
  readonly #probeImages: Float32Array;
  readonly #mapImages: Float32Array;
  #model: Model;
  #running = false;
  /** Incremented by start and reset, so that a superseded loop ends. */
  #generation = 0;
  #step = 0;
  #epoch = 0;
  #stepsPerSlice = 1;
  /** Loss summed over the mini-batches not yet reported, and their count. */
  #pendingLoss = 0;
  #pendingBatches = 0;
  #pendingSamples = 0;
  #pendingSeconds = 0;
  #previousAxes: Float64Array[] | undefined;

  /** Copies the training data into the engine and builds the model; throws on bad data or settings. */
  constructor(ll: LatentLab, data: SessionData, settings: SessionSettings, post: Post) {
    this.#ll = ll;
    this.#settings = {
      progressInterval: 200,
      snapshotInterval: 1000,
      sliceDuration: 40,
      now: () => performance.now(),
      yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
      ...settings,
    };
    this.#post = post;
    this.#probeImages = data.probeImages;
    this.#mapImages = data.mapImages;
    this.#model = ll.createModel(settings.model);
    try {
      this.#dataset = ll.createDataset(data.trainImages, this.#model.inputSize);
    } catch (error) {
      this.#model.dispose();
      throw error;
    }
  }

  get running(): boolean {
    return this.#running;
  }

  get step(): number {
    return this.#step;
  }

  get parameterCount(): number {
    return this.#model.parameterCount;
  }

  /** Trains until pause, reset or an error; the promise settles when this run's loop ends. */
  start(): Promise<void> {
    if (this.#running) return Promise.resolve();
    this.#running = true;
    this.#postState();
    return this.#loop(++this.#generation);
  }

  pause(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#flushProgress();
    this.#postState();
  }

  /** Stops training and rebuilds the model from its seed: step 0, as freshly loaded. */
  reset(): void {
    this.#running = false;
    this.#generation++;
    const model = this.#ll.createModel(this.#settings.model);
    this.#model.dispose();
    this.#model = model;
    this.#step = 0;
    this.#epoch = 0;
    this.#stepsPerSlice = 1;
    this.#clearPending();
    this.#previousAxes = undefined;
    this.#post({ type: 'reset' }, []);
    this.#postState();
    this.publishSnapshot();
  }

  /** Posts the probe reconstructions and the projected codes of the current model. */
  publishSnapshot(): void {
    const reconstructions = ownBuffer(this.#model.reconstruct(this.#probeImages));
    const codes = this.#model.encode(this.#mapImages);
    const latent = this.#model.latentSize;
    const axes = Math.min(2, latent);
    const pcs = principalComponents(codes, latent, axes, { start: this.#previousAxes });
    this.#previousAxes = pcs.components;
    const projected = project(codes, latent, pcs);
    // Always x, y per point (a 1-D code gets y = 0).
    const mapPoints = axes === 2 ? projected : interleaveWithZeros(projected);
    const total = pcs.totalVariance > 0 ? pcs.totalVariance : 1;
    const explainedVariance: [number, number] = [pcs.variances[0] / total, (pcs.variances[1] ?? 0) / total];
    this.#post({ type: 'snapshot', step: this.#step, reconstructions, mapPoints, explainedVariance }, [
      reconstructions.buffer,
      mapPoints.buffer,
    ]);
  }

  dispose(): void {
    this.#running = false;
    this.#generation++;
    this.#model.dispose();
    this.#dataset.dispose();
  }

  async #loop(generation: number): Promise<void> {
    const { now, progressInterval, snapshotInterval, yieldToEventLoop } = this.#settings;
    let lastProgress = -Infinity;
    let lastSnapshot = -Infinity;
    while (this.#running && generation === this.#generation) {
      try {
        this.#trainSlice();
        const time = now();
        if (time - lastProgress >= progressInterval) {
          this.#flushProgress();
          lastProgress = time;
        }
        if (time - lastSnapshot >= snapshotInterval) {
          this.publishSnapshot();
          lastSnapshot = now();
        }
      } catch (error) {
        this.#running = false;
        this.#post({ type: 'error', message: `Training failed: ${errorMessage(error)}` }, []);
        this.#postState();
        return;
      }
      await yieldToEventLoop();
    }
  }

  /** A few mini-batches, as many as fit in about sliceDuration ms. */
  #trainSlice(): void {
    const stats: TrainStats = this.#model.trainSteps(this.#dataset, {
      ...this.#settings.training,
      steps: this.#stepsPerSlice,
    });
    this.#step = stats.step;
    this.#epoch = stats.epoch;
    this.#pendingLoss += stats.loss * stats.batches;
    this.#pendingBatches += stats.batches;
    this.#pendingSamples += stats.samples;
    this.#pendingSeconds += stats.seconds;
    const secondsPerBatch = stats.seconds / Math.max(1, stats.batches);
    const fit = Math.round(this.#settings.sliceDuration / 1000 / Math.max(secondsPerBatch, 1e-6));
    this.#stepsPerSlice = Math.min(maxStepsPerSlice, Math.max(1, fit));
  }

  #flushProgress(): void {
    if (this.#pendingBatches === 0) return;
    const loss = this.#pendingLoss / this.#pendingBatches;
    const samplesPerSecond = this.#pendingSeconds > 0 ? this.#pendingSamples / this.#pendingSeconds : 0;
    this.#post({ type: 'progress', step: this.#step, epoch: this.#epoch, loss, samplesPerSecond }, []);
    this.#clearPending();
  }

  #clearPending(): void {
    this.#pendingLoss = 0;
    this.#pendingBatches = 0;
    this.#pendingSamples = 0;
    this.#pendingSeconds = 0;
  }

  #postState(): void {
    this.#post({ type: 'state', running: this.#running, step: this.#step, epoch: this.#epoch }, []);
  }
}

/** The array itself if it owns its whole buffer (so the buffer can be transferred), else a copy. */
function ownBuffer(values: Float32Array): Float32Array {
  return values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
}

function interleaveWithZeros(xs: Float32Array): Float32Array {
  const out = new Float32Array(xs.length * 2);
  xs.forEach((x, i) => (out[2 * i] = x));
  return out;
}
