// The demo's experiment <-> URL hash round trip.
import { describe, expect, test } from 'vitest';
import {
  defaultExperiment,
  describeExperiment,
  modelConfigOf,
  parseExperiment,
  serializeExperiment,
  trainOptionsOf,
} from '../../web/src/experiment';

describe('experiment in the URL hash', () => {
  test('an empty hash gives the default 784-256-32 experiment', () => {
    const { experiment, problems } = parseExperiment('');
    expect(experiment).toEqual({ hidden: [256], latent: 32, learningRate: 0.001, batchSize: 128, seed: 0 });
    expect(problems).toEqual([]);
    expect(serializeExperiment(experiment)).toBe('hidden=256&latent=32&lr=0.001&batch=128&seed=0');
    expect(describeExperiment(experiment)).toMatch(/^784-256-32 autoencoder/);
  });

  test('round trip', () => {
    const experiment = { hidden: [512, 128], latent: 2, learningRate: 3e-4, batchSize: 64, seed: 7 };
    const hash = `#${serializeExperiment(experiment)}`;
    expect(hash).toBe('#hidden=512,128&latent=2&lr=0.0003&batch=64&seed=7');
    expect(parseExperiment(hash)).toEqual({ experiment, problems: [] });
    expect(parseExperiment('#hidden=').experiment.hidden).toEqual([]);
  });

  test('unknown keys and bad values are ignored and reported, keeping defaults', () => {
    const { experiment, problems } = parseExperiment('#latent=1.5&lr=abc&batch=0&hidden=64,x&seed=-1&colour=red');
    expect(experiment).toEqual({ ...defaultExperiment, hidden: [256] });
    expect(problems).toHaveLength(6);
    expect(problems[0]).toBe('latent=1.5 ignored: expected an integer from 2 to 784');
    expect(problems.at(-1)).toBe("unknown setting 'colour' ignored");
  });

  test('maps to the engine options', () => {
    const { experiment } = parseExperiment('#hidden=128&latent=8&lr=0.01&batch=32&seed=3');
    expect(modelConfigOf(experiment)).toEqual({
      inputSize: 784,
      encoder: [128],
      latentSize: 8,
      activation: 'relu',
      outputActivation: 'sigmoid',
      loss: 'mse',
      seed: 3,
    });
    expect(trainOptionsOf(experiment)).toEqual({ batchSize: 32, learningRate: 0.01, optimizer: 'adam' });
  });
});
