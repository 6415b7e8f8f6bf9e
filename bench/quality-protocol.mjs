// The quality protocol of every autoencoder family on real MNIST, shared by
// the benchmark (bench/quality.mjs, 10 epochs, the bars) and the CI
// test (tests/js/families-quality.test.ts, fewer epochs, looser bars).
// Protocol: pixels/255, 60k train, 10k test, batch 128, Adam 1e-3, reshuffled
// every epoch, encoder 784-256-(latent) or the convolutional reference below,
// mirrored decoder with ReLU hidden layers and sigmoid output, encoder hidden
// layer ReLU unless said otherwise, MSE (mean over pixels) unless said
// otherwise; MNIST unless a family names its `dataset` ('fashion').

const base = { inputSize: 784, encoder: [256], latentSize: 32, decoderActivation: 'relu' };
// The convolutional reference of issue 10: PyTorch's Conv2d(1,16,3,2,1),
// Conv2d(16,32,3,2,1), Linear(1568,32) and their mirror, 111,521 parameters.
export const convolutional = {
  inputShape: [1, 28, 28],
  encoder: [
    { conv: 16, kernel: 3, stride: 2, padding: 1 },
    { conv: 32, kernel: 3, stride: 2, padding: 1 },
  ],
  latentSize: 32,
};
const training = { batchSize: 128, learningRate: 1e-3, optimizer: 'adam' };

/** 10 log10(1 / MSE) between two equally long arrays of values in [0, 1]. */
export function psnr(clean, other) {
  let sum = 0;
  for (let i = 0; i < clean.length; i++) sum += (clean[i] - other[i]) ** 2;
  return -10 * Math.log10(sum / clean.length);
}

/** The mean of each unit's activation over the samples (rows of `units` values). */
function unitMeans(activations, units) {
  const means = new Float64Array(units);
  const count = activations.length / units;
  for (let i = 0; i < activations.length; i++) means[i % units] += activations[i] / count;
  return means;
}

// Each family: its config, and what to measure on the test set once trained.
// `measure` returns named numbers; `bars` say which must be <= or >= what.
export const families = [
  {
    name: 'vanilla, ReLU hidden, latent 32',
    config: base,
    measure: (model, test) => ({ testMSE: model.evaluate(test).reconstruction }),
    bars: { testMSE: ['<=', 0.0067] },
    reference: 'test MSE 0.00638',
  },
  {
    name: 'sparse L1 weight 1e-4, ReLU hidden',
    config: { ...base, sparsity: { kind: 'l1', weight: 1e-4 } },
    measure: (model, test) => {
      const e = model.evaluate(test);
      return { testMSE: e.reconstruction, fractionInactive: e.fractionInactive };
    },
    bars: { testMSE: ['<=', 0.0095], fractionInactive: ['>=', 0.84] },
    reference: 'MSE 0.0090, fraction below 0.01: 0.87',
  },
  {
    name: 'sparse KL rho 0.05 weight 3, sigmoid hidden',
    config: { ...base, activation: 'sigmoid', sparsity: { kind: 'kl', target: 0.05, weight: 3 } },
    measure: (model, test) => {
      const means = unitMeans(model.hiddenActivations(test, 0), 256);
      return { lowestUnitMean: Math.min(...means), highestUnitMean: Math.max(...means) };
    },
    bars: { lowestUnitMean: ['>=', 0.04], highestUnitMean: ['<=', 0.06] },
    // Over several seeds, every unit of every run must be in range.
    combine: {
      lowestUnitMean: (values) => Math.min(...values),
      highestUnitMean: (values) => Math.max(...values),
    },
    reference: 'every unit in [0.046, 0.052]',
  },
  {
    name: 'denoising Gaussian std 0.3',
    config: { ...base, noise: { kind: 'gaussian', std: 0.3 } },
    measure: (model, test, ll) => {
      const noisy = ll.corrupt(test, { kind: 'gaussian', std: 0.3 }, { seed: 1 });
      return { psnrGain: psnr(test, model.denoise(noisy)) - psnr(test, noisy) };
    },
    bars: { psnrGain: ['>=', 6.2] },
    reference: '+6.50 dB',
  },
  {
    name: 'denoising masking 30%',
    config: { ...base, noise: { kind: 'mask', rate: 0.3 } },
    measure: (model, test, ll) => {
      const noisy = ll.corrupt(test, { kind: 'mask', rate: 0.3 }, { seed: 1 });
      return { psnrGain: psnr(test, model.denoise(noisy)) - psnr(test, noisy) };
    },
    bars: { psnrGain: ['>=', 5.0] },
    reference: '+5.24 dB',
  },
  {
    name: 'contractive weight 1e-4, sigmoid hidden',
    config: { ...base, activation: 'sigmoid', contractive: { weight: 1e-4 } },
    measure: (model, test) => {
      const e = model.evaluate(test);
      return { testMSE: e.reconstruction, meanJacobianNorm: e.meanJacobianNorm };
    },
    bars: { testMSE: ['<=', 0.0083], meanJacobianNorm: ['<=', 2.7] },
    reference: 'MSE 0.0078, mean ||dh/dx||_F 2.5',
  },
  {
    name: 'VAE latent 20, encoder 784-256',
    config: { ...base, latentSize: 20, loss: 'bce', variational: { beta: 1 } },
    measure: (model, test) => ({ negativeElbo: model.evaluate(test).negativeElbo }),
    bars: { negativeElbo: ['<=', 108.0] },
    reference: '-ELBO 106.95 nats',
  },
  {
    name: 'VAE latent 2',
    config: { ...base, latentSize: 2, loss: 'bce', variational: { beta: 1 } },
    measure: (model, test) => ({ negativeElbo: model.evaluate(test).negativeElbo }),
    bars: { negativeElbo: ['<=', 158.0] },
    reference: '-ELBO 156.6 nats',
  },
  {
    name: 'conv AE, latent 32',
    config: convolutional,
    measure: (model, test) => ({ testMSE: model.evaluate(test).reconstruction }),
    bars: { testMSE: ['<=', 0.00547] },
    reference: 'test MSE 0.00521',
  },
  {
    name: 'conv denoising Gaussian std 0.3',
    config: { ...convolutional, noise: { kind: 'gaussian', std: 0.3 } },
    measure: (model, test, ll) => {
      const noisy = ll.corrupt(test, { kind: 'gaussian', std: 0.3 }, { seed: 1 });
      return { psnrGain: psnr(test, model.denoise(noisy)) - psnr(test, noisy) };
    },
    bars: { psnrGain: ['>=', 7.34] },
    reference: '+7.64 dB',
  },
  {
    name: 'conv VAE latent 16',
    config: { ...convolutional, latentSize: 16, loss: 'bce', variational: { beta: 1 } },
    measure: (model, test) => ({ negativeElbo: model.evaluate(test).negativeElbo }),
    bars: { negativeElbo: ['<=', 107.9] },
    reference: '-ELBO 105.9 nats',
  },
  {
    name: 'conv AE, latent 32, Fashion-MNIST',
    dataset: 'fashion',
    config: convolutional,
    measure: (model, test) => ({ testMSE: model.evaluate(test).reconstruction }),
    bars: { testMSE: ['<=', 0.00959] },
    reference: 'test MSE 0.00913',
  },
  {
    name: 'vanilla, ReLU hidden, latent 32, Fashion-MNIST',
    dataset: 'fashion',
    config: base,
    measure: (model, test) => ({ testMSE: model.evaluate(test).reconstruction }),
    bars: { testMSE: ['<=', 0.0102] },
    reference: 'test MSE 0.00974',
  },
];

export const pcaFamily = {
  name: 'PCA 32 components',
  bars: { testMSE: ['<=', 0.0168 * 1.01] },
  reference: 'test MSE 0.0168 (exact)',
};

/**
 * Trains one family for `epochs` epochs and measures it; resolves to the
 * numbers and the seconds per epoch. It yields to the event loop after every
 * epoch, so that a test runner's messages are not starved for minutes.
 */
export async function runFamily(ll, family, train, test, epochs, seed = 0) {
  const model = ll.createModel({ ...family.config, seed });
  try {
    let seconds = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      seconds += model.trainEpoch(train, training).seconds;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { measured: family.measure(model, test, ll), secondsPerEpoch: seconds / epochs };
  } finally {
    model.dispose();
  }
}

export function runPCA(ll, trainImages, test) {
  const pca = ll.createPCA({ inputSize: 784, components: 32 });
  try {
    const start = performance.now();
    pca.fit(trainImages);
    const seconds = (performance.now() - start) / 1000;
    return { measured: { testMSE: pca.evaluate(test).loss }, secondsPerEpoch: seconds };
  } finally {
    pca.dispose();
  }
}

/** Each measured number combined over several runs: their mean unless the family says otherwise. */
export function combineRuns(family, runs) {
  const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  const measured = Object.fromEntries(
    Object.keys(runs[0].measured).map((key) => [
      key,
      (family.combine?.[key] ?? mean)(runs.map((r) => r.measured[key])),
    ]),
  );
  return { measured, secondsPerEpoch: mean(runs.map((r) => r.secondsPerEpoch)) };
}

/** Whether every bar holds. */
export function meetsBars(measured, bars) {
  return Object.entries(bars).every(([key, [op, bar]]) =>
    op === '<=' ? measured[key] <= bar : measured[key] >= bar,
  );
}
