// Headless Chromium for the bench: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), one fresh page and worker per
// run so that no run inherits another's heap, compiled code or threads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// Without the networking flags Chromium tries to reach the outside and floods the log.
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Chromium; resolves to { version, run(engine, threads), close }. */
export async function openChromium(origin) {
  const profile = mkdtempSync(path.join(tmpdir(), 'latentlab-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args,
  });
  return {
    version: context.browser()?.version() ?? (await versionOf(context)),
    /** One bench run of `engine` ('latentlab' or 'tfjs') in a module Worker. */
    async run(engine, threads) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(`${origin}/bench/browser/index.html?engine=${engine}&threads=${threads}`);
        return await page.evaluate(() => window.benchResult);
      } catch (error) {
        throw new Error(`${engine} in Chromium: ${error.message.split('\n')[0]} ${errors.join('; ')}`);
      } finally {
        await page.close();
      }
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function versionOf(context) {
  const page = await context.newPage();
  const agent = await page.evaluate(() => navigator.userAgent);
  await page.close();
  return /Chrome\/([\d.]+)/.exec(agent)?.[1] ?? 'unknown';
}
