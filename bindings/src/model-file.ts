// Reading a model file (the engine checks every byte of it) into a Model whose
// configuration comes from the file itself.
import type { Engine } from './engine.mjs';
import { Model } from './model.js';
import type { ModelConfig } from './options.js';

export function loadModel(engine: Engine, bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `loadModel: bytes must be a Uint8Array (the file's contents), got ${describe(bytes)}`,
    );
  }
  const raw = engine.Model.load(bytes);
  try {
    // The engine wrote this JSON with the public option names; the usual
    // checks of createModel run on it too.
    const config = JSON.parse(raw.configJson()) as ModelConfig;
    return new Model(engine, config, raw);
  } catch (error) {
    raw.delete();
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'object';
}
