// Generation: decoding codes the model never saw. A VAE's codes follow the
// prior N(0, I), so prior samples and a grid of prior quantiles decode to
// digits; other models' codes follow no known law, so samples come from a
// Gaussian fitted to the test codes and the grid spans the codes' range.
import type { ColumnStatistics } from 'latentlab';
import { AutoencoderCodec } from '../codec';
import { buffersOf, mapCodes, pixels, type ViewComputer, type ViewContext } from './context';
import { mapPca } from './latent';

/** Mean, spread and the 2nd and 98th percentiles of each code dimension of the map's digits. */
function codeStatistics(context: ViewContext): ColumnStatistics {
  const { ll, slot } = context;
  return slot.cached('code-statistics', () =>
    ll.columnStatistics(mapCodes(context), slot.codec!.latentSize, { quantiles: [0.02, 0.98] }),
  );
}

export const samples: ViewComputer<'samples'> = (context, { count, seed }) => {
  const codec = context.slot.codec!;
  const n = Math.max(1, Math.min(count, 100));
  if (codec.variational && codec instanceof AutoencoderCodec) {
    const images = codec.model.sample(n, { seed });
    return { data: { images, source: 'prior' }, transfer: buffersOf(images) };
  }
  // Codes drawn from the Gaussian fitted to the test codes: mean + std * N(0, 1).
  const { mean, std } = codeStatistics(context);
  const latent = codec.latentSize;
  const draws = context.ll.randomNormal(n * latent, { seed });
  const codes = new Float32Array(n * latent);
  for (let i = 0; i < codes.length; i++) codes[i] = mean[i % latent] + std[i % latent] * draws[i];
  const images = codec.decode(codes);
  return { data: { images, source: 'code-fit' }, transfer: buffersOf(images) };
};

export const manifold: ViewComputer<'manifold'> = (context, { size }) => {
  const codec = context.slot.codec!;
  const latent = codec.latentSize;
  const side = Math.max(2, Math.min(size, 30));
  if (latent < 2)
    return { notice: 'A 1-D code has no plane to walk across: choose a latent size of 2 or more.' };
  const codes = new Float32Array(side * side * latent);
  let mode: 'prior' | 'codes' | 'principal-plane';
  let extent: number;
  // Row r, column c: x grows to the right, y grows upwards (row 0 is the top).
  const at = (r: number, c: number) => (r * side + c) * latent;
  const fraction = (i: number) => (i + 0.5) / side;
  if (latent === 2 && codec.variational) {
    mode = 'prior';
    extent = 0.95;
    // Quantiles of N(0, 1) from 2.5% to 97.5%, as in Kingma & Welling's figure.
    const quantile = (i: number) => context.ll.normalQuantile(0.025 + 0.95 * fraction(i));
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        codes[at(r, c)] = quantile(c);
        codes[at(r, c) + 1] = quantile(side - 1 - r);
      }
    }
  } else if (latent === 2) {
    mode = 'codes';
    extent = 0.96;
    const [low, high] = codeStatistics(context).quantiles;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        codes[at(r, c)] = low[0] + (high[0] - low[0]) * fraction(c);
        codes[at(r, c) + 1] = low[1] + (high[1] - low[1]) * fraction(side - 1 - r);
      }
    }
  } else {
    mode = 'principal-plane';
    extent = 2;
    // The latent map's plane: up to `extent` standard deviations along its two axes, decoded back into codes.
    const plane = mapPca(context);
    const scale = plane.variances.map(Math.sqrt);
    const grid = new Float32Array(side * side * 2);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        grid[(r * side + c) * 2] = (2 * fraction(c) - 1) * extent * scale[0];
        grid[(r * side + c) * 2 + 1] = (2 * fraction(side - 1 - r) - 1) * extent * scale[1];
      }
    }
    codes.set(plane.toCodes(grid));
  }
  const images = codec.decode(codes);
  return { data: { images, size: side, mode, extent }, transfer: buffersOf(images) };
};

export const interpolation: ViewComputer<'interpolation'> = ({ slot, test }, { from, to, steps }) => {
  const codec = slot.codec!;
  const choices = test.probes;
  const count = choices.labels.length;
  const a = Math.max(0, Math.min(count - 1, Math.round(from)));
  const b = Math.max(0, Math.min(count - 1, Math.round(to)));
  const n = Math.max(2, Math.min(steps, 24));
  const ends = new Float32Array(2 * pixels);
  ends.set(choices.images.subarray(a * pixels, (a + 1) * pixels));
  ends.set(choices.images.subarray(b * pixels, (b + 1) * pixels), pixels);
  const images = codec.interpolate(ends.subarray(0, pixels), ends.subarray(pixels), n);
  const endLabels = Uint8Array.of(choices.labels[a], choices.labels[b]);
  const choiceImages = choices.images.slice();
  const choiceLabels = choices.labels.slice();
  return {
    data: {
      images,
      ends: { images: ends, labels: endLabels },
      choices: { images: choiceImages, labels: choiceLabels },
      labelled: test.labelled,
    },
    transfer: buffersOf(images, ends, endLabels, choiceImages, choiceLabels),
  };
};
