// Trains the small pretrained models the demo page and the tutorial ship
// (web/src/lab/presets.ts), seeded, on the 60,000 training images of each
// preset's data set (MNIST or Fashion-MNIST), with the API built in dist/, and saves them as model files (safetensors,
// float16) in web/public/models/. A file newer than the engine (build/wasm/engine.wasm,
// else dist/engine.wasm) that holds its preset's model (same family, sizes,
// penalties, seed) is kept as it is.
//   node scripts/pretrain.mjs [--force]
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const lab = (file) => path.join(repo, 'web', 'src', 'lab', file);
const target = path.join(repo, 'web', 'public', 'models');
const force = process.argv.includes('--force');

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
};
// The experiment definitions are TypeScript: Vite's module runner loads them.
const { module: presetModule } = await runnerImport(lab('presets.ts'));
const { module: configModule } = await runnerImport(lab('model-config.ts'));
const { module: experimentModule } = await runnerImport(lab('experiment.ts'));
const { presets, presetExperiment, hasModelFile } = presetModule;
const { modelConfigOf, trainOptionsOf } = configModule;

const { init } = await import(path.join(repo, 'dist', 'index.js'));
const { readMnist } = await import(path.join(repo, 'dist', 'node.js'));
const ll = await init();
const { modelKey } = experimentModule;
const { experimentOfConfig } = configModule;

// The engine as last linked: build.sh copies it into a fresh dist/ on every
// run, so dist/engine.wasm is always new; build/wasm/engine.wasm changes only
// when the engine does.
const engineFile = [
  path.join(repo, 'build', 'wasm', 'engine.wasm'),
  path.join(repo, 'dist', 'engine.wasm'),
].find((file) => mtime(file) > -Infinity);

/** Whether every tensor of a model file (safetensors: 8-byte header length, JSON header) is float16. */
function halfFloats(bytes) {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  return Object.entries(header).every(([name, tensor]) => name === '__metadata__' || tensor.dtype === 'F16');
}

/** A model file is up to date if it is newer than the engine, in float16, and holds the preset's model. */
function upToDate(preset, file) {
  if (force || mtime(file) <= mtime(engineFile)) return false;
  try {
    const bytes = new Uint8Array(readFileSync(file));
    if (!halfFloats(bytes)) return false;
    const model = ll.loadModel(bytes);
    const experiment = presetExperiment(preset);
    const held = experimentOfConfig(ll, model.config, experiment);
    model.dispose();
    return 'experiment' in held && modelKey(held.experiment) === modelKey(experiment);
  } catch {
    return false;
  }
}

const wanted = presets.filter(hasModelFile);
const stale = wanted.filter((preset) => !upToDate(preset, path.join(target, `${preset.name}.safetensors`)));
if (stale.length === 0) {
  console.log(`pretrain: ${wanted.length} pretrained models are up to date`);
  process.exit(0);
}

mkdirSync(target, { recursive: true });

/** Each data set's training split and 1,000 test images as floats, read once. */
const splits = new Map();
async function splitsOf(dataset) {
  if (!splits.has(dataset)) {
    const test = await readMnist(ll, 'test', { dataset, limit: 1000 });
    splits.set(dataset, {
      train: await readMnist(ll, 'train', { dataset }),
      testImages: Float32Array.from(test.images.data, (v) => v / 255),
    });
  }
  return splits.get(dataset);
}

/** Training pixels without the class `holdout` (all if -1). */
function trainingBytes(train, holdout) {
  if (holdout < 0) return train.images.data;
  const keep = [];
  for (let i = 0; i < train.count; i++) if (train.labels[i] !== holdout) keep.push(i);
  const out = new Uint8Array(keep.length * 784);
  keep.forEach((index, k) => out.set(train.images.data.subarray(index * 784, (index + 1) * 784), k * 784));
  return out;
}

const started = performance.now();
for (const preset of stale) {
  const experiment = presetExperiment(preset);
  const { train, testImages } = await splitsOf(experiment.dataset);
  const dataset = ll.createDataset(trainingBytes(train, experiment.holdout), 784, { scale: 1 / 255 });
  const model = ll.createModel(modelConfigOf(experiment));
  const options = trainOptionsOf(experiment);
  const begun = performance.now();
  for (let epoch = 0; epoch < preset.epochs; epoch++) model.trainEpoch(dataset, options);
  const { loss } = model.evaluate(testImages);
  // Shipped in float16: half the bytes to download, and the views cannot tell.
  const bytes = model.save({ dtype: 'F16' });
  const shipped = ll.loadModel(bytes);
  const shippedLoss = shipped.evaluate(testImages).loss;
  const file = path.join(target, `${preset.name}.safetensors`);
  writeFileSync(file, bytes);
  console.log(
    `pretrain: ${preset.name}: ${preset.epochs} epochs in ${((performance.now() - begun) / 1000).toFixed(1)} s, ` +
      `test loss ${loss.toPrecision(4)} (${shippedLoss.toPrecision(4)} in float16), ${(bytes.length / 1024).toFixed(0)} KB`,
  );
  shipped.dispose();
  model.dispose();
  dataset.dispose();
}
console.log(`pretrain: ${stale.length} models in ${((performance.now() - started) / 1000).toFixed(0)} s`);
