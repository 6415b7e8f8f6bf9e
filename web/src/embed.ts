// The embedding script: registers every LatentLab view as a custom element.
// One line on any page of the same site loads it:
//   <script type="module" src="latentlab-embed.js"></script>
// then e.g. <latentlab-latent-map model="vae-2d"></latentlab-latent-map>.
// All views on a page share one engine in one worker (see docs/embedding.md).
import './views/activations';
import './views/anomaly';
import './views/denoising';
import './views/drawing-pad';
import './views/feature-maps';
import './views/filters';
import './views/interpolation';
import './views/latent-map';
import './views/loss-curve';
import './views/manifold';
import './views/pca-compare';
import './views/reconstructions';
import './views/samples';
import './views/trainer';

export { lab } from './client/lab-client';
export { presets } from './lab/presets';
