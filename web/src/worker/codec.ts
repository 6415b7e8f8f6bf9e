// One surface over the two kinds of model a slot can hold: an engine
// autoencoder (any family) and PCA, the linear baseline. The views are
// computed against this surface, so each works for both where it makes sense.
// What reads whole sets of digits takes an engine Dataset (or a Float32Array,
// copied in for the call); what shows a few digits takes floats.
import type { Dataset, LatentLab, Model, PCA } from 'latentlab';
import { imageSide, inputSize as pixels } from '../lab/experiment';

/** The objective and its terms on some digits (means over samples). */
export interface Scores {
  loss: number;
  reconstruction: number;
  sparsity: number;
  contractive: number;
  kl: number;
}

export interface FirstLayer {
  /** count x side x side: one filter per unit (or per kernel of a convolution). */
  filters: Float32Array;
  count: number;
  side: number;
  units: number;
  title: string;
}

export interface Codec {
  readonly kind: 'autoencoder' | 'pca';
  readonly latentSize: number;
  /** Codes follow the prior N(0, I) (a VAE). */
  readonly variational: boolean;
  readonly parameterCount: number;
  encode(images: Float32Array | Dataset): Float32Array;
  decode(codes: Float32Array): Float32Array;
  reconstruct(images: Float32Array): Float32Array;
  /** One score per image, higher for images reconstructed worse. */
  anomalyScores(images: Float32Array | Dataset): Float32Array;
  evaluate(images: Float32Array | Dataset): Scores;
  /** Decodes `steps` codes evenly spaced between the codes of images a and b: steps x 784. */
  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array;
  firstLayer(maxCount: number): FirstLayer;
  dispose(): void;
}

export class AutoencoderCodec implements Codec {
  readonly kind = 'autoencoder';
  readonly model: Model;

  constructor(model: Model) {
    this.model = model;
  }

  get latentSize(): number {
    return this.model.latentSize;
  }

  get variational(): boolean {
    return this.model.config.variational !== undefined;
  }

  get parameterCount(): number {
    return this.model.parameterCount;
  }

  encode(images: Float32Array | Dataset): Float32Array {
    return this.model.encode(images);
  }

  decode(codes: Float32Array): Float32Array {
    return this.model.decode(codes);
  }

  reconstruct(images: Float32Array): Float32Array {
    return this.model.reconstruct(images);
  }

  anomalyScores(images: Float32Array | Dataset): Float32Array {
    return this.model.anomalyScores(images);
  }

  evaluate(images: Float32Array | Dataset): Scores {
    const { loss, reconstruction, sparsity, contractive, kl } = this.model.evaluate(images);
    return { loss, reconstruction, sparsity, contractive, kl };
  }

  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array {
    return this.model.interpolate(a, b, steps);
  }

  /**
   * The first rows of a dense first layer's weight ([units, 784], a row per
   * unit), or the first kernels of a convolution's ([channels, in, k, k]).
   */
  firstLayer(maxCount: number): FirstLayer {
    const config = this.model.config;
    const weight = this.model.weights()[0];
    const units = weight.shape[0];
    if (weight.shape.length === 4) {
      const [, inputs, side] = weight.shape;
      const kernels = units * inputs;
      const count = Math.min(kernels, maxCount);
      const filters = weight.values.slice(0, count * side * side);
      const shown = count < kernels ? `${count} of the ${kernels}` : `the ${kernels}`;
      return {
        filters,
        count,
        side,
        units,
        title: `first convolution: ${shown} ${side} × ${side} kernels of its ${units} channels`,
      };
    }
    const count = Math.min(units, maxCount);
    const filters = weight.values.slice(0, count * pixels);
    const where = config.encoder.length > 0 ? 'first hidden layer' : 'code layer';
    return {
      filters,
      count,
      side: imageSide,
      units,
      title: `${where}: the input weights of ${count} of its ${units} units`,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

export class PcaCodec implements Codec {
  readonly kind = 'pca';
  readonly variational = false;
  readonly pca: PCA;
  /** Results that never change for a fitted PCA (e.g. its test error), by name. */
  readonly memo = new Map<string, unknown>();

  constructor(pca: PCA) {
    this.pca = pca;
  }

  /** Fits `components` principal components to n x 784 images. */
  static fit(ll: LatentLab, images: Float32Array | Dataset, components: number): PcaCodec {
    const pca = ll.createPCA({ inputSize: pixels, components });
    try {
      pca.fit(images);
    } catch (error) {
      pca.dispose();
      throw error;
    }
    return new PcaCodec(pca);
  }

  get latentSize(): number {
    return this.pca.components;
  }

  /** The mean and the components. */
  get parameterCount(): number {
    return pixels * (this.pca.components + 1);
  }

  encode(images: Float32Array | Dataset): Float32Array {
    return this.pca.encode(images);
  }

  decode(codes: Float32Array): Float32Array {
    return this.pca.decode(codes);
  }

  reconstruct(images: Float32Array): Float32Array {
    return this.pca.reconstruct(images);
  }

  /** Squared reconstruction error summed over pixels. */
  anomalyScores(images: Float32Array | Dataset): Float32Array {
    return this.pca.anomalyScores(images);
  }

  interpolate(a: Float32Array, b: Float32Array, steps: number): Float32Array {
    return this.pca.interpolate(a, b, steps);
  }

  evaluate(images: Float32Array | Dataset): Scores {
    const { loss } = this.pca.evaluate(images);
    return { loss, reconstruction: loss, sparsity: 0, contractive: 0, kl: 0 };
  }

  /** The principal components as images. */
  firstLayer(maxCount: number): FirstLayer {
    const units = this.latentSize;
    const count = Math.min(units, maxCount);
    const filters = this.pca.componentVectors().slice(0, count * pixels);
    return {
      filters,
      count,
      side: imageSide,
      units,
      title: `the top ${count} of ${units} principal components`,
    };
  }

  dispose(): void {
    this.pca.dispose();
  }
}
