// The worker's MNIST sets, on small IDX files built here.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, type LatentLab, type Mnist } from '../../dist/index.js';
import {
  activationCount,
  anomalyCount,
  anomalySourceBytes,
  digitsOf,
  disposeTestSet,
  evaluationCount,
  heldOutIndices,
  mapCount,
  minTestCount,
  pcaSample,
  pickProbes,
  testLayout,
  testSetOf,
  trainingBytes,
} from '../../web/src/worker/mnist-sets';
import { idxFile } from './idx-file';

/** n 28 x 28 images whose pixels all equal their index (mod 256), and labels `label(i)`. */
function files(n: number, label: (i: number) => number) {
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) pixels.fill(i % 256, i * 784, (i + 1) * 784);
  return {
    images: idxFile([n, 28, 28], pixels),
    labels: idxFile(
      [n],
      Uint8Array.from({ length: n }, (_, i) => label(i)),
    ),
  };
}

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

/** The files as the package's readers return them (parsed by the engine). */
function mnistOf(files: { images: Uint8Array; labels: Uint8Array }): Mnist {
  const images = ll.parseIdx(files.images);
  return { images, labels: ll.parseIdx(files.labels).data, count: images.shape[0] };
}

/** What the worker does with a split: the package's parsing, then its own checks. */
function parseSplit(
  _ll: LatentLab,
  files: { images: Uint8Array; labels: Uint8Array },
  name: 'test' | 'train',
) {
  return digitsOf(mnistOf(files), name);
}

describe('test set', () => {
  const n = mapCount + 2 * anomalyCount + 500;
  test('probes are digits 0-9 then 0-9 again from the map; the map and test-loss digits come first', () => {
    const heap = ll.heapBytes();
    const test = testSetOf(
      ll,
      parseSplit(
        ll,
        files(n, (i) => 9 - (i % 10)),
        'test',
      ),
    ); // labels 9, 8, ..., 0, 9, ...
    expect(test.count).toBe(n);
    expect(Array.from(test.probes.labels)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    // Digit 0 first appears at index 9, then 19; digit 1 at 8, then 18.
    expect(test.probes.images[0]).toBeCloseTo(9 / 255, 7);
    expect(test.probes.images[784]).toBeCloseTo(8 / 255, 7);
    expect(test.probes.images[10 * 784]).toBeCloseTo(19 / 255, 7);
    expect(test.map.labels.length).toBe(mapCount);
    expect(test.map.bytes.length).toBe(mapCount * 784);
    // In the engine, as bytes scaled to [0, 1]: digit i's pixels are all i % 256.
    expect(test.map.dataset.count).toBe(mapCount);
    expect(test.map.dataset.range).toEqual({ min: 0, max: 1 });
    expect(test.evaluation.count).toBe(evaluationCount);
    expect(test.activations.count).toBe(activationCount);
    expect(test.normal.count).toBe(anomalyCount);
    expect(test.normal.range).toEqual({ min: 0, max: 1 });
    // One byte a pixel.
    const pixels = (mapCount + evaluationCount + activationCount + anomalyCount) * 784;
    expect(ll.heapBytes() - heap).toBeGreaterThanOrEqual(pixels);
    expect(ll.heapBytes() - heap).toBeLessThan(pixels + 64 * 1024);
    expect(anomalySourceBytes(test)[0]).toBe((mapCount + anomalyCount) % 256);
    disposeTestSet(test);
    expect(ll.heapBytes()).toBe(heap);
  });

  test('held-out sets: the digit against the others, after the map', () => {
    const test = testSetOf(
      ll,
      parseSplit(
        ll,
        files(n, (i) => i % 10),
        'test',
      ),
    );
    const { normal, anomalous } = heldOutIndices(test, 7);
    expect(anomalous.length).toBe((n - mapCount) / 10);
    expect(normal.length).toBe(anomalyCount);
    expect(anomalous[0]).toBe(mapCount + 7);
    expect(anomalous.every((i) => i % 10 === 7)).toBe(true);
    expect(normal.every((i) => i >= mapCount && i % 10 !== 7)).toBe(true);
    disposeTestSet(test);
  });

  test('too few digits, mismatched or malformed files are named in the error', () => {
    expect(() =>
      testSetOf(
        ll,
        parseSplit(
          ll,
          files(minTestCount - 1, (i) => i % 10),
          'test',
        ),
      ),
    ).toThrow(`test images: expected at least ${minTestCount}, got ${minTestCount - 1}`);
    const good = files(10, (i) => i);
    expect(() => parseSplit(ll, { ...good, labels: files(10, () => 12).labels }, 'train')).toThrow(
      /^train labels: labels must be digits 0-9/,
    );
    expect(() =>
      parseSplit(ll, { ...good, images: idxFile([2, 4, 4], new Uint8Array(32)) }, 'train'),
    ).toThrow(/^train images: expected n x 28 x 28 images/);
  });
});

test('training bytes and the PCA sample leave the held-out digit out', () => {
  const train = parseSplit(
    ll,
    files(30, (i) => i % 10),
    'train',
  );
  expect(trainingBytes(train, -1)).toBe(train.bytes);
  const without3 = trainingBytes(train, 3);
  expect(without3.length).toBe(27 * 784);
  expect(Array.from({ length: 27 }, (_, k) => without3[k * 784])).not.toContain(3);
  const sample = pcaSample(train, 3);
  expect(sample.length).toBe(27 * 784);
  expect(sample[784 * 3]).toBe(4);
});

test('pickProbes takes the classes the labels hold in turn, and stops at the first that has run out', () => {
  const labels = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
  expect(pickProbes(labels, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(pickProbes(Uint8Array.from([1, 0, 0]), 4)).toEqual([1, 0, 2]);
  // Only 3s and 7s: both in turn.
  expect(pickProbes(Uint8Array.from([7, 7, 3, 7, 3]), 5)).toEqual([2, 0, 4, 1]);
  // Images without labels (all 0): the first ones.
  expect(pickProbes(new Uint8Array(30), 20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
});

test('a test split smaller than MNIST gives the map half, the normal and anomalous sets a quarter each', () => {
  expect(testLayout(10000)).toEqual({
    map: 2000,
    evaluation: 1000,
    activations: 500,
    normal: 1000,
    anomalies: 1000,
  });
  expect(testLayout(4000)).toEqual({
    map: 2000,
    evaluation: 1000,
    activations: 500,
    normal: 1000,
    anomalies: 1000,
  });
  expect(testLayout(201)).toEqual({ map: 100, evaluation: 100, activations: 100, normal: 50, anomalies: 51 });
  expect(testLayout(minTestCount)).toEqual({
    map: 50,
    evaluation: 50,
    activations: 50,
    normal: 25,
    anomalies: 25,
  });
  const test = testSetOf(
    ll,
    parseSplit(
      ll,
      files(201, (i) => i % 10),
      'test',
    ),
  );
  expect([test.map.dataset.count, test.evaluation.count, test.normal.count]).toEqual([100, 100, 50]);
  expect(anomalySourceBytes(test).length).toBe(51 * 784);
  expect(anomalySourceBytes(test)[0]).toBe(150);
  const { normal, anomalous } = heldOutIndices(test, 7);
  expect(anomalous).toEqual([107, 117, 127, 137, 147, 157, 167, 177, 187, 197]);
  expect(normal[0]).toBe(100);
  disposeTestSet(test);
});
