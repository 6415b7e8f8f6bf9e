// MNIST and Fashion-MNIST from their IDX files: fetched over HTTP (gzipped or
// not) in browsers and workers; bindings/src/node.ts reads them from disk.
import { shown } from './arrays.js';
import { checkDatasetName, datasetTitle, type DatasetName } from './datasets.js';
import type { IdxArray } from './idx.js';

export type MnistSplit = 'train' | 'test';

export interface Mnist {
  /** n x 28 x 28 pixels (0-255), row-major: `images.data` is n rows of 784 bytes. */
  images: IdxArray;
  /** n labels 0-9: digits, or the classes of datasetLabels(dataset). */
  labels: Uint8Array;
  count: number;
}

export interface MnistOptions {
  /** Keep only the first `limit` samples. */
  limit?: number;
  /** Which data set the files hold: 'mnist' (default) or 'fashion' (Fashion-MNIST). */
  dataset?: DatasetName;
}

export interface FetchMnistOptions extends MnistOptions {
  /** false: the files are plain IDX, without the .gz suffix. Default true. */
  gzip?: boolean;
  /**
   * Called as the bytes of both files arrive: `loaded` so far, against
   * `total`, the sum of their Content-Lengths (undefined until both are
   * known, or when a server encodes the transfer and the length counts
   * encoded bytes).
   */
  onProgress?: (loaded: number, total: number | undefined) => void;
}

/** The IDX parser of an initialised engine (LatentLab.parseIdx). */
export interface IdxParser {
  parseIdx(bytes: Uint8Array): IdxArray;
}

/** The file names of a split as distributed (without the .gz suffix). */
export function mnistFileNames(split: MnistSplit): { images: string; labels: string } {
  if (split !== 'train' && split !== 'test') {
    throw new RangeError(`split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  }
  const prefix = split === 'train' ? 'train' : 't10k';
  return { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

/** Both data sets hold 28 x 28 images. */
const side = 28;
/** Both data sets have ten classes, labelled 0-9. */
const classes = 10;

/**
 * The checks both readers make of parsed files, named `title` in messages:
 * n x 28 x 28 images and, when there are labels, one per image, each 0-9.
 */
function checkImages(title: string, images: IdxArray, labels: IdxArray | undefined): void {
  if (images.shape.length !== 3) {
    throw new RangeError(
      `${title}: expected images of 3 dimensions (count, rows, columns), got ${images.shape.length}`,
    );
  }
  if (images.shape[1] !== side || images.shape[2] !== side) {
    throw new RangeError(
      `${title}: expected images of ${side} x ${side} pixels, got ${images.shape[1]} x ${images.shape[2]}`,
    );
  }
  if (labels === undefined) return;
  if (labels.shape.length !== 1) {
    throw new RangeError(`${title}: expected labels of 1 dimension, got ${labels.shape.length}`);
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new RangeError(`${title}: ${images.shape[0]} images but ${labels.shape[0]} labels`);
  }
  const bad = labels.data.findIndex((label) => label >= classes);
  if (bad >= 0) {
    throw new RangeError(
      `${title}: label ${labels.data[bad]} at index ${bad} is not a class (0-${classes - 1})`,
    );
  }
}

/** Parses and cross-checks one split's image and label files. */
export function mnistFromIdx(
  ll: IdxParser,
  imageFile: Uint8Array,
  labelFile: Uint8Array,
  options: MnistOptions = {},
): Mnist {
  const dataset = checkDatasetName(options.dataset ?? 'mnist');
  const images = ll.parseIdx(imageFile);
  const labels = ll.parseIdx(labelFile);
  checkImages(datasetTitle(dataset), images, labels);
  const limit = options.limit ?? images.shape[0];
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${shown(limit)}`);
  }
  const count = Math.min(limit, images.shape[0]);
  const pixels = images.shape[1] * images.shape[2];
  return {
    images: { shape: [count, images.shape[1], images.shape[2]], data: images.data.slice(0, count * pixels) },
    labels: labels.data.slice(0, count),
    count,
  };
}

/** A file's name (for messages) and its bytes, gzipped or not. */
export interface IdxFile {
  name: string;
  bytes: Uint8Array;
}

/** Images read by readIdxImages. */
export interface IdxImages {
  /** n x 28 x 28 pixels (0-255), row-major. */
  images: IdxArray;
  /** n labels 0-9, or undefined when no label file was given. */
  labels: Uint8Array | undefined;
  count: number;
}

/**
 * Reads 28 x 28 grey images in MNIST's format from files of any origin (a
 * reader's own, say), and their labels if a label file is given, with the
 * checks fetchMnist makes: the engine's IDX parser, n x 28 x 28 images, one
 * label per image, each 0-9. A file that starts as gzip does is decompressed
 * (DecompressionStream); one named .gz that is not gzip is refused. Every
 * error starts with the name of the file it concerns.
 */
export async function readIdxImages(
  ll: IdxParser,
  imageFile: IdxFile,
  labelFile?: IdxFile,
): Promise<IdxImages> {
  const parse = async (file: IdxFile, what: string): Promise<IdxArray> => {
    if (/\.gz$/i.test(file.name) && !isGzip(file.bytes)) {
      throw new RangeError(`${file.name}: named .gz but not gzip (it does not start with the bytes 1f 8b)`);
    }
    const bytes = await gunzipIfGzip(file.bytes, file.name);
    try {
      return ll.parseIdx(bytes);
    } catch (error) {
      throw new RangeError(`${file.name}: not an IDX ${what} file: ${messageOf(error)}`);
    }
  };
  const images = await parse(imageFile, 'images');
  const labels = labelFile && (await parse(labelFile, 'labels'));
  // Shapes name the image file; a count mismatch or a bad label, the label file.
  checkImages(imageFile.name, images, undefined);
  if (labelFile) checkImages(labelFile.name, images, labels);
  return { images, labels: labels?.data, count: images.shape[0] };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes, decompressed if they are gzip (whatever a name says); `name` heads the error. */
async function gunzipIfGzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(`${name}: could not decompress: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Downloads one split from `base`, a folder holding the four files of
 * `options.dataset` as distributed (`train-images-idx3-ubyte.gz`, ...: both
 * data sets use these names, so each needs a folder of its own). Gzipped
 * files are decompressed with DecompressionStream; pass `gzip: false` for
 * plain files.
 */
export async function fetchMnist(
  ll: IdxParser,
  base: string | URL,
  split: MnistSplit,
  options: FetchMnistOptions = {},
): Promise<Mnist> {
  checkDatasetName(options.dataset ?? 'mnist'); // before anything is downloaded
  const names = mnistFileNames(split);
  const suffix = options.gzip === false ? '' : '.gz';
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError('onProgress must be a function');
  }
  // Bytes received and expected per file (undefined: not known yet, or never).
  const received = [0, 0];
  const expected: (number | undefined)[] = [undefined, undefined];
  const known = [false, false];
  const report = (file: number, bytes: number, total: number | undefined) => {
    received[file] = bytes;
    expected[file] = total;
    known[file] = true;
    const [a, b] = expected;
    onProgress?.(
      received[0] + received[1],
      known[0] && known[1] && a !== undefined && b !== undefined ? a + b : undefined,
    );
  };
  // Both downloads run at once; a failure is reported for the first file in
  // order, whichever failed first in time, so the message is always the same.
  const results = await Promise.allSettled(
    [names.images, names.labels].map((name, file) =>
      fetchBytes(new URL(name + suffix, base), onProgress && ((bytes, total) => report(file, bytes, total))),
    ),
  );
  const [images, labels] = results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return mnistFromIdx(ll, images, labels, options);
}

async function fetchBytes(
  url: URL,
  onChunk: ((received: number, total: number | undefined) => void) | undefined,
): Promise<Uint8Array> {
  const name = url.pathname.split('/').pop() ?? url.href;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `${name}: could not fetch ${url.href}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    throw new Error(`${name}: HTTP ${`${response.status} ${response.statusText}`.trim()} (${url.href})`);
  }
  const bytes = onChunk
    ? await readCounting(response, onChunk)
    : new Uint8Array(await response.arrayBuffer());
  // A server may already have decoded the gzip (Content-Encoding): look at the magic bytes.
  return gunzipIfGzip(bytes, name);
}

/** The body, reporting the running count against the Content-Length (when it counts these bytes). */
async function readCounting(
  response: Response,
  onChunk: (received: number, total: number | undefined) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  // With a Content-Encoding the body arrives decoded and Content-Length counts encoded bytes.
  const encoding = response.headers.get('Content-Encoding');
  const length = Number(response.headers.get('Content-Length'));
  const total = (encoding === null || encoding === 'identity') && length > 0 ? length : undefined;
  onChunk(0, total);
  if (response.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onChunk(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
