// Helpers around the engine's strict IDX parser (the MNIST file format).

export interface IdxArray {
  /** Sizes of the dimensions, e.g. [60000, 28, 28]. */
  shape: number[];
  /** The elements, row-major. */
  data: Uint8Array;
}

/**
 * The scale that turns pixels (0-255) into [0, 1]. Each pixel p becomes
 * p * pixelScale rounded to float, which is the float nearest p / 255 for
 * every p: imagesFromIdx(idx) holds exactly the values of
 * createDataset(idx.data, features, { scale: pixelScale }).
 */
export const pixelScale = 1 / 255;

/** Pixels of an n x rows x cols IDX image array as n x (rows*cols) floats in [0, 1]. */
export function imagesFromIdx(images: IdxArray): Float32Array {
  if (images.shape.length !== 3) {
    throw new RangeError(
      `images must be an IDX array of 3 dimensions (count, rows, columns), got ${images.shape.length}`,
    );
  }
  const pixels = new Float32Array(images.data.length);
  // As the engine scales bytes: in double, rounded to float as the array stores it.
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] * pixelScale;
  return pixels;
}
