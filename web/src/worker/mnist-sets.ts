// The MNIST digits the views use, cut from the parsed IDX files once: the
// test digits on the latent map, those for test losses, the fixed digits
// shown beside their reconstructions, the normal and anomalous sets; and the
// training digits (bytes; the engine scales them), with or without a digit
// held out.
import { imagesFromIdx, type Mnist } from 'latentlab';
import type { Digits } from '../lab/protocol';

export const pixels = 784;
/** Test digits on the latent map (and in the drawing pad's map). */
export const mapCount = 2000;
/** Test digits the test loss is measured on (the first of the map's). */
export const evaluationCount = 1000;
/** Two of each digit, 0-9 then 0-9 again. */
export const probeCount = 20;
/** Normal and anomalous digits in the anomaly view (apart from the map's). */
export const anomalyCount = 1000;
/** Training digits PCA is fitted on. */
export const pcaFitCount = 10000;

export interface TestSet {
  count: number;
  /** count x 784 in [0, 1]. */
  images: Float32Array;
  bytes: Uint8Array;
  labels: Uint8Array;
  map: { images: Float32Array; bytes: Uint8Array; labels: Uint8Array };
  evaluation: Float32Array;
  probes: Digits;
  /** Derived sets computed once (e.g. corrupted anomalies), by name. */
  memo: Map<string, unknown>;
}

export interface TrainSet {
  count: number;
  /** count x 784 pixels, 0-255. */
  bytes: Uint8Array;
  labels: Uint8Array;
}

/** The digits of a split read by the package (fetchMnist, readMnist), checked to be what the views draw. */
export function digitsOf(mnist: Mnist, name: 'test' | 'train'): TrainSet {
  const shape = mnist.images.shape;
  if (shape.length !== 3 || shape[1] !== 28 || shape[2] !== 28) {
    throw new Error(`${name} images: expected n x 28 x 28 images, got shape [${shape.join(', ')}]`);
  }
  if (mnist.labels.some((label) => label > 9)) throw new Error(`${name} labels: labels must be digits 0-9`);
  return { count: mnist.count, bytes: mnist.images.data, labels: mnist.labels };
}

export function testSetOf(split: { count: number; bytes: Uint8Array; labels: Uint8Array }): TestSet {
  const { count, bytes, labels } = split;
  if (count < mapCount + 2 * anomalyCount) {
    throw new Error(`test images: expected at least ${mapCount + 2 * anomalyCount} digits, got ${count}`);
  }
  const images = imagesFromIdx({ shape: [count, 28, 28], data: bytes });
  const probeIndices = pickProbes(labels.subarray(0, mapCount), probeCount);
  const probes = new Float32Array(probeIndices.length * pixels);
  probeIndices.forEach((index, i) =>
    probes.set(images.subarray(index * pixels, (index + 1) * pixels), i * pixels),
  );
  return {
    count,
    images,
    bytes,
    labels,
    map: {
      images: images.subarray(0, mapCount * pixels),
      bytes: bytes.subarray(0, mapCount * pixels),
      labels: labels.subarray(0, mapCount),
    },
    evaluation: images.subarray(0, evaluationCount * pixels),
    probes: { images: probes, labels: Uint8Array.from(probeIndices, (index) => labels[index]) },
    memo: new Map(),
  };
}

/** `compute()` once per test set. */
export function memoized<T>(test: TestSet, name: string, compute: () => T): T {
  if (!test.memo.has(name)) test.memo.set(name, compute());
  return test.memo.get(name) as T;
}

/** Normal test digits (after the map's) and the test digits to corrupt into anomalies. */
export function anomalySets(test: TestSet): { normal: Float32Array; source: Float32Array } {
  return {
    normal: rows(test.images, mapCount, anomalyCount),
    source: rows(test.images, mapCount + anomalyCount, anomalyCount),
  };
}

/** Test digits after the map's: up to anomalyCount of the held-out digit, and as many others. */
export function heldOutSets(test: TestSet, digit: number): { normal: Float32Array; anomalous: Float32Array } {
  const normal: number[] = [];
  const anomalous: number[] = [];
  for (let i = mapCount; i < test.count; i++) {
    const list = test.labels[i] === digit ? anomalous : normal;
    if (list.length < anomalyCount) list.push(i);
  }
  return { normal: gather(test.images, normal), anomalous: gather(test.images, anomalous) };
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

/** The first pcaFitCount training digits (without `holdout`), as floats. */
export function pcaSample(train: TrainSet, holdout: number): Float32Array {
  const indices: number[] = [];
  for (let i = 0; i < train.count && indices.length < pcaFitCount; i++) {
    if (train.labels[i] !== holdout) indices.push(i);
  }
  const bytes = new Uint8Array(indices.length * pixels);
  indices.forEach((index, k) =>
    bytes.set(train.bytes.subarray(index * pixels, (index + 1) * pixels), k * pixels),
  );
  return imagesFromIdx({ shape: [indices.length, 28, 28], data: bytes });
}

/** The index of the k-th digit of each class in turn (0, 1, ..., 9, 0, 1, ...). */
export function pickProbes(labels: Uint8Array, count: number): number[] {
  const seen = new Array<number>(10).fill(0);
  const picked: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    const digit = slot % 10;
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

function rows(images: Float32Array, first: number, count: number): Float32Array {
  return images.subarray(first * pixels, (first + count) * pixels);
}

function gather(images: Float32Array, indices: number[]): Float32Array {
  const out = new Float32Array(indices.length * pixels);
  indices.forEach((index, k) => out.set(images.subarray(index * pixels, (index + 1) * pixels), k * pixels));
  return out;
}
