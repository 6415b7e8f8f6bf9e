// <latentlab-feature-maps image="3">: one test image followed through a
// convolutional encoder: the image, then every convolution's channels as
// small grey images (each layer scaled to its own largest activation), the
// features the dense layers and the code are computed from.
import { css, html, nothing } from 'lit';
import { className, sampleNoun } from '../lab/datasets';
import type { ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { diverging, grey, paintGrid } from './paint';
import { viewStyles } from './styles';

/** A map is drawn about as wide as a digit at twice its size. */
const mapWidth = 56;

export class FeatureMaps extends LabView<'feature-maps'> {
  static override styles = [
    viewStyles,
    css`
      figure {
        margin: 0 0 0.6rem;
      }
      figcaption {
        font-size: 0.85rem;
        color: var(--latentlab-muted, #444);
      }
      canvas {
        max-width: 100%;
      }
    `,
  ];
  static override properties = { ...LabView.properties, image: { type: Number } };
  /** Which of the test images offered (two of each class) to show. */
  declare image: number;
  protected readonly kind = 'feature-maps';
  protected override readonly paramProperties = ['image'];

  constructor() {
    super();
    this.image = 0;
  }

  protected params(): ViewParams['feature-maps'] {
    return { image: this.image };
  }

  override render() {
    const dataset = this.datasetName;
    const choices = this.data?.choices;
    return html`
      <div class="controls">
        <label
          >${sampleNoun(dataset) === 'digit' ? 'Digit' : 'Image'}
          <select @change=${(e: Event) => (this.image = Number((e.target as HTMLSelectElement).value))}>
            ${
              choices
                ? Array.from(
                    choices,
                    (label, i) =>
                      html`<option value=${i} ?selected=${i === this.image}>
                        ${className(dataset, label)}${i >= 10 ? ' (another)' : ''}
                      </option>`,
                  )
                : html`<option>…</option>`
            }
          </select></label
        >
      </div>
      ${this.withNotice(() => {
        const d = this.data!;
        return html`
          <figure>
            <figcaption>Input: ${className(dataset, d.label)}, 28 × 28</figcaption>
            <canvas class="input" role="img" aria-label="The input image">Input</canvas>
          </figure>
          ${d.layers.map(
            (layer, i) => html`
              <figure>
                <figcaption>
                  Convolution ${i + 1}: ${layer.channels} channels of ${layer.side} × ${layer.side}
                </figcaption>
                <canvas
                  class="layer"
                  role="img"
                  aria-label="The ${layer.channels} feature maps of convolution ${i + 1}, brighter where the channel responds"
                  >Feature maps of convolution ${i + 1}</canvas
                >
              </figure>
            `,
          )}
          ${d.layers.length ? html`<p class="stats">Brighter: a stronger response (each layer scaled to its largest).</p>` : nothing}
        `;
      })}
    `;
  }

  protected override draw(): void {
    const d = this.data;
    const input = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.input');
    if (!d || !input) return;
    paintGrid(input, d.image, 1, { columns: 1, scale: 2, gap: 0 });
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.layer');
    d.layers.forEach((layer, i) => {
      const canvas = canvases[i];
      if (!canvas) return;
      let largest = 0;
      let negative = false;
      for (const value of layer.maps) {
        largest = Math.max(largest, Math.abs(value));
        negative ||= value < 0;
      }
      // ReLU and sigmoid maps are grey from 0; tanh maps are signed (blue below 0, red above).
      const gain = largest > 0 ? 1 / largest : 1;
      const scale = Math.max(1, Math.round(mapWidth / layer.side));
      paintGrid(
        canvas,
        layer.maps,
        layer.channels,
        { columns: Math.min(layer.channels, 16), scale, gap: 2, side: layer.side },
        negative ? diverging : grey,
        () => gain,
      );
    });
  }
}

define('latentlab-feature-maps', FeatureMaps);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-feature-maps': FeatureMaps;
  }
}
