// The experiment (data set, family, sizes, hyperparameters, seed) and its form
// in the URL hash, e.g. `#dataset=mnist&family=vae&hidden=128&latent=2&...`,
// so that a link reproduces it. Pure parse/serialise functions driven by one
// property list, after TensorFlow Playground's state.ts. A hash names only
// the settings its family uses; absent ones take the family's defaults (and
// MNIST and no convolutions, so that links from before Fashion-MNIST and
// convolutions still open what they did).
import { datasetNames, type DatasetName } from './datasets';
import {
  activations,
  families,
  losses,
  noiseKinds,
  usesSetting,
  type Activation,
  type Family,
  type Loss,
  type NoiseKind,
  type Setting,
} from './families';

export interface Experiment {
  /** What it trains on: MNIST or Fashion-MNIST. */
  dataset: DatasetName;
  family: Family;
  /**
   * Output channels of the convolutions the encoder starts with, input side
   * first (their kernel, stride and padding are model-config.ts's
   * convGeometry); empty: a dense model. The decoder mirrors them.
   */
  conv: number[];
  /** Encoder dense hidden sizes, input side first, after any convolutions (the decoder mirrors them). */
  hidden: number[];
  /** Size of the code. */
  latent: number;
  /** Hidden layers' activation (the code is linear, the output a sigmoid). */
  activation: Activation;
  loss: Loss;
  /** Penalty weight: L1 and KL sparsity, contractive. */
  weight: number;
  /** KL sparsity: target mean activation ρ. */
  rho: number;
  /** VAE: weight of the KL term. */
  beta: number;
  /** Denoising: corruption kind and level (std for gaussian, rate otherwise). */
  noise: NoiseKind;
  level: number;
  /** A class (digit) left out of the training data (for anomaly detection), or -1. */
  holdout: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  /**
   * The model file a view gave for these weights (`src`: its URL; bytes:
   * sha256:<hex> of them), '' for the experiment's own (pretrained or seeded).
   * Part of the model key, so that a file never stands in for another model.
   */
  source: string;
}

/** MNIST's and Fashion-MNIST's images are 28 x 28 pixels. */
export const imageSide = 28;
export const inputSize = imageSide * imageSide;
export const maxHiddenLayers = 3;
export const maxLayerSize = 1024;
/** Three stride-2 convolutions already take 28 x 28 images to 4 x 4; wider ones train slowly in a browser. */
export const maxConvLayers = 3;
export const maxChannels = 128;

/** The convolutional architecture of the form's "convolutional" choice and of the conv presets. */
export const convolutional: { readonly conv: readonly number[]; readonly hidden: readonly number[] } =
  Object.freeze({ conv: Object.freeze([16, 32]), hidden: Object.freeze([]) });

const baseDefaults: Readonly<Experiment> = Object.freeze({
  dataset: 'mnist',
  family: 'vanilla',
  conv: [],
  hidden: [128],
  latent: 32,
  activation: 'relu',
  loss: 'mse',
  weight: 0,
  rho: 0.05,
  beta: 1,
  noise: 'gaussian',
  level: 0.4,
  holdout: -1,
  learningRate: 2e-3,
  batchSize: 128,
  seed: 1,
  source: '',
} satisfies Experiment);

const familyDefaults: Record<Family, Partial<Experiment>> = {
  vanilla: {},
  'sparse-l1': { weight: 1e-4 },
  'sparse-kl': { activation: 'sigmoid', weight: 0.01, rho: 0.05, learningRate: 5e-3 },
  denoising: { noise: 'gaussian', level: 0.4 },
  vae: { latent: 2, loss: 'bce', beta: 1 },
  contractive: { activation: 'sigmoid', weight: 1e-3, learningRate: 5e-3 },
  pca: {},
};

/** The defaults of a family (on MNIST unless told): what a hash with only `family=` (and `dataset=`) means. */
export function defaultsFor(family: Family, dataset: DatasetName = baseDefaults.dataset): Experiment {
  return {
    ...baseDefaults,
    conv: [...baseDefaults.conv],
    hidden: [...baseDefaults.hidden],
    ...familyDefaults[family],
    family,
    dataset,
  };
}

export const defaultExperiment: Readonly<Experiment> = Object.freeze(defaultsFor('vanilla'));

type Kind =
  | { type: 'choice'; choices: readonly string[] }
  | { type: 'sizes'; maxLayers: number; maxSize: number; what: string }
  | { type: 'integer'; min: number; max: number }
  | { type: 'number'; min: number; max: number }
  | { type: 'digit-or-none' }
  | { type: 'text'; maxLength: number };

interface Property {
  field: Setting;
  key: string;
  kind: Kind;
  /** Left out of hashes while empty, so that hashes read as they did before the setting existed. */
  omittedWhenEmpty?: true;
}

/** In URL order. */
const properties: readonly Property[] = [
  { field: 'dataset', key: 'dataset', kind: { type: 'choice', choices: datasetNames } },
  { field: 'family', key: 'family', kind: { type: 'choice', choices: families } },
  {
    field: 'conv',
    key: 'conv',
    kind: { type: 'sizes', maxLayers: maxConvLayers, maxSize: maxChannels, what: 'channel counts' },
    omittedWhenEmpty: true,
  },
  {
    field: 'hidden',
    key: 'hidden',
    kind: { type: 'sizes', maxLayers: maxHiddenLayers, maxSize: maxLayerSize, what: 'layer sizes' },
  },
  { field: 'latent', key: 'latent', kind: { type: 'integer', min: 1, max: inputSize } },
  { field: 'activation', key: 'act', kind: { type: 'choice', choices: activations } },
  { field: 'loss', key: 'loss', kind: { type: 'choice', choices: losses } },
  { field: 'weight', key: 'weight', kind: { type: 'number', min: 0, max: 10 } },
  { field: 'rho', key: 'rho', kind: { type: 'number', min: 1e-4, max: 0.9999 } },
  { field: 'beta', key: 'beta', kind: { type: 'number', min: 0, max: 100 } },
  { field: 'noise', key: 'noise', kind: { type: 'choice', choices: noiseKinds } },
  { field: 'level', key: 'level', kind: { type: 'number', min: 0, max: 2 } },
  { field: 'holdout', key: 'holdout', kind: { type: 'digit-or-none' } },
  { field: 'learningRate', key: 'lr', kind: { type: 'number', min: 1e-6, max: 1 } },
  { field: 'batchSize', key: 'batch', kind: { type: 'integer', min: 1, max: 4096 } },
  { field: 'seed', key: 'seed', kind: { type: 'integer', min: 0, max: 2 ** 31 - 1 } },
  { field: 'source', key: 'src', kind: { type: 'text', maxLength: 2048 }, omittedWhenEmpty: true },
];

/** The URL key of a setting, e.g. 'lr' for learningRate. */
export function keyOf(setting: Setting): string {
  return properties.find((p) => p.field === setting)!.key;
}

/** Settings that shape the model (all but the optimiser's); equal keys mean the same weights. */
const trainingOnly: readonly Setting[] = ['learningRate', 'batchSize'];

export interface ParsedExperiment {
  experiment: Experiment;
  /** One sentence per ignored hash entry, for the page to show. */
  problems: string[];
}

/**
 * The longest hash read: the page writes about 250 characters, and a longer
 * one (pasted or hostile) would give a problem line per entry.
 */
const maxHashLength = 4096;

/** Text from a hash as a problem quotes it: at most 40 characters, then its length. */
function quoted(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 40)}… (${text.length} characters)`;
}

/** Reads an experiment from a URL hash (with or without '#'); bad entries keep their defaults and are reported. */
export function parseExperiment(hash: string): ParsedExperiment {
  const settings = hash.replace(/^#/, '');
  if (settings.length > maxHashLength) {
    return {
      experiment: defaultsFor('vanilla'),
      problems: [`the settings are ${settings.length} characters long, more than ${maxHashLength}: ignored`],
    };
  }
  const params = new URLSearchParams(settings);
  const problems: string[] = [];
  let family: Family = 'vanilla';
  const familyText = params.get('family');
  if (familyText !== null) {
    if ((families as readonly string[]).includes(familyText)) family = familyText as Family;
    else problems.push(`family=${quoted(familyText)} ignored: expected one of ${families.join(', ')}`);
  }
  const experiment = defaultsFor(family);
  for (const [key, text] of params) {
    if (key === 'family') continue;
    const property = properties.find((p) => p.key === key);
    if (property === undefined) {
      problems.push(`unknown setting '${quoted(key)}' ignored`);
      continue;
    }
    if (!usesSetting(family, property.field)) {
      problems.push(`${key} ignored: the ${family} family does not use it`);
      continue;
    }
    const value = parseValue(text, property.kind);
    if (value === undefined) {
      problems.push(`${key}=${quoted(text)} ignored: expected ${describeKind(property.kind)}`);
      continue;
    }
    (experiment as unknown as Record<string, unknown>)[property.field] = value;
  }
  return { experiment, problems };
}

/** The hash (without '#') that parseExperiment reads back as `experiment`: the settings its family uses. */
export function serializeExperiment(experiment: Experiment): string {
  return serialize(experiment, () => true);
}

/**
 * The settings that determine the model's weights, as a string: two
 * experiments with equal keys differ only in how training would continue
 * (learning rate, batch size), so they can share one model.
 */
export function modelKey(experiment: Experiment): string {
  return serialize(experiment, (setting) => !trainingOnly.includes(setting));
}

function serialize(experiment: Experiment, include: (setting: Setting) => boolean): string {
  return properties
    .filter((p) => usesSetting(experiment.family, p.field) && include(p.field))
    .filter(
      (p) =>
        !(p.omittedWhenEmpty && (experiment[p.field as keyof Experiment] as unknown[] | string).length === 0),
    )
    .map((p) => `${p.key}=${formatValue(experiment[p.field as keyof Experiment], p.kind)}`)
    .join('&');
}

function formatValue(value: unknown, kind: Kind): string {
  if (kind.type === 'sizes') return (value as number[]).join(',');
  if (kind.type === 'digit-or-none') return (value as number) < 0 ? 'none' : String(value);
  if (kind.type === 'text') return encodeURIComponent(value as string);
  return String(value);
}

function parseValue(text: string, kind: Kind): unknown {
  switch (kind.type) {
    case 'choice':
      return kind.choices.includes(text) ? text : undefined;
    case 'sizes': {
      if (text === '') return [];
      const sizes = text.split(',').map((part) => parseNumber(part, true, 1, kind.maxSize));
      return sizes.length <= kind.maxLayers && sizes.every((s) => s !== undefined) ? sizes : undefined;
    }
    case 'integer':
      return parseNumber(text, true, kind.min, kind.max);
    case 'number':
      return parseNumber(text, false, kind.min, kind.max);
    case 'digit-or-none':
      return text === 'none' ? -1 : parseNumber(text, true, 0, 9);
    case 'text':
      return text.length > 0 && text.length <= kind.maxLength ? text : undefined;
  }
}

function parseNumber(text: string, integer: boolean, min: number, max: number): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) return undefined;
  if (integer && !Number.isInteger(value)) return undefined;
  return value;
}

function describeKind(kind: Kind): string {
  switch (kind.type) {
    case 'choice':
      return `one of ${kind.choices.join(', ')}`;
    case 'sizes':
      return `up to ${kind.maxLayers} comma-separated ${kind.what} from 1 to ${kind.maxSize}`;
    case 'integer':
      return `an integer from ${kind.min} to ${kind.max}`;
    case 'number':
      return `a number from ${kind.min} to ${kind.max}`;
    case 'digit-or-none':
      return 'a digit 0-9 or none';
    case 'text':
      return `a model file's name of 1 to ${kind.maxLength} characters`;
  }
}
