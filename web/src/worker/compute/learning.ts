// The views that show what the model has learnt so far: reconstructions,
// first-layer filters, a convolutional encoder's feature maps and the
// histogram of hidden activations.
import type { ResolvedLayer } from 'latentlab';
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

export const featureMaps: ViewComputer<'feature-maps'> = ({ slot, test }, { image }) => {
  const codec = slot.codec!;
  if (!(codec instanceof AutoencoderCodec)) {
    return { notice: 'PCA has no feature maps: its code is a linear projection of the image.' };
  }
  const { model } = codec;
  const convolutions = model.config.encoder.flatMap((layer, index) =>
    typeof layer !== 'number' && 'conv' in layer ? [{ index, channels: layer.conv }] : [],
  );
  if (convolutions.length === 0) {
    return {
      notice:
        'Feature maps are what convolutions compute, and this model has none: choose the convolutional architecture (or the conv preset).',
    };
  }
  const choices = test.probes.labels.slice();
  const chosen = Math.max(0, Math.min(choices.length - 1, Math.round(image)));
  const input = test.probes.images.slice(chosen * pixels, (chosen + 1) * pixels);
  const layers = convolutions.map(({ index, channels }) => {
    const maps = model.hiddenActivations(input, index);
    // Square maps: the page's images and kernels are square.
    return { channels, side: Math.round(Math.sqrt(maps.length / channels)), maps };
  });
  return {
    data: { image: input, label: test.probes.labels[chosen], choices, layers },
    transfer: buffersOf(input, choices, ...layers.map((layer) => layer.maps)),
  };
};

const bins = 40;

/** What the first layer's units are: a convolution's are its channels at every position (square maps). */
function unitsOf(first: ResolvedLayer | undefined, count: number): string {
  if (first === undefined || typeof first === 'number' || !('conv' in first)) return 'units';
  const side = Math.round(Math.sqrt(count / first.conv));
  return `values of the first convolution (${first.conv} channels × ${side} × ${side} positions)`;
}

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
      units: unitsOf(config.encoder[0], unitMeans.length),
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
