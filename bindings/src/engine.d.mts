// Types of the Emscripten module built from bindings/engine.cpp. Emscripten
// 3.1.6 cannot emit them, so they are written here and must follow engine.cpp.

export interface RawHandle {
  delete(): void;
  isDeleted(): boolean;
}

export interface RawDataset extends RawHandle {
  count(): number;
  features(): number;
  /** The smallest and largest value held (bytes: scaled). */
  min(): number;
  max(): number;
}

export interface RawLossTerms {
  reconstruction: number;
  sparsity: number;
  contractive: number;
  kl: number;
}

export interface RawEvaluation extends RawLossTerms {
  loss: number;
  /** Variational models only. */
  negativeElbo?: number;
  meanActivation: number;
  fractionInactive: number;
  /** A dense first layer only. */
  meanJacobianNorm?: number;
}

export interface RawTrainOptions {
  batchSize: number;
  optimizer: string;
  learningRate: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface RawBatchReport {
  epoch: number;
  step: number;
  batch: number;
  batchesPerEpoch: number;
  /** Samples in this mini-batch. */
  samples: number;
  loss: number;
}

export interface RawTrainReport {
  epoch: number;
  step: number;
  batches: number;
  samples: number;
  loss: number;
  epochLoss: number;
  terms: RawLossTerms;
  epochTerms: RawLossTerms;
  epochFinished: boolean;
  stopped: boolean;
}

export interface RawModel extends RawHandle {
  inputSize(): number;
  latentSize(): number;
  parameterCount(): number;
  encode(data: RawDataset): Float32Array;
  decode(codes: Float32Array): Float32Array;
  reconstruct(images: Float32Array): Float32Array;
  evaluate(data: RawDataset): RawEvaluation;
  hiddenActivations(data: RawDataset, layer: number): Float32Array;
  anomalyScores(data: RawDataset): Float32Array;
  activationStatistics(data: RawDataset, layer: number, bins: number): RawActivationStatistics;
  sample(count: number, seed: number): Float32Array;
  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array;
  parameters(): Float32Array;
  /** Every tensor as the model file names and lays it out. */
  tensors(): { name: string; shape: number[]; values: Float32Array }[];
  /** The model file (safetensors), its tensors of `dtype`, as a fresh array. */
  save(dtype: 'F32' | 'F16'): Uint8Array;
  /** The resolved configuration as JSON (every option written out). */
  configJson(): string;
  train(
    dataset: RawDataset,
    options: RawTrainOptions,
    maxBatches: number,
    onBatch: ((report: RawBatchReport) => boolean) | undefined,
  ): RawTrainReport;
}

export interface RawPCA extends RawHandle {
  fit(data: RawDataset): void;
  encode(data: RawDataset): Float32Array;
  decode(codes: Float32Array): Float32Array;
  reconstruct(images: Float32Array): Float32Array;
  explainedVariance(): Float32Array;
  /** Per sample, the squared reconstruction error summed over features. */
  anomalyScores(data: RawDataset): Float32Array;
  /** The mean squared reconstruction error over samples and features. */
  evaluate(data: RawDataset): number;
  /** steps x inputSize: the decoded straight path between the codes of a and b. */
  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array;
  /** components x inputSize, one row per component. */
  componentVectors(): Float32Array;
}

/** bindings/statistics.cpp */
export interface RawActivationStatistics {
  unitMeans: Float32Array;
  mean: number;
  fractionInactive: number;
  histogram: { low: number; high: number; counts: Float64Array };
}

export interface RawColumnStatistics {
  mean: Float64Array;
  std: Float64Array;
  quantiles: Float64Array[];
}

export interface RawRocCurve {
  falsePositiveRate: Float64Array;
  truePositiveRate: Float64Array;
  auc: number;
}

export interface Engine {
  PCA: new (inputSize: number, components: number) => RawPCA;
  /** `noise` is checked by the engine as a model's noise option is. */
  corrupt(images: Float32Array, width: number, noise: unknown, seed: number): Float32Array;
  rocAuc(scores: Float64Array, labels: number[]): number;
  /** values: n x width; quantiles in [0, 1]. */
  columnStatistics(values: Float32Array, width: number, quantiles: number[]): RawColumnStatistics;
  normalQuantile(p: number): number;
  randomNormal(count: number, seed: number): Float64Array;
  rocCurve(scores: Float64Array, labels: number[], maxPoints: number): RawRocCurve;
  meanSquaredError(a: Float32Array, b: Float32Array): number;
  Dataset: {
    /** Checks every value is finite; `name` is what errors call the values. */
    new (values: Float32Array, features: number, name: string): RawDataset;
    /** Bytes kept as bytes, each standing for byte * scale; checks the scale. */
    fromBytes(bytes: Uint8Array, features: number, scale: number, name: string): RawDataset;
  };
  Model: {
    /** `config` is read and checked by the engine's schema (core/model_schema.h). */
    new (config: unknown): RawModel;
    /** A model from the bytes of a model file; throws saying what is wrong with them. */
    load(bytes: Uint8Array): RawModel;
  };
  parseIdx(bytes: Uint8Array): { shape: number[]; data: Uint8Array };
  heapBytes(): number;
  /** The schema of a model's configuration, as JSON. */
  modelSchema(): string;
  /** A configuration checked and resolved by the schema, as JSON; throws as Model's constructor does. */
  resolveModelConfig(config: unknown): string;
  simdInstructionSets(): string;
  /** Threads the kernels run on; the single-thread engine accepts only 1. */
  setThreadCount(count: number): void;
  threadCount(): number;
}

export interface EngineOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

/** The threaded engine (engine-threads.mjs) also starts a pool of workers. */
export interface ThreadedEngineOptions extends EngineOptions {
  threadPoolSize: number;
  /** The URL its workers import the engine module from. */
  mainScriptUrlOrBlob: string;
}

declare const createEngine: (options?: EngineOptions) => Promise<Engine>;
export default createEngine;
