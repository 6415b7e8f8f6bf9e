// <latentlab-drawing-pad>: draw a digit; as you draw, the model's
// reconstruction of it, its place on the latent map and its anomaly score
// (against test digits) follow. "Draw an example" draws one for keyboard
// users.
import { css, html, nothing } from 'lit';
import { sampleNoun } from '../lab/datasets';
import type { LatentMapData, ViewData, ViewParams } from '../lab/protocol';
import { toMnistDigit } from '../lab/mnist-preprocess';
import { define } from './define';
import { LabView } from './lab-view';
import { drawLatentMap } from './latent-plot';
import { paintGrid } from './paint';
import { viewStyles } from './styles';

const padSize = 280;
const brush = 22;
const mapSize = 200;

/** Strokes of a few digits, in pad fractions, for "Draw an example". */
const examples: { digit: string; strokes: [number, number][][] }[] = [
  {
    digit: '7',
    strokes: [
      [
        [0.27, 0.22],
        [0.73, 0.22],
        [0.6, 0.45],
        [0.45, 0.82],
      ],
    ],
  },
  {
    digit: '0',
    strokes: [
      Array.from(
        { length: 25 },
        (_, i) =>
          [0.5 + 0.22 * Math.sin((i / 24) * 2 * Math.PI), 0.5 - 0.32 * Math.cos((i / 24) * 2 * Math.PI)] as [
            number,
            number,
          ],
      ),
    ],
  },
  {
    digit: '3',
    strokes: [
      [
        [0.3, 0.22],
        [0.55, 0.17],
        [0.68, 0.3],
        [0.5, 0.47],
        [0.7, 0.62],
        [0.6, 0.8],
        [0.3, 0.8],
      ],
    ],
  },
  {
    digit: '1',
    strokes: [
      [
        [0.42, 0.27],
        [0.53, 0.17],
        [0.53, 0.83],
      ],
    ],
  },
];

export class DrawingPad extends LabView<'probe'> {
  static override styles = [
    viewStyles,
    css`
      canvas.pad {
        width: ${padSize}px;
        max-width: 100%;
        touch-action: none;
        cursor: crosshair;
        border: 1px solid var(--latentlab-control, #345);
        border-radius: 0.3rem;
        background: #000;
      }
      canvas.reconstruction {
        width: 112px;
        border: 1px solid var(--latentlab-border, #ddd);
      }
      canvas.mini-map {
        width: ${mapSize}px;
        max-width: 100%;
        border: 1px solid var(--latentlab-border, #ddd);
      }
    `,
  ];
  static override properties = { ...LabView.properties, image: { state: true } };
  declare image: Float32Array | undefined;
  protected readonly kind = 'probe';
  protected override readonly paramProperties = ['image'];
  #map: LatentMapData | undefined;
  #drawing = false;
  #last: [number, number] | undefined;
  #frameRequested = false;
  /** When the digit waiting for an answer was sent (0: none waiting). */
  #sentAt = 0;
  #example = 0;
  #padReady = false;

  protected params(): ViewParams['probe'] {
    return { image: this.image };
  }

  protected override receive(data: ViewData['probe']): void {
    if (data.map) this.#map = data.map;
    this.data = data;
    this.#sentAt = 0;
  }

  override render() {
    // The pad stays in place while the model loads, so that drawings survive.
    const d = this.data;
    const score = d?.score;
    const noun = sampleNoun(this.datasetName);
    return html`
      <div class="controls">
        <button type="button" @click=${this.#clear}>Clear</button>
        <button type="button" @click=${this.#drawExample}>Draw an example</button>
      </div>
      <div class="row">
        <div>
          <p class="label">Draw a digit here</p>
          <canvas
            class="pad"
            width=${padSize}
            height=${padSize}
            aria-label="Drawing pad: draw a digit with the mouse, a pen or a finger, or press Draw an example"
            @pointerdown=${this.#down}
            @pointermove=${this.#move}
            @pointerup=${this.#up}
            @pointercancel=${this.#up}
          ></canvas>
        </div>
        <div>
          <p class="label">Its reconstruction</p>
          <canvas
            class="reconstruction"
            width="28"
            height="28"
            role="img"
            aria-label="The model's reconstruction of the drawing"
          ></canvas>
          <p class="stats score" aria-live="polite">
            ${
              score === undefined
                ? 'Anomaly score: draw something.'
                : html`Anomaly score <strong>${score.toPrecision(3)}</strong>: higher than
                    ${Math.round(100 * (d!.percentile ?? 0))}% of test
                    ${noun}s${(d!.percentile ?? 0) > 0.95 ? ' (unusual)' : ''}.`
            }
          </p>
        </div>
        <div>
          <p class="label">Its place on the latent map</p>
          <canvas
            class="mini-map"
            width=${mapSize}
            height=${mapSize}
            role="img"
            aria-label="Latent map of test ${noun}s with the drawing marked by a cross"
          ></canvas>
        </div>
      </div>
      ${this.notice ? html`<p class="notice" role="status">${this.notice.message}</p>` : nothing}
    `;
  }

  protected override firstUpdated(): void {
    this.#clear();
  }

  protected override updated(): void {
    if (!this.#padReady) return;
    this.draw();
  }

  protected override draw(): void {
    const d = this.data;
    const reconstruction = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.reconstruction');
    if (reconstruction) {
      if (d?.reconstruction) paintGrid(reconstruction, d.reconstruction, 1, { columns: 1, scale: 1, gap: 0 });
      else reconstruction.getContext('2d')?.clearRect(0, 0, 28, 28);
    }
    const map = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.mini-map');
    const context = map?.getContext('2d');
    if (context && this.#map) drawLatentMap(context, mapSize, this.#map, 1.3, d?.point);
  }

  #pad(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector<HTMLCanvasElement>('canvas.pad');
  }

  #clear = (): void => {
    const pad = this.#pad();
    const context = pad?.getContext('2d', { willReadFrequently: true });
    if (!context) return;
    context.fillStyle = '#000';
    context.fillRect(0, 0, padSize, padSize);
    this.#padReady = true;
    this.image = undefined;
  };

  #drawExample = (): void => {
    this.#clear();
    const example = examples[this.#example++ % examples.length];
    for (const stroke of example.strokes) {
      stroke.forEach(([x, y], i) => {
        const point: [number, number] = [x * padSize, y * padSize];
        if (i === 0) this.#last = point;
        this.#line(point);
      });
    }
    this.#last = undefined;
    this.#scheduleSend();
  };

  #position(event: PointerEvent): [number, number] {
    const rect = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    return [
      ((event.clientX - rect.left) / rect.width) * padSize,
      ((event.clientY - rect.top) / rect.height) * padSize,
    ];
  }

  #down = (event: PointerEvent): void => {
    (event.currentTarget as HTMLCanvasElement).setPointerCapture(event.pointerId);
    this.#drawing = true;
    this.#last = this.#position(event);
    this.#line(this.#last);
    this.#scheduleSend();
  };

  #move = (event: PointerEvent): void => {
    if (!this.#drawing) return;
    this.#line(this.#position(event));
    this.#scheduleSend();
  };

  #up = (): void => {
    this.#drawing = false;
    this.#last = undefined;
    this.#scheduleSend();
  };

  #line(to: [number, number]): void {
    const context = this.#pad()?.getContext('2d', { willReadFrequently: true });
    if (!context) return;
    const from = this.#last ?? to;
    context.strokeStyle = '#fff';
    context.lineWidth = brush;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from[0], from[1]);
    context.lineTo(to[0], to[1]);
    context.stroke();
    this.#last = to;
  }

  /** At most one digit per frame, and one request in flight: the worker always gets the latest drawing. */
  #scheduleSend(): void {
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    requestAnimationFrame(() => {
      this.#frameRequested = false;
      // Waiting for an answer (but not for ever: the worker may answer with a notice instead).
      if (this.#sentAt > 0 && performance.now() - this.#sentAt < 1000) {
        setTimeout(() => this.#scheduleSend(), 30);
        return;
      }
      const context = this.#pad()?.getContext('2d', { willReadFrequently: true });
      if (!context) return;
      const rgba = context.getImageData(0, 0, padSize, padSize).data;
      const ink = new Float32Array(padSize * padSize);
      for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i] / 255;
      this.#sentAt = performance.now();
      this.image = toMnistDigit(ink, padSize, padSize);
    });
  }
}

define('latentlab-drawing-pad', DrawingPad);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-drawing-pad': DrawingPad;
  }
}
