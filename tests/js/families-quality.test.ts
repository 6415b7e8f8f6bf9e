// The families' quality bars on real MNIST, shortened for CI: one epoch
// instead of ten, with bars loosened to what one epoch reaches (measured
// values after one epoch are in the comments), so that a regression in any
// family fails CI. `npm run bench:quality` runs the full protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesFromIdx, init, pixelScale, type Dataset, type LatentLab } from 'latentlab';
import { readMnist } from 'latentlab/node';
// @ts-expect-error: a plain ES module shared with the benchmark, without types
import { families, pcaFamily, runFamily, runPCA } from '../../bench/quality-protocol.mjs';
import { loadMnist, type Mnist } from './mnist.js';

// One epoch's bars, keyed by family name.
const oneEpochBars: Record<string, Record<string, number>> = {
  'vanilla, ReLU hidden, latent 32': { testMSE: 0.021 }, // 0.0188
  'sparse L1 weight 1e-4, ReLU hidden': { testMSE: 0.032, fractionInactive: 0.84 }, // 0.0282, 0.924
  'sparse KL rho 0.05 weight 3, sigmoid hidden': {}, // the full bars: units in 0.0478..0.0494
  'denoising Gaussian std 0.3': { psnrGain: 2.3 }, // +2.81 dB
  'denoising masking 30%': { psnrGain: 1.2 }, // +1.63 dB
  // Without the penalty the norm is about 4 after one epoch.
  'contractive weight 1e-4, sigmoid hidden': { testMSE: 0.032, meanJacobianNorm: 3.2 }, // 0.0271, 2.79
  'VAE latent 20, encoder 784-256': { negativeElbo: 140 }, // 134.1
  'VAE latent 2': { negativeElbo: 182 }, // 174.9
  'conv AE, latent 32': { testMSE: 0.016 }, // 0.0141
  'conv denoising Gaussian std 0.3': { psnrGain: 3.6 }, // +4.08 dB
  'conv VAE latent 16': { negativeElbo: 136 }, // 129.3
  'conv AE, latent 32, Fashion-MNIST': { testMSE: 0.019 }, // 0.0168
  'vanilla, ReLU hidden, latent 32, Fashion-MNIST': { testMSE: 0.021 }, // 0.0186
};

let ll: LatentLab;
let train: Mnist;
let test: Mnist;
let dataset: Dataset;
let fashion: { dataset: Dataset; test: Float32Array } | undefined;
beforeAll(async () => {
  ll = await init();
  train = loadMnist(ll, 'train');
  test = loadMnist(ll, 't10k');
  dataset = ll.createDataset(train.bytes, 784, { scale: pixelScale }); // the values of train.images
});
afterAll(() => {
  dataset.dispose();
  fashion?.dataset.dispose();
});

/** A family's training set and test images: MNIST's, or Fashion-MNIST's when it names them. */
async function dataOf(family: Family): Promise<{ dataset: Dataset; test: Float32Array }> {
  if (family.dataset !== 'fashion') return { dataset, test: test.images };
  if (!fashion) {
    const [trainSet, testSet] = await Promise.all([
      readMnist(ll, 'train', { dataset: 'fashion' }),
      readMnist(ll, 'test', { dataset: 'fashion' }),
    ]);
    fashion = {
      dataset: ll.createDataset(trainSet.images.data, 784, { scale: pixelScale }),
      test: imagesFromIdx(testSet.images),
    };
  }
  return fashion;
}

type Bars = Record<string, ['<=' | '>=', number]>;
interface Family {
  name: string;
  dataset?: 'fashion';
  bars: Bars;
}

function expectBars(measured: Record<string, number>, bars: Bars, loosened: Record<string, number> = {}) {
  for (const [key, [op, bar]] of Object.entries(bars)) {
    const limit = loosened[key] ?? bar;
    if (op === '<=') expect(measured[key], key).toBeLessThanOrEqual(limit);
    else expect(measured[key], key).toBeGreaterThanOrEqual(limit);
  }
}

describe('one epoch of MNIST', () => {
  for (const family of families as Family[]) {
    it(family.name, async () => {
      const data = await dataOf(family);
      const { measured } = await runFamily(ll, family, data.dataset, data.test, 1);
      console.log(family.name, measured);
      expectBars(measured, family.bars, oneEpochBars[family.name]);
    });
  }

  it(pcaFamily.name, () => {
    const { measured } = runPCA(ll, train.images, test.images);
    expectBars(measured, (pcaFamily as Family).bars);
  });
});
