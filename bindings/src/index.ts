// LatentLab: autoencoders on a C++/WebAssembly engine, for browsers and Node.
//
//   const ll = await init();
//   const model = ll.createModel({ inputSize: 784, encoder: [256], latentSize: 32 });
//   model.trainEpoch(images, { batchSize: 128, learningRate: 1e-3 });
//   const codes = model.encode(images);
//   model.dispose();
import createEngine, { type Engine, type EngineOptions } from './engine.mjs';
import { Dataset } from './dataset.js';
import type { IdxArray } from './idx.js';
import { Model } from './model.js';
import type { ModelConfig } from './options.js';

export { Dataset } from './dataset.js';
export { imagesFromIdx, type IdxArray } from './idx.js';
export { Model } from './model.js';
export type {
  EpochOptions,
  Evaluation,
  StepOptions,
  TrainProgress,
  TrainStats,
} from './model.js';
export type { ActivationName, LossName, ModelConfig, OptimizerName, TrainOptions } from './options.js';
export type { EngineOptions } from './engine.mjs';

export interface LatentLab {
  /** Builds an autoencoder; throws an Error naming the first bad option. */
  createModel(config: ModelConfig): Model;
  /** Copies n x features values into the engine once, for repeated training. */
  createDataset(values: Float32Array, features: number): Dataset;
  /** Parses an IDX file (the MNIST format), checking every size against the bytes present. */
  parseIdx(bytes: Uint8Array): IdxArray;
  /** Bytes of the engine's heap in use (allocated and not freed). */
  heapBytes(): number;
  /** The SIMD instruction sets the engine's linear algebra uses. */
  readonly simd: string;
}

let loading: Promise<LatentLab> | undefined;

/**
 * Loads the engine once and returns the same instance on every call. In
 * browsers the .wasm file beside this module is fetched; in Node it is read
 * from disk. `options` are honoured by the first call only.
 */
export function init(options: EngineOptions = {}): Promise<LatentLab> {
  loading ??= createEngine(options).then(wrap, (error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

function wrap(engine: Engine): LatentLab {
  return {
    createModel: (config) => new Model(engine, config),
    createDataset: (values, features) => new Dataset(engine, values, features),
    parseIdx: (bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('parseIdx: bytes must be a Uint8Array');
      return engine.parseIdx(bytes);
    },
    heapBytes: () => engine.heapBytes(),
    simd: engine.simdInstructionSets(),
  };
}
