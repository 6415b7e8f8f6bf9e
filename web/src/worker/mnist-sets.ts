// The MNIST digits the views use, cut from the parsed IDX files once: the
// test digits on the latent map, those for test losses, the fixed digits
// shown beside their reconstructions, the normal and anomalous sets; and the
// training digits, with or without a digit held out. Fashion-MNIST's images
// and the reader's own (./own-data) are cut the same way; a test split
// smaller than MNIST's gives each set its share (testLayout). The sets the views read
// whole are engine datasets of bytes (one byte a pixel, scaled by the engine
// as imagesFromIdx scales them); only a few digits at a time become floats
// in JS.
import { imagesFromIdx, pixelScale, type Dataset, type LatentLab, type Mnist } from 'latentlab';
import type { Digits } from '../lab/protocol';

export const pixels = 784;
/** Test digits on the latent map (and in the drawing pad's map), at most. */
export const mapCount = 2000;
/** Test digits the test loss is measured on (the first of the map's). */
export const evaluationCount = 1000;
/** Test digits the histogram of hidden activations is taken over (the first of the test loss's). */
export const activationCount = 500;
/** Two of each digit, 0-9 then 0-9 again (of each class there is, for a reader's own images). */
export const probeCount = 20;
/** Normal and anomalous digits in the anomaly view (apart from the map's), at most. */
export const anomalyCount = 1000;
/** Fewest test images testSetOf takes: its smallest sets hold 25. */
export const minTestCount = 100;
/** Training digits PCA is fitted on. */
export const pcaFitCount = 10000;

export interface TestSet {
  count: number;
  /** count x 784 pixels, 0-255. */
  bytes: Uint8Array;
  labels: Uint8Array;
  /** false: the images came without labels (all 0 here), so nothing can be told by class. */
  labelled: boolean;
  layout: TestLayout;
  /** The latent map's digits: in the engine, and their pixels and labels for the page. */
  map: { dataset: Dataset; bytes: Uint8Array; labels: Uint8Array };
  /** The digits of the test loss (the first of the map's). */
  evaluation: Dataset;
  /** The digits of the activation statistics (the first of the test loss's). */
  activations: Dataset;
  /** The normal digits of the anomaly view and of the drawing's score (after the map's). */
  normal: Dataset;
  probes: Digits;
  /** Derived sets computed once (e.g. corrupted anomalies), by name; those with a dispose() are freed with the set. */
  memo: Map<string, unknown>;
}

export interface TrainSet {
  count: number;
  /** count x 784 pixels, 0-255. */
  bytes: Uint8Array;
  labels: Uint8Array;
  /** false: the images came without labels (all 0 here). */
  labelled: boolean;
}

/**
 * How many test images each set takes, in this order: the map's (the first;
 * the test loss's and the activations' are its first ones), then the normal
 * anomaly-view images, then those made into anomalies. MNIST's 10,000 give
 * 2,000, 1,000 and 1,000; a smaller split gives the map half, and the other
 * two a quarter each.
 */
export interface TestLayout {
  map: number;
  evaluation: number;
  activations: number;
  normal: number;
  anomalies: number;
}

export function testLayout(count: number): TestLayout {
  const map = Math.min(mapCount, Math.floor(count / 2));
  const normal = Math.min(anomalyCount, Math.floor((count - map) / 2));
  const evaluation = Math.min(evaluationCount, map);
  return {
    map,
    evaluation,
    activations: Math.min(activationCount, evaluation),
    normal,
    anomalies: Math.min(anomalyCount, count - map - normal),
  };
}

/** The digits of a split read by the package (fetchMnist, readMnist), checked to be what the views draw. */
export function digitsOf(mnist: Mnist, name: 'test' | 'train'): TrainSet {
  const shape = mnist.images.shape;
  if (shape.length !== 3 || shape[1] !== 28 || shape[2] !== 28) {
    throw new Error(`${name} images: expected n x 28 x 28 images, got shape [${shape.join(', ')}]`);
  }
  if (mnist.labels.some((label) => label > 9)) throw new Error(`${name} labels: labels must be digits 0-9`);
  return { count: mnist.count, bytes: mnist.images.data, labels: mnist.labels, labelled: true };
}

/** An engine dataset of n x 784 pixels, scaled to [0, 1] as imagesFromIdx scales them. */
export function digitDataset(ll: LatentLab, bytes: Uint8Array): Dataset {
  return ll.createDataset(bytes, pixels, { scale: pixelScale });
}

/** The test digits' sets; its datasets live until disposeTestSet. */
export function testSetOf(ll: LatentLab, split: TrainSet): TestSet {
  const { count, bytes, labels, labelled } = split;
  if (count < minTestCount) {
    throw new Error(`test images: expected at least ${minTestCount}, got ${count}`);
  }
  const layout = testLayout(count);
  const probeIndices = pickProbes(labels.subarray(0, layout.map), probeCount);
  const datasets: Dataset[] = [];
  try {
    for (const [first, n] of [
      [0, layout.map],
      [0, layout.evaluation],
      [0, layout.activations],
      [layout.map, layout.normal],
    ]) {
      datasets.push(digitDataset(ll, rows(bytes, first, n)));
    }
  } catch (error) {
    for (const dataset of datasets) dataset.dispose(); // out of engine memory: free what was made
    throw error;
  }
  const [map, evaluation, activations, normal] = datasets;
  return {
    count,
    bytes,
    labels,
    labelled,
    layout,
    map: { dataset: map, bytes: rows(bytes, 0, layout.map), labels: labels.subarray(0, layout.map) },
    evaluation,
    activations,
    normal,
    probes: {
      images: imagesOf(bytesAt(bytes, probeIndices)),
      labels: Uint8Array.from(probeIndices, (index) => labels[index]),
    },
    memo: new Map(),
  };
}

/** Frees the test set's datasets, and those it memoized. */
export function disposeTestSet(test: TestSet): void {
  for (const value of [
    test.map.dataset,
    test.evaluation,
    test.activations,
    test.normal,
    ...test.memo.values(),
  ]) {
    const disposable = value as { dispose?: unknown } | null;
    if (typeof disposable?.dispose === 'function') (disposable as { dispose(): void }).dispose();
  }
  test.memo.clear();
}

/** `compute()` once per test set. */
export function memoized<T>(test: TestSet, name: string, compute: () => T): T {
  if (!test.memo.has(name)) test.memo.set(name, compute());
  return test.memo.get(name) as T;
}

/** The pixels of the test digits (after the normal ones) that are made into anomalies. */
export function anomalySourceBytes(test: TestSet): Uint8Array {
  const { map, normal, anomalies } = test.layout;
  return rows(test.bytes, map + normal, anomalies);
}

/** Test digits after the map's: up to anomalyCount of the held-out digit, and as many others. */
export function heldOutIndices(test: TestSet, digit: number): { normal: number[]; anomalous: number[] } {
  const normal: number[] = [];
  const anomalous: number[] = [];
  for (let i = test.layout.map; i < test.count; i++) {
    const list = test.labels[i] === digit ? anomalous : normal;
    if (list.length < anomalyCount) list.push(i);
  }
  return { normal, anomalous };
}

/** Training pixels without the digit `holdout` (all of them if it is -1). */
export function trainingBytes(train: TrainSet, holdout: number): Uint8Array {
  if (holdout < 0) return train.bytes;
  let kept = 0;
  for (let i = 0; i < train.count; i++) if (train.labels[i] !== holdout) kept++;
  const out = new Uint8Array(kept * pixels);
  for (let i = 0, k = 0; i < train.count; i++) {
    if (train.labels[i] === holdout) continue;
    out.set(train.bytes.subarray(i * pixels, (i + 1) * pixels), k++ * pixels);
  }
  return out;
}

/** The pixels of the first pcaFitCount training digits (without `holdout`). */
export function pcaSample(train: TrainSet, holdout: number): Uint8Array {
  const indices: number[] = [];
  for (let i = 0; i < train.count && indices.length < pcaFitCount; i++) {
    if (train.labels[i] !== holdout) indices.push(i);
  }
  return bytesAt(train.bytes, indices);
}

/**
 * The index of the k-th digit of each class in turn (0, 1, ..., 9, 0, 1,
 * ...), over the classes the labels hold: the first `count` images when all
 * are 0 (images without labels).
 */
export function pickProbes(labels: Uint8Array, count: number): number[] {
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const seen = new Array<number>(10).fill(0);
  const picked: number[] = [];
  for (let slot = 0; slot < count && classes.length > 0; slot++) {
    const digit = classes[slot % classes.length];
    let found = -1;
    for (let i = 0, k = 0; i < labels.length; i++) {
      if (labels[i] === digit && k++ === seen[digit]) {
        found = i;
        break;
      }
    }
    if (found < 0) break;
    seen[digit]++;
    picked.push(found);
  }
  return picked;
}

/** The pixels of digits [first, first + count). */
export function rows(bytes: Uint8Array, first: number, count: number): Uint8Array {
  return bytes.subarray(first * pixels, (first + count) * pixels);
}

/** The pixels of the digits at `indices`, in that order. */
export function bytesAt(bytes: Uint8Array, indices: readonly number[]): Uint8Array {
  const out = new Uint8Array(indices.length * pixels);
  indices.forEach((index, k) => out.set(rows(bytes, index, 1), k * pixels));
  return out;
}

/** Digits' pixels as floats in [0, 1] (imagesFromIdx): for the few that a view shows or changes. */
export function imagesOf(bytes: Uint8Array): Float32Array {
  return imagesFromIdx({ shape: [bytes.length / pixels, 28, 28], data: bytes });
}
