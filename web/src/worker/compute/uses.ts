// Uses of a trained model: anomaly detection by reconstruction error, and
// the comparison with PCA at the same code size.
import type { Dataset } from 'latentlab';
import { className, sampleNoun, splitName } from '../../lab/datasets';
import {
  anomalySourceBytes,
  bytesAt,
  digitDataset,
  heldOutIndices,
  imagesOf,
  memoized,
  rows,
} from '../mnist-sets';
import { normalScores as sharedNormalScores } from './latent';
import { buffersOf, pixels, type ViewComputer } from './context';

/** Most points of the ROC curve sent. */
const rocPoints = 200;

export const anomaly: ViewComputer<'anomaly'> = (context, { anomalies, level }) => {
  const { ll, slot, test } = context;
  const codec = slot.codec!;
  let normal: Dataset;
  let anomalous: Float32Array | Dataset;
  let description: string;
  const dataset = slot.experiment.dataset;
  const noun = sampleNoun(dataset);
  if (anomalies === 'held-out') {
    const digit = slot.experiment.holdout;
    if (digit < 0) {
      return {
        notice:
          dataset === 'mnist'
            ? 'Held-out digits need a model trained without one digit: set "Hold out digit" in the settings and train, ' +
              'or use the pretrained model holdout-2.'
            : 'A held-out class needs a model trained without one class: set "Hold out class" in the settings and train.',
      };
    }
    const indices = memoized(test, `held-out ${digit}`, () => heldOutIndices(test, digit));
    normal = memoized(test, `held-out ${digit}: normal`, () =>
      digitDataset(ll, bytesAt(test.bytes, indices.normal)),
    );
    anomalous = memoized(test, `held-out ${digit}: anomalous`, () =>
      digitDataset(ll, bytesAt(test.bytes, indices.anomalous)),
    );
    const unseen =
      dataset === 'mnist'
        ? `test ${digit}s, the digit it never saw`
        : `test ${noun}s of ${className(dataset, digit)}, the class it never saw`;
    description = `${count(normal)} test ${noun}s of the nine classes it trained on against ${count(anomalous)} ${unseen}`;
  } else {
    normal = test.normal;
    if (anomalies === 'inverted') {
      anomalous = memoized(test, 'inverted', () =>
        digitDataset(
          ll,
          anomalySourceBytes(test).map((b) => 255 - b),
        ),
      );
      description = `${count(normal)} test ${noun}s against ${count(anomalous)} other test ${noun}s inverted (black on white)`;
    } else {
      const std = Math.max(0.01, Math.min(level, 2));
      anomalous = memoized(test, `noise ${std}`, () =>
        ll.corrupt(imagesOf(anomalySourceBytes(test)), { kind: 'gaussian', std }, { seed: 11 }),
      );
      description = `${count(normal)} test ${noun}s against ${count(anomalous)} other test ${noun}s with Gaussian noise (std ${std})`;
    }
  }
  // The usual normal set's scores are shared with the drawing pad (copied: they are transferred).
  const normalScores =
    anomalies === 'held-out' ? codec.anomalyScores(normal) : sharedNormalScores(context).slice();
  const anomalousScores = codec.anomalyScores(anomalous);
  const scores = new Float64Array(normalScores.length + anomalousScores.length);
  scores.set(normalScores);
  scores.set(anomalousScores, normalScores.length);
  const labels = new Uint8Array(scores.length).fill(1, normalScores.length);
  const { falsePositiveRate, truePositiveRate, auc } = ll.rocCurve(scores, labels, { maxPoints: rocPoints });
  // (false positive rate, true positive rate) pairs, as the view draws them.
  const roc = new Float32Array(2 * falsePositiveRate.length);
  falsePositiveRate.forEach((rate, i) => {
    roc[2 * i] = rate;
    roc[2 * i + 1] = truePositiveRate[i];
  });
  return {
    data: { normal: normalScores, anomalous: anomalousScores, auc, roc, description },
    transfer: buffersOf(normalScores, anomalousScores, roc),
  };
};

function count(images: Float32Array | Dataset): number {
  return images instanceof Float32Array ? images.length / pixels : images.count;
}

export const pcaCompare: ViewComputer<'pca-compare'> = (
  { ll, slot, test, pca, trainingDigitsFailed },
  { count },
) => {
  const codec = slot.codec!;
  if (codec.kind === 'pca') {
    return { notice: 'This model is PCA itself: choose an autoencoder family to compare it with PCA.' };
  }
  const latent = codec.latentSize;
  const baseline = pca(latent, slot.experiment.holdout);
  const training = splitName(slot.experiment.dataset, 'train');
  if (!baseline && trainingDigitsFailed)
    return { notice: `PCA is fitted to the ${training}, which could not be loaded.` };
  if (!baseline)
    return {
      notice: `Fitting PCA with ${latent} components once the ${training} have loaded…`,
      waiting: true,
    };
  const shown = Math.max(1, Math.min(count, test.probes.labels.length));
  const originals = test.probes.images.slice(0, shown * pixels);
  const autoencoder = codec.reconstruct(originals);
  const pcaReconstructions = baseline.reconstruct(originals);
  // The test loss's digits as floats, for a comparison of reconstructions computed once per model.
  const evaluationImages = () => imagesOf(rows(test.bytes, 0, test.layout.evaluation));
  const autoencoderMse = slot.cached('ae-mse', () => {
    const images = evaluationImages();
    return ll.meanSquaredError(codec.reconstruct(images), images);
  });
  if (!baseline.memo.has('test-mse')) {
    const images = evaluationImages();
    baseline.memo.set('test-mse', ll.meanSquaredError(baseline.reconstruct(images), images));
  }
  const pcaMse = baseline.memo.get('test-mse') as number;
  return {
    data: { originals, autoencoder, pca: pcaReconstructions, autoencoderMse, pcaMse, latent },
    transfer: buffersOf(originals, autoencoder, pcaReconstructions),
  };
};
