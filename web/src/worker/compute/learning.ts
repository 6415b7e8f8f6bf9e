// The views that show what the model has learnt so far: reconstructions,
// first-layer filters and the histogram of hidden activations.
import { AutoencoderCodec } from '../codec';
import { buffersOf, pixels, type ViewComputer } from './context';

export const reconstructions: ViewComputer<'reconstructions'> = ({ ll, slot, test }, { count }) => {
  const shown = Math.max(1, Math.min(count, test.probes.labels.length));
  const originals = test.probes.images.slice(0, shown * pixels);
  const labels = test.probes.labels.slice(0, shown);
  const reconstructed = slot.codec!.reconstruct(originals);
  const mse = ll.meanSquaredError(originals, reconstructed);
  return {
    data: { originals: { images: originals, labels }, reconstructions: reconstructed, mse },
    transfer: buffersOf(originals, labels, reconstructed),
  };
};

export const filters: ViewComputer<'filters'> = ({ slot }, { count }) => {
  const layer = slot.codec!.firstLayer(Math.max(1, Math.min(count, 256)));
  return { data: layer, transfer: buffersOf(layer.filters) };
};

const bins = 40;

export const activations: ViewComputer<'activations'> = ({ slot, test }) => {
  const codec = slot.codec!;
  if (!(codec instanceof AutoencoderCodec)) {
    return { notice: 'PCA has no hidden units: its code is a linear projection of the image.' };
  }
  const { model } = codec;
  const { unitMeans, mean, fractionInactive, histogram } = model.activationStatistics(test.activations, 0, {
    bins,
  });
  const config = model.config;
  const sparsity = config.sparsity;
  return {
    data: {
      counts: histogram.counts,
      low: histogram.low,
      high: histogram.high,
      unitMeans,
      meanActivation: mean,
      fractionInactive,
      target: sparsity?.kind === 'kl' ? sparsity.target : undefined,
      activation: config.encoder.length > 0 ? config.activation : config.latentActivation,
    },
    transfer: buffersOf(histogram.counts, unitMeans),
  };
};

export const denoising: ViewComputer<'denoising'> = ({ ll, slot, test }, { noise, level, count, seed }) => {
  const shown = Math.max(1, Math.min(count, test.probes.labels.length));
  const originals = test.probes.images.slice(0, shown * pixels);
  let noisy: Float32Array;
  try {
    noisy = ll.corrupt(
      originals,
      noise === 'gaussian' ? { kind: 'gaussian', std: level } : { kind: noise, rate: level },
      { seed },
    );
  } catch (error) {
    return { notice: `Cannot add that noise: ${error instanceof Error ? error.message : String(error)}` };
  }
  const denoised = slot.codec!.reconstruct(noisy);
  return {
    data: {
      originals,
      noisy,
      denoised,
      noisyMse: ll.meanSquaredError(noisy, originals),
      denoisedMse: ll.meanSquaredError(denoised, originals),
    },
    transfer: buffersOf(originals, noisy, denoised),
  };
};
