// The page: reads the experiment from the URL, downloads MNIST, hands it to
// the training worker, and routes the worker's messages to the views. No
// engine work happens on this thread; drawing is cheap.
import './style.css';
import './views/latent-map';
import './views/loss-curve';
import './views/reconstructions';
import { describeExperiment, parseExperiment, serializeExperiment } from './experiment';
import { loadMnist, type DownloadProgress } from './mnist-loader';
import { errorMessage, type PageMessage, type WorkerMessage } from './protocol';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const buttons = {
  start: element<HTMLButtonElement>('start'),
  pause: element<HTMLButtonElement>('pause'),
  reset: element<HTMLButtonElement>('reset'),
};
const text = {
  step: element('step'),
  epoch: element('epoch'),
  loss: element('loss'),
  speed: element('speed'),
  status: element('status'),
  error: element('error'),
  download: element('download-text'),
};
const downloadBar = element<HTMLProgressElement>('download');
const views = {
  loss: document.querySelector('latentlab-loss-curve')!,
  reconstructions: document.querySelector('latentlab-reconstructions')!,
  latentMap: document.querySelector('latentlab-latent-map')!,
};

let failed = false;

/** The status line; after an error it keeps saying so. */
function setStatus(message: string): void {
  if (!failed) text.status.textContent = message;
}

function showError(message: string): void {
  text.error.textContent = message;
  text.error.hidden = false;
  text.status.textContent = 'Stopped by an error.';
  failed = true;
}
addEventListener('error', (event) => showError(event.message));
addEventListener('unhandledrejection', (event) => showError(errorMessage(event.reason)));

const { experiment, problems } = parseExperiment(location.hash);
history.replaceState(null, '', `#${serializeExperiment(experiment)}`);
element('experiment').textContent =
  describeExperiment(experiment) + (problems.length ? ` (URL: ${problems.join('; ')})` : '');

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: PageMessage, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => receive(event.data));
worker.addEventListener('error', (event) => {
  event.preventDefault();
  showError(`The training worker failed: ${event.message || 'it could not be started'}`);
});
buttons.start.addEventListener('click', () => send({ type: 'start' }));
buttons.pause.addEventListener('click', () => send({ type: 'pause' }));
buttons.reset.addEventListener('click', () => send({ type: 'reset' }));

let snapshotsDrawn = 0;

function receive(message: WorkerMessage): void {
  switch (message.type) {
    case 'ready':
      performance.mark('model-ready');
      element('loading').hidden = true;
      views.reconstructions.originals = message.probeImages;
      views.latentMap.labels = message.mapLabels;
      buttons.reset.disabled = false;
      setRunning(false);
      setStatus(
        `Ready: ${message.trainCount} training and ${message.testCount} test digits, ` +
          `${message.parameterCount} parameters (engine SIMD: ${message.simd}). Press Start.`,
      );
      break;
    case 'progress':
      text.step.textContent = String(message.step);
      text.epoch.textContent = String(message.epoch);
      text.loss.textContent = message.loss.toPrecision(4);
      text.speed.textContent = `${Math.round(message.samplesPerSecond)} digits/s`;
      views.loss.addPoint({ step: message.step, loss: message.loss });
      break;
    case 'state':
      text.step.textContent = String(message.step);
      text.epoch.textContent = String(message.epoch);
      setRunning(message.running);
      setStatus(
        message.running ? 'Training…' : message.step === 0 ? 'Ready. Press Start.' : `Paused at step ${message.step}.`,
      );
      break;
    case 'reset':
      views.loss.clear();
      text.loss.textContent = '–';
      text.speed.textContent = '–';
      break;
    case 'snapshot':
      void drawSnapshot(message);
      break;
    case 'error':
      showError(message.message);
      break;
  }
}

async function drawSnapshot(snapshot: Extract<WorkerMessage, { type: 'snapshot' }>): Promise<void> {
  views.reconstructions.reconstructions = snapshot.reconstructions;
  views.latentMap.points = snapshot.mapPoints;
  views.latentMap.explainedVariance = snapshot.explainedVariance;
  await Promise.all([views.reconstructions.updateComplete, views.latentMap.updateComplete]);
  if (snapshotsDrawn++ === 0) performance.mark('first-reconstructions');
}

/** Enables Start or Pause, keeping keyboard focus on the button that stays usable. */
function setRunning(running: boolean): void {
  const hadFocus = document.activeElement === buttons.start || document.activeElement === buttons.pause;
  buttons.start.disabled = running;
  buttons.pause.disabled = !running;
  if (hadFocus) (running ? buttons.pause : buttons.start).focus();
}

function showDownload({ loaded, total }: DownloadProgress): void {
  const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
  if (total === undefined) {
    downloadBar.removeAttribute('value');
    text.download.textContent = `${megabytes(loaded)} MB`;
  } else {
    downloadBar.value = loaded / total;
    text.download.textContent = `${megabytes(loaded)} of ${megabytes(total)} MB (${Math.round((100 * loaded) / total)}%)`;
  }
}

async function start(): Promise<void> {
  setStatus('Downloading MNIST…');
  try {
    const mnist = await loadMnist(new URL('mnist/', document.baseURI), showDownload, () => {
      setStatus('Decompressing MNIST…');
    });
    performance.mark('mnist-loaded');
    setStatus('Preparing the data and the model…');
    send({ type: 'load', experiment, mnist }, Object.values(mnist).map((bytes: Uint8Array) => bytes.buffer));
  } catch (error) {
    showError(`MNIST failed to load: ${errorMessage(error)}`);
  }
}

void start();
