// How many threads the engine runs on, and which build that takes. Threads
// need SharedArrayBuffer, which browsers give only to cross-origin isolated
// pages (COOP same-origin + COEP require-corp); Emscripten 3.1.6's ES-module
// pthread build does not run in Node. Everywhere else: the single-thread build.
import { shown } from './arrays.js';

/** Whether this context can run the threaded engine. */
export function threadsAvailable(): boolean {
  const scope = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: unknown } } };
  return scope.crossOriginIsolated === true && typeof scope.process?.versions?.node !== 'string';
}

/** Threads `init()` takes when not told: every core, at most this many. */
export const defaultThreadLimit = 8;

/**
 * The thread count for `requested` (default: the cores, at most
 * defaultThreadLimit) where threads are available; 1 where they are not,
 * silently.
 */
export function threadCount(requested: number | undefined): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > 64)) {
    throw new RangeError(`threads must be an integer in [1, 64], got ${shown(requested)}`);
  }
  if (!threadsAvailable()) return 1;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return requested ?? Math.max(1, Math.min(cores ?? 1, defaultThreadLimit));
}
