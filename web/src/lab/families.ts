// The model families the page offers, the settings each one uses, and its
// defaults. Every family but PCA is one configuration of the engine's
// autoencoder; PCA is the linear baseline.

export const families = [
  'vanilla',
  'sparse-l1',
  'sparse-kl',
  'denoising',
  'vae',
  'contractive',
  'pca',
] as const;
export type Family = (typeof families)[number];

export const activations = ['relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof activations)[number];
export const losses = ['mse', 'bce'] as const;
export type Loss = (typeof losses)[number];
export const noiseKinds = ['gaussian', 'mask', 'salt-pepper'] as const;
export type NoiseKind = (typeof noiseKinds)[number];

/** The settings that can differ between experiments (the fields of Experiment). */
export type Setting =
  | 'dataset'
  | 'family'
  | 'conv'
  | 'hidden'
  | 'latent'
  | 'activation'
  | 'loss'
  | 'weight'
  | 'rho'
  | 'beta'
  | 'noise'
  | 'level'
  | 'holdout'
  | 'learningRate'
  | 'batchSize'
  | 'seed'
  | 'source';

export interface FamilyInfo {
  title: string;
  /** One sentence: what the family adds to a plain autoencoder. */
  idea: string;
  /** Settings beyond those every family has (dataset, family, latent, holdout). */
  uses: readonly Setting[];
}

const network: readonly Setting[] = [
  'conv',
  'hidden',
  'activation',
  'loss',
  'learningRate',
  'batchSize',
  'seed',
];

export const familyInfo: Record<Family, FamilyInfo> = {
  vanilla: {
    title: 'Autoencoder',
    idea: 'An encoder squeezes each digit into a short code and a decoder draws it back; training lowers the reconstruction error.',
    uses: network,
  },
  'sparse-l1': {
    title: 'Sparse autoencoder (L1)',
    idea: 'Adds weight × the mean sum of |hidden activations|, so that few hidden units fire for any one digit.',
    uses: [...network, 'weight'],
  },
  'sparse-kl': {
    title: 'Sparse autoencoder (KL)',
    idea: 'Adds weight × KL(ρ ‖ mean activation) over the hidden units, pulling each unit to fire a fraction ρ of the time.',
    uses: [...network, 'weight', 'rho'],
  },
  denoising: {
    title: 'Denoising autoencoder',
    idea: 'Corrupts each training digit and asks for the clean one back, so the code must capture what digits look like.',
    uses: [...network, 'noise', 'level'],
  },
  vae: {
    title: 'Variational autoencoder',
    idea: 'The code is a Gaussian; beta × KL(q(z|x) ‖ N(0, I)) keeps codes near the prior, so decoding prior samples draws new digits.',
    uses: [...network, 'beta'],
  },
  contractive: {
    title: 'Contractive autoencoder',
    idea: "Adds weight × the squared norm of the first layer's Jacobian, so that small changes of a digit barely move its features.",
    uses: [...network, 'weight'],
  },
  pca: {
    title: 'PCA',
    idea: 'The linear baseline: the code is the projection on the top principal components, fitted in one step (no training loop).',
    uses: [],
  },
};

/** Settings every family has. */
export const commonSettings: readonly Setting[] = ['dataset', 'family', 'latent', 'holdout', 'source'];

export function usesSetting(family: Family, setting: Setting): boolean {
  return commonSettings.includes(setting) || familyInfo[family].uses.includes(setting);
}
