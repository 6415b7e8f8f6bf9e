// The worker's logic, free of DOM and Worker globals so that tests drive it
// directly. It holds one slot per model that views name, and the views'
// subscriptions; it trains running models in short slices (yielding between
// them, so that messages are handled within one slice) and sends each view
// its data whenever its model or its parameters change. Data comes from a
// DataStore; models from ./models.
//
// A slot changes only through its transitions (./slot-state). Work that
// waits (loading a model, preparing a training run) is a job: it runs in
// #job with the AbortSignal its transition gave it, and ends silently once
// that is aborted. Errors take one path: they are thrown where they happen
// and caught by #job (or the training loop), which moves the slot to the
// state that says why; a split of a data set that fails to load is posted to
// the page once, as an 'error' (the page shows it, and its views say so).
// Each data set (MNIST, Fashion-MNIST, the reader's own files) has its own
// DataStore, made when a model first names it; a slot's model key names its
// data set. New own files replace the store of the earlier ones, and the
// models on them start again from their seeds.
//
// A trained model is posted to the page as a snapshot (its model file) after
// every epoch (at most one a second) and when training stops; the page can put one back with
// 'resume'. An engine trap (a WebAssembly.RuntimeError) leaves the engine in
// no state to trust: the host posts 'fatal' once and handles nothing more,
// and the page starts a new worker, which takes the snapshots up.
import { readIdxImages, type LatentLab } from 'latentlab';
import { ownDataset, splitName, type DatasetName } from '../lab/datasets';
import { modelKey, serializeExperiment, type Experiment } from '../lab/experiment';
import { engineObjection, trainOptionsOf } from '../lab/model-config';
import { hasModelFile, presetFor, resolveSpec, type ResolvedSpec } from '../lab/presets';
import {
  errorMessage,
  type ModelSnapshot,
  type OwnFile,
  type PageMessage,
  type WorkerMessage,
} from '../lab/protocol';
import { AutoencoderCodec, type Codec } from './codec';
import { computers, type ModelViewKind, type SubscriptionState, type ViewContext } from './compute';
import { DataStore, DataUnavailable, type DataSource } from './data-store';
import { pcaFitCount } from './mnist-sets';
import { freshModel, modelFileOf, pretrainedModel, readModelFile } from './models';
import { ownDataObjection, splitOwnImages, type OwnSplits } from './own-data';
import { Slot, type PlacedModel } from './slot';
import { lossUpdate, Subscriptions, type Subscription } from './subscriptions';

export type { DataSource } from './data-store';
export type Post = (message: WorkerMessage, transfer?: Transferable[]) => void;

export interface HostOptions {
  /** Clock in ms. Default performance.now. */
  now?: () => number;
  /** Lets queued messages run. Default setTimeout(0). */
  yieldToEventLoop?: () => Promise<void>;
  /** ms between loss-curve points while training. Default 250. */
  progressInterval?: number;
  /** Shortest ms between view refreshes while training; longer if refreshing is slow. Default 1000. */
  snapshotInterval?: number;
  /** Target ms of one slice of mini-batches. Default 25. */
  sliceDuration?: number;
  /** ms a model with no view left is kept (a view may be re-attached). Default 2000. */
  keepAlive?: number;
}

/** A model cannot be built for a slot: `message` says why (its views show it). */
class ModelUnavailable extends Error {}

/** Resolves as `promise` does, or rejects with the signal's reason as soon as it is aborted. */
function until<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

export class LabHost {
  readonly #ll: LatentLab;
  readonly #source: DataSource;
  /** One store per data set that a model has named. */
  readonly #stores = new Map<DatasetName, DataStore>();
  /** The reader's own files, once accepted. */
  #own: OwnSplits | undefined;
  readonly #post: Post;
  readonly #options: Required<HostOptions>;
  readonly #slots = new Map<string, Slot>();
  readonly #subscriptions: Subscriptions;
  /** Models loaded from files or snapshots, waiting for the views that will name them. */
  readonly #loadedFiles = new Map<string, PlacedModel>();
  /**
   * The files of models with a source (a view's src or bytes), by model key,
   * kept for good: the page loads each once, and its views may come and go
   * (the slot freed meanwhile) or go back to the file.
   */
  readonly #sourceFiles = new Map<string, { bytes: Uint8Array; fileName: string }>();
  #looping = false;
  /** The engine trapped ('fatal' was posted): nothing more is done. */
  #dead = false;
  #turn = 0;

  constructor(ll: LatentLab, source: DataSource, post: Post, options: HostOptions = {}) {
    this.#ll = ll;
    this.#post = post;
    this.#options = {
      now: () => performance.now(),
      yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
      progressInterval: 250,
      snapshotInterval: 1000,
      sliceDuration: 25,
      keepAlive: 2000,
      ...options,
    };
    this.#source = source;
    this.#subscriptions = new Subscriptions(this.#options.yieldToEventLoop, (subscription) =>
      this.#send(subscription),
    );
  }

  /** The store of a data set, made (and its test split downloading) on first use. */
  #data(dataset: DatasetName): DataStore {
    let store = this.#stores.get(dataset);
    if (store) return store;
    // Its news concern only the views of models on this data set (all of them for the test split).
    const mark = (split: 'test' | 'train') =>
      this.#subscriptions.markAll(
        (s) => s.resolved.experiment.dataset === dataset && (split === 'test' || s.view === 'pca-compare'),
      );
    const source = dataset === ownDataset ? this.#own : this.#source;
    store = new DataStore(this.#ll, dataset, source, this.#post, {
      loaded: (split) => {
        if (split === 'test') {
          for (const slot of this.#slots.values())
            if (slot.experiment.dataset === dataset) this.#recordTestPoint(slot);
        }
        mark(split);
      },
      failed: (split, message) => {
        this.#post({ type: 'error', message });
        mark(split);
      },
    });
    this.#stores.set(dataset, store);
    return store;
  }

  handle(message: PageMessage): void {
    if (this.#dead) return;
    try {
      this.#handle(message);
    } catch (error) {
      if (!this.#fatal(error)) throw error;
    }
  }

  /**
   * Whether `error` is an engine trap; the first one is posted as 'fatal'
   * and every slot stops. Anything else thrown in the engine is an Error
   * that leaves it sound, and takes the usual paths.
   */
  #fatal(error: unknown): boolean {
    if (!(error instanceof WebAssembly.RuntimeError)) return false;
    if (!this.#dead) {
      this.#dead = true;
      this.#post({ type: 'fatal', message: `the engine trapped: ${errorMessage(error)}` });
    }
    return true;
  }

  #handle(message: PageMessage): void {
    switch (message.type) {
      case 'subscribe': {
        const resolved = resolveSpec(message.spec);
        this.#slotFor(resolved);
        this.#subscriptions.add(message.id, resolved, message.view, message.params);
        break;
      }
      case 'update':
        this.#subscriptions.update(message.id, message.params);
        break;
      case 'unsubscribe': {
        const subscription = this.#subscriptions.remove(message.id);
        if (subscription) setTimeout(() => this.#collect(subscription.key), this.#options.keepAlive);
        break;
      }
      case 'visibility':
        this.#subscriptions.setVisible(message.id, message.visible);
        break;
      case 'train': {
        const resolved = resolveSpec(message.spec);
        this.#train(this.#slotFor(resolved), message.fromScratch, resolved.experiment);
        break;
      }
      case 'pause': {
        const slot = this.#slots.get(resolveSpec(message.spec).key);
        if (slot?.state === 'training' || slot?.state === 'preparing') this.#stop(slot);
        break;
      }
      case 'restore':
        void this.#load(this.#slotFor(resolveSpec(message.spec)), false);
        break;
      case 'save':
        this.#save(message.request, message.spec);
        break;
      case 'load-file':
        this.#loadFile(message.request, message.spec, message.bytes, message.fileName);
        break;
      case 'check': {
        const { request } = message;
        const objection = this.#objection(resolveSpec(message.spec).experiment);
        this.#post(
          objection === undefined
            ? { type: 'reply', request, ok: true }
            : { type: 'reply', request, ok: false, message: objection },
        );
        break;
      }
      case 'load-training-data':
        // A failure reaches the page through DataEvents.failed.
        this.#data(message.dataset)
          .loadTrain()
          .catch(() => {});
        break;
      case 'load-own-data':
        void this.#loadOwnData(message.request, message.images, message.labels);
        break;
      case 'resume':
        this.#resume(message.request, message.snapshot, message.reason);
        break;
    }
  }

  /** Why no model can be built for `experiment` (the engine's objection, or the own files'), or undefined. */
  #objection(experiment: Experiment): string | undefined {
    const own = experiment.dataset === ownDataset ? this.#own : undefined;
    return engineObjection(this.#ll, experiment) ?? (own && ownDataObjection(own, experiment));
  }

  /**
   * Reads and checks the reader's own files; on any problem the reply says
   * what, and the data and models in use stay as they are. Accepted files
   * replace earlier ones: the models on those start again from their seeds.
   */
  async #loadOwnData(request: number, images: OwnFile, labels: OwnFile | undefined): Promise<void> {
    let own: OwnSplits;
    try {
      const read = await readIdxImages(this.#ll, images, labels);
      own = splitOwnImages(read, { images: images.name, ...(labels && { labels: labels.name }) });
    } catch (error) {
      this.#post({ type: 'reply', request, ok: false, message: errorMessage(error) });
      return;
    }
    this.#stores.get(ownDataset)?.dispose();
    this.#stores.delete(ownDataset);
    this.#own = own;
    // Both splits are in memory: training and PCA need not wait for a "download".
    this.#data(ownDataset)
      .loadTrain()
      .catch(() => {}); // a failure reaches the page through DataEvents.failed
    for (const slot of this.#slots.values())
      if (slot.experiment.dataset === ownDataset) void this.#load(slot, false);
    this.#subscriptions.dataChanged((s) => s.resolved.experiment.dataset === ownDataset);
    this.#post({ type: 'reply', request, ok: true, own: own.summary });
  }

  /** Stops training and frees every model and dataset. */
  dispose(): void {
    for (const slot of this.#slots.values()) slot.dispose();
    this.#slots.clear();
    for (const { codec } of this.#loadedFiles.values()) codec.dispose();
    this.#loadedFiles.clear();
    for (const store of this.#stores.values()) store.dispose();
    this.#stores.clear();
  }

  // ---- jobs: the one place where waiting work is cancelled and errors are caught ----

  /**
   * Runs `body` as the slot's `event` job. A job whose signal is aborted (a
   * later transition ended it) stops silently; an error while it runs goes
   * to #failed, once.
   */
  async #job(
    slot: Slot,
    event: 'load' | 'train',
    body: (signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const signal = slot.begin(event);
    this.#postStatus(slot);
    try {
      await body(signal);
    } catch (error) {
      if (this.#fatal(error)) return;
      if (!signal.aborted) this.#failed(slot, event, error);
      // After its end (a later transition, or its own), only its cancellation is expected: anything else is a bug.
      else if (error !== signal.reason) this.#post({ type: 'error', message: errorMessage(error) });
    }
  }

  /**
   * The one error path of a slot: a model that cannot be built fails the
   * slot (its views and status say why); a training run that cannot go on
   * stops with a note. A split that failed to load was posted to the page already.
   */
  #failed(slot: Slot, during: 'load' | 'train', error: unknown): void {
    const message = errorMessage(error);
    if (during === 'train' && !(error instanceof ModelUnavailable)) {
      this.#stop(slot, error instanceof DataUnavailable ? message : `Training stopped: ${message}`);
      return;
    }
    slot.fail(message);
    this.#postStatus(slot);
    this.#subscriptions.markModel(slot.key, true);
  }

  // ---- models ----

  #slotFor(resolved: ResolvedSpec): Slot {
    let slot = this.#slots.get(resolved.key);
    if (!slot) {
      this.#data(resolved.experiment.dataset); // its data starts downloading with its first model
      slot = new Slot(
        resolved.key,
        resolved.experiment,
        trainOptionsOf(resolved.experiment),
        this.#options.snapshotInterval,
      );
      this.#slots.set(resolved.key, slot);
      void this.#load(slot, true);
    }
    return slot;
  }

  /** Puts the slot's initial model in place (first use, restore, PCA refit). */
  #load(slot: Slot, allowFile: boolean): Promise<void> {
    return this.#job(slot, 'load', async (signal) => {
      const model = await this.#initialModel(slot, allowFile, signal);
      slot.loaded(model);
      this.#modelChanged(slot);
    });
  }

  /** A file loaded for this model, else its pretrained model, else a fresh seeded one (PCA: fitted). */
  async #initialModel(slot: Slot, allowFile: boolean, signal: AbortSignal): Promise<PlacedModel> {
    const experiment = slot.experiment;
    const data = this.#data(experiment.dataset);
    const file = allowFile ? this.#loadedFiles.get(slot.key) : undefined;
    if (file) {
      this.#loadedFiles.delete(slot.key);
      return file;
    }
    if (experiment.source !== '') {
      // Its file came with a load-file message before any view named it.
      const kept = this.#sourceFiles.get(slot.key);
      if (!kept) throw new ModelUnavailable(`No model file ${experiment.source} was given to this page.`);
      const read = readModelFile(this.#ll, kept.bytes, kept.fileName, experiment);
      if (!read.ok) throw new ModelUnavailable(read.message);
      return { codec: read.codec, source: 'file', note: `Loaded from ${kept.fileName}.` };
    }
    const objection = this.#objection(experiment);
    if (objection !== undefined) throw new ModelUnavailable(objection);
    if (experiment.family === 'pca') {
      const fitted = Math.min(pcaFitCount, data.train?.count ?? Infinity);
      const sample = `${fitted.toLocaleString('en-US')} ${splitName(experiment.dataset, 'train')}`;
      if (!data.train) {
        slot.progress(`PCA is fitted to ${sample} as soon as they have loaded.`, true);
        this.#postStatus(slot);
        this.#subscriptions.markModel(slot.key, true);
        await until(data.loadTrain(), signal);
      }
      let codec: Codec;
      try {
        codec = data.fitPca(experiment.latent, experiment.holdout);
      } catch (error) {
        throw new ModelUnavailable(`PCA could not be fitted: ${errorMessage(error)}`);
      }
      return { codec, source: 'fitted', note: `Fitted to ${sample} in one step.` };
    }
    // A pretrained file is trained on its preset's data set: presetFor matches no other (the model key names it).
    const pretrained = await pretrainedModel(this.#ll, this.#source.modelFile, experiment);
    if (signal.aborted) {
      if (pretrained?.ok) pretrained.codec.dispose();
      throw signal.reason;
    }
    if (pretrained?.ok) {
      return {
        codec: pretrained.codec,
        source: 'pretrained',
        note: `Pretrained for ${pretrained.epochs} epochs (scripts/pretrain.mjs).`,
        preset: pretrained.preset,
      };
    }
    const fresh = freshModel(this.#ll, experiment);
    if (!fresh.ok) throw new ModelUnavailable(fresh.message);
    return {
      codec: fresh.codec,
      source: 'untrained',
      note: pretrained?.message ?? 'No pretrained model for these settings: train it from scratch.',
    };
  }

  /** After a new model: a test point, and every view of the slot redrawn. */
  #modelChanged(slot: Slot): void {
    this.#recordTestPoint(slot);
    this.#postStatus(slot);
    this.#subscriptions.markModel(slot.key, true);
  }

  #recordTestPoint(slot: Slot): void {
    const test = this.#data(slot.experiment.dataset).test;
    if (test && slot.codec) slot.addTestPoint(test.evaluation);
  }

  // ---- training ----

  /** Trains the slot's model (PCA: fits it again); a running one just takes the new options. */
  #train(slot: Slot, fromScratch: boolean, experiment: Experiment): void {
    slot.setTrainOptions(trainOptionsOf(experiment));
    if (slot.state === 'failed') return; // its views already say why nothing can train
    if (slot.experiment.family === 'pca') {
      void this.#load(slot, false);
      return;
    }
    if ((slot.state === 'training' || slot.state === 'preparing') && !fromScratch) return;
    void this.#job(slot, 'train', async (signal) => {
      const data = this.#data(slot.experiment.dataset);
      if (!data.train) {
        slot.progress(`Waiting for the 60,000 ${splitName(data.dataset, 'train')} to load…`);
        this.#postStatus(slot);
        await until(data.loadTrain(), signal);
      }
      let fresh: Codec | undefined;
      if (fromScratch || !(slot.codec instanceof AutoencoderCodec)) {
        const built = freshModel(this.#ll, slot.experiment);
        if (!built.ok) throw new ModelUnavailable(built.message);
        fresh = built.codec;
      }
      slot.run(this.#options.now(), fresh);
      if (fresh) this.#modelChanged(slot);
      else this.#postStatus(slot);
      void this.#loop();
    });
  }

  /** Ends training (or the wait for it); a slot that had no model yet goes back to loading one. */
  #stop(slot: Slot, note?: string): void {
    const wasTraining = slot.state === 'training';
    slot.stop(note);
    if (!slot.codec) {
      void this.#load(slot, true);
      return;
    }
    if (wasTraining) {
      // The views get the paused model before the status says it is paused.
      this.#trainPoint(slot);
      this.#snapshot(slot);
      this.#postModelSnapshot(slot);
    } else {
      this.#postStatus(slot);
    }
  }

  /** Trains every training slot in turn, a slice at a time, until none trains. */
  async #loop(): Promise<void> {
    if (this.#looping) return;
    this.#looping = true;
    const { now, progressInterval, sliceDuration, yieldToEventLoop } = this.#options;
    try {
      while (!this.#dead) {
        const training = [...this.#slots.values()].filter((slot) => slot.training);
        if (training.length === 0) break;
        const slot = training[this.#turn++ % training.length];
        let epochEnded: boolean;
        try {
          const data = this.#data(slot.experiment.dataset);
          epochEnded = slot.trainSlice(data.datasetFor(slot.experiment.holdout), sliceDuration);
        } catch (error) {
          if (this.#fatal(error)) break;
          this.#stop(slot, `Training stopped: ${errorMessage(error)}`);
          continue;
        }
        const time = now();
        if (epochEnded && slot.epochFileDue(time)) this.#postModelSnapshot(slot);
        if (slot.progressDue(time, progressInterval)) this.#progress(slot);
        if (slot.snapshotDue(time)) {
          this.#snapshot(slot);
          slot.snapshotTaken(now() - time, now());
        }
        this.#subscriptions.flush();
        await yieldToEventLoop();
      }
    } finally {
      this.#looping = false;
    }
  }

  /** A training loss point to the curves, and the status. */
  #progress(slot: Slot): void {
    this.#trainPoint(slot);
    this.#postStatus(slot);
  }

  /** A training loss point to the curves. */
  #trainPoint(slot: Slot): void {
    slot.takeTrainPoint();
    for (const subscription of this.#subscriptions.of(slot.key, 'loss')) this.#sendLoss(subscription, slot);
  }

  /** A test loss point, and the slot's views recomputed. */
  #snapshot(slot: Slot): void {
    slot.newVersion();
    this.#recordTestPoint(slot);
    this.#subscriptions.markModel(slot.key, false);
    this.#subscriptions.flush();
    this.#postStatus(slot);
  }

  // ---- views ----

  /** Frees a model no view names any more. */
  #collect(key: string): void {
    if (this.#subscriptions.uses(key)) return;
    const slot = this.#slots.get(key);
    if (!slot) return;
    slot.dispose();
    this.#slots.delete(key);
  }

  /** Sends a subscription its data (or a notice saying why there is none yet). */
  #send(subscription: Subscription): void {
    const slot = this.#slots.get(subscription.key);
    if (!slot) return;
    if (subscription.view === 'status') this.#sendStatus(subscription, slot);
    else if (subscription.view === 'loss') this.#sendLoss(subscription, slot);
    else this.#sendView(subscription, slot);
  }

  #sendView(subscription: Subscription, slot: Slot): void {
    const notice = (message: string, waiting: boolean) =>
      this.#post({ type: 'notice', id: subscription.id, message, waiting });
    const data = this.#data(slot.experiment.dataset);
    const test = data.test;
    if (slot.state === 'failed') return notice(slot.failure!, false);
    // Without the test split no view can draw; the page shows why in every view (the 'error' it got).
    if (data.testFailed) return;
    if (!test) return notice(`Loading the ${splitName(data.dataset, 'test')}…`, true);
    if (!slot.codec) return notice(slot.note ?? 'Loading the model…', true);
    const context: ViewContext = {
      ll: this.#ll,
      slot,
      test,
      pca: (components, holdout) => data.pca(components, holdout),
      trainingDigitsFailed: data.trainFailed,
    };
    try {
      const compute = computers[subscription.view as ModelViewKind] as (
        context: ViewContext,
        params: unknown,
        state: SubscriptionState,
      ) => ReturnType<(typeof computers)[ModelViewKind]>;
      const result = compute(context, subscription.params, subscription.state);
      if ('notice' in result) return notice(result.notice, result.waiting ?? false);
      subscription.served = true;
      this.#post({ type: 'data', id: subscription.id, data: result.data }, result.transfer);
    } catch (error) {
      if (!this.#fatal(error)) notice(`This view failed: ${errorMessage(error)}`, false);
    }
  }

  #sendStatus(subscription: Subscription, slot: Slot): void {
    const status = slot.status();
    status.spec = serializeExperiment(slot.experiment);
    const preset = presetFor(slot.experiment);
    status.hasPretrained = preset !== undefined && hasModelFile(preset);
    this.#post({ type: 'data', id: subscription.id, data: status });
  }

  #postStatus(slot: Slot): void {
    for (const subscription of this.#subscriptions.of(slot.key, 'status'))
      this.#sendStatus(subscription, slot);
  }

  #sendLoss(subscription: Subscription, slot: Slot): void {
    const data = lossUpdate(subscription, slot.history);
    if (data) this.#post({ type: 'data', id: subscription.id, data });
  }

  // ---- model files ----

  #save(request: number, spec: string): void {
    const slot = this.#slots.get(resolveSpec(spec).key);
    const file = modelFileOf(slot?.codec, resolveSpec(spec).experiment);
    if (!file.ok) return this.#post({ type: 'reply', request, ok: false, message: file.message });
    const { bytes, fileName } = file;
    this.#post({ type: 'reply', request, ok: true, bytes, fileName }, [bytes.buffer as ArrayBuffer]);
  }

  /** Reads a model file; on any problem the current model stays and the reply says why. */
  #loadFile(request: number, spec: string, bytes: Uint8Array, fileName: string): void {
    const read = readModelFile(this.#ll, bytes, fileName, resolveSpec(spec).experiment);
    if (!read.ok) return this.#post({ type: 'reply', request, ok: false, message: read.message });
    if (read.experiment.source !== '') this.#sourceFiles.set(modelKey(read.experiment), { bytes, fileName });
    this.#place(modelKey(read.experiment), {
      codec: read.codec,
      source: 'file',
      note: `Loaded from ${fileName}.`,
    });
    this.#post({ type: 'reply', request, ok: true, spec: serializeExperiment(read.experiment) });
  }

  /** A model for the slot of `key`: in place now if it exists, else when a view first names it. */
  #place(key: string, model: PlacedModel): void {
    const slot = this.#slots.get(key);
    if (slot) {
      slot.loaded(model);
      this.#modelChanged(slot);
    } else {
      this.#loadedFiles.get(key)?.codec.dispose();
      this.#loadedFiles.set(key, model);
    }
  }

  /** The trained model of `slot` to the page, as its model file. */
  #postModelSnapshot(slot: Slot): void {
    const file = modelFileOf(slot.codec, slot.experiment);
    if (!file.ok) return;
    const { bytes, fileName } = file;
    const snapshot: ModelSnapshot = {
      spec: serializeExperiment(slot.experiment),
      bytes,
      fileName,
      step: slot.step,
      epochs: slot.epochs,
    };
    this.#post({ type: 'snapshot', snapshot }, [bytes.buffer as ArrayBuffer]);
  }

  /** Puts a snapshot back as the model of its spec, with the training it had had. */
  #resume(request: number, snapshot: ModelSnapshot, reason: string): void {
    const resolved = resolveSpec(snapshot.spec);
    const read = readModelFile(this.#ll, snapshot.bytes, snapshot.fileName, resolved.experiment);
    if (!read.ok) return this.#post({ type: 'reply', request, ok: false, message: read.message });
    const { step, epochs } = snapshot;
    const note = `Restored as trained for ${epochs.toFixed(2)} epochs (step ${step}): ${reason}.`;
    this.#place(resolved.key, { codec: read.codec, source: 'restored', note, trained: { step, epochs } });
    this.#post({ type: 'reply', request, ok: true, spec: serializeExperiment(resolved.experiment) });
  }
}
