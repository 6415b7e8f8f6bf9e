// Training data copied once into the engine, so that training in slices
// (as a Web Worker does between messages) never copies it again.
import { checkByteRows, checkShape, type ValueRange } from './arrays.js';
import type { Engine, RawDataset } from './engine.mjs';
import { Handle } from './handle.js';
import { checkKeys } from './options.js';

export interface DatasetOptions {
  /**
   * Uint8Array data only: every byte is multiplied by `scale` inside the
   * engine, e.g. 1 / 255 to turn pixels into values in [0, 1]. Default: 1.
   */
  scale?: number;
}

export class Dataset extends Handle<RawDataset> {
  /** Number of samples. */
  readonly count: number;
  /** Values per sample. */
  readonly features: number;
  /** Smallest and largest value held. */
  readonly range: ValueRange;

  /**
   * @internal Use LatentLab.createDataset. `name` is what errors call the
   * values.
   */
  constructor(
    engine: Engine,
    values: Float32Array | Uint8Array,
    features: number,
    options: DatasetOptions = {},
    name = 'values',
  ) {
    if (!Number.isInteger(features) || features < 1) {
      throw new RangeError(`features must be a positive integer, got ${String(features)}`);
    }
    checkKeys(options, ['scale'], 'createDataset options');
    let raw: RawDataset;
    let range: ValueRange;
    if (values instanceof Uint8Array) {
      const scale = options.scale ?? 1;
      if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
        throw new RangeError(`scale must be a finite number > 0, got ${String(scale)}`);
      }
      const bytes = checkByteRows(values, features, name);
      // The engine computes byte * scale in double and rounds to float, as fround does.
      range = { min: Math.fround(bytes.min * scale), max: Math.fround(bytes.max * scale) };
      raw = engine.Dataset.fromBytes(values, features, scale);
    } else {
      if (options.scale !== undefined) {
        throw new TypeError('scale applies to Uint8Array data only; scale a Float32Array yourself');
      }
      // The engine checks every value and finds the range in the pass that
      // copies them in.
      checkShape(values, features, name);
      raw = new engine.Dataset(values, features, name);
      range = { min: raw.min(), max: raw.max() };
    }
    super(raw, 'Dataset');
    this.count = values.length / features;
    this.features = features;
    this.range = range;
  }

  /** @internal The engine object, for Model's training calls. */
  get rawDataset(): RawDataset {
    return this.raw;
  }
}
