// Between the page's Experiment and the engine's options, both ways: the
// ModelConfig that builds an experiment's autoencoder, and the experiment a
// loaded model file describes (or why the page cannot show it).
import type { LatentLab, ModelConfig, ResolvedLayer, ResolvedModelConfig, TrainOptions } from 'latentlab';
import { className, datasetTitle } from './datasets';
import { defaultsFor, inputSize, maxHiddenLayers, maxLayerSize, type Experiment } from './experiment';
import type { Setting } from './families';
import { errorMessage } from './protocol';

/** The engine's configuration of an autoencoder family; undefined for PCA. */
export function modelConfigOf(e: Experiment): ModelConfig | undefined {
  if (e.family === 'pca') return undefined;
  const config: ModelConfig = {
    inputSize,
    encoder: [...e.hidden],
    latentSize: e.latent,
    activation: e.activation,
    outputActivation: 'sigmoid',
    loss: e.loss,
    seed: e.seed,
  };
  switch (e.family) {
    case 'sparse-l1':
      config.sparsity = { kind: 'l1', weight: e.weight };
      break;
    case 'sparse-kl':
      config.sparsity = { kind: 'kl', target: e.rho, weight: e.weight };
      break;
    case 'denoising':
      config.noise =
        e.noise === 'gaussian' ? { kind: 'gaussian', std: e.level } : { kind: e.noise, rate: e.level };
      break;
    case 'vae':
      config.variational = { beta: e.beta };
      break;
    case 'contractive':
      config.contractive = { weight: e.weight };
      break;
  }
  return config;
}

/**
 * The engine's objection to an experiment's model, in its own words (its
 * schema checks every configuration: createModel would throw the same), or
 * undefined if it can be built. PCA has no model configuration.
 */
export function engineObjection(ll: LatentLab, e: Experiment): string | undefined {
  const config = modelConfigOf(e);
  if (!config) return undefined;
  try {
    ll.resolveModelConfig(config);
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

// The option an engine message starts with (model_schema.cpp names it first),
// and the page setting that feeds it (see modelConfigOf).
const settingOfOption: Record<string, Setting> = {
  encoder: 'hidden',
  latentSize: 'latent',
  activation: 'activation',
  loss: 'loss',
  seed: 'seed',
  sparsity: 'activation',
  'sparsity.weight': 'weight',
  'sparsity.target': 'rho',
  'noise.std': 'level',
  'noise.rate': 'level',
  'variational.beta': 'beta',
  'contractive.weight': 'weight',
};

/** The setting an engine objection concerns, to mark beside the form. */
export function settingOfObjection(message: string): Setting | undefined {
  const option = /^[\w.]+/.exec(message)?.[0].replace(/\[\d+\]$/, '') ?? '';
  return settingOfOption[option] ?? settingOfOption[option.split('.')[0]];
}

export function trainOptionsOf(e: Experiment): TrainOptions {
  return { batchSize: e.batchSize, learningRate: e.learningRate, optimizer: 'adam' };
}

export type ExperimentOfConfig = { experiment: Experiment } | { problem: string };

/**
 * The experiment whose model has this configuration (a loaded file's), with
 * the data set and training settings of `current` (a model file does not say
 * what it was trained on); or, if the page cannot show such a model, a
 * sentence saying why.
 */
export function experimentOfConfig(config: ResolvedModelConfig, current: Experiment): ExperimentOfConfig {
  const dense = (list: readonly ResolvedLayer[]): list is number[] =>
    list.every((layer) => typeof layer === 'number');
  if (!dense(config.encoder) || !dense(config.decoder)) {
    return { problem: 'it has image layers (convolutions or pooling); the page builds dense models only' };
  }
  const encoder = config.encoder;
  const decoder = config.decoder;
  const layers = [config.inputSize, ...encoder, config.latentSize].join('-');
  if (config.inputSize !== inputSize) {
    return {
      problem: `it is not an MNIST model: it takes ${config.inputSize} inputs, not ${inputSize} (28 × 28 pixels)`,
    };
  }
  const mirrored = decoder.join(',') === [...encoder].reverse().join(',');
  if (!mirrored)
    return { problem: `its decoder (${decoder.join('-')}) does not mirror its encoder (${layers})` };
  if (encoder.length > maxHiddenLayers || encoder.some((size) => size > maxLayerSize)) {
    return {
      problem: `its ${layers} layers are larger than the page offers (${maxHiddenLayers} hidden layers of up to ${maxLayerSize})`,
    };
  }
  if (config.activation === 'identity')
    return { problem: 'its hidden layers are linear (identity activation)' };
  const decoderActivation = (config as { decoderActivation?: string }).decoderActivation ?? config.activation;
  if (decoder.length > 0 && decoderActivation !== config.activation) {
    return {
      problem: `its decoder's hidden layers use ${decoderActivation} and its encoder's ${config.activation}; the page's use one activation`,
    };
  }
  if (config.latentActivation !== 'identity') {
    return { problem: `its code has a ${config.latentActivation} activation; the page's codes are linear` };
  }
  if (config.outputActivation !== 'sigmoid') {
    return { problem: `its output activation is ${config.outputActivation}; the page draws sigmoid outputs` };
  }
  const parts = [config.sparsity, config.noise, config.variational, config.contractive].filter(Boolean);
  if (parts.length > 1)
    return { problem: 'it combines several families (e.g. sparse and denoising) in one model' };
  if (config.sparsity && (config.sparsity.layer ?? 0) !== 0) {
    return { problem: 'its sparsity penalty is on a deeper layer than the first' };
  }

  let family: Experiment['family'] = 'vanilla';
  if (config.sparsity) family = config.sparsity.kind === 'l1' ? 'sparse-l1' : 'sparse-kl';
  else if (config.noise) family = 'denoising';
  else if (config.variational) family = 'vae';
  else if (config.contractive) family = 'contractive';
  const experiment: Experiment = {
    ...defaultsFor(family, current.dataset),
    hidden: [...encoder],
    latent: config.latentSize,
    activation: config.activation,
    loss: config.loss,
    seed: config.seed,
    holdout: current.holdout,
    learningRate: current.learningRate,
    batchSize: current.batchSize,
  };
  if (config.sparsity) {
    experiment.weight = config.sparsity.weight;
    if (config.sparsity.kind === 'kl') experiment.rho = config.sparsity.target;
  }
  if (config.noise) {
    experiment.noise = config.noise.kind;
    experiment.level = config.noise.kind === 'gaussian' ? config.noise.std : config.noise.rate;
  }
  if (config.variational) experiment.beta = config.variational.beta;
  if (config.contractive) experiment.weight = config.contractive.weight;
  return { experiment };
}

/** e.g. "784-128-32 sparse autoencoder (KL, ρ 0.05, weight 0.01) on MNIST, sigmoid, MSE; Adam lr 0.005, batch 128, seed 1". */
export function describeExperiment(e: Experiment): string {
  const on = ` on ${datasetTitle(e.dataset)}`;
  if (e.family === 'pca') {
    return `PCA with ${e.latent} components${on}${heldOut(e)}`;
  }
  const layers = [inputSize, ...e.hidden, e.latent].join('-');
  const noun: Record<Exclude<Experiment['family'], 'pca'>, string> = {
    vanilla: 'autoencoder',
    'sparse-l1': `sparse autoencoder (L1 weight ${e.weight})`,
    'sparse-kl': `sparse autoencoder (KL, ρ ${e.rho}, weight ${e.weight})`,
    denoising: `denoising autoencoder (${e.noise} noise, ${e.noise === 'gaussian' ? 'std' : 'rate'} ${e.level})`,
    vae: `variational autoencoder (β ${e.beta})`,
    contractive: `contractive autoencoder (weight ${e.weight})`,
  };
  return (
    `${layers} ${noun[e.family]}${on}, ${e.activation}, ${e.loss.toUpperCase()}${heldOut(e)}; ` +
    `Adam lr ${e.learningRate}, batch ${e.batchSize}, seed ${e.seed}`
  );
}

function heldOut(e: Experiment): string {
  if (e.holdout < 0) return '';
  return e.dataset === 'mnist'
    ? `, trained without the digit ${e.holdout}`
    : `, trained without the class ${className(e.dataset, e.holdout)}`;
}
