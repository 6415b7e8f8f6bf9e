// Sizes from the caller are checked in 64 bits before anything is allocated:
// a model or a batch too large is a RangeError that says how large and what
// fits, and the engine, with every model in it, stays usable.
import { expect, it } from 'vitest';
import { init, type Model } from 'latentlab';

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

// A real out-of-memory, within every limit: a model may hold 2^26 parameters,
// but a few large models together exhaust the heap's 2 GiB. The call that
// runs out throws and frees what it had taken; nothing else changes.
it('an out-of-memory leaves the engine usable and every other model intact', async () => {
  const ll = await init();
  const images = new Float32Array(64 * 784).map((_, i) => ((i * 7919) % 256) / 255);
  const small = ll.createModel({ inputSize: 784, encoder: [64], latentSize: 8, seed: 1 });
  small.trainEpoch(images, { batchSize: 16, learningRate: 1e-2 });
  const smallParameters = small.parameters();
  const smallOutputs = small.reconstruct(images);
  const smallLoss = small.evaluate(images).reconstruction;

  // 62,960,786 parameters each, under the limit: 504 MB of weights and gradients.
  const largeConfig = { inputSize: 784, encoder: [40000], latentSize: 2, seed: 2 };
  const one = images.subarray(0, 784);
  const large: Model[] = [];
  let largeOutputs: Float32Array | undefined;
  let failure: unknown;
  let heapBeforeFailure = 0;
  while (failure === undefined && large.length < 8) {
    heapBeforeFailure = ll.heapBytes();
    try {
      large.push(ll.createModel(largeConfig));
      largeOutputs ??= large[0].reconstruct(one);
    } catch (error) {
      failure = error;
    }
  }
  const outOfMemory = 'out of memory: the WebAssembly heap cannot grow enough for this call';
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toBe(outOfMemory);
  // Three fit beside the packing space of the first one's reconstruction (the matrix product keeps
  // 126 MB for its 40000 x 784 weights): the failure is the heap's, not one model's.
  expect(large.length).toBeGreaterThanOrEqual(3);
  console.log(
    `out of memory at large model ${large.length + 1}, ${(heapBeforeFailure / 2 ** 20).toFixed(0)} MiB in use`,
  );
  // The failed call gave back all it had allocated (the weights, when the gradients did not fit).
  expect(ll.heapBytes()).toBe(heapBeforeFailure);
  // Training a large model needs Adam's two moments, 504 MB more: out of memory too.
  expect(() => large[0].trainSteps(images, { steps: 1, batchSize: 16 })).toThrow(outOfMemory);

  // The small model: the same weights and outputs, and it trains on.
  expect(small.parameters()).toEqual(smallParameters);
  expect(small.reconstruct(images)).toEqual(smallOutputs);
  const stats = small.trainEpoch(images, { batchSize: 16, learningRate: 1e-2 });
  expect(stats.epochFinished).toBe(true);
  expect(small.evaluate(images).reconstruction).toBeLessThan(smallLoss);

  // With the others gone, the large model that could not train is as it was and trains.
  for (const model of large.slice(1)) model.dispose();
  expect(large[0].reconstruct(one)).toEqual(largeOutputs);
  expect(Number.isFinite(large[0].trainSteps(images, { steps: 1, batchSize: 1 }).loss)).toBe(true);
  large[0].dispose();
  // And a new model of moderate size (15.7 million parameters) fits again, and gives all its memory back.
  const heap = ll.heapBytes();
  const again = ll.createModel({ ...largeConfig, encoder: [10000] });
  expect(again.trainSteps(images, { steps: 1, batchSize: 1 }).epoch).toBe(1);
  again.dispose();
  expect(ll.heapBytes()).toBe(heap);
  small.dispose();
});
