// The training worker: wires page messages to a TrainingSession. All engine
// work happens here, never on the page's thread.
import { init, type LatentLab } from 'latentlab';
import { modelConfigOf, trainOptionsOf } from './experiment';
import { prepareMnist } from './mnist-data';
import { errorMessage, type PageMessage, type WorkerMessage } from './protocol';
import { TrainingSession } from './training-session';

interface WorkerScope {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

// Compile the engine while the page downloads MNIST.
const engine: Promise<LatentLab> = init();
engine.catch(() => {}); // reported when 'load' awaits it
let session: TrainingSession | undefined;

scope.addEventListener('message', (event) => {
  try {
    handle(event.data);
  } catch (error) {
    post({ type: 'error', message: errorMessage(error) });
  }
});

function handle(message: PageMessage): void {
  switch (message.type) {
    case 'load':
      void load(message);
      break;
    case 'start':
      void session?.start();
      break;
    case 'pause':
      session?.pause();
      break;
    case 'reset':
      session?.reset();
      break;
  }
}

async function load({ experiment, mnist }: Extract<PageMessage, { type: 'load' }>): Promise<void> {
  let ll: LatentLab;
  try {
    ll = await engine;
  } catch (error) {
    post({ type: 'error', message: `The engine failed to load: ${errorMessage(error)}` });
    return;
  }
  try {
    const data = prepareMnist(ll, mnist);
    session?.dispose();
    session = new TrainingSession(
      ll,
      data,
      { model: modelConfigOf(experiment), training: trainOptionsOf(experiment), yieldToEventLoop },
      post,
    );
    const { probeLabels, mapLabels, trainCount, testCount } = data;
    const probeImages = data.probeImages.slice(); // the session keeps the original
    post(
      {
        type: 'ready',
        trainCount,
        testCount,
        parameterCount: session.parameterCount,
        simd: ll.simd,
        probeImages,
        probeLabels,
        mapLabels,
      },
      [probeImages.buffer as ArrayBuffer],
    );
    session.publishSnapshot();
  } catch (error) {
    post({ type: 'error', message: `Could not prepare the model: ${errorMessage(error)}` });
  }
}

// A MessageChannel round trip yields to queued messages without the ~4 ms
// clamp that browsers put on chains of setTimeout(0).
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
