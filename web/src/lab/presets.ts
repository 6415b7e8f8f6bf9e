// Named setups, each with a small model pretrained by scripts/pretrain.mjs
// (web/public/models/<name>.safetensors), so that views show a meaningful
// result before any training. A view's `model` attribute is a preset name or
// an experiment hash; resolveSpec turns either into an experiment. A preset
// is trained on the data set its spec names (MNIST if none): the data set is
// part of the model key, so presetFor finds a file only for that data set.
import { convolutional, modelKey, parseExperiment, serializeExperiment, type Experiment } from './experiment';

/** The page's convolutional architecture, as hash entries. */
const conv = `conv=${convolutional.conv.join(',')}&hidden=${convolutional.hidden.join(',')}`;
// A 2-D code straight from 32 x 7 x 7 maps learns worse than through a dense
// layer: in 2 epochs the negative ELBO on the MNIST test digits is 169.6 nats
// without one, 160.9 with 128 units (the 784-128-2 vae-2d: 163.9 after 3).
const convVae = `conv=${convolutional.conv.join(',')}&hidden=128`;

export interface Preset {
  name: string;
  title: string;
  /** The experiment, as a URL hash. */
  spec: string;
  /** Epochs of pretraining over the data set's 60,000 training images (0: PCA, fitted when the page has the data). */
  epochs: number;
}

export const presets: readonly Preset[] = [
  { name: 'vanilla', title: 'Autoencoder, 32-D code', spec: 'family=vanilla', epochs: 2 },
  { name: 'vanilla-2d', title: 'Autoencoder, 2-D code', spec: 'family=vanilla&latent=2', epochs: 3 },
  { name: 'sparse-l1', title: 'Sparse autoencoder (L1)', spec: 'family=sparse-l1', epochs: 2 },
  { name: 'sparse-kl', title: 'Sparse autoencoder (KL)', spec: 'family=sparse-kl', epochs: 2 },
  { name: 'denoising', title: 'Denoising autoencoder', spec: 'family=denoising', epochs: 2 },
  { name: 'vae-2d', title: 'Variational autoencoder, 2-D code', spec: 'family=vae', epochs: 3 },
  { name: 'contractive', title: 'Contractive autoencoder', spec: 'family=contractive', epochs: 2 },
  { name: 'holdout-2', title: 'Autoencoder trained without 2s', spec: 'family=vanilla&holdout=2', epochs: 2 },
  { name: 'pca', title: 'PCA, 32 components', spec: 'family=pca', epochs: 0 },
  { name: 'conv', title: 'Convolutional autoencoder, 32-D code', spec: `family=vanilla&${conv}`, epochs: 2 },
  { name: 'conv-vae', title: 'Convolutional VAE, 2-D code', spec: `family=vae&${convVae}`, epochs: 2 },
  {
    name: 'fashion-conv',
    title: 'Convolutional autoencoder, 32-D code',
    spec: `dataset=fashion&family=vanilla&${conv}`,
    epochs: 2,
  },
  {
    name: 'fashion-conv-vae',
    title: 'Convolutional VAE, 2-D code',
    spec: `dataset=fashion&family=vae&${convVae}`,
    epochs: 2,
  },
];

export function presetExperiment(preset: Preset): Experiment {
  return parseExperiment(preset.spec).experiment;
}

/** The preset whose model `experiment` has (same weights), if any. */
export function presetFor(experiment: Experiment): Preset | undefined {
  const key = modelKey(experiment);
  return presets.find((preset) => modelKey(presetExperiment(preset)) === key);
}

/** Whether a pretrained model file ships for the preset. */
export function hasModelFile(preset: Preset): boolean {
  return preset.epochs > 0;
}

export interface ResolvedSpec {
  experiment: Experiment;
  /** The canonical hash of the experiment. */
  spec: string;
  /** modelKey(experiment): views whose specs share it share one model. */
  key: string;
  problems: string[];
}

/** A preset name ('vae-2d'), an experiment hash ('family=vae&latent=2'), or '' (the default experiment). */
export function resolveSpec(spec: string | null | undefined): ResolvedSpec {
  const text = (spec ?? '').trim().replace(/^#/, '');
  const preset = presets.find((p) => p.name === text);
  const { experiment, problems } = parseExperiment(preset ? preset.spec : text);
  if (!preset && text !== '' && !text.includes('=')) {
    problems.unshift(
      `'${text}' is not a preset (${presets.map((p) => p.name).join(', ')}) nor settings like family=vae&latent=2`,
    );
  }
  return { experiment, spec: serializeExperiment(experiment), key: modelKey(experiment), problems };
}
