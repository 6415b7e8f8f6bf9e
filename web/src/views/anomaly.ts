// <latentlab-anomaly anomalies="noise|inverted|held-out" level="0.3">:
// anomaly detection by reconstruction error. The scores of normal test
// digits against those of anomalies (noisy, inverted, or of a digit the
// model never trained on), a threshold slider, and the ROC curve with its
// area (AUC).
import { css, html } from 'lit';
import { sampleNoun } from '../lab/datasets';
import type { AnomalyKind, ViewData, ViewParams } from '../lab/protocol';
import { axisFor, Plot } from './chart';
import { define } from './define';
import { LabView } from './lab-view';
import { viewStyles } from './styles';

const histogramWidth = 420;
const rocSize = 240;
const height = 240;
const bins = 40;
const normalColor = '#4e79a7';
const anomalyColor = '#e15759';
const kinds: { kind: AnomalyKind; label: (noun: string) => string }[] = [
  { kind: 'noise', label: (noun) => `noisy ${noun}s` },
  { kind: 'inverted', label: (noun) => `inverted ${noun}s` },
  { kind: 'held-out', label: (noun) => (noun === 'digit' ? 'a held-out digit' : 'a held-out class') },
];

export class Anomaly extends LabView<'anomaly'> {
  static override styles = [
    viewStyles,
    css`
      input.threshold {
        width: 14rem;
      }
    `,
  ];
  static override properties = {
    ...LabView.properties,
    anomalies: { type: String },
    level: { type: Number },
    threshold: { type: Number },
  };
  declare anomalies: AnomalyKind;
  declare level: number;
  /** Scores above it are flagged; NaN: the 95th percentile of normal scores. */
  declare threshold: number;
  protected readonly kind = 'anomaly';
  protected override readonly paramProperties = ['anomalies', 'level'];

  constructor() {
    super();
    this.anomalies = 'noise';
    this.level = 0.3;
    this.threshold = NaN;
  }

  protected params(): ViewParams['anomaly'] {
    const anomalies = kinds.some((k) => k.kind === this.anomalies) ? this.anomalies : 'noise';
    return { anomalies, level: this.level };
  }

  protected override receive(data: ViewData['anomaly']): void {
    const previous = this.data;
    this.data = data;
    if (!previous || Number.isNaN(this.threshold) || previous.description !== data.description) {
      this.threshold = percentile(data.normal, 0.95);
    }
  }

  override render() {
    return html`
      <div class="controls">
        <label
          >Anomalies
          <select
            @change=${(e: Event) => (this.anomalies = (e.target as HTMLSelectElement).value as AnomalyKind)}
          >
            ${kinds.map((k) => html`<option value=${k.kind} ?selected=${k.kind === this.anomalies}>${k.label(sampleNoun(this.datasetName))}</option>`)}
          </select>
        </label>
        ${
          this.anomalies === 'noise'
            ? html`<label
                >Noise std <output>${this.level.toFixed(2)}</output>
                <input
                  type="range"
                  min="0.05"
                  max="1"
                  step="0.05"
                  .value=${String(this.level)}
                  aria-label="Standard deviation of the noise added to the anomalies"
                  @change=${(e: Event) => (this.level = Number((e.target as HTMLInputElement).value))}
              /></label>`
            : ''
        }
      </div>
      ${this.withNotice(() => this.#content())}
    `;
  }

  #content() {
    const d = this.data!;
    const { low, high } = scoreRange(d);
    const rates = flagged(d, this.threshold);
    return html`
      <div class="row">
        <canvas
          class="chart histogram"
          width=${histogramWidth}
          height=${height}
          role="img"
          aria-label="Histograms of the anomaly scores of normal test ${sampleNoun(this.datasetName)}s (blue) and of anomalies (red), with the threshold as a vertical line"
          >Score histograms</canvas
        >
        <canvas
          class="chart roc"
          width=${rocSize}
          height=${height}
          role="img"
          aria-label="ROC curve, area under it ${d.auc.toFixed(3)}"
          >ROC curve</canvas
        >
      </div>
      <div class="controls">
        <label
          >Threshold <output>${this.threshold.toPrecision(3)}</output>
          <input
            class="threshold"
            type="range"
            min=${low}
            max=${high}
            step=${(high - low) / 200}
            .value=${String(this.threshold)}
            aria-label="Threshold: scores above it are flagged as anomalies"
            @input=${(e: Event) => (this.threshold = Number((e.target as HTMLInputElement).value))}
        /></label>
      </div>
      <p class="stats">
        ${d.description}. Score: reconstruction error summed over pixels (a VAE adds its KL term). Area under
        the ROC curve:
        <strong class="auc">${d.auc.toFixed(3)}</strong>. Above the threshold: ${percent(rates.truePositive)}
        of anomalies and ${percent(rates.falsePositive)} of normal ${sampleNoun(this.datasetName)}s.
      </p>
    `;
  }

  protected override draw(): void {
    const d = this.data;
    const histogram = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.histogram')?.getContext('2d');
    const roc = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.roc')?.getContext('2d');
    if (!d || !histogram || !roc) return;
    const { low, high } = scoreRange(d);
    const width = (high - low) / bins;
    const count = (scores: Float32Array) => {
      const counts = new Array<number>(bins).fill(0);
      for (const s of scores) counts[Math.max(0, Math.min(bins - 1, Math.floor((s - low) / width)))]++;
      return counts;
    };
    const normal = count(d.normal);
    const anomalous = count(d.anomalous);
    histogram.clearRect(0, 0, histogramWidth, height);
    const plot = new Plot(
      histogram,
      histogramWidth,
      height,
      { left: 46, right: 10, top: 10, bottom: 36 },
      { low, high, log: false },
      axisFor([...normal, ...anomalous], false, true),
    );
    plot.drawAxes('anomaly score (last bin: that or more)', `${sampleNoun(this.datasetName)}s`);
    for (const [counts, color] of [
      [normal, normalColor],
      [anomalous, anomalyColor],
    ] as const) {
      histogram.globalAlpha = 0.55;
      histogram.fillStyle = color;
      counts.forEach((n, i) => {
        const x0 = plot.px(low + i * width);
        const x1 = plot.px(low + (i + 1) * width);
        histogram.fillRect(x0, plot.py(n), Math.max(1, x1 - x0 - 0.5), plot.bottom - plot.py(n));
      });
    }
    histogram.globalAlpha = 1;
    const tx = plot.px(Math.min(high, Math.max(low, this.threshold)));
    histogram.strokeStyle = '#222';
    histogram.lineWidth = 2;
    histogram.setLineDash([5, 3]);
    histogram.beginPath();
    histogram.moveTo(tx, plot.top);
    histogram.lineTo(tx, plot.bottom);
    histogram.stroke();
    histogram.setLineDash([]);
    histogram.font = '12px system-ui, sans-serif';
    histogram.textAlign = 'right';
    histogram.fillStyle = normalColor;
    histogram.fillText('normal', plot.right - 6, plot.top + 12);
    histogram.fillStyle = anomalyColor;
    histogram.fillText('anomalies', plot.right - 6, plot.top + 28);

    roc.clearRect(0, 0, rocSize, height);
    const square = new Plot(
      roc,
      rocSize,
      height,
      { left: 46, right: 10, top: 10, bottom: 36 },
      { low: 0, high: 1, log: false },
      { low: 0, high: 1, log: false },
    );
    square.drawAxes('false positive rate', 'true positive rate');
    square.line([0, 0, 1, 1], '#bbb', 1, [4, 4]);
    square.line(d.roc, anomalyColor, 2);
    const rates = flagged(d, this.threshold);
    square.dot(rates.falsePositive, rates.truePositive, '#222', 4);
  }
}

function scoreRange(d: ViewData['anomaly']): { low: number; high: number } {
  const all = Float32Array.from([...d.normal, ...d.anomalous]).sort();
  const low = all[0] ?? 0;
  const high = all[Math.floor(0.99 * (all.length - 1))] ?? 1;
  return { low, high: high > low ? high : low + 1 };
}

function flagged(d: ViewData['anomaly'], threshold: number) {
  const above = (scores: Float32Array) =>
    scores.reduce((n, s) => n + (s > threshold ? 1 : 0), 0) / (scores.length || 1);
  return { truePositive: above(d.anomalous), falsePositive: above(d.normal) };
}

function percentile(values: Float32Array, fraction: number): number {
  const sorted = values.slice().sort();
  return sorted[Math.floor(fraction * (sorted.length - 1))] ?? 0;
}

function percent(fraction: number): string {
  return `${Math.round(100 * fraction)}%`;
}

define('latentlab-anomaly', Anomaly);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-anomaly': Anomaly;
  }
}
