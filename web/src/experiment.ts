// The experiment (architecture, optimiser settings, seed) lives in the URL
// hash, e.g. `#hidden=256&latent=32&lr=0.001&batch=128&seed=0`, so that a link
// reproduces it. Pure parse/serialise functions driven by one property list,
// after TensorFlow Playground's state.ts.
import type { ModelConfig, TrainOptions } from 'latentlab';

export interface Experiment {
  /** Encoder hidden sizes, input side first (the decoder mirrors them). */
  hidden: number[];
  latent: number;
  learningRate: number;
  batchSize: number;
  seed: number;
}

export const defaultExperiment: Readonly<Experiment> = Object.freeze({
  hidden: [256],
  latent: 32,
  learningRate: 1e-3,
  batchSize: 128,
  seed: 0,
});

/** MNIST digits are 28 x 28 pixels. */
export const inputSize = 784;

type Kind = 'sizes' | 'integer' | 'number';
interface Property {
  field: keyof Experiment;
  key: string;
  kind: Kind;
  min: number;
  max: number;
}

const properties: readonly Property[] = [
  { field: 'hidden', key: 'hidden', kind: 'sizes', min: 1, max: 4096 },
  { field: 'latent', key: 'latent', kind: 'integer', min: 2, max: 784 },
  { field: 'learningRate', key: 'lr', kind: 'number', min: 1e-7, max: 1 },
  { field: 'batchSize', key: 'batch', kind: 'integer', min: 1, max: 4096 },
  { field: 'seed', key: 'seed', kind: 'integer', min: 0, max: 2 ** 31 - 1 },
];

export interface ParsedExperiment {
  experiment: Experiment;
  /** One sentence per ignored hash entry, for the page to show. */
  problems: string[];
}

/** Reads an experiment from a URL hash; entries that are unknown or out of range fall back to defaults. */
export function parseExperiment(hash: string): ParsedExperiment {
  const experiment: Experiment = { ...defaultExperiment, hidden: [...defaultExperiment.hidden] };
  const problems: string[] = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [key, text] of params) {
    const property = properties.find((p) => p.key === key);
    if (property === undefined) {
      problems.push(`unknown setting '${key}' ignored`);
      continue;
    }
    const value = parseValue(text, property);
    if (value === undefined) {
      const range = `${property.min} to ${property.max}`;
      problems.push(`${key}=${text} ignored: expected ${describeKind(property.kind)} from ${range}`);
      continue;
    }
    (experiment as unknown as Record<string, unknown>)[property.field] = value;
  }
  return { experiment, problems };
}

/** The hash (without '#') that parseExperiment reads back as `experiment`. */
export function serializeExperiment(experiment: Experiment): string {
  return properties
    .map((p) => {
      const value = experiment[p.field];
      return `${p.key}=${Array.isArray(value) ? value.join(',') : String(value)}`;
    })
    .join('&');
}

export function modelConfigOf(experiment: Experiment): ModelConfig {
  return {
    inputSize,
    encoder: [...experiment.hidden],
    latentSize: experiment.latent,
    activation: 'relu',
    outputActivation: 'sigmoid',
    loss: 'mse',
    seed: experiment.seed,
  };
}

export function trainOptionsOf(experiment: Experiment): TrainOptions {
  return { batchSize: experiment.batchSize, learningRate: experiment.learningRate, optimizer: 'adam' };
}

/** e.g. "784-256-32 autoencoder, Adam lr 0.001, batch 128, seed 0". */
export function describeExperiment(e: Experiment): string {
  const layers = [inputSize, ...e.hidden, e.latent].join('-');
  return `${layers} autoencoder (ReLU, sigmoid output, MSE), Adam lr ${e.learningRate}, batch ${e.batchSize}, seed ${e.seed}`;
}

function parseValue(text: string, p: Property): number | number[] | undefined {
  if (p.kind === 'sizes') {
    const sizes = text === '' ? [] : text.split(',').map((part) => parseNumber(part, 'integer', p));
    return sizes.every((s) => s !== undefined) ? (sizes as number[]) : undefined;
  }
  return parseNumber(text, p.kind, p);
}

function parseNumber(text: string, kind: Kind, p: Property): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < p.min || value > p.max) return undefined;
  if (kind !== 'number' && !Number.isInteger(value)) return undefined;
  return value;
}

function describeKind(kind: Kind): string {
  return kind === 'sizes' ? 'comma-separated layer sizes' : kind === 'integer' ? 'an integer' : 'a number';
}
