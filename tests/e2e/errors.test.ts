// End-to-end: failures are shown in the page, not only in the console.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { newPage, openSite, slow, type Site } from './helpers';

let site: Site;

beforeAll(async () => {
  site = await openSite();
}, slow);

afterAll(async () => {
  await site?.close();
}, slow);

/** Opens the demo with `pattern` answered by `body`; returns the page's error box and a view's notice. */
async function shownWhen(pattern: string, body: string | Buffer, status = 404) {
  const { page } = await newPage(site);
  try {
    await page.route(pattern, (route) => route.fulfill({ status, body }));
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(() => !document.getElementById('error')!.hidden, null, { timeout: 60_000 });
    await page.waitForFunction(() =>
      document.querySelector('latentlab-reconstructions')!.shadowRoot!.querySelector('.notice'),
    );
    return {
      // As a reader sees them (innerText: whitespace collapsed as rendered).
      error: (await page.innerText('#error')).trim(),
      role: await page.getAttribute('#error', 'role'),
      view: (await page.locator('latentlab-reconstructions .notice').innerText()).trim(),
    };
  } finally {
    await page.close();
  }
}

test(
  'a failed MNIST download is shown in the page and in the views',
  async () => {
    const shown = await shownWhen('**/t10k-labels-idx1-ubyte.gz', 'missing');
    expect(shown.error).toMatch(
      /^The MNIST test digits failed to load: t10k-labels-idx1-ubyte\.gz: HTTP 404 Not Found \(http:\/\/.+\/mnist\/t10k-labels-idx1-ubyte\.gz\)$/,
    );
    expect(shown.role).toBe('alert');
    expect(shown.view).toBe(shown.error);
  },
  slow,
);

test(
  'corrupt MNIST data is shown in the page',
  async () => {
    const notGzip = Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await shownWhen('**/t10k-images-idx3-ubyte.gz', notGzip, 200)).error).toMatch(
      /^The MNIST test digits failed to load: t10k-images-idx3-ubyte\.gz: could not decompress: /,
    );
  },
  slow,
);

test(
  'an engine that fails to load is shown in the page',
  async () => {
    expect((await shownWhen('**/*.wasm', 'missing')).error).toMatch(/^The engine failed to load: /);
  },
  slow,
);

test(
  'a missing pretrained model is explained, and the page still works untrained',
  async () => {
    const { page, problems } = await newPage(site);
    await page.route('**/models/*.safetensors', (route) => route.fulfill({ status: 404, body: 'missing' }));
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(
      () =>
        (document.querySelector('latentlab-trainer') as unknown as { status?: { source: string } }).status
          ?.source === 'untrained',
      null,
      { timeout: 60_000 },
    );
    expect(await page.locator('latentlab-trainer .note').textContent()).toMatch(
      /No pretrained file models\/vanilla\.safetensors/,
    );
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await page.close();
  },
  slow,
);

test(
  'a failed download of the training digits is shown once',
  async () => {
    const { page } = await newPage(site);
    try {
      await page.route('**/train-images-idx3-ubyte.gz', (route) =>
        route.fulfill({ status: 404, body: 'missing' }),
      );
      await page.goto(`${site.origin}/`);
      await page.waitForFunction(() => !document.getElementById('error')!.hidden, null, { timeout: 60_000 });
      const error = (await page.textContent('#error')) ?? '';
      expect(error).toMatch(
        /^The MNIST training digits failed to load: train-images-idx3-ubyte\.gz: HTTP 404 Not Found \([^)]*\)$/,
      );
      // The views that wait for those digits (the comparison with PCA) have heard by now: still one message.
      await page.waitForTimeout(3000);
      expect(await page.textContent('#error')).toBe(error);
    } finally {
      await page.close();
    }
  },
  slow,
);
