// Vite's dev and preview servers (sirv) send every *.gz file with
// `Content-Encoding: gzip`, so the browser decodes it, the page counts
// decoded bytes against the compressed Content-Length, and its download
// progress overshoots. This plugin serves *.gz files as they are
// (application/gzip, no Content-Encoding), like a plain static host does; the
// page then decompresses them itself with DecompressionStream.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Plugin } from 'vite';

export function gzipFilesAsIs(): Plugin {
  return {
    name: 'latentlab-gzip-files-as-is',
    configureServer(server) {
      server.middlewares.use(serveGzipFiles(server.config.publicDir));
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveGzipFiles(path.resolve(server.config.root, server.config.build.outDir)));
    },
  };
}

function serveGzipFiles(directory: string) {
  const root = path.resolve(directory);
  return (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = path.join(root, pathname);
    if (!pathname.endsWith('.gz') || !file.startsWith(root + path.sep)) return next();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    let size: number;
    try {
      const stats = statSync(file);
      if (!stats.isFile()) return next();
      size = stats.size;
    } catch {
      return next();
    }
    response.writeHead(200, {
      'Content-Type': 'application/gzip',
      'Content-Length': size,
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  };
}
