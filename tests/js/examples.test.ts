// The Node examples run as a user would run them (`latentlab` resolves to this
// package through its exports map), with small settings; their printed
// results must show that they worked. The browser example runs in
// package.test.ts, bundled from the packed package.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { imagesFromIdx, init } from 'latentlab';
import { readMnist } from 'latentlab/node';

function run(example: string, args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, [path.resolve('examples', example), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

it('mnist-train.mjs trains, reports the test loss and saves a model that loads', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'latentlab-example-'));
  try {
    const file = path.join(directory, 'model.safetensors');
    const output = run('mnist-train.mjs', [file], { LIMIT: '2000' });
    const before = Number(/test loss before: ([\d.]+)/.exec(output)?.[1]);
    const after = Number(/epoch 1: training loss [\d.]+, test loss ([\d.]+)/.exec(output)?.[1]);
    expect(output).toContain('training on 2000 digits');
    expect(after).toBeLessThan(0.6 * before);
    const ll = await init();
    const model = ll.loadModel(readFileSync(file));
    const test = imagesFromIdx((await readMnist(ll, 'test', { limit: 1000 })).images);
    expect(model.evaluate(test).loss.toFixed(4)).toBe(after.toFixed(4));
    model.dispose();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

it('anomaly.mjs catches the anomalies with few false alarms', () => {
  const output = run('anomaly.mjs', [], { SAMPLES: '2000' });
  const [, caught, anomalies, alarms, normal] = /anomalies caught: (\d+)\/(\d+), false alarms: (\d+)\/(\d+)/
    .exec(output)!
    .map(Number);
  expect(caught / anomalies).toBeGreaterThanOrEqual(0.95);
  expect(alarms / normal).toBeLessThanOrEqual(0.03);
});
