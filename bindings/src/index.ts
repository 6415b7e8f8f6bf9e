// LatentLab: autoencoders on a C++/WebAssembly engine, for browsers and Node.
//
//   const ll = await init();
//   const model = ll.createModel({ inputSize: 784, encoder: [256], latentSize: 32 });
//   model.trainEpoch(images, { batchSize: 128, learningRate: 1e-3 });
//   const codes = model.encode(images);
//   model.dispose();
import createEngine, { type Engine, type EngineOptions } from './engine.mjs';
import { Dataset, type DatasetOptions } from './dataset.js';
import type { IdxArray } from './idx.js';
import { Model } from './model.js';
import { loadModel } from './model-file.js';
import { withWasmBinary } from './wasm-binary.js';
import { threadCount } from './threads.js';
import { checkRows } from './arrays.js';
import type { ModelConfig, Noise, ResolvedModelConfig } from './model-config.js';
import { PCA, type PCAConfig } from './pca.js';
import * as statistics from './statistics.js';
import type { ColumnStatistics, RocCurve } from './statistics.js';

export { Dataset } from './dataset.js';
export { imagesFromIdx, pixelScale, type IdxArray } from './idx.js';
export { Model } from './model.js';
export { PCA, type PCAConfig } from './pca.js';
export type { EpochOptions, Evaluation, LossTerms, StepOptions, TrainProgress, TrainStats } from './model.js';
export type {
  ActivationName,
  Contractive,
  ConvLayer,
  DeconvLayer,
  InitName,
  Layer,
  LossName,
  ModelConfig,
  Noise,
  PoolLayer,
  ReshapeLayer,
  ResolvedLayer,
  ResolvedModelConfig,
  Sparsity,
  UpsampleLayer,
  Variational,
} from './model-config.js';
export type { OptimizerName, SaveOptions, TensorDtype, TrainOptions } from './options.js';
export type { EngineOptions } from './engine.mjs';
export type { DatasetOptions } from './dataset.js';
export { datasetLabels, datasetNames, datasetTitle, type DatasetName } from './datasets.js';
export {
  fetchMnist,
  readIdxImages,
  type FetchMnistOptions,
  type IdxFile,
  type IdxImages,
  type Mnist,
  type MnistOptions,
  type MnistSplit,
} from './mnist.js';
export type { ActivationStatistics, ColumnStatistics, RocCurve } from './statistics.js';
export type { WeightTensor } from './model.js';

export interface LatentLab {
  /** Builds an autoencoder; throws a TypeError or RangeError naming the first bad option. */
  createModel(config: ModelConfig): Model;
  /**
   * The configuration createModel would build, every default filled in;
   * throws exactly as createModel does, without building anything.
   */
  resolveModelConfig(config: ModelConfig): ResolvedModelConfig;
  /**
   * The schema of a model's configuration (core/model_schema.cpp): every
   * option's name, type, default, bounds and meaning, and the rules of which
   * combinations are illegal and why.
   */
  readonly modelSchema: ModelSchema;
  /** Principal component analysis: the linear baseline, with the same encode/decode surface. */
  createPCA(config: PCAConfig): PCA;
  /** A corrupted copy of images in [0, 1] (to show denoising before/after); the same seed, the same noise. */
  corrupt(images: Float32Array, noise: Noise, options?: { seed?: number }): Float32Array;
  /**
   * Area under the ROC curve of `scores` for telling samples labelled true
   * (anomalies) from those labelled false: 1 separates perfectly, 0.5 is chance.
   */
  rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean | number>): number;
  /**
   * The ROC curve of flagging samples scored above a threshold, from (0, 0)
   * to (1, 1), one point per group of tied scores, thinned to at most
   * `maxPoints` (default: every point, both ends always kept); `auc` is the
   * area under the whole curve, the same number as rocAuc.
   */
  rocCurve(
    scores: ArrayLike<number>,
    labels: ArrayLike<boolean | number>,
    options?: { maxPoints?: number },
  ): RocCurve;
  /** Mean over all values of (a - b)^2: two arrays of one length. */
  meanSquaredError(a: Float32Array, b: Float32Array): number;
  /**
   * Mean, population standard deviation and the given quantiles (in [0, 1],
   * interpolated linearly between order statistics) of each column of n x
   * width values (row per sample), e.g. of codes.
   */
  columnStatistics(
    values: Float32Array,
    width: number,
    options?: { quantiles?: readonly number[] },
  ): ColumnStatistics;
  /** The inverse CDF of N(0, 1): x with P(Z <= x) = p, p in (0, 1). */
  normalQuantile(p: number): number;
  /** `count` draws of N(0, 1) from the engine's seeded generator: the same seed, the same draws. */
  randomNormal(count: number, options?: { seed?: number }): Float64Array;
  /**
   * Copies n x features values into the engine once, for repeated training
   * and for the calls that read whole data sets (evaluate, encode,
   * anomalyScores, ...).
   */
  createDataset(values: Float32Array, features: number): Dataset;
  /**
   * The same from bytes, which the engine keeps as bytes (one a value), each
   * standing for byte * `options.scale` (e.g. MNIST pixels with scale
   * pixelScale, 1 / 255): no Float32Array of the data in JS or in the engine.
   */
  createDataset(values: Uint8Array, features: number, options?: DatasetOptions): Dataset;
  /** A model from the bytes of a model file (Model.save, or PyTorch via python/latentlab_torch.py). */
  loadModel(bytes: Uint8Array): Model;
  /** Parses an IDX file (the MNIST format), checking every size against the bytes present. */
  parseIdx(bytes: Uint8Array): IdxArray;
  /** Bytes of the engine's heap in use (allocated and not freed). */
  heapBytes(): number;
  /** The SIMD instruction sets the engine's linear algebra uses. */
  readonly simd: string;
  /** The threads the engine's kernels run on (1: the single-thread build). */
  readonly threads: number;
}

/** Options of `init`: where the engine's files are, and how many threads it runs on. */
export interface InitOptions extends EngineOptions {
  /**
   * Threads for the kernels. Where the page is cross-origin isolated the
   * default is every core (at most 8) and more than 1 loads the threaded
   * build; 1 forces the single-thread build. Node and pages without
   * isolation always run on 1, whatever is asked.
   */
  threads?: number;
}

/** One option of the model schema (see LatentLab.modelSchema). */
export interface SchemaOption {
  name: string;
  /** 'layers': numbers (dense sizes) or objects of the kinds in `fields`; 'shape': [C, H, W]. */
  type: 'integer' | 'number' | 'choice' | 'shape' | 'layers' | 'part';
  summary: string;
  required: boolean;
  default?: unknown;
  /** A default that depends on other options, in words. */
  derivedDefault?: string;
  bounds?: { low: number; high: number | 'Infinity'; lowOpen: boolean; highOpen: boolean };
  choices?: string[];
  /** Inside a part with a kind: the kinds this field belongs to. */
  kinds?: string[];
  fields?: SchemaOption[];
}

export interface ModelSchema {
  options: SchemaOption[];
  /** The combinations that are illegal, each with why. */
  rules: string[];
}

let loading: Promise<LatentLab> | undefined;

/**
 * Loads the engine once and returns the same instance on every call. In
 * browsers the .wasm file beside this module is fetched; in Node it is read
 * from disk. `options` are honoured by the first call only.
 */
export function init(options: InitOptions = {}): Promise<LatentLab> {
  const { threads, ...engineOptions } = options;
  let count: number;
  try {
    count = threadCount(threads);
  } catch (error) {
    return Promise.reject(error);
  }
  loading ??= load(engineOptions, count).then(wrap, (error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The engine for `threads` threads: the threaded build (loaded only then) or the single-thread one. */
async function load(options: EngineOptions, threads: number): Promise<Engine> {
  if (threads === 1) return createEngine(await withWasmBinary(options));
  // The threaded engine is imported as a file beside this one, not bundled:
  // its pthread workers import the same module again by URL. The literal
  // `new URL(..., import.meta.url)`s are what bundlers copy as assets.
  const moduleUrl = new URL('engine-threads.mjs', import.meta.url).href;
  const workerUrl = await sameOriginScript(new URL('engine-threads.worker.js', import.meta.url).href);
  const threaded = (await import(/* @vite-ignore */ moduleUrl)) as typeof import('./engine-threads.mjs');
  const engine = await threaded.default({
    ...(await withWasmBinary(options, true)),
    threadPoolSize: threads - 1,
    mainScriptUrlOrBlob: moduleUrl,
    locateFile: (path, prefix) =>
      options.locateFile?.(path, prefix) ?? (path === 'engine-threads.worker.js' ? workerUrl : prefix + path),
  });
  engine.setThreadCount(threads);
  return engine;
}

/**
 * A URL a Worker can start from with this page's origin: bundlers inline a
 * small script as a data: URL, whose worker would have an opaque origin (and
 * could not import the engine); its text becomes a blob: URL instead.
 */
async function sameOriginScript(url: string): Promise<string> {
  if (!url.startsWith('data:')) return url;
  const script = await (await fetch(url)).blob();
  return URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
}

function wrap(engine: Engine): LatentLab {
  return {
    createModel: (config) => new Model(engine, config),
    resolveModelConfig: (config) => JSON.parse(engine.resolveModelConfig(config)) as ResolvedModelConfig,
    modelSchema: JSON.parse(engine.modelSchema()) as ModelSchema,
    createDataset: (values: Float32Array | Uint8Array, features: number, options?: DatasetOptions) =>
      new Dataset(engine, values, features, options),
    loadModel: (bytes) => loadModel(engine, bytes),
    createPCA: (config) => new PCA(engine, config),
    corrupt: (images, noise, options = {}) => {
      const range = checkRows(images, 1, 'images');
      if (range.min < 0 || range.max > 1) {
        throw new RangeError(`images must lie in [0, 1], got values in [${range.min}, ${range.max}]`);
      }
      return engine.corrupt(images, 1, noise, statistics.checkSeed(options.seed ?? 0));
    },
    rocAuc: (scores, labels) => statistics.rocAuc(engine, scores, labels),
    rocCurve: (scores, labels, options) => statistics.rocCurve(engine, scores, labels, options),
    meanSquaredError: (a, b) => statistics.meanSquaredError(engine, a, b),
    columnStatistics: (values, width, options) => statistics.columnStatistics(engine, values, width, options),
    normalQuantile: (p) => statistics.normalQuantile(engine, p),
    randomNormal: (count, options) => statistics.randomNormal(engine, count, options),
    parseIdx: (bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('parseIdx: bytes must be a Uint8Array');
      return engine.parseIdx(bytes);
    },
    heapBytes: () => engine.heapBytes(),
    simd: engine.simdInstructionSets(),
    threads: engine.threadCount(),
  };
}
