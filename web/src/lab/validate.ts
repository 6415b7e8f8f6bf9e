// Combinations of settings that cannot work, or probably will not, each
// explained in a sentence the page shows beside the controls (rather than an
// engine error in the console). Errors block building the model; warnings
// do not.
import type { Setting } from './families';
import { inputSize, type Experiment } from './experiment';

export interface Issue {
  setting: Setting;
  severity: 'error' | 'warning';
  message: string;
}

export function checkExperiment(e: Experiment): Issue[] {
  const issues: Issue[] = [];
  const error = (setting: Setting, message: string) => issues.push({ setting, severity: 'error', message });
  const warning = (setting: Setting, message: string) =>
    issues.push({ setting, severity: 'warning', message });

  if (e.family === 'sparse-kl') {
    if (e.hidden.length === 0) {
      error('hidden', 'KL sparsity acts on a hidden layer: give the encoder at least one hidden layer.');
    } else if (e.activation !== 'sigmoid') {
      error(
        'activation',
        `KL sparsity compares each hidden unit's mean activation with ρ, a probability, so the hidden layer ` +
          `must output values in (0, 1): choose sigmoid, not ${e.activation}.`,
      );
    }
    if (e.rho <= 0 || e.rho >= 1)
      error('rho', 'ρ is a target firing rate: it must lie strictly between 0 and 1.');
  }
  if (e.family === 'denoising') {
    if (e.noise === 'gaussian' && e.level <= 0)
      error('level', 'Gaussian noise needs a standard deviation above 0.');
    if (e.noise !== 'gaussian' && !(e.level > 0 && e.level < 1)) {
      error(
        'level',
        `${e.noise === 'mask' ? 'Masking' : 'Salt-and-pepper'} noise corrupts a fraction of the pixels: its rate must lie between 0 and 1.`,
      );
    }
  }
  if (
    (e.family === 'sparse-l1' || e.family === 'sparse-kl' || e.family === 'contractive') &&
    e.weight === 0
  ) {
    warning('weight', `With weight 0 there is no penalty: this trains a plain autoencoder.`);
  }
  if (e.family === 'vae') {
    if (e.beta === 0)
      warning(
        'beta',
        'With β = 0 nothing pulls the codes towards the prior, so prior samples will not look like digits.',
      );
    if (e.loss === 'mse') {
      warning(
        'loss',
        'A VAE sums its reconstruction error over pixels; with MSE that term is small against the KL term, so expect blurry digits. BCE is the usual choice.',
      );
    }
  }
  if (e.family === 'contractive' && e.activation === 'relu') {
    warning(
      'activation',
      "A ReLU layer's Jacobian does not shrink smoothly as units saturate; the contractive penalty is usually paired with sigmoid.",
    );
  }
  if (e.family !== 'pca') {
    const narrowest = Math.min(...e.hidden);
    if (e.hidden.length > 0 && e.latent > narrowest) {
      warning(
        'latent',
        `The code (${e.latent}) is wider than a hidden layer (${narrowest}): that layer is the real bottleneck.`,
      );
    }
    if (e.latent >= inputSize) {
      warning(
        'latent',
        'A code as large as the image can copy it: nothing forces the model to learn structure.',
      );
    }
    if (e.learningRate > 0.02)
      warning('learningRate', 'Adam with a learning rate above 0.02 often diverges on this data.');
    if (e.hidden.reduce((sum, size) => sum + size, 0) > 1024) {
      warning('hidden', 'Layers this wide train slowly in a browser (a few hundred digits a second).');
    }
  }
  if (e.family === 'pca' && e.latent > 200) {
    warning(
      'latent',
      'PCA is fitted on 10,000 training digits; beyond ~200 components it mostly fits noise.',
    );
  }
  return issues;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
