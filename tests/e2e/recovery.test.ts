// End-to-end test of recovery in Debian's Chromium: the worker dies while a
// model trains (a trap thrown in it through Playwright, as the engine's
// would be); the page says so, starts a new worker and restores the model
// as at its last completed epoch, every view draws again and training goes
// on. Then a reload offers the last trained model, kept in IndexedDB, and
// resumes it with the same weights.
//   bash scripts/build.sh && npx vitest run --config tests/e2e/vitest.config.ts tests/e2e/recovery.test.ts
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  blankCanvases,
  labWorkers,
  newPage,
  openSite,
  resultsDir,
  slow,
  status,
  waitForStatus,
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

const hash = '#dataset=mnist&family=vanilla&hidden=32&latent=2';
const trap = 'RuntimeError: unreachable (thrown by the test)';

test(
  'a worker that dies is replaced and the model trained so far restored; a reload offers to resume it',
  async () => {
    const { page, problems } = await newPage(site);
    await page.goto(`${site.origin}/${hash}`);
    await waitForStatus(page, (s) => s.source === 'untrained');
    await page.locator('latentlab-trainer button.scratch').click();
    // Past the first epoch's snapshot, and into the second.
    const trained = await waitForStatus(page, (s) => s.running && s.epochs > 1.2);
    await waitForViews(page);
    const mseBefore = await page.locator('latentlab-reconstructions .stats').innerText();

    const [worker] = labWorkers(page);
    const closed = new Promise((resolve) => worker.once('close', resolve));
    await worker.evaluate((message) => {
      setTimeout(() => {
        throw new WebAssembly.RuntimeError(message);
      });
    }, 'unreachable (thrown by the test)');
    await closed; // the page terminated it

    await page.locator('#worker-restarts').waitFor();
    expect(await page.textContent('#worker-restarts')).toBe(
      `The LatentLab worker stopped (Uncaught ${trap}). A new one took over, with the model trained here as at the last completed epoch.`,
    );
    const restored = await waitForStatus(page, (s) => s.source === 'restored');
    expect(restored.running).toBe(false);
    expect(restored.epochs).toBeGreaterThanOrEqual(1);
    expect(restored.epochs).toBeLessThanOrEqual(trained.epochs + 1);
    expect(restored.step).toBeGreaterThan(0);
    expect(restored.note).toBe(
      `Restored as trained for ${restored.epochs.toFixed(2)} epochs (step ${restored.step}): the worker before this one stopped.`,
    );
    await waitForViews(page);
    expect(await blankCanvases(page)).toEqual([]);
    expect(labWorkers(page)).toHaveLength(1);
    expect(await page.locator('latentlab-reconstructions .stats').innerText()).not.toBe('');

    // Training goes on from the restored model. The reconstructions are kept
    // in view and seen to refresh, so that the pause redraws them: a view off
    // screen keeps older data.
    await page.locator('latentlab-trainer button.pause').click();
    await waitForStatus(page, (s) => s.running && s.step > restored.step + 100);
    await reconstructionsRefreshed(page);
    await page.locator('latentlab-trainer button.pause').click();
    const paused = await waitForStatus(page, (s) => !s.running && s.source === 'trained');
    await waitForViews(page);
    const mseAtPause = await page.locator('latentlab-reconstructions .stats').innerText();
    expect(mseAtPause).not.toBe(mseBefore);
    await page.screenshot({ path: `${resultsDir}/e2e-recovery.png`, fullPage: true });

    // A reload: the model kept at the pause is offered, and resumed as it was.
    await page.goto(`${site.origin}/#family=pca`);
    await page.reload();
    await page.locator('#resume').waitFor();
    expect(await page.textContent('#resume-text')).toMatch(
      new RegExp(
        `^A model you trained in this browser is kept: .*, ${paused.epochs.toFixed(2).replace('.', '\\.')} epochs, saved .+\\.$`,
      ),
    );
    await page.locator('#resume-model').click();
    await page.waitForFunction(() =>
      /^#dataset=mnist&family=vanilla&.*hidden=32&latent=2/.test(location.hash),
    );
    const resumed = await waitForStatus(page, (s) => s.source === 'restored');
    expect([resumed.step, resumed.epochs, resumed.description]).toEqual([
      paused.step,
      paused.epochs,
      paused.description,
    ]);
    expect(resumed.note).toMatch(/: kept in this browser since .+\.$/);
    expect(await page.textContent('#resume-text')).toMatch(/^Resumed: /);
    // The status comes before the views' new data: until it does, they show the model the link built first.
    await expect
      .poll(() => page.locator('latentlab-reconstructions .stats').innerText(), { timeout: 10_000 })
      .toBe(mseAtPause);

    expect(problems.filter((problem) => !problem.includes(trap))).toEqual([]);
    expect(await status(page)).toBeDefined();
    await page.close();
  },
  slow * 2,
);

/** Scrolls the reconstructions into view and waits until they get new data. */
async function reconstructionsRefreshed(page: Page): Promise<void> {
  type View = HTMLElement & { data?: unknown };
  const view = page.locator('latentlab-reconstructions');
  await view.scrollIntoViewIfNeeded();
  const seen = await view.evaluateHandle((element) => (element as View).data);
  await page.waitForFunction(([element, old]) => (element as View).data !== old, [
    await view.elementHandle(),
    seen,
  ] as const);
}
