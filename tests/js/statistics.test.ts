// The engine's statistics, metrics and randomness through the public API:
// ROC curves, mean squared error, column statistics, normal quantiles and
// normal draws, a model's activation statistics and weights, and PCA's
// anomaly scores, interpolation and components; each against hand-computed
// or independent values, and each with its bad arguments.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type ModelConfig } from 'latentlab';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

/** n deterministic pseudo-images with values in [0, 1]. */
function images(n: number, width = 784, salt = 0): Float32Array {
  const values = new Float32Array(n * width);
  for (let i = 0; i < values.length; i++) values[i] = (((i + salt) * 7919) % 1000) / 1000;
  return values;
}

describe('rocCurve', () => {
  it('by hand: one point per group of tied scores, in decreasing score', () => {
    // 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-).
    const curve = ll.rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(Array.from(curve.falsePositiveRate)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(curve.truePositiveRate)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curve.auc).toBe(0.75);
    // The tie at 0.5 (one of each) is one diagonal step: 0.875, as rocAuc counts it.
    const tied = ll.rocCurve([0.5, 0.5, 0.2, 0.9], [true, false, false, true]);
    expect(Array.from(tied.falsePositiveRate)).toEqual([0, 0, 0.5, 1]);
    expect(Array.from(tied.truePositiveRate)).toEqual([0, 0.5, 1, 1]);
    expect(tied.auc).toBe(0.875);
    expect(ll.rocAuc([0.5, 0.5, 0.2, 0.9], [true, false, false, true])).toBe(0.875);
  });

  it('its AUC equals rocAuc on scores with ties, however thinned', () => {
    const draws = ll.randomNormal(3000, { seed: 2 });
    const scores = Array.from(
      draws.subarray(0, 1500),
      (v, i) => Math.round((v + (i % 3 === 0 ? 1 : 0)) * 4) / 4,
    );
    const labels = scores.map((_, i) => i % 3 === 0);
    const full = ll.rocCurve(scores, labels);
    const thin = ll.rocCurve(scores, labels, { maxPoints: 5 });
    expect(full.auc).toBeCloseTo(ll.rocAuc(scores, labels), 12);
    expect(thin.auc).toBe(full.auc);
    expect(thin.falsePositiveRate.length).toBeLessThanOrEqual(5);
    expect([thin.falsePositiveRate[0], thin.truePositiveRate[0]]).toEqual([0, 0]);
    expect([thin.falsePositiveRate.at(-1), thin.truePositiveRate.at(-1)]).toEqual([1, 1]);
  });

  it('rejects bad arguments', () => {
    expect(() => ll.rocCurve([1, 2], [1])).toThrow(RangeError);
    expect(() => ll.rocCurve([1, 2], [1])).toThrow(/same length/);
    expect(() => ll.rocCurve([1, NaN], [1, 0])).toThrow(/scores must be finite/);
    expect(() => ll.rocCurve([1, 2], [1, 1])).toThrow(RangeError);
    expect(() => ll.rocCurve([1, 2], [1, 1])).toThrow(/at least one positive and one negative/);
    expect(() => ll.rocCurve([1, 2], [1, 0], { maxPoints: 1 })).toThrow(/maxPoints/);
    expect(() => ll.rocCurve([1, 2], [1, 0], { points: 3 } as object)).toThrow(/unknown option 'points'/);
    expect(() => ll.rocCurve(undefined as unknown as number[], [])).toThrow(TypeError);
  });
});

describe('meanSquaredError', () => {
  it('is the mean of (a - b)^2', () => {
    expect(ll.meanSquaredError(Float32Array.of(1, 2, 3), Float32Array.of(1, 0, 0))).toBeCloseTo(13 / 3, 12);
    expect(ll.meanSquaredError(Float32Array.of(0.5), Float32Array.of(0.5))).toBe(0);
  });

  it('rejects bad arguments', () => {
    expect(() => ll.meanSquaredError(Float32Array.of(1, 2), Float32Array.of(1))).toThrow(/same length/);
    expect(() => ll.meanSquaredError(new Float32Array(0), new Float32Array(0))).toThrow(/a must hold/);
    expect(() => ll.meanSquaredError([1] as unknown as Float32Array, Float32Array.of(1))).toThrow(TypeError);
    expect(() => ll.meanSquaredError(Float32Array.of(1), Float32Array.of(NaN))).toThrow(/b\[0\] is NaN/);
  });
});

describe('columnStatistics', () => {
  it('mean, population std and interpolated quantiles of each column', () => {
    // Rows (4, 40), (1, 10), (3, 30), (2, 20).
    const s = ll.columnStatistics(Float32Array.of(4, 40, 1, 10, 3, 30, 2, 20), 2, {
      quantiles: [0, 0.25, 0.5, 1],
    });
    expect(Array.from(s.mean)).toEqual([2.5, 25]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(s.std[1]).toBeCloseTo(10 * Math.sqrt(1.25), 10);
    expect(s.quantiles.map((q) => Array.from(q))).toEqual([
      [1, 10],
      [1.75, 17.5],
      [2.5, 25],
      [4, 40],
    ]);
    expect(ll.columnStatistics(Float32Array.of(1, 2), 1).quantiles).toEqual([]);
  });

  it('rejects bad arguments', () => {
    expect(() => ll.columnStatistics(Float32Array.of(1, 2, 3), 2)).toThrow(/multiple of 2/);
    expect(() => ll.columnStatistics(Float32Array.of(1, 2), 0)).toThrow(/width must be a positive integer/);
    expect(() => ll.columnStatistics(Float32Array.of(1, 2), 1, { quantiles: [1.5] })).toThrow(
      /quantiles\[0\] must be a number in \[0, 1\]/,
    );
    expect(() =>
      ll.columnStatistics(Float32Array.of(1, 2), 1, { quantiles: 0.5 as unknown as number[] }),
    ).toThrow(TypeError);
  });
});

describe('normalQuantile', () => {
  it('inverts the normal CDF (values from Python statistics.NormalDist)', () => {
    expect(ll.normalQuantile(0.5)).toBe(0);
    expect(ll.normalQuantile(0.975)).toBeCloseTo(1.9599639845400536, 13);
    expect(ll.normalQuantile(0.025)).toBeCloseTo(-1.9599639845400538, 13);
    expect(ll.normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(ll.normalQuantile(0.8413447460685429)).toBeCloseTo(1, 13);
  });

  it('rejects p outside (0, 1)', () => {
    expect(() => ll.normalQuantile(1)).toThrow(RangeError);
    expect(() => ll.normalQuantile(0)).toThrow(/p must lie in \(0, 1\), got 0/);
    expect(() => ll.normalQuantile(NaN)).toThrow(RangeError);
    expect(() => ll.normalQuantile('0.5' as unknown as number)).toThrow(TypeError);
  });
});

describe('randomNormal', () => {
  it('repeats for a seed, differs across seeds, and has mean 0 and variance 1', () => {
    const draws = ll.randomNormal(20000, { seed: 7 });
    expect(draws.length).toBe(20000);
    expect(Array.from(ll.randomNormal(5, { seed: 7 }))).toEqual(Array.from(draws.subarray(0, 5)));
    expect(ll.randomNormal(5, { seed: 8 })[0]).not.toBe(draws[0]);
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(1, 1);
    expect(ll.randomNormal(0).length).toBe(0);
  });

  it("is the generator a VAE samples its prior with: sample(n, { seed }) decodes the seed's draws", () => {
    const vae = ll.createModel({ inputSize: 16, encoder: [8], latentSize: 3, variational: {}, seed: 1 });
    const codes = Float32Array.from(ll.randomNormal(4 * 3, { seed: 5 }));
    expect(Array.from(vae.sample(4, { seed: 5 }))).toEqual(Array.from(vae.decode(codes)));
    vae.dispose();
  });

  it('rejects bad arguments', () => {
    expect(() => ll.randomNormal(-1)).toThrow(/count must be an integer/);
    expect(() => ll.randomNormal(1.5)).toThrow(RangeError);
    expect(() => ll.randomNormal(3, { seed: -2 })).toThrow(/seed must be a non-negative safe integer/);
    expect(() => ll.randomNormal(3, { sead: 1 } as object)).toThrow(/unknown option 'sead'/);
  });
});

describe('model.activationStatistics', () => {
  const tanh: ModelConfig = { inputSize: 784, encoder: [32], latentSize: 4, activation: 'tanh', seed: 3 };

  it('matches the activations it is computed from, and evaluate() counts inactive units the same way', () => {
    const model = ll.createModel(tanh);
    const data = images(50);
    const h = model.hiddenActivations(data, 0);
    const s = model.activationStatistics(data, 0, { bins: 10 });
    // Independent reference, from the activations themselves.
    let inactive = 0;
    let sum = 0;
    const means = new Float64Array(32);
    h.forEach((v, i) => {
      if (Math.abs(v) < 0.01) inactive++;
      sum += v;
      means[i % 32] += v / 50;
    });
    expect(s.fractionInactive).toBeCloseTo(inactive / h.length, 12);
    expect(s.mean).toBeCloseTo(sum / h.length, 6);
    s.unitMeans.forEach((m, u) => expect(m).toBeCloseTo(means[u], 5));
    // tanh: the data's range, every value counted once.
    expect(s.histogram.low).toBeCloseTo(Math.min(...h), 6);
    expect(s.histogram.high).toBeCloseTo(Math.max(...h), 6);
    expect(s.histogram.counts.length).toBe(10);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(50 * 32);
    expect(model.evaluate(data).fractionInactive).toBeCloseTo(s.fractionInactive, 12);
    // The code layer uses the latent activation (identity here).
    const code = model.activationStatistics(data, 1);
    expect(code.unitMeans.length).toBe(4);
    expect(code.histogram.counts.length).toBe(40);
    model.dispose();
  });

  it('fixes the range of sigmoid ([0, 1]) and ReLU (from 0) units', () => {
    const sigmoid = ll.createModel({ ...tanh, activation: 'sigmoid' });
    expect(sigmoid.activationStatistics(images(5), 0).histogram).toMatchObject({ low: 0, high: 1 });
    const relu = ll.createModel({ ...tanh, activation: 'relu' });
    expect(relu.activationStatistics(images(5), 0).histogram.low).toBe(0);
    sigmoid.dispose();
    relu.dispose();
  });

  it('rejects bad arguments', () => {
    const model = ll.createModel(tanh);
    expect(() => model.activationStatistics(images(2), 2)).toThrow(
      /layer must be an encoder layer index in \[0, 1\]/,
    );
    expect(() => model.activationStatistics(images(2), 0, { bins: 0 })).toThrow(/bins must be an integer/);
    expect(() => model.activationStatistics(images(2), 0, { bin: 3 } as object)).toThrow(
      /unknown option 'bin'/,
    );
    expect(() => model.activationStatistics(new Float32Array(10), 0)).toThrow(/images must hold/);
    model.dispose();
  });
});

/** The tensors of a safetensors file, read independently of the engine. */
function readSafetensors(bytes: Uint8Array): Map<string, { shape: number[]; values: Float32Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { shape: number[]; data_offsets: [number, number] }
  >;
  const data = bytes.slice(8 + headerLength);
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = entry.data_offsets;
    tensors.set(name, { shape: entry.shape, values: new Float32Array(data.buffer.slice(begin, end)) });
  }
  return tensors;
}

describe('model.weights', () => {
  it('every tensor of the model file, in its order, shapes and row-major values', () => {
    for (const config of [
      { inputSize: 6, encoder: [5, 4], latentSize: 3, seed: 2 },
      { inputSize: 6, encoder: [4], latentSize: 2, decoder: [3], variational: {}, seed: 4 },
    ] as ModelConfig[]) {
      const model = ll.createModel(config);
      const weights = model.weights();
      const file = readSafetensors(model.save());
      expect(weights.map((w) => w.name)).toEqual([...file.keys()]);
      for (const { name, shape, values } of weights) {
        expect(shape).toEqual(file.get(name)!.shape);
        expect(Array.from(values)).toEqual(Array.from(file.get(name)!.values));
      }
      model.dispose();
    }
  });

  it('layers.0.weight row o is unit o: h = act(W x + b) by hand', () => {
    const model = ll.createModel({
      inputSize: 3,
      encoder: [2],
      latentSize: 1,
      activation: 'identity',
      seed: 9,
    });
    const [weight, bias] = model.weights();
    expect(weight.shape).toEqual([2, 3]);
    const x = Float32Array.of(0.2, 0.5, 0.9);
    const h = model.hiddenActivations(x, 0);
    for (let o = 0; o < 2; o++) {
      let expected = bias.values[o];
      for (let i = 0; i < 3; i++) expected += weight.values[o * 3 + i] * x[i];
      expect(h[o]).toBeCloseTo(expected, 6);
    }
    model.dispose();
  });
});

describe('PCA anomalyScores, interpolate and componentVectors', () => {
  it('agree with reconstruct, encode and decode', () => {
    const pca = ll.createPCA({ inputSize: 20, components: 3 });
    pca.fit(images(200, 20));
    const data = images(4, 20, 17);
    const reconstructions = pca.reconstruct(data);
    const scores = pca.anomalyScores(data);
    for (let s = 0; s < 4; s++) {
      let sum = 0;
      for (let i = 0; i < 20; i++) sum += (reconstructions[s * 20 + i] - data[s * 20 + i]) ** 2;
      expect(scores[s]).toBeCloseTo(sum, 5);
    }
    const a = data.slice(0, 20);
    const b = data.slice(20, 40);
    const path = pca.interpolate(a, b, 3);
    expect(path.length).toBe(3 * 20);
    const codes = pca.encode(data.subarray(0, 40));
    const middle = pca.decode(Float32Array.from({ length: 3 }, (_, j) => (codes[j] + codes[3 + j]) / 2));
    path.subarray(0, 20).forEach((v, i) => expect(v).toBeCloseTo(reconstructions[i], 5));
    path.subarray(20, 40).forEach((v, i) => expect(v).toBeCloseTo(middle[i], 5));
    path.subarray(40).forEach((v, i) => expect(v).toBeCloseTo(reconstructions[20 + i], 5));
    // Orthonormal rows, and encode is their projection of x - mean (mean = decode(0)).
    const axes = pca.componentVectors();
    expect(axes.length).toBe(3 * 20);
    const dot = (p: number, q: number) =>
      axes.subarray(p * 20, p * 20 + 20).reduce((s, v, i) => s + v * axes[q * 20 + i], 0);
    for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) expect(dot(p, q)).toBeCloseTo(p === q ? 1 : 0, 5);
    const mean = pca.decode(new Float32Array(3));
    for (let k = 0; k < 3; k++) {
      const projection = a.reduce((s, v, i) => s + (v - mean[i]) * axes[k * 20 + i], 0);
      expect(codes[k]).toBeCloseTo(projection, 4);
    }
    expect(pca.evaluate(data).loss).toBeCloseTo(scores.reduce((s, v) => s + v, 0) / data.length, 6);
    pca.dispose();
  });

  it('reject bad arguments', () => {
    const pca = ll.createPCA({ inputSize: 4, components: 2 });
    expect(() => pca.anomalyScores(images(1, 4))).toThrow(/has not been fitted/);
    pca.fit(images(10, 4));
    expect(() => pca.anomalyScores(new Float32Array(3))).toThrow(/images must hold a positive multiple of 4/);
    expect(() => pca.interpolate(images(1, 4), images(1, 4), 1)).toThrow(
      /steps must be an integer in \[2, 10000\]/,
    );
    expect(() => pca.interpolate(images(2, 4), images(1, 4), 3)).toThrow(/a must be one image of 4 values/);
    expect(() => pca.interpolate(images(1, 4), new Float64Array(4) as unknown as Float32Array, 3)).toThrow(
      TypeError,
    );
    pca.dispose();
  });
});
