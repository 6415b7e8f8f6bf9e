// The public API in Node, against the built wasm engine: shapes, training,
// errors that name the argument, rejected calls that change nothing, and
// results that outlive heap growth.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type Model, type ModelConfig } from 'latentlab';

const config: ModelConfig = {
  inputSize: 784,
  encoder: [256],
  latentSize: 32,
  activation: 'relu',
  outputActivation: 'sigmoid',
  loss: 'mse',
  seed: 0,
};

/** n deterministic pseudo-images with values in [0, 1]. */
function syntheticImages(n: number, width = 784): Float32Array {
  const values = new Float32Array(n * width);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
  return values;
}

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

describe('init', () => {
  it('loads the engine once', async () => {
    expect(await init()).toBe(ll);
  });

  it("runs Eigen's SIMD code path", () => {
    expect(ll.simd).toContain('SSE4.2');
  });
});

describe('Model', () => {
  it('fills the defaults and mirrors the decoder', () => {
    const model = ll.createModel({ inputSize: 784, encoder: [256, 64], latentSize: 2 });
    expect(model.config).toEqual({
      inputSize: 784,
      encoder: [256, 64],
      latentSize: 2,
      decoder: [64, 256],
      activation: 'relu',
      decoderActivation: 'relu',
      latentActivation: 'identity',
      outputActivation: 'sigmoid',
      loss: 'mse',
      seed: 0,
      init: 'pytorch',
    });
    const layers = [784, 256, 64, 2, 64, 256, 784];
    let count = 0;
    for (let i = 0; i + 1 < layers.length; i++) count += layers[i] * layers[i + 1] + layers[i + 1];
    expect(model.parameterCount).toBe(count);
    model.dispose();
  });

  it('encodes, decodes and reconstructs with the right shapes', () => {
    const model = ll.createModel(config);
    const images = syntheticImages(5);
    const codes = model.encode(images);
    expect(codes).toBeInstanceOf(Float32Array);
    expect(codes.length).toBe(5 * 32);
    const outputs = model.decode(codes);
    expect(outputs.length).toBe(5 * 784);
    expect(Array.from(model.reconstruct(images))).toEqual(Array.from(outputs));
    for (const v of outputs) expect(v > 0 && v < 1).toBe(true);
    model.dispose();
  });

  it('gives the same weights for the same seed and different ones for another', () => {
    const a = ll.createModel(config);
    const b = ll.createModel(config);
    const c = ll.createModel({ ...config, seed: 1 });
    expect(a.parameters()).toEqual(b.parameters());
    expect(a.parameters()).not.toEqual(c.parameters());
    for (const m of [a, b, c]) m.dispose();
  });

  it('lowers the loss while training and reports each epoch', () => {
    const model = ll.createModel({ ...config, encoder: [64], latentSize: 8 });
    const images = syntheticImages(512);
    const before = model.evaluate(images).loss;
    const first = model.trainEpoch(images, { batchSize: 64, learningRate: 1e-2 });
    expect(first).toMatchObject({ epoch: 1, step: 8, batches: 8, samples: 512, epochFinished: true });
    expect(first.loss).toBe(first.epochLoss);
    let last = first;
    for (let i = 0; i < 4; i++) last = model.trainEpoch(images, { batchSize: 64, learningRate: 1e-2 });
    expect(last.epoch).toBe(5);
    expect(last.step).toBe(40);
    expect(model.evaluate(images).loss).toBeLessThan(before / 4);
    model.dispose();
  });

  it('trains in slices exactly as in whole epochs', () => {
    const images = syntheticImages(300);
    const dataset = ll.createDataset(images, 784);
    const whole = ll.createModel(config);
    whole.trainEpoch(dataset, { batchSize: 32 });
    const sliced = ll.createModel(config);
    const reports = [];
    do {
      reports.push(sliced.trainSteps(dataset, { batchSize: 32, steps: 3 }));
    } while (!reports[reports.length - 1].epochFinished);
    expect(reports.map((r) => r.batches)).toEqual([3, 3, 3, 1]);
    expect(reports[3].step).toBe(10);
    expect(sliced.parameters()).toEqual(whole.parameters());
    for (const h of [whole, sliced, dataset]) h.dispose();
  });

  it('continues the epoch for the same data, given as a Dataset or as a Float32Array', () => {
    const images = syntheticImages(300);
    const dataset = ll.createDataset(images, 784);
    const fromDataset = ll.createModel(config);
    const fromArray = ll.createModel(config);
    const mixed = ll.createModel(config);
    for (let call = 0; call < 5; call++) {
      const a = fromDataset.trainSteps(dataset, { batchSize: 32, steps: 3 });
      const b = fromArray.trainSteps(images, { batchSize: 32, steps: 3 });
      // The same contents in a fresh array, or a Dataset every other call.
      const c = mixed.trainSteps(call % 2 === 0 ? dataset : images.slice(), { batchSize: 32, steps: 3 });
      expect(b).toMatchObject({ epoch: a.epoch, step: a.step, batches: a.batches, loss: a.loss });
      expect(c).toMatchObject({ epoch: a.epoch, step: a.step, batches: a.batches, loss: a.loss });
    }
    // 15 steps of 10-batch epochs: the second epoch is under way in all three.
    expect(fromArray.trainSteps(images, { steps: 1, batchSize: 32 }).epoch).toBe(2);
    fromDataset.trainSteps(dataset, { steps: 1, batchSize: 32 });
    mixed.trainSteps(images, { steps: 1, batchSize: 32 });
    expect(fromArray.parameters()).toEqual(fromDataset.parameters());
    expect(mixed.parameters()).toEqual(fromDataset.parameters());
    // Other data starts a new epoch.
    const other = syntheticImages(300);
    other[0] = 0.5;
    expect(fromArray.trainSteps(other, { steps: 1, batchSize: 32 })).toMatchObject({ epoch: 3, batches: 1 });
    for (const h of [fromDataset, fromArray, mixed, dataset]) h.dispose();
  });

  it.each([
    ['glorot', (fanIn: number, fanOut: number) => Math.sqrt(6 / (fanIn + fanOut))],
    ['he', (fanIn: number) => Math.sqrt(6 / fanIn)],
    ['pytorch', (fanIn: number) => 1 / Math.sqrt(fanIn)],
  ] as const)('initialises %s weights within their bound', (scheme, bound) => {
    const model = ll.createModel({ inputSize: 784, encoder: [256], latentSize: 32, init: scheme, seed: 4 });
    const [weight, bias] = [784 * 256, 256];
    const values = model.parameters();
    const limit = bound(784, 256);
    const w = values.subarray(0, weight);
    const largest = (values: Float32Array) => values.reduce((most, v) => Math.max(most, Math.abs(v)), 0);
    expect(largest(w)).toBeLessThanOrEqual(limit);
    // Uniform on (-limit, limit): variance limit^2 / 3, within a few per cent over 200k draws.
    const variance = w.reduce((sum, v) => sum + v * v, 0) / w.length;
    expect(variance / ((limit * limit) / 3)).toBeCloseTo(1, 1);
    const b = values.subarray(weight, weight + bias);
    if (scheme === 'pytorch') expect(largest(b)).toBeLessThanOrEqual(limit);
    else expect(b.every((v) => v === 0)).toBe(true);
    expect(model.config.init).toBe(scheme);
    model.dispose();
  });

  it('reports progress after every mini-batch and stops when asked', () => {
    const model = ll.createModel(config);
    const images = syntheticImages(100);
    const seen: number[] = [];
    const stats = model.trainEpoch(images, {
      batchSize: 10,
      onProgress: (p) => {
        seen.push(p.batch);
        expect(p.batchesPerEpoch).toBe(10);
        expect(Number.isFinite(p.loss)).toBe(true);
        return p.batch < 4;
      },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(stats).toMatchObject({ batches: 4, samples: 40, cancelled: true, epochFinished: false });
    expect(() =>
      model.trainEpoch(images, {
        onProgress: () => {
          throw new Error('from the callback');
        },
      }),
    ).toThrow('from the callback');
    model.dispose();
  });

  it('returns copies that stay valid after the heap grows', () => {
    const model = ll.createModel(config);
    const codes = model.encode(syntheticImages(3));
    const copy = Array.from(codes);
    const big = ll.createDataset(new Float32Array(784 * 40_000), 784); // 125 MB: grows the heap
    expect(codes.length).toBe(96);
    expect(Array.from(codes)).toEqual(copy);
    big.dispose();
    model.dispose();
  });

  it('frees itself in a using block', () => {
    let escaped: Model;
    {
      using model = ll.createModel(config);
      escaped = model;
      expect(model.disposed).toBe(false);
    }
    expect(escaped.disposed).toBe(true);
  });
});

// Bad input is catalogued in bad-input.test.ts; what is left here are its effects.
describe('bad input', () => {
  it('keeps the last good weights when training diverges', () => {
    const model = ll.createModel({ ...config, outputActivation: 'identity' });
    const images = syntheticImages(64);
    model.trainEpoch(images, { batchSize: 16 });
    const trained = model.parameters();
    // 1e40 overflows float32: the very first update is not finite.
    expect(() => model.trainEpoch(images, { optimizer: 'sgd', learningRate: 1e40 })).toThrow(
      /training diverged at step 5/,
    );
    expect(model.parameters()).toEqual(trained);
    expect(Number.isFinite(model.trainEpoch(images, { batchSize: 16 }).loss)).toBe(true);
    model.dispose();
  });

  it('parses a well-formed IDX file', () => {
    expect(ll.parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 6]))).toEqual({
      shape: [2],
      data: new Uint8Array([5, 6]),
    });
  });
});

describe('memory', () => {
  it('does not grow over 200 create/train/dispose cycles', () => {
    const images = syntheticImages(64, 100);
    const cycle = () => {
      const model = ll.createModel({ inputSize: 100, encoder: [32], latentSize: 4 });
      model.trainEpoch(images, { batchSize: 16 });
      model.encode(images);
      model.dispose();
    };
    cycle(); // first use may allocate lasting runtime state
    const start = ll.heapBytes();
    for (let i = 0; i < 200; i++) cycle();
    expect(ll.heapBytes()).toBe(start);
  });
});
