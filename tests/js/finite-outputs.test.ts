// Non-finite numbers never pass silently: a model file whose finite weights
// are scaled by 1e30 loads (every weight is finite), but every output it
// would give overflows float, and each output entry point throws an Error
// saying so instead of returning NaN or Infinity; huge finite inputs to a
// sound model do the same; the models stay as they were and usable.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type Model, type ModelConfig } from 'latentlab';
import { scaleWeights } from './model-file-bytes';

const config: ModelConfig = { inputSize: 16, encoder: [12], latentSize: 3, seed: 2 };

function images(n: number, width = 16): Float32Array {
  return new Float32Array(n * width).map((_, i) => ((i * 7919) % 1000) / 1000);
}

const overflow =
  /are not finite \(value \d+ of \d+ is (NaN|-?Infinity)\): the model's weights are finite but its computation overflows float on these inputs$/;

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

describe('a model whose weights overflow float', () => {
  const outputs: [string, (model: Model) => unknown, RegExp][] = [
    ['encode', (m) => m.encode(images(4)), /^the codes/],
    ['decode', (m) => m.decode(new Float32Array(6).fill(1)), /^the outputs/],
    ['reconstruct', (m) => m.reconstruct(images(4)), /^the codes/],
    ['denoise', (m) => m.denoise(images(2)), /^the codes/],
    ['interpolate', (m) => m.interpolate(images(1), images(1).reverse(), 4), /^the codes/],
    ['evaluate', (m) => m.evaluate(images(4)), /^the outputs/],
    ['anomalyScores', (m) => m.anomalyScores(images(4)), /^the outputs/],
    ['hiddenActivations', (m) => m.hiddenActivations(images(4), 1), /^the activations of encoder layer 1/],
    [
      'activationStatistics',
      (m) => m.activationStatistics(images(4), 1),
      /^the activations of encoder layer 1/,
    ],
  ];

  it.each(outputs)('%s throws an Error that says so, and the model is kept', (_, call, what) => {
    const sound = ll.createModel(config);
    const model = ll.loadModel(scaleWeights(sound.save(), 1e30));
    const before = model.parameters();
    expect(before.every(Number.isFinite)).toBe(true);
    expect(() => call(model)).toThrow(what);
    expect(() => call(model)).toThrow(overflow);
    expect(model.parameters()).toEqual(before);
    // The model is still a model: its sound twin's outputs, scaled back, are its own.
    const restored = ll.loadModel(scaleWeights(model.save(), 1e-30));
    expect(restored.reconstruct(images(2)).every(Number.isFinite)).toBe(true);
    for (const m of [sound, model, restored]) m.dispose();
  });

  it('sample throws for a variational model, and training reports divergence, keeping the weights', () => {
    const sound = ll.createModel({ ...config, variational: { beta: 1 } });
    const model = ll.loadModel(scaleWeights(sound.save(), 1e30));
    expect(() => model.sample(4, { seed: 1 })).toThrow(/^the outputs.*are not finite/);
    const before = model.parameters();
    expect(() => model.trainSteps(images(8), { steps: 1, batchSize: 8 })).toThrow(
      /^training diverged at step 1: the loss or a gradient is not finite; the parameters are kept/,
    );
    expect(model.parameters()).toEqual(before);
    sound.dispose();
    model.dispose();
  });
});

describe('huge finite inputs to a sound model', () => {
  it('throw from the model and from PCA, and both work on afterwards', () => {
    // 784 inputs of 3e38: a first layer's sums of them pass float's 3.4e38.
    const model = ll.createModel({ inputSize: 784, encoder: [32], latentSize: 8, seed: 1 });
    expect(() => model.reconstruct(new Float32Array(784).fill(3e38))).toThrow(overflow);
    expect(() => model.decode(new Float32Array(8).fill(3e38))).toThrow(overflow);
    expect(model.reconstruct(images(2, 784)).every(Number.isFinite)).toBe(true);
    model.dispose();

    const pca = ll.createPCA({ inputSize: 16, components: 2 });
    const data = images(40);
    const spread = data.map((v, i) => (i % 16 === 0 ? v * 1e30 : v));
    expect(() => pca.fit(spread)).toThrow(
      /^the data's covariance values are not finite \(value \d+ of 256 is Infinity\): the data's values \(from 0 to 9\.67\d*e\+29\) overflow float when multiplied$/,
    );
    pca.fit(data);
    // +-3e38 along the signs of the first component: its code is 3e38 times
    // the component's L1 norm, above 1 off the axes.
    const first = pca.componentVectors().subarray(0, 16);
    expect(first.reduce((sum, v) => sum + Math.abs(v), 0)).toBeGreaterThan(1.2);
    const along = first.map((v) => (v < 0 ? -3e38 : 3e38));
    expect(() => pca.reconstruct(along)).toThrow(
      /^the codes are not finite .*: the values overflow float in the PCA's projection$/,
    );
    expect(() => pca.evaluate(along)).toThrow(/^the codes are not finite/);
    expect(pca.reconstruct(data).every(Number.isFinite)).toBe(true);
    pca.dispose();
  });
});
