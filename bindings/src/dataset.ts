// Training data copied once into the engine, so that training in slices
// (as a Web Worker does between messages) never copies it again.
import { checkRows, type ValueRange } from './arrays.js';
import type { Engine, RawDataset } from './engine.mjs';
import { Handle } from './handle.js';

export class Dataset extends Handle<RawDataset> {
  /** Number of samples. */
  readonly count: number;
  /** Values per sample. */
  readonly features: number;
  /** Smallest and largest value held. */
  readonly range: ValueRange;

  /** @internal Use LatentLab.createDataset. */
  constructor(engine: Engine, values: Float32Array, features: number) {
    if (!Number.isInteger(features) || features < 1) {
      throw new RangeError(`features must be a positive integer, got ${String(features)}`);
    }
    const range = checkRows(values, features, 'values');
    super(new engine.Dataset(values, features), 'Dataset');
    this.count = values.length / features;
    this.features = features;
    this.range = range;
  }

  /** @internal The engine object, for Model's training calls. */
  get rawDataset(): RawDataset {
    return this.raw;
  }
}
