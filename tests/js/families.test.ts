// Every autoencoder family through the public API, on small synthetic data:
// options, their errors, the loss terms each reports, and the uses (sampling,
// interpolation, denoising, anomaly scores, PCA).
import { beforeAll, describe, expect, it } from 'vitest';
import { init, type LatentLab, type ModelConfig } from 'latentlab';

const base: ModelConfig = { inputSize: 16, encoder: [12], latentSize: 4, seed: 3 };

/** n samples in [0, 1] with low-rank structure, so that a small model can learn them. */
function lowRankImages(n: number, width = 16): Float32Array {
  const values = new Float32Array(n * width);
  for (let s = 0; s < n; s++) {
    const a = (s % 7) / 6;
    const b = (s % 5) / 4;
    for (let i = 0; i < width; i++)
      values[s * width + i] = 0.5 * a * ((i % 4) / 3) + 0.5 * b * (i < width / 2 ? 1 : 0);
  }
  return values;
}

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

describe('family options', () => {
  it('resolves each part with its defaults', () => {
    const model = ll.createModel({
      ...base,
      loss: 'bce',
      sparsity: { kind: 'l1', weight: 1e-3 },
      noise: { kind: 'mask', rate: 0.2 },
      variational: {},
    });
    expect(model.config).toMatchObject({
      sparsity: { kind: 'l1', weight: 1e-3, layer: 0 },
      noise: { kind: 'mask', rate: 0.2 },
      variational: { beta: 1 },
    });
    expect(model.config.contractive).toBeUndefined();
    model.dispose();
  });

  const bad: [string, Partial<ModelConfig> | Record<string, unknown>, RegExp][] = [
    ['an unknown sparsity kind', { sparsity: { kind: 'l2', weight: 1 } }, /sparsity.kind must be one of/],
    [
      'KL sparsity on a ReLU layer',
      { sparsity: { kind: 'kl', target: 0.05, weight: 3 } },
      /needs activation 'sigmoid', not 'relu'/,
    ],
    [
      'a KL target of 1',
      { activation: 'sigmoid', sparsity: { kind: 'kl', target: 1, weight: 3 } },
      /sparsity.target/,
    ],
    [
      'a target for L1',
      { sparsity: { kind: 'l1', target: 0.1, weight: 3 } },
      /sparsity.target applies to kind 'kl' only/,
    ],
    [
      'a sparsity layer past the code',
      { sparsity: { kind: 'l1', weight: 1, layer: 2 } },
      /sparsity.layer must be an encoder layer index in \[0, 1\]/,
    ],
    [
      'sparsity on a variational code',
      { variational: {}, sparsity: { kind: 'l1', weight: 1, layer: 1 } },
      /code layer of a variational model/,
    ],
    ['a negative sparsity weight', { sparsity: { kind: 'l1', weight: -1 } }, /sparsity.weight/],
    [
      'a noise rate above 1',
      { noise: { kind: 'mask', rate: 1.5 } },
      /noise.rate must be a number in \[0, 1\]/,
    ],
    ['a negative noise std', { noise: { kind: 'gaussian', std: -0.1 } }, /noise.std/],
    [
      'a rate for gaussian noise',
      { noise: { kind: 'gaussian', rate: 0.1 } },
      /noise.rate applies to kind 'mask', 'salt-pepper' only, not 'gaussian'/,
    ],
    ['an unknown noise kind', { noise: { kind: 'speckle', rate: 0.1 } }, /noise.kind must be one of/],
    ['a negative beta', { variational: { beta: -1 } }, /variational.beta/],
    ['an unknown variational option', { variational: { gamma: 1 } }, /variational: unknown option 'gamma'/],
    ['a NaN contractive weight', { contractive: { weight: NaN } }, /contractive.weight/],
    ['contractive as a number', { contractive: 1e-4 }, /contractive must be an object/],
  ];
  it.each(bad)('rejects %s', (_, part, message) => {
    expect(() => ll.createModel({ ...base, ...part } as ModelConfig)).toThrow(message);
  });

  it('allows combinations the maths allows: a denoising sparse contractive VAE', () => {
    const model = ll.createModel({
      ...base,
      encoder: [12, 8],
      activation: 'sigmoid',
      loss: 'bce',
      noise: { kind: 'salt-pepper', rate: 0.1 },
      sparsity: { kind: 'kl', target: 0.1, weight: 0.5, layer: 1 },
      contractive: { weight: 1e-3 },
      variational: { beta: 0.5 },
    });
    const stats = model.trainEpoch(lowRankImages(64), { batchSize: 16 });
    expect(stats.terms.sparsity).toBeGreaterThan(0);
    expect(stats.terms.contractive).toBeGreaterThan(0);
    expect(stats.terms.kl).toBeGreaterThan(0);
    expect(stats.loss).toBeCloseTo(
      stats.terms.reconstruction + stats.terms.sparsity + stats.terms.contractive + 0.5 * stats.terms.kl,
      6,
    );
    model.dispose();
  });
});

describe('training and statistics', () => {
  it('reports each penalty beside the reconstruction loss', () => {
    const images = lowRankImages(128);
    const cases: [Partial<ModelConfig>, 'sparsity' | 'contractive' | 'kl'][] = [
      [{ sparsity: { kind: 'l1', weight: 1e-2 } }, 'sparsity'],
      [{ activation: 'sigmoid', sparsity: { kind: 'kl', target: 0.05, weight: 1 } }, 'sparsity'],
      [{ activation: 'tanh', contractive: { weight: 1e-2 } }, 'contractive'],
      [{ loss: 'bce', variational: {} }, 'kl'],
    ];
    for (const [part, term] of cases) {
      const model = ll.createModel({ ...base, ...part });
      const stats = model.trainEpoch(images, { batchSize: 32 });
      const others = (['sparsity', 'contractive', 'kl'] as const).filter((t) => t !== term);
      expect(stats.epochTerms[term]).toBeGreaterThan(0);
      for (const other of others) expect(stats.epochTerms[other]).toBe(0);
      const evaluation = model.evaluate(images);
      expect(evaluation[term]).toBeGreaterThan(0);
      model.dispose();
    }
  });

  it('evaluates without changing the model, the same way every time', () => {
    const model = ll.createModel({ ...base, loss: 'bce', variational: {} });
    const images = lowRankImages(40);
    const before = model.parameters();
    const first = model.evaluate(images);
    expect(model.evaluate(images)).toEqual(first);
    expect(model.parameters()).toEqual(before);
    expect(first.negativeElbo).toBeCloseTo(first.reconstruction + first.kl, 9);
    expect(first.fractionInactive).toBeGreaterThanOrEqual(0);
    expect(first.meanJacobianNorm).toBeGreaterThan(0);
    model.dispose();
  });

  it('gives hidden activations of any encoder layer', () => {
    const model = ll.createModel({ ...base, encoder: [12, 8] });
    const images = lowRankImages(5);
    expect(model.hiddenActivations(images, 0).length).toBe(5 * 12);
    expect(model.hiddenActivations(images, 1).length).toBe(5 * 8);
    expect(Array.from(model.hiddenActivations(images, 2))).toEqual(Array.from(model.encode(images)));
    expect(() => model.hiddenActivations(images, 3)).toThrow(
      /layer must be an encoder layer index in \[0, 2\]/,
    );
    model.dispose();
  });

  it('makes denoising models learn to remove the noise', () => {
    const images = lowRankImages(512);
    const noise = { kind: 'gaussian', std: 0.2 } as const;
    const model = ll.createModel({ ...base, noise });
    for (let i = 0; i < 30; i++) model.trainEpoch(images, { batchSize: 32, learningRate: 3e-3 });
    const noisy = ll.corrupt(images, noise, { seed: 9 });
    const error = (a: Float32Array) => a.reduce((sum, v, i) => sum + (v - images[i]) ** 2, 0) / a.length;
    expect(error(model.denoise(noisy))).toBeLessThan(error(noisy) / 2);
    expect(Array.from(model.denoise(noisy))).toEqual(Array.from(model.reconstruct(noisy)));
    model.dispose();
  });
});

describe('uses', () => {
  it('samples from a VAE prior, and only from a VAE', () => {
    const vae = ll.createModel({ ...base, loss: 'bce', variational: {} });
    const samples = vae.sample(6, { seed: 2 });
    expect(samples.length).toBe(6 * 16);
    expect(samples.every((v) => v > 0 && v < 1)).toBe(true);
    expect(vae.sample(6, { seed: 2 })).toEqual(samples);
    expect(vae.sample(6, { seed: 3 })).not.toEqual(samples);
    expect(() => vae.sample(0)).toThrow(/count/);
    vae.dispose();
    const plain = ll.createModel(base);
    expect(() => plain.sample(4)).toThrow(/sampling needs a variational model/);
    plain.dispose();
  });

  it('interpolates between two images through the code space', () => {
    const model = ll.createModel(base);
    const images = lowRankImages(2);
    const a = images.slice(0, 16);
    const b = images.slice(16);
    const path = model.interpolate(a, b, 5);
    expect(path.length).toBe(5 * 16);
    const ends = model.reconstruct(images);
    for (let i = 0; i < 16; i++) {
      expect(path[i]).toBeCloseTo(ends[i], 5);
      expect(path[4 * 16 + i]).toBeCloseTo(ends[16 + i], 5);
    }
    expect(() => model.interpolate(images, b, 5)).toThrow(/a must be one image of 16 values/);
    expect(() => model.interpolate(a, b, 1)).toThrow(/steps/);
    model.dispose();
  });

  it('scores anomalies higher than normal samples', () => {
    const normal = lowRankImages(256);
    for (const part of [{}, { loss: 'bce', variational: {} }] as Partial<ModelConfig>[]) {
      const model = ll.createModel({ ...base, ...part });
      for (let i = 0; i < 20; i++) model.trainEpoch(normal, { batchSize: 32, learningRate: 3e-3 });
      const inverted = normal.subarray(0, 16 * 32).map((v) => 1 - v);
      const scores = model.anomalyScores(new Float32Array([...normal.subarray(0, 16 * 32), ...inverted]));
      expect(scores.length).toBe(64);
      const labels = Array.from({ length: 64 }, (_, i) => i >= 32);
      expect(ll.rocAuc(scores, labels)).toBeGreaterThan(0.95);
      model.dispose();
    }
  });

  it('computes ROC-AUC as the Mann-Whitney statistic', () => {
    expect(ll.rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(ll.rocAuc([1, 1, 1], [true, false, true])).toBe(0.5);
    expect(() => ll.rocAuc([1, 2], [1])).toThrow(/same length/);
    expect(() => ll.rocAuc([1, 2], [1, 1])).toThrow(/at least one positive and one negative/);
    expect(() => ll.rocAuc([NaN, 2], [0, 1])).toThrow(/finite/);
  });

  it('corrupts images reproducibly, within [0, 1]', () => {
    const images = lowRankImages(10);
    const noisy = ll.corrupt(images, { kind: 'gaussian', std: 0.5 }, { seed: 4 });
    expect(noisy).toEqual(ll.corrupt(images, { kind: 'gaussian', std: 0.5 }, { seed: 4 }));
    expect(noisy).not.toEqual(images);
    expect(noisy.every((v) => v >= 0 && v <= 1)).toBe(true);
    const masked = ll.corrupt(new Float32Array(10_000).fill(1), { kind: 'mask', rate: 0.3 });
    const zeroed = masked.filter((v) => v === 0).length / masked.length;
    expect(zeroed).toBeGreaterThan(0.27);
    expect(zeroed).toBeLessThan(0.33);
    expect(() => ll.corrupt(new Float32Array([2]), { kind: 'mask', rate: 0.3 })).toThrow(/\[0, 1\]/);
  });
});

describe('PCA', () => {
  it('reconstructs data of rank k exactly from k components', () => {
    const images = lowRankImages(200);
    const pca = ll.createPCA({ inputSize: 16, components: 3 });
    expect(() => pca.encode(images)).toThrow(/has not been fitted/);
    pca.fit(images);
    expect(pca.evaluate(images).loss).toBeLessThan(1e-10);
    const codes = pca.encode(images);
    expect(codes.length).toBe(200 * 3);
    expect(Array.from(pca.decode(codes))).toEqual(Array.from(pca.reconstruct(images)));
    const variance = pca.explainedVariance();
    expect(variance[0]).toBeGreaterThanOrEqual(variance[1]);
    pca.dispose();
    expect(() => ll.createPCA({ inputSize: 16, components: 17 })).toThrow(/components/);
    expect(() => ll.createPCA({ inputSize: 16, components: 2, whiten: true } as never)).toThrow(
      /unknown option 'whiten'/,
    );
  });
});
