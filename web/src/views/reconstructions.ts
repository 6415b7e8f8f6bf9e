// <latentlab-reconstructions count="10">: test digits (upper row of each
// pair of rows) above the model's reconstructions of them.
import { html } from 'lit';
import type { ViewParams } from '../lab/protocol';
import { LabView } from './lab-view';
import { paintGrid } from './paint';
import { define } from './define';

const perRow = 10;

export class Reconstructions extends LabView<'reconstructions'> {
  static override properties = { ...LabView.properties, count: { type: Number } };
  declare count: number;
  protected readonly kind = 'reconstructions';
  protected override readonly paramProperties = ['count'];

  constructor() {
    super();
    this.count = 10;
  }

  protected params(): ViewParams['reconstructions'] {
    return { count: this.count };
  }

  override render() {
    return this.withNotice(
      () => html`
        <canvas role="img" aria-label="Test digits, each above its reconstruction by the model"
          >Test digits and their reconstructions</canvas
        >
        <p class="stats">
          Upper rows: test digits; lower rows: reconstructions. Mean squared error per pixel on these digits:
          <span class="mse">${this.data!.mse.toFixed(4)}</span>
        </p>
      `,
    );
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const data = this.data;
    if (!canvas || !data) return;
    const count = data.originals.labels.length;
    // Interleave rows: ten originals, their ten reconstructions, the next ten...
    // (fewer than ten make one narrower pair of rows, with no empty cells).
    const columns = Math.min(perRow, count);
    const rows = Math.ceil(count / columns);
    const cells = rows * 2 * columns;
    const images = new Float32Array(cells * 784);
    for (let i = 0; i < cells; i++) {
      const row = Math.floor(i / columns);
      const source = Math.floor(row / 2) * columns + (i % columns);
      if (source >= count) continue;
      const from = row % 2 === 0 ? data.originals.images : data.reconstructions;
      images.set(from.subarray(source * 784, (source + 1) * 784), i * 784);
    }
    paintGrid(canvas, images, cells, { columns, scale: 2, gap: 2 });
  }
}

define('latentlab-reconstructions', Reconstructions);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-reconstructions': Reconstructions;
  }
}
