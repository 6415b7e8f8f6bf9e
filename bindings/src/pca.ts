// Principal component analysis, the linear baseline, with the autoencoders'
// encode / decode / reconstruct surface.
import { checkInterpolation, checkRows } from './arrays.js';
import type { Engine, RawPCA } from './engine.mjs';
import { Handle } from './handle.js';
import { checkKeys } from './options.js';

export interface PCAConfig {
  /** Features per sample. */
  inputSize: number;
  /** Principal components kept: the size of the code. */
  components: number;
}

export class PCA extends Handle<RawPCA> {
  readonly inputSize: number;
  readonly components: number;
  readonly #engine: Engine;
  #fitted = false;

  /** @internal Use LatentLab.createPCA. */
  constructor(engine: Engine, config: PCAConfig) {
    checkKeys(config, ['inputSize', 'components'], 'createPCA');
    const { inputSize, components } = config;
    if (!Number.isInteger(inputSize) || inputSize < 1 || inputSize > 65536) {
      throw new RangeError(`inputSize must be an integer in [1, 65536], got ${String(inputSize)}`);
    }
    if (!Number.isInteger(components) || components < 1 || components > inputSize) {
      throw new RangeError(`components must be an integer in [1, inputSize], got ${String(components)}`);
    }
    super(new engine.PCA(inputSize, components), 'PCA');
    this.inputSize = inputSize;
    this.components = components;
    this.#engine = engine;
  }

  /** Computes the mean and the principal components of n x inputSize samples. */
  fit(images: Float32Array): void {
    checkRows(images, this.inputSize, 'images');
    this.raw.fit(images);
    this.#fitted = true;
  }

  encode(images: Float32Array): Float32Array {
    this.#requireFitted();
    checkRows(images, this.inputSize, 'images');
    return this.raw.encode(images);
  }

  decode(codes: Float32Array): Float32Array {
    this.#requireFitted();
    checkRows(codes, this.components, 'codes');
    return this.raw.decode(codes);
  }

  reconstruct(images: Float32Array): Float32Array {
    this.#requireFitted();
    checkRows(images, this.inputSize, 'images');
    return this.raw.reconstruct(images);
  }

  /** Mean squared reconstruction error over samples and features. */
  evaluate(images: Float32Array): { loss: number } {
    const reconstructions = this.reconstruct(images);
    return { loss: this.#engine.meanSquaredError(reconstructions, images) };
  }

  /** One score per sample: the squared reconstruction error summed over features. */
  anomalyScores(images: Float32Array): Float32Array {
    this.#requireFitted();
    checkRows(images, this.inputSize, 'images');
    return this.raw.anomalyScores(images);
  }

  /**
   * Decodes `steps` codes evenly spaced on the line from the code of image
   * `a` to that of image `b` (both ends included): steps x inputSize values.
   */
  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array {
    this.#requireFitted();
    checkInterpolation(a, b, steps, this.inputSize);
    return this.raw.interpolate(a, b, steps);
  }

  /** The principal components: components x inputSize, one unit-length row each, largest variance first. */
  componentVectors(): Float32Array {
    this.#requireFitted();
    return this.raw.componentVectors();
  }

  /** Variance of the data along each component, largest first. */
  explainedVariance(): Float32Array {
    this.#requireFitted();
    return this.raw.explainedVariance();
  }

  #requireFitted(): void {
    if (!this.#fitted) throw new Error('this PCA has not been fitted: call fit(images) first');
  }
}
