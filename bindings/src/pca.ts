// Principal component analysis, the linear baseline, with the autoencoders'
// encode / decode / reconstruct surface.
import { checkInterpolation, checkRows, shown } from './arrays.js';
import { withDataset, type Dataset } from './dataset.js';
import type { Engine, RawDataset, RawPCA } from './engine.mjs';
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
      throw new RangeError(`inputSize must be an integer in [1, 65536], got ${shown(inputSize)}`);
    }
    if (!Number.isInteger(components) || components < 1 || components > inputSize) {
      throw new RangeError(`components must be an integer in [1, inputSize], got ${shown(components)}`);
    }
    super(new engine.PCA(inputSize, components), 'PCA');
    this.inputSize = inputSize;
    this.components = components;
    this.#engine = engine;
  }

  /** Computes the mean and the principal components of n x inputSize samples. */
  fit(images: Float32Array | Dataset): void {
    this.#withData(images, (data) => this.raw.fit(data));
    this.#fitted = true;
  }

  encode(images: Float32Array | Dataset): Float32Array {
    this.#requireFitted();
    return this.#withData(images, (data) => this.raw.encode(data));
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
  evaluate(images: Float32Array | Dataset): { loss: number } {
    this.#requireFitted();
    return { loss: this.#withData(images, (data) => this.raw.evaluate(data)) };
  }

  /** One score per sample: the squared reconstruction error summed over features. */
  anomalyScores(images: Float32Array | Dataset): Float32Array {
    this.#requireFitted();
    return this.#withData(images, (data) => this.raw.anomalyScores(data));
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

  /** `body` on the engine's copy of the images (a Float32Array is copied in for the call). */
  #withData<T>(images: Float32Array | Dataset, body: (data: RawDataset) => T): T {
    return withDataset(this.#engine, images, this.inputSize, 'images', body);
  }

  #requireFitted(): void {
    if (!this.#fitted) throw new Error('this PCA has not been fitted: call fit(images) first');
  }
}
