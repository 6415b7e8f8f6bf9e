// One bench run of TensorFlow.js 4.22 (layers API) in a module Worker: a
// workload's network (bench/workload.mjs, restated as tf.sequential layers
// with TF.js's default glorot-uniform weights and zero biases), Adam, MSE,
// model.fit over one shuffled epoch; the clock starts when the warm-up
// batches have ended. The MLP trains on the wasm backend; the convolutional
// one cannot (the wasm backend has no Conv2DBackpropFilter kernel), so it
// trains on the first backend that can: WebGL, else TF.js's plain JS one.
// The UMD bundles define globalThis.tf (the ES bundles import bare module names).
import '/tfjs/tf.min.js';
import '/tfjs-backend-wasm/tf-backend-wasm.min.js';
import { adam, batchSize, mnistFiles, tfjsTimedSamples, warmUpBatches } from '../workload.mjs';

const tf = globalThis.tf;

/** The images of an IDX file as n x 784 floats in [0, 1]. */
async function fetchImages(name) {
  const response = await fetch(`/mnist/${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const view = new DataView(bytes.buffer);
  if (view.getUint32(0) !== 0x0803) throw new Error(`${name}: not an IDX file of images`);
  const count = view.getUint32(4);
  const values = new Float32Array(bytes.length - 16);
  for (let i = 0; i < values.length; i++) values[i] = bytes[16 + i] / 255;
  return tf.tensor2d(values, [count, values.length / count]);
}

/** The .wasm file the backend fetched: which of TF.js's three builds runs. */
function wasmBuild() {
  const files = performance
    .getEntriesByType('resource')
    .map((entry) => entry.name.split('/').pop())
    .filter((name) => name.endsWith('.wasm'));
  return files.join(',') || 'unknown';
}

// The networks LatentLab's resolveModelConfig describes: ReLU hidden layers,
// an identity code layer, sigmoid output.
const dense = (units, activation, inputShape) => tf.layers.dense({ units, activation, inputShape });
const networks = {
  mlp: () => [
    dense(256, 'relu', [784]),
    dense(64, 'relu'),
    dense(32, 'linear'),
    dense(64, 'relu'),
    dense(256, 'relu'),
    dense(784, 'sigmoid'),
  ],
  // 3 x 3 kernels at stride 2: 'same' padding gives 28 -> 14 -> 7 and back,
  // the sizes of PyTorch's padding 1 (output padding 1), padded on the far
  // side only; the same products, so the same work.
  conv: () => {
    const image = (layer, filters, activation) =>
      tf.layers[layer]({ filters, kernelSize: 3, strides: 2, padding: 'same', activation });
    return [
      tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
      image('conv2d', 16, 'relu'),
      image('conv2d', 32, 'relu'),
      tf.layers.flatten(),
      dense(32, 'linear'),
      dense(32 * 7 * 7, 'relu'),
      tf.layers.reshape({ targetShape: [7, 7, 32] }),
      image('conv2dTranspose', 16, 'relu'),
      image('conv2dTranspose', 1, 'sigmoid'),
      tf.layers.flatten(),
    ];
  },
};
const backends = { mlp: ['wasm'], conv: ['webgl', 'cpu'] };

async function useBackend(workload, threads) {
  tf.wasm.setWasmPaths('/tfjs-backend-wasm/');
  tf.wasm.setThreadsCount(threads); // must come before setBackend
  for (const backend of backends[workload]) {
    if (await tf.setBackend(backend).catch(() => false)) return tf.ready();
  }
  throw new Error(`none of the backends ${backends[workload].join(', ')} initialised`);
}

async function run(workload, threads) {
  await useBackend(workload, threads);
  const x = await fetchImages(mnistFiles.train);
  const test = await fetchImages(mnistFiles.test);
  const model = tf.sequential({ layers: networks[workload]() });
  model.compile({
    optimizer: tf.train.adam(adam.learningRate, adam.beta1, adam.beta2, adam.epsilon),
    loss: 'meanSquaredError',
  });

  const timed = tfjsTimedSamples[workload];
  let start;
  let end;
  let samples = 0;
  await model.fit(x, x, {
    epochs: 1,
    batchSize,
    shuffle: true,
    // Nothing else runs in this worker: do not yield to the event loop mid-epoch.
    yieldEvery: 'never',
    verbose: 0,
    callbacks: {
      onBatchEnd: (batch, logs) => {
        end = performance.now();
        if (batch === warmUpBatches - 1) {
          start = end;
          self.postMessage({ clock: 'start' });
        }
        if (batch >= warmUpBatches) samples += logs.size;
        if (samples === timed) {
          self.postMessage({ clock: 'stop' });
          model.stopTraining = true;
        }
      },
    },
  });
  const wallSeconds = (end - start) / 1000;
  if (samples !== timed) throw new Error(`timed ${samples} samples, expected ${timed}`);
  const mse = model.evaluate(test, test, { batchSize: 1000 });
  const testMSE = (await mse.data())[0];
  const backend = tf.getBackend();
  return {
    threads: backend === 'wasm' ? tf.wasm.getThreadsCount() : 1,
    threadsAsked: threads,
    backend,
    build: backend === 'wasm' ? wasmBuild() : backend,
    crossOriginIsolated: self.crossOriginIsolated,
    samples,
    wallSeconds,
    samplesPerSecond: samples / wallSeconds,
    testMSE,
    tfjsVersion: tf.version.tfjs,
  };
}

self.onmessage = ({ data }) => {
  run(data.workload, data.threads).then(
    (result) => self.postMessage(result),
    (error) =>
      self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
};
