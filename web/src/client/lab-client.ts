// The page's side of the worker: one worker (and one engine) for every view
// on the page, however many there are. Views subscribe to what they draw;
// the client routes the worker's messages to them.
//
// The client also outlives its worker. It keeps what a new worker needs to
// take over: every live subscription, the reader's own files, and the
// latest snapshot of each model trained in the page (those that views still
// show are restored). When the worker dies
// after it came up (an uncaught error, or 'fatal' after an engine trap), the
// client starts a new one and replays those; the restored models are as
// they were at their last completed epoch (or pause), and do not train on
// until asked.
/// <reference types="vite/client" />
import workerUrl from '../worker.ts?worker&url';
import type { DatasetName } from '../lab/datasets';
import { resolveSpec } from '../lab/presets';
import {
  errorMessage,
  type DataProgress,
  type InlineFilesMessage,
  type InlineViews,
  type ModelSnapshot,
  type OwnDataSummary,
  type OwnFile,
  type PageMessage,
  type ViewData,
  type ViewKind,
  type ViewParams,
  type WorkerMessage,
} from '../lab/protocol';

export interface SubscriptionHandlers<K extends ViewKind> {
  data(data: ViewData[K]): void;
  /** The view has nothing to show (for now, if `waiting`): say why. */
  notice(message: string, waiting: boolean): void;
}

export interface LabSubscription<K extends ViewKind> {
  update(params: ViewParams[K]): void;
  /** Off-screen views are not refreshed while their model trains (until they are back on screen). */
  setVisible(visible: boolean): void;
  close(): void;
}

type Handlers = SubscriptionHandlers<ViewKind>;

/** What a new worker is told of a live subscription. */
interface LiveSubscription {
  spec: string;
  view: ViewKind;
  params: ViewParams[ViewKind];
  visible: boolean;
}

/** More worker deaths than this within restartWindow ms, and the client gives up. */
const maxRestarts = 3;
const restartWindow = 60_000;

export class LabClient {
  readonly #createWorker: () => Worker;
  #worker!: Worker;
  /** The worker answered (its engine loaded): a death from now on is recovered from. */
  #workerUp = false;
  /** While a new worker takes the reader's own files back, messages wait here (in order). */
  #held: [PageMessage, Transferable[]][] | undefined;
  readonly #restartTimes: number[] = [];
  readonly #handlers = new Map<number, Handlers>();
  readonly #live = new Map<number, LiveSubscription>();
  /** The latest snapshot of each model trained in the page, by model key. */
  readonly #snapshots = new Map<string, ModelSnapshot>();
  /** The model files loaded (copies: the worker got the originals), by model key. */
  readonly #files = new Map<string, { spec: string; bytes: Uint8Array; fileName: string }>();
  readonly #snapshotListeners = new Set<(snapshot: ModelSnapshot) => void>();
  /** The reader's own files as accepted (copies: the worker got the originals). */
  #ownFiles: { images: OwnFile; labels: OwnFile | undefined } | undefined;
  readonly #requests = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #listeners = new Set<() => void>();
  #next = 1;
  /** Download progress of each data set's two splits. */
  readonly #progress = new Map<DatasetName, Partial<Record<'test' | 'train', DataProgress>>>();
  /** Errors that concern the whole page (data or engine failing to load). */
  readonly errors: string[] = [];
  simd: string | undefined;
  /** The threads the engine trains on (more than 1 only where the page is cross-origin isolated). */
  threads: number | undefined;
  /** The reader's own IDX files the worker accepted (the data set 'own'), if any. */
  ownData: OwnDataSummary | undefined;
  /** A sentence for each time the worker died and a new one took over. */
  readonly restarts: string[] = [];

  constructor(createWorker: () => Worker) {
    this.#createWorker = createWorker;
    this.#start();
  }

  #start(): void {
    const worker = this.#createWorker();
    this.#worker = worker;
    this.#workerUp = false;
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      if (worker === this.#worker) this.#receive(event.data);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker !== this.#worker) return;
      const reason = event.message || 'it could not be started';
      if (this.#workerUp) this.#restart(reason);
      else this.#fail(`The LatentLab worker failed: ${reason}`);
    });
  }

  /**
   * The worker died: a new one takes over the subscriptions, the own files
   * and the trained models' snapshots; requests in flight fail with a sentence.
   */
  #restart(reason: string): void {
    const now = Date.now();
    this.#restartTimes.push(now);
    while (now - this.#restartTimes[0] > restartWindow) this.#restartTimes.shift();
    this.#worker.terminate();
    if (this.#restartTimes.length > maxRestarts) {
      this.#fail(
        `The LatentLab worker stopped (${reason}), for the ${this.#restartTimes.length}th time in a minute: it is not started again; reload the page.`,
      );
      return;
    }
    const stopped = `The LatentLab worker stopped (${reason})`;
    for (const { reject } of this.#requests.values()) reject(new Error(`${stopped}; try again.`));
    this.#requests.clear();
    const restored = this.#viewedSnapshots().length;
    this.restarts.push(
      `${stopped}. A new one took over${restored ? `, with ${restored === 1 ? 'the model' : `the ${restored} models`} trained here as at the last completed epoch` : ''}.`,
    );
    this.#start();
    const own = this.#ownFiles;
    if (own) {
      this.#held = [];
      void this.#request(
        (request) => ({
          type: 'load-own-data',
          request,
          images: copyFile(own.images),
          labels: own.labels && copyFile(own.labels),
        }),
        [],
        true,
      )
        .catch(() => {}) // accepted before, so accepted again; else the views say what is missing
        .finally(() => this.#replay());
    } else {
      this.#replay();
    }
    this.#changed();
  }

  /** The snapshots of models a live view names (the worker before freed the others). */
  #viewedSnapshots(): ModelSnapshot[] {
    const viewed = new Set([...this.#live.values()].map(({ spec }) => resolveSpec(spec).key));
    return [...this.#snapshots].filter(([key]) => viewed.has(key)).map(([, snapshot]) => snapshot);
  }

  /** Tells a new worker the model files loaded and the models trained here, then every live subscription; then what waited. */
  #replay(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const { spec, bytes, fileName } of this.#files.values()) {
      const copy = bytes.slice();
      // Accepted before, so accepted again.
      void this.#request(
        (request) => ({ type: 'load-file', request, spec, bytes: copy, fileName }),
        [copy.buffer],
      ).catch(() => {});
    }
    for (const snapshot of this.#viewedSnapshots())
      void this.resume(snapshot, 'the worker before this one stopped').catch(() => {});
    for (const [id, { spec, view, params, visible }] of this.#live) {
      this.#send({ type: 'subscribe', id, spec, view, params });
      if (!visible) this.#send({ type: 'visibility', id, visible });
    }
    for (const [message, transfer] of held) this.#send(message, transfer);
  }

  subscribe<K extends ViewKind>(
    spec: string,
    view: K,
    params: ViewParams[K],
    handlers: SubscriptionHandlers<K>,
  ): LabSubscription<K> {
    const id = this.#next++;
    this.#handlers.set(id, handlers as unknown as Handlers);
    const live: LiveSubscription = { spec, view, params, visible: true };
    this.#live.set(id, live);
    this.#send({ type: 'subscribe', id, spec, view, params });
    if (this.errors.length) handlers.notice(this.errors.at(-1)!, false);
    return {
      // Arrays in parameters (the drawing pad's image) are copied, not transferred: the view keeps them.
      update: (next) => {
        live.params = next;
        this.#send({ type: 'update', id, params: next });
      },
      setVisible: (visible) => {
        live.visible = visible;
        this.#send({ type: 'visibility', id, visible });
      },
      close: () => {
        if (!this.#handlers.delete(id)) return;
        this.#live.delete(id);
        this.#send({ type: 'unsubscribe', id });
      },
    };
  }

  /** Trains the model `spec` names; `fromScratch` first rebuilds it from its seed. */
  train(spec: string, fromScratch: boolean): void {
    this.#send({ type: 'train', spec, fromScratch });
  }

  pause(spec: string): void {
    this.#send({ type: 'pause', spec });
  }

  /** Back to the pretrained model (or the seeded initial one). */
  restore(spec: string): void {
    this.#send({ type: 'restore', spec });
  }

  /** Download progress of a data set's splits (none: not started). */
  progress(dataset: DatasetName): Partial<Record<'test' | 'train', DataProgress>> {
    return this.#progress.get(dataset) ?? {};
  }

  /** Starts downloading a data set's 60,000 training images (so that training starts at once). */
  loadTrainingData(dataset: DatasetName): void {
    this.#send({ type: 'load-training-data', dataset });
  }

  /** The model file of `spec`'s model. */
  save(spec: string): Promise<{ bytes: Uint8Array; fileName: string }> {
    return this.#request((request) => ({ type: 'save', request, spec })) as Promise<{
      bytes: Uint8Array;
      fileName: string;
    }>;
  }

  /** The engine's objection to the spec's model (its own message), or undefined if it can be built. */
  async check(spec: string): Promise<string | undefined> {
    try {
      await this.#request((request) => ({ type: 'check', request, spec }));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /**
   * Loads a model file (its bytes are transferred); resolves to the spec of
   * the experiment it holds, rejects with a sentence saying why not. A copy
   * is kept, so that a new worker gets the file back.
   */
  async loadFile(spec: string, bytes: Uint8Array, fileName: string): Promise<string> {
    const kept = bytes.slice();
    const reply = await this.#request(
      (request) => ({ type: 'load-file', request, spec, bytes, fileName }),
      [bytes.buffer as ArrayBuffer],
    );
    const loaded = (reply as { spec: string }).spec;
    this.#files.set(resolveSpec(loaded).key, { spec: loaded, bytes: kept, fileName });
    return loaded;
  }

  /**
   * Makes the reader's own IDX files (labels optional) the data set 'own';
   * resolves to what was accepted, rejects with a sentence naming the
   * problem (then nothing changed).
   */
  async loadOwnData(images: OwnFile, labels: OwnFile | undefined): Promise<OwnDataSummary> {
    const kept = { images: copyFile(images), labels: labels && copyFile(labels) };
    const transfer = [images.bytes.buffer, ...(labels ? [labels.bytes.buffer] : [])] as ArrayBuffer[];
    const reply = (await this.#request(
      (request) => ({ type: 'load-own-data', request, images, labels }),
      transfer,
    )) as { own: OwnDataSummary };
    this.#ownFiles = kept;
    this.ownData = reply.own;
    this.#changed();
    return reply.own;
  }

  /**
   * Puts a snapshot back as its spec's model (`reason` ends the sentence its
   * status shows); resolves to the spec, rejects with a sentence saying why not.
   */
  resume(snapshot: ModelSnapshot, reason: string): Promise<string> {
    const copy = { ...snapshot, bytes: snapshot.bytes.slice() };
    return this.#request(
      (request) => ({ type: 'resume', request, snapshot: copy, reason }),
      [copy.bytes.buffer as ArrayBuffer],
    ).then((reply) => (reply as { spec: string }).spec);
  }

  /** Calls `listener` with every snapshot of a model trained in the page; returns the unsubscribe function. */
  onSnapshot(listener: (snapshot: ModelSnapshot) => void): () => void {
    this.#snapshotListeners.add(listener);
    return () => this.#snapshotListeners.delete(listener);
  }

  /** Calls `listener` when progress or errors change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `first`: sent at once, ahead of the messages held while a new worker takes the own files back. */
  #request(
    build: (request: number) => PageMessage,
    transfer: Transferable[] = [],
    first = false,
  ): Promise<unknown> {
    const request = this.#next++;
    return new Promise((resolve, reject) => {
      this.#requests.set(request, { resolve, reject });
      if (first) this.#worker.postMessage(build(request), transfer);
      else this.#send(build(request), transfer);
    });
  }

  #send(message: PageMessage, transfer: Transferable[] = []): void {
    if (this.#held) this.#held.push([message, transfer]);
    else this.#worker.postMessage(message, transfer);
  }

  #receive(message: WorkerMessage): void {
    switch (message.type) {
      case 'data':
        this.#handlers.get(message.id)?.data(message.data);
        break;
      case 'notice':
        this.#handlers.get(message.id)?.notice(message.message, message.waiting);
        break;
      case 'reply': {
        const pending = this.#requests.get(message.request);
        this.#requests.delete(message.request);
        if (message.ok) pending?.resolve(message);
        else pending?.reject(new Error(message.message));
        break;
      }
      case 'data-progress': {
        const parts = this.#progress.get(message.dataset) ?? {};
        parts[message.part] = message;
        this.#progress.set(message.dataset, parts);
        this.#changed();
        break;
      }
      case 'engine':
        this.#workerUp = true;
        this.simd = message.simd;
        this.threads = message.threads;
        this.#changed();
        break;
      case 'snapshot':
        this.#snapshots.set(resolveSpec(message.snapshot.spec).key, message.snapshot);
        for (const listener of this.#snapshotListeners) listener(message.snapshot);
        break;
      case 'fatal':
        this.#restart(message.message);
        break;
      case 'error':
        this.#fail(message.message);
        break;
    }
  }

  #fail(message: string): void {
    this.errors.push(message);
    for (const handlers of this.#handlers.values()) handlers.notice(message, false);
    for (const { reject } of this.#requests.values()) reject(new Error(message));
    this.#requests.clear();
    this.#changed();
  }

  #changed(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        console.error(errorMessage(error));
      }
    }
  }
}

function copyFile(file: OwnFile): OwnFile {
  return { name: file.name, bytes: file.bytes.slice() };
}

declare global {
  /** Set by a page that carries the views' files inline (see InlineViews). */
  var latentlabInline: InlineViews | undefined;
}

/**
 * The worker, from wherever this script was loaded. Browsers start a module
 * worker only from the page's own origin: from another one (a CDN), a
 * same-origin blob: script imports the real worker, which then fetches the
 * engine, digits and models beside itself (that needs CORS only). A page
 * with the files inline gives the worker's source, and the files as its
 * first message.
 */
function startWorker(): Worker {
  const options: WorkerOptions = { type: 'module', name: 'latentlab' };
  const inline = globalThis.latentlabInline;
  if (inline) {
    const source = new Blob([inline.worker], { type: 'text/javascript' });
    const worker = new Worker(URL.createObjectURL(source), options);
    worker.postMessage({ type: 'inline-files', files: inline.files } satisfies InlineFilesMessage);
    return worker;
  }
  const url = new URL(workerUrl, import.meta.url);
  if (url.origin === location.origin) return new Worker(url, options);
  const bootstrap = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(bootstrap), options);
}

let client: LabClient | undefined;

/** The page's one client, with its worker started on first use (and an inline page's own data loaded). */
export function lab(): LabClient {
  if (!client) {
    client = new LabClient(startWorker);
    const own = globalThis.latentlabInline?.ownData;
    if (own) {
      client.loadOwnData(own.images, own.labels).catch((error: unknown) => {
        console.error(`LatentLab: the page's own images were refused: ${errorMessage(error)}`);
      });
    }
  }
  return client;
}
