// Ownership of engine objects. Each public handle frees its C++ object on
// dispose(), on leaving a `using` block (Symbol.dispose), or, as a safety net,
// when it is garbage-collected without either.
import type { RawHandle } from './engine.mjs';

const registry = new FinalizationRegistry<RawHandle>((raw) => {
  if (!raw.isDeleted()) raw.delete();
});

// Symbol.dispose exists in current browsers and Node >= 20.4; fall back to the
// well-known registry symbol that polyfills use.
const disposeSymbol: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ??
  (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

export abstract class Handle<Raw extends RawHandle> {
  #raw: Raw | undefined;
  readonly #kind: string;

  protected constructor(raw: Raw, kind: string) {
    this.#raw = raw;
    this.#kind = kind;
    registry.register(this, raw, this);
  }

  /** The engine object; throws once the handle is disposed. */
  protected get raw(): Raw {
    if (this.#raw === undefined) throw new Error(`this ${this.#kind} has been disposed`);
    return this.#raw;
  }

  get disposed(): boolean {
    return this.#raw === undefined;
  }

  /** Frees the engine memory behind this handle. Calling it again does nothing. */
  dispose(): void {
    if (this.#raw === undefined) return;
    registry.unregister(this);
    this.#raw.delete();
    this.#raw = undefined;
  }

  [disposeSymbol](): void {
    this.dispose();
  }
}
