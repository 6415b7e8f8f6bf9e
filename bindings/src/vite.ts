// latentlab/vite: the Vite plugin that makes `import 'latentlab/views'` work
// in a Vite app, in the dev server and in production builds:
//   import latentlab from 'latentlab/vite';
//   export default { plugins: [latentlab()] };
// The views module finds its worker, engines, digits and models relative to
// its own URL, so it must be served as it lies in dist/views/, never bundled:
// the dev server gets that folder as plain files (.gz as they are, which the
// views decompress themselves), a build copies it into the output, and
// `latentlab/views` becomes a small module that imports the folder's entry
// from there.
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';

const viewsFolder = fileURLToPath(new URL('./views/', import.meta.url));
const entry = 'latentlab-views.js';
const resolvedId = '\0latentlab-views';
/** The folder's name in the dev server (under the base) and in a build (under the assets). */
const folderName = 'latentlab-views';

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
};

export default function latentlab(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'latentlab-views',
    enforce: 'pre',
    // Pre-bundling would move the engine's module away from its .wasm.
    config: () => ({ optimizeDeps: { exclude: ['latentlab'] } }),
    configResolved(resolved) {
      config = resolved;
    },
    resolveId: (id) => (id === 'latentlab/views' ? resolvedId : undefined),
    load(id) {
      if (id !== resolvedId) return undefined;
      if (config.command === 'serve')
        return importFrom(JSON.stringify(`${config.base}${folderName}/${entry}`));
      let reference = '';
      for (const file of filesUnder(viewsFolder)) {
        const emitted = this.emitFile({
          type: 'asset',
          fileName: path.posix.join(config.build.assetsDir, folderName, file),
          source: readFileSync(path.join(viewsFolder, file)),
        });
        if (file === entry) reference = emitted;
      }
      return importFrom(`import.meta.ROLLUP_FILE_URL_${reference}`);
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => serveViews(config, request, response, next));
    },
  };
}

/** The module that stands for latentlab/views: it imports the views' entry from `url` (an expression). */
function importFrom(url: string): string {
  // Not a literal import: the bundler must leave the folder's module as it is.
  return `const url = ${url};
const views = await import(/* @vite-ignore */ url);
export const lab = views.lab;
export const presets = views.presets;
`;
}

/** The paths of the files under `folder`, relative to it, with forward slashes. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** Answers the dev server's requests for <base>latentlab-views/… from dist/views/. */
function serveViews(
  config: ResolvedConfig,
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
) {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  const prefix = [`${config.base}${folderName}/`, `/${folderName}/`].find((p) => pathname.startsWith(p));
  if (prefix === undefined) return next();
  const file = path.join(viewsFolder, path.normalize(pathname.slice(prefix.length)));
  if (!file.startsWith(viewsFolder)) return next();
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch {
    return next();
  }
  response.writeHead(200, { 'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
  response.end(body);
}
