// Turns the four MNIST IDX files into what a training session needs: the
// training images, a fixed set of test digits to reconstruct and a larger
// set of test digits for the latent map, with their labels.
import { imagesFromIdx, type IdxArray, type LatentLab } from 'latentlab';
import type { MnistFiles } from './protocol';
import type { SessionData } from './training-session';

export interface MnistData extends SessionData {
  trainCount: number;
  testCount: number;
  probeLabels: Uint8Array;
  mapLabels: Uint8Array;
}

/** Digits 0-9, then 0-5 again: two rows of eight beside their reconstructions. */
export const probeCount = 16;
export const mapCount = 2000;
const pixels = 28 * 28;

export function prepareMnist(ll: LatentLab, files: MnistFiles): MnistData {
  const train = images(ll, files.trainImages, 'train-images');
  const test = images(ll, files.testImages, 'test-images');
  labels(ll, files.trainLabels, 'train-labels', train.count);
  const testLabels = labels(ll, files.testLabels, 'test-labels', test.count);

  const probeIndices = pickProbes(testLabels, probeCount);
  const probeImages = new Float32Array(probeIndices.length * pixels);
  probeIndices.forEach((index, i) => probeImages.set(rowsOf(test.values, index, 1), i * pixels));
  const shown = Math.min(mapCount, test.count);
  return {
    trainImages: train.values,
    probeImages,
    mapImages: rowsOf(test.values, 0, shown).slice(),
    trainCount: train.count,
    testCount: test.count,
    probeLabels: Uint8Array.from(probeIndices, (index) => testLabels[index]),
    mapLabels: testLabels.slice(0, shown),
  };
}

/** The index of the k-th test digit of each class in turn (0, 1, ..., 9, 0, 1, ...). */
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

function images(ll: LatentLab, bytes: Uint8Array, name: string) {
  const idx = parse(ll, bytes, name);
  if (idx.shape.length !== 3 || idx.shape[1] !== 28 || idx.shape[2] !== 28) {
    throw new Error(`${name}: expected n x 28 x 28 images, got shape [${idx.shape.join(', ')}]`);
  }
  return { values: imagesFromIdx(idx), count: idx.shape[0] };
}

function labels(ll: LatentLab, bytes: Uint8Array, name: string, count: number): Uint8Array {
  const idx = parse(ll, bytes, name);
  if (idx.shape.length !== 1 || idx.shape[0] !== count) {
    throw new Error(`${name}: expected ${count} labels, got shape [${idx.shape.join(', ')}]`);
  }
  if (idx.data.some((label) => label > 9)) throw new Error(`${name}: labels must be digits 0-9`);
  return idx.data;
}

function parse(ll: LatentLab, bytes: Uint8Array, name: string): IdxArray {
  try {
    return ll.parseIdx(bytes);
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function rowsOf(values: Float32Array, first: number, count: number): Float32Array {
  return values.subarray(first * pixels, (first + count) * pixels);
}
