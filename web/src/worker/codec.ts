// One surface over the two kinds of model a slot can hold: an engine
// autoencoder (any family) and PCA, the linear baseline. The views are
// computed against this surface, so each works for both where it makes sense.
import type { LatentLab, Model, PCA } from 'latentlab';

/** The objective and its terms on some digits (means over samples). */
export interface Scores {
  loss: number;
  reconstruction: number;
  sparsity: number;
  contractive: number;
  kl: number;
}

export interface FirstLayer {
  /** count x 784: one row per unit (filter). */
  filters: Float32Array;
  count: number;
  units: number;
  title: string;
}

export interface Codec {
  readonly kind: 'autoencoder' | 'pca';
  readonly latentSize: number;
  /** Codes follow the prior N(0, I) (a VAE). */
  readonly variational: boolean;
  readonly parameterCount: number;
  encode(images: Float32Array): Float32Array;
  decode(codes: Float32Array): Float32Array;
  reconstruct(images: Float32Array): Float32Array;
  /** One score per image, higher for images reconstructed worse. */
  anomalyScores(images: Float32Array): Float32Array;
  evaluate(images: Float32Array): Scores;
  firstLayer(maxCount: number): FirstLayer;
  dispose(): void;
}

const pixels = 784;

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

  encode(images: Float32Array): Float32Array {
    return this.model.encode(images);
  }

  decode(codes: Float32Array): Float32Array {
    return this.model.decode(codes);
  }

  reconstruct(images: Float32Array): Float32Array {
    return this.model.reconstruct(images);
  }

  anomalyScores(images: Float32Array): Float32Array {
    return this.model.anomalyScores(images);
  }

  evaluate(images: Float32Array): Scores {
    const { loss, reconstruction, sparsity, contractive, kl } = this.model.evaluate(images);
    return { loss, reconstruction, sparsity, contractive, kl };
  }

  /** Rows of the first layer's W (stored column-major, units x 784). */
  firstLayer(maxCount: number): FirstLayer {
    const config = this.model.config;
    const units = config.encoder[0] ?? config.latentSize;
    const count = Math.min(units, maxCount);
    const weights = this.model.parameters();
    const filters = new Float32Array(count * pixels);
    for (let unit = 0; unit < count; unit++) {
      for (let i = 0; i < pixels; i++) filters[unit * pixels + i] = weights[unit + i * units];
    }
    const where = config.encoder.length > 0 ? 'first hidden layer' : 'code layer';
    return { filters, count, units, title: `${where}: the input weights of ${count} of its ${units} units` };
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
  static fit(ll: LatentLab, images: Float32Array, components: number): PcaCodec {
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

  encode(images: Float32Array): Float32Array {
    return this.pca.encode(images);
  }

  decode(codes: Float32Array): Float32Array {
    return this.pca.decode(codes);
  }

  reconstruct(images: Float32Array): Float32Array {
    return this.pca.reconstruct(images);
  }

  /** Squared reconstruction error summed over pixels. */
  anomalyScores(images: Float32Array): Float32Array {
    const reconstructions = this.reconstruct(images);
    const scores = new Float32Array(images.length / pixels);
    for (let s = 0; s < scores.length; s++) {
      let sum = 0;
      for (let i = s * pixels; i < (s + 1) * pixels; i++) sum += (reconstructions[i] - images[i]) ** 2;
      scores[s] = sum;
    }
    return scores;
  }

  evaluate(images: Float32Array): Scores {
    const { loss } = this.pca.evaluate(images);
    return { loss, reconstruction: loss, sparsity: 0, contractive: 0, kl: 0 };
  }

  /** The principal components as images: decode(e_i) - decode(0). */
  firstLayer(maxCount: number): FirstLayer {
    const units = this.latentSize;
    const count = Math.min(units, maxCount);
    const codes = new Float32Array((count + 1) * units);
    for (let i = 0; i < count; i++) codes[(i + 1) * units + i] = 1;
    const decoded = this.decode(codes);
    const filters = new Float32Array(count * pixels);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < pixels; j++) filters[i * pixels + j] = decoded[(i + 1) * pixels + j] - decoded[j];
    }
    return { filters, count, units, title: `the top ${count} of ${units} principal components` };
  }

  dispose(): void {
    this.pca.dispose();
  }
}
