// The worker's logic, free of DOM and Worker globals so that tests drive it
// directly. It holds one slot per model that views name, and the views'
// subscriptions; it trains running models in short slices (yielding between
// them, so that messages are handled within one slice) and sends each view
// its data whenever its model or its parameters change. Data comes from a
// DataStore; models from ./models.
import type { LatentLab } from 'latentlab';
import { modelKey, serializeExperiment, type Experiment } from '../lab/experiment';
import { trainOptionsOf } from '../lab/model-config';
import { hasModelFile, presetFor, resolveSpec, type ResolvedSpec } from '../lab/presets';
import { errorMessage, type PageMessage, type WorkerMessage } from '../lab/protocol';
import { checkExperiment } from '../lab/validate';
import { AutoencoderCodec, type Codec } from './codec';
import { computers, type ModelViewKind, type SubscriptionState, type ViewContext } from './compute';
import { DataStore, type DataSource } from './data-store';
import { freshModel, modelFileOf, pretrainedModel, readModelFile } from './models';
import { Slot } from './slot';
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

export class LabHost {
  readonly #ll: LatentLab;
  readonly #data: DataStore;
  readonly #post: Post;
  readonly #options: Required<HostOptions>;
  readonly #slots = new Map<string, Slot>();
  readonly #subscriptions: Subscriptions;
  /** Models loaded from files, waiting for the views that will name them. */
  readonly #loadedFiles = new Map<string, { codec: Codec; fileName: string }>();
  #looping = false;
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
    this.#subscriptions = new Subscriptions(this.#options.yieldToEventLoop, (subscription) =>
      this.#send(subscription),
    );
    this.#data = new DataStore(ll, source, post);
    this.#data.onLoaded = (split) => {
      if (split === 'test') for (const slot of this.#slots.values()) this.#recordTestPoint(slot);
      this.#subscriptions.markAll(split === 'test' ? undefined : 'pca-compare');
    };
  }

  handle(message: PageMessage): void {
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
        void this.#startTraining(this.#slotFor(resolved), message.fromScratch, resolved.experiment);
        break;
      }
      case 'pause':
        this.#pause(this.#slots.get(resolveSpec(message.spec).key));
        break;
      case 'restore':
        void this.#restore(this.#slotFor(resolveSpec(message.spec)));
        break;
      case 'save':
        this.#save(message.request, message.spec);
        break;
      case 'load-file':
        this.#loadFile(message.request, message.spec, message.bytes, message.fileName);
        break;
      case 'load-training-data':
        this.#data.loadTrain().catch(() => {});
        break;
    }
  }

  /** Stops training and frees every model and dataset. */
  dispose(): void {
    for (const slot of this.#slots.values()) slot.dispose();
    this.#slots.clear();
    for (const { codec } of this.#loadedFiles.values()) codec.dispose();
    this.#loadedFiles.clear();
    this.#data.dispose();
  }

  // ---- models ----

  #slotFor(resolved: ResolvedSpec): Slot {
    let slot = this.#slots.get(resolved.key);
    if (!slot) {
      slot = new Slot(
        resolved.key,
        resolved.experiment,
        trainOptionsOf(resolved.experiment),
        this.#options.snapshotInterval,
      );
      this.#slots.set(resolved.key, slot);
      slot.ready = this.#initialModel(slot);
    }
    return slot;
  }

  /** A file loaded for this model, else its pretrained model, else a fresh seeded one (PCA: fitted). */
  async #initialModel(slot: Slot, allowFile = true): Promise<void> {
    const request = ++slot.request;
    const experiment = slot.experiment;
    const file = allowFile ? this.#loadedFiles.get(slot.key) : undefined;
    if (file) {
      this.#loadedFiles.delete(slot.key);
      slot.replace(file.codec, 'file', `Loaded from ${file.fileName}.`);
      return this.#modelChanged(slot);
    }
    const errors = checkExperiment(experiment).filter((issue) => issue.severity === 'error');
    if (errors.length > 0) {
      slot.error = errors.map((issue) => issue.message).join(' ');
      return this.#modelChanged(slot);
    }
    if (experiment.family === 'pca') return this.#fitPca(slot, request);
    slot.source = 'loading';
    this.#postStatus(slot);
    const pretrained = await pretrainedModel(this.#ll, this.#data.modelFile, experiment);
    if (request !== slot.request) {
      if (pretrained?.ok) pretrained.codec.dispose();
      return;
    }
    if (pretrained?.ok) {
      slot.replace(
        pretrained.codec,
        'pretrained',
        `Pretrained for ${pretrained.epochs} epochs (scripts/pretrain.mjs).`,
      );
      slot.preset = pretrained.preset;
      return this.#modelChanged(slot);
    }
    const fresh = freshModel(this.#ll, experiment);
    if (fresh.ok)
      slot.replace(
        fresh.codec,
        'untrained',
        pretrained?.message ?? 'No pretrained model for these settings: train it from scratch.',
      );
    else slot.error = fresh.message;
    return this.#modelChanged(slot);
  }

  async #fitPca(slot: Slot, request: number): Promise<void> {
    slot.source = 'waiting';
    slot.note = 'PCA is fitted to 10,000 training digits as soon as they have loaded.';
    this.#postStatus(slot);
    this.#subscriptions.markModel(slot.key, true);
    try {
      await this.#data.loadTrain();
    } catch (error) {
      slot.error = errorMessage(error);
      return this.#modelChanged(slot);
    }
    if (request !== slot.request) return;
    try {
      slot.replace(
        this.#data.fitPca(slot.experiment.latent, slot.experiment.holdout),
        'fitted',
        'Fitted to 10,000 training digits in one step.',
      );
    } catch (error) {
      slot.error = `PCA could not be fitted: ${errorMessage(error)}`;
    }
    return this.#modelChanged(slot);
  }

  /** After a new model: a test point, and every view of the slot redrawn. */
  #modelChanged(slot: Slot): void {
    this.#recordTestPoint(slot);
    this.#postStatus(slot);
    this.#subscriptions.markModel(slot.key, true);
  }

  #recordTestPoint(slot: Slot): void {
    const test = this.#data.test;
    if (test && slot.codec) slot.addTestPoint(test.evaluation);
  }

  async #restore(slot: Slot): Promise<void> {
    slot.running = false;
    await this.#initialModel(slot, false);
  }

  // ---- training ----

  async #startTraining(slot: Slot, fromScratch: boolean, experiment: Experiment): Promise<void> {
    slot.trainOptions = trainOptionsOf(experiment);
    if (slot.running && !fromScratch) return;
    slot.running = false;
    const request = ++slot.request;
    await slot.ready;
    if (slot.error || request !== slot.request) return;
    if (!this.#data.train) {
      slot.note = 'Waiting for the 60,000 training digits to load…';
      this.#postStatus(slot);
      try {
        await this.#data.loadTrain();
      } catch (error) {
        slot.note = errorMessage(error);
        this.#postStatus(slot);
        return;
      }
      if (request !== slot.request) return;
    }
    if (slot.experiment.family === 'pca') return this.#fitPca(slot, request);
    if (fromScratch || !(slot.codec instanceof AutoencoderCodec)) {
      const fresh = freshModel(this.#ll, slot.experiment);
      if (!fresh.ok) {
        slot.error = fresh.message;
        return this.#modelChanged(slot);
      }
      slot.replace(fresh.codec, 'trained');
      this.#modelChanged(slot);
    }
    slot.source = 'trained';
    slot.note = undefined;
    slot.beginRun();
    slot.running = true;
    slot.lastSnapshot = this.#options.now();
    slot.lastProgress = slot.lastSnapshot;
    this.#postStatus(slot);
    void this.#loop();
  }

  #pause(slot: Slot | undefined): void {
    if (!slot) return;
    slot.request++;
    if (!slot.running) return;
    slot.running = false;
    this.#progress(slot);
    this.#snapshot(slot);
  }

  /** Trains every running model in turn, a slice at a time, until none runs. */
  async #loop(): Promise<void> {
    if (this.#looping) return;
    this.#looping = true;
    const { now, progressInterval, sliceDuration, snapshotInterval, yieldToEventLoop } = this.#options;
    try {
      for (;;) {
        const running = [...this.#slots.values()].filter((slot) => slot.running);
        if (running.length === 0) break;
        const slot = running[this.#turn++ % running.length];
        try {
          slot.trainSlice(this.#data.datasetFor(slot.experiment.holdout), sliceDuration);
        } catch (error) {
          slot.running = false;
          slot.note = `Training stopped: ${errorMessage(error)}`;
          this.#progress(slot);
          this.#snapshot(slot);
          continue;
        }
        const time = now();
        if (time - slot.lastProgress >= progressInterval) {
          this.#progress(slot);
          slot.lastProgress = time;
        }
        if (time - slot.lastSnapshot >= slot.snapshotInterval) {
          this.#snapshot(slot);
          const cost = now() - time;
          // Keep refreshing views under a fifth of the time, so that training goes on.
          slot.snapshotInterval = Math.max(snapshotInterval, 5 * cost);
          slot.lastSnapshot = now();
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
    slot.takeTrainPoint();
    this.#postStatus(slot);
    for (const subscription of this.#subscriptions.of(slot.key, 'loss')) this.#sendLoss(subscription, slot);
  }

  /** A test loss point, and the slot's views recomputed. */
  #snapshot(slot: Slot): void {
    slot.version++;
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
    slot.request++;
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
    const test = this.#data.test;
    if (slot.error) return notice(slot.error, false);
    if (this.#data.testError) return notice(this.#data.testError, false);
    if (!test) return notice('Loading the MNIST test digits…', true);
    if (!slot.codec) return notice(slot.note ?? 'Loading the model…', true);
    const context: ViewContext = {
      ll: this.#ll,
      slot,
      test,
      pca: (components, holdout) => this.#data.pca(components, holdout),
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
      notice(`This view failed: ${errorMessage(error)}`, false);
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
    const data = lossUpdate(subscription, {
      generation: slot.historyGeneration,
      train: slot.train,
      test: slot.test,
    });
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
    const key = modelKey(read.experiment);
    const slot = this.#slots.get(key);
    if (slot) {
      slot.running = false;
      slot.request++;
      slot.replace(read.codec, 'file', `Loaded from ${fileName}.`);
      this.#modelChanged(slot);
    } else {
      this.#loadedFiles.get(key)?.codec.dispose();
      this.#loadedFiles.set(key, { codec: read.codec, fileName });
    }
    this.#post({ type: 'reply', request, ok: true, spec: serializeExperiment(read.experiment) });
  }
}
