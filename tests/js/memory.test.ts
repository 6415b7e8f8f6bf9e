// Engine memory: many create/train/save/load/dispose cycles leave the heap
// where it was, and handles that are never disposed are freed by the
// FinalizationRegistry once garbage-collected (in a child Node with --expose-gc).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { init } from 'latentlab';

const kib = 1024;

it('1000 create/train/save/load/dispose cycles leave the heap within 64 KiB', async () => {
  const ll = await init();
  const data = new Float32Array(32 * 16);
  for (let i = 0; i < data.length; i++) data[i] = (i % 17) / 17;
  const pixels = Uint8Array.from(data, (v) => Math.round(v * 255));
  const start = ll.heapBytes();
  let peak = start;
  for (let cycle = 0; cycle < 1000; cycle++) {
    const model = ll.createModel({ inputSize: 16, encoder: [8], latentSize: 4, seed: cycle });
    const dataset = ll.createDataset(pixels, 16, { scale: 1 / 255 });
    model.trainSteps(data, { steps: 2, batchSize: 8 }); // a temporary dataset inside
    model.trainSteps(dataset, { steps: 2, batchSize: 8 });
    const copy = ll.loadModel(model.save());
    copy.reconstruct(data);
    peak = Math.max(peak, ll.heapBytes());
    copy.dispose();
    dataset.dispose();
    model.dispose();
  }
  const end = ll.heapBytes();
  console.log(
    `heap: start ${start} B, peak ${peak} B, after 1000 cycles ${end} B (${end - start >= 0 ? '+' : ''}${end - start} B)`,
  );
  expect(peak).toBeGreaterThan(start); // the cycles did allocate
  expect(Math.abs(end - start)).toBeLessThanOrEqual(64 * kib);
});

it('frees models and datasets that are garbage-collected without dispose()', () => {
  const entry = pathToFileURL(path.resolve('dist/index.js')).href;
  // Each forgotten model holds 784x256x2 weights and their gradients (~3.2 MB).
  const script = `
    import { init } from ${JSON.stringify(entry)};
    const ll = await init();
    const base = ll.heapBytes();
    (() => {
      for (let i = 0; i < 10; i++) {
        ll.createModel({ inputSize: 784, encoder: [256], latentSize: 32 });
        ll.createDataset(new Float32Array(784 * 100), 784);
      }
    })();
    const held = ll.heapBytes();
    for (let i = 0; i < 100 && ll.heapBytes() > base + 65536; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(JSON.stringify({ base, held, after: ll.heapBytes() }));
  `;
  const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const { base, held, after } = JSON.parse(output) as { base: number; held: number; after: number };
  console.log(`finalization: base ${base} B, 10 forgotten models + datasets ${held} B, after gc ${after} B`);
  expect(held - base).toBeGreaterThan(10 * 3_000_000);
  expect(Math.abs(after - base)).toBeLessThanOrEqual(64 * kib);
});
