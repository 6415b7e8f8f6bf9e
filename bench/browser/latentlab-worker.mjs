// One LatentLab side of a bench run in a module Worker, as the demo trains:
// the engine with the thread count asked for, the MNIST bytes as a dataset, a
// fresh model and its warm-up batches; then the epoch in turns of batches,
// each timed, as the page asks (it interleaves the turns of several workers
// so that the machine's load hits them alike); then the test MSE.
import { imagesFromIdx, init } from '/dist/index.js';
import { mnistFiles, timedSamples, trainOptions, warmUpBatches, workloads } from '../workload.mjs';

async function fetchBytes(name) {
  const response = await fetch(`/mnist/${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

let run;

async function prepare(workload, threads) {
  const ll = await init({ threads });
  const modelConfig = workloads[workload];
  const train = ll.createDataset(ll.parseIdx(await fetchBytes(mnistFiles.train)).data, 784, {
    scale: 1 / 255,
  });
  const test = imagesFromIdx(ll.parseIdx(await fetchBytes(mnistFiles.test)));
  const model = ll.createModel(modelConfig);
  model.trainSteps(train, { ...trainOptions, steps: warmUpBatches });
  run = { ll, modelConfig, threads, train, test, model, seconds: 0, samples: 0, epochLoss: NaN, done: false };
  run.heapBytes = ll.heapBytes();
  return { threads: ll.threads };
}

/**
 * `batches` more mini-batches of the epoch, timed; the heap is sampled after
 * them, untimed (heapBytes walks the heap; a step allocates nothing, so the
 * heap after a turn is the heap of every step in it).
 */
function trainTurn(batches) {
  const start = performance.now();
  const stats = run.model.trainSteps(run.train, { ...trainOptions, steps: batches });
  run.seconds += (performance.now() - start) / 1000;
  run.heapBytes = Math.max(run.heapBytes, run.ll.heapBytes());
  run.samples += stats.samples;
  run.done = stats.epochFinished;
  if (run.done) run.epochLoss = stats.epochLoss;
  return { done: run.done };
}

function finish() {
  if (run.samples !== timedSamples || !run.done) {
    throw new Error(`timed ${run.samples} samples (epoch finished: ${run.done}), expected ${timedSamples}`);
  }
  const { ll } = run;
  return {
    threads: ll.threads ?? 1,
    threadsAsked: run.threads,
    simd: ll.simd,
    crossOriginIsolated: self.crossOriginIsolated,
    samples: run.samples,
    wallSeconds: run.seconds,
    samplesPerSecond: run.samples / run.seconds,
    trainLoss: run.epochLoss,
    testMSE: run.model.evaluate(run.test).reconstruction,
    heapBytes: run.heapBytes,
    resolvedConfig: ll.resolveModelConfig(run.modelConfig),
  };
}

const steps = {
  prepare: ({ workload, threads }) => prepare(workload, threads),
  train: ({ batches }) => trainTurn(batches),
  finish,
};

self.onmessage = async ({ data }) => {
  try {
    self.postMessage(await steps[data.step](data));
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
