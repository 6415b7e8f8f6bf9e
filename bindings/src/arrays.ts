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

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Checks that `values` is a Uint8Array holding a positive whole number of rows
 * of `width` bytes; returns their range.
 */
export function checkByteRows(values: unknown, width: number, name: string): ValueRange {
  if (!(values instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array, got ${describe(values)}`);
  }
  if (values.length === 0 || values.length % width !== 0) {
    throw new RangeError(
      `${name} must hold a positive multiple of ${width} bytes (one row of ${width} per sample), got ${values.length}`,
    );
  }
  let min = 255;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
