// The reader's own IDX files in the worker: the split into training and test
// images, the sizes refused, the holdout a set of images allows; and the
// LabHost taking them (a bad file changes nothing, good ones train and the
// views draw, labels or none).
import { beforeAll, describe, expect, test } from 'vitest';
import { init, type IdxImages, type LatentLab } from 'latentlab';
import { defaultsFor } from '../../web/src/lab/experiment';
import type { OwnDataSummary, PageMessage, ViewData, WorkerMessage } from '../../web/src/lab/protocol';
import { LabHost, type DataSource } from '../../web/src/worker/host';
import {
  maxOwnTestCount,
  minOwnCount,
  ownDataObjection,
  ownTestCount,
  splitOwnImages,
} from '../../web/src/worker/own-data';
import { idxFile } from './idx-file';

/** n images whose pixels all equal their index (mod 256), with labels `label(i)` or none. */
function own(n: number, label?: (i: number) => number): IdxImages {
  const data = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) data.fill(i % 256, i * 784, (i + 1) * 784);
  return {
    images: { shape: [n, 28, 28], data },
    labels: label && Uint8Array.from({ length: n }, (_, i) => label(i)),
    count: n,
  };
}

describe('split', () => {
  test('the last sixth (rounded up, at most 10,000) are test images, the rest train', () => {
    expect(minOwnCount).toBe(600);
    expect([600, 601, 1200, 60000, 70000, 100000].map(ownTestCount)).toEqual([
      100, 101, 200, 10000, 10000, 10000,
    ]);
    expect(maxOwnTestCount).toBe(10000);
    const { train, test, summary } = splitOwnImages(
      own(1200, (i) => i % 10),
      { images: 'a', labels: 'b' },
    );
    expect([train.count, test.count]).toEqual([1000, 200]);
    expect(train.bytes.length).toBe(1000 * 784);
    expect(test.bytes[0]).toBe(1000 % 256);
    expect(test.bytes.length).toBe(200 * 784);
    expect(Array.from(test.labels.slice(0, 3))).toEqual([0, 1, 2]);
    expect(train.labelled && test.labelled).toBe(true);
    expect(summary).toEqual({ images: 'a', labels: 'b', train: 1000, test: 200, labelled: true });
  });

  test('without labels every image is class 0; too few images are refused, naming the file', () => {
    const { train, test, summary } = splitOwnImages(own(700), { images: 'mine.gz' });
    expect(train.labelled || test.labelled).toBe(false);
    expect(train.labels.every((label) => label === 0)).toBe(true);
    expect(summary).toEqual({ images: 'mine.gz', train: 583, test: 117, labelled: false });
    expect(() => splitOwnImages(own(599), { images: 'few' })).toThrow(
      'few: 599 images, but the page needs at least 600 (a sixth of them, at least 100, are kept for testing)',
    );
  });

  test('a class can be held out only if the training images have it', () => {
    const labelled = splitOwnImages(
      own(600, (i) => i % 5),
      { images: 'a', labels: 'b' },
    );
    const unlabelled = splitOwnImages(own(600), { images: 'a' });
    const vanilla = defaultsFor('vanilla', 'own');
    expect(ownDataObjection(labelled, vanilla)).toBeUndefined();
    expect(ownDataObjection(unlabelled, vanilla)).toBeUndefined();
    expect(ownDataObjection(labelled, { ...vanilla, holdout: 4 })).toBeUndefined();
    expect(ownDataObjection(labelled, { ...vanilla, holdout: 7 })).toBe(
      'No training image of your IDX files has label 7, so it cannot be held out.',
    );
    expect(ownDataObjection(unlabelled, { ...vanilla, holdout: 0 })).toBe(
      'Your IDX files have no labels, so no class can be held out: set it to none.',
    );
  });
});

describe('the worker', () => {
  let ll: LatentLab;
  beforeAll(async () => {
    ll = await init();
  });

  // No built-in data set is read here.
  const source: DataSource = {
    loadSplit: () => Promise.reject(new Error('no download expected')),
    modelFile: () => Promise.resolve(undefined),
  };

  function host() {
    const messages: WorkerMessage[] = [];
    const lab = new LabHost(ll, source, (message) => messages.push(message), {
      snapshotInterval: 50,
      keepAlive: 0,
    });
    let next = 1000;
    const request = async (message: (request: number) => PageMessage) => {
      const id = next++;
      lab.handle(message(id));
      for (let i = 0; i < 200; i++) {
        const reply = messages.find((m) => m.type === 'reply' && m.request === id);
        if (reply) return reply as Extract<WorkerMessage, { type: 'reply' }>;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('no reply');
    };
    const data = async <K extends keyof ViewData>(id: number, until: (data: ViewData[K]) => boolean) => {
      for (let i = 0; i < 1000; i++) {
        const found = messages.filter((m) => m.type === 'data' && m.id === id).at(-1) as
          { data: ViewData[K] } | undefined;
        if (found && until(found.data)) return found.data;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no data for ${id}: ${JSON.stringify(messages.filter((m) => m.type !== 'data'))}`);
    };
    return { lab, messages, request, data };
  }

  test('a bad file is refused with its problem and changes nothing; good files train and the views draw', async () => {
    const { lab, messages, request, data } = host();
    const pixels = new Uint8Array(1200 * 784).map((_, i) => (i * 7) % 256);
    const images = { name: 'mine-images', bytes: idxFile([1200, 28, 28], pixels) };
    const bad = await request((r) => ({
      type: 'load-own-data',
      request: r,
      images,
      labels: { name: 'mine-labels', bytes: idxFile([1199], new Uint8Array(1199)) },
    }));
    expect(bad).toEqual({
      type: 'reply',
      request: bad.request,
      ok: false,
      message: 'mine-labels: 1200 images but 1199 labels',
    });
    const good = await request((r) => ({ type: 'load-own-data', request: r, images, labels: undefined }));
    expect(good.ok && good.own).toEqual({
      images: 'mine-images',
      train: 1000,
      test: 200,
      labelled: false,
    } satisfies OwnDataSummary);
    const spec = 'dataset=own&family=vanilla&latent=2';
    lab.handle({ type: 'subscribe', id: 1, spec, view: 'latent-map', params: {} });
    lab.handle({ type: 'subscribe', id: 2, spec, view: 'status', params: {} });
    const map = await data<'latent-map'>(1, () => true);
    expect(map.labelled).toBe(false);
    expect(map.labels.length).toBe(100); // half of the 200 test images
    expect(map.images!.length).toBe(100 * 784);
    lab.handle({ type: 'train', spec, fromScratch: true });
    const trained = await data<'status'>(2, (status) => status.step > 20);
    expect(trained.source).toBe('trained');
    // A held-out class needs labels: the check says so, as the form shows it.
    const check = await request((r) => ({ type: 'check', request: r, spec: `${spec}&holdout=3` }));
    expect(check).toMatchObject({ ok: false, message: /no labels, so no class can be held out/ });
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    lab.dispose();
  });
});
