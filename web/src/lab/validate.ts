// Advice on settings that will work but probably not as hoped, each in a
// sentence the page shows beside the controls. Whether settings can work at
// all is the engine's to say: its model schema checks every configuration
// (ll.resolveModelConfig, through the worker's 'check' request), and the
// page shows its message as it is.
import type { Setting } from './families';
import { inputSize, type Experiment } from './experiment';

export interface Issue {
  setting: Setting;
  severity: 'error' | 'warning';
  message: string;
}

export function adviceFor(e: Experiment): Issue[] {
  const issues: Issue[] = [];
  const warning = (setting: Setting, message: string) =>
    issues.push({ setting, severity: 'warning', message });

  if (e.family === 'denoising') {
    if (e.level === 0)
      warning('level', 'With noise level 0 nothing is corrupted: this trains a plain autoencoder.');
    if (e.noise === 'mask' && e.level === 1) {
      warning('level', 'Masking every pixel leaves nothing to reconstruct from: every input is blank.');
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
