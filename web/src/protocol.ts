// Messages between the page and the training worker. Arrays travel as
// transferred buffers (never copied); shapes are given in the comments.
import type { Experiment } from './experiment';

/** The four MNIST IDX files, already decompressed. */
export interface MnistFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

export type PageMessage =
  /** Parse MNIST and build the model; answered by 'ready' (or 'error'). */
  | { type: 'load'; experiment: Experiment; mnist: MnistFiles }
  | { type: 'start' }
  | { type: 'pause' }
  /** Stop and rebuild the model from its seed; answered by 'reset', 'state' and 'snapshot'. */
  | { type: 'reset' };

export interface ReadyMessage {
  type: 'ready';
  trainCount: number;
  testCount: number;
  parameterCount: number;
  /** SIMD instruction sets the engine uses. */
  simd: string;
  /** The fixed test digits that snapshots reconstruct: probeCount x 784, values in [0, 1]. */
  probeImages: Float32Array;
  probeLabels: Uint8Array;
  /** Digit of each point of the latent map, in the order of snapshot.mapPoints. */
  mapLabels: Uint8Array;
}

export interface ProgressMessage {
  type: 'progress';
  step: number;
  /** The epoch under way (1 for the first), 0 before any training. */
  epoch: number;
  /** Mean training loss over the mini-batches since the previous progress message. */
  loss: number;
  samplesPerSecond: number;
}

export interface StateMessage {
  type: 'state';
  running: boolean;
  step: number;
  epoch: number;
}

export interface SnapshotMessage {
  type: 'snapshot';
  step: number;
  /** Reconstructions of ready.probeImages: probeCount x 784. */
  reconstructions: Float32Array;
  /** Test codes projected on their top two principal components: mapCount x 2 (x, y per point). */
  mapPoints: Float32Array;
  /** Fraction of the codes' variance along each of the two axes. */
  explainedVariance: [number, number];
}

export type WorkerMessage =
  | ReadyMessage
  | ProgressMessage
  | StateMessage
  | SnapshotMessage
  | { type: 'reset' }
  | { type: 'error'; message: string };

/** Message text of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
