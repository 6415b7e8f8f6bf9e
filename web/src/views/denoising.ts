// <latentlab-denoising noise="gaussian" level="0.4" count="8">: test digits,
// the same digits corrupted, and the model's reconstructions of the corrupted
// ones. A slider sets the noise level.
import { html } from 'lit';
import { noiseKinds, type NoiseKind } from '../lab/families';
import type { ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { paintRows } from './paint';

const noiseNames: Record<NoiseKind, string> = {
  gaussian: 'Gaussian (std)',
  mask: 'masking (rate)',
  'salt-pepper': 'salt and pepper (rate)',
};

export class Denoising extends LabView<'denoising'> {
  static override properties = {
    ...LabView.properties,
    noise: { type: String },
    level: { type: Number },
    count: { type: Number },
    seed: { type: Number },
  };
  declare noise: NoiseKind;
  declare level: number;
  declare count: number;
  declare seed: number;
  protected readonly kind = 'denoising';
  protected override readonly paramProperties = ['noise', 'level', 'count', 'seed'];

  constructor() {
    super();
    this.noise = 'gaussian';
    this.level = 0.4;
    this.count = 8;
    this.seed = 1;
  }

  protected params(): ViewParams['denoising'] {
    const noise = noiseKinds.includes(this.noise) ? this.noise : 'gaussian';
    const level = Math.max(0.01, Math.min(noise === 'gaussian' ? 2 : 0.99, Number(this.level) || 0.01));
    return { noise, level, count: this.count, seed: this.seed };
  }

  override render() {
    const id = 'level';
    return html`
      <div class="controls">
        <label
          >Noise
          <select @change=${(e: Event) => (this.noise = (e.target as HTMLSelectElement).value as NoiseKind)}>
            ${noiseKinds.map((kind) => html`<option value=${kind} ?selected=${kind === this.noise}>${noiseNames[kind]}</option>`)}
          </select>
        </label>
        <label for=${id}>Level <output>${this.level.toFixed(2)}</output></label>
        <input
          id=${id}
          type="range"
          min="0.05"
          max=${this.noise === 'gaussian' ? 1 : 0.95}
          step="0.05"
          .value=${String(this.level)}
          aria-label="Noise level"
          @input=${(e: Event) => (this.level = Number((e.target as HTMLInputElement).value))}
        />
      </div>
      ${this.withNotice(() => {
        const d = this.data!;
        return html`
          <canvas
            role="img"
            aria-label="Rows: test digits, the digits with noise added, and the model's reconstructions of the noisy digits"
            >Denoising before and after</canvas
          >
          <p class="stats">
            Rows: clean, noisy, denoised. Error against the clean digits (mean squared, per pixel): noisy
            <span class="noisy-mse">${d.noisyMse.toFixed(4)}</span>, denoised
            <span class="denoised-mse">${d.denoisedMse.toFixed(4)}</span>.
          </p>
        `;
      })}
    `;
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const d = this.data;
    if (!canvas || !d) return;
    paintRows(canvas, [d.originals, d.noisy, d.denoised]);
  }
}

define('latentlab-denoising', Denoising);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-denoising': Denoising;
  }
}
