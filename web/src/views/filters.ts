// <latentlab-filters count="64">: the input weights of the first layer's
// units drawn as 28 x 28 images, or, when the first layer is a convolution,
// its kernels (red positive, blue negative, each scaled to its own largest
// weight): the strokes each unit (or channel) looks for.
import { css, html } from 'lit';
import type { ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { diverging, inverseMaxAbs, paintGrid } from './paint';
import { viewStyles } from './styles';

export class Filters extends LabView<'filters'> {
  static override styles = [
    viewStyles,
    css`
      canvas {
        width: 100%;
        max-width: 560px;
      }
    `,
  ];
  static override properties = { ...LabView.properties, count: { type: Number } };
  declare count: number;
  protected readonly kind = 'filters';
  protected override readonly paramProperties = ['count'];

  constructor() {
    super();
    this.count = 64;
  }

  protected params(): ViewParams['filters'] {
    return { count: this.count };
  }

  override render() {
    return this.withNotice(
      () => html`
        <canvas
          role="img"
          aria-label="First-layer filters: ${this.data!.title}, red for positive weights and blue for negative"
          >First-layer filters</canvas
        >
        <p class="stats">The ${this.data!.title}. Red: positive weights, blue: negative.</p>
      `,
    );
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const data = this.data;
    if (!canvas || !data) return;
    const columns = data.count <= 16 ? 8 : 16;
    // Kernels as large as digits would be: a 3 x 3 kernel's weight is a 9 x 9 block.
    const scale = Math.max(1, Math.round(28 / data.side));
    paintGrid(
      canvas,
      data.filters,
      data.count,
      { columns, scale, gap: 2, side: data.side },
      diverging,
      (index) => inverseMaxAbs(data.filters, index, data.side),
    );
  }
}

define('latentlab-filters', Filters);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-filters': Filters;
  }
}
