// Helpers around the engine's strict IDX parser (the MNIST file format).

export interface IdxArray {
  /** Sizes of the dimensions, e.g. [60000, 28, 28]. */
  shape: number[];
  /** The elements, row-major. */
  data: Uint8Array;
}

/** Pixels of an n x rows x cols IDX image array as n x (rows*cols) floats in [0, 1]. */
export function imagesFromIdx(images: IdxArray): Float32Array {
  if (images.shape.length !== 3) {
    throw new RangeError(
      `images must be an IDX array of 3 dimensions (count, rows, columns), got ${images.shape.length}`,
    );
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return pixels;
}
