// Downloads one MNIST split (its two gzipped IDX files) from a folder URL,
// reporting the bytes received against their Content-Length, and
// decompresses them with DecompressionStream. No DOM: runs in the worker.

export type Split = 'test' | 'train';

export interface SplitFiles {
  images: Uint8Array;
  labels: Uint8Array;
}

export const splitFileNames: Record<Split, { images: string; labels: string }> = {
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
};

/** `onProgress(loaded, total)`: total is undefined while a Content-Length is unknown. */
export async function downloadSplit(
  base: URL,
  split: Split,
  onProgress: (loaded: number, total: number | undefined) => void,
): Promise<SplitFiles> {
  const names = splitFileNames[split];
  const received = [0, 0];
  const totals: (number | undefined)[] = [undefined, undefined];
  const known = [false, false];
  const report = () => {
    const total =
      known.every(Boolean) && totals.every((t) => t !== undefined) ? totals[0]! + totals[1]! : undefined;
    onProgress(received[0] + received[1], total);
  };
  const [images, labels] = await Promise.all(
    [names.images, names.labels].map((name, i) =>
      download(new URL(name, base), (bytes, total) => {
        received[i] = bytes;
        totals[i] = total;
        known[i] = true;
        report();
      }).then((bytes) => gunzip(bytes, name)),
    ),
  );
  return { images, labels };
}

/** The bytes at `url`, or undefined if the server answers 404. */
export async function fetchOptional(url: URL): Promise<Uint8Array | undefined> {
  const name = url.pathname.split('/').pop();
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status === 404) return undefined;
  if (!response.ok)
    throw new Error(`Could not download ${name}: HTTP ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

async function download(
  url: URL,
  onChunk: (received: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const name = url.pathname.split('/').pop();
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok || response.body === null) {
    throw new Error(`Could not download ${name}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  // With a Content-Encoding the body arrives decoded and Content-Length counts
  // encoded bytes (some servers send *.gz files so): progress is then unknown.
  const encoding = response.headers.get('Content-Encoding');
  const length = Number(response.headers.get('Content-Length'));
  const total = (encoding === null || encoding === 'identity') && length > 0 ? length : undefined;
  onChunk(0, total);
  return readAll(response.body, (received) => onChunk(received, total));
}

/** Decompresses gzip data; passes bytes through if a server already decoded them (Content-Encoding). */
async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const isGzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!isGzip) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return await readAll(stream);
  } catch (error) {
    throw new Error(
      `Could not decompress ${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** All bytes of a stream, in one array; `onChunk` hears the running total. */
async function readAll(
  stream: ReadableStream<Uint8Array>,
  onChunk: (received: number) => void = () => {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onChunk(received);
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
