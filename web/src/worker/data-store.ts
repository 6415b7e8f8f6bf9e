// The worker's MNIST digits: the test split, downloaded at once (every view
// needs it); the training split, downloaded when training or PCA needs it;
// the engine dataset training runs on; and PCA fits, kept for reuse.
import type { Dataset, LatentLab, Mnist, MnistSplit as Split } from 'latentlab';
import { errorMessage, type WorkerMessage } from '../lab/protocol';
import { PcaCodec } from './codec';
import { digitsOf, pcaSample, testSetOf, trainingBytes, type TestSet, type TrainSet } from './mnist-sets';

/** Where the digits and the pretrained models come from. */
export interface DataSource {
  /** One split, read by the package (fetchMnist in the worker, readMnist in Node tests). */
  loadSplit(split: Split, onProgress: (loaded: number, total: number | undefined) => void): Promise<Mnist>;
  /** The bytes of models/<name>.safetensors, or undefined if there is none. */
  modelFile(name: string): Promise<Uint8Array | undefined>;
}

const pcaFitsKept = 3;

export class DataStore {
  readonly #ll: LatentLab;
  readonly #source: DataSource;
  readonly #post: (message: WorkerMessage) => void;
  #test: TestSet | undefined;
  #testError: string | undefined;
  #train: TrainSet | undefined;
  #trainLoading: Promise<TrainSet> | undefined;
  #dataset: { holdout: number; dataset: Dataset } | undefined;
  readonly #pcaFits = new Map<string, PcaCodec>();
  /** Called when a split has loaded (or failed to). */
  onLoaded: (split: Split) => void = () => {};

  /** Starts downloading the test digits; progress and errors are posted to the page. */
  constructor(ll: LatentLab, source: DataSource, post: (message: WorkerMessage) => void) {
    this.#ll = ll;
    this.#source = source;
    this.#post = post;
    this.testLoaded = this.#loadTest();
  }

  /** Resolves when the test digits are in (or failed to load). */
  readonly testLoaded: Promise<void>;

  get test(): TestSet | undefined {
    return this.#test;
  }

  /** Why the test digits are missing, if they failed to load. */
  get testError(): string | undefined {
    return this.#testError;
  }

  get train(): TrainSet | undefined {
    return this.#train;
  }

  get modelFile(): DataSource['modelFile'] {
    return this.#source.modelFile;
  }

  /** The training digits, downloaded once; rejects with a sentence saying why not. */
  loadTrain(): Promise<TrainSet> {
    this.#trainLoading ??= (async () => {
      try {
        this.#train = digitsOf(await this.#load('train'), 'train');
        return this.#train;
      } catch (error) {
        const message = `The MNIST training digits failed to load: ${errorMessage(error)}`;
        this.#post({ type: 'error', message });
        throw new Error(message);
      } finally {
        this.onLoaded('train');
      }
    })();
    return this.#trainLoading;
  }

  /** The engine dataset of the training digits without `holdout` (one kept at a time). Needs `train`. */
  datasetFor(holdout: number): Dataset {
    if (this.#dataset?.holdout !== holdout) {
      this.#dataset?.dataset.dispose();
      this.#dataset = undefined;
      const bytes = trainingBytes(this.#train!, holdout);
      this.#dataset = { holdout, dataset: this.#ll.createDataset(bytes, 784, { scale: 1 / 255 }) };
    }
    return this.#dataset.dataset;
  }

  /** PCA fitted to training digits (without `holdout`); undefined, and the digits requested, while they are missing. */
  pca(components: number, holdout: number): PcaCodec | undefined {
    const key = `${components}:${holdout}`;
    const cached = this.#pcaFits.get(key);
    if (cached) return cached;
    if (!this.#train) {
      this.loadTrain().catch(() => {});
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
    return PcaCodec.fit(this.#ll, pcaSample(this.#train!, holdout), components);
  }

  dispose(): void {
    for (const codec of this.#pcaFits.values()) codec.dispose();
    this.#pcaFits.clear();
    this.#dataset?.dataset.dispose();
    this.#dataset = undefined;
  }

  async #loadTest(): Promise<void> {
    try {
      this.#test = testSetOf(digitsOf(await this.#load('test'), 'test'));
    } catch (error) {
      this.#testError = `The MNIST test digits failed to load: ${errorMessage(error)}`;
      this.#post({ type: 'error', message: this.#testError });
    }
    this.onLoaded('test');
  }

  /** One split through the source, its progress posted to the page. */
  async #load(split: Split): Promise<Mnist> {
    let received = 0;
    const mnist = await this.#source.loadSplit(split, (loaded, total) => {
      received = loaded;
      this.#post({ type: 'data-progress', part: split, loaded, total, done: false });
    });
    this.#post({ type: 'data-progress', part: split, loaded: received, total: undefined, done: true });
    return mnist;
  }
}
