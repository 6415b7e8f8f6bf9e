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
  latentActivation: string;
  outputActivation: string;
  loss: string;
  seed: number;
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
  loss(images: Float32Array): number;
  parameters(): Float32Array;
  train(
    dataset: RawDataset,
    options: RawTrainOptions,
    maxBatches: number,
    onBatch: ((report: RawBatchReport) => boolean) | undefined,
  ): RawTrainReport;
}

export interface Engine {
  Dataset: new (values: Float32Array, features: number) => RawDataset;
  Model: new (config: RawModelConfig) => RawModel;
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
