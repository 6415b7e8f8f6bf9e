// Types of the threaded engine (bindings/engine.cpp built with -pthread):
// the same module as engine.mjs, started with a pool of workers.
import type { Engine, ThreadedEngineOptions } from './engine.mjs';

declare const createEngine: (options: ThreadedEngineOptions) => Promise<Engine>;
export default createEngine;
