// End-to-end test of the demo page: serves the built web/dist with Vite's
// preview server on a free port, drives Debian's Chromium through
// playwright-core (never a downloaded browser), loads MNIST, trains, pauses,
// resets, and checks that nothing was logged as an error.
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const resultsDir = `${repo}test-results`;
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Timeouts are given here, not only in vitest.config.ts, so that the file
// also passes when a plain `npx vitest run` picks it up.
const slow = 180_000;

let server: PreviewServer | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(`${repo}web/dist/index.html`)) {
    throw new Error('web/dist is not built: run `bash scripts/build.sh` first');
  }
  server = await preview({
    configFile: `${repo}web/vite.config.ts`,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const { port } = server.httpServer.address() as AddressInfo;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`http://127.0.0.1:${port}/`);
}, slow);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, slow);

const readText = async (selector: string) => ((await page.textContent(selector)) ?? '').trim();
const readNumber = async (selector: string) => Number(await readText(selector));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pixel statistics of a canvas (inside a view's shadow root). */
function canvasStats(canvas: Locator) {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let opaque = 0;
    let bright = 0;
    const colors = new Set<number>();
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0) opaque++;
      if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] > 3 * 128) bright++;
      colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      hash = (Math.imul(hash, 31) + data[i] + 7 * data[i + 1] + 13 * data[i + 2] + 17 * data[i + 3]) | 0;
    }
    return { pixels: data.length / 4, opaque, bright, colors: colors.size, hash };
  });
}

const reconstructionCanvas = () => page.locator('latentlab-reconstructions canvas');
const latentMapCanvas = () => page.locator('latentlab-latent-map canvas');

test('loads MNIST and builds the model, showing progress', async () => {
  await expect.poll(() => page.locator('#download').count()).toBe(1);
  await page.waitForFunction(
    () =>
      !(document.getElementById('start') as HTMLButtonElement).disabled ||
      !document.getElementById('error')!.hidden,
    null,
    { timeout: 120_000 },
  );
  expect(await page.isHidden('#error'), await readText('#error')).toBe(true);
  expect(await readText('#status')).toMatch(/Ready: 60000 training and 10000 test digits/);
  expect(await readText('#step')).toBe('0');
  // Progress counted the compressed bytes against their Content-Length.
  const download = await readText('#download-text');
  expect(download).toMatch(/^([\d.]+) of \1 MB \(100%\)$/);
  expect(await page.locator('#download').evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(1);
  expect(await page.isHidden('#loading')).toBe(true);
  // The untrained model's snapshot arrives right after 'ready'.
  await page.waitForFunction(() => performance.getEntriesByName('first-reconstructions').length > 0, null, {
    timeout: 30_000,
  });
  const marks = await page.evaluate(() =>
    Object.fromEntries(
      ['mnist-loaded', 'model-ready', 'first-reconstructions'].map((name) => [
        name,
        Math.round(performance.getEntriesByName(name)[0]?.startTime ?? NaN),
      ]),
    ),
  );
  console.log(
    `time from navigation: MNIST loaded ${marks['mnist-loaded']} ms, model ready ${marks['model-ready']} ms, ` +
      `first reconstructions drawn ${marks['first-reconstructions']} ms`,
  );
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}/e2e-timings.json`, `${JSON.stringify(marks, null, 2)}\n`);
  expect(marks['first-reconstructions']).toBeGreaterThan(0);
}, slow);

test('every view is a canvas named for assistive technology', async () => {
  for (const name of ['Loss curve', 'Test digits and their reconstructions', 'Latent map of test digits']) {
    await expect.poll(() => page.getByRole('img', { name, exact: true }).count(), { message: name }).toBe(1);
  }
  expect(await page.locator('latentlab-latent-map li').count()).toBe(10);
}, slow);

let statsBeforeTraining: Awaited<ReturnType<typeof canvasStats>>;

test('Start trains: step rises, loss falls, views are drawn', async () => {
  statsBeforeTraining = await canvasStats(reconstructionCanvas());
  await page.click('#start');
  await page.waitForFunction(() => Number(document.getElementById('loss')!.textContent) > 0, null, {
    timeout: 60_000,
  });
  await sleep(3_000);
  const early = { step: await readNumber('#step'), loss: await readNumber('#loss') };
  await sleep(8_000);
  const late = { step: await readNumber('#step'), loss: await readNumber('#loss') };
  console.log(`training: step ${early.step} loss ${early.loss} -> step ${late.step} loss ${late.loss}`);
  expect(late.step).toBeGreaterThan(early.step);
  expect(late.loss).toBeLessThan(early.loss);
  expect(await readText('#status')).toBe('Training…');

  const reconstructions = await canvasStats(reconstructionCanvas());
  expect(reconstructions.bright).toBeGreaterThan(500); // white digit strokes
  expect(reconstructions.colors).toBeGreaterThan(50); // grey levels, not a flat fill
  expect(reconstructions.hash).not.toBe(statsBeforeTraining.hash); // redrawn as the model learns

  const latentMap = await canvasStats(latentMapCanvas());
  expect(latentMap.opaque).toBeGreaterThan(2_000); // ~2000 dots
  expect(latentMap.colors).toBeGreaterThanOrEqual(10);

  const lossCurve = await canvasStats(page.locator('latentlab-loss-curve canvas'));
  expect(lossCurve.opaque).toBeGreaterThan(500);
}, slow);

test('Pause (from the keyboard) stops the step counter', async () => {
  await page.focus('#pause');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Paused at step \d+/.test(document.getElementById('status')!.textContent ?? ''));
  const pausedAt = await readNumber('#step');
  expect(await readText('#status')).toBe(`Paused at step ${pausedAt}.`);
  await sleep(2_500);
  expect(await readNumber('#step')).toBe(pausedAt);
  // Focus moved to Start, the button that can be used now.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('start');
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: `${resultsDir}/e2e-page.png`, fullPage: true });
}, slow);

test('Reset returns to step 0 with an empty loss curve', async () => {
  await page.click('#reset');
  await page.waitForFunction(() => document.getElementById('status')!.textContent === 'Ready. Press Start.');
  expect(await readText('#step')).toBe('0');
  expect(await readText('#loss')).toBe('–');
  expect(await page.isEnabled('#start')).toBe(true);
  expect(await page.isDisabled('#pause')).toBe(true);
}, slow);

test('fits a 360 px wide screen without horizontal scrolling', async () => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.evaluate(() => new Promise(requestAnimationFrame));
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.document).toBeLessThanOrEqual(widths.window);
  await page.screenshot({ path: `${resultsDir}/e2e-page-360px.png`, fullPage: true });
}, slow);

test('no console errors, page errors or failed requests', () => {
  expect(problems).toEqual([]);
}, slow);

/** Opens the page with `pattern` answered by `body` (status 404 by default); returns the error shown. */
async function errorShownWhen(pattern: string, body: string | Buffer, status = 404): Promise<string> {
  const other = await browser!.newPage();
  try {
    await other.route(pattern, (route) => route.fulfill({ status, body }));
    await other.goto(page.url().replace(/#.*/, ''));
    await other.waitForFunction(() => !document.getElementById('error')!.hidden, null, { timeout: 60_000 });
    expect(await other.textContent('#status')).toBe('Stopped by an error.');
    expect(await other.getAttribute('#error', 'role')).toBe('alert');
    return (await other.textContent('#error')) ?? '';
  } finally {
    await other.close();
  }
}

test('a failed MNIST download is shown in the page', async () => {
  expect(await errorShownWhen('**/t10k-labels-idx1-ubyte.gz', 'missing')).toBe(
    'MNIST failed to load: Could not download t10k-labels-idx1-ubyte.gz: HTTP 404 Not Found',
  );
}, slow);

test('corrupt MNIST data is shown in the page', async () => {
  const notGzip = Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]);
  expect(await errorShownWhen('**/t10k-images-idx3-ubyte.gz', notGzip, 200)).toMatch(
    /^MNIST failed to load: Could not decompress t10k-images-idx3-ubyte.gz: /,
  );
}, slow);

test('an engine that fails to load is shown in the page', async () => {
  expect(await errorShownWhen('**/*.wasm', 'missing')).toMatch(/^The engine failed to load: /);
}, slow);
