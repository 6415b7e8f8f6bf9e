// Turns a drawing into an MNIST-like digit, as MNIST's own preparation did:
// the ink's bounding box scaled to fit 20 x 20 pixels (keeping its aspect
// ratio, averaging the pixels each output pixel covers), then placed in a
// 28 x 28 image so that its centre of mass sits at the centre. Pure: no DOM.

const side = 28;
const box = 20;

/**
 * `ink`: width x height values in [0, 1] (row after row), 1 for full ink.
 * Returns 784 values in [0, 1]; all zeros if there is no ink.
 */
export function toMnistDigit(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  threshold = 0.05,
): Float32Array {
  if (ink.length !== width * height)
    throw new RangeError(`ink must hold ${width} x ${height} values, got ${ink.length}`);
  let minX = width;
  let maxX = -1;
  let minY = height;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > threshold) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  const out = new Float32Array(side * side);
  if (maxX < 0) return out;
  const boxWidth = maxX - minX + 1;
  const boxHeight = maxY - minY + 1;
  const scale = box / Math.max(boxWidth, boxHeight);
  const fittedWidth = Math.max(1, Math.round(boxWidth * scale));
  const fittedHeight = Math.max(1, Math.round(boxHeight * scale));
  // Area average: every source pixel adds to the fitted pixel its centre falls in.
  const sums = new Float64Array(fittedWidth * fittedHeight);
  const counts = new Float64Array(fittedWidth * fittedHeight);
  for (let y = minY; y <= maxY; y++) {
    const ty = Math.min(fittedHeight - 1, Math.floor((y - minY + 0.5) * scale));
    for (let x = minX; x <= maxX; x++) {
      const tx = Math.min(fittedWidth - 1, Math.floor((x - minX + 0.5) * scale));
      sums[ty * fittedWidth + tx] += ink[y * width + x];
      counts[ty * fittedWidth + tx]++;
    }
  }
  let mass = 0;
  let massX = 0;
  let massY = 0;
  const fitted = new Float64Array(fittedWidth * fittedHeight);
  for (let i = 0; i < fitted.length; i++) {
    const value = counts[i] > 0 ? Math.min(1, sums[i] / counts[i]) : 0;
    fitted[i] = value;
    mass += value;
    massX += value * (i % fittedWidth);
    massY += value * Math.floor(i / fittedWidth);
  }
  // Shift so that the centre of mass lands on pixel 14 (the centre of 0..27, rounded as MNIST did).
  const left = Math.round(side / 2 - (mass > 0 ? massX / mass : fittedWidth / 2) - 0.5);
  const top = Math.round(side / 2 - (mass > 0 ? massY / mass : fittedHeight / 2) - 0.5);
  for (let y = 0; y < fittedHeight; y++) {
    const oy = top + y;
    if (oy < 0 || oy >= side) continue;
    for (let x = 0; x < fittedWidth; x++) {
      const ox = left + x;
      if (ox < 0 || ox >= side) continue;
      out[oy * side + ox] = fitted[y * fittedWidth + x];
    }
  }
  return out;
}
