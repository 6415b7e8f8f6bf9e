// End-to-end tests of the npm package's views (the export latentlab/views),
// as tutorial authors use them, from the packed tarball: served by a "CDN" on
// one local origin that allows any other (Access-Control-Allow-Origin: *),
// with an article on another origin that includes them with one script tag;
// and installed in a Vite app that imports them (latentlab/vite's plugin),
// in Vite's dev server and in a production build. Views also show the
// author's own model file, by URL (src) or as bytes (the model property).
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/package-views.test.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { build, createServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { init } from 'latentlab';
import {
  blankCanvases,
  embeddingDocBlocks,
  folderFiles,
  newPage,
  openSite,
  repo,
  serveStatic,
  slow,
  waitForViews,
  type Site,
  type StaticServer,
} from './helpers';

const { name, version } = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as {
  name: string;
  version: string;
};
/** Where a CDN that serves npm packages puts this one. */
const packagePath = `/${name}@${version}/`;

let site: Site;
let work: string;
let tarball: string;
let cdn: StaticServer;

beforeAll(async () => {
  site = await openSite(); // for its browser
  work = mkdtempSync(path.join(tmpdir(), 'latentlab-views-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: repo,
    encoding: 'utf8',
  });
  tarball = path.join(work, (JSON.parse(output) as { filename: string }[])[0].filename);
  execFileSync('tar', ['-xzf', tarball, '-C', work]); // into work/package/
  const files = folderFiles(path.join(work, 'package'));
  cdn = await serveStatic(
    (pathname) =>
      pathname.startsWith(packagePath) ? files(pathname.slice(packagePath.length - 1)) : undefined,
    { 'Access-Control-Allow-Origin': '*' },
  );
}, slow);

afterAll(async () => {
  await cdn?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
}, slow);

test(
  'an article on another origin embeds four views from the packed tarball on a CDN: a blob: bootstrap starts the worker, every view draws',
  async () => {
    const views = `${cdn.origin}${packagePath}dist/views/`;
    // The documentation's example, from the local "CDN", and two views more.
    const [example] = embeddingDocBlocks('From npm or a CDN: any site', 'html');
    const documented = `https://cdn.jsdelivr.net/npm${packagePath}dist/views/`;
    expect(example).toContain(documented);
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"></head>
<body><h1>An article</h1>
${example.replace(documented, views)}
<latentlab-samples model="vae-2d" count="8"></latentlab-samples>
<latentlab-feature-maps model="conv"></latentlab-feature-maps></body></html>`;
    // The article from a server of its own (route.fulfill would make it a public page, which Chromium forbids to fetch from loopback).
    // Every path is the article (the browser asks for /favicon.ico too).
    const article = await serveStatic(() => body);
    try {
      const { page, problems } = await newPage(site, { viewport: { width: 800, height: 900 } });
      const fromCdn: string[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(views)) fromCdn.push(request.url().slice(views.length));
      });
      await page.goto(`${article.origin}/article.html`);
      await waitForViews(page);
      expect(await blankCanvases(page)).toEqual([]);
      const workers = page.workers();
      expect(workers.map((worker) => worker.url().startsWith('blob:'))).toEqual([true]);
      expect(await workers[0].evaluate(() => self.name)).toBe('latentlab');
      // The engine, the digits and the models came from the package on the CDN.
      expect(fromCdn.some((file) => /^assets\/engine-[\w-]+\.wasm$/.test(file))).toBe(true);
      expect(fromCdn).toContain('mnist/t10k-images-idx3-ubyte.gz');
      expect(fromCdn).toContain('models/vae-2d.safetensors');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await article.close();
    }
  },
  slow,
);

test(
  'what the package leaves out (Fashion-MNIST, the training digits) is named in the views that need it',
  async () => {
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${cdn.origin}${packagePath}dist/views/latentlab-views.js"></script></head>
<body><latentlab-reconstructions model="fashion-conv" count="4"></latentlab-reconstructions>
<latentlab-trainer model="vanilla"></latentlab-trainer></body></html>`;
    const article = await serveStatic(() => body);
    try {
      const { page } = await newPage(site);
      await page.goto(`${article.origin}/article.html`);
      const notice = page.locator('latentlab-reconstructions .notice');
      await expect
        .poll(async () => (await notice.textContent())?.trim(), { timeout: 30_000 })
        .toMatch(/^The Fashion-MNIST test images failed to load: t10k-images-idx3-ubyte\.gz: HTTP 404/);
      await page.locator('latentlab-trainer button.scratch').click();
      await page
        .getByText(/MNIST training digits failed to load: train-images-idx3-ubyte\.gz: HTTP 404/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.close();
    } finally {
      await article.close();
    }
  },
  slow,
);

/** The author's own model file: the vanilla preset's architecture, another seed, untrained. */
async function authorModelFile(): Promise<Buffer> {
  const ll = await init();
  const model = ll.createModel({
    inputSize: 784,
    encoder: [128],
    latentSize: 32,
    activation: 'relu',
    outputActivation: 'sigmoid',
    loss: 'mse',
    seed: 7,
  });
  const file = Buffer.from(model.save());
  model.dispose();
  return file;
}

/** The mean squared error a reconstructions view states. */
const statedMse = (text: string) => Number(/([\d.]+)$/.exec(text)![1]);

/**
 * A Vite app in `app` that installs the tarball (the package has no runtime
 * dependencies, so this needs no network) and takes the documentation's
 * vite.config.js; with `main`, the documentation's main.js too.
 */
function viteApp(app: string, { main }: { main: boolean }): void {
  rmSync(app, { recursive: true, force: true });
  mkdirSync(path.join(app, 'public'), { recursive: true });
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: path.basename(app), private: true, type: 'module' }),
  );
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    stdio: 'pipe',
  });
  for (const block of embeddingDocBlocks('In a Vite app', 'js')) {
    const file = /^\/\/ ([\w.]+)\n/.exec(block)![1];
    if (file !== 'main.js' || main) writeFileSync(path.join(app, file), block);
  }
}

/** The Vite app of the documentation, showing two views. */
function documentedApp(): string {
  const app = path.join(work, 'app');
  viteApp(app, { main: true });
  writeFileSync(
    path.join(app, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="./main.js"></script></head>
<body><latentlab-reconstructions model="vanilla" count="5"></latentlab-reconstructions>
<latentlab-latent-map model="vae-2d"></latentlab-latent-map></body></html>`,
  );
  return app;
}

/** Opens `url`: both views draw, from one worker, with nothing wrong in the console. */
async function expectViewsDraw(url: string): Promise<Page> {
  const { page, problems } = await newPage(site, { viewport: { width: 800, height: 900 } });
  await page.goto(url);
  await waitForViews(page);
  expect(await blankCanvases(page)).toEqual([]);
  expect(page.workers()).toHaveLength(1);
  expect(problems).toEqual([]);
  return page;
}

test(
  "a Vite app imports latentlab/views: the views draw in Vite's dev server and in a production build",
  async () => {
    const app = documentedApp();
    const dev = await createServer({
      root: app,
      configFile: path.join(app, 'vite.config.js'),
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0, strictPort: true },
    });
    await dev.listen();
    try {
      const { port } = dev.httpServer!.address() as AddressInfo;
      await (await expectViewsDraw(`http://127.0.0.1:${port}/`)).close();
    } finally {
      await dev.close();
    }

    const outDir = path.join(app, 'dist');
    await build({ root: app, configFile: path.join(app, 'vite.config.js'), logLevel: 'warn' });
    const built = await serveStatic(folderFiles(outDir));
    try {
      const page = await expectViewsDraw(`${built.origin}/index.html`);
      // The views' folder lies, as it is, among the build's assets.
      const worker = new URL(page.workers()[0].url());
      expect(worker.pathname).toMatch(/^\/assets\/latentlab-views\/assets\/worker-[\w-]+\.js$/);
      await page.close();
    } finally {
      await built.close();
    }
  },
  slow,
);

test(
  "views show the author's own model file, from src= or given as bytes, beside the preset of the same settings",
  async () => {
    const file = await authorModelFile();
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${cdn.origin}${packagePath}dist/views/latentlab-views.js"></script></head>
<body><latentlab-reconstructions id="preset" model="vanilla" count="4"></latentlab-reconstructions>
<latentlab-reconstructions id="src" src="models/mine.safetensors" count="4"></latentlab-reconstructions>
<latentlab-reconstructions id="bytes" count="4"></latentlab-reconstructions>
<latentlab-reconstructions id="missing" src="models/missing.safetensors" count="4"></latentlab-reconstructions></body></html>`;
    const article = await serveStatic((pathname) =>
      pathname === '/models/mine.safetensors' ? file : pathname === '/article.html' ? body : undefined,
    );
    try {
      const { page, problems } = await newPage(site, { viewport: { width: 800, height: 1600 } });
      await page.goto(`${article.origin}/article.html`);
      await page.evaluate(async () => {
        const bytes = new Uint8Array(await (await fetch('models/mine.safetensors')).arrayBuffer());
        (document.getElementById('bytes') as HTMLElement & { model: unknown }).model = bytes;
      });
      const missing = page.locator('#missing .notice');
      await expect
        .poll(async () => (await missing.textContent())?.trim(), { timeout: 30_000 })
        .toBe('missing.safetensors could not be downloaded: HTTP 404 Not Found');
      await page.evaluate(() => document.getElementById('missing')!.remove());
      await waitForViews(page);
      const stats = async (id: string) => page.locator(`#${id} .stats`).innerText();
      const [preset, fromSrc, fromBytes] = [await stats('preset'), await stats('src'), await stats('bytes')];
      // The same file twice: the same numbers; the preset keeps its own weights.
      expect(fromSrc).toBe(fromBytes);
      expect(fromSrc).not.toBe(preset);
      expect(statedMse(preset)).toBeLessThan(0.03); // pretrained
      expect(statedMse(fromSrc)).toBeGreaterThan(0.1); // untrained
      expect(page.workers()).toHaveLength(1);
      // The missing file's 404 is all that went wrong.
      expect(problems.filter((problem) => !/missing\.safetensors|404 \(Not Found\)/.test(problem))).toEqual(
        [],
      );
      await page.close();
    } finally {
      await article.close();
    }
  },
  slow,
);

test(
  "in a React 19 app (Vite's production build) the views render as elements, the model property taking a file's bytes",
  async () => {
    // Inside the repository, so that the app resolves react and react-dom from its node_modules.
    const app = path.join(repo, 'test-results', 'react-app');
    viteApp(app, { main: false });
    writeFileSync(path.join(app, 'public', 'mine.safetensors'), await authorModelFile());
    writeFileSync(
      path.join(app, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="./main.js"></script></head><body><div id="root"></div></body></html>`,
    );
    writeFileSync(
      path.join(app, 'main.js'),
      `import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'latentlab/views';

function App() {
  const [bytes, setBytes] = useState();
  useEffect(() => {
    fetch('mine.safetensors').then((r) => r.arrayBuffer()).then((b) => setBytes(new Uint8Array(b)));
  }, []);
  return h('main', null,
    h('latentlab-reconstructions', { id: 'preset', model: 'vanilla', count: 4 }),
    bytes && h('latentlab-reconstructions', { id: 'bytes', model: bytes, count: 4 }));
}
createRoot(document.getElementById('root')).render(h(App));
`,
    );
    const outDir = path.join(app, 'dist');
    await build({ root: app, configFile: path.join(app, 'vite.config.js'), logLevel: 'warn' });
    const built = await serveStatic(folderFiles(outDir));
    try {
      const { page, problems } = await newPage(site, { viewport: { width: 800, height: 1200 } });
      await page.goto(`${built.origin}/index.html`);
      await page.locator('#bytes').waitFor();
      await waitForViews(page);
      expect(await blankCanvases(page)).toEqual([]);
      const stats = async (id: string) => page.locator(`#${id} .stats`).innerText();
      expect(statedMse(await stats('preset'))).toBeLessThan(0.03);
      expect(statedMse(await stats('bytes'))).toBeGreaterThan(0.1);
      // Bytes are a property, never an attribute.
      expect(await page.locator('#bytes').getAttribute('model')).toBeNull();
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await built.close();
      rmSync(app, { recursive: true, force: true });
    }
  },
  slow,
);
