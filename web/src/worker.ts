// The worker that runs the engine for every view on the page: wires messages
// to a LabHost. The data sets and pretrained models are fetched from the
// folder above this script (the site root in both the dev server and the build).
import { fetchMnist, init, type LatentLab } from 'latentlab';
import { datasetFolder } from './lab/datasets';
import { errorMessage, type PageMessage, type WorkerMessage } from './lab/protocol';
import { LabHost, type DataSource } from './worker/host';

interface WorkerScope {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const root = new URL(/* @vite-ignore */ '../', import.meta.url);
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

// Messages that arrive while the engine compiles wait for it.
const queued: PageMessage[] = [];
let host: LabHost | undefined;
scope.addEventListener('message', (event) => {
  if (!host) {
    queued.push(event.data);
    return;
  }
  dispatch(host, event.data);
});

function dispatch(target: LabHost, message: PageMessage): void {
  try {
    target.handle(message);
  } catch (error) {
    post({ type: 'error', message: errorMessage(error) });
  }
}

init().then(
  (ll) => {
    post({ type: 'engine', simd: ll.simd, threads: ll.threads });
    host = new LabHost(ll, sourceOf(ll), post, { yieldToEventLoop });
    for (const message of queued.splice(0)) dispatch(host, message);
  },
  (error: unknown) => post({ type: 'error', message: `The engine failed to load: ${errorMessage(error)}` }),
);
