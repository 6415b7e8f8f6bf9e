// The life cycle of a slot (one model in the worker), in one place: its
// states, the events that move it, and the only legal transitions. Any other
// transition is a bug in the worker and throws.
//
//   loading ──loaded──▶ ready ──train──▶ preparing ──run──▶ training
//      │                  ▲                  │                  │
//      fail               └──────stop────────┴───────stop───────┘
//      ▼
//   failed        load (restore, refit): from any live state back to loading
//                 loaded (a model file): from any live state to ready
//                 dispose: from any state but disposed, to disposed

export type SlotState =
  /** A job is putting a model in place (pretrained file, fresh model, PCA fit); an older model may still show. */
  | 'loading'
  /** A model is in place and nothing runs. */
  | 'ready'
  /** Training was asked for: waiting for the training digits (and, from scratch, for a fresh model). */
  | 'preparing'
  /** The host's loop trains it a slice at a time. */
  | 'training'
  /** No model could be built (settings that cannot work, a failed fit); its views say why. */
  | 'failed'
  /** Freed: nothing may happen to it any more. */
  | 'disposed';

export type SlotEvent = 'load' | 'loaded' | 'fail' | 'train' | 'run' | 'stop' | 'dispose';

type Table = { readonly [S in SlotState]: { readonly [E in SlotEvent]?: SlotState } };

/** state -> event -> next state; a missing entry is an illegal transition. */
export const slotTransitions: Table = {
  loading: { load: 'loading', loaded: 'ready', fail: 'failed', train: 'preparing', dispose: 'disposed' },
  ready: { load: 'loading', loaded: 'ready', train: 'preparing', dispose: 'disposed' },
  preparing: {
    load: 'loading',
    loaded: 'ready',
    fail: 'failed',
    train: 'preparing',
    run: 'training',
    stop: 'ready',
    dispose: 'disposed',
  },
  training: { load: 'loading', loaded: 'ready', train: 'preparing', stop: 'ready', dispose: 'disposed' },
  failed: { load: 'loading', loaded: 'ready', dispose: 'disposed' },
  disposed: {},
};

export class IllegalTransition extends Error {
  constructor(key: string, state: SlotState, event: SlotEvent) {
    super(`slot ${key}: '${event}' is not allowed in state '${state}'`);
    this.name = 'IllegalTransition';
  }
}

/** The state after `event`; throws IllegalTransition if the table has no such move. */
export function nextState(key: string, state: SlotState, event: SlotEvent): SlotState {
  const next = slotTransitions[state][event];
  if (next === undefined) throw new IllegalTransition(key, state, event);
  return next;
}
