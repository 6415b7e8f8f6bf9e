// <latentlab-loss-curve>: training loss against step, log-scale y axis.
import { html, LitElement } from 'lit';
import { canvasStyles } from './canvas-styles';
import { gridColor, inkColor, lineColor } from './palette';

export interface LossPoint {
  step: number;
  loss: number;
}

const width = 480;
const height = 240;
const margin = { left: 52, right: 12, top: 10, bottom: 28 };

export class LossCurve extends LitElement {
  static override styles = canvasStyles;
  static override properties = { points: { attribute: false } };

  /** Training loss per progress report, in step order. */
  declare points: LossPoint[];

  constructor() {
    super();
    this.points = [];
  }

  /** Adds one point and redraws. */
  addPoint(point: LossPoint): void {
    this.points.push(point);
    this.requestUpdate('points');
  }

  clear(): void {
    this.points = [];
  }

  override render() {
    return html`<canvas width=${width} height=${height} role="img" aria-label="Loss curve"
      >Training loss against step</canvas
    >`;
  }

  override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (context) draw(context, this.points.filter((p) => p.loss > 0 && Number.isFinite(p.loss)));
  }
}

function draw(context: CanvasRenderingContext2D, points: LossPoint[]): void {
  context.clearRect(0, 0, width, height);
  context.font = '12px system-ui, sans-serif';
  context.fillStyle = inkColor;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  if (points.length === 0) {
    context.textAlign = 'center';
    context.fillText('The loss appears here during training', width / 2, height / 2);
    return;
  }
  const logs = points.map((p) => Math.log10(p.loss));
  let low = Math.min(...logs);
  let high = Math.max(...logs);
  if (high - low < 0.1) {
    low -= 0.05;
    high += 0.05;
  }
  const maxStep = Math.max(1, points[points.length - 1].step);
  const x = (step: number) => margin.left + (step / maxStep) * plotWidth;
  const y = (log: number) => margin.top + ((high - log) / (high - low)) * plotHeight;

  context.strokeStyle = gridColor;
  context.lineWidth = 1;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of logTicks(low, high)) {
    const ty = Math.round(y(Math.log10(tick))) + 0.5;
    context.beginPath();
    context.moveTo(margin.left, ty);
    context.lineTo(width - margin.right, ty);
    context.stroke();
    context.fillText(formatTick(tick), margin.left - 6, ty);
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  context.fillText('0', margin.left, height - margin.bottom + 6);
  context.fillText(`step ${maxStep}`, width - margin.right - 30, height - margin.bottom + 6);

  context.strokeStyle = lineColor;
  context.lineWidth = 2;
  context.beginPath();
  points.forEach((p, i) => {
    if (i === 0) context.moveTo(x(p.step), y(logs[i]));
    else context.lineTo(x(p.step), y(logs[i]));
  });
  context.stroke();
}

/** Values 1, 2, 5 x 10^k inside [10^low, 10^high]; only the decades if there are 3 or more. */
function logTicks(low: number, high: number): number[] {
  const ticks: { value: number; decade: boolean }[] = [];
  for (let exponent = Math.floor(low); exponent <= Math.ceil(high); exponent++) {
    for (const m of [1, 2, 5]) {
      const log = exponent + Math.log10(m);
      if (log >= low && log <= high) ticks.push({ value: m * 10 ** exponent, decade: m === 1 });
    }
  }
  const decades = ticks.filter((t) => t.decade);
  return (decades.length >= 3 ? decades : ticks).map((t) => t.value);
}

function formatTick(value: number): string {
  return value >= 0.001 ? String(Number(value.toPrecision(1))) : value.toExponential(0);
}

customElements.define('latentlab-loss-curve', LossCurve);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-loss-curve': LossCurve;
  }
}
