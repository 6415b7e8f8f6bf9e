// <latentlab-latent-map>: the codes of 2,000 test images in 2-D (the code
// itself for a 2-D latent, else its top two principal components), coloured
// by class (digit, or Fashion-MNIST's article), with a legend that names
// them. Hovering (or moving a cursor with the arrow keys) shows the image
// under the pointer.
import { css, html, nothing } from 'lit';
import { aClass, className, sampleNoun } from '../lab/datasets';
import type { ViewData, ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { drawLatentMap, nearestPoint, type PlotFrame } from './latent-plot';
import { paintDigit } from './paint';
import { digitColors } from './palette';
import { viewStyles } from './styles';

const size = 400;
const radius = 2.2;

export class LatentMap extends LabView<'latent-map'> {
  static override styles = [
    viewStyles,
    css`
      .frame {
        position: relative;
        max-width: ${size}px;
      }
      canvas.map {
        width: 100%;
        border: 1px solid var(--latentlab-border, #ddd);
        cursor: crosshair;
      }
      .tip {
        position: absolute;
        pointer-events: none;
        background: var(--latentlab-surface, #fff);
        border: 1px solid var(--latentlab-border, #888);
        border-radius: 0.25rem;
        padding: 0.2rem;
        font-size: 0.8rem;
        text-align: center;
        box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25);
      }
      .tip canvas {
        width: 56px;
        height: 56px;
      }
    `,
  ];
  static override properties = { ...LabView.properties, hovered: { state: true } };
  declare hovered: { index: number; x: number; y: number } | undefined;
  protected readonly kind = 'latent-map';
  #images: Uint8Array | undefined;
  #frame: PlotFrame | undefined;
  #drawn: ViewData['latent-map'] | undefined;
  /** Keyboard cursor, in canvas pixels. */
  #cursor = { x: size / 2, y: size / 2 };

  protected params(): ViewParams['latent-map'] {
    return {};
  }

  protected override receive(data: ViewData['latent-map']): void {
    if (data.images) this.#images = data.images;
    this.data = data;
  }

  override render() {
    return this.withNotice(() => {
      const data = this.data!;
      const hovered = this.hovered;
      const explained = data.explained;
      const dataset = this.datasetName;
      const noun = sampleNoun(dataset);
      // Images without labels are told apart by their place among the test images.
      const nearest =
        hovered && (data.labelled ? aClass(dataset, data.labels[hovered.index]) : `no. ${hovered.index + 1}`);
      const colouring = data.labelled
        ? 'coloured by its class'
        : 'all in one colour (the images have no labels)';
      return html`
        <div class="frame">
          <canvas
            class="map"
            width=${size}
            height=${size}
            role="img"
            tabindex="0"
            aria-label="Latent map: codes of ${data.labels.length} test ${noun}s, one dot per ${noun} ${colouring}. Use the arrow keys to look at the ${noun} nearest to a cursor."
            @pointermove=${this.#onPointer}
            @pointerleave=${() => (this.hovered = undefined)}
            @keydown=${this.#onKey}
            @blur=${() => (this.hovered = undefined)}
          ></canvas>
          ${
            hovered && this.#images
              ? html`<div
                  class="tip"
                  style="left:${this.#tipLeft(hovered.x)}%;top:${(hovered.y / size) * 100}%"
                >
                  <canvas
                    class="digit"
                    width="28"
                    height="28"
                    aria-label="The ${noun} nearest the pointer: ${nearest}"
                  ></canvas>
                  <div>${nearest}</div>
                </div>`
              : nothing
          }
        </div>
        ${
          data.labelled
            ? html`<ul class="legend" aria-label="Legend: the colour of each class">
                ${digitColors.map((color, label) => html`<li><span class="swatch" style="background:${color}"></span>${className(dataset, label)}</li>`)}
              </ul>`
            : html`<p class="stats">No labels: every ${noun} has the same colour.</p>`
        }
        <p class="stats" aria-live="polite">
          ${
            data.axes === 'latent'
              ? 'Axes: the two dimensions of the code.'
              : html`Axes: the codes' top two principal components, holding ${percent(explained?.[0])} and
                ${percent(explained?.[1])} of their variance.`
          }
          ${hovered ? html` Nearest ${noun}: ${nearest}.` : nothing}
        </p>
      `;
    });
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.map');
    const context = canvas?.getContext('2d');
    if (!context || !this.data) return;
    if (this.#drawn !== this.data || !this.#frame) {
      this.#frame = drawLatentMap(context, size, this.data, radius);
      this.#drawn = this.data;
    }
    const tip = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.digit');
    const tipContext = tip?.getContext('2d');
    if (tipContext && this.hovered && this.#images) {
      const image = tipContext.createImageData(28, 28);
      paintDigit(
        new Uint32Array(image.data.buffer),
        28,
        this.#images,
        this.hovered.index,
        0,
        0,
        1,
        undefined,
        1 / 255,
      );
      tipContext.putImageData(image, 0, 0);
    }
  }

  #tipLeft(x: number): number {
    // Keep the tip inside the map: to the right of the pointer, or left of it near the edge.
    return (Math.min(x + 10, size - 80) / size) * 100;
  }

  #onPointer = (event: PointerEvent): void => {
    const canvas = event.currentTarget as HTMLCanvasElement;
    const rect = canvas.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * size;
    const y = ((event.clientY - rect.top) / rect.height) * size;
    this.#hover(x, y);
  };

  #onKey = (event: KeyboardEvent): void => {
    const step = event.shiftKey ? 40 : 10;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    this.#cursor = {
      x: Math.max(0, Math.min(size, this.#cursor.x + move[0])),
      y: Math.max(0, Math.min(size, this.#cursor.y + move[1])),
    };
    this.#hover(this.#cursor.x, this.#cursor.y, 60);
  };

  #hover(x: number, y: number, reach = 12): void {
    if (!this.data || !this.#frame) return;
    const index = nearestPoint(this.data, this.#frame, x, y, reach);
    this.hovered = index < 0 ? undefined : { index, x, y };
  }
}

function percent(fraction: number | undefined): string {
  return fraction === undefined ? '–' : `${Math.round(fraction * 100)}%`;
}

define('latentlab-latent-map', LatentMap);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-latent-map': LatentMap;
  }
}
