// Between the page's Experiment and the engine's options, both ways: the
// ModelConfig that builds an experiment's autoencoder, and the experiment a
// loaded model file describes (or why the page cannot show it).
import type {
  LatentLab,
  Layer,
  ModelConfig,
  ResolvedLayer,
  ResolvedModelConfig,
  TrainOptions,
} from 'latentlab';
import { className, datasetTitle } from './datasets';
import {
  defaultsFor,
  imageSide,
  inputSize,
  maxChannels,
  maxConvLayers,
  maxHiddenLayers,
  maxLayerSize,
  type Experiment,
} from './experiment';
import type { Setting } from './families';
import { errorMessage } from './protocol';

/** The page's convolutions: 3 x 3 kernels, padded by 1 and with stride 2, so that each halves the image. */
export const convGeometry = { kernel: 3, stride: 2, padding: 1 } as const;

/** The input of a convolutional model: one grey channel of 28 x 28 pixels. */
const imageShape: [channels: number, height: number, width: number] = [1, imageSide, imageSide];

/** The layers of the experiment's model, without its family's parts: what its decoder mirrors. */
function architectureOf(
  e: Experiment,
): Pick<ModelConfig, 'inputSize' | 'inputShape' | 'encoder' | 'latentSize'> {
  return {
    inputSize,
    ...(e.conv.length > 0 ? { inputShape: imageShape } : {}),
    encoder: [...e.conv.map((channels) => ({ conv: channels, ...convGeometry })), ...e.hidden],
    latentSize: e.latent,
  };
}

/** The engine's configuration of an autoencoder family; undefined for PCA. */
export function modelConfigOf(e: Experiment): ModelConfig | undefined {
  if (e.family === 'pca') return undefined;
  const config: ModelConfig = {
    ...architectureOf(e),
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
// and the page setting that feeds it (see modelConfigOf); encoder[i] is a
// convolution or a dense layer by its index.
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

/** The setting an engine objection to experiment `e`'s model concerns, to mark beside the form. */
export function settingOfObjection(message: string, e: Experiment): Setting | undefined {
  const [, option = '', index] = /^([\w.]+)(?:\[(\d+)\])?/.exec(message) ?? [];
  if (option === 'encoder' && index !== undefined && Number(index) < e.conv.length) return 'conv';
  return settingOfOption[option] ?? settingOfOption[option.split('.')[0]];
}

export function trainOptionsOf(e: Experiment): TrainOptions {
  return { batchSize: e.batchSize, learningRate: e.learningRate, optimizer: 'adam' };
}

export type ExperimentOfConfig = { experiment: Experiment } | { problem: string };

/** A layer as the page's sentences and file names write it: 128, conv16, deconv1, pool2, reshape32x7x7. */
function layerText(layer: Layer): string {
  if (typeof layer === 'number') return String(layer);
  if ('conv' in layer) return `conv${layer.conv}`;
  if ('deconv' in layer) return `deconv${layer.deconv}`;
  if ('pool' in layer) return `pool${layer.pool}`;
  if ('upsample' in layer) return `upsample${layer.upsample}`;
  return `reshape${layer.reshape.join('x')}`;
}

/** The experiment's layers, input to code, e.g. "784-conv16-conv32-128-32" (in its description and file name). */
export function layersOf(e: Experiment): string {
  return [inputSize, ...(architectureOf(e).encoder ?? []), e.latent].map(layerText).join('-');
}

function isPageConv(layer: ResolvedLayer): layer is Extract<ResolvedLayer, { conv: number }> {
  return (
    typeof layer !== 'number' &&
    'conv' in layer &&
    layer.kernel === convGeometry.kernel &&
    layer.stride === convGeometry.stride &&
    layer.padding === convGeometry.padding
  );
}

/** A convolution's kernel, stride and padding, in parentheses (else nothing). */
function geometryText(layer: ResolvedLayer): string {
  if (typeof layer === 'number' || !('conv' in layer)) return '';
  return ` (kernel ${layer.kernel}, stride ${layer.stride}, padding ${layer.padding})`;
}

const pageConv = `${convGeometry.kernel} × ${convGeometry.kernel} convolutions with stride ${convGeometry.stride} and padding ${convGeometry.padding}`;

/**
 * The experiment whose model has this configuration (a loaded file's), with
 * the data set and training settings of `current` (a model file does not say
 * what it was trained on); or, if the page cannot show such a model, a
 * sentence saying why. The engine says what the page's decoder for those
 * layers is (their mirror).
 */
export function experimentOfConfig(
  ll: LatentLab,
  config: ResolvedModelConfig,
  current: Experiment,
): ExperimentOfConfig {
  if (config.inputSize !== inputSize) {
    return {
      problem: `it is not an MNIST model: it takes ${config.inputSize} inputs, not ${inputSize} (28 × 28 pixels)`,
    };
  }
  const shape = config.inputShape;
  if (shape && shape.join() !== imageShape.join()) {
    return {
      problem: `its input is a ${shape.join(' × ')} image, not ${imageShape.join(' × ')} (one grey channel)`,
    };
  }
  // The page's encoders: its convolutions, then dense layers.
  const conv: number[] = [];
  const hidden: number[] = [];
  for (const layer of config.encoder) {
    if (typeof layer === 'number') hidden.push(layer);
    else if (isPageConv(layer) && hidden.length === 0) conv.push(layer.conv);
    else {
      const where = hidden.length > 0 ? ' after a dense one' : '';
      return {
        problem: `its encoder has a ${layerText(layer)}${geometryText(layer)} layer${where}; the page's models start with ${pageConv}, then dense layers`,
      };
    }
  }
  const layers = [inputSize, ...config.encoder, config.latentSize].map(layerText).join('-');
  if (conv.length > maxConvLayers || conv.some((channels) => channels > maxChannels)) {
    return {
      problem: `its ${layers} layers have more convolutions than the page offers (${maxConvLayers} of up to ${maxChannels} channels)`,
    };
  }
  if (hidden.length > maxHiddenLayers || hidden.some((size) => size > maxLayerSize)) {
    return {
      problem: `its ${layers} layers are larger than the page offers (${maxHiddenLayers} hidden layers of up to ${maxLayerSize})`,
    };
  }
  const decoder = config.decoder;
  const architecture = { ...defaultsFor('vanilla'), conv, hidden, latent: config.latentSize };
  const mirror = ll.resolveModelConfig(architectureOf(architecture)).decoder;
  if (JSON.stringify(decoder) !== JSON.stringify(mirror)) {
    return {
      problem: `its decoder (${decoder.map(layerText).join('-')}) does not mirror its encoder (${layers})`,
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
    conv,
    hidden,
    latent: config.latentSize,
    activation: config.activation,
    loss: config.loss,
    seed: config.seed,
    holdout: current.holdout,
    learningRate: current.learningRate,
    batchSize: current.batchSize,
    source: current.source,
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
  const noun: Record<Exclude<Experiment['family'], 'pca'>, string> = {
    vanilla: 'autoencoder',
    'sparse-l1': `sparse autoencoder (L1 weight ${e.weight})`,
    'sparse-kl': `sparse autoencoder (KL, ρ ${e.rho}, weight ${e.weight})`,
    denoising: `denoising autoencoder (${e.noise} noise, ${e.noise === 'gaussian' ? 'std' : 'rate'} ${e.level})`,
    vae: `variational autoencoder (β ${e.beta})`,
    contractive: `contractive autoencoder (weight ${e.weight})`,
  };
  return (
    `${layersOf(e)} ${noun[e.family]}${on}, ${e.activation}, ${e.loss.toUpperCase()}${heldOut(e)}; ` +
    `Adam lr ${e.learningRate}, batch ${e.batchSize}, seed ${e.seed}`
  );
}

function heldOut(e: Experiment): string {
  if (e.holdout < 0) return '';
  return e.dataset === 'mnist'
    ? `, trained without the digit ${e.holdout}`
    : `, trained without the class ${className(e.dataset, e.holdout)}`;
}
