// The page's explanations of settings that cannot work together.
import { describe, expect, test } from 'vitest';
import { defaultsFor } from '../../web/src/lab/experiment';
import { families } from '../../web/src/lab/families';
import { modelConfigOf } from '../../web/src/lab/model-config';
import { checkExperiment, hasErrors } from '../../web/src/lab/validate';
import { init } from '../../dist/index.js';

const errors = (issues: ReturnType<typeof checkExperiment>) => issues.filter((i) => i.severity === 'error');

describe('checkExperiment', () => {
  test("every family's defaults are valid", () => {
    for (const family of families) expect(errors(checkExperiment(defaultsFor(family))), family).toEqual([]);
  });

  test('KL sparsity needs a sigmoid hidden layer', () => {
    const issues = checkExperiment({ ...defaultsFor('sparse-kl'), activation: 'relu' });
    expect(errors(issues)).toEqual([
      expect.objectContaining({
        setting: 'activation',
        message: expect.stringMatching(/choose sigmoid, not relu/),
      }),
    ]);
    expect(errors(checkExperiment({ ...defaultsFor('sparse-kl'), hidden: [] }))[0].setting).toBe('hidden');
  });

  test('noise levels must fit the noise kind', () => {
    expect(hasErrors(checkExperiment({ ...defaultsFor('denoising'), noise: 'mask', level: 1.5 }))).toBe(true);
    expect(hasErrors(checkExperiment({ ...defaultsFor('denoising'), noise: 'gaussian', level: 1.5 }))).toBe(
      false,
    );
    expect(hasErrors(checkExperiment({ ...defaultsFor('denoising'), noise: 'gaussian', level: 0 }))).toBe(
      true,
    );
  });

  test('doubtful choices are warnings, not errors', () => {
    const issues = checkExperiment({ ...defaultsFor('vae'), loss: 'mse', beta: 0, learningRate: 0.1 });
    expect(hasErrors(issues)).toBe(false);
    expect(issues.map((i) => i.setting).sort()).toEqual(['beta', 'learningRate', 'loss']);
    expect(checkExperiment({ ...defaultsFor('vanilla'), hidden: [16], latent: 32 })[0].message).toMatch(
      /real bottleneck/,
    );
  });

  test('what it accepts, the engine builds; what it rejects, the engine rejects too', async () => {
    const ll = await init();
    const cases = [
      { ...defaultsFor('sparse-kl'), activation: 'relu' as const },
      { ...defaultsFor('sparse-kl'), activation: 'tanh' as const },
      { ...defaultsFor('sparse-kl'), hidden: [] },
      ...families.filter((f) => f !== 'pca').map((f) => ({ ...defaultsFor(f), hidden: [16], latent: 4 })),
    ];
    for (const experiment of cases) {
      let built = true;
      try {
        ll.createModel(modelConfigOf(experiment)!).dispose();
      } catch {
        built = false;
      }
      expect(built, JSON.stringify(experiment)).toBe(!hasErrors(checkExperiment(experiment)));
    }
  });
});
