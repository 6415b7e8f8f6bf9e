// The worker's slot life cycle (web/src/worker/slot-state.ts, slot.ts): the
// legal transitions of the table, illegal ones rejected loudly, and each
// job's AbortSignal aborted by the transition that ends it.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, type LatentLab } from '../../dist/index.js';
import { parseExperiment } from '../../web/src/lab/experiment';
import { AutoencoderCodec } from '../../web/src/worker/codec';
import { Slot } from '../../web/src/worker/slot';
import {
  IllegalTransition,
  nextState,
  slotTransitions,
  type SlotEvent,
  type SlotState,
} from '../../web/src/worker/slot-state';

const states: SlotState[] = ['loading', 'ready', 'preparing', 'training', 'failed', 'disposed'];
const events: SlotEvent[] = ['load', 'loaded', 'fail', 'train', 'run', 'stop', 'dispose'];

let ll: LatentLab;
beforeAll(async () => {
  ll = await init();
});

const codec = () => new AutoencoderCodec(ll.createModel({ inputSize: 784, encoder: [4], latentSize: 2 }));
const newSlot = () =>
  new Slot('test', parseExperiment('family=vanilla&hidden=4&latent=2').experiment, { batchSize: 8 }, 100);

describe('the transition table', () => {
  test('the legal moves, written out', () => {
    const legal = states.flatMap((state) =>
      events.flatMap((event) => {
        const next = slotTransitions[state][event];
        return next ? [`${state} -${event}-> ${next}`] : [];
      }),
    );
    expect(legal).toEqual([
      'loading -load-> loading',
      'loading -loaded-> ready',
      'loading -fail-> failed',
      'loading -train-> preparing',
      'loading -dispose-> disposed',
      'ready -load-> loading',
      'ready -loaded-> ready',
      'ready -train-> preparing',
      'ready -dispose-> disposed',
      'preparing -load-> loading',
      'preparing -loaded-> ready',
      'preparing -fail-> failed',
      'preparing -train-> preparing',
      'preparing -run-> training',
      'preparing -stop-> ready',
      'preparing -dispose-> disposed',
      'training -load-> loading',
      'training -loaded-> ready',
      'training -train-> preparing',
      'training -stop-> ready',
      'training -dispose-> disposed',
      'failed -load-> loading',
      'failed -loaded-> ready',
      'failed -dispose-> disposed',
    ]);
  });

  test('every other move throws IllegalTransition naming the state and the event', () => {
    expect(() => nextState('k', 'ready', 'run')).toThrow(IllegalTransition);
    expect(() => nextState('k', 'ready', 'run')).toThrow("slot k: 'run' is not allowed in state 'ready'");
    expect(() => nextState('k', 'failed', 'train')).toThrow(/'train' is not allowed in state 'failed'/);
    for (const event of events) expect(() => nextState('k', 'disposed', event)).toThrow(IllegalTransition);
  });
});

describe('a slot', () => {
  test('goes loading -> ready -> preparing -> training -> ready, and only so', () => {
    const slot = newSlot();
    expect(slot.state).toBe('loading');
    expect(() => slot.run(0)).toThrow(/'run' is not allowed in state 'loading'/);
    slot.begin('load');
    slot.loaded({ codec: codec(), source: 'untrained' });
    expect(slot.state).toBe('ready');
    expect(slot.status()).toMatchObject({ source: 'untrained', running: false });
    expect(() => slot.stop()).toThrow(/'stop' is not allowed in state 'ready'/);
    slot.begin('train');
    expect(slot.status().running).toBe(true);
    slot.run(0);
    expect([slot.state, slot.training, slot.status().source]).toEqual(['training', true, 'trained']);
    slot.stop('paused');
    expect([slot.state, slot.note]).toEqual(['ready', 'paused']);
    slot.dispose();
    expect(slot.state).toBe('disposed');
    expect(slot.codec).toBeUndefined();
    expect(() => slot.begin('load')).toThrow(IllegalTransition);
  });

  test("each job's signal is aborted by the transition that ends it, and only that job's", () => {
    const slot = newSlot();
    const first = slot.begin('load');
    const second = slot.begin('load'); // a restore supersedes the first load
    expect([first.aborted, second.aborted]).toEqual([true, false]);
    slot.loaded({ codec: codec(), source: 'untrained' });
    expect(second.aborted).toBe(true);
    const training = slot.begin('train');
    slot.run(0);
    expect(training.aborted).toBe(false); // running keeps the job
    slot.stop();
    expect(training.aborted).toBe(true);
    const waiting = slot.begin('train');
    slot.dispose();
    expect(waiting.aborted).toBe(true);
  });

  test('failing frees the model and says why until a model is in place again', () => {
    const slot = newSlot();
    const model = codec();
    slot.begin('load');
    slot.loaded({ codec: model, source: 'untrained' });
    slot.begin('load');
    slot.fail('choose sigmoid');
    expect([slot.state, slot.failure, slot.codec, slot.status().note]).toEqual([
      'failed',
      'choose sigmoid',
      undefined,
      'choose sigmoid',
    ]);
    expect(model.model.disposed).toBe(true);
    expect(() => slot.begin('train')).toThrow(IllegalTransition);
    slot.loaded({ codec: codec(), source: 'file' });
    expect([slot.state, slot.failure]).toEqual(['ready', undefined]);
    slot.dispose();
  });
});
