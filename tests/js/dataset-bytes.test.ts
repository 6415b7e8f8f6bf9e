// Datasets from bytes: pixels held as bytes in the engine (one byte a value,
// nothing in JS) give exactly what the same values given as floats give, in
// training and in every call that reads a whole data set; such calls take a
// Dataset or a Float32Array alike; bad arguments are rejected naming what is
// wrong.
import { beforeAll, expect, it } from 'vitest';
import { imagesFromIdx, init, pixelScale, type LatentLab, type ModelConfig } from 'latentlab';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

/** n x width bytes covering every value 0-255 (7919 is odd: i * 7919 runs through every residue mod 256). */
function pixels(n: number, width: number): Uint8Array {
  return Uint8Array.from({ length: n * width }, (_, i) => (i * 7919) % 256);
}

const config: ModelConfig = { inputSize: 49, encoder: [16], latentSize: 4, loss: 'bce', seed: 3 };

it('bytes with scale 1/255 train exactly as imagesFromIdx floats', () => {
  const bytes = pixels(96, 49);
  expect(new Set(bytes).size).toBe(256);
  const floats = imagesFromIdx({ shape: [96, 7, 7], data: bytes });
  expect(pixelScale).toBe(1 / 255);
  const fromFloats = ll.createDataset(floats, 49);
  const fromBytes = ll.createDataset(bytes, 49, { scale: 1 / 255 });
  expect(fromBytes.count).toBe(96);
  expect(fromBytes.range).toEqual(fromFloats.range);
  expect(fromBytes.range).toEqual({ min: 0, max: 1 });
  const a = ll.createModel(config);
  const b = ll.createModel(config);
  a.trainEpoch(fromFloats, { batchSize: 16 });
  b.trainEpoch(fromBytes, { batchSize: 16 });
  expect(b.parameters()).toEqual(a.parameters());
  for (const handle of [a, b, fromFloats, fromBytes]) handle.dispose();
});

it('bytes and the floats they stand for are the same data: an epoch begun on one continues on the other', () => {
  const bytes = pixels(96, 49);
  const floats = imagesFromIdx({ shape: [96, 7, 7], data: bytes });
  const fromBytes = ll.createDataset(bytes, 49, { scale: pixelScale });
  const mixed = ll.createModel(config);
  const plain = ll.createModel(config);
  const first = mixed.trainSteps(fromBytes, { batchSize: 16, steps: 2 });
  const rest = mixed.trainSteps(floats, { batchSize: 16, steps: 100 });
  expect(first.epochFinished).toBe(false);
  expect(rest).toMatchObject({ epoch: 1, batches: 4, epochFinished: true });
  plain.trainEpoch(floats, { batchSize: 16 });
  expect(mixed.parameters()).toEqual(plain.parameters());
  for (const handle of [mixed, plain, fromBytes]) handle.dispose();
});

it('holds 1 byte per value in the engine', () => {
  const bytes = pixels(2000, 784);
  const before = ll.heapBytes();
  const dataset = ll.createDataset(bytes, 784, { scale: 1 / 255 });
  const held = ll.heapBytes() - before;
  expect(Math.abs(held - bytes.length)).toBeLessThan(64 * 1024);
  dataset.dispose();
  expect(ll.heapBytes()).toBe(before);
});

it('every call that reads a whole data set gives, from bytes, exactly what the floats give', () => {
  const bytes = pixels(2500, 49); // chunks of 1000, 1000 and 500 in the engine
  const floats = imagesFromIdx({ shape: [2500, 7, 7], data: bytes });
  const fromBytes = ll.createDataset(bytes, 49, { scale: pixelScale });
  const fromFloats = ll.createDataset(floats, 49);
  const model = ll.createModel({ ...config, encoder: [16, 8], variational: { beta: 1 } });
  model.trainSteps(fromBytes, { steps: 20, batchSize: 32 });
  for (const data of [fromFloats, floats]) {
    expect(model.evaluate(fromBytes)).toEqual(model.evaluate(data));
    expect(model.encode(fromBytes)).toEqual(model.encode(data));
    expect(model.anomalyScores(fromBytes)).toEqual(model.anomalyScores(data));
    expect(model.hiddenActivations(fromBytes, 1)).toEqual(model.hiddenActivations(data, 1));
    expect(model.activationStatistics(fromBytes, 0)).toEqual(model.activationStatistics(data, 0));
  }
  expect(model.encode(fromBytes).length).toBe(2500 * 4);
  expect(model.anomalyScores(fromBytes).length).toBe(2500);

  const pca = ll.createPCA({ inputSize: 49, components: 5 });
  const other = ll.createPCA({ inputSize: 49, components: 5 });
  pca.fit(fromBytes);
  other.fit(floats);
  expect(pca.componentVectors()).toEqual(other.componentVectors());
  expect(pca.encode(fromBytes)).toEqual(other.encode(floats));
  expect(pca.anomalyScores(fromBytes)).toEqual(other.anomalyScores(floats));
  // The mean squared reconstruction error, computed in the engine as the mean of the scores.
  const loss = pca.evaluate(fromBytes).loss;
  expect(loss).toBe(other.evaluate(floats).loss);
  expect(loss).toBeCloseTo(ll.meanSquaredError(pca.reconstruct(floats), floats), 6);
  expect(loss).toBeGreaterThan(0);
  for (const handle of [model, pca, other, fromBytes, fromFloats]) handle.dispose();
});

it('checks the range for bce with the scale applied', () => {
  const model = ll.createModel({ inputSize: 4, latentSize: 2, loss: 'bce' });
  const raw = ll.createDataset(new Uint8Array([0, 10, 200, 255]), 4);
  expect(raw.range).toEqual({ min: 0, max: 255 });
  expect(() => model.trainEpoch(raw)).toThrow(/\[0, 1\] for loss 'bce', got values in \[0, 255\]/);
  expect(() => model.evaluate(raw)).toThrow(/\[0, 1\] for loss 'bce', got values in \[0, 255\]/);
  expect(() => model.anomalyScores(raw)).toThrow(/\[0, 1\] for loss 'bce', got values in \[0, 255\]/);
  const scaled = ll.createDataset(new Uint8Array([0, 10, 200, 255]), 4, { scale: 0.5 });
  expect(scaled.range).toEqual({ min: 0, max: 127.5 });
  for (const handle of [model, raw, scaled]) handle.dispose();
});

it('rejects bad byte data and options', () => {
  const bytes = pixels(2, 10);
  const calls: [() => unknown, ErrorConstructor, RegExp][] = [
    [() => ll.createDataset(bytes, 3), RangeError, /values must hold a positive multiple of 3 bytes/],
    [() => ll.createDataset(new Uint8Array(0), 10), RangeError, /positive multiple of 10 bytes/],
    [
      () => ll.createDataset(bytes, 10, { scale: 0 }),
      RangeError,
      /scale must be a finite number > 0, got 0$/,
    ],
    [
      () => ll.createDataset(bytes, 10, { scale: NaN }),
      RangeError,
      /scale must be a finite number > 0, got NaN/,
    ],
    [
      () => ll.createDataset(bytes, 10, { scale: -1 }),
      RangeError,
      /scale must be a finite number > 0, got -1/,
    ],
    [
      () => ll.createDataset(bytes, 10, { scale: '2' as unknown as number }),
      TypeError,
      /scale must be a number, got string/,
    ],
    [
      () => ll.createDataset(new Float32Array(20) as unknown as Uint8Array, 10, { scale: 2 }),
      TypeError,
      /scale applies to Uint8Array data only/,
    ],
    [() => ll.createDataset(bytes, 10, { offset: 1 } as object), TypeError, /unknown option 'offset'/],
    [
      () => ll.createDataset(new Uint16Array(20) as unknown as Uint8Array, 10),
      TypeError,
      /values must be a Float32Array, got Uint16Array/,
    ],
  ];
  const before = ll.heapBytes();
  for (const [call, type, message] of calls) {
    expect(call).toThrow(message);
    expect(call).toThrow(type);
  }
  expect(ll.heapBytes()).toBe(before);
});

it('calls that take a Dataset reject one of the wrong width, a disposed one and other arrays, leaking nothing', () => {
  const model = ll.createModel({ inputSize: 10, latentSize: 2 });
  const pca = ll.createPCA({ inputSize: 10, components: 2 });
  const narrow = ll.createDataset(pixels(4, 5), 5, { scale: pixelScale });
  const width = /the data has 5 features per sample, the model expects 10/;
  const before = ll.heapBytes();
  for (const call of [
    () => model.encode(narrow),
    () => model.evaluate(narrow),
    () => model.anomalyScores(narrow),
    () => model.hiddenActivations(narrow, 0),
    () => model.activationStatistics(narrow, 0),
  ]) {
    expect(call).toThrow(width);
    expect(call).toThrow(RangeError);
  }
  expect(() => pca.fit(narrow)).toThrow(/the data has 5 features per sample, the PCA expects 10/);
  expect(pca.disposed).toBe(false);
  expect(() => pca.encode(narrow)).toThrow(/has not been fitted/); // a rejected fit leaves it unfitted
  expect(() => model.encode(pixels(2, 10) as unknown as Float32Array)).toThrow(
    new TypeError('images must be a Float32Array or a Dataset, got Uint8Array'),
  );
  expect(() => model.trainEpoch(pixels(2, 10) as unknown as Float32Array)).toThrow(
    new TypeError('data must be a Float32Array or a Dataset, got Uint8Array'),
  );
  expect(() => model.evaluate(new Float32Array(15))).toThrow(/images must hold a positive multiple of 10/);
  const images = new Float32Array(20).fill(0.5);
  images[13] = NaN;
  expect(() => model.encode(images)).toThrow(/images\[13\] is NaN/);
  expect(() => model.evaluate(images)).toThrow(RangeError);
  // The engine's own checks (width, NaN) leave nothing behind in its heap.
  expect(ll.heapBytes()).toBe(before);
  narrow.dispose();
  expect(() => model.encode(narrow)).toThrow(/this Dataset has been disposed/);
  model.dispose();
  pca.dispose();
});
