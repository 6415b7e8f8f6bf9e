// The demo's experiment: URL hash round trips, family defaults, model keys,
// the engine configuration it maps to and back, and presets.
import { describe, expect, test } from 'vitest';
import {
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
      } as Parameters<typeof experimentOfConfig>[0];
      expect(experimentOfConfig(resolved, current), family).toEqual({ experiment });
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
    } as Parameters<typeof experimentOfConfig>[0];
    const current = defaultsFor('vanilla');
    const problem = (change: object) => {
      const result = experimentOfConfig({ ...config, ...change }, current);
      return 'problem' in result ? result.problem : 'accepted';
    };
    expect(problem({ inputSize: 100 })).toBe(
      'it is not an MNIST model: it takes 100 inputs, not 784 (28 × 28 pixels)',
    );
    expect(problem({ decoder: [64] })).toMatch(/does not mirror its encoder/);
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

  test('presets are MNIST models: the same settings on Fashion-MNIST have no pretrained model', () => {
    for (const preset of presets) {
      const experiment = presetExperiment(preset);
      expect(experiment.dataset, preset.name).toBe('mnist');
      expect(presetFor({ ...experiment, dataset: 'fashion' }), preset.name).toBeUndefined();
    }
  });
});
