// Reproduces the quality table of every autoencoder family on real MNIST (and
// Fashion-MNIST, for the rows that name it) in
// the wasm build under Node, and prints measured against the bars. Like the
// PyTorch references, each autoencoder's numbers are the mean of seeds 0 and 1
// (the KL model's unit range spans both seeds).
// Usage: node bench/quality.mjs [epochs] [name filter]
//   (default 10 epochs, every family; `npm run bench:quality`)
import { imagesFromIdx, init } from '../dist/index.js';
import { readMnist } from '../dist/node.js';
import { combineRuns, families, meetsBars, pcaFamily, runFamily, runPCA } from './quality-protocol.mjs';

const epochs = Number(process.argv[2] ?? 10);
const only = process.argv[3] ?? '';
const ll = await init();
// Each data set's images in [0, 1], read once when a family first needs it.
const sets = new Map();
async function dataOf(dataset = 'mnist') {
  if (!sets.has(dataset)) {
    const read = async (split) => imagesFromIdx((await readMnist(ll, split, { dataset })).images);
    const trainImages = await read('train');
    sets.set(dataset, { trainImages, train: ll.createDataset(trainImages, 784), test: await read('test') });
  }
  return sets.get(dataset);
}

const format = (measured) =>
  Object.entries(measured)
    .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
    .join(', ');
const describeBars = (bars) =>
  Object.entries(bars)
    .map(([k, [op, v]]) => `${k} ${op} ${v}`)
    .join(', ');

console.log(
  `MNIST unless said, ${epochs} epochs, batch 128, Adam 1e-3, mean of seeds 0 and 1, wasm SIMD in Node ${process.versions.node}\n`,
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
  const { train, test } = await dataOf(family.dataset);
  const runs = [];
  for (const seed of [0, 1]) runs.push(await runFamily(ll, family, train, test, epochs, seed));
  report(family, combineRuns(family, runs));
}
if (pcaFamily.name.includes(only)) {
  const { trainImages, test } = await dataOf();
  report(pcaFamily, runPCA(ll, trainImages, test));
}
for (const { train } of sets.values()) train.dispose();
process.exitCode = failures > 0 ? 1 : 0;
