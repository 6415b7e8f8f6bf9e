// End-to-end test of "Your own IDX files" in Debian's Chromium: while an
// MNIST model trains, bad files are each refused with a message naming the
// problem and the model trains on; 1,200 real MNIST test digits (gzipped,
// labels plain) become the data set, a fresh model trains on them and every
// view draws; without labels the latent map has one colour; a reload opens
// MNIST and says the files must be chosen again.
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/own-data.test.ts
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  blankCanvases,
  newPage,
  openSite,
  repo,
  resultsDir,
  slow,
  status,
  waitForStatus,
  waitForViews,
  type Site,
} from './helpers';
import { idxFile } from '../js/idx-file';

/** An IDX file of unsigned bytes with the given dimensions, as a Buffer for setInputFiles. */
const idx = (shape: number[], data: Uint8Array) => Buffer.from(idxFile(shape, data));

// The first 1,200 of MNIST's test digits, as shipped with the page.
const count = 1200;
const mnistImages = gunzipSync(readFileSync(`${repo}web/public/mnist/t10k-images-idx3-ubyte.gz`));
const mnistLabels = gunzipSync(readFileSync(`${repo}web/public/mnist/t10k-labels-idx1-ubyte.gz`));
const pixels = mnistImages.subarray(16, 16 + count * 784);
const labels = mnistLabels.subarray(8, 8 + count);
const goodImages = {
  name: 'digits-idx3-ubyte.gz',
  mimeType: 'application/gzip',
  buffer: gzipSync(idx([count, 28, 28], pixels)),
};
const goodLabels = {
  name: 'digits-idx1-ubyte',
  mimeType: 'application/octet-stream',
  buffer: idx([count], labels),
};
const file = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });

let site: Site;
beforeAll(async () => {
  site = await openSite();
}, slow);
afterAll(async () => {
  await site?.close();
}, slow);

test(
  'bad files are refused, each naming its problem, while MNIST trains on; good ones train and draw',
  async () => {
    const { page, problems } = await newPage(site);
    await page.goto(`${site.origin}/#family=vanilla&latent=2`);
    const field = (name: string) => page.locator(`latentlab-settings [name="${name}"]`);
    const ownStatus = page.locator('latentlab-own-data p[aria-live]');
    const choose = async (images: ReturnType<typeof file>, labelFile?: ReturnType<typeof file>) => {
      await page.locator('latentlab-own-data input[name="own-images"]').setInputFiles(images);
      await page.locator('latentlab-own-data input[name="own-labels"]').setInputFiles(labelFile ?? []);
      await page.locator('latentlab-own-data button').click();
      await page.waitForFunction(
        () => {
          const p = document
            .querySelector('latentlab-settings')!
            .shadowRoot!.querySelector('latentlab-own-data')!
            .shadowRoot!.querySelector('p[aria-live]')!;
          return p.textContent!.trim() !== '' && !/Reading the files/.test(p.textContent!);
        },
        null,
        { timeout: 30_000 },
      );
      return (await ownStatus.innerText()).trim();
    };

    // An MNIST model trains.
    await page.waitForFunction(
      () => /60,000 training digits/.test(document.getElementById('download-text')!.textContent!),
      null,
      { timeout: 120_000 },
    );
    await page.locator('latentlab-trainer button.scratch').click();
    await waitForStatus(page, (s) => s.running && s.step > 0);
    const mnistHash = await page.evaluate(() => location.hash);

    // The form offers the reader's own files; until some are accepted, MNIST stays in use.
    await field('dataset').selectOption('own');
    await ownStatus.waitFor({ state: 'attached' });
    const bad: [ReturnType<typeof file>, ReturnType<typeof file> | undefined, string][] = [
      [
        file('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
        undefined,
        'photo.png: not an IDX images file: IDX: bad magic number: the first two bytes must be zero',
      ],
      [
        file('cut-idx3-ubyte', idx([count, 28, 28], pixels).subarray(0, 5000)),
        undefined,
        'cut-idx3-ubyte: not an IDX images file: IDX: truncated data: the dimensions declare 940800 elements, the file holds 4984',
      ],
      [
        file('big-idx3-ubyte', idx([count, 32, 32], new Uint8Array(count * 32 * 32))),
        undefined,
        'big-idx3-ubyte: expected images of 28 x 28 pixels, got 32 x 32',
      ],
      [
        goodImages,
        file('few-idx1-ubyte', idx([count - 100], labels.subarray(0, count - 100))),
        'few-idx1-ubyte: 1200 images but 1100 labels',
      ],
      [
        file('plain-idx3-ubyte.gz', idx([count, 28, 28], pixels)),
        undefined,
        'plain-idx3-ubyte.gz: named .gz but not gzip (it does not start with the bytes 1f 8b)',
      ],
      [
        goodImages,
        file(
          'twelve-idx1-ubyte',
          idx(
            [count],
            Uint8Array.from(labels, (l, i) => (i === 3 ? 12 : l)),
          ),
        ),
        'twelve-idx1-ubyte: label 12 at index 3 is not a class (0-9)',
      ],
      [file('half.gz', goodImages.buffer.subarray(0, 20000)), undefined, 'half.gz: could not decompress: '],
      [
        file('tiny-idx3-ubyte', idx([300, 28, 28], pixels.subarray(0, 300 * 784))),
        undefined,
        'tiny-idx3-ubyte: 300 images, but the page needs at least 600',
      ],
    ];
    for (const [images, labelFile, message] of bad) {
      const shown = await choose(images, labelFile);
      expect(shown).toContain(`Not used: ${message}`);
      expect(shown).toMatch(/The data set and model in use are unchanged\.$/);
    }
    // The MNIST model trained on all along.
    const before = (await status(page))!;
    await waitForStatus(page, (s) => s.running && s.step > before.step + 50);
    expect((await status(page))!.description).toMatch(/ on MNIST,/);
    expect(await page.evaluate(() => location.hash)).toBe(mnistHash);

    // Good files: a fresh model on them trains, and every view draws.
    expect(await choose(goodImages, goodLabels)).toBe(
      'In use: digits-idx3-ubyte.gz with digits-idx1-ubyte: 1,000 training and 200 test images.',
    );
    await page.waitForFunction(() => location.hash.startsWith('#dataset=own&family=vanilla&'));
    await waitForStatus(page, (s) => s.source === 'untrained' && / on your IDX files,/.test(s.description));
    expect(await page.textContent('#download-text')).toBe(
      'Your IDX files (digits-idx3-ubyte.gz with digits-idx1-ubyte): 200 test and 1,000 training images.',
    );
    await page.locator('latentlab-trainer button.scratch').click();
    const early = await waitForStatus(page, (s) => s.running && s.loss !== undefined);
    await waitForStatus(page, (s) => s.step > early.step + 300);
    await page.locator('latentlab-trainer button.pause').click();
    await waitForStatus(page, (s) => !s.running);
    const late = (await status(page))!;
    expect(late.source).toBe('trained');
    expect(late.loss!).toBeLessThan(0.8 * early.loss!);
    await waitForViews(page);
    expect(await blankCanvases(page)).toEqual([]);
    expect(await page.locator('latentlab-latent-map li').count()).toBe(10);
    expect(await page.locator('latentlab-latent-map canvas.map').getAttribute('aria-label')).toMatch(
      /^Latent map: codes of 100 test images, one dot per image coloured by its class\./,
    );
    await page.screenshot({ path: `${resultsDir}/e2e-own-data.png`, fullPage: true });

    // The same images without labels: one colour, no legend; a class cannot be held out.
    expect(await choose(goodImages)).toBe(
      'In use: digits-idx3-ubyte.gz, without labels: 1,000 training and 200 test images; the views show them in one colour and name no class.',
    );
    // The views still show the labelled data until the worker has drawn the new: wait for that.
    await page
      .locator('latentlab-latent-map .stats', { hasText: 'No labels: every image has the same colour.' })
      .waitFor();
    await waitForViews(page);
    expect(await page.locator('latentlab-latent-map li').count()).toBe(0);
    await page.locator('latentlab-interpolation .stats', { hasText: /From image 3 to image 8:/ }).waitFor();
    expect(await blankCanvases(page)).toEqual([]);
    await field('holdout').selectOption('3');
    await page
      .locator('latentlab-settings li.error', { hasText: 'no labels, so no class can be held out' })
      .waitFor();
    expect(await page.evaluate(() => location.hash)).toMatch(/holdout=none/);

    // A reload cannot bring the files back: MNIST, and the page says why.
    await page.reload();
    await page.waitForFunction(() => !document.getElementById('url-problems')!.hidden);
    expect(await page.textContent('#url-problems')).toBe(
      'Some settings in the link were not used: dataset=own: your own IDX files are not part of a link, so MNIST is shown; choose them again under Data set.',
    );
    await page.waitForFunction(() => location.hash.startsWith('#dataset=mnist&family=vanilla&'));
    expect(problems).toEqual([]);
    await page.close();
  },
  slow * 2,
);
