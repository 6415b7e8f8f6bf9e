// `npm run bench:page`: the training speed the lab page itself shows
// ("N digits/s on k threads"), with the page cross-origin isolated (COOP/COEP,
// as `npm start` serves it: the threaded engine on every core) and without
// (as an embed or GitHub Pages would: one thread). The built page (web/dist)
// is served by a plain static server in both ways, alternately; each time a
// fresh page trains its default model from scratch for 20 s.
// Usage: node bench/page-speed.mjs [rounds]   (default 2)
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../web/dist/', import.meta.url));
const rounds = Number(process.argv[2] ?? 2);
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function serve(isolated) {
  const server = createServer(async (request, response) => {
    let file = path.join(root, decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (!file.startsWith(root)) return response.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const headers = { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' };
      response.writeHead(200, isolated ? { ...headers, ...isolation } : headers).end(await readFile(file));
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
console.log('| served | crossOriginIsolated | the page shows |\n|---|---|---|');
for (let round = 0; round < rounds; round++) {
  for (const isolated of [true, false]) {
    const server = await serve(isolated);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(
      () => /60,000 training digits/.test(document.getElementById('download-text').textContent),
      null,
      { timeout: 120_000 },
    );
    await page.locator('latentlab-trainer button.scratch').click();
    await page.waitForTimeout(20_000);
    const shown = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      speed: /[\d,]+ digits\/s on \d+ threads?/.exec(
        document.querySelector('latentlab-trainer').shadowRoot.textContent.replace(/\s+/g, ' '),
      )?.[0],
    }));
    console.log(
      `| ${isolated ? 'with COOP/COEP' : 'without'} | ${shown.isolated} | ${shown.speed ?? 'no speed shown'} |`,
    );
    await page.close();
    server.close();
  }
}
await browser.close();
