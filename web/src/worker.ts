// The worker that runs the engine for every view on the page: wires messages
// to a LabHost. The data sets and pretrained models are fetched from the
// folder above this script (the site root in both the dev server and the
// build). Started from a page's inline source (a blob: URL, no folder), it
// takes the files from the page's first message instead.
import { fetchMnist, init, type InitOptions, type LatentLab } from 'latentlab';
import { datasetFolder } from './lab/datasets';
import { errorMessage, type InlineFilesMessage, type PageMessage, type WorkerMessage } from './lab/protocol';
import { LabHost, type DataSource } from './worker/host';

interface WorkerScope {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const inline = import.meta.url.startsWith('blob:');
/** Inline, files are named as if under this root; fetch answers from the page's files. */
const inlineRoot = 'https://inline.latentlab.invalid/';
const root = new URL(/* @vite-ignore */ inline ? inlineRoot : '../', inline ? undefined : import.meta.url);
const sourceOf = (ll: LatentLab): DataSource => ({
  loadSplit: (dataset, split, onProgress) =>
    fetchMnist(ll, new URL(`${datasetFolder(dataset)}/`, root), split, { dataset, onProgress }),
  modelFile: (name) => fetchOptional(new URL(`models/${encodeURIComponent(name)}.safetensors`, root)),
});

/** The bytes at `url`, or undefined if the server answers 404. */
async function fetchOptional(url: URL): Promise<Uint8Array | undefined> {
  const name = url.pathname.split('/').pop();
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not download ${name}: ${errorMessage(error)}`);
  }
  if (response.status === 404) return undefined;
  if (!response.ok)
    throw new Error(`Could not download ${name}: HTTP ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

// A MessageChannel round trip yields to queued messages without the ~4 ms
// clamp that browsers put on chains of setTimeout(0).
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Serves fetches of the inline root from `files`; anything else is not there. */
function answerFrom(files: Record<string, Uint8Array>): typeof fetch {
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const bytes = url.href.startsWith(inlineRoot) ? files[url.href.slice(inlineRoot.length)] : undefined;
    return bytes
      ? new Response(bytes as Uint8Array<ArrayBuffer>)
      : new Response(null, { status: 404, statusText: 'Not Found' });
  };
}

// Inline, the engine waits for the page's files; messages that arrive while it compiles wait for it.
let engineOptions: ((options: InitOptions) => void) | undefined;
const ready = inline
  ? new Promise<InitOptions>((resolve) => (engineOptions = resolve))
  : Promise.resolve<InitOptions>({});
const queued: PageMessage[] = [];
let host: LabHost | undefined;
scope.addEventListener('message', (event: MessageEvent<PageMessage | InlineFilesMessage>) => {
  const message = event.data;
  if (message.type === 'inline-files') {
    self.fetch = answerFrom(message.files);
    // One thread: a page with its files inline is not cross-origin isolated. The engine's
    // module must not resolve its .wasm beside itself (a blob: URL has no folder).
    engineOptions?.({
      threads: 1,
      wasmBinary: message.files['engine.wasm'],
      locateFile: (path) => inlineRoot + path,
    });
    return;
  }
  if (!host) {
    queued.push(message);
    return;
  }
  dispatch(host, message);
});

function dispatch(target: LabHost, message: PageMessage): void {
  try {
    target.handle(message);
  } catch (error) {
    post({ type: 'error', message: errorMessage(error) });
  }
}

ready.then(init).then(
  (ll) => {
    post({ type: 'engine', simd: ll.simd, threads: ll.threads });
    host = new LabHost(ll, sourceOf(ll), post, { yieldToEventLoop });
    for (const message of queued.splice(0)) dispatch(host, message);
  },
  (error: unknown) => post({ type: 'error', message: `The engine failed to load: ${errorMessage(error)}` }),
);
