// One bench run of LatentLab in a module Worker, as the demo trains: the
// engine with the thread count asked for, the MNIST bytes as a dataset, a
// fresh model, the warm-up batches untimed, then the rest of the epoch timed.
import { imagesFromIdx, init } from '/dist/index.js';
import { mnistFiles, modelConfig, timedSamples, trainOptions, warmUpBatches } from '../workload.mjs';

async function fetchBytes(name) {
  const response = await fetch(`/mnist/${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function run(threads) {
  // `threads` is the threaded build's option; a build without it ignores it.
  const ll = await init({ threads });
  const train = ll.createDataset(ll.parseIdx(await fetchBytes(mnistFiles.train)).data, 784, {
    scale: 1 / 255,
  });
  const test = imagesFromIdx(ll.parseIdx(await fetchBytes(mnistFiles.test)));
  const model = ll.createModel(modelConfig);
  model.trainSteps(train, { ...trainOptions, steps: warmUpBatches });

  // The heap is sampled after every mini-batch: a bound call costs well under
  // a microsecond against milliseconds per batch.
  let heapBytes = ll.heapBytes();
  self.postMessage({ clock: 'start' });
  const start = performance.now();
  const stats = model.trainEpoch(train, {
    ...trainOptions,
    onProgress: () => {
      heapBytes = Math.max(heapBytes, ll.heapBytes());
    },
  });
  const wallSeconds = (performance.now() - start) / 1000;
  self.postMessage({ clock: 'stop' });
  if (stats.samples !== timedSamples || !stats.epochFinished) {
    throw new Error(
      `timed ${stats.samples} samples (epoch finished: ${stats.epochFinished}), expected ${timedSamples}`,
    );
  }
  const testMSE = model.evaluate(test).reconstruction;
  return {
    threads: ll.threads ?? 1,
    threadsAsked: threads,
    simd: ll.simd,
    crossOriginIsolated: self.crossOriginIsolated,
    samples: stats.samples,
    wallSeconds,
    samplesPerSecond: stats.samples / wallSeconds,
    trainLoss: stats.epochLoss,
    testMSE,
    heapBytes,
    resolvedConfig: ll.resolveModelConfig(modelConfig),
  };
}

self.onmessage = ({ data }) => {
  run(data.threads).then(
    (result) => self.postMessage(result),
    (error) =>
      self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
};
