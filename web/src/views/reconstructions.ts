// <latentlab-reconstructions>: fixed test digits, each beside the model's
// reconstruction of it (white ink on black, as MNIST is stored).
import { html, LitElement } from 'lit';
import { canvasStyles } from './canvas-styles';

const side = 28; // pixels of a digit
const scale = 2; // canvas pixels per digit pixel
const cell = side * scale;
const pairGap = 4; // between a digit and its reconstruction
const columnGap = 14;
const rowGap = 10;
const pairsPerRow = 4;
const pairWidth = 2 * cell + pairGap;
const width = pairsPerRow * pairWidth + (pairsPerRow - 1) * columnGap;

export class Reconstructions extends LitElement {
  static override styles = canvasStyles;
  static override properties = {
    originals: { attribute: false },
    reconstructions: { attribute: false },
  };

  /** count x 784 pixel values in [0, 1]. */
  declare originals: Float32Array | undefined;
  /** Reconstructions of `originals`, same shape; blank cells until set. */
  declare reconstructions: Float32Array | undefined;

  get count(): number {
    return this.originals ? Math.floor(this.originals.length / (side * side)) : 0;
  }

  override render() {
    const rows = Math.max(1, Math.ceil(this.count / pairsPerRow));
    const height = rows * cell + (rows - 1) * rowGap;
    return html`<canvas width=${width} height=${height} role="img"
      aria-label="Test digits and their reconstructions"
      >Each test digit beside its reconstruction</canvas
    >`;
  }

  override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context || !this.originals) return;
    const image = context.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < this.count; i++) {
      const left = (i % pairsPerRow) * (pairWidth + columnGap);
      const top = Math.floor(i / pairsPerRow) * (cell + rowGap);
      paintDigit(image, this.originals, i, left, top);
      if (this.reconstructions && this.reconstructions.length === this.originals.length) {
        paintDigit(image, this.reconstructions, i, left + cell + pairGap, top);
      } else {
        paintBlank(image, left + cell + pairGap, top);
      }
    }
    context.putImageData(image, 0, 0);
  }
}

/** Draws digit `index` of `pixels` (n x 784, in [0, 1]) at (left, top), scaled up. */
function paintDigit(image: ImageData, pixels: Float32Array, index: number, left: number, top: number): void {
  const offset = index * side * side;
  for (let y = 0; y < cell; y++) {
    for (let x = 0; x < cell; x++) {
      const value = pixels[offset + Math.floor(y / scale) * side + Math.floor(x / scale)];
      const level = Math.round(255 * Math.min(1, Math.max(0, value)));
      setPixel(image, left + x, top + y, level, level, level);
    }
  }
}

function paintBlank(image: ImageData, left: number, top: number): void {
  for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) setPixel(image, left + x, top + y, 70, 70, 70);
}

function setPixel(image: ImageData, x: number, y: number, r: number, g: number, b: number): void {
  const at = 4 * (y * image.width + x);
  image.data[at] = r;
  image.data[at + 1] = g;
  image.data[at + 2] = b;
  image.data[at + 3] = 255;
}

customElements.define('latentlab-reconstructions', Reconstructions);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-reconstructions': Reconstructions;
  }
}
