// Shared by the end-to-end tests: the built site served by Vite's preview
// server on a free port, Debian's Chromium driven by playwright-core (never a
// downloaded browser), and checks on what the page drew.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type Worker,
} from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Screenshots and timings (git-ignored). */
export const resultsDir = `${repo}test-results`;

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Timeouts of tests that load and train (given in each file too, for a plain `npx vitest run`). */
export const slow = 240_000;

export interface Site {
  server: PreviewServer;
  browser: Browser;
  origin: string;
  close(): Promise<void>;
}

export async function openSite(): Promise<Site> {
  if (!existsSync(`${repo}web/dist/index.html`)) {
    throw new Error('web/dist is not built: run `bash scripts/build.sh` first');
  }
  mkdirSync(resultsDir, { recursive: true });
  const server = await preview({
    configFile: `${repo}web/vite.config.ts`,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const { port } = server.httpServer.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  return {
    server,
    browser,
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors, failed requests, HTTP errors and CSP violations. */
  problems: string[];
}

/**
 * A new page that records problems, Content-Security-Policy violations and
 * long main-thread tasks (window.__longTasks: [start, duration] in ms).
 */
export async function newPage(site: Site, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await site.browser.newContext({
    viewport: { width: 1280, height: 1000 },
    acceptDownloads: true,
    ...options,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[][]; __cspViolations: string[] };
    w.__longTasks = [];
    w.__cspViolations = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener('securitypolicyviolation', (event) => {
      w.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI}`);
    });
  });
  page.on('close', () => void context.close().catch(() => {}));
  return { page, problems };
}

export interface CanvasStats {
  width: number;
  height: number;
  /** Distinct colours. */
  colors: number;
  /** Fraction of pixels that differ from the most common colour. */
  inked: number;
  hash: number;
}

/** Pixel statistics of a canvas (also inside a view's shadow root). */
export function canvasStats(canvas: Locator): Promise<CanvasStats> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map<number, number>();
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      const color = data[i + 3] === 0 ? -1 : (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(color, (counts.get(color) ?? 0) + 1);
      hash = (Math.imul(hash, 31) + data[i] + 7 * data[i + 1] + 13 * data[i + 2] + 17 * data[i + 3]) | 0;
    }
    const pixels = data.length / 4;
    const most = Math.max(...counts.values());
    return { width: c.width, height: c.height, colors: counts.size, inked: 1 - most / pixels, hash };
  });
}

/** Waits until every LatentLab element the page shows has drawn data (no notice left); else says which have not. */
export async function waitForViews(page: Page, timeout = 120_000): Promise<void> {
  // Lazy views load when scrolled near: bring the first one still waiting into view.
  const pending = () =>
    page.evaluate(() => {
      const waiting = [...document.querySelectorAll('*')]
        .filter(
          (element) =>
            element.localName.startsWith('latentlab-') &&
            element.localName !== 'latentlab-settings' &&
            element.closest('[hidden]') === null, // a view the page hides (e.g. feature maps of a dense model)
        )
        .filter((element) => {
          const view = element as HTMLElement & { data?: unknown; notice?: unknown };
          return view.data === undefined || view.notice !== undefined;
        }) as (HTMLElement & { notice?: { message: string } })[];
      waiting.find((view) => view.hasAttribute('lazy'))?.scrollIntoView({ block: 'center' });
      return waiting.map(
        (view) =>
          `${view.localName}[${view.getAttribute('model') ?? ''}]: ${view.notice?.message ?? 'no data yet'}`,
      );
    });
  const end = Date.now() + timeout;
  let left = await pending();
  while (left.length > 0) {
    if (Date.now() > end) throw new Error(`views without data after ${timeout} ms:\n${left.join('\n')}`);
    await sleep(250);
    left = await pending();
  }
}

/** Names of the views whose canvases look blank, with their stats. */
export async function blankCanvases(page: Page): Promise<string[]> {
  const blank: string[] = [];
  const views = await page.locator('*').evaluateAll((elements) =>
    elements
      .filter((e) => e.localName.startsWith('latentlab-') && e.shadowRoot)
      .map((e, i) => {
        e.setAttribute('data-e2e', String(i));
        return { name: e.localName, id: String(i), model: e.getAttribute('model') ?? '' };
      }),
  );
  for (const view of views) {
    const canvases = page.locator(`[data-e2e="${view.id}"] canvas`);
    for (let i = 0; i < (await canvases.count()); i++) {
      const canvas = canvases.nth(i);
      const label = (await canvas.getAttribute('aria-label')) ?? '';
      if (/nearest the pointer|reconstruction of the drawing|Drawing pad/.test(label)) continue; // drawn on demand
      const stats = await canvasStats(canvas);
      if (stats.colors < 3 || stats.inked < 0.01)
        blank.push(`${view.name}[${view.model}] "${label}": ${JSON.stringify(stats)}`);
    }
  }
  return blank;
}

/** Every canvas on the page (in shadow roots too) without an aria-label. */
export function unlabelledCanvases(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visit = (root: Document | ShadowRoot, host: string) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.localName === 'canvas' && !element.getAttribute('aria-label')?.trim())
          found.push(`${host} canvas.${element.className}`);
        if (element.shadowRoot) visit(element.shadowRoot, element.localName);
      }
    };
    visit(document, 'page');
    return found;
  });
}

/**
 * The page's own workers. In a cross-origin isolated page the threaded engine
 * adds its pool of pthread workers, which start from a blob: bootstrap.
 */
export function labWorkers(page: Page): Worker[] {
  return page.workers().filter((worker) => !worker.url().startsWith('blob:'));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TracedTask {
  /** Wall-clock duration, ms. */
  wall: number;
  /** CPU time of the page's main thread in it, ms. */
  cpu: number;
}

/**
 * The page's main-thread tasks in a Chromium trace (category
 * disabled-by-default-devtools.timeline), with wall-clock and CPU time: on a
 * busy machine a task can last long while the thread waits for a core.
 */
export function mainThreadTasks(trace: Buffer): TracedTask[] {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  return events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask')
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The trainer's status (SlotStatus), as far as the tests read it. */
export interface TrainerStatus {
  source: string;
  running: boolean;
  step: number;
  epochs: number;
  loss?: number;
  description: string;
  note?: string;
}

/** The status the page's <latentlab-trainer> shows, if any yet. */
export const status = (page: Page) =>
  page.evaluate(
    () => (document.querySelector('latentlab-trainer') as unknown as { status?: TrainerStatus }).status,
  );

/** Polls the trainer's status until `done` holds; returns that status. */
export async function waitForStatus(
  page: Page,
  done: (s: TrainerStatus) => boolean,
  timeout = 120_000,
): Promise<TrainerStatus> {
  const end = Date.now() + timeout;
  for (;;) {
    const s = await status(page);
    if (s && done(s)) return s;
    if (Date.now() > end) throw new Error(`status never as expected: ${JSON.stringify(s)}`);
    await sleep(200);
  }
}

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
};

/**
 * A plain static server on a free loopback port, as a CDN or an article's
 * host: `files(pathname)` gives a path's body (undefined: 404), sent with `headers`.
 */
export async function serveStatic(
  files: (pathname: string) => Buffer | string | undefined,
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const body = files(pathname);
    if (body === undefined) {
      response.writeHead(404, headers).end();
      return;
    }
    const type = contentTypes[path.extname(pathname)] ?? 'application/octet-stream';
    response.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The files under `folder` (no path may leave it). */
export function folderFiles(folder: string): (pathname: string) => Buffer | undefined {
  const root = path.resolve(folder);
  return (pathname) => {
    const file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root + path.sep)) return undefined;
    try {
      return readFileSync(file);
    } catch {
      return undefined;
    }
  };
}

/**
 * The fenced code blocks in `language` of a section of docs/embedding.md
 * (from its `## heading` to the next): the tests run the documentation's
 * examples as they are written.
 */
export function embeddingDocBlocks(heading: string, language: string): string[] {
  const docs = readFileSync(`${repo}docs/embedding.md`, 'utf8');
  const start = docs.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/embedding.md has no section '## ${heading}'`);
  const end = docs.indexOf('\n## ', start + 1);
  const section = docs.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1]);
}
