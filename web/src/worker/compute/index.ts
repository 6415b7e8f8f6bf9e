// The computation behind each view kind (the status and loss views are the
// host's: they report the slot's state and history, not the model's output).
import type { ViewKind } from '../../lab/protocol';
import type { ViewComputer } from './context';
import { anomaly, pcaCompare } from './uses';
import { interpolation, manifold, samples } from './generation';
import { latentMap, probe } from './latent';
import { activations, denoising, featureMaps, filters, reconstructions } from './learning';

export type ModelViewKind = Exclude<ViewKind, 'status' | 'loss'>;

export const computers: { [K in ModelViewKind]: ViewComputer<K> } = {
  reconstructions,
  'latent-map': latentMap,
  filters,
  'feature-maps': featureMaps,
  activations,
  probe,
  denoising,
  samples,
  manifold,
  interpolation,
  anomaly,
  'pca-compare': pcaCompare,
};

export type { SubscriptionState, ViewContext, ViewResult } from './context';
