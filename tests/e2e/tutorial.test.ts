// End-to-end tests of the views outside the demo page: the tutorial, a
// plain page that embeds views with one script line (several views, one
// worker, one engine, one download per model), a reader who prefers
// reduced motion, and a page's theme (CSS custom properties). Both pages run under script-src 'self' 'wasm-unsafe-eval'.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  blankCanvases,
  labWorkers,
  newPage,
  openSite,
  repo,
  resultsDir,
  slow,
  unlabelledCanvases,
  waitForViews,
  type Site,
} from './helpers';

let site: Site;

beforeAll(async () => {
  site = await openSite();
}, slow);

afterAll(async () => {
  await site?.close();
}, slow);

const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self'";

/** A page of the site that only includes the embedding script and the given elements. */
async function embeddingPage(page: Page, body: string): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const url = `${site.origin}/article-${Math.random().toString(36).slice(2)}.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script type="module" src="latentlab-embed.js"></script></head>
<body><h1>An article</h1>${body}</body></html>`,
    }),
  );
  await page.goto(url);
  return requests;
}

test(
  'the tutorial: every embedded view renders, all on one worker',
  async () => {
    const { page, problems } = await newPage(site, { viewport: { width: 900, height: 1000 } });
    await page.goto(`${site.origin}/tutorial.html`);
    // Views are lazy: they load as the reader scrolls to them (waitForViews scrolls).
    await waitForViews(page, 180_000);
    expect(await blankCanvases(page)).toEqual([]);
    expect(await unlabelledCanvases(page)).toEqual([]);
    expect(labWorkers(page)).toHaveLength(1);
    expect(
      await page.locator('latentlab-reconstructions, latentlab-latent-map, latentlab-anomaly').count(),
    ).toBeGreaterThanOrEqual(5);
    expect(Number(await page.locator('latentlab-anomaly .auc').textContent())).toBeGreaterThan(0.85);
    await page.screenshot({ path: `${resultsDir}/e2e-tutorial.png`, fullPage: true });
    expect(problems).toEqual([]);
    expect(
      await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    ).toEqual([]);
    expect(readFileSync(`${repo}web/dist/tutorial.html`, 'utf8')).toContain(
      "script-src 'self' 'wasm-unsafe-eval'",
    );
    await page.close();
  },
  slow,
);

test(
  'one script line embeds views in any page; views of one model share it, and the page one worker',
  async () => {
    const { page, problems } = await newPage(site, { viewport: { width: 800, height: 900 } });
    const requests = await embeddingPage(
      page,
      `<latentlab-latent-map model="vae-2d"></latentlab-latent-map>
     <latentlab-reconstructions model="family=vae&amp;latent=2" count="5"></latentlab-reconstructions>
     <latentlab-samples model="vae-2d" count="8"></latentlab-samples>
     <latentlab-filters model="sparse-kl" count="16"></latentlab-filters>`,
    );
    await waitForViews(page);
    expect(await blankCanvases(page)).toEqual([]);
    // Five digits: a pair of rows five digits wide (56-pixel cells, 2-pixel gaps), no empty cells.
    const reconstructionsWidth = await page.evaluate(
      () => document.querySelector('latentlab-reconstructions')!.shadowRoot!.querySelector('canvas')!.width,
    );
    expect(reconstructionsWidth).toBe(5 * 56 + 4 * 2);
    expect(labWorkers(page)).toHaveLength(1);
    expect(requests.filter((path) => path.endsWith('/models/vae-2d.safetensors'))).toHaveLength(1);
    expect(requests.filter((path) => path.includes('/models/'))).toHaveLength(2);
    expect(requests.some((path) => path.includes('train-images'))).toBe(false); // training data only when needed
    expect(await page.locator('latentlab-samples .stats').textContent()).toMatch(/prior N\(0, I\)/);

    // Attributes can change at any time.
    await page.evaluate(() => document.querySelector('latentlab-filters')!.setAttribute('model', 'vanilla'));
    await page.waitForFunction(() =>
      /of its 128 units/.test(document.querySelector('latentlab-filters')!.shadowRoot!.textContent!),
    );
    // A model name that does not exist is explained in the view.
    await page.evaluate(() => {
      const view = document.createElement('latentlab-reconstructions');
      view.setAttribute('model', 'family=sparse-kl&act=relu');
      document.body.append(view);
    });
    await page.waitForFunction(() =>
      /needs activation 'sigmoid', not 'relu'/.test(
        document.querySelectorAll('latentlab-reconstructions')[1].shadowRoot!.textContent!,
      ),
    );
    expect(problems).toEqual([]);
    expect(
      await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    ).toEqual([]);
    await page.close();
  },
  slow,
);

test(
  'convolutional presets embed: kernels and feature maps of a Fashion-MNIST conv VAE, a conv model with a dense one',
  async () => {
    const { page, problems } = await newPage(site, { viewport: { width: 900, height: 900 } });
    const requests = await embeddingPage(
      page,
      `<latentlab-feature-maps model="fashion-conv-vae" image="9"></latentlab-feature-maps>
     <latentlab-filters model="fashion-conv-vae"></latentlab-filters>
     <latentlab-samples model="fashion-conv-vae" count="8"></latentlab-samples>
     <latentlab-reconstructions model="conv" count="5"></latentlab-reconstructions>`,
    );
    await waitForViews(page);
    expect(await blankCanvases(page)).toEqual([]);
    expect(requests.filter((path) => path.includes('/models/')).sort()).toEqual([
      '/models/conv.safetensors',
      '/models/fashion-conv-vae.safetensors',
    ]);
    expect(requests.some((path) => path.includes('/fashion-mnist/t10k-images'))).toBe(true);
    const maps = page.locator('latentlab-feature-maps');
    expect(await maps.locator('figcaption').first().innerText()).toBe('Input: Ankle boot, 28 × 28');
    expect(await maps.locator('canvas').count()).toBe(3);
    expect(await page.locator('latentlab-filters .stats').innerText()).toMatch(
      /3 × 3 kernels of its 16 channels/,
    );
    // A dense model's feature maps: a sentence instead.
    await page.evaluate(() =>
      document.querySelector('latentlab-feature-maps')!.setAttribute('model', 'vanilla'),
    );
    await page.waitForFunction(() =>
      /this model has none/.test(document.querySelector('latentlab-feature-maps')!.shadowRoot!.textContent!),
    );
    expect(problems).toEqual([]);
    await page.close();
  },
  slow,
);

test(
  'a reader who prefers reduced motion is not shown the morph loop',
  async () => {
    const body = '<latentlab-interpolation model="vae-2d" from="0" to="7"></latentlab-interpolation>';
    const animating = async (reducedMotion: 'reduce' | 'no-preference') => {
      const { page } = await newPage(site, { reducedMotion });
      await embeddingPage(page, body);
      await waitForViews(page);
      await page.waitForTimeout(500);
      const result = {
        animating: await page.evaluate(
          () =>
            (document.querySelector('latentlab-interpolation') as unknown as { animating: boolean })
              .animating,
        ),
        stopButton: await page.locator('latentlab-interpolation button').count(),
      };
      await page.close();
      return result;
    };
    expect(await animating('no-preference')).toEqual({ animating: true, stopButton: 1 });
    expect(await animating('reduce')).toEqual({ animating: false, stopButton: 0 });
  },
  slow,
);

test(
  "the page's CSS custom properties recolour the views; unset, each keeps its default; charts keep their white",
  async () => {
    const views =
      '<latentlab-reconstructions model="vanilla" count="3"></latentlab-reconstructions>' +
      '<latentlab-trainer model="vanilla"></latentlab-trainer>' +
      '<latentlab-loss-curve model="vanilla"></latentlab-loss-curve>';
    const theme =
      '<style>:root { --latentlab-muted: rgb(1, 2, 3); --latentlab-surface: rgb(4, 5, 6); --latentlab-control: rgb(7, 8, 9); }</style>';
    const colours = async (body: string) => {
      const { page, problems } = await newPage(site);
      await embeddingPage(page, body);
      await waitForViews(page);
      const styleOf = (view: string, selector: string) =>
        page.evaluate(
          ([view, selector]) => {
            const style = getComputedStyle(
              document.querySelector(view)!.shadowRoot!.querySelector(selector)!,
            );
            return { color: style.color, background: style.backgroundColor, border: style.borderTopColor };
          },
          [view, selector],
        );
      const result = {
        stats: (await styleOf('latentlab-reconstructions', '.stats')).color,
        button: await styleOf('latentlab-trainer', 'button'),
        chart: (await styleOf('latentlab-loss-curve', 'canvas.chart')).background,
      };
      expect(problems).toEqual([]);
      await page.close();
      return result;
    };
    expect(await colours(theme + views)).toEqual({
      stats: 'rgb(1, 2, 3)',
      button: { color: 'rgb(7, 8, 9)', background: 'rgb(4, 5, 6)', border: 'rgb(7, 8, 9)' },
      chart: 'rgb(255, 255, 255)',
    });
    expect(await colours(views)).toEqual({
      stats: 'rgb(68, 68, 68)', // #444
      button: { color: 'rgb(17, 34, 51)', background: 'rgb(255, 255, 255)', border: 'rgb(51, 68, 85)' }, // #123, #fff, #345
      chart: 'rgb(255, 255, 255)',
    });
  },
  slow,
);
