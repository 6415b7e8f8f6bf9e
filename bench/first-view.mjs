// `npm run bench:first-view`: how soon an article that embeds one view from
// the npm package (dist/views/, as a CDN serves it: another origin, CORS,
// cacheable) shows it, and what it downloads first. For each view, a fresh
// browser context opens the article once with an empty cache (cold), then
// again `warm` times with the cache it filled (each a new page). The time is
// from navigation to the view's first drawn data; the bytes are what the CDN
// sent (a warm page takes the rest from the browser's cache).
// Usage: node bench/first-view.mjs [warm]   (default 5)
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const views = fileURLToPath(new URL('../dist/views/', import.meta.url));
const warmRuns = Number(process.argv[2] ?? 5);
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** A server on a free loopback port; `respond(pathname)` gives [headers, body] or undefined (404). */
function serve(respond) {
  const server = createServer(async (request, response) => {
    const answer = await respond(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (!answer) return response.writeHead(404).end();
    server.sent += answer[1].length;
    response.writeHead(200, answer[0]).end(answer[1]);
  });
  server.sent = 0;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const origin = (server) => `http://127.0.0.1:${server.address().port}`;

const cdn = await serve(async (pathname) => {
  const file = path.join(views, path.normalize(pathname));
  if (!file.startsWith(views)) return undefined;
  const body = await readFile(file).catch(() => undefined);
  if (!body) return undefined;
  const type = types[path.extname(file)] ?? 'application/octet-stream';
  // As npm CDNs serve a versioned package: cacheable for a year, from any origin.
  return [
    { 'Content-Type': type, 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=31536000' },
    body,
  ];
});
const articles = new Map();
const articleServer = await serve(async (pathname) =>
  articles.has(pathname) ? [{ 'Content-Type': 'text/html' }, articles.get(pathname)] : undefined,
);

const embedded = [
  ['reconstructions', '<latentlab-reconstructions model="vanilla" count="10"></latentlab-reconstructions>'],
  ['latent map', '<latentlab-latent-map model="vae-2d"></latentlab-latent-map>'],
  ['samples', '<latentlab-samples model="vae-2d" count="8"></latentlab-samples>'],
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

/** Opens the article in `context`: ms from navigation to the view's first drawn data. */
async function open(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  const ms = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const view = [...document.body.children].find((element) =>
          element.localName.startsWith('latentlab-'),
        );
        const started = performance.now();
        const check = () => {
          if (view.notice && !view.notice.waiting) return reject(new Error(view.notice.message));
          if (view.data !== undefined) return requestAnimationFrame(() => resolve(performance.now()));
          if (performance.now() - started > 60_000) return reject(new Error('no data in 60 s'));
          setTimeout(check, 5);
        };
        check();
      }),
  );
  await page.close();
  return ms;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
console.log(
  `| view | cold: ms | cold: downloaded | warm: ms (${warmRuns} runs: median, range) | warm: downloaded (most) |`,
);
console.log('|---|---|---|---|---|');
for (const [name, element] of embedded) {
  const pathname = `/${name.replace(/ /g, '-')}.html`;
  articles.set(
    pathname,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${origin(cdn)}/latentlab-views.js"></script></head><body>${element}</body></html>`,
  );
  const context = await browser.newContext();
  const url = `${origin(articleServer)}${pathname}`;
  cdn.sent = 0;
  const cold = await open(context, url);
  const coldBytes = cdn.sent;
  const warm = [];
  let warmBytes = 0;
  for (let run = 0; run < warmRuns; run++) {
    cdn.sent = 0;
    warm.push(await open(context, url));
    warmBytes = Math.max(warmBytes, cdn.sent);
  }
  warm.sort((a, b) => a - b);
  console.log(
    `| ${name} | ${cold.toFixed(0)} | ${kb(coldBytes)} | ${warm[warm.length >> 1].toFixed(0)} (${warm[0].toFixed(0)}–${warm[warm.length - 1].toFixed(0)}) | ${kb(warmBytes)} |`,
  );
  await context.close();
}
await browser.close();
cdn.close();
articleServer.close();
