// Types of the Emscripten module built from bindings/engine.cpp. Emscripten
// 3.1.6 cannot emit them, so they are written here and must follow engine.cpp.

export interface RawHandle {
  delete(): void;
  isDeleted(): boolean;
}

export interface RawDataset extends RawHandle {
  count(): number;
  features(): number;
}

export interface RawModelConfig {
  inputSize: number;
  encoder: number[];
  latentSize: number;
  decoder: number[] | undefined;
  activation: string;
  decoderActivation: string | undefined;
  latentActivation: string;
  outputActivation: string;
  loss: string;
  seed: number;
  sparsity: { kind: string; weight: number; target: number; layer: number } | undefined;
  noise: RawNoise | undefined;
  variational: { beta: number } | undefined;
  contractive: { weight: number } | undefined;
}

export interface RawNoise {
  kind: string;
  /** gaussian: standard deviation; mask, salt-pepper: rate. */
  level: number;
}

export interface RawLossTerms {
  reconstruction: number;
  sparsity: number;
  contractive: number;
  kl: number;
}

export interface RawEvaluation extends RawLossTerms {
  loss: number;
  negativeElbo: number;
  meanActivation: number;
  fractionInactive: number;
  meanJacobianNorm: number;
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
  encode(images: Float32Array): Float32Array;
  decode(codes: Float32Array): Float32Array;
  reconstruct(images: Float32Array): Float32Array;
  evaluate(images: Float32Array): RawEvaluation;
  hiddenActivations(images: Float32Array, layer: number): Float32Array;
  anomalyScores(images: Float32Array): Float32Array;
  sample(count: number, seed: number): Float32Array;
  parameters(): Float32Array;
  /** The model file (safetensors) as a fresh array. */
  save(): Uint8Array;
  /** The configuration as JSON, with the public option names. */
  configJson(): string;
  train(
    dataset: RawDataset,
    options: RawTrainOptions,
    maxBatches: number,
    onBatch: ((report: RawBatchReport) => boolean) | undefined,
  ): RawTrainReport;
}

export interface RawPCA extends RawHandle {
  fit(images: Float32Array): void;
  encode(images: Float32Array): Float32Array;
  decode(codes: Float32Array): Float32Array;
  reconstruct(images: Float32Array): Float32Array;
  explainedVariance(): Float32Array;
  /** Per sample, the squared reconstruction error summed over features. */
  anomalyScores(images: Float32Array): Float32Array;
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
  corrupt(images: Float32Array, width: number, noise: RawNoise, seed: number): Float32Array;
  rocAuc(scores: Float64Array, labels: number[]): number;
  /** activations: n x units; activation: 'identity' | 'relu' | 'sigmoid' | 'tanh'. */
  activationStatistics(
    activations: Float32Array,
    units: number,
    activation: string,
    bins: number,
  ): RawActivationStatistics;
  /** values: n x width; quantiles in [0, 1]. */
  columnStatistics(values: Float32Array, width: number, quantiles: number[]): RawColumnStatistics;
  normalQuantile(p: number): number;
  randomNormal(count: number, seed: number): Float64Array;
  rocCurve(scores: Float64Array, labels: number[], maxPoints: number): RawRocCurve;
  meanSquaredError(a: Float32Array, b: Float32Array): number;
  Dataset: {
    new (values: Float32Array, features: number): RawDataset;
    /** Each byte times `scale`, converted inside the engine. */
    fromBytes(bytes: Uint8Array, features: number, scale: number): RawDataset;
  };
  Model: {
    new (config: RawModelConfig): RawModel;
    /** A model from the bytes of a model file; throws saying what is wrong with them. */
    load(bytes: Uint8Array): RawModel;
  };
  parseIdx(bytes: Uint8Array): { shape: number[]; data: Uint8Array };
  heapBytes(): number;
  simdInstructionSets(): string;
}

export interface EngineOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare const createEngine: (options?: EngineOptions) => Promise<Engine>;
export default createEngine;
