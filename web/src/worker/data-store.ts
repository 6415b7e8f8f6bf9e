// One data set's images in the worker (MNIST's digits, or Fashion-MNIST's):
// the test split, downloaded at once (every view of its models needs it) and
// held as engine datasets of bytes; the training split,
// downloaded when training or PCA needs it; the engine dataset (bytes)
// training runs on; and PCA fits, kept for reuse. A split
// that fails to load is reported once, to the owner's `failed` hook; the
// callers waiting for it get a DataUnavailable, which says the page has been
// told already. The reader's own files (./own-data) come as both splits at
// once, already checked; before any are chosen, a store of them fails as a
// split that cannot load does.
import type { Dataset, DatasetName as PackageDatasetName, LatentLab, Mnist, MnistSplit } from 'latentlab';
import { splitName, type DatasetName } from '../lab/datasets';
import { errorMessage, type WorkerMessage } from '../lab/protocol';
import { PcaCodec } from './codec';
import type { OwnSplits } from './own-data';
import {
  digitDataset,
  digitsOf,
  disposeTestSet,
  pcaSample,
  testSetOf,
  trainingBytes,
  type TestSet,
  type TrainSet,
} from './mnist-sets';

/** Where the images and the pretrained models come from. */
export interface DataSource {
  /** One split of a data set, read by the package (fetchMnist in the worker, readMnist in Node tests). */
  loadSplit(
    dataset: PackageDatasetName,
    split: MnistSplit,
    onProgress: (loaded: number, total: number | undefined) => void,
  ): Promise<Mnist>;
  /** The bytes of models/<name>.safetensors (a preset's pretrained model), or undefined if there is none. */
  modelFile(name: string): Promise<Uint8Array | undefined>;
}

/** What the store tells its owner. */
export interface DataEvents {
  /** A split is in. */
  loaded(split: MnistSplit): void;
  /** A split failed to load (called once per split): `message` says why, for the page. */
  failed(split: MnistSplit, message: string): void;
}

/** Rejection of anything that needs a split that failed to load; the page has its reason already. */
export class DataUnavailable extends Error {
  readonly split: MnistSplit;
  constructor(dataset: DatasetName, split: MnistSplit) {
    super(`This needs the ${splitName(dataset, split)}, which could not be loaded.`);
    this.name = 'DataUnavailable';
    this.split = split;
  }
}

const pcaFitsKept = 3;

export class DataStore {
  readonly dataset: DatasetName;
  readonly #ll: LatentLab;
  readonly #source: DataSource | OwnSplits | undefined;
  readonly #post: (message: WorkerMessage) => void;
  readonly #events: DataEvents;
  #test: TestSet | undefined;
  #testFailed = false;
  #train: TrainSet | undefined;
  #trainFailed = false;
  #trainLoading: Promise<TrainSet> | undefined;
  #dataset: { holdout: number; dataset: Dataset } | undefined;
  readonly #pcaFits = new Map<string, PcaCodec>();
  #disposed = false;

  /**
   * Starts downloading the test split; progress is posted to the page, the
   * outcome goes to `events`. The reader's own data set takes its splits
   * (undefined: no files chosen yet).
   */
  constructor(
    ll: LatentLab,
    dataset: DatasetName,
    source: DataSource | OwnSplits | undefined,
    post: (message: WorkerMessage) => void,
    events: DataEvents,
  ) {
    this.dataset = dataset;
    this.#ll = ll;
    this.#source = source;
    this.#post = post;
    this.#events = events;
    this.testLoaded = this.#loadTest();
  }

  /** Resolves when the test digits are in (or failed to load). */
  readonly testLoaded: Promise<void>;

  get test(): TestSet | undefined {
    return this.#test;
  }

  /** The test digits failed to load (the page has been told). */
  get testFailed(): boolean {
    return this.#testFailed;
  }

  get train(): TrainSet | undefined {
    return this.#train;
  }

  /** The training digits failed to load (the page has been told). */
  get trainFailed(): boolean {
    return this.#trainFailed;
  }

  /** The training digits, downloaded once; rejects with DataUnavailable if they cannot be. */
  loadTrain(): Promise<TrainSet> {
    this.#trainLoading ??= this.#split('train').then(
      (train) => {
        this.#train = train;
        this.#events.loaded('train');
        return this.#train;
      },
      (error: unknown) => {
        this.#trainFailed = true;
        this.#events.failed(
          'train',
          `The ${splitName(this.dataset, 'train')} failed to load: ${errorMessage(error)}`,
        );
        throw new DataUnavailable(this.dataset, 'train');
      },
    );
    return this.#trainLoading;
  }

  /** The engine dataset of the training digits without `holdout` (one kept at a time). Needs `train`. */
  datasetFor(holdout: number): Dataset {
    if (this.#dataset?.holdout !== holdout) {
      this.#dataset?.dataset.dispose();
      this.#dataset = undefined;
      this.#dataset = { holdout, dataset: digitDataset(this.#ll, trainingBytes(this.#train!, holdout)) };
    }
    return this.#dataset.dataset;
  }

  /** PCA fitted to training digits (without `holdout`); undefined, and the digits requested, while they are missing. */
  pca(components: number, holdout: number): PcaCodec | undefined {
    const key = `${components}:${holdout}`;
    const cached = this.#pcaFits.get(key);
    if (cached) return cached;
    if (!this.#train) {
      this.loadTrain().catch(() => {}); // a failure reaches the page through `failed`
      return undefined;
    }
    const fit = this.fitPca(components, holdout);
    this.#pcaFits.set(key, fit);
    if (this.#pcaFits.size > pcaFitsKept) {
      const [oldest, codec] = this.#pcaFits.entries().next().value!;
      this.#pcaFits.delete(oldest);
      codec.dispose();
    }
    return fit;
  }

  /** A new PCA fitted to the training digits (without `holdout`): the caller owns it. Needs `train`. */
  fitPca(components: number, holdout: number): PcaCodec {
    const sample = digitDataset(this.#ll, pcaSample(this.#train!, holdout));
    try {
      return PcaCodec.fit(this.#ll, sample, components);
    } finally {
      sample.dispose();
    }
  }

  dispose(): void {
    for (const codec of this.#pcaFits.values()) codec.dispose();
    this.#pcaFits.clear();
    this.#dataset?.dataset.dispose();
    this.#dataset = undefined;
    if (this.#test) disposeTestSet(this.#test);
    this.#test = undefined;
    this.#disposed = true;
  }

  async #loadTest(): Promise<void> {
    try {
      const digits = await this.#split('test');
      if (this.#disposed) return; // no one is left to free its datasets
      this.#test = testSetOf(this.#ll, digits);
    } catch (error) {
      this.#testFailed = true;
      this.#events.failed(
        'test',
        `The ${splitName(this.dataset, 'test')} failed to load: ${errorMessage(error)}`,
      );
      return;
    }
    this.#events.loaded('test');
  }

  /** One split: the reader's own, or downloaded. */
  async #split(split: MnistSplit): Promise<TrainSet> {
    const source = this.#source;
    if (source === undefined) {
      throw new Error('no files have been chosen in this page (they are never part of a link)');
    }
    if (!('loadSplit' in source)) return source[split];
    // A source serves the package's data sets (the host gives the reader's own their splits).
    return digitsOf(await this.#load(this.dataset as PackageDatasetName, source, split), split);
  }

  /** One split through the source, its progress posted to the page. */
  async #load(dataset: PackageDatasetName, source: DataSource, split: MnistSplit): Promise<Mnist> {
    let received = 0;
    const mnist = await source.loadSplit(dataset, split, (loaded, total) => {
      received = loaded;
      this.#post({ type: 'data-progress', dataset, part: split, loaded, total, done: false });
    });
    this.#post({
      type: 'data-progress',
      dataset,
      part: split,
      loaded: received,
      total: undefined,
      done: true,
    });
    return mnist;
  }
}
