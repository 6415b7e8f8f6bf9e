// End-to-end test of the demo page against the production build in Debian's
// Chromium: pretrained views at once, every view drawn, training from
// scratch (the loss falls and the main thread never blocks for 50 ms), the
// drawing pad, settings in the URL, model files good and bad, keyboard use,
// a 360 px screen, Fashion-MNIST picked in the form, and the convolutional
// preset with its kernels and feature maps. Screenshots go to test-results/.
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { datasetLabels } from '../../dist/index.js';
import {
  blankCanvases,
  canvasStats,
  mainThreadTasks,
  newPage,
  openSite,
  repo,
  resultsDir,
  sleep,
  slow,
  unlabelledCanvases,
  waitForViews,
  type Site,
  type WatchedPage,
} from './helpers';

let site: Site;
let main: WatchedPage;
let page: Page;
const timings: Record<string, number> = {};

interface Status {
  source: string;
  running: boolean;
  step: number;
  epochs: number;
  loss?: number;
  description: string;
  note?: string;
}

const status = () =>
  page.evaluate(() => (document.querySelector('latentlab-trainer') as unknown as { status: Status }).status);
/** Waits until `target`'s model comes from `source` ('pretrained', 'untrained', ...). */
const modelFrom = (target: Page, source: string) =>
  target.waitForFunction(
    (expected) =>
      (document.querySelector('latentlab-trainer') as unknown as { status?: Status }).status?.source ===
      expected,
    source,
    { timeout: 60_000 },
  );
// The text as a reader sees it (innerText: whitespace collapsed as rendered).
const text = async (selector: string) => (await page.locator(selector).first().innerText()).trim();
const reconstructionMse = async () => Number(await text('latentlab-reconstructions .mse'));

beforeAll(async () => {
  site = await openSite();
  main = await newPage(site);
  page = main.page;
  await page.goto(`${site.origin}/`);
}, slow);

afterAll(async () => {
  writeFileSync(`${resultsDir}/e2e-timings.json`, `${JSON.stringify(timings, null, 2)}\n`);
  await site?.close();
}, slow);

test(
  'opens with the pretrained model: every view shows a result before any training',
  async () => {
    await page.waitForFunction(() => performance.getEntriesByName('first-view').length > 0, null, {
      timeout: 60_000,
    });
    timings.firstViewMs = Math.round(
      await page.evaluate(() => performance.getEntriesByName('first-view')[0].startTime),
    );
    await waitForViews(page);
    timings.allViewsMs = Math.round(await page.evaluate(() => performance.now()));
    console.log(
      `time from navigation: first reconstructions ${timings.firstViewMs} ms, every view ${timings.allViewsMs} ms`,
    );
    const s = await status();
    expect(s.source).toBe('pretrained');
    expect(s.description).toMatch(/^784-128-32 autoencoder/);
    expect(await reconstructionMse()).toBeLessThan(0.03);
    expect(await blankCanvases(page)).toEqual([]);
    expect(await page.locator('latentlab-latent-map li').count()).toBe(10);
    expect(Number(await text('latentlab-anomaly .auc'))).toBeGreaterThan(0.9);
    await page.screenshot({ path: `${resultsDir}/e2e-page-pretrained.png`, fullPage: true });
  },
  slow,
);

test(
  'every canvas is named for assistive technology',
  async () => {
    expect(await unlabelledCanvases(page)).toEqual([]);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(15);
  },
  slow,
);

test(
  'the latent map shows the digit under the pointer, or under a keyboard cursor',
  async () => {
    const map = page.locator('latentlab-latent-map canvas.map');
    await map.focus();
    for (let i = 0; i < 12 && !/Nearest digit/.test(await text('latentlab-latent-map .stats')); i++)
      await page.keyboard.press('ArrowLeft');
    expect(await text('latentlab-latent-map .stats')).toMatch(/Nearest digit: an? \d\./);
    const box = (await map.boundingBox())!;
    let shown = false;
    for (let x = 0.2; x < 0.8 && !shown; x += 0.05) {
      await page.mouse.move(box.x + x * box.width, box.y + 0.5 * box.height);
      shown = (await page.locator('latentlab-latent-map .tip').count()) > 0;
    }
    expect(shown).toBe(true);
    expect((await canvasStats(page.locator('latentlab-latent-map canvas.digit'))).colors).toBeGreaterThan(2);
  },
  slow,
);

/** Draws strokes (in fractions of the pad) with the mouse. */
async function drawOnPad(strokes: [number, number][][]): Promise<void> {
  const pad = page.locator('latentlab-drawing-pad canvas.pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  for (const stroke of strokes) {
    await page.mouse.move(box.x + stroke[0][0] * box.width, box.y + stroke[0][1] * box.height);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1))
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 8 });
    await page.mouse.up();
  }
}

test(
  'the drawing pad: what is drawn is reconstructed, placed on the map and scored, as it is drawn',
  async () => {
    const score = 'latentlab-drawing-pad .score';
    const reconstruction = page.locator('latentlab-drawing-pad canvas.reconstruction');
    const miniMap = page.locator('latentlab-drawing-pad canvas.mini-map');
    await drawOnPad([
      [
        [0.5, 0.15],
        [0.5, 0.85],
      ],
    ]); // a 1
    await page.waitForFunction(
      (selector) =>
        /Anomaly score \d/.test(
          document.querySelector('latentlab-drawing-pad')!.shadowRoot!.querySelector(selector.split(' ')[1])!
            .textContent!,
        ),
      score,
    );
    const one = {
      reconstruction: await canvasStats(reconstruction),
      map: await canvasStats(miniMap),
      score: await text(score),
    };
    expect(one.reconstruction.colors).toBeGreaterThan(10);
    await page.locator('latentlab-drawing-pad button', { hasText: 'Clear' }).click();
    await drawOnPad([
      [
        [0.3, 0.25],
        [0.7, 0.25],
        [0.45, 0.85],
      ],
    ]); // a 7
    await expect
      .poll(async () => (await canvasStats(reconstruction)).hash, { timeout: 20_000 })
      .not.toBe(one.reconstruction.hash);
    await expect
      .poll(async () => (await canvasStats(miniMap)).hash, { timeout: 20_000 })
      .not.toBe(one.map.hash);
    expect(await text(score)).toMatch(/^Anomaly score [\d.e+-]+: higher than\s+\d+% of test digits/);
    // Keyboard users get an example drawn.
    await page.locator('latentlab-drawing-pad button', { hasText: 'Draw an example' }).press('Enter');
    await expect
      .poll(async () => (await canvasStats(reconstruction)).hash, { timeout: 20_000 })
      .not.toBe(one.reconstruction.hash);
  },
  slow,
);

test(
  'train from scratch: the loss falls, digits become recognisable, and no main-thread task reaches 50 ms in 3 epochs',
  async () => {
    await page.waitForFunction(
      () => /60,000 training digits/.test(document.getElementById('download-text')!.textContent!),
      null,
      { timeout: 120_000 },
    );
    await page.evaluate(() => {
      // A heartbeat: the longest gap between ticks bounds the longest task, also below 50 ms.
      const w = window as unknown as { __gaps: number[]; __beat: number };
      w.__gaps = [];
      let last = performance.now();
      w.__beat = setInterval(() => {
        const now = performance.now();
        w.__gaps.push(now - last);
        last = now;
      }, 10) as unknown as number;
    });
    // A trace too: it tells a task that keeps the thread busy from one that waits for a core.
    await site.browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
    const start = await page.evaluate(() => performance.now());
    await page.locator('latentlab-trainer button.scratch').click();
    await page.waitForFunction(
      () => {
        const s = (document.querySelector('latentlab-trainer') as unknown as { status?: Status }).status;
        return s?.running && s.source === 'trained' && s.loss !== undefined;
      },
      null,
      { timeout: 60_000 },
    );
    const early = await status();
    // The reconstructions first show the fresh model's noise, then digits.
    let sawUntrained = false;
    let recognisableAt: number | undefined;
    for (;;) {
      const s = await status();
      const mse = await reconstructionMse();
      if (mse > 0.05) sawUntrained = true;
      if (recognisableAt === undefined && sawUntrained && mse < 0.03) {
        recognisableAt = (await page.evaluate(() => performance.now())) - start;
      }
      if (s.epochs >= 3) break;
      expect(s.running, s.note).toBe(true);
      await sleep(250);
    }
    const late = await status();
    const end = await page.evaluate(() => performance.now());
    const traced = mainThreadTasks(await site.browser.stopTracing());
    const longTasks = await page.evaluate(
      ([from, to]) =>
        (window as unknown as { __longTasks: number[][] }).__longTasks.filter(([t]) => t >= from && t <= to),
      [start, end],
    );
    const gaps = await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __beat: number };
      clearInterval(w.__beat);
      return w.__gaps;
    });
    timings.trainingSeconds = Math.round(end - start) / 1000;
    timings.recognisableMs = Math.round(recognisableAt ?? NaN);
    timings.longestTaskMs = Math.max(0, ...longTasks.map(([, d]) => d));
    timings.longTasks = longTasks.length;
    timings.longestHeartbeatGapMs = Math.round(Math.max(...gaps));
    timings.tracedTasks = traced.length;
    timings.longestTracedTaskMs = Math.round(Math.max(0, ...traced.map((t) => t.wall)));
    timings.longestTracedTaskCpuMs = Math.round(Math.max(0, ...traced.map((t) => t.cpu)));
    const waited = traced.filter((t) => t.wall >= 50);
    timings.speedDigitsPerSecond = Math.round((late.epochs * 60000) / timings.trainingSeconds);
    console.log(
      `training: loss ${early.loss} at epoch ${early.epochs.toFixed(2)} -> ${late.loss} at epoch ${late.epochs.toFixed(2)} ` +
        `in ${timings.trainingSeconds} s; reconstructions recognisable (MSE < 0.03) after ${timings.recognisableMs} ms; ` +
        `long tasks ${JSON.stringify(longTasks)}, longest heartbeat gap ${timings.longestHeartbeatGapMs} ms; ` +
        `trace: ${traced.length} tasks, longest ${timings.longestTracedTaskMs} ms, most CPU in one task ${timings.longestTracedTaskCpuMs} ms, ` +
        `tasks of 50 ms or more ${JSON.stringify(waited)}`,
    );
    expect(late.loss!).toBeLessThan(0.6 * early.loss!);
    expect(await reconstructionMse()).toBeLessThan(0.025);
    expect(recognisableAt).toBeDefined();
    // No task of the page keeps the main thread busy for 50 ms. The observer's
    // wall-clock durations must stay under 50 ms too, unless the trace shows that
    // each such task used under 50 ms of CPU: the thread was waiting for a core
    // of a machine busy with other work, not blocked by the page.
    expect(traced.length).toBeGreaterThan(100);
    expect(timings.longestTracedTaskCpuMs).toBeLessThan(50);
    if (longTasks.length > 0) {
      console.warn(
        `long tasks by wall clock on a busy machine: ${JSON.stringify(longTasks)}; CPU time of each under 50 ms`,
      );
      expect(waited.every((t) => t.cpu < 50)).toBe(true);
    }
    const lossCurve = await canvasStats(page.locator('latentlab-loss-curve canvas'));
    expect(lossCurve.inked).toBeGreaterThan(0.01);
    // Pause from the keyboard: the step counter stops.
    await page.locator('latentlab-trainer button.pause').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => !(document.querySelector('latentlab-trainer') as unknown as { status: Status }).status.running,
    );
    const paused = (await status()).step;
    await sleep(1500);
    expect((await status()).step).toBe(paused);
    expect(await text('latentlab-trainer button.pause')).toBe('Resume training');
    await page.screenshot({ path: `${resultsDir}/e2e-page-trained.png`, fullPage: true });
    // One picture per view shown, named after it (a dense model's page hides the feature maps).
    const figures = page.locator('figure:visible');
    for (let i = 0; i < (await figures.count()); i++) {
      const name = await figures
        .nth(i)
        .locator('[data-view]')
        .evaluate((view) => view.localName.replace('latentlab-', ''));
      await figures.nth(i).screenshot({ path: `${resultsDir}/e2e-view-${name}.png` });
    }
    // For the README (docs/screenshot.png): training, the loss curve and the first views.
    await page.mouse.move(0, 0);
    const clip = await page.evaluate(() => {
      const top = document.querySelector('.setup')!.getBoundingClientRect().top + window.scrollY;
      const bottom =
        document.querySelector('latentlab-latent-map')!.getBoundingClientRect().bottom + window.scrollY;
      return { x: 0, y: Math.round(top), width: 1280, height: Math.round(bottom - top + 16) };
    });
    await page.screenshot({ path: `${resultsDir}/e2e-screenshot.png`, fullPage: true, clip });
  },
  slow,
);

test(
  'the model downloads as a file; a corrupted file is refused with a message and the model stays',
  async () => {
    if ((await status()).running) {
      await page.locator('latentlab-trainer button.pause').click();
      await page.waitForFunction(
        () => !(document.querySelector('latentlab-trainer') as unknown as { status: Status }).status.running,
      );
    }
    await waitForViews(page);
    const before = await status();
    const downloading = page.waitForEvent('download');
    await page.locator('#download-model').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('latentlab-vanilla-784-128-32.safetensors');
    const bytes = readFileSync((await download.path())!);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    expect(header.__metadata__).toBeDefined();
    expect(await text('#file-status')).toBe('Saved latentlab-vanilla-784-128-32.safetensors.');

    const reconstructions = await canvasStats(page.locator('latentlab-reconstructions canvas'));
    const corrupted = Buffer.from(bytes);
    corrupted.writeBigUInt64LE(BigInt(bytes.length * 4), 0);
    await page.locator('#load-model').setInputFiles({
      name: 'corrupted.safetensors',
      mimeType: 'application/octet-stream',
      buffer: corrupted,
    });
    await page.waitForFunction(() =>
      /was not loaded/.test(document.getElementById('file-status')!.textContent!),
    );
    expect(await text('#file-status')).toMatch(
      /^corrupted\.safetensors was not loaded: model file: .+\. The current model is unchanged\.$/,
    );
    expect(await page.getAttribute('#file-status', 'class')).toBe('problem');
    await sleep(500);
    expect(await status()).toEqual(before);
    expect((await canvasStats(page.locator('latentlab-reconstructions canvas'))).hash).toBe(
      reconstructions.hash,
    );

    await page
      .locator('#load-model')
      .setInputFiles({ name: 'mine.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
    await page.waitForFunction(() =>
      /^Loaded mine\.safetensors/.test(document.getElementById('file-status')!.textContent!),
    );
    await page.waitForFunction(
      () =>
        (document.querySelector('latentlab-trainer') as unknown as { status: Status }).status.source ===
        'file',
    );
    expect(main.problems).toEqual([]);
  },
  slow,
);

test(
  'fits a 360 px wide screen without horizontal scrolling',
  async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.evaluate(() => new Promise(requestAnimationFrame));
    const widths = await page.evaluate(() => ({
      document: document.documentElement.scrollWidth,
      window: window.innerWidth,
    }));
    expect(widths.document).toBeLessThanOrEqual(widths.window);
    await page.screenshot({ path: `${resultsDir}/e2e-page-360px.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 1000 });
  },
  slow,
);

test(
  'a URL with settings restores them; invalid combinations are explained in the page',
  async () => {
    const { page: other, problems } = await newPage(site);
    const hash =
      'dataset=mnist&family=sparse-kl&hidden=64&latent=8&act=sigmoid&loss=mse&weight=0.02&rho=0.1&holdout=none&lr=0.003&batch=64&seed=5';
    await other.goto(`${site.origin}/#${hash}`);
    await modelFrom(other, 'untrained');
    const field = (name: string) => other.locator(`latentlab-settings [name="${name}"]`);
    expect(await field('family').inputValue()).toBe('sparse-kl');
    expect(await field('hidden').inputValue()).toBe('64');
    expect(await field('latent').inputValue()).toBe('8');
    expect(await field('act').inputValue()).toBe('sigmoid');
    expect(await field('weight').inputValue()).toBe('0.02');
    expect(await field('rho').inputValue()).toBe('0.1');
    expect(await field('lr').inputValue()).toBe('0.003');
    expect(await field('batch').inputValue()).toBe('64');
    expect(await field('seed').inputValue()).toBe('5');
    expect(await field('beta').count()).toBe(0); // not a setting of this family
    expect(await other.evaluate(() => location.hash)).toBe(`#${hash}`);
    expect(await other.textContent('#experiment')).toBe(
      '784-64-8 sparse autoencoder (KL, ρ 0.1, weight 0.02) on MNIST, sigmoid, MSE; Adam lr 0.003, batch 64, seed 5',
    );
    const trainerStatus = await other.evaluate(
      () => (document.querySelector('latentlab-trainer') as unknown as { status: Status }).status,
    );
    expect(trainerStatus.note).toMatch(/No pretrained model for these settings/);

    // KL sparsity with ReLU units cannot work: the page says why and keeps the model and the URL.
    await field('act').selectOption('relu');
    await other.waitForFunction(() =>
      /needs activation 'sigmoid', not 'relu'/.test(
        document.querySelector('latentlab-settings')!.shadowRoot!.textContent!,
      ),
    );
    expect(await field('act').getAttribute('aria-invalid')).toBe('true');
    expect(await other.evaluate(() => location.hash)).toBe(`#${hash}`);
    // An unreadable value is named too.
    await field('hidden').fill('64,abc');
    await field('hidden').press('Enter');
    await field('hidden').blur();
    await other.waitForFunction(() =>
      /Not applied: hidden=64,abc ignored/.test(
        document.querySelector('latentlab-settings')!.shadowRoot!.textContent!,
      ),
    );

    // A valid change applies at once and goes into the URL; a family change loads its pretrained model.
    await field('family').selectOption('vae');
    await other.waitForFunction(() =>
      location.hash.startsWith('#dataset=mnist&family=vae&hidden=128&latent=2'),
    );
    await modelFrom(other, 'pretrained');
    expect(problems).toEqual([]);
    await other.close();
  },
  slow,
);

test(
  'Fashion-MNIST: picked in the form, a fresh model trains on it, the views name its classes, the URL names it',
  async () => {
    const { page: other, problems } = await newPage(site);
    const requests: string[] = [];
    other.on('request', (request) => requests.push(new URL(request.url()).pathname));
    const trainer = () =>
      other.evaluate(
        () => (document.querySelector('latentlab-trainer') as unknown as { status?: Status }).status,
      );
    const field = (name: string) => other.locator(`latentlab-settings [name="${name}"]`);
    await other.goto(`${site.origin}/`);
    await modelFrom(other, 'pretrained');
    requests.length = 0;

    await field('dataset').selectOption('fashion');
    await other.waitForFunction(() =>
      location.hash.startsWith('#dataset=fashion&family=vanilla&hidden=128&latent=32&'),
    );
    await modelFrom(other, 'untrained');
    const fresh = (await trainer())!;
    expect(fresh.note).toMatch(/No pretrained model for these settings/);
    expect(fresh.description).toMatch(/^784-128-32 autoencoder on Fashion-MNIST, relu, MSE;/);
    expect(await other.textContent('#experiment')).toBe(fresh.description);
    // The legend names Fashion-MNIST's classes, and so does the form's held-out class.
    await waitForViews(other);
    expect(await other.locator('latentlab-latent-map li').allInnerTexts()).toEqual(datasetLabels('fashion'));
    expect(await other.locator('latentlab-settings label', { hasText: 'Hold out class' }).count()).toBe(1);
    expect(await field('holdout').locator('option').allInnerTexts()).toEqual([
      'none',
      ...datasetLabels('fashion'),
    ]);

    // Train a little: the loss falls.
    await other.waitForFunction(
      () => /60,000 training images/.test(document.getElementById('download-text')!.textContent!),
      null,
      { timeout: 120_000 },
    );
    await other.locator('latentlab-trainer button.scratch').click();
    await other.waitForFunction(
      () => {
        const s = (document.querySelector('latentlab-trainer') as unknown as { status?: Status }).status;
        return s?.running && s.loss !== undefined;
      },
      null,
      { timeout: 60_000 },
    );
    const early = (await trainer())!;
    await other.waitForFunction(
      (step) =>
        (document.querySelector('latentlab-trainer') as unknown as { status: Status }).status.step >
        step + 300,
      early.step,
      { timeout: 120_000 },
    );
    await other.locator('latentlab-trainer button.pause').click();
    await other.waitForFunction(
      () => !(document.querySelector('latentlab-trainer') as unknown as { status: Status }).status.running,
    );
    const late = (await trainer())!;
    expect(late.source).toBe('trained');
    expect(late.loss!).toBeLessThan(0.7 * early.loss!);
    expect(await other.locator('latentlab-trainer .speed').innerText()).toMatch(/\d+ images\/s/);
    await waitForViews(other);
    expect(await blankCanvases(other)).toEqual([]);
    // The image under a keyboard cursor is named by its class.
    const map = other.locator('latentlab-latent-map canvas.map');
    await map.focus();
    const stats = () => other.locator('latentlab-latent-map .stats').first().innerText();
    for (let i = 0; i < 12 && !/Nearest image/.test(await stats()); i++)
      await other.keyboard.press('ArrowLeft');
    const names = datasetLabels('fashion')
      .map((name) => name.replace('/', '\\/'))
      .join('|');
    expect(await stats()).toMatch(new RegExp(`Nearest image: an? (${names})\\.`));
    await other.screenshot({ path: `${resultsDir}/e2e-page-fashion.png`, fullPage: true });
    // Its own data came from its own folder, and no pretrained (MNIST) model was asked for.
    expect(requests.filter((p) => p.includes('/fashion-mnist/')).sort()).toEqual([
      '/fashion-mnist/t10k-images-idx3-ubyte.gz',
      '/fashion-mnist/t10k-labels-idx1-ubyte.gz',
      '/fashion-mnist/train-images-idx3-ubyte.gz',
      '/fashion-mnist/train-labels-idx1-ubyte.gz',
    ]);
    expect(requests.filter((p) => p.includes('/models/'))).toEqual([]);

    // Another family stays on Fashion-MNIST; its link reopens it there; back on MNIST, the pretrained model returns.
    await field('family').selectOption('vae');
    await other.waitForFunction(() =>
      location.hash.startsWith('#dataset=fashion&family=vae&hidden=128&latent=2&'),
    );
    const link = await other.evaluate(() => location.href);
    const { page: reopened, problems: reopenedProblems } = await newPage(site);
    await reopened.goto(link);
    await reopened.waitForFunction(
      () =>
        (
          document
            .querySelector('latentlab-settings')!
            .shadowRoot!.querySelector('[name="dataset"]') as HTMLSelectElement | null
        )?.value === 'fashion',
    );
    expect(await reopened.textContent('#experiment')).toMatch(
      /^784-128-2 variational autoencoder \(β 1\) on Fashion-MNIST/,
    );
    await reopened.close();
    await field('dataset').selectOption('mnist');
    await other.waitForFunction(() => location.hash.startsWith('#dataset=mnist&family=vae&'));
    await modelFrom(other, 'pretrained');
    await waitForViews(other);
    expect(await other.locator('latentlab-latent-map li').allInnerTexts()).toEqual(datasetLabels('mnist'));
    expect([...problems, ...reopenedProblems]).toEqual([]);
    await other.close();
  },
  slow,
);

test(
  'the conv preset: its kernels and feature maps are drawn, every view shows it, and it trains',
  async () => {
    const { page: other, problems } = await newPage(site, { viewport: { width: 1280, height: 1000 } });
    await other.goto(`${site.origin}/`);
    await modelFrom(other, 'pretrained');
    const field = (name: string) => other.locator(`latentlab-settings [name="${name}"]`);
    const featureMaps = other.locator('latentlab-feature-maps');
    expect(await featureMaps.isVisible()).toBe(false); // a dense model has none

    await field('preset').selectOption('conv');
    await other.waitForFunction(() =>
      location.hash.includes('&family=vanilla&conv=16,32&hidden=&latent=32&'),
    );
    await modelFrom(other, 'pretrained');
    expect(await other.textContent('#experiment')).toMatch(
      /^784-conv16-conv32-32 autoencoder on MNIST, relu, MSE;/,
    );
    expect(await field('architecture').inputValue()).toBe('convolutional');
    expect(await field('conv').inputValue()).toBe('16,32');
    expect(await featureMaps.isVisible()).toBe(true);
    await waitForViews(other);
    expect(await blankCanvases(other)).toEqual([]);
    expect(await other.locator('latentlab-filters .stats').innerText()).toMatch(
      /first convolution: the 16 3 × 3 kernels of its 16 channels/,
    );
    await other.screenshot({ path: `${resultsDir}/e2e-page-conv.png`, fullPage: true });
    const mapCanvases = featureMaps.locator('canvas');
    expect(await mapCanvases.count()).toBe(3); // the image, then both convolutions
    const sizes = [];
    for (let i = 0; i < 3; i++) {
      const stats = await canvasStats(mapCanvases.nth(i));
      expect(stats.colors, `canvas ${i}`).toBeGreaterThan(8);
      sizes.push([stats.width, stats.height]);
    }
    // 16 maps of 14 x 14 in one row of 16; 32 of 7 x 7 in two rows (each map drawn 56 px wide).
    expect(sizes).toEqual([
      [56, 56],
      [16 * 56 + 15 * 2, 56],
      [16 * 56 + 15 * 2, 2 * 56 + 2],
    ]);
    // Another image: other maps.
    const before = await canvasStats(mapCanvases.nth(1));
    await featureMaps.locator('select').selectOption('7');
    await expect
      .poll(async () => (await canvasStats(mapCanvases.nth(1))).hash, { timeout: 20_000 })
      .not.toBe(before.hash);
    expect(await featureMaps.locator('figcaption').first().innerText()).toMatch(/^Input: 7/);

    // A few steps of training from scratch.
    await other.waitForFunction(
      () => /60,000 training digits/.test(document.getElementById('download-text')!.textContent!),
      null,
      { timeout: 120_000 },
    );
    await other.locator('latentlab-trainer button.scratch').click();
    await other.waitForFunction(
      () => {
        const s = (document.querySelector('latentlab-trainer') as unknown as { status?: Status }).status;
        return s?.running && s.source === 'trained' && s.step >= 20 && s.loss !== undefined;
      },
      null,
      { timeout: 120_000 },
    );
    await other.locator('latentlab-trainer button.pause').click();
    const trained = await other.evaluate(
      () => (document.querySelector('latentlab-trainer') as unknown as { status: Status }).status,
    );
    expect(trained.loss).toBeGreaterThan(0);
    expect(trained.loss).toBeLessThan(0.2);

    // One click back to a dense architecture, whose model has no feature maps.
    await field('architecture').selectOption('dense');
    await other.waitForFunction(() =>
      location.hash.startsWith('#dataset=mnist&family=vanilla&hidden=128&latent=32&'),
    );
    await modelFrom(other, 'pretrained');
    expect(await featureMaps.isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await other.close();
  },
  slow,
);

test(
  'an unknown data set in the link is named in the page, and the page stays on MNIST',
  async () => {
    const { page: other, problems } = await newPage(site);
    await other.goto(`${site.origin}/#dataset=cifar10&family=vae`);
    await other.waitForFunction(() => !document.getElementById('url-problems')!.hidden);
    expect(await other.textContent('#url-problems')).toBe(
      'Some settings in the link were not used: dataset=cifar10 ignored: expected one of mnist, fashion, own.',
    );
    await other.waitForFunction(() => location.hash.startsWith('#dataset=mnist&family=vae&'));
    expect(problems).toEqual([]);
    await other.close();
  },
  slow,
);

test(
  'no console errors, page errors, failed requests or CSP violations on the demo page',

  async () => {
    expect(main.problems).toEqual([]);
    expect(
      await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    ).toEqual([]);
    expect(readFileSync(`${repo}web/dist/index.html`, 'utf8')).toContain(
      "script-src 'self' 'wasm-unsafe-eval'",
    );
  },
  slow,
);
