// The page's side of the worker: one worker (and one engine) for every view
// on the page, however many there are. Views subscribe to what they draw;
// the client routes the worker's messages to them.
import type { DatasetName } from '../lab/datasets';
import {
  errorMessage,
  type DataProgress,
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

export class LabClient {
  readonly #worker: Worker;
  readonly #handlers = new Map<number, Handlers>();
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

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.#receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#fail(`The LatentLab worker failed: ${event.message || 'it could not be started'}`);
    });
  }

  subscribe<K extends ViewKind>(
    spec: string,
    view: K,
    params: ViewParams[K],
    handlers: SubscriptionHandlers<K>,
  ): LabSubscription<K> {
    const id = this.#next++;
    this.#handlers.set(id, handlers as unknown as Handlers);
    this.#send({ type: 'subscribe', id, spec, view, params });
    if (this.errors.length) handlers.notice(this.errors.at(-1)!, false);
    return {
      // Arrays in parameters (the drawing pad's image) are copied, not transferred: the view keeps them.
      update: (next) => this.#send({ type: 'update', id, params: next }),
      setVisible: (visible) => this.#send({ type: 'visibility', id, visible }),
      close: () => {
        if (!this.#handlers.delete(id)) return;
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

  /** Loads a model file; resolves to the spec of the experiment it holds, rejects with a sentence saying why not. */
  loadFile(spec: string, bytes: Uint8Array, fileName: string): Promise<string> {
    return this.#request(
      (request) => ({ type: 'load-file', request, spec, bytes, fileName }),
      [bytes.buffer as ArrayBuffer],
    ).then((reply) => (reply as { spec: string }).spec);
  }

  /**
   * Makes the reader's own IDX files (labels optional) the data set 'own';
   * resolves to what was accepted, rejects with a sentence naming the
   * problem (then nothing changed).
   */
  async loadOwnData(images: OwnFile, labels: OwnFile | undefined): Promise<OwnDataSummary> {
    const transfer = [images.bytes.buffer, ...(labels ? [labels.bytes.buffer] : [])] as ArrayBuffer[];
    const reply = (await this.#request(
      (request) => ({ type: 'load-own-data', request, images, labels }),
      transfer,
    )) as { own: OwnDataSummary };
    this.ownData = reply.own;
    this.#changed();
    return reply.own;
  }

  /** Calls `listener` when progress or errors change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #request(build: (request: number) => PageMessage, transfer: Transferable[] = []): Promise<unknown> {
    const request = this.#next++;
    return new Promise((resolve, reject) => {
      this.#requests.set(request, { resolve, reject });
      this.#send(build(request), transfer);
    });
  }

  #send(message: PageMessage, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
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
        this.simd = message.simd;
        this.threads = message.threads;
        this.#changed();
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

let client: LabClient | undefined;

/** The page's one client, with its worker started on first use. */
export function lab(): LabClient {
  client ??= new LabClient(
    new Worker(new URL('../worker.ts', import.meta.url), { type: 'module', name: 'latentlab' }),
  );
  return client;
}
