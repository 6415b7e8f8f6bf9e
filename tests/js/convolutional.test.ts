// Convolutional autoencoders through the API: the reference model of issue
// 10 (PyTorch's six modules, 111,521 parameters) with its mirrored decoder
// written out, training on real digits, every use with image layers, and
// errors that name the layer.
import { expect, it } from 'vitest';
import { init, type ModelConfig } from 'latentlab';
import { readMnist } from 'latentlab/node';

const reference: ModelConfig = {
  inputShape: [1, 28, 28],
  encoder: [
    { conv: 16, kernel: 3, stride: 2, padding: 1 },
    { conv: 32, kernel: 3, stride: 2, padding: 1 },
  ],
  latentSize: 32,
  seed: 0,
};

it('builds the reference model and writes its mirrored decoder', async () => {
  const ll = await init();
  const model = ll.createModel(reference);
  expect(model.parameterCount).toBe(111521);
  expect(model.inputSize).toBe(784);
  expect(model.config.inputShape).toEqual([1, 28, 28]);
  expect(model.config.decoder).toEqual([
    1568,
    { reshape: [32, 7, 7] },
    { deconv: 16, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
    { deconv: 1, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
  ]);
  expect(model.weights().map((w) => [w.name, w.shape])).toEqual([
    ['layers.0.weight', [16, 1, 3, 3]],
    ['layers.0.bias', [16]],
    ['layers.1.weight', [32, 16, 3, 3]],
    ['layers.1.bias', [32]],
    ['layers.2.weight', [32, 1568]],
    ['layers.2.bias', [32]],
    ['layers.3.weight', [1568, 32]],
    ['layers.3.bias', [1568]],
    ['layers.4.weight', [32, 16, 3, 3]],
    ['layers.4.bias', [16]],
    ['layers.5.weight', [16, 1, 3, 3]],
    ['layers.5.bias', [1]],
  ]);
  // The file keeps the architecture: loaded, it is the same model.
  const loaded = ll.loadModel(model.save());
  expect(loaded.config).toEqual(model.config);
  expect(loaded.parameters()).toEqual(model.parameters());
  loaded.dispose();
  model.dispose();
});

it('learns digits, and every use works with image layers', async () => {
  const ll = await init();
  const train = await readMnist(ll, 'train', { limit: 4096 });
  const test = await readMnist(ll, 'test', { limit: 256 });
  const data = ll.createDataset(train.images.data, 784, { scale: 1 / 255 });
  const images = new Float32Array(test.images.data.length).map((_, i) => test.images.data[i] / 255);
  const model = ll.createModel(reference);
  const before = model.evaluate(images);
  expect(before.meanJacobianNorm).toBeGreaterThan(0); // of the first convolution's block
  for (let epoch = 0; epoch < 3; epoch++) model.trainEpoch(data, { batchSize: 64, learningRate: 3e-3 });
  const after = model.evaluate(images);
  // From ~0.23 (sigmoid(0) outputs) to well under the mean image's 0.067.
  expect(after.reconstruction).toBeLessThan(0.06);
  expect(after.reconstruction).toBeLessThan(before.reconstruction / 3);

  const first = images.subarray(0, 2 * 784);
  expect(model.reconstruct(first).length).toBe(2 * 784);
  expect(model.encode(first).length).toBe(2 * 32);
  expect(model.hiddenActivations(first, 0).length).toBe(2 * 16 * 14 * 14); // feature maps
  expect(model.hiddenActivations(first, 1).length).toBe(2 * 32 * 7 * 7);
  expect(model.hiddenActivations(first, 2).length).toBe(2 * 32); // the code
  expect(model.interpolate(first.subarray(0, 784), first.subarray(784), 5).length).toBe(5 * 784);
  const scores = model.anomalyScores(first);
  expect(scores.length).toBe(2);
  expect(scores.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
  model.dispose();
  data.dispose();

  const vae = ll.createModel({ ...reference, latentSize: 8, loss: 'bce', variational: {} });
  const samples = vae.sample(3, { seed: 1 });
  expect(samples.length).toBe(3 * 784);
  expect(samples.every((v) => v >= 0 && v <= 1)).toBe(true);
  expect(vae.evaluate(images.subarray(0, 64 * 784)).negativeElbo).toBeGreaterThan(0);
  vae.dispose();
});

it('refuses image layers that do not fit, naming the layer', async () => {
  const ll = await init();
  expect(() => ll.createModel({ inputSize: 784, encoder: [{ conv: 8, kernel: 3 }], latentSize: 2 })).toThrow(
    new RangeError(
      'encoder[0]: conv 8, kernel 3, stride 1, padding 0 needs an image [C, H, W] as its input, got 784 values: give inputShape',
    ),
  );
  expect(() =>
    ll.createModel({ inputShape: [1, 28, 28], encoder: [{ conv: 8, kernel: 3, stride: 0 }], latentSize: 2 }),
  ).toThrow(new RangeError('encoder[0].stride must be an integer in [1, 64], got 0'));
  expect(() =>
    ll.createModel({
      inputShape: [1, 28, 28],
      // @ts-expect-error: not a kind of layer
      encoder: [{ convolution: 8, kernel: 3 }],
      latentSize: 2,
    }),
  ).toThrow(TypeError);
  expect(() =>
    ll.createModel({
      inputShape: [1, 28, 28],
      encoder: [{ conv: 4, kernel: 2 }, { pool: 2 }],
      latentSize: 2,
    }),
  ).toThrow(
    new RangeError(
      'the decoder cannot mirror encoder[1] (pool 2): pooling dropped the last rows or columns of [4, 27, 27]; give a decoder',
    ),
  );
  expect(() => ll.createModel({ inputShape: [1, 28, 28], inputSize: 700, latentSize: 2 })).toThrow(
    new RangeError('inputSize 700 does not match inputShape [1, 28, 28] (784 values)'),
  );
});

it('the contractive penalty of a first convolution shrinks its Jacobian on real digits', async () => {
  const ll = await init();
  const train = await readMnist(ll, 'train', { limit: 2048 });
  const test = await readMnist(ll, 'test', { limit: 256 });
  const data = ll.createDataset(train.images.data, 784, { scale: 1 / 255 });
  const images = Float32Array.from(test.images.data, (v) => v / 255);
  const trained = (weight: number) => {
    const model = ll.createModel({ ...reference, contractive: { weight } });
    for (let epoch = 0; epoch < 3; epoch++) model.trainEpoch(data, { batchSize: 64, learningRate: 3e-3 });
    const evaluation = model.evaluate(images);
    model.dispose();
    return evaluation;
  };
  const plain = trained(0);
  const contractive = trained(1e-3);
  // Measured: mean ||dh/dx||_F 21.5 without the penalty, 3.9 with it, at
  // test MSE 0.057 and 0.062.
  expect(contractive.meanJacobianNorm!).toBeLessThan(plain.meanJacobianNorm! / 3);
  expect(contractive.contractive).toBeGreaterThan(0);
  expect(contractive.reconstruction).toBeLessThan(0.07);
});
