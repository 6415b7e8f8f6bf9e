// The page's client of the worker, against scripted fake workers: when a
// worker that came up dies, a new one gets, in order, the reader's own
// files, the model files loaded, the snapshots of the models trained so far that views show, every live
// subscription (with its latest parameters and visibility), then what the
// page sent meanwhile; requests in flight fail with a sentence; a fourth
// death within a minute stops it. A worker that never came up is not
// restarted.
import { expect, test } from 'vitest';
import { LabClient } from '../../web/src/client/lab-client';
import type { ModelSnapshot, PageMessage, WorkerMessage } from '../../web/src/lab/protocol';

class FakeWorker extends EventTarget {
  readonly received: PageMessage[] = [];
  terminated = false;
  postMessage(message: PageMessage): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  say(message: WorkerMessage): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  /** An uncaught error in the worker, as the page sees it. */
  die(message: string): void {
    const event = new Event('error', { cancelable: true });
    Object.defineProperty(event, 'message', { value: message });
    this.dispatchEvent(event);
  }
}

function start() {
  const workers: FakeWorker[] = [];
  const client = new LabClient(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker as unknown as Worker;
  });
  const latest = () => workers.at(-1)!;
  const up = () => latest().say({ type: 'engine', simd: 'wasm-simd128', threads: 1 });
  return { client, workers, latest, up };
}

const noHandlers = { data: () => {}, notice: () => {} };
const snapshot = (spec: string, step: number): ModelSnapshot => ({
  spec,
  bytes: new Uint8Array([1, 2, 3, step]),
  fileName: 'model.safetensors',
  step,
  epochs: step / 100,
});
const types = (worker: FakeWorker) => worker.received.map((message) => message.type);
const replyTo = (worker: FakeWorker, type: PageMessage['type']) =>
  (worker.received.find((message) => message.type === type) as { request: number }).request;

test('a new worker takes over the own files, the trained models and the views, in that order', async () => {
  const { client, workers, latest, up } = start();
  up();
  const map = client.subscribe('family=vae', 'latent-map', {}, noHandlers);
  const samples = client.subscribe('family=vae', 'samples', { count: 4, seed: 1 }, noHandlers);
  samples.update({ count: 9, seed: 2 });
  samples.setVisible(false);
  const closed = client.subscribe('family=pca', 'reconstructions', { count: 2 }, noHandlers);
  closed.close();
  const own = client.loadOwnData(
    { name: 'digits-idx3-ubyte', bytes: new Uint8Array([5, 6]) },
    { name: 'digits-idx1-ubyte', bytes: new Uint8Array([7]) },
  );
  const ownSummary = { images: 'digits-idx3-ubyte', train: 1000, test: 200, labelled: true };
  latest().say({ type: 'reply', request: replyTo(latest(), 'load-own-data'), ok: true, own: ownSummary });
  await own;
  const seen: ModelSnapshot[] = [];
  client.onSnapshot((s) => seen.push(s));
  latest().say({ type: 'snapshot', snapshot: snapshot('family=vae', 100) });
  latest().say({ type: 'snapshot', snapshot: snapshot('family=vae', 200) });
  latest().say({ type: 'snapshot', snapshot: snapshot('family=sparse-l1', 300) }); // no view shows it now
  expect(seen.map((s) => s.step)).toEqual([100, 200, 300]);
  const saving = client.save('family=vae');

  latest().say({ type: 'fatal', message: 'the engine trapped: unreachable' });
  expect(workers).toHaveLength(2);
  expect(workers[0].terminated).toBe(true);
  await expect(saving).rejects.toThrow(
    'The LatentLab worker stopped (the engine trapped: unreachable); try again.',
  );
  expect(client.restarts).toEqual([
    'The LatentLab worker stopped (the engine trapped: unreachable). A new one took over, with the model trained here as at the last completed epoch.',
  ]);
  // Until the own files are back, the rest waits.
  client.train('family=vae', false);
  expect(types(latest())).toEqual(['load-own-data']);
  const resent = latest().received[0] as Extract<PageMessage, { type: 'load-own-data' }>;
  expect([resent.images.name, Array.from(resent.images.bytes), Array.from(resent.labels!.bytes)]).toEqual([
    'digits-idx3-ubyte',
    [5, 6],
    [7],
  ]);
  latest().say({ type: 'reply', request: resent.request, ok: true, own: ownSummary });
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(types(latest())).toEqual([
    'load-own-data',
    'resume',
    'subscribe',
    'subscribe',
    'visibility',
    'train',
  ]);
  const [, resume, first, second, visibility] = latest().received as [
    PageMessage,
    Extract<PageMessage, { type: 'resume' }>,
    ...PageMessage[],
  ];
  expect([resume.snapshot.step, Array.from(resume.snapshot.bytes), resume.reason]).toEqual([
    200,
    [1, 2, 3, 200],
    'the worker before this one stopped',
  ]);
  expect(first).toMatchObject({ type: 'subscribe', view: 'latent-map', spec: 'family=vae' });
  expect(second).toMatchObject({ type: 'subscribe', view: 'samples', params: { count: 9, seed: 2 } });
  expect(visibility).toMatchObject({ type: 'visibility', visible: false });
  expect(client.errors).toEqual([]);
  map.close();
});

test('model files loaded in the page go to a new worker again, before the trained models', async () => {
  const { client, latest, up } = start();
  up();
  const bytes = new Uint8Array([9, 8, 7]);
  const loading = client.loadFile('family=vanilla&src=mine.safetensors', bytes, 'mine.safetensors');
  const spec = 'dataset=mnist&family=vanilla&hidden=128&latent=32&src=mine.safetensors';
  latest().say({ type: 'reply', request: replyTo(latest(), 'load-file'), ok: true, spec });
  expect(await loading).toBe(spec);
  const view = client.subscribe(spec, 'reconstructions', { count: 2 }, noHandlers);
  latest().say({ type: 'snapshot', snapshot: snapshot(spec, 50) });

  latest().say({ type: 'fatal', message: 'the engine trapped: unreachable' });
  expect(types(latest())).toEqual(['load-file', 'resume', 'subscribe']);
  const [file, resume] = latest().received as [
    Extract<PageMessage, { type: 'load-file' }>,
    Extract<PageMessage, { type: 'resume' }>,
  ];
  expect([file.spec, Array.from(file.bytes), file.fileName]).toEqual([spec, [9, 8, 7], 'mine.safetensors']);
  expect(resume.snapshot.step).toBe(50);
  view.close();
});

test('an uncaught error restarts a worker that came up; a fourth death within a minute stops it', () => {
  const { client, workers, up } = start();
  for (let death = 1; death <= 3; death++) {
    up();
    workers.at(-1)!.die('Uncaught RuntimeError: memory access out of bounds');
    expect(workers).toHaveLength(death + 1);
  }
  expect(client.restarts).toHaveLength(3);
  expect(client.restarts[0]).toBe(
    'The LatentLab worker stopped (Uncaught RuntimeError: memory access out of bounds). A new one took over.',
  );
  up();
  workers.at(-1)!.die('Uncaught RuntimeError: unreachable');
  expect(workers).toHaveLength(4);
  expect(workers[3].terminated).toBe(true);
  expect(client.errors).toEqual([
    'The LatentLab worker stopped (Uncaught RuntimeError: unreachable), for the 4th time in a minute: it is not started again; reload the page.',
  ]);
});

test('a worker that never came up is reported, not restarted', () => {
  const { client, workers } = start();
  workers[0].die('');
  expect(workers).toHaveLength(1);
  expect(client.errors).toEqual(['The LatentLab worker failed: it could not be started']);
});
