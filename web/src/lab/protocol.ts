// Messages between the page (any number of views) and the one worker that
// runs the engine. A view subscribes to what it draws, for a model named by a
// spec (preset name or experiment hash); the worker sends that view's data
// when the model changes, while it trains, and when the view's parameters
// change. Arrays travel as transferred buffers; shapes are in the comments.
import type { LossTerms } from 'latentlab';
import type { DatasetName } from './datasets';
import type { Family, NoiseKind } from './families';

/** What a view asks for, by kind. */
export interface ViewParams {
  status: Record<string, never>;
  loss: Record<string, never>;
  reconstructions: { count: number };
  'latent-map': Record<string, never>;
  filters: { count: number };
  /** Which of the test images to choose from (ViewData's `choices`) to follow through the convolutions. */
  'feature-maps': { image: number };
  activations: Record<string, never>;
  /** The drawing pad: one 28 x 28 image (784 values in [0, 1]), or undefined before drawing. */
  probe: { image: Float32Array | undefined };
  denoising: { noise: NoiseKind; level: number; count: number; seed: number };
  samples: { count: number; seed: number };
  manifold: { size: number };
  interpolation: { from: number; to: number; steps: number };
  anomaly: { anomalies: AnomalyKind; level: number };
  'pca-compare': { count: number };
}
export type ViewKind = keyof ViewParams;
export type AnomalyKind = 'noise' | 'inverted' | 'held-out';

export type ModelSource =
  'loading' | 'pretrained' | 'untrained' | 'trained' | 'file' | 'restored' | 'fitted' | 'waiting';

export interface SlotStatus {
  /** The canonical experiment hash. */
  spec: string;
  family: Family;
  description: string;
  source: ModelSource;
  /** The preset whose pretrained model this is (source 'pretrained'). */
  preset?: string;
  /** A pretrained model exists for these settings (restore goes back to it). */
  hasPretrained: boolean;
  running: boolean;
  step: number;
  /** Epochs completed, fractional (e.g. 1.5 halfway through the second). */
  epochs: number;
  parameterCount: number;
  /** The latest mean training loss, if trained in this page. */
  loss?: number;
  samplesPerSecond?: number;
  /** A sentence about the model's state, e.g. why it is untrained. */
  note?: string;
}

/** A point of a loss curve: the objective and its terms. */
export interface LossPoint extends LossTerms {
  step: number;
  epochs: number;
  loss: number;
}

/** Images (digits, or Fashion-MNIST's) shown alongside results, with their labels. */
export interface Digits {
  /** n x 784 values in [0, 1]. */
  images: Float32Array;
  /** Classes 0-9 (datasetLabels names them). */
  labels: Uint8Array;
}

/** What the worker sends each view, by kind. */
export interface ViewData {
  status: SlotStatus;
  /** `reset`: the history restarts with these points (else they extend it). */
  loss: { reset: boolean; train: LossPoint[]; test: LossPoint[] };
  reconstructions: { originals: Digits; reconstructions: Float32Array; mse: number };
  'latent-map': LatentMapData;
  filters: {
    /** count x side x side weights: a dense first layer's row per unit (side 28), or a convolution's kernels. */
    filters: Float32Array;
    count: number;
    side: number;
    units: number;
    title: string;
  };
  'feature-maps': {
    /** The chosen test image (784 values in [0, 1]) and its class. */
    image: Float32Array;
    label: number;
    /** The classes of the test images to choose from. */
    choices: Uint8Array;
    /** The encoder's convolutions, input side first: each one's maps of the image, [channels, side, side] row-major. */
    layers: { channels: number; side: number; maps: Float32Array }[];
  };
  activations: {
    /** Counts of the activations of the first hidden layer, in `bins` equal bins over [low, high]. */
    counts: Float64Array;
    low: number;
    high: number;
    /** Mean activation of each unit over the digits (units values). */
    unitMeans: Float32Array;
    meanActivation: number;
    fractionInactive: number;
    target?: number;
    activation: string;
    /** What the counted values are: 'units', or a convolution's values at every position. */
    units: string;
  };
  probe: {
    reconstruction: Float32Array | undefined;
    /** The drawing's place on the latent map, in its coordinates. */
    point: [number, number] | undefined;
    score: number | undefined;
    /** Fraction of normal test digits that score lower. */
    percentile: number | undefined;
    /** The map to mark it on (sent when it changed since the last message). */
    map: LatentMapData | undefined;
  };
  denoising: {
    originals: Float32Array;
    noisy: Float32Array;
    denoised: Float32Array;
    noisyMse: number;
    denoisedMse: number;
  };
  samples: { images: Float32Array; source: 'prior' | 'code-fit' };
  manifold: {
    images: Float32Array;
    size: number;
    mode: 'prior' | 'codes' | 'principal-plane';
    extent: number;
  };
  /** `labelled` false: the images have no labels (all 0), so the view names none. */
  interpolation: { images: Float32Array; ends: Digits; choices: Digits; labelled: boolean };
  anomaly: {
    normal: Float32Array;
    anomalous: Float32Array;
    auc: number;
    /** ROC curve: (false positive rate, true positive rate) pairs from (0, 0) to (1, 1). */
    roc: Float32Array;
    description: string;
  };
  'pca-compare': {
    originals: Float32Array;
    autoencoder: Float32Array;
    pca: Float32Array;
    /** Mean squared error per pixel over the test digits. */
    autoencoderMse: number;
    pcaMse: number;
    latent: number;
  };
}

export interface LatentMapData {
  /** n x 2 (x, y per point). */
  points: Float32Array;
  labels: Uint8Array;
  /** false: the images have no labels (all 0): one colour, no legend. */
  labelled: boolean;
  /** 'latent': the code itself (2-D); 'pca': its top two principal components, with their share of variance. */
  axes: 'latent' | 'pca';
  explained: [number, number] | undefined;
  /** The digits (n x 784 bytes), sent with a subscription's first map only, for hover previews. */
  images: Uint8Array | undefined;
}

/**
 * A page that carries the views' files inline (python/latentlab_torch.py's
 * show() writes one for a notebook) sets this before loading the views: the
 * worker's source, the files it would fetch beside itself (the engine as
 * 'engine.wasm', then e.g. 'mnist/t10k-images-idx3-ubyte.gz'), and IDX files
 * to load as the data set 'own', as if the reader had chosen them.
 */
export interface InlineViews {
  worker: string;
  files: Record<string, Uint8Array>;
  ownData?: { images: OwnFile; labels?: OwnFile };
}

/** The first message to a worker started from inline source: the files it has no folder for. */
export interface InlineFilesMessage {
  type: 'inline-files';
  files: Record<string, Uint8Array>;
}

export type PageMessage =
  | { type: 'subscribe'; id: number; spec: string; view: ViewKind; params: ViewParams[ViewKind] }
  | { type: 'update'; id: number; params: ViewParams[ViewKind] }
  | { type: 'unsubscribe'; id: number }
  /** Whether the view is on screen: while training, views off screen are refreshed when they come back. */
  | { type: 'visibility'; id: number; visible: boolean }
  /** Trains the spec's model: `fromScratch` rebuilds it from its seed first. */
  | { type: 'train'; spec: string; fromScratch: boolean }
  | { type: 'pause'; spec: string }
  /** Goes back to the pretrained model (or the seeded initial one). */
  | { type: 'restore'; spec: string }
  | { type: 'save'; request: number; spec: string }
  | { type: 'load-file'; request: number; spec: string; bytes: Uint8Array; fileName: string }
  /** Whether the engine can build the spec's model: the reply carries its objection if not. */
  | { type: 'check'; request: number; spec: string }
  /** Starts downloading a data set's training split (so that training starts at once). */
  | { type: 'load-training-data'; dataset: DatasetName }
  /**
   * The reader's own IDX files (the bytes as chosen, gzipped or not) become
   * the data set 'own', replacing earlier ones; the reply carries an
   * OwnDataSummary, or says what is wrong (and nothing changes).
   */
  | { type: 'load-own-data'; request: number; images: OwnFile; labels: OwnFile | undefined }
  /**
   * Puts a snapshot in place as the model of its spec (now, or when a view
   * first names it); `reason` ends the sentence its status shows. The reply
   * says why not if the file cannot be read (then nothing changes).
   */
  | { type: 'resume'; request: number; snapshot: ModelSnapshot; reason: string };

/**
 * A model trained in the page, as its model file: the worker sends one after
 * every epoch and when training stops, so that a new worker (or a reload of
 * the page) can take it up again.
 */
export interface ModelSnapshot {
  /** The experiment's hash. */
  spec: string;
  bytes: Uint8Array;
  fileName: string;
  /** Mini-batches and epochs trained. */
  step: number;
  epochs: number;
}

/** A file the reader chose: its name (for messages) and bytes. */
export interface OwnFile {
  name: string;
  bytes: Uint8Array;
}

/** The reader's own IDX files, once accepted. */
export interface OwnDataSummary {
  /** The files' names. */
  images: string;
  labels?: string;
  /** Training and test images (the last sixth, at most 10,000). */
  train: number;
  test: number;
  labelled: boolean;
}

export type Reply =
  | {
      type: 'reply';
      request: number;
      ok: true;
      bytes?: Uint8Array;
      fileName?: string;
      spec?: string;
      own?: OwnDataSummary;
    }
  | { type: 'reply'; request: number; ok: false; message: string };

export interface DataProgress {
  type: 'data-progress';
  dataset: DatasetName;
  part: 'test' | 'train';
  loaded: number;
  /** Bytes expected, when known. */
  total: number | undefined;
  done: boolean;
}

export type WorkerMessage =
  | { type: 'data'; id: number; data: ViewData[ViewKind] }
  /** The view cannot show anything for now (or for this model): a sentence saying why. */
  | { type: 'notice'; id: number; message: string; waiting: boolean }
  | Reply
  | DataProgress
  | { type: 'engine'; simd: string; threads: number }
  | { type: 'snapshot'; snapshot: ModelSnapshot }
  /** The engine trapped: this worker can no longer be trusted, and the page should start a new one. */
  | { type: 'fatal'; message: string }
  | { type: 'error'; message: string };

/** Message text of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
