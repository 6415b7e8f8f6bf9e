// <latentlab-loss-curve>: the training objective (per mini-batch, averaged
// over short spans) and the test objective (on 1,000 test digits, at each
// refresh) against epochs, on a log scale, with each term of the objective:
// reconstruction, and the family's penalty (sparsity, contractive, KL).
import { html, nothing } from 'lit';
import type { LossPoint, ViewData, ViewParams } from '../lab/protocol';
import { axisFor, Plot } from './chart';
import { define } from './define';
import { LabView } from './lab-view';

const width = 520;
const height = 260;
const margins = { left: 58, right: 12, top: 10, bottom: 36 };

type Term = 'reconstruction' | 'sparsity' | 'contractive' | 'kl';
const series: { term: 'loss' | Term; label: string; color: string; dash: number[] }[] = [
  { term: 'loss', label: 'objective', color: '#4e79a7', dash: [] },
  { term: 'reconstruction', label: 'reconstruction', color: '#59a14f', dash: [6, 4] },
  { term: 'sparsity', label: 'sparsity penalty', color: '#b07aa1', dash: [6, 4] },
  { term: 'contractive', label: 'contractive penalty', color: '#b07aa1', dash: [6, 4] },
  { term: 'kl', label: 'KL term', color: '#e15759', dash: [6, 4] },
];
const testColor = '#f28e2b';
const mostPointsDrawn = 800;

export class LossCurve extends LabView<'loss'> {
  protected readonly kind = 'loss';
  #train: LossPoint[] = [];
  #test: LossPoint[] = [];

  protected params(): ViewParams['loss'] {
    return {};
  }

  protected override receive(data: ViewData['loss']): void {
    if (data.reset) {
      this.#train = [];
      this.#test = [];
    }
    this.#train.push(...data.train);
    this.#test.push(...data.test);
    this.data = data;
    this.requestUpdate();
  }

  /** Terms with a non-zero value: the family's penalties. */
  #termsShown(): typeof series {
    const points = [...this.#train, ...this.#test];
    return series.filter(
      ({ term }) =>
        term === 'loss' || (term === 'reconstruction' ? hasPenalty(points) : points.some((p) => p[term] > 0)),
    );
  }

  override render() {
    return this.withNotice(() => {
      const shown = this.#termsShown();
      const lastTrain = this.#train.at(-1);
      const lastTest = this.#test.at(-1);
      return html`
        <canvas
          class="chart"
          width=${width}
          height=${height}
          role="img"
          aria-label="Loss curves: the training and test objective${shown.length > 1 ? ' and its terms' : ''} against epochs, log scale"
          >Loss curves</canvas
        >
        <ul class="legend" aria-label="Legend of the loss curves">
          ${shown.map(
            (s) =>
              html`<li>
                <span class="swatch" style="background:${s.color};border-radius:0"></span>training
                ${s.label}${s.dash.length ? ' (dashed)' : ''}
              </li>`,
          )}
          <li><span class="swatch" style="background:${testColor}"></span>test objective (dots)</li>
        </ul>
        <p class="stats">
          ${lastTrain ? html`Training: ${describe(lastTrain, shown)}. ` : nothing}
          ${lastTest ? html`Test: ${describe(lastTest, shown)}.` : nothing}
          ${this.#train.length === 0 ? html`<br />No training in this page yet: train from scratch to watch the curves.` : nothing}
        </p>
      `;
    });
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, width, height);
    const shown = this.#termsShown();
    const train = thin(this.#train, mostPointsDrawn);
    const values: number[] = [];
    for (const p of [...train, ...this.#test]) for (const s of shown) values.push(p[s.term]);
    const epochs = [...train, ...this.#test].map((p) => p.epochs);
    const x = { low: 0, high: Math.max(0.1, ...epochs), log: false };
    const plot = new Plot(context, width, height, margins, x, axisFor(values, true));
    plot.drawAxes('epochs', 'loss (log scale)');
    for (const s of shown) {
      plot.line(
        train.flatMap((p) => [p.epochs, p[s.term]]),
        s.color,
        s.term === 'loss' ? 2 : 1.5,
        s.dash,
      );
    }
    plot.line(
      this.#test.flatMap((p) => [p.epochs, p.loss]),
      testColor,
      1.5,
    );
    for (const p of this.#test) plot.dot(p.epochs, p.loss, testColor, 3);
    if (this.#train.length === 0) {
      context.fillStyle = '#555';
      context.font = '13px system-ui, sans-serif';
      context.textAlign = 'center';
      context.fillText(
        'The curves appear here while the model trains.',
        (plot.left + plot.right) / 2,
        (plot.top + plot.bottom) / 2,
      );
    }
  }
}

function hasPenalty(points: LossPoint[]): boolean {
  return points.some((p) => p.sparsity > 0 || p.contractive > 0 || p.kl > 0);
}

function describe(point: LossPoint, shown: typeof series): string {
  return shown.map((s) => `${s.label} ${formatLoss(point[s.term])}`).join(', ');
}

function formatLoss(value: number): string {
  return value >= 100 ? value.toFixed(1) : value.toPrecision(3);
}

/** Every k-th point (and the last), so that at most about `most` are drawn. */
function thin(points: LossPoint[], most: number): LossPoint[] {
  if (points.length <= most) return points;
  const stride = Math.ceil(points.length / most);
  const out = points.filter((_, i) => i % stride === 0);
  if (out.at(-1) !== points.at(-1)) out.push(points.at(-1)!);
  return out;
}

define('latentlab-loss-curve', LossCurve);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-loss-curve': LossCurve;
  }
}
