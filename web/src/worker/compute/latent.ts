// The latent map (test digits' codes in 2-D: the code itself when it has two
// dimensions, else its top two principal components) and the drawing pad,
// whose digit is reconstructed, placed on that map and scored.
import type { LatentMapData } from '../../lab/protocol';
import { principalComponents, project, type PrincipalComponents } from '../principal-components';
import { anomalySets } from '../mnist-sets';
import { buffersOf, mapCodes, type ViewComputer, type ViewContext } from './context';

interface MapProjection {
  /** n x 2. */
  points: Float32Array;
  axes: 'latent' | 'pca';
  explained: [number, number] | undefined;
  /** Codes (n x latent) to the map's coordinates (n x 2). */
  project(codes: Float32Array): Float32Array;
}

/** The map of the slot's current model, computed once per model version. */
export function mapProjection(context: ViewContext): MapProjection {
  const { slot } = context;
  return slot.cached('map', () => {
    const latent = slot.codec!.latentSize;
    const codes = mapCodes(context);
    if (latent <= 2) {
      const toPlane = (values: Float32Array) => (latent === 2 ? values : interleaveWithZeros(values));
      return { points: toPlane(codes), axes: 'latent', explained: undefined, project: toPlane };
    }
    // Start from the previous axes (and keep their signs), so that the map turns smoothly while training.
    const previous = slot.sticky.get('map-axes') as PrincipalComponents | undefined;
    const pcs = principalComponents(codes, latent, 2, { start: previous?.components });
    slot.sticky.set('map-axes', pcs);
    const total = pcs.totalVariance > 0 ? pcs.totalVariance : 1;
    return {
      points: project(codes, latent, pcs),
      axes: 'pca',
      explained: [pcs.variances[0] / total, pcs.variances[1] / total],
      project: (values: Float32Array) => project(values, latent, pcs),
    };
  });
}

function mapData(context: ViewContext, withImages: boolean): LatentMapData {
  const map = mapProjection(context);
  return {
    points: map.points.slice(),
    labels: context.test.map.labels.slice(),
    axes: map.axes,
    explained: map.explained,
    images: withImages ? context.test.map.bytes.slice() : undefined,
  };
}

export const latentMap: ViewComputer<'latent-map'> = (context, _params, state) => {
  const data = mapData(context, !state.mapImagesSent);
  state.mapImagesSent = true;
  return { data, transfer: buffersOf(data.points, data.labels, data.images) };
};

/** Anomaly scores of the normal test digits of the anomaly view (shared with it): do not modify. */
export function normalScores(context: ViewContext): Float32Array {
  return context.slot.cached('normal-scores', () =>
    context.slot.codec!.anomalyScores(anomalySets(context.test).normal),
  );
}

/** The same, sorted: a drawing's score is placed among them. */
function sortedNormalScores(context: ViewContext): Float32Array {
  return context.slot.cached('sorted-normal-scores', () => normalScores(context).slice().sort());
}

export const probe: ViewComputer<'probe'> = (context, { image }, state) => {
  const codec = context.slot.codec!;
  let map: LatentMapData | undefined;
  if (state.mapVersionSent !== context.slot.version) {
    map = mapData(context, false);
    state.mapVersionSent = context.slot.version;
  }
  if (image === undefined || image.length !== 784) {
    return {
      data: { reconstruction: undefined, point: undefined, score: undefined, percentile: undefined, map },
      transfer: buffersOf(map?.points, map?.labels),
    };
  }
  const reconstruction = codec.reconstruct(image);
  const projected = mapProjection(context).project(codec.encode(image));
  const score = codec.anomalyScores(image)[0];
  const sorted = sortedNormalScores(context);
  return {
    data: {
      reconstruction,
      point: [projected[0], projected[1]],
      score,
      percentile: countBelow(sorted, score) / sorted.length,
      map,
    },
    transfer: buffersOf(reconstruction, map?.points, map?.labels),
  };
};

/** Number of values in the sorted array below x (binary search). */
function countBelow(sorted: Float32Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

function interleaveWithZeros(xs: Float32Array): Float32Array {
  const out = new Float32Array(xs.length * 2);
  xs.forEach((x, i) => (out[2 * i] = x));
  return out;
}
