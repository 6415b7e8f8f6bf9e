// Reading a model file (the engine checks every byte of it) into a Model whose
// configuration comes from the file itself.
import type { Engine } from './engine.mjs';
import { Model } from './model.js';

export function loadModel(engine: Engine, bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `loadModel: bytes must be a Uint8Array (the file's contents), got ${describe(bytes)}`,
    );
  }
  // The engine reads the file's configuration through the same schema as
  // createModel's, so a bad one gives the same error.
  return new Model(engine, undefined, engine.Model.load(bytes));
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return value.constructor?.name ?? 'object';
}
