// Downloads the four gzipped MNIST IDX files beside the page, reporting the
// bytes received against their Content-Length, and decompresses them with
// DecompressionStream.
import type { MnistFiles } from './protocol';

export interface DownloadProgress {
  loaded: number;
  /** Sum of the Content-Lengths, or undefined while any is unknown. */
  total: number | undefined;
}

const files: Record<keyof MnistFiles, string> = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
};

/** `base` is the folder URL, e.g. new URL('mnist/', document.baseURI). */
export async function loadMnist(
  base: URL,
  onProgress: (progress: DownloadProgress) => void,
  onDecompressing: () => void = () => {},
): Promise<MnistFiles> {
  const keys = Object.keys(files) as (keyof MnistFiles)[];
  const loaded = new Map<string, number>();
  const totals = new Map<string, number | undefined>();
  const report = () => {
    const known = [...totals.values()];
    const total = known.length === keys.length && known.every((t) => t !== undefined)
      ? known.reduce<number>((sum, t) => sum + (t ?? 0), 0)
      : undefined;
    onProgress({ loaded: [...loaded.values()].reduce((a, b) => a + b, 0), total });
  };
  const compressed = await Promise.all(
    keys.map((key) =>
      download(new URL(files[key], base), (received, total) => {
        loaded.set(key, received);
        totals.set(key, total);
        report();
      }),
    ),
  );
  onDecompressing();
  const decompressed = await Promise.all(compressed.map((bytes, i) => gunzip(bytes, files[keys[i]])));
  return Object.fromEntries(keys.map((key, i) => [key, decompressed[i]])) as unknown as MnistFiles;
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
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return await readAll(stream);
  } catch (error) {
    throw new Error(`Could not decompress ${name}: ${error instanceof Error ? error.message : String(error)}`);
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
