// The views that show what the model has learnt so far: reconstructions,
// first-layer filters and the histogram of hidden activations.
import { AutoencoderCodec } from '../codec';
import { buffersOf, meanSquaredError, pixels, type ViewComputer } from './context';

export const reconstructions: ViewComputer<'reconstructions'> = ({ slot, test }, { count }) => {
  const shown = Math.max(1, Math.min(count, test.probes.labels.length));
  const originals = test.probes.images.slice(0, shown * pixels);
  const labels = test.probes.labels.slice(0, shown);
  const reconstructed = slot.codec!.reconstruct(originals);
  const mse = meanSquaredError(originals, reconstructed);
  return {
    data: { originals: { images: originals, labels }, reconstructions: reconstructed, mse },
    transfer: buffersOf(originals, labels, reconstructed),
  };
};

export const filters: ViewComputer<'filters'> = ({ slot }, { count }) => {
  const layer = slot.codec!.firstLayer(Math.max(1, Math.min(count, 256)));
  return { data: layer, transfer: buffersOf(layer.filters) };
};

/** Digits the activation statistics are taken over. */
const activationSamples = 500;
const bins = 40;

export const activations: ViewComputer<'activations'> = ({ slot, test }) => {
  const codec = slot.codec!;
  if (!(codec instanceof AutoencoderCodec)) {
    return { notice: 'PCA has no hidden units: its code is a linear projection of the image.' };
  }
  const { model } = codec;
  const units = model.config.encoder[0] ?? model.latentSize;
  const images = test.evaluation.subarray(0, activationSamples * pixels);
  const values = model.hiddenActivations(images, 0);
  let low = Infinity;
  let high = -Infinity;
  let inactive = 0;
  let sum = 0;
  const unitMeans = new Float32Array(units);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    low = Math.min(low, v);
    high = Math.max(high, v);
    sum += v;
    if (Math.abs(v) < 0.01) inactive++;
    unitMeans[i % units] += v;
  }
  const samples = values.length / units;
  for (let u = 0; u < units; u++) unitMeans[u] /= samples;
  // Sigmoid units live in (0, 1): keep that range so that runs compare.
  const activation =
    model.config.encoder.length > 0 ? model.config.activation : model.config.latentActivation;
  if (activation === 'sigmoid') {
    low = 0;
    high = 1;
  } else if (activation === 'relu') {
    low = 0;
  }
  if (!(high > low)) high = low + 1;
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(((values[i] - low) / (high - low)) * bins)));
    counts[bin]++;
  }
  const sparsity = model.config.sparsity;
  return {
    data: {
      counts,
      low,
      high,
      unitMeans,
      meanActivation: sum / values.length,
      fractionInactive: inactive / values.length,
      target: sparsity?.kind === 'kl' ? sparsity.target : undefined,
      activation,
    },
    transfer: buffersOf(counts, unitMeans),
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
      noisyMse: meanSquaredError(noisy, originals),
      denoisedMse: meanSquaredError(denoised, originals),
    },
    transfer: buffersOf(originals, noisy, denoised),
  };
};
