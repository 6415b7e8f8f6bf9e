// Named setups, each with a small model pretrained by scripts/pretrain.mjs
// (web/public/models/<name>.safetensors), so that views show a meaningful
// result before any training. A view's `model` attribute is a preset name or
// an experiment hash; resolveSpec turns either into an experiment. Every
// preset is an MNIST model (its spec names no data set): the same settings on
// Fashion-MNIST have another model key, so presetFor never finds a file for them.
import { modelKey, parseExperiment, serializeExperiment, type Experiment } from './experiment';

export interface Preset {
  name: string;
  title: string;
  /** The experiment, as a URL hash. */
  spec: string;
  /** Epochs of pretraining over the 60,000 training digits (0: PCA, fitted when the page has the data). */
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
