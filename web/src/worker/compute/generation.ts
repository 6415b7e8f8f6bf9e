// Generation: decoding codes the model never saw. A VAE's codes follow the
// prior N(0, I), so prior samples and a grid of prior quantiles decode to
// digits; other models' codes follow no known law, so samples come from a
// Gaussian fitted to the test codes and the grid spans the codes' range.
import { AutoencoderCodec } from '../codec';
import { principalComponents } from '../principal-components';
import { buffersOf, mapCodes, pixels, type ViewComputer, type ViewContext } from './context';

interface CodeStatistics {
  mean: Float64Array;
  std: Float64Array;
  /** 2nd and 98th percentile of each code dimension. */
  low: Float64Array;
  high: Float64Array;
}

function codeStatistics(context: ViewContext): CodeStatistics {
  const { slot } = context;
  return slot.cached('code-statistics', () => {
    const latent = slot.codec!.latentSize;
    const codes = mapCodes(context);
    const n = codes.length / latent;
    const mean = new Float64Array(latent);
    const std = new Float64Array(latent);
    const low = new Float64Array(latent);
    const high = new Float64Array(latent);
    const column = new Float64Array(n);
    for (let j = 0; j < latent; j++) {
      for (let i = 0; i < n; i++) column[i] = codes[i * latent + j];
      let sum = 0;
      for (const v of column) sum += v;
      mean[j] = sum / n;
      let squares = 0;
      for (const v of column) squares += (v - mean[j]) ** 2;
      std[j] = Math.sqrt(squares / n);
      column.sort();
      low[j] = column[Math.floor(0.02 * (n - 1))];
      high[j] = column[Math.ceil(0.98 * (n - 1))];
    }
    return { mean, std, low, high };
  });
}

export const samples: ViewComputer<'samples'> = (context, { count, seed }) => {
  const codec = context.slot.codec!;
  const n = Math.max(1, Math.min(count, 100));
  if (codec.variational && codec instanceof AutoencoderCodec) {
    const images = codec.model.sample(n, { seed });
    return { data: { images, source: 'prior' }, transfer: buffersOf(images) };
  }
  const { mean, std } = codeStatistics(context);
  const latent = codec.latentSize;
  const random = gaussianGenerator(seed);
  const codes = new Float32Array(n * latent);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < latent; j++) codes[i * latent + j] = mean[j] + std[j] * random();
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
    const quantile = (i: number) => normalQuantile(0.025 + 0.95 * fraction(i));
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        codes[at(r, c)] = quantile(c);
        codes[at(r, c) + 1] = quantile(side - 1 - r);
      }
    }
  } else if (latent === 2) {
    mode = 'codes';
    extent = 0.96;
    const { low, high } = codeStatistics(context);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        codes[at(r, c)] = low[0] + (high[0] - low[0]) * fraction(c);
        codes[at(r, c) + 1] = low[1] + (high[1] - low[1]) * fraction(side - 1 - r);
      }
    }
  } else {
    mode = 'principal-plane';
    extent = 2;
    const plane = context.slot.cached('code-plane', () => principalComponents(mapCodes(context), latent, 2));
    const scale = plane.variances.map(Math.sqrt);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const a = (2 * fraction(c) - 1) * extent * scale[0];
        const b = (2 * fraction(side - 1 - r) - 1) * extent * scale[1];
        for (let j = 0; j < latent; j++) {
          codes[at(r, c) + j] = plane.mean[j] + a * plane.components[0][j] + b * plane.components[1][j];
        }
      }
    }
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
  const latent = codec.latentSize;
  const codes = codec.encode(ends);
  const path = new Float32Array(n * latent);
  for (let s = 0; s < n; s++) {
    const t = s / (n - 1);
    for (let j = 0; j < latent; j++) path[s * latent + j] = (1 - t) * codes[j] + t * codes[latent + j];
  }
  const images = codec.decode(path);
  const endLabels = Uint8Array.of(choices.labels[a], choices.labels[b]);
  const choiceImages = choices.images.slice();
  const choiceLabels = choices.labels.slice();
  return {
    data: {
      images,
      ends: { images: ends, labels: endLabels },
      choices: { images: choiceImages, labels: choiceLabels },
    },
    transfer: buffersOf(images, ends, endLabels, choiceImages, choiceLabels),
  };
};

/** Standard normal draws from a seeded generator (LCG + Box-Muller): the same seed, the same samples. */
export function gaussianGenerator(seed: number): () => number {
  let state = (seed * 2654435761 + 1) >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Inverse CDF of N(0, 1) (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must lie in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = 0.02425;
  if (p < tail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - tail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
