// What a view's computation gets and gives back.
import type { LatentLab } from 'latentlab';
import type { ViewData, ViewKind, ViewParams } from '../../lab/protocol';
import type { PcaCodec } from '../codec';
import type { TestSet } from '../mnist-sets';
import type { Slot } from '../slot';

export interface ViewContext {
  ll: LatentLab;
  slot: Slot;
  test: TestSet;
  /** PCA with k components fitted to training digits (without `holdout`); undefined until they have loaded. */
  pca(k: number, holdout: number): PcaCodec | undefined;
  /** The training digits failed to load (the page has been told why), so pca() never will be. */
  trainingDigitsFailed: boolean;
}

/** Per-subscription memory, e.g. what was already sent. */
export interface SubscriptionState {
  mapVersionSent: number;
  mapImagesSent: boolean;
}

export type ViewResult<K extends ViewKind> =
  | { data: ViewData[K]; transfer: ArrayBuffer[] }
  /** `waiting`: the view will be filled when something arrives (e.g. the training digits). */
  | { notice: string; waiting?: boolean };

export type ViewComputer<K extends ViewKind> = (
  context: ViewContext,
  params: ViewParams[K],
  state: SubscriptionState,
) => ViewResult<K>;

/** Codes of the latent map's test digits (n x latent), once per model version; shared by several views. */
export function mapCodes({ slot, test }: ViewContext): Float32Array {
  return slot.cached('map-codes', () => slot.codec!.encode(test.map.dataset));
}

/** The buffers of typed arrays, to transfer them. */
export function buffersOf(...arrays: (ArrayBufferView | undefined)[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array) buffers.add(array.buffer as ArrayBuffer);
  return [...buffers];
}

/** The array itself if it owns its whole buffer (so that the buffer can be transferred), else a copy. */
export function own<T extends Float32Array | Uint8Array>(values: T): T {
  return values.byteOffset === 0 && values.byteLength === values.buffer.byteLength
    ? values
    : (values.slice() as T);
}

export const pixels = 784;

export function rowsOf(images: Float32Array, first: number, count: number): Float32Array {
  return images.subarray(first * pixels, (first + count) * pixels);
}
