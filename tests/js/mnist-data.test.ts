// The demo worker's MNIST preparation, on small IDX files built here.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, type LatentLab } from '../../dist/index.js';
import { pickProbes, prepareMnist } from '../../web/src/mnist-data';

/** An IDX file of unsigned bytes with the given dimensions. */
function idx(shape: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, shape.length);
  shape.forEach((size, i) => header.setUint32(4 + 4 * i, size));
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer));
  out.set(data, header.byteLength);
  return out;
}

/** n 28 x 28 images whose pixels all equal their index (mod 256), and labels `label(i)`. */
function set(n: number, label: (i: number) => number) {
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) pixels.fill(i % 256, i * 784, (i + 1) * 784);
  return { images: idx([n, 28, 28], pixels), labels: idx([n], Uint8Array.from({ length: n }, (_, i) => label(i))) };
}

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

describe('prepareMnist', () => {
  test('probes are digits 0-9 then 0-5; the map is the first test digits', () => {
    const train = set(30, (i) => i % 10);
    const test = set(40, (i) => 9 - (i % 10)); // labels 9, 8, ..., 0, 9, ...
    const data = prepareMnist(ll, {
      trainImages: train.images,
      trainLabels: train.labels,
      testImages: test.images,
      testLabels: test.labels,
    });
    expect(data.trainCount).toBe(30);
    expect(data.testCount).toBe(40);
    expect(data.trainImages.length).toBe(30 * 784);
    expect(data.trainImages[784 * 3]).toBeCloseTo(3 / 255, 7);
    expect(Array.from(data.probeLabels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5]);
    // Digit 0 first appears at index 9, then 19; digit 1 at 8, then 18.
    expect(data.probeImages.length).toBe(16 * 784);
    expect(data.probeImages[0]).toBeCloseTo(9 / 255, 7);
    expect(data.probeImages[784]).toBeCloseTo(8 / 255, 7);
    expect(data.probeImages[10 * 784]).toBeCloseTo(19 / 255, 7);
    expect(data.mapImages.length).toBe(40 * 784);
    expect(Array.from(data.mapLabels.slice(0, 3))).toEqual([9, 8, 7]);
  });

  test('mismatched or malformed files are named in the error', () => {
    const train = set(10, (i) => i);
    const test = set(10, (i) => i);
    const files = { trainImages: train.images, trainLabels: train.labels, testImages: test.images, testLabels: test.labels };
    expect(() => prepareMnist(ll, { ...files, testLabels: set(9, (i) => i).labels })).toThrow(
      /^test-labels: expected 10 labels/,
    );
    expect(() => prepareMnist(ll, { ...files, trainLabels: set(10, () => 12).labels })).toThrow(
      /^train-labels: labels must be digits 0-9/,
    );
    expect(() => prepareMnist(ll, { ...files, trainImages: idx([2, 4, 4], new Uint8Array(32)) })).toThrow(
      /^train-images: expected n x 28 x 28 images/,
    );
    expect(() => prepareMnist(ll, { ...files, testImages: train.images.subarray(0, 100) })).toThrow(/^test-images: /);
  });
});

test('pickProbes stops at the first digit that has run out', () => {
  const labels = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
  expect(pickProbes(labels, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(pickProbes(Uint8Array.from([1, 0, 0]), 4)).toEqual([1, 0]);
});
