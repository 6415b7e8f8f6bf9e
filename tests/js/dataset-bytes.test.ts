// Datasets from bytes: pixels scaled inside the engine train exactly as the
// same values given as floats, hold 4 bytes per value in the engine and none
// in JS, and bad arguments are rejected naming what is wrong.
import { beforeAll, expect, it } from 'vitest';
import { imagesFromIdx, init, type LatentLab } from 'latentlab';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

function pixels(n: number, width: number): Uint8Array {
  return Uint8Array.from({ length: n * width }, (_, i) => (i * 7919) % 256);
}

it('bytes with scale 1/255 train exactly as imagesFromIdx floats', () => {
  const bytes = pixels(96, 49);
  const floats = imagesFromIdx({ shape: [96, 7, 7], data: bytes });
  const config = { inputSize: 49, encoder: [16], latentSize: 4, loss: 'bce' as const, seed: 3 };
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

it('holds 4 bytes per value in the engine', () => {
  const bytes = pixels(2000, 784);
  const before = ll.heapBytes();
  const dataset = ll.createDataset(bytes, 784, { scale: 1 / 255 });
  const held = ll.heapBytes() - before;
  expect(Math.abs(held - 4 * bytes.length)).toBeLessThan(64 * 1024);
  dataset.dispose();
  expect(ll.heapBytes()).toBe(before);
});

it('checks the range for bce with the scale applied', () => {
  const model = ll.createModel({ inputSize: 4, latentSize: 2, loss: 'bce' });
  const raw = ll.createDataset(new Uint8Array([0, 10, 200, 255]), 4);
  expect(raw.range).toEqual({ min: 0, max: 255 });
  expect(() => model.trainEpoch(raw)).toThrow(/\[0, 1\] for loss 'bce', got values in \[0, 255\]/);
  for (const handle of [model, raw]) handle.dispose();
});

it('rejects bad byte data and options', () => {
  const bytes = pixels(2, 10);
  const calls: [() => unknown, RegExp][] = [
    [() => ll.createDataset(bytes, 3), /values must hold a positive multiple of 3 bytes/],
    [() => ll.createDataset(new Uint8Array(0), 10), /positive multiple of 10 bytes/],
    [() => ll.createDataset(bytes, 10, { scale: 0 }), /scale must be a finite number > 0, got 0/],
    [() => ll.createDataset(bytes, 10, { scale: NaN }), /scale must be a finite number > 0/],
    [
      () => ll.createDataset(new Float32Array(20) as unknown as Uint8Array, 10, { scale: 2 }),
      /scale applies to Uint8Array data only/,
    ],
    [() => ll.createDataset(bytes, 10, { offset: 1 } as object), /unknown option 'offset'/],
    [
      () => ll.createDataset(new Uint16Array(20) as unknown as Uint8Array, 10),
      /values must be a Float32Array, got Uint16Array/,
    ],
  ];
  const before = ll.heapBytes();
  for (const [call, message] of calls) expect(call).toThrow(message);
  expect(ll.heapBytes()).toBe(before);
});
