// Sizes from the caller are checked in 64 bits before anything is allocated:
// a model or a batch too large is a RangeError that says how large and what
// fits, and the engine, with every model in it, stays usable.
import { expect, it } from 'vitest';
import { init } from 'latentlab';

it('a model that fits, then one that does not, then the first trains on', async () => {
  const ll = await init();
  const images = new Float32Array(64 * 784).map((_, i) => ((i * 7919) % 256) / 255);
  const model = ll.createModel({ inputSize: 784, encoder: [64], latentSize: 8, seed: 1 });
  const before = model.evaluate(images).reconstruction;
  const heap = ll.heapBytes();
  expect(() => ll.createModel({ inputSize: 784, encoder: [60000, 60000], latentSize: 2 })).toThrow(
    /^the model would hold 7294560786 parameters \(29\.2 GB as float32\); a model can hold at most 67108864/,
  );
  // 2^32 weights, which 32-bit arithmetic would have wrapped to 0.
  expect(() => ll.createModel({ inputSize: 65536, encoder: [65536], latentSize: 2 })).toThrow(RangeError);
  expect(ll.heapBytes()).toBe(heap);

  // A batch whose activations would not fit: refused before the step, nothing lost.
  const wide = ll.createModel({ inputSize: 4, encoder: [65536], latentSize: 2 });
  expect(() => wide.trainSteps(new Float32Array(4 << 20), { steps: 1, batchSize: 1 << 20 })).toThrow(
    /^a batch of 1048576 samples would take \d+ values in this model's layers; at most 268435456 fit: choose a batchSize of at most \d+$/,
  );
  wide.dispose();

  const stats = model.trainEpoch(images, { batchSize: 16, learningRate: 1e-2 });
  expect(stats.epochFinished).toBe(true);
  expect(model.evaluate(images).reconstruction).toBeLessThan(before);
  model.dispose();
});
