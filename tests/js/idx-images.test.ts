// readIdxImages: a reader's own IDX files (the demo page's "Your own IDX
// files"), gzipped or not, with or without labels, checked as fetchMnist
// checks MNIST; every bad file gets an error that names it and its problem.
import { readFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import { init, readIdxImages, type LatentLab } from 'latentlab';
import { readMnist } from 'latentlab/node';
import { idxFile } from './idx-file';

const images = (n: number, side = 28) => idxFile([n, side, side], new Uint8Array(n * side * side).fill(7));
const labels = (values: number[]) => idxFile([values.length], Uint8Array.from(values));

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

it('reads MNIST test digits gzipped as shipped, exactly as readMnist does, labels plain', async () => {
  const gz = await readFile('web/public/mnist/t10k-images-idx3-ubyte.gz');
  const plainLabels = gunzipSync(await readFile('web/public/mnist/t10k-labels-idx1-ubyte.gz'));
  const own = await readIdxImages(
    ll,
    { name: 't10k-images-idx3-ubyte.gz', bytes: gz },
    { name: 't10k-labels-idx1-ubyte', bytes: plainLabels },
  );
  const mnist = await readMnist(ll, 'test');
  expect(own.count).toBe(10000);
  expect(own.images.shape).toEqual([10000, 28, 28]);
  expect(Buffer.from(own.images.data).equals(Buffer.from(mnist.images.data))).toBe(true);
  expect(Array.from(own.labels!.slice(0, 3))).toEqual([7, 2, 1]);
});

it('labels are optional; a gzip file needs no .gz name', async () => {
  const own = await readIdxImages(ll, { name: 'mine', bytes: gzipSync(images(3)) });
  expect(own.count).toBe(3);
  expect(own.labels).toBeUndefined();
  expect(own.images.data.every((p) => p === 7)).toBe(true);
});

it('names the file and the problem of every bad file', async () => {
  const good = { name: 'good-images', bytes: images(4) };
  const cases: [() => Promise<unknown>, string | RegExp][] = [
    [
      () => readIdxImages(ll, { name: 'a.png', bytes: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0) }),
      'a.png: not an IDX images file: IDX: bad magic number: the first two bytes must be zero',
    ],
    [
      () => readIdxImages(ll, { name: 'cut', bytes: images(4).subarray(0, 100) }),
      'cut: not an IDX images file: IDX: truncated data: the dimensions declare 3136 elements, the file holds 84',
    ],
    [
      () => readIdxImages(ll, { name: 'big', bytes: images(2, 32) }),
      'big: expected images of 28 x 28 pixels, got 32 x 32',
    ],
    [
      () => readIdxImages(ll, { name: 'lab', bytes: labels([1, 2]) }),
      'lab: expected images of 3 dimensions (count, rows, columns), got 1',
    ],
    [() => readIdxImages(ll, good, { name: 'few', bytes: labels([1, 2, 3]) }), 'few: 4 images but 3 labels'],
    [
      () => readIdxImages(ll, good, { name: 'ten', bytes: labels([1, 2, 10, 3]) }),
      'ten: label 10 at index 2 is not a class (0-9)',
    ],
    [
      () => readIdxImages(ll, good, { name: 'swapped', bytes: images(4) }),
      'swapped: expected labels of 1 dimension, got 3',
    ],
    [
      () => readIdxImages(ll, { name: 'x-idx3-ubyte.gz', bytes: images(4) }),
      'x-idx3-ubyte.gz: named .gz but not gzip (it does not start with the bytes 1f 8b)',
    ],
    [
      () => readIdxImages(ll, { name: 'half.gz', bytes: gzipSync(images(4)).subarray(0, -10) }),
      /^half\.gz: could not decompress: /,
    ],
    [
      () => readIdxImages(ll, { name: 'empty', bytes: new Uint8Array(0) }),
      'empty: not an IDX images file: IDX: truncated header: 0 bytes, need at least 4',
    ],
  ];
  for (const [i, [attempt, message]] of cases.entries())
    await expect(attempt(), `case ${i}`).rejects.toThrow(message);
});
