// The reference model (784-256-64-32, mirrored) trains on the 60,000
// MNIST training digits held as bytes within 64 MiB of engine heap: the
// digits take one byte a pixel in the engine (47 MB; as floats they took
// 188 MB), and a training step allocates nothing that grows with the data.
import { expect, it } from 'vitest';
import { init, pixelScale, type ModelConfig } from 'latentlab';
import { readMnist } from 'latentlab/node';

const MiB = 1024 * 1024;
const batches = 300;

it(`trains the reference model on 60,000 digits as bytes for ${batches} batches within 64 MiB of heap`, async () => {
  const ll = await init();
  const train = await readMnist(ll, 'train');
  expect(train.count).toBe(60_000);
  const config: ModelConfig = {
    inputSize: 784,
    encoder: [256, 64],
    latentSize: 32,
    activation: 'relu',
    outputActivation: 'sigmoid',
    loss: 'mse',
  };
  // One step of the same model first: the matrix product keeps its packing
  // space (~1 MB for these sizes) for reuse, so it is not part of what is freed.
  const warmUp = ll.createModel(config);
  warmUp.trainSteps(new Float32Array(128 * 784), { steps: 1, batchSize: 128 });
  warmUp.dispose();
  const start = ll.heapBytes();
  const dataset = ll.createDataset(train.images.data, 784, { scale: pixelScale });
  const held = ll.heapBytes() - start;
  expect(Math.abs(held - 60_000 * 784)).toBeLessThan(64 * 1024);

  const model = ll.createModel(config);
  let peak = ll.heapBytes();
  const losses: number[] = [];
  const stats = model.trainSteps(dataset, {
    steps: batches,
    batchSize: 128,
    learningRate: 1e-3,
    optimizer: 'adam',
    onProgress: ({ loss }) => {
      peak = Math.max(peak, ll.heapBytes());
      losses.push(loss);
    },
  });
  console.log(
    `heap: ${(held / MiB).toFixed(1)} MiB for the digits, peak ${(peak / MiB).toFixed(1)} MiB while training ` +
      `(${stats.samplesPerSecond.toFixed(0)} samples/s)`,
  );
  expect(stats.batches).toBe(batches);
  expect(losses.length).toBe(batches);
  expect(peak).toBeLessThanOrEqual(64 * MiB);
  // It did learn: the last batches' loss is well below the first's.
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  expect(mean(losses.slice(-20))).toBeLessThan(0.5 * mean(losses.slice(0, 5)));
  model.dispose();
  dataset.dispose();
  expect(ll.heapBytes()).toBe(start);
});
