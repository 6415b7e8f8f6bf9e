// The views' subscriptions in the worker: what each asks for, for which
// model, whether it needs recomputing, whether it is on screen, and what of
// a loss history it already has. Recomputing is batched: marking schedules
// one flush after queued messages have run.
import type { ResolvedSpec } from '../lab/presets';
import type { LossPoint, ViewData, ViewKind, ViewParams } from '../lab/protocol';
import type { SubscriptionState } from './compute';

export interface Subscription {
  id: number;
  /** The model key of the slot it shows. */
  key: string;
  resolved: ResolvedSpec;
  view: ViewKind;
  params: ViewParams[ViewKind];
  dirty: boolean;
  /** On screen (or near it). */
  visible: boolean;
  /** Has data older than the model, held back while off screen. */
  stale: boolean;
  /** Has been sent data at least once. */
  served: boolean;
  state: SubscriptionState;
  /** What of the loss history it has: the history's generation and its lengths. */
  sent: { generation: number; train: number; test: number };
}

export class Subscriptions {
  readonly #all = new Map<number, Subscription>();
  readonly #yieldToEventLoop: () => Promise<void>;
  readonly #flush: (subscription: Subscription) => void;
  #scheduled = false;

  /** `flush(subscription)` sends one dirty subscription its data. */
  constructor(yieldToEventLoop: () => Promise<void>, flush: (subscription: Subscription) => void) {
    this.#yieldToEventLoop = yieldToEventLoop;
    this.#flush = flush;
  }

  add(id: number, resolved: ResolvedSpec, view: ViewKind, params: ViewParams[ViewKind]): Subscription {
    const subscription: Subscription = {
      id,
      key: resolved.key,
      resolved,
      view,
      params,
      dirty: true,
      visible: true,
      stale: false,
      served: false,
      state: { mapVersionSent: -1, mapImagesSent: false },
      sent: { generation: -1, train: 0, test: 0 },
    };
    this.#all.set(id, subscription);
    this.markDirty(subscription);
    return subscription;
  }

  /** Removes it; returns it (undefined if unknown). */
  remove(id: number): Subscription | undefined {
    const subscription = this.#all.get(id);
    this.#all.delete(id);
    return subscription;
  }

  update(id: number, params: ViewParams[ViewKind]): void {
    const subscription = this.#all.get(id);
    if (!subscription) return;
    subscription.params = params;
    this.markDirty(subscription);
  }

  setVisible(id: number, visible: boolean): void {
    const subscription = this.#all.get(id);
    if (!subscription) return;
    subscription.visible = visible;
    if (visible && subscription.stale) this.markDirty(subscription);
  }

  /** Subscriptions to the model `key` (of kind `view`, if given). */
  *of(key: string, view?: ViewKind): Iterable<Subscription> {
    for (const subscription of this.#all.values()) {
      if (subscription.key === key && (view === undefined || subscription.view === view)) yield subscription;
    }
  }

  /** Whether any subscription shows the model `key`. */
  uses(key: string): boolean {
    return !this.of(key)[Symbol.iterator]().next().done;
  }

  markDirty(subscription: Subscription): void {
    subscription.dirty = true;
    this.#schedule();
  }

  /** Marks every subscription that `matches` (default: all) dirty. */
  markAll(matches: (subscription: Subscription) => boolean = () => true): void {
    for (const subscription of this.#all.values()) if (matches(subscription)) subscription.dirty = true;
    this.#schedule();
  }

  /** The images under the views that `match` changed: each is sent everything again (the map's images too). */
  dataChanged(matches: (subscription: Subscription) => boolean): void {
    for (const subscription of this.#all.values()) {
      if (!matches(subscription)) continue;
      subscription.state = { mapVersionSent: -1, mapImagesSent: false };
      subscription.dirty = true;
    }
    this.#schedule();
  }

  /**
   * Marks a model's views for recomputing: all of them for a new model; for
   * a training snapshot (`all` false) the model views only, and of those the
   * ones off screen only once they are back (they are marked stale).
   */
  markModel(key: string, all: boolean): void {
    for (const subscription of this.of(key)) {
      if (all) {
        subscription.dirty = true;
        continue;
      }
      if (subscription.view === 'status' || subscription.view === 'loss') continue;
      if (subscription.visible || !subscription.served) subscription.dirty = true;
      else subscription.stale = true;
    }
    this.#schedule();
  }

  /** Sends every dirty subscription its data now. */
  flush(): void {
    for (const subscription of this.#all.values()) {
      if (!subscription.dirty) continue;
      subscription.dirty = false;
      subscription.stale = false;
      this.#flush(subscription);
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    void this.#yieldToEventLoop().then(() => {
      this.#scheduled = false;
      this.flush();
    });
  }
}

/** The part of a loss history a subscription does not have yet (all of it after a reset), or undefined if nothing is new. */
export function lossUpdate(
  subscription: Subscription,
  history: { generation: number; train: readonly LossPoint[]; test: readonly LossPoint[] },
): ViewData['loss'] | undefined {
  const sent = subscription.sent;
  const reset = sent.generation !== history.generation;
  if (reset) subscription.sent = { generation: history.generation, train: 0, test: 0 };
  const { train: trainSent, test: testSent } = subscription.sent;
  const train = history.train.slice(trainSent);
  const test = history.test.slice(testSent);
  // The last test point may have been replaced in place (same step).
  if (!reset && testSent > 0 && history.test.length === testSent) test.push(history.test[testSent - 1]);
  if (!reset && train.length === 0 && test.length === 0) return undefined;
  subscription.sent = {
    generation: history.generation,
    train: history.train.length,
    test: history.test.length,
  };
  return { reset, train, test };
}
