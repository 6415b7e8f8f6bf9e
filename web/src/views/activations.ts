// <latentlab-activations>: how the first hidden layer fires on 500 test
// digits. Left: a histogram of all its activations (log counts); right: a
// histogram of each unit's mean activation, with the KL target ρ marked.
// A sparse layer piles its activations at zero.
import { html } from 'lit';
import type { ViewParams } from '../lab/protocol';
import { axisFor, Plot } from './chart';
import { define } from './define';
import { LabView } from './lab-view';

const width = 520;
const height = 220;
const panel = width / 2;
const margins = { left: 52, right: 10, top: 10, bottom: 36 };
const barColor = '#4e79a7';
const unitColor = '#59a14f';
const targetColor = '#e15759';

export class Activations extends LabView<'activations'> {
  protected readonly kind = 'activations';

  protected params(): ViewParams['activations'] {
    return {};
  }

  override render() {
    return this.withNotice(() => {
      const d = this.data!;
      return html`
        <canvas
          class="chart"
          width=${width}
          height=${height}
          role="img"
          aria-label="Histograms of the first hidden layer's activations on test digits (left) and of each unit's mean activation (right)"
          >Hidden activation histograms</canvas
        >
        <p class="stats">
          ${d.activation} ${d.units}. Mean activation
          <span class="mean">${d.meanActivation.toFixed(3)}</span>${
            d.target !== undefined ? ` (target ρ = ${d.target})` : ''
          }; <span class="inactive">${Math.round(100 * d.fractionInactive)}%</span> of activations are below
          0.01 in size.
        </p>
      `;
    });
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const context = canvas?.getContext('2d');
    const d = this.data;
    if (!context || !d) return;
    context.clearRect(0, 0, width, height);
    // All activations: bars on a log count axis.
    const bins = d.counts.length;
    const binWidth = (d.high - d.low) / bins;
    const counts = Array.from(d.counts);
    const left = new Plot(
      context,
      panel,
      height,
      margins,
      { low: d.low, high: d.high, log: false },
      axisFor(
        counts.map((c) => c + 1),
        true,
      ),
    );
    left.drawAxes('activation', 'count + 1 (log)');
    context.fillStyle = barColor;
    counts.forEach((count, i) => {
      const x0 = left.px(d.low + i * binWidth);
      const x1 = left.px(d.low + (i + 1) * binWidth);
      const y = left.py(count + 1);
      context.fillRect(x0 + 0.5, y, Math.max(1, x1 - x0 - 1), left.bottom - y);
    });
    // Mean activation per unit.
    context.save();
    context.translate(panel, 0);
    const means = Array.from(d.unitMeans);
    const high = Math.max(d.target ?? 0, ...means) * 1.05 || 1;
    const low = Math.min(0, ...means);
    const unitBins = 20;
    const unitCounts = new Array<number>(unitBins).fill(0);
    for (const m of means)
      unitCounts[Math.min(unitBins - 1, Math.floor(((m - low) / (high - low)) * unitBins))]++;
    const right = new Plot(
      context,
      panel,
      height,
      margins,
      { low, high, log: false },
      axisFor(unitCounts, false, true),
    );
    right.drawAxes('mean activation of a unit', 'units');
    context.fillStyle = unitColor;
    unitCounts.forEach((count, i) => {
      const x0 = right.px(low + (i * (high - low)) / unitBins);
      const x1 = right.px(low + ((i + 1) * (high - low)) / unitBins);
      const y = right.py(count);
      context.fillRect(x0 + 0.5, y, Math.max(1, x1 - x0 - 1), right.bottom - y);
    });
    if (d.target !== undefined) {
      const x = right.px(d.target);
      context.strokeStyle = targetColor;
      context.lineWidth = 2;
      context.beginPath();
      context.moveTo(x, right.top);
      context.lineTo(x, right.bottom);
      context.stroke();
      context.fillStyle = targetColor;
      context.font = '12px system-ui, sans-serif';
      context.textAlign = 'left';
      context.fillText('ρ', x + 3, right.top + 12);
    }
    context.restore();
  }
}

define('latentlab-activations', Activations);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-activations': Activations;
  }
}
