// <latentlab-latent-map>: test digits' codes projected to 2-D, one dot per
// digit coloured by its label, with a legend.
import { css, html, LitElement } from 'lit';
import { canvasStyles } from './canvas-styles';
import { digitColors } from './palette';

const size = 400;
const padding = 8;
const radius = 2;

export class LatentMap extends LitElement {
  static override styles = [
    canvasStyles,
    css`
      canvas {
        max-width: ${size}px;
        border: 1px solid #ddd;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.3rem;
      }
      .swatch {
        display: inline-block;
        width: 0.8rem;
        height: 0.8rem;
        border-radius: 50%;
      }
      p {
        margin: 0.25rem 0 0;
        font-size: 0.85rem;
      }
    `,
  ];
  static override properties = {
    points: { attribute: false },
    labels: { attribute: false },
    explainedVariance: { attribute: false },
  };

  /** n x 2 coordinates (x, y per point). */
  declare points: Float32Array | undefined;
  /** Digit of each point. */
  declare labels: Uint8Array | undefined;
  /** Fraction of variance along x and y. */
  declare explainedVariance: [number, number] | undefined;

  override render() {
    const variance = this.explainedVariance;
    return html`
      <canvas width=${size} height=${size} role="img" aria-label="Latent map of test digits"
        >Codes of test digits on their first two principal components, coloured by digit</canvas
      >
      <ul aria-label="Legend: colour of each digit">
        ${digitColors.map(
          (color, digit) =>
            html`<li><span class="swatch" style="background:${color}"></span>${digit}</li>`,
        )}
      </ul>
      ${variance
        ? html`<p>
            Axes: the codes' first two principal components, holding
            ${percent(variance[0])} and ${percent(variance[1])} of their variance.
          </p>`
        : ''}
    `;
  }

  override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const context = canvas?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, size, size);
    const { points, labels } = this;
    if (!points || !labels || points.length !== 2 * labels.length) return;
    const bounds = boundsOf(points);
    const spanX = bounds.maxX - bounds.minX || 1;
    const spanY = bounds.maxY - bounds.minY || 1;
    const inner = size - 2 * (padding + radius);
    context.globalAlpha = 0.75;
    for (let i = 0; i < labels.length; i++) {
      const x = padding + radius + ((points[2 * i] - bounds.minX) / spanX) * inner;
      const y = padding + radius + ((bounds.maxY - points[2 * i + 1]) / spanY) * inner;
      context.fillStyle = digitColors[labels[i]] ?? '#000';
      context.beginPath();
      context.arc(x, y, radius, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
  }
}

function boundsOf(points: Float32Array) {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  return { minX, maxX, minY, maxY };
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

customElements.define('latentlab-latent-map', LatentMap);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-latent-map': LatentMap;
  }
}
