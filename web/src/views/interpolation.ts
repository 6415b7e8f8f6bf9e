// <latentlab-interpolation from="2" to="7" steps="10">: decodes codes evenly
// spaced on the line between the codes of two test digits (chosen from
// twenty: two of each digit). A larger cell plays the morph back and forth,
// unless the reader prefers reduced motion (or presses Stop).
import { css, html } from 'lit';
import { aClass, className, sampleNoun } from '../lab/datasets';
import type { ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { paintGrid } from './paint';
import { viewStyles } from './styles';

const framesPerSecond = 8;

export class Interpolation extends LabView<'interpolation'> {
  static override styles = [
    viewStyles,
    css`
      canvas.morph {
        width: 84px;
        border: 1px solid var(--latentlab-border, #ddd);
      }
    `,
  ];
  static override properties = {
    ...LabView.properties,
    from: { type: Number },
    to: { type: Number },
    steps: { type: Number },
    playing: { state: true },
  };
  declare from: number;
  declare to: number;
  declare steps: number;
  declare playing: boolean;
  protected readonly kind = 'interpolation';
  protected override readonly paramProperties = ['from', 'to', 'steps'];
  #frame = 0;
  #animation: number | undefined;
  #lastTick = 0;
  readonly #reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  /** The morph plays only while on screen. */
  #onScreen = false;
  #screen: IntersectionObserver | undefined;

  constructor() {
    super();
    this.from = 2;
    this.to = 7;
    this.steps = 10;
    this.playing = !this.#reducedMotion.matches;
  }

  /** Whether the morph is playing now (only on screen; never for readers who prefer reduced motion). */
  get animating(): boolean {
    return this.#animation !== undefined;
  }

  protected params(): ViewParams['interpolation'] {
    return { from: this.from, to: this.to, steps: this.steps };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#screen = new IntersectionObserver((entries) => {
      this.#onScreen = entries.at(-1)!.isIntersecting;
      this.requestUpdate();
    });
    this.#screen.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#screen?.disconnect();
    this.#stop();
  }

  /** One end in a sentence: 'a 7', or 'image 3' when the images have no labels. */
  #end(end: 0 | 1): string {
    const data = this.data!;
    if (data.labelled) return aClass(this.datasetName, data.ends.labels[end]);
    return `image ${(end === 0 ? this.from : this.to) + 1}`;
  }

  override render() {
    const choices = this.data?.choices.labels;
    const dataset = this.datasetName;
    // Images without labels are named by their place among the choices.
    const name = (label: number, i: number) =>
      this.data?.labelled === false ? `image ${i + 1}` : className(dataset, label);
    const options = (selected: number) =>
      choices
        ? Array.from(
            choices,
            (label, i) =>
              html`<option value=${i} ?selected=${i === selected}>
                ${name(label, i)}${i >= 10 && this.data?.labelled ? ' (another)' : ''}
              </option>`,
          )
        : html`<option>…</option>`;
    const motion = !this.#reducedMotion.matches;
    return html`
      <div class="controls">
        <label
          >From
          <select @change=${(e: Event) => (this.from = Number((e.target as HTMLSelectElement).value))}>
            ${options(this.from)}
          </select></label
        >
        <label
          >to
          <select @change=${(e: Event) => (this.to = Number((e.target as HTMLSelectElement).value))}>
            ${options(this.to)}
          </select></label
        >
        ${
          motion
            ? html`<button type="button" @click=${() => (this.playing = !this.playing)}>
                ${this.playing ? 'Stop the morph' : 'Play the morph'}
              </button>`
            : ''
        }
      </div>
      ${this.withNotice(
        () => html`
          <div class="row">
            <canvas
              class="strip"
              role="img"
              aria-label="Images decoded along the straight line between the codes of the two chosen ${sampleNoun(dataset)}s"
              >Interpolation</canvas
            >
            <canvas
              class="morph"
              width="28"
              height="28"
              role="img"
              aria-label="${motion && this.playing ? 'The morph, playing back and forth' : 'The middle of the interpolation'}"
            ></canvas>
          </div>
          <p class="stats">
            From ${this.#end(0)} to ${this.#end(1)}: the codes of the two ${sampleNoun(dataset)}s, mixed in
            ${this.steps} steps and decoded.
          </p>
        `,
      )}
    `;
  }

  protected override updated(): void {
    super.updated();
    if (this.data && this.playing && this.#onScreen && !this.#reducedMotion.matches) this.#start();
    else this.#stop();
  }

  protected override draw(): void {
    const strip = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.strip');
    const d = this.data;
    if (!strip || !d) return;
    const n = d.images.length / 784;
    paintGrid(strip, d.images, n, { columns: n, scale: 2, gap: 2 });
    if (!this.animating) this.#paintMorph(Math.floor(n / 2));
  }

  #paintMorph(index: number): void {
    const morph = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.morph');
    const d = this.data;
    if (!morph || !d) return;
    paintGrid(morph, d.images.subarray(index * 784, (index + 1) * 784), 1, { columns: 1, scale: 1, gap: 0 });
  }

  #start(): void {
    if (this.#animation !== undefined) return;
    const tick = (time: number) => {
      this.#animation = requestAnimationFrame(tick);
      if (time - this.#lastTick < 1000 / framesPerSecond || !this.data) return;
      this.#lastTick = time;
      const n = this.data.images.length / 784;
      const period = 2 * (n - 1);
      const phase = this.#frame++ % period;
      this.#paintMorph(phase < n ? phase : period - phase);
    };
    this.#animation = requestAnimationFrame(tick);
  }

  #stop(): void {
    if (this.#animation !== undefined) cancelAnimationFrame(this.#animation);
    this.#animation = undefined;
  }
}

define('latentlab-interpolation', Interpolation);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-interpolation': Interpolation;
  }
}
