// Model files taken apart and put together in the tests: a safetensors file
// is an 8-byte little-endian header length, a JSON header and the tensors' bytes.

export interface Header {
  __metadata__: Record<string, string>;
  [tensor: string]: unknown;
}

/** The header and data of a safetensors file, read with nothing but JSON.parse. */
export function readFile(bytes: Uint8Array): { header: Header; data: Uint8Array; headerLength: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  return { header: JSON.parse(text) as Header, data: bytes.subarray(8 + headerLength), headerLength };
}

/** A file from any header object and data (the length field may lie when given). */
export function makeFile(header: unknown, data: Uint8Array, length?: bigint): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + text.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, length ?? BigInt(text.length), true);
  bytes.set(text, 8);
  bytes.set(data, 8 + text.length);
  return bytes;
}

/** `bytes` (a model file) with every weight and bias multiplied by `factor`, rounded to float. */
export function scaleWeights(bytes: Uint8Array, factor: number): Uint8Array {
  const { header, data } = readFile(bytes);
  const scaled = data.slice();
  const view = new DataView(scaled.buffer);
  for (let at = 0; at < scaled.length; at += 4) view.setFloat32(at, view.getFloat32(at, true) * factor, true);
  return makeFile(header, scaled);
}

/** n deterministic pseudo-images with values in [0, 1]. */
export function images(n: number, width: number): Float32Array {
  const values = new Float32Array(n * width);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
  return values;
}
