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
import { checkRows } from './arrays.js';
import type { ModelConfig, Noise, ResolvedModelConfig } from './model-config.js';
import { PCA, type PCAConfig } from './pca.js';

export { Dataset } from './dataset.js';
export { imagesFromIdx, type IdxArray } from './idx.js';
export { Model } from './model.js';
export { PCA, type PCAConfig } from './pca.js';
export type { EpochOptions, Evaluation, LossTerms, StepOptions, TrainProgress, TrainStats } from './model.js';
export type {
  ActivationName,
  Contractive,
  InitName,
  LossName,
  ModelConfig,
  Noise,
  ResolvedModelConfig,
  Sparsity,
  Variational,
} from './model-config.js';
export type { OptimizerName, TrainOptions } from './options.js';
export type { EngineOptions } from './engine.mjs';
export type { DatasetOptions } from './dataset.js';
export { fetchMnist, type Mnist, type MnistOptions, type MnistSplit } from './mnist.js';

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
  /** Copies n x features values into the engine once, for repeated training. */
  createDataset(values: Float32Array, features: number): Dataset;
  /**
   * The same from bytes, each multiplied by `options.scale` inside the engine
   * (e.g. MNIST pixels with scale 1 / 255): no Float32Array copy in JS.
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
}

/** One option of the model schema (see LatentLab.modelSchema). */
export interface SchemaOption {
  name: string;
  type: 'integer' | 'number' | 'choice' | 'sizes' | 'part';
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
export function init(options: EngineOptions = {}): Promise<LatentLab> {
  loading ??= withWasmBinary(options)
    .then(createEngine)
    .then(wrap, (error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
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
      const seed = options.seed ?? 0;
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new RangeError(`seed must be a non-negative safe integer, got ${String(seed)}`);
      }
      return engine.corrupt(images, 1, noise, seed);
    },
    rocAuc: (scores, labels) => {
      if (scores.length !== labels.length) {
        throw new RangeError(
          `scores and labels must have the same length, got ${scores.length} and ${labels.length}`,
        );
      }
      const values = Float64Array.from(scores);
      if (values.some((v) => !Number.isFinite(v))) throw new RangeError('scores must be finite numbers');
      return engine.rocAuc(
        values,
        Array.from(labels, (label) => (label ? 1 : 0)),
      );
    },
    parseIdx: (bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('parseIdx: bytes must be a Uint8Array');
      return engine.parseIdx(bytes);
    },
    heapBytes: () => engine.heapBytes(),
    simd: engine.simdInstructionSets(),
  };
}
