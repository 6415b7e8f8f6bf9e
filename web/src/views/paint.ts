// Pixel painting shared by the views: MNIST digits (white ink on black, as
// stored), signed weights (blue negative, red positive) and other square
// images (convolution kernels, feature maps), scaled up
// without smoothing into an ImageData. Colours come from 256-entry lookup
// tables of packed RGBA words written through a Uint32Array, so that a grid
// of hundreds of digits paints in a few milliseconds (the page's thread must
// never be busy for long).

/** The side of a digit; other images say theirs (GridLayout.side). */
const digitSide = 28;

/** A colour scale: `lut[i]` is the packed RGBA of values at `low + i / 255 * (high - low)`. */
export interface Palette {
  lut: Uint32Array;
  low: number;
  high: number;
}

/** Packs r, g, b (0-255) and full alpha into one little-endian RGBA word. */
function pack(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function palette(low: number, high: number, color: (t: number) => [number, number, number]): Palette {
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; i++) lut[i] = pack(...color(i / 255));
  return { lut, low, high };
}

/** Values in [0, 1] as grey levels. */
export const grey: Palette = palette(0, 1, (t) => {
  const level = Math.round(255 * t);
  return [level, level, level];
});

/** Values in [-1, 1]: blue, white at 0, red. */
export const diverging: Palette = palette(-1, 1, (t) => {
  const v = 2 * t - 1;
  const fade = Math.round(255 * (1 - Math.abs(v)));
  return v < 0 ? [fade, fade, 255] : [255, fade, fade];
});

const white = pack(255, 255, 255);

/**
 * Paints image `index` of `images` (n x side x side, by default digits:
 * n x 784) at (left, top) of `target` (a packed-RGBA view of an ImageData
 * `width` pixels wide), each pixel a `scale` x `scale` block; values are
 * multiplied by `gain` before colouring.
 */
export function paintDigit(
  target: Uint32Array,
  width: number,
  images: ArrayLike<number>,
  index: number,
  left: number,
  top: number,
  scale: number,
  colors: Palette = grey,
  gain = 1,
  side = digitSide,
): void {
  const height = target.length / width;
  const offset = index * side * side;
  const { lut, low, high } = colors;
  const toIndex = 255 / (high - low);
  for (let y = 0; y < side; y++) {
    const row = top + y * scale;
    if (row < 0 || row + scale > height) continue;
    const start = row * width + left;
    for (let x = 0; x < side; x++) {
      const value = (images[offset + y * side + x] * gain - low) * toIndex;
      const color = lut[value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value)];
      const at = start + x * scale;
      for (let dx = 0; dx < scale; dx++) target[at + dx] = color;
    }
    for (let dy = 1; dy < scale; dy++) target.copyWithin(start + dy * width, start, start + side * scale);
  }
}

export interface GridLayout {
  columns: number;
  scale: number;
  gap: number;
  /** The images' side in pixels (default 28: digits). */
  side?: number;
}

/** Canvas size of a grid of `count` digits. */
export function gridSize(
  count: number,
  { columns, scale, gap, side = digitSide }: GridLayout,
): { width: number; height: number } {
  const cell = side * scale;
  const rows = Math.max(1, Math.ceil(count / columns));
  const used = Math.min(columns, Math.max(1, count));
  return { width: used * cell + (used - 1) * gap, height: rows * cell + (rows - 1) * gap };
}

/**
 * Paints `count` digits row by row (white gaps) and puts them on the canvas,
 * resized to fit; `gainOf(i)` scales digit i's values (e.g. to its largest weight).
 */
export function paintGrid(
  canvas: HTMLCanvasElement,
  images: ArrayLike<number>,
  count: number,
  layout: GridLayout,
  colors: Palette = grey,
  gainOf: (index: number) => number = () => 1,
): void {
  const { width, height } = gridSize(count, layout);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  pixels.fill(white);
  const side = layout.side ?? digitSide;
  const cell = side * layout.scale;
  for (let i = 0; i < count; i++) {
    const left = (i % layout.columns) * (cell + layout.gap);
    const top = Math.floor(i / layout.columns) * (cell + layout.gap);
    paintDigit(pixels, width, images, i, left, top, layout.scale, colors, gainOf(i), side);
  }
  context.putImageData(image, 0, 0);
}

/** Paints sets of equally many digits as rows of a grid, one set per row (e.g. before / after). */
export function paintRows(canvas: HTMLCanvasElement, sets: Float32Array[]): void {
  const perRow = sets[0].length / 784;
  const images = new Float32Array(sets.length * perRow * 784);
  sets.forEach((set, row) => images.set(set, row * perRow * 784));
  paintGrid(canvas, images, sets.length * perRow, { columns: perRow, scale: 2, gap: 2 });
}

/** 1 / the largest absolute value among image `index`'s pixels (to scale weights to [-1, 1]). */
export function inverseMaxAbs(images: ArrayLike<number>, index: number, side = digitSide): number {
  let largest = 0;
  for (let i = index * side * side; i < (index + 1) * side * side; i++)
    largest = Math.max(largest, Math.abs(images[i]));
  return largest > 0 ? 1 / largest : 1;
}
