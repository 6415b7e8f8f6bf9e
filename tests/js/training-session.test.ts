// The demo worker's logic, driven directly (no Worker) with the built engine
// and small synthetic data: training, progress, pause, reset, errors.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { init, type LatentLab } from '../../dist/index.js';
import type { WorkerMessage } from '../../web/src/protocol';
import { TrainingSession, type SessionData, type SessionSettings } from '../../web/src/training-session';

const features = 16;

/** n samples in [0, 1] that lie near a 2-D surface: sigmoid(a u + b v). */
function syntheticImages(n: number, seed: number): Float32Array {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const u = Array.from({ length: features }, () => 4 * random() - 2);
  const v = Array.from({ length: features }, () => 4 * random() - 2);
  const out = new Float32Array(n * features);
  for (let s = 0; s < n; s++) {
    const a = 2 * random() - 1;
    const b = 2 * random() - 1;
    for (let j = 0; j < features; j++) out[s * features + j] = 1 / (1 + Math.exp(-(a * u[j] + b * v[j])));
  }
  return out;
}

const data = (): SessionData => ({
  trainImages: syntheticImages(1024, 1),
  probeImages: syntheticImages(4, 2),
  mapImages: syntheticImages(50, 3),
});

const settings: SessionSettings = {
  model: { inputSize: features, encoder: [12], latentSize: 3, seed: 0 },
  training: { batchSize: 32, learningRate: 0.01, optimizer: 'adam' },
  progressInterval: 0, // a progress message after every slice
  snapshotInterval: 20,
};

interface Posted {
  message: WorkerMessage;
  transfer: Transferable[];
}

let ll: LatentLab;
let session: TrainingSession | undefined;
let posted: Posted[];

beforeAll(async () => {
  ll = await init();
});

afterEach(() => {
  session?.dispose();
  session = undefined;
});

function open(overrides: Partial<SessionSettings> = {}): TrainingSession {
  posted = [];
  session = new TrainingSession(ll, data(), { ...settings, ...overrides }, (message, transfer) =>
    posted.push({ message, transfer }),
  );
  return session;
}

function ofType<T extends WorkerMessage['type']>(type: T) {
  return posted.map((p) => p.message).filter((m): m is Extract<WorkerMessage, { type: T }> => m.type === type);
}

/** Lets `count` rounds of timers run. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('TrainingSession', () => {
  test('start trains: progress is posted, steps rise and the loss falls', async () => {
    const s = open();
    const done = s.start();
    expect(posted[0].message).toEqual({ type: 'state', running: true, step: 0, epoch: 0 });
    await vi.waitFor(() => expect(ofType('progress').length).toBeGreaterThanOrEqual(60), { timeout: 20_000 });
    s.pause();
    await done;

    const progress = ofType('progress');
    for (let i = 1; i < progress.length; i++) expect(progress[i].step).toBeGreaterThan(progress[i - 1].step);
    expect(progress.at(-1)!.epoch).toBeGreaterThan(1); // 32 batches per epoch
    const mean = (xs: { loss: number }[]) => xs.reduce((sum, x) => sum + x.loss, 0) / xs.length;
    expect(mean(progress.slice(-5))).toBeLessThan(0.5 * mean(progress.slice(0, 5)));

    // A snapshot at the first slice: probe reconstructions and 2-D map points, transferred.
    const snapshots = posted.filter((p) => p.message.type === 'snapshot');
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    const first = snapshots[0].message as Extract<WorkerMessage, { type: 'snapshot' }>;
    expect(first.reconstructions.length).toBe(4 * features);
    expect(first.mapPoints.length).toBe(50 * 2);
    expect(first.mapPoints.every(Number.isFinite)).toBe(true);
    expect(first.explainedVariance[0]).toBeGreaterThanOrEqual(first.explainedVariance[1]);
    expect(first.explainedVariance[0] + first.explainedVariance[1]).toBeLessThanOrEqual(1 + 1e-9);
    expect(snapshots[0].transfer).toEqual([first.reconstructions.buffer, first.mapPoints.buffer]);
    expect(first.reconstructions.buffer.byteLength).toBe(first.reconstructions.byteLength);
  });

  test('pause stops posting and reports the exact step', async () => {
    const s = open();
    const done = s.start();
    await vi.waitFor(() => expect(ofType('progress').length).toBeGreaterThanOrEqual(5), { timeout: 20_000 });
    s.pause();
    await done; // the loop ends at once
    const last = posted.at(-1)!.message;
    expect(last).toMatchObject({ type: 'state', running: false, step: s.step });
    expect(ofType('progress').at(-1)!.step).toBe(s.step);
    const count = posted.length;
    await turns(20);
    expect(posted.length).toBe(count);
    expect(s.running).toBe(false);

    // Start continues from there.
    const pausedAt = s.step;
    const before = ofType('progress').length;
    const again = s.start();
    await vi.waitFor(() => expect(ofType('progress').length).toBeGreaterThan(before), { timeout: 20_000 });
    s.pause();
    await again;
    const resumed = ofType('progress')[before];
    expect(resumed.step).toBeGreaterThan(pausedAt);
    expect(resumed.step).toBeLessThanOrEqual(pausedAt + 64); // one slice on, not a fresh start
  });

  test('reset stops training and restores step 0 and the seeded model', async () => {
    const s = open();
    s.publishSnapshot();
    const untrained = ofType('snapshot')[0];
    const done = s.start();
    await vi.waitFor(() => expect(s.step).toBeGreaterThan(50), { timeout: 20_000 });
    posted.length = 0;
    s.reset();
    await done;

    expect(posted.map((p) => p.message.type)).toEqual(['reset', 'state', 'snapshot']);
    expect(posted[1].message).toEqual({ type: 'state', running: false, step: 0, epoch: 0 });
    const fresh = ofType('snapshot')[0];
    expect(fresh.step).toBe(0);
    // Same seed, same model: identical reconstructions to before training.
    expect(Array.from(fresh.reconstructions)).toEqual(Array.from(untrained.reconstructions));
    expect(s.step).toBe(0);
    await turns(20);
    expect(posted.length).toBe(3); // the old loop ended without posting

    const again = s.start();
    await vi.waitFor(() => expect(ofType('progress').length).toBeGreaterThan(0), { timeout: 20_000 });
    s.pause();
    await again;
    expect(ofType('progress')[0].step).toBeLessThan(50);
  });

  test('a failing training call is posted as an error and stops the session', async () => {
    const s = open({ training: { batchSize: 32, learningRate: -1 } });
    await s.start();
    const error = ofType('error');
    expect(error).toHaveLength(1);
    expect(error[0].message).toMatch(/Training failed: .*learningRate/);
    expect(posted.at(-1)!.message).toEqual({ type: 'state', running: false, step: 0, epoch: 0 });
    expect(s.running).toBe(false);
  });

  test('bad data is rejected by the constructor', () => {
    expect(
      () => new TrainingSession(ll, { ...data(), trainImages: new Float32Array(features + 1) }, settings, () => {}),
    ).toThrow(/multiple of 16/);
  });
});
