// <latentlab-pca-compare count="10">: the autoencoder beside PCA with as
// many components as the code has dimensions: test digits, the
// autoencoder's reconstructions and PCA's, with both errors on 1,000 test
// digits.
import { html } from 'lit';
import type { ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { paintRows } from './paint';

export class PcaCompare extends LabView<'pca-compare'> {
  static override properties = { ...LabView.properties, count: { type: Number } };
  declare count: number;
  protected readonly kind = 'pca-compare';
  protected override readonly paramProperties = ['count'];

  constructor() {
    super();
    this.count = 10;
  }

  protected params(): ViewParams['pca-compare'] {
    return { count: this.count };
  }

  override render() {
    return this.withNotice(() => {
      const d = this.data!;
      const better = d.autoencoderMse < d.pcaMse ? 'autoencoder' : 'PCA';
      return html`
        <canvas
          role="img"
          aria-label="Rows: test digits, the autoencoder's reconstructions, and PCA's reconstructions with as many components"
          >Autoencoder against PCA</canvas
        >
        <p class="stats">
          Rows: test digits; the autoencoder (${d.latent}-D code); PCA (${d.latent} components). Mean squared
          error per pixel on 1,000 test digits: autoencoder
          <strong class="ae-mse">${d.autoencoderMse.toFixed(4)}</strong>, PCA
          <strong class="pca-mse">${d.pcaMse.toFixed(4)}</strong> (the ${better} is better here).
        </p>
      `;
    });
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const d = this.data;
    if (!canvas || !d) return;
    paintRows(canvas, [d.originals, d.autoencoder, d.pca]);
  }
}

define('latentlab-pca-compare', PcaCompare);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-pca-compare': PcaCompare;
  }
}
