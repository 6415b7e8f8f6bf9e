// The demo's experiment: URL hash round trips, family defaults, model keys,
// the engine configuration it maps to and back (dense and convolutional), and presets.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, type LatentLab, type ResolvedModelConfig } from '../../dist/index.js';
import {
  convolutional,
  defaultExperiment,
  defaultsFor,
  modelKey,
  parseExperiment,
  serializeExperiment,
  type Experiment,
} from '../../web/src/lab/experiment';
import { families } from '../../web/src/lab/families';
import {
  describeExperiment,
  experimentOfConfig,
  modelConfigOf,
  trainOptionsOf,
} from '../../web/src/lab/model-config';
import { presetExperiment, presetFor, presets, resolveSpec } from '../../web/src/lab/presets';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

describe('experiment in the URL hash', () => {
  test('an empty hash gives the default 784-128-32 autoencoder', () => {
    const { experiment, problems } = parseExperiment('');
    expect(experiment).toEqual(defaultExperiment);
    expect(problems).toEqual([]);
    expect(serializeExperiment(experiment)).toBe(
      'dataset=mnist&family=vanilla&hidden=128&latent=32&act=relu&loss=mse&holdout=none&lr=0.002&batch=128&seed=1',
    );
    expect(describeExperiment(experiment)).toBe(
      '784-128-32 autoencoder on MNIST, relu, MSE; Adam lr 0.002, batch 128, seed 1',
    );
  });

  test('a hash names only the settings its family uses', () => {
    expect(serializeExperiment(defaultsFor('sparse-kl'))).toBe(
      'dataset=mnist&family=sparse-kl&hidden=128&latent=32&act=sigmoid&loss=mse&weight=0.01&rho=0.05&holdout=none&lr=0.005&batch=128&seed=1',
    );
    expect(serializeExperiment(defaultsFor('denoising'))).toContain('&noise=gaussian&level=0.4&');
    expect(serializeExperiment(defaultsFor('vae'))).toContain('latent=2&act=relu&loss=bce&beta=1&');
    expect(serializeExperiment(defaultsFor('pca'))).toBe('dataset=mnist&family=pca&latent=32&holdout=none');
  });

  test('the data set is in every hash; a hash without one (an older link) means MNIST', () => {
    const fashion = parseExperiment('#dataset=fashion&family=vae&latent=3');
    expect(fashion.problems).toEqual([]);
    expect(fashion.experiment).toEqual({ ...defaultsFor('vae', 'fashion'), latent: 3 });
    expect(serializeExperiment(fashion.experiment)).toMatch(
      /^dataset=fashion&family=vae&hidden=128&latent=3&/,
    );
    expect(parseExperiment(`#${serializeExperiment(fashion.experiment)}`)).toEqual(fashion);
    expect(parseExperiment('#family=vae').experiment.dataset).toBe('mnist');
    expect(describeExperiment(fashion.experiment)).toMatch(
      /^784-128-3 variational autoencoder \(β 1\) on Fashion-MNIST, relu, BCE;/,
    );
    expect(describeExperiment({ ...defaultsFor('pca', 'fashion'), holdout: 9 })).toBe(
      'PCA with 32 components on Fashion-MNIST, trained without the class Ankle boot',
    );
    expect(describeExperiment({ ...defaultsFor('pca'), holdout: 9 })).toBe(
      'PCA with 32 components on MNIST, trained without the digit 9',
    );
    // An unknown data set is named, and the experiment stays on MNIST.
    const unknown = parseExperiment('#dataset=cifar10&family=vanilla');
    expect(unknown.problems).toEqual(['dataset=cifar10 ignored: expected one of mnist, fashion, own']);
    expect(unknown.experiment).toEqual(defaultExperiment);
    // The reader's own files: a spec names them (views and the worker read it; the page never
    // opens a link with it), with a model key of their own and no pretrained model.
    const own = parseExperiment('#dataset=own&family=vanilla&latent=2');
    expect(own.problems).toEqual([]);
    expect(own.experiment.dataset).toBe('own');
    expect(serializeExperiment(own.experiment)).toMatch(/^dataset=own&family=vanilla&/);
    expect(modelKey(own.experiment)).not.toBe(modelKey({ ...own.experiment, dataset: 'mnist' }));
    expect(presetFor(own.experiment)).toBeUndefined();
    expect(presetFor({ ...own.experiment, dataset: 'mnist' })?.name).toBe('vanilla-2d');
    expect(describeExperiment(own.experiment)).toMatch(/^784-128-2 autoencoder on your IDX files,/);
  });

  test('every family round-trips with changed values', () => {
    for (const family of families) {
      const experiment: Experiment = {
        ...defaultsFor(family),
        hidden: family === 'pca' ? [128] : [256, 64],
        latent: 7,
        holdout: 3,
      };
      if (family !== 'pca') Object.assign(experiment, { learningRate: 3e-4, batchSize: 64, seed: 9 });
      if (family === 'sparse-kl') Object.assign(experiment, { rho: 0.1, weight: 0.5 });
      if (family === 'denoising') Object.assign(experiment, { noise: 'salt-pepper', level: 0.25 });
      if (family === 'vae') experiment.beta = 4;
      const hash = `#${serializeExperiment(experiment)}`;
      expect(parseExperiment(hash), family).toEqual({ experiment, problems: [] });
    }
  });

  test('unknown keys, bad values and settings of other families are reported and keep defaults', () => {
    const { experiment, problems } = parseExperiment(
      '#family=vae&latent=1.5&lr=abc&batch=0&hidden=64,x&seed=-1&colour=red&weight=0.1&holdout=12&act=gelu',
    );
    expect(experiment).toEqual(defaultsFor('vae'));
    expect(problems).toEqual([
      'latent=1.5 ignored: expected an integer from 1 to 784',
      'lr=abc ignored: expected a number from 0.000001 to 1',
      'batch=0 ignored: expected an integer from 1 to 4096',
      'hidden=64,x ignored: expected up to 3 comma-separated layer sizes from 1 to 1024',
      'seed=-1 ignored: expected an integer from 0 to 2147483647',
      "unknown setting 'colour' ignored",
      'weight ignored: the vae family does not use it',
      'holdout=12 ignored: expected a digit 0-9 or none',
      'act=gelu ignored: expected one of relu, sigmoid, tanh',
    ]);
    expect(parseExperiment('#family=gan').problems).toEqual([
      'family=gan ignored: expected one of vanilla, sparse-l1, sparse-kl, denoising, vae, contractive, pca',
    ]);
    expect(parseExperiment('#hidden=1,2,3,4').problems).toHaveLength(1);
    expect(parseExperiment('#hidden=').experiment.hidden).toEqual([]);
  });

  test('the model key ignores the optimiser settings only', () => {
    const a = defaultsFor('vanilla');
    expect(modelKey({ ...a, learningRate: 0.01, batchSize: 32 })).toBe(modelKey(a));
    expect(modelKey({ ...a, seed: 2 })).not.toBe(modelKey(a));
    expect(modelKey({ ...a, holdout: 7 })).not.toBe(modelKey(a));
    expect(modelKey({ ...a, dataset: 'fashion' })).not.toBe(modelKey(a));
    expect(modelKey(a)).toBe(
      'dataset=mnist&family=vanilla&hidden=128&latent=32&act=relu&loss=mse&holdout=none&seed=1',
    );
  });
});

describe('a model file named as the source of the weights (src)', () => {
  test('is kept in the hash, encoded, and makes another model key; absent, hashes read as before', () => {
    const source = 'https://example.org/models/a&b=c d.safetensors';
    const experiment = { ...defaultsFor('vae'), source };
    const hash = serializeExperiment(experiment);
    expect(hash).toMatch(/&seed=1&src=https%3A%2F%2Fexample\.org%2Fmodels%2Fa%26b%3Dc%20d\.safetensors$/);
    expect(parseExperiment(hash)).toEqual({ experiment, problems: [] });
    expect(modelKey(experiment)).not.toBe(modelKey(defaultsFor('vae')));
    expect(serializeExperiment(defaultsFor('vae'))).not.toContain('src=');
  });

  test('an empty or overlong src is ignored with a reason', () => {
    expect(parseExperiment('family=vanilla&src=').problems).toEqual([
      "src= ignored: expected a model file's name of 1 to 2048 characters",
    ]);
    const long = parseExperiment(`family=vanilla&src=${'x'.repeat(2049)}`);
    expect(long.experiment.source).toBe('');
    expect(long.problems).toHaveLength(1);
  });
});

describe('engine configuration', () => {
  test('each family maps to its part of the autoencoder', () => {
    const base = { inputSize: 784, encoder: [128], latentSize: 32, outputActivation: 'sigmoid', seed: 1 };
    expect(modelConfigOf(defaultsFor('vanilla'))).toEqual({ ...base, activation: 'relu', loss: 'mse' });
    expect(modelConfigOf(defaultsFor('sparse-l1'))).toMatchObject({ sparsity: { kind: 'l1', weight: 1e-4 } });
    expect(modelConfigOf(defaultsFor('sparse-kl'))).toMatchObject({
      activation: 'sigmoid',
      sparsity: { kind: 'kl', target: 0.05, weight: 0.01 },
    });
    expect(modelConfigOf(defaultsFor('denoising'))).toMatchObject({ noise: { kind: 'gaussian', std: 0.4 } });
    expect(modelConfigOf({ ...defaultsFor('denoising'), noise: 'mask', level: 0.3 })).toMatchObject({
      noise: { kind: 'mask', rate: 0.3 },
    });
    expect(modelConfigOf(defaultsFor('vae'))).toMatchObject({
      latentSize: 2,
      loss: 'bce',
      variational: { beta: 1 },
    });
    expect(modelConfigOf(defaultsFor('contractive'))).toMatchObject({
      activation: 'sigmoid',
      contractive: { weight: 1e-3 },
    });
    expect(modelConfigOf(defaultsFor('pca'))).toBeUndefined();
    expect(trainOptionsOf(defaultsFor('sparse-kl'))).toEqual({
      batchSize: 128,
      learningRate: 5e-3,
      optimizer: 'adam',
    });
  });

  test("a model file's configuration maps back to its experiment, keeping the data set and training settings", () => {
    const current = { ...defaultsFor('vanilla', 'fashion'), learningRate: 0.01, batchSize: 32, holdout: 4 };
    for (const family of families.filter((f) => f !== 'pca')) {
      const experiment = { ...defaultsFor(family, 'fashion'), holdout: 4, learningRate: 0.01, batchSize: 32 };
      const config = modelConfigOf(experiment)!;
      const resolved = {
        ...config,
        encoder: config.encoder!,
        decoder: [...config.encoder!].reverse(),
        latentActivation: 'identity',
      } as ResolvedModelConfig;
      expect(experimentOfConfig(ll, resolved, current), family).toEqual({ experiment });
    }
  });

  test('models the page cannot show are explained', () => {
    const config = {
      inputSize: 784,
      encoder: [128],
      decoder: [128],
      latentSize: 8,
      activation: 'relu',
      latentActivation: 'identity',
      outputActivation: 'sigmoid',
      loss: 'mse',
      seed: 0,
    } as ResolvedModelConfig;
    const current = defaultsFor('vanilla');
    const problem = (change: object) => {
      const result = experimentOfConfig(ll, { ...config, ...change }, current);
      return 'problem' in result ? result.problem : 'accepted';
    };
    expect(problem({ inputSize: 100 })).toBe(
      'it is not an MNIST model: it takes 100 inputs, not 784 (28 × 28 pixels)',
    );
    expect(problem({ decoder: [64] })).toBe('its decoder (64) does not mirror its encoder (784-128-8)');
    expect(problem({ outputActivation: 'identity' })).toMatch(/output activation is identity/);
    expect(problem({ latentActivation: 'tanh' })).toMatch(/code has a tanh activation/);
    expect(problem({ noise: { kind: 'mask', rate: 0.2 }, contractive: { weight: 1 } })).toMatch(
      /combines several families/,
    );
    expect(problem({ encoder: [2048], decoder: [2048] })).toMatch(/larger than the page offers/);
    expect(problem({ decoderActivation: 'tanh' })).toMatch(
      /decoder's hidden layers use tanh and its encoder's relu/,
    );
    expect(problem({ decoderActivation: 'relu' })).toBe('accepted');
    expect(problem({})).toBe('accepted');
  });
});

describe('convolutional experiments', () => {
  const conv: Experiment = { ...defaultsFor('vanilla'), ...convolutional, conv: [16, 32], hidden: [] };

  test('conv=16,32 round-trips in the hash; dense hashes have no conv entry', () => {
    const hash = serializeExperiment(conv);
    expect(hash).toBe(
      'dataset=mnist&family=vanilla&conv=16,32&hidden=&latent=32&act=relu&loss=mse&holdout=none&lr=0.002&batch=128&seed=1',
    );
    expect(parseExperiment(`#${hash}`)).toEqual({ experiment: conv, problems: [] });
    expect(serializeExperiment(defaultExperiment)).not.toContain('conv');
    expect(parseExperiment('#family=vanilla&conv=').experiment).toEqual(defaultExperiment);
    expect(modelKey(conv)).not.toBe(modelKey({ ...conv, conv: [16] }));
    expect(describeExperiment({ ...conv, hidden: [128] })).toBe(
      '784-conv16-conv32-128-32 autoencoder on MNIST, relu, MSE; Adam lr 0.002, batch 128, seed 1',
    );
    expect(parseExperiment('#conv=16,32,64,64').problems).toEqual([
      'conv=16,32,64,64 ignored: expected up to 3 comma-separated channel counts from 1 to 128',
    ]);
    expect(parseExperiment('#conv=256').problems).toHaveLength(1);
    expect(parseExperiment('#family=pca&conv=16').problems).toEqual([
      'conv ignored: the pca family does not use it',
    ]);
  });

  test("conv=16,32 with a 32-D code is README's 111,521-parameter reference model", () => {
    const config = modelConfigOf(conv)!;
    expect(config).toMatchObject({
      inputSize: 784,
      inputShape: [1, 28, 28],
      encoder: [
        { conv: 16, kernel: 3, stride: 2, padding: 1 },
        { conv: 32, kernel: 3, stride: 2, padding: 1 },
      ],
      latentSize: 32,
    });
    expect(ll.resolveModelConfig(config).decoder).toEqual([
      1568,
      { reshape: [32, 7, 7] },
      { deconv: 16, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
      { deconv: 1, kernel: 3, stride: 2, padding: 1, outputPadding: 1 },
    ]);
    const model = ll.createModel(config);
    try {
      expect(model.parameterCount).toBe(111_521);
      expect(experimentOfConfig(ll, model.config, conv)).toEqual({ experiment: conv });
    } finally {
      model.dispose();
    }
  });

  test('three convolutions (28 -> 14 -> 7 -> 4) build: the engine picks the output padding that restores 7', () => {
    const deep = { ...conv, conv: [8, 16, 32], hidden: [64] };
    const resolved = ll.resolveModelConfig(modelConfigOf(deep)!);
    expect(resolved.decoder.slice(0, 3)).toEqual([64, 512, { reshape: [32, 4, 4] }]);
    expect(resolved.decoder[3]).toMatchObject({ deconv: 16, outputPadding: 0 });
    expect(experimentOfConfig(ll, resolved, deep)).toEqual({ experiment: deep });
  });

  test('every family takes the convolutions, each back from its model file', () => {
    const current = defaultsFor('vanilla', 'fashion');
    for (const family of families.filter((f) => f !== 'pca')) {
      const experiment = {
        ...defaultsFor(family, 'fashion'),
        conv: [8, 16],
        hidden: [64],
        learningRate: current.learningRate,
      };
      const resolved = ll.resolveModelConfig(modelConfigOf(experiment)!);
      expect(experimentOfConfig(ll, resolved, current), family).toEqual({ experiment });
    }
  });

  test('convolutional models the page cannot express are refused with the reason', () => {
    const resolved = ll.resolveModelConfig(modelConfigOf(conv)!);
    const problem = (change: Partial<ResolvedModelConfig>) => {
      const result = experimentOfConfig(
        ll,
        ll.resolveModelConfig({ ...resolved, decoder: undefined, ...change }),
        conv,
      );
      return 'problem' in result ? result.problem : 'accepted';
    };
    const layer = { kernel: 3, stride: 2, padding: 1 };
    expect(problem({})).toBe('accepted');
    expect(problem({ encoder: [{ conv: 16, kernel: 5, stride: 1, padding: 2 }] })).toBe(
      "its encoder has a conv16 (kernel 5, stride 1, padding 2) layer; the page's models start with 3 × 3 convolutions with stride 2 and padding 1, then dense layers",
    );
    expect(problem({ encoder: [{ conv: 16, ...layer }, { pool: 2 }] })).toMatch(
      /^its encoder has a pool2 layer;/,
    );
    expect(problem({ encoder: [784, { reshape: [1, 28, 28] }, { conv: 4, ...layer }] })).toMatch(
      /^its encoder has a reshape1x28x28 layer after a dense one;/,
    );
    expect(problem({ encoder: [{ conv: 200, ...layer }] })).toBe(
      'its 784-conv200-32 layers have more convolutions than the page offers (3 of up to 128 channels)',
    );
    expect(problem({ inputShape: [4, 14, 14] })).toBe(
      'its input is a 4 × 14 × 14 image, not 1 × 28 × 28 (one grey channel)',
    );
    // A decoder of its own (upsampling instead of transposed convolutions) is not the mirror.
    expect(
      problem({
        decoder: [
          1568,
          { reshape: [32, 7, 7] },
          { upsample: 2 },
          { conv: 16, kernel: 3, stride: 1, padding: 1 },
          { upsample: 2 },
          { conv: 1, kernel: 3, stride: 1, padding: 1 },
        ],
      }),
    ).toBe(
      'its decoder (1568-reshape32x7x7-upsample2-conv16-upsample2-conv1) does not mirror its encoder (784-conv16-conv32-32)',
    );
  });
});

describe('presets', () => {
  test('every preset parses cleanly, and names are unique', () => {
    expect(new Set(presets.map((p) => p.name)).size).toBe(presets.length);
    for (const preset of presets) {
      expect(parseExperiment(preset.spec).problems, preset.name).toEqual([]);
      expect(presetFor(presetExperiment(preset))).toBe(preset);
    }
  });

  test('a spec is a preset name or a hash; both resolve to the same model key', () => {
    const byName = resolveSpec('vae-2d');
    const byHash = resolveSpec('family=vae&latent=2&lr=0.01');
    expect(byName.key).toBe(byHash.key);
    expect(byName.spec).toBe(serializeExperiment(defaultsFor('vae')));
    expect(resolveSpec('').experiment).toEqual(defaultExperiment);
    expect(resolveSpec('#family=pca').experiment.family).toBe('pca');
    expect(resolveSpec('vae-3d').problems[0]).toMatch(/^'vae-3d' is not a preset/);
  });

  test("a preset's pretrained model is for its own data set only", () => {
    const datasets = new Set(presets.map((preset) => presetExperiment(preset).dataset));
    expect([...datasets].sort()).toEqual(['fashion', 'mnist']);
    for (const preset of presets) {
      const experiment = presetExperiment(preset);
      const other = experiment.dataset === 'mnist' ? 'fashion' : 'mnist';
      expect(presetFor({ ...experiment, dataset: other }), preset.name).not.toBe(preset);
    }
    expect(presetExperiment(presets.find((p) => p.name === 'fashion-conv-vae')!)).toMatchObject({
      dataset: 'fashion',
      family: 'vae',
      conv: [16, 32],
    });
  });
});
