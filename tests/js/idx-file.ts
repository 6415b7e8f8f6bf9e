// IDX files built in the tests: a header of unsigned bytes (type 0x08) and
// the given dimensions, then `data`.
export function idxFile(shape: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, shape.length);
  shape.forEach((size, i) => header.setUint32(4 + 4 * i, size));
  const out = new Uint8Array(header.byteLength + data.length);
  out.set(new Uint8Array(header.buffer));
  out.set(data, header.byteLength);
  return out;
}
