// One epoch of real MNIST must teach the 784-256-32 autoencoder to
// reconstruct unseen digits (PyTorch reaches a test MSE of 0.0187).
import { expect, it } from 'vitest';
import { init } from 'latentlab';
import { loadMnist } from './mnist.js';

it('reaches test MSE <= 0.021 after one epoch of MNIST', async () => {
  const ll = await init();
  const train = loadMnist(ll, 'train');
  const test = loadMnist(ll, 't10k');
  expect(train.count).toBe(60_000);
  expect(test.count).toBe(10_000);
  const model = ll.createModel({
    inputSize: 784,
    encoder: [256],
    latentSize: 32,
    activation: 'relu',
    outputActivation: 'sigmoid',
    loss: 'mse',
    seed: 0,
  });
  const stats = model.trainEpoch(train.images, { batchSize: 128, learningRate: 1e-3, optimizer: 'adam' });
  expect(stats.samples).toBe(60_000);
  const { loss } = model.evaluate(test.images);
  console.log(`test MSE after 1 epoch: ${loss.toFixed(5)} (${stats.samplesPerSecond.toFixed(0)} samples/s)`);
  expect(loss).toBeLessThanOrEqual(0.021);
  model.dispose();
});
