// The latent map (test digits' codes in 2-D: the code itself when it has two
// dimensions, else its top two principal components) and the drawing pad,
// whose digit is reconstructed, placed on that map and scored.
import type { PCA } from 'latentlab';
import type { LatentMapData } from '../../lab/protocol';
import { buffersOf, mapCodes, type ViewComputer, type ViewContext } from './context';

interface MapProjection {
  /** n x 2. */
  points: Float32Array;
  axes: 'latent' | 'pca';
  explained: [number, number] | undefined;
  /** Codes (n x latent) to the map's coordinates (n x 2). */
  project(codes: Float32Array): Float32Array;
}

/** The engine's PCA of the map's codes (latent > 2), its axes' signs chosen to agree with the previous model version's. */
export interface MapPca {
  /** Variance along each axis, and in all (the sum of the code dimensions' variances). */
  variances: [number, number];
  totalVariance: number;
  /** Codes (n x latent) to the map's coordinates (n x 2). */
  project(codes: Float32Array): Float32Array;
  /** The map's coordinates (n x 2) back to codes (n x latent) on the plane. */
  toCodes(points: Float32Array): Float32Array;
  dispose(): void;
}

/** The PCA of the map's codes, once per model version (the handle is freed with the version). */
export function mapPca(context: ViewContext): MapPca {
  const { ll, slot } = context;
  return slot.cached('map-pca', () => {
    const latent = slot.codec!.latentSize;
    const codes = mapCodes(context);
    const pca: PCA = ll.createPCA({ inputSize: latent, components: 2 });
    pca.fit(codes);
    // Flip an axis that points against the previous version's, so that the map does not mirror while training.
    const axes = pca.componentVectors();
    const previous = slot.sticky.get('map-axes') as Float32Array | undefined;
    const signs = [0, 1].map((k) =>
      axisSign(axes.subarray(k * latent, (k + 1) * latent), previous, k, latent),
    );
    for (let k = 0; k < 2; k++) for (let j = 0; j < latent; j++) axes[k * latent + j] *= signs[k];
    slot.sticky.set('map-axes', axes);
    const flip = (points: Float32Array) => {
      for (let i = 0; i < points.length; i++) points[i] *= signs[i % 2];
      return points;
    };
    const [first, second] = pca.explainedVariance();
    const { std } = ll.columnStatistics(codes, latent);
    return {
      variances: [first, second],
      totalVariance: std.reduce((sum, s) => sum + s * s, 0),
      project: (values) => flip(pca.encode(values)),
      toCodes: (points) => pca.decode(flip(points.slice())),
      dispose: () => pca.dispose(),
    };
  });
}

/** +1 or -1: agreeing with the previous axis if there is one, else making the axis's largest entry positive. */
function axisSign(axis: Float32Array, previous: Float32Array | undefined, k: number, latent: number): number {
  if (previous?.length === 2 * latent) {
    let dot = 0;
    for (let j = 0; j < latent; j++) dot += axis[j] * previous[k * latent + j];
    return dot < 0 ? -1 : 1;
  }
  let largest = 0;
  for (let j = 1; j < latent; j++) if (Math.abs(axis[j]) > Math.abs(axis[largest])) largest = j;
  return axis[largest] < 0 ? -1 : 1;
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
    const pca = mapPca(context);
    const total = pca.totalVariance > 0 ? pca.totalVariance : 1;
    return {
      points: pca.project(codes),
      axes: 'pca',
      explained: [pca.variances[0] / total, pca.variances[1] / total],
      project: (values: Float32Array) => pca.project(values),
    };
  });
}

function mapData(context: ViewContext, withImages: boolean): LatentMapData {
  const map = mapProjection(context);
  return {
    points: map.points.slice(),
    labels: context.test.map.labels.slice(),
    labelled: context.test.labelled,
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
  return context.slot.cached('normal-scores', () => context.slot.codec!.anomalyScores(context.test.normal));
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
