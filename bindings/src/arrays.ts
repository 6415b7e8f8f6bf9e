// Checks of arrays handed to the engine. A row-per-sample Float32Array of
// n x width values is what every entry point takes.

export interface ValueRange {
  min: number;
  max: number;
}

/**
 * Checks that `values` is a Float32Array holding a positive whole number of
 * rows of `width` finite values; returns their range. `name` is the argument
 * named in errors.
 */
export function checkRows(values: unknown, width: number, name: string): ValueRange {
  checkShape(values, width, name);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= min)) {
      if (Number.isNaN(v)) throw new RangeError(`${name}[${i}] is NaN`);
      min = v;
    }
    if (!(v <= max)) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    const index = values.findIndex((v) => !Number.isFinite(v));
    throw new RangeError(`${name}[${index}] is ${values[index]}, values must be finite`);
  }
  return { min, max };
}

/**
 * Checks that `values` is a Float32Array holding a positive whole number of
 * rows of `width` values, without reading them.
 */
export function checkShape(values: unknown, width: number, name: string): asserts values is Float32Array {
  if (!(values instanceof Float32Array)) {
    throw new TypeError(`${name} must be a Float32Array, got ${describe(values)}`);
  }
  if (values.length === 0 || values.length % width !== 0) {
    throw new RangeError(
      `${name} must hold a positive multiple of ${width} values (one row of ${width} per sample), got ${values.length}`,
    );
  }
}

/** A value as an error message shows it: a string in quotes, so that '4' is not mistaken for 4. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** What a value is, for a TypeError: its class, null or its type. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Checks that `values` is a Uint8Array holding a positive whole number of rows
 * of `width` bytes, without reading them.
 */
export function checkByteShape(values: unknown, width: number, name: string): asserts values is Uint8Array {
  if (!(values instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array, got ${describe(values)}`);
  }
  if (values.length === 0 || values.length % width !== 0) {
    throw new RangeError(
      `${name} must hold a positive multiple of ${width} bytes (one row of ${width} per sample), got ${values.length}`,
    );
  }
}

/** Checks the arguments of interpolate: two single samples of `width` values and 2-10000 steps. */
export function checkInterpolation(a: unknown, b: unknown, steps: unknown, width: number): void {
  if (!Number.isInteger(steps) || (steps as number) < 2 || (steps as number) > 10_000) {
    throw new RangeError(`steps must be an integer in [2, 10000], got ${shown(steps)}`);
  }
  for (const [image, name] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    checkRows(image, width, name);
    if ((image as Float32Array).length !== width) {
      throw new RangeError(
        `${name} must be one image of ${width} values, got ${(image as Float32Array).length}`,
      );
    }
  }
}
