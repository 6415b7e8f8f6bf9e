// Data copied once into the engine, so that training in slices (as a Web
// Worker does between messages) and reading the same data again (evaluation,
// codes, anomaly scores...) never copy it again. Bytes stay bytes in the
// engine: one byte a value.
import { checkByteShape, checkShape, describe, shown, type ValueRange } from './arrays.js';
import type { Engine, RawDataset } from './engine.mjs';
import { Handle } from './handle.js';
import { checkKeys } from './options.js';

export interface DatasetOptions {
  /**
   * Uint8Array data only: every byte stands for byte * scale (computed in
   * double, rounded to float, as a Float32Array stores it), e.g. 1 / 255 to
   * turn pixels into values in [0, 1], exactly as imagesFromIdx does. The
   * engine holds the bytes and converts each mini-batch as it is gathered.
   * Default: 1.
   */
  scale?: number;
}

export class Dataset extends Handle<RawDataset> {
  /** Number of samples. */
  readonly count: number;
  /** Values per sample. */
  readonly features: number;
  /** Smallest and largest value held (bytes: with the scale applied). */
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
      throw new RangeError(`features must be a positive integer, got ${shown(features)}`);
    }
    checkKeys(options, ['scale'], 'createDataset options');
    let raw: RawDataset;
    // The engine checks every value (floats) and finds the range in the pass
    // that takes the values in; it checks the scale.
    if (values instanceof Uint8Array) {
      const scale = options.scale ?? 1;
      if (typeof scale !== 'number') throw new TypeError(`scale must be a number, got ${describe(scale)}`);
      checkByteShape(values, features, name);
      raw = engine.Dataset.fromBytes(values, features, scale, name);
    } else {
      if (options.scale !== undefined) {
        throw new TypeError('scale applies to Uint8Array data only; scale a Float32Array yourself');
      }
      checkShape(values, features, name);
      raw = new engine.Dataset(values, features, name);
    }
    super(raw, 'Dataset');
    this.count = values.length / features;
    this.features = features;
    this.range = { min: raw.min(), max: raw.max() };
  }

  /** @internal The engine object, for the calls that read it. */
  get rawDataset(): RawDataset {
    return this.raw;
  }
}

/**
 * @internal `body` on the engine object of `data`: a Dataset's own, or one
 * made from a Float32Array of n x `features` values for this call only
 * (the engine checks its values as it copies them in).
 */
export function withDataset<T>(
  engine: Engine,
  data: Float32Array | Dataset,
  features: number,
  name: string,
  body: (raw: RawDataset) => T,
): T {
  if (data instanceof Dataset) return body(data.rawDataset);
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${name} must be a Float32Array or a Dataset, got ${describe(data)}`);
  }
  const dataset = new Dataset(engine, data, features, {}, name);
  try {
    return body(dataset.rawDataset);
  } finally {
    dataset.dispose();
  }
}
