// The reader's own IDX files as the page's data set 'own': read and checked
// by the package exactly as MNIST is (readIdxImages: the engine's IDX parser,
// 28 x 28 images, one label 0-9 per image), then cut into training and test
// images, since the views draw test images that the model never trained on.
import type { IdxImages } from 'latentlab';
import type { Experiment } from '../lab/experiment';
import type { OwnDataSummary } from '../lab/protocol';
import { minTestCount, pixels, type TrainSet } from './mnist-sets';

/** One image in this many is kept for testing (MNIST keeps 10,000 of 70,000). */
const testShare = 6;
/** Most test images: as many as MNIST's. */
export const maxOwnTestCount = 10000;
/** Fewest images: enough for minTestCount test images. */
export const minOwnCount = minTestCount * testShare;

export interface OwnSplits {
  train: TrainSet;
  test: TrainSet;
  summary: OwnDataSummary;
}

/** Of n images, how many are test images: the last sixth, rounded up, at most 10,000. */
export function ownTestCount(count: number): number {
  return Math.min(maxOwnTestCount, Math.ceil(count / testShare));
}

/**
 * The first images for training, the last ownTestCount for testing. Without
 * labels every image is class 0 (the views show one colour and name no class).
 */
export function splitOwnImages(own: IdxImages, files: { images: string; labels?: string }): OwnSplits {
  if (own.count < minOwnCount) {
    throw new RangeError(
      `${files.images}: ${own.count} images, but the page needs at least ${minOwnCount} ` +
        `(a sixth of them, at least ${minTestCount}, are kept for testing)`,
    );
  }
  const test = ownTestCount(own.count);
  const train = own.count - test;
  const labelled = own.labels !== undefined;
  const labels = own.labels ?? new Uint8Array(own.count);
  const bytes = own.images.data;
  return {
    train: {
      count: train,
      bytes: bytes.subarray(0, train * pixels),
      labels: labels.subarray(0, train),
      labelled,
    },
    test: { count: test, bytes: bytes.subarray(train * pixels), labels: labels.subarray(train), labelled },
    summary: { ...files, train, test, labelled },
  };
}

/** Why a model on these images cannot be trained as `experiment` says, or undefined. */
export function ownDataObjection(own: OwnSplits, experiment: Experiment): string | undefined {
  const holdout = experiment.holdout;
  if (holdout < 0) return undefined;
  if (!own.train.labelled) {
    return 'Your IDX files have no labels, so no class can be held out: set it to none.';
  }
  if (!own.train.labels.includes(holdout)) {
    return `No training image of your IDX files has label ${holdout}, so it cannot be held out.`;
  }
  return undefined;
}
