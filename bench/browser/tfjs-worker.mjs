// One bench run of TensorFlow.js 4.22 (layers API, wasm backend) in a module
// Worker: the reference network as tf.sequential dense layers (glorot-uniform
// weights and zero biases, TF.js's default), Adam, MSE, model.fit over one
// shuffled epoch; the clock starts when the warm-up batches have ended.
// The UMD bundles define globalThis.tf (the ES bundles import bare module names).
import '/tfjs/tf.min.js';
import '/tfjs-backend-wasm/tf-backend-wasm.min.js';
import { adam, batchSize, mnistFiles, timedSamples, warmUpBatches } from '../workload.mjs';

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

async function run(threads) {
  tf.wasm.setWasmPaths('/tfjs-backend-wasm/');
  tf.wasm.setThreadsCount(threads); // must come before setBackend
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const x = await fetchImages(mnistFiles.train);
  const test = await fetchImages(mnistFiles.test);

  // The network LatentLab's resolveModelConfig describes: ReLU hidden layers,
  // an identity code layer, sigmoid output.
  const dense = (units, activation, inputShape) => tf.layers.dense({ units, activation, inputShape });
  const model = tf.sequential({
    layers: [
      dense(256, 'relu', [784]),
      dense(64, 'relu'),
      dense(32, 'linear'),
      dense(64, 'relu'),
      dense(256, 'relu'),
      dense(784, 'sigmoid'),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(adam.learningRate, adam.beta1, adam.beta2, adam.epsilon),
    loss: 'meanSquaredError',
  });

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
        if (samples === timedSamples) self.postMessage({ clock: 'stop' });
      },
    },
  });
  const wallSeconds = (end - start) / 1000;
  if (samples !== timedSamples) throw new Error(`timed ${samples} samples, expected ${timedSamples}`);
  const mse = model.evaluate(test, test, { batchSize: 1000 });
  const testMSE = (await mse.data())[0];
  return {
    threads: tf.wasm.getThreadsCount(),
    threadsAsked: threads,
    build: wasmBuild(),
    crossOriginIsolated: self.crossOriginIsolated,
    samples,
    wallSeconds,
    samplesPerSecond: samples / wallSeconds,
    testMSE,
    tfjsVersion: tf.version.tfjs,
  };
}

self.onmessage = ({ data }) => {
  run(data.threads).then(
    (result) => self.postMessage(result),
    (error) =>
      self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
};
