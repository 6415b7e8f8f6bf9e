// What the page says about settings: advice on choices that work but probably
// not as hoped (its own), and objections to those that cannot work, which are
// the engine's, word for word, with the setting they concern marked.
import { beforeAll, describe, expect, test } from 'vitest';
import { defaultsFor } from '../../web/src/lab/experiment';
import { families } from '../../web/src/lab/families';
import { engineObjection, modelConfigOf, settingOfObjection } from '../../web/src/lab/model-config';
import { adviceFor } from '../../web/src/lab/validate';
import { init, type LatentLab } from '../../dist/index.js';

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

describe('advice', () => {
  test('is only ever a warning', () => {
    const doubtful = { ...defaultsFor('vae'), loss: 'mse' as const, beta: 0, learningRate: 0.1 };
    const issues = adviceFor(doubtful);
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(issues.map((i) => i.setting).sort()).toEqual(['beta', 'learningRate', 'loss']);
    expect(adviceFor({ ...defaultsFor('vanilla'), hidden: [16], latent: 32 })[0].message).toMatch(
      /real bottleneck/,
    );
    expect(adviceFor({ ...defaultsFor('denoising'), level: 0 })[0].message).toMatch(/nothing is corrupted/);
  });
});

describe("the engine's objections", () => {
  test("every family's defaults can be built", () => {
    for (const family of families) expect(engineObjection(ll, defaultsFor(family)), family).toBeUndefined();
  });

  test.each([
    [
      { ...defaultsFor('sparse-kl'), activation: 'relu' as const },
      'activation',
      /needs activation 'sigmoid'/,
    ],
    [{ ...defaultsFor('sparse-kl'), rho: 1 }, 'rho', /sparsity.target must be a number in \(0, 1\)/],
    [{ ...defaultsFor('denoising'), noise: 'mask' as const, level: 1.5 }, 'level', /noise.rate .* \[0, 1\]/],
    [{ ...defaultsFor('denoising'), noise: 'gaussian' as const, level: -1 }, 'level', /noise.std/],
    [{ ...defaultsFor('vae'), beta: -1 }, 'beta', /variational.beta/],
    [{ ...defaultsFor('contractive'), weight: -1 }, 'weight', /contractive.weight/],
  ])('%#: the engine words it, the page marks the setting', (experiment, setting, message) => {
    const objection = engineObjection(ll, experiment);
    expect(objection).toMatch(message);
    expect(settingOfObjection(objection!, experiment)).toBe(setting);
    // Word for word what createModel throws.
    expect(() => ll.createModel(modelConfigOf(experiment)!)).toThrow(objection);
  });

  test('an objection to encoder[i] marks the convolutions or the hidden layers, by i', () => {
    const experiment = { ...defaultsFor('vanilla'), conv: [16, 32], hidden: [64] };
    const objection = (encoder: unknown[]) => {
      try {
        ll.resolveModelConfig({ ...modelConfigOf(experiment)!, encoder } as never);
      } catch (error) {
        return String((error as Error).message);
      }
      throw new Error('the engine accepted it');
    };
    const conv = { kernel: 3, stride: 2, padding: 1 };
    const second = objection([{ conv: 16, ...conv }, { conv: 0, ...conv }, 64]);
    expect(second).toMatch(/^encoder\[1\]\.conv must be an integer/);
    expect(settingOfObjection(second, experiment)).toBe('conv');
    const third = objection([{ conv: 16, ...conv }, { conv: 32, ...conv }, 0]);
    expect(third).toMatch(/^encoder\[2\]/);
    expect(settingOfObjection(third, experiment)).toBe('hidden');
    // The contractive penalty differentiates a first convolution as it does a dense layer.
    expect(engineObjection(ll, { ...defaultsFor('contractive'), conv: [16] })).toBeUndefined();
  });

  test("a masking rate of 1 is the engine's to allow (it does), as the API allows it", () => {
    const experiment = { ...defaultsFor('denoising'), noise: 'mask' as const, level: 1 };
    expect(engineObjection(ll, experiment)).toBeUndefined();
    expect(adviceFor(experiment).map((i) => i.setting)).toContain('level');
  });
});
