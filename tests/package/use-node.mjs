// A consumer project's use of the installed package in Node: MNIST through
// latentlab/node, a few training steps, save and load. Prints one JSON line.
// MNIST_DIR names the folder of the MNIST IDX files.
import { imagesFromIdx, init } from 'latentlab';
import { readMnist } from 'latentlab/node';

const ll = await init();
const mnist = await readMnist(ll, 'train', { directory: process.env.MNIST_DIR, limit: 512 });
const images = imagesFromIdx(mnist.images);
const data = ll.createDataset(mnist.images.data, 784, { scale: 1 / 255 });
const model = ll.createModel({ inputSize: 784, encoder: [64], latentSize: 8, loss: 'bce', seed: 1 });
const before = model.evaluate(images).loss;
const stats = model.trainSteps(data, { steps: 8, batchSize: 64, learningRate: 3e-3 });
const bytes = model.save();
const loaded = ll.loadModel(bytes);
const recon = model.reconstruct(images);
console.log(
  JSON.stringify({
    resolved: import.meta.resolve('latentlab'),
    resolvedNode: import.meta.resolve('latentlab/node'),
    before,
    after: model.evaluate(images).loss,
    steps: stats.step,
    fileBytes: bytes.length,
    sameReconstructions: loaded.reconstruct(images).every((v, i) => v === recon[i]),
    sameBytes: Buffer.compare(Buffer.from(loaded.save()), Buffer.from(bytes)) === 0,
  }),
);
for (const handle of [loaded, model, data]) handle.dispose();
