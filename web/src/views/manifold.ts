// <latentlab-manifold size="15">: a grid of decoded codes. For a 2-D VAE the
// codes are quantiles of the prior (the learnt manifold of digits); for
// another 2-D code they span the test codes' range; for larger codes they
// cover the plane of the codes' top two principal components.
import { css, html } from 'lit';
import type { ViewParams } from '../lab/protocol';
import { define } from './define';
import { LabView } from './lab-view';
import { paintGrid } from './paint';
import { viewStyles } from './styles';

const captions = {
  prior: 'Codes on a grid of prior quantiles (2.5% to 97.5% in each dimension), decoded.',
  codes:
    "Codes on a grid spanning the test digits' codes (2nd to 98th percentile in each dimension), decoded.",
  'principal-plane':
    "Codes on the plane of the test codes' top two principal components (±2 standard deviations), decoded: the code has more than two dimensions.",
};

export class Manifold extends LabView<'manifold'> {
  static override styles = [
    viewStyles,
    css`
      canvas {
        width: 100%;
        max-width: 480px;
      }
    `,
  ];
  static override properties = { ...LabView.properties, size: { type: Number } };
  declare size: number;
  protected readonly kind = 'manifold';
  protected override readonly paramProperties = ['size'];

  constructor() {
    super();
    this.size = 15;
  }

  protected params(): ViewParams['manifold'] {
    return { size: this.size };
  }

  override render() {
    return this.withNotice(
      () => html`
        <canvas role="img" aria-label="A grid of digits decoded from evenly spaced codes: the learnt manifold"
          >Latent grid</canvas
        >
        <p class="stats">${captions[this.data!.mode]}</p>
      `,
    );
  }

  protected override draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    const d = this.data;
    if (!canvas || !d) return;
    paintGrid(canvas, d.images, d.size * d.size, { columns: d.size, scale: 1, gap: 0 });
  }
}

define('latentlab-manifold', Manifold);

declare global {
  interface HTMLElementTagNameMap {
    'latentlab-manifold': Manifold;
  }
}
