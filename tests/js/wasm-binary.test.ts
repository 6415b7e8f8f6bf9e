// In browsers init() fetches engine.wasm itself so that a missing file is
// reported by name and HTTP status; the fetch is exercised here against a
// local server (the whole path runs in Chromium in package.test.ts).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchWasmBinary } from '../../dist/wasm-binary.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const wasm = readFileSync('dist/engine.wasm');
  server = createServer((request, response) => {
    if (request.url === '/engine.wasm') response.end(wasm);
    else if (request.url === '/spa/engine.wasm') response.end('<!doctype html><html></html>');
    else response.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('returns the bytes of engine.wasm', async () => {
  const bytes = new Uint8Array(await fetchWasmBinary(`${base}/engine.wasm`));
  expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
});

it('reports a missing file by name and HTTP status', async () => {
  await expect(fetchWasmBinary(`${base}/assets/engine.wasm`)).rejects.toThrow(
    `engine.wasm: HTTP 404 Not Found (${base}/assets/engine.wasm)`,
  );
});

it('reports an unreachable server', async () => {
  await expect(fetchWasmBinary('http://127.0.0.1:1/engine.wasm')).rejects.toThrow(
    /^engine\.wasm: could not fetch http:\/\/127\.0\.0\.1:1\/engine\.wasm: /,
  );
});

it('reports a page served in place of the wasm, as dev servers do', async () => {
  await expect(fetchWasmBinary(`${base}/spa/engine.wasm`)).rejects.toThrow(
    `engine.wasm: ${base}/spa/engine.wasm is not WebAssembly (it starts with "<!doctype html><"); ` +
      "with Vite's dev server, add optimizeDeps: { exclude: ['latentlab'] }",
  );
});
