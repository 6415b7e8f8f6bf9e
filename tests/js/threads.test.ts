// The threaded engine in Chromium (a cross-origin isolated page, as `npm
// start` serves the demo): two module workers train the same models from the
// same seeds, one on 1 thread and one on 2; every weight must have the same
// bits, because each sum is computed by one thread in a fixed order. And the
// threaded build is the default there, its C++ errors as clear as the other's.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { init } from 'latentlab';

const dist = path.resolve('dist');
const types: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

// The worker: trains each configuration for a few batches of seeded data and
// returns the parameters with the thread count the engine reports.
const workerSource = `
import { init } from '/dist/index.js';
self.onmessage = async ({ data }) => {
  try {
    const ll = await init(data.threads === undefined ? {} : { threads: data.threads });
    if (data.probeErrors) {
      // C++ errors, each of which must reach JS as its own Error class and message.
      const errors = [
        () => ll.createModel({ inputSize: 784, encoder: [-3], latentSize: 2 }),
        () => ll.loadModel(new Uint8Array(12).fill(7)),
        () => ll.createModel({ inputSize: 4, latentSize: 2 }).trainSteps(ll.createDataset(new Float32Array(9), 3), { steps: 1 }),
      ].map((call) => {
        try {
          call();
          return 'no error';
        } catch (error) {
          return error instanceof Error ? error.name + ': ' + error.message : 'not an Error: ' + String(error);
        }
      });
      self.postMessage({ threads: ll.threads, cores: navigator.hardwareConcurrency, errors });
      return;
    }
    const images = new Float32Array(256 * 784);
    for (let i = 0; i < images.length; i++) images[i] = ((i * 7919) % 256) / 255;
    const dataset = ll.createDataset(images, 784);
    const parameters = data.configs.map((config) => {
      const model = ll.createModel(config);
      model.trainSteps(dataset, { steps: 6, batchSize: 64 });
      const p = model.parameters();
      model.dispose();
      return p;
    });
    self.postMessage({ threads: ll.threads, parameters });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};`;

const configs = [
  {
    inputSize: 784,
    encoder: [256, 64],
    latentSize: 32,
    activation: 'relu',
    outputActivation: 'sigmoid',
    seed: 4,
  },
  { inputSize: 784, encoder: [100], latentSize: 8, loss: 'bce', variational: { beta: 1 }, seed: 5 },
  {
    inputSize: 784,
    encoder: [60],
    latentSize: 10,
    activation: 'sigmoid',
    contractive: { weight: 0.1 },
    sparsity: { kind: 'kl', weight: 0.1, target: 0.05 },
    noise: { kind: 'mask', rate: 0.2 },
    seed: 6,
  },
  {
    // Convolutions: batch-wide products on the threads, im2col and col2im by sample.
    inputShape: [1, 28, 28],
    encoder: [{ conv: 8, kernel: 3, stride: 2, padding: 1 }, { pool: 2 }, 32],
    latentSize: 8,
    noise: { kind: 'gaussian', std: 0.2 },
    seed: 7,
  },
];

let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    };
    if (url.pathname === '/') {
      response
        .writeHead(200, { ...headers, 'Content-Type': 'text/html' })
        .end('<!doctype html><title>threads</title>');
    } else if (url.pathname === '/worker.mjs') {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(workerSource);
    } else if (url.pathname.startsWith('/dist/') && !url.pathname.includes('..')) {
      const file = path.join(dist, url.pathname.slice('/dist/'.length));
      try {
        const body = readFileSync(file);
        response.writeHead(200, {
          ...headers,
          'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
        });
        response.end(body);
      } catch {
        response.writeHead(404, headers).end();
      }
    } else {
      response.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('trains bit-identical weights on 1 and on 2 threads', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const results = await page.evaluate(
    async ({ configs }) => {
      const run = (threads: number) =>
        new Promise<{ threads: number; parameters: number[][]; error?: string }>((resolve) => {
          const worker = new Worker('/worker.mjs', { type: 'module' });
          worker.onmessage = ({ data }) => {
            worker.terminate();
            resolve({ ...data, parameters: (data.parameters ?? []).map((p: Float32Array) => Array.from(p)) });
          };
          worker.postMessage({ threads, configs });
        });
      return [await run(1), await run(2)];
    },
    { configs },
  );
  const [one, two] = results;
  expect(one.error).toBeUndefined();
  expect(two.error).toBeUndefined();
  expect(one.threads).toBe(1);
  expect(two.threads).toBe(2);
  expect(two.parameters.length).toBe(configs.length);
  for (let c = 0; c < configs.length; c++) {
    // Bits, not values: Float32 round trips through JS numbers exactly.
    expect(two.parameters[c]).toEqual(one.parameters[c]);
  }
  await page.close();
}, 120_000);

it('runs on every core by default, and its C++ errors reach JS with their class and message', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const result = await page.evaluate(
    () =>
      new Promise<{ threads: number; cores: number; errors: string[]; error?: string }>((resolve) => {
        const worker = new Worker('/worker.mjs', { type: 'module' });
        worker.onmessage = ({ data }) => {
          worker.terminate();
          resolve(data);
        };
        worker.postMessage({ probeErrors: true });
      }),
  );
  expect(result.error).toBeUndefined();
  expect(result.threads).toBe(Math.min(result.cores, 8));
  expect(result.threads).toBeGreaterThan(1); // else this test would not run the threaded build
  expect(result.errors[0]).toBe('RangeError: encoder[0] must be an integer in [1, 65536], got -3');
  expect(result.errors[1]).toMatch(/^Error: model file: the header length \d+ runs past the end of the file/);
  expect(result.errors[2]).toMatch(/^RangeError: the data has 3 features per sample, .* expects 4$/);
  await page.close();
}, 120_000);

it('runs on 1 thread in Node, whatever is asked, and rejects a bad count', async () => {
  const ll = await init({ threads: 2 });
  expect(ll.threads).toBe(1);
  await expect(init({ threads: 0 })).rejects.toThrow(/threads must be an integer in \[1, 64\], got 0/);
});
