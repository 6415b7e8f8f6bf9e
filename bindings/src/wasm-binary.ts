// Where the engine's .wasm comes from. Browsers and workers fetch it here
// rather than inside Emscripten, so that a missing or unreachable file gives
// "engine.wasm: HTTP 404 ..." instead of Emscripten's opaque abort(). Node
// reads it from disk in the engine itself (bindings/pre-node.js).
import type { EngineOptions } from './engine.mjs';

const runsInNode =
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

/** `options` with `wasmBinary` filled in, where this module must fetch it. */
export async function withWasmBinary(options: EngineOptions, threaded = false): Promise<EngineOptions> {
  if (options.wasmBinary !== undefined || runsInNode) return options;
  // The literal `new URL('engine.wasm', import.meta.url)` is what bundlers
  // such as Vite recognise and copy as an asset.
  const beside = threaded
    ? new URL('engine-threads.wasm', import.meta.url).href
    : new URL('engine.wasm', import.meta.url).href;
  const name = threaded ? 'engine-threads.wasm' : 'engine.wasm';
  const url = options.locateFile?.(name, beside.slice(0, beside.lastIndexOf('/') + 1)) ?? beside;
  return { ...options, wasmBinary: await fetchWasmBinary(url, name) };
}

/** The bytes at `url`; throws an Error naming the file (`name`) and the HTTP status. */
export async function fetchWasmBinary(url: string, name = 'engine.wasm'): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `${name}: could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    const status = `${response.status} ${response.statusText}`.trim();
    throw new Error(`${name}: HTTP ${status} (${url})`);
  }
  const bytes = await response.arrayBuffer();
  // Dev servers answer unknown paths with their HTML page and status 200.
  const magic = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (magic.length < 4 || magic[0] !== 0x00 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    const start = new TextDecoder().decode(new Uint8Array(bytes, 0, Math.min(16, bytes.byteLength)));
    throw new Error(
      `${name}: ${url} is not WebAssembly (it starts with ${JSON.stringify(start)}); ` +
        "with Vite's dev server, add optimizeDeps: { exclude: ['latentlab'] }",
    );
  }
  return bytes;
}
