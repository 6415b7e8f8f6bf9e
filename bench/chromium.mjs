// Headless Chromium for the bench: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), one fresh page and fresh
// workers per run so that no run inherits another's heap, compiled code or threads.
// Browsers cannot read a thread's CPU time, so this side reads it from /proc
// when the page says a worker's clock starts and stops: the machine is shared,
// and the CPU share of the wall time shows how much of it the run really had.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

const read = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // the process or thread has just gone
  }
};

/**
 * CPU seconds (utime + stime) of every worker thread ("DedicatedWorker", the
 * run's worker and any threads it starts) in this browser's renderers, by thread id.
 */
function workerThreadSeconds(profile) {
  const seconds = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (!cmdline.includes('--type=renderer') || !cmdline.includes(profile)) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`, { throwIfNoEntry: false }) ?? []) {
      if (read(`/proc/${pid}/task/${tid}/comm`).trim() !== 'DedicatedWorker') continue;
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(tid, (Number(fields[11]) + Number(fields[12])) / 100); // fields 14 and 15, USER_HZ = 100
    }
  }
  return seconds;
}

/** Launches Chromium; resolves to { version, run(engine, workload, threadCounts, turn), close }. */
export async function openChromium(origin) {
  const profile = mkdtempSync(path.join(tmpdir(), 'latentlab-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args,
  });
  return {
    version: context.browser()?.version() ?? (await versionOf(context)),
    /**
     * One bench run of `engine` ('latentlab' or 'tfjs') on `workload` (a
     * name in bench/workload.mjs): one module Worker per
     * thread count (TF.js: one), LatentLab's taking turns of `turn` batches.
     * Resolves to the workers' results, each with the CPU seconds of the
     * worker threads while that worker's clock ran.
     */
    async run(engine, workload, threadCounts, turn) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // The page calls benchClock('start' | 'stop', name) around each timed stretch of a worker.
      const cpu = new Map();
      let started;
      await page.exposeFunction('benchClock', (phase, name) => {
        const now = workerThreadSeconds(profile);
        if (phase === 'start') {
          started = now;
          return;
        }
        let seconds = 0;
        for (const [tid, end] of now) seconds += end - (started?.get(tid) ?? 0);
        cpu.set(name, (cpu.get(name) ?? 0) + seconds);
      });
      try {
        const query = `engine=${engine}&workload=${workload}&threads=${threadCounts.join(',')}&turn=${turn}`;
        await page.goto(`${origin}/bench/browser/index.html?${query}`);
        const results = await page.evaluate(() => window.benchResult);
        return results.map((result, i) => {
          const name = engine === 'tfjs' ? engine : String(threadCounts[i]);
          return cpu.has(name) ? { ...result, cpuSeconds: cpu.get(name) } : result;
        });
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
