// The demo page: the experiment from the URL, the settings form, training
// controls, model files, and every view, all naming the same model. The
// engine runs in the shared worker; this thread only draws. The last model
// trained here is kept in the browser, and offered again after a reload.
import '../embed';
import './settings-form';
import { lab } from '../client/lab-client';
import { datasetTitle, ownDataset, sampleNoun, splitName, type DatasetName } from '../lab/datasets';
import { serializeExperiment, type Experiment } from '../lab/experiment';
import { describeExperiment } from '../lab/model-config';
import { resolveSpec } from '../lab/presets';
import { errorMessage } from '../lab/protocol';
import { downloadModel, loadModelFile } from './model-file';
import { forgetModel, keepModel, keptModel } from './saved-model';
import './page.css';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const settings = document.querySelector('latentlab-settings')!;
const description = byId('experiment');
const urlProblems = byId('url-problems');
const errorBox = byId('error');
const fileStatus = byId('file-status');

let spec = '';
let dataset: DatasetName = 'mnist';

/** Points every view at the experiment and puts it in the URL. */
function apply(experiment: Experiment, problems: string[] = []): void {
  spec = serializeExperiment(experiment);
  dataset = experiment.dataset;
  if (location.hash.slice(1) !== spec) history.replaceState(null, '', `#${spec}`);
  settings.experiment = experiment;
  description.textContent = describeExperiment(experiment);
  urlProblems.textContent = problems.length
    ? `Some settings in the link were not used: ${problems.join('; ')}.`
    : '';
  urlProblems.hidden = problems.length === 0;
  for (const view of document.querySelectorAll<HTMLElement & { model: string }>('[data-view]'))
    view.model = spec;
  // Views of convolutions (feature maps) show for convolutional models only.
  for (const figure of document.querySelectorAll<HTMLElement>('[data-convolutional]'))
    figure.hidden = experiment.conv.length === 0;
  showProgress();
}

/**
 * The experiment of the URL. The reader's own IDX files are never in a link
 * (the hash says `dataset=own` while they are in use): a link or reload that
 * names them before they are chosen in this page opens MNIST and says so.
 */
function fromUrl(): void {
  const { experiment, problems } = resolveSpec(location.hash);
  if (experiment.dataset === ownDataset && !client.ownData) {
    experiment.dataset = 'mnist';
    problems.push(
      'dataset=own: your own IDX files are not part of a link, so MNIST is shown; choose them again under Data set',
    );
  }
  apply(experiment, problems);
}

// Training data: fetched once the test split of the data set in use is in,
// so that training starts at once when asked.
const client = lab();
const trainingRequested = new Set<DatasetName>();
const progressBar = byId<HTMLProgressElement>('download');
const progressText = byId('download-text');
client.onChange(showProgress);

/** The data set in use: the own files taken, or the download (its training split asked for once its test split is in). */
function showProgress(): void {
  if (dataset === ownDataset) {
    const own = client.ownData!;
    progressBar.value = 1;
    progressText.textContent = `Your IDX files (${own.images}${own.labels ? ` with ${own.labels}` : ', no labels'}): ${own.test.toLocaleString('en-US')} test and ${own.train.toLocaleString('en-US')} training images.`;
  } else {
    showDownload();
  }
  if (client.errors.length) {
    errorBox.textContent = client.errors.join(' ');
    errorBox.hidden = false;
  }
  const restarts = byId('worker-restarts');
  restarts.textContent = client.restarts.at(-1) ?? '';
  restarts.hidden = client.restarts.length === 0;
}

/** The progress of the data set in use, downloaded from the site. */
function showDownload(): void {
  const { test, train } = client.progress(dataset);
  if (test?.done && !trainingRequested.has(dataset)) {
    trainingRequested.add(dataset);
    client.loadTrainingData(dataset);
  }
  const part = test && !test.done ? test : train;
  if (!part) {
    progressBar.removeAttribute('value');
    progressText.textContent = `${splitName(dataset, 'test')}: starting…`;
  } else {
    const label = splitName(dataset, part === test ? 'test' : 'train');
    const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
    if (part.done) {
      progressBar.value = 1;
      progressText.textContent =
        part === train
          ? `${datasetTitle(dataset)} loaded: 10,000 test and 60,000 training ${sampleNoun(dataset)}s.`
          : `${label} loaded.`;
    } else if (part.total) {
      progressBar.value = part.loaded / part.total;
      progressText.textContent = `${label}: ${megabytes(part.loaded)} of ${megabytes(part.total)} MB`;
    } else {
      progressBar.removeAttribute('value');
      progressText.textContent = `${label}: ${megabytes(part.loaded)} MB`;
    }
  }
}

fromUrl();
addEventListener('hashchange', fromUrl);

// The reader's own files do not survive a reload, so neither is a model trained on them kept.
client.onSnapshot((snapshot) => {
  if (resolveSpec(snapshot.spec).experiment.dataset !== ownDataset) void keepModel(snapshot);
});
void offerKeptModel();

/** Offers to resume the model last trained in this browser, if one is kept. */
async function offerKeptModel(): Promise<void> {
  const kept = await keptModel();
  if (!kept) return;
  const offer = byId('resume');
  const text = byId('resume-text');
  const { experiment } = resolveSpec(kept.spec);
  const when = new Date(kept.savedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  text.textContent = `A model you trained in this browser is kept: ${describeExperiment(experiment)}, ${kept.epochs.toFixed(2)} epochs, saved ${when}.`;
  offer.hidden = false;
  const buttons = offer.querySelectorAll('button');
  byId('resume-model').addEventListener('click', async () => {
    buttons.forEach((button) => (button.hidden = true));
    const resumed = client.resume(kept, `kept in this browser since ${when}`);
    apply(experiment);
    try {
      await resumed;
      text.textContent = `Resumed: ${describeExperiment(experiment)}, ${kept.epochs.toFixed(2)} epochs.`;
    } catch (error) {
      text.textContent = `The kept model could not be resumed: ${errorMessage(error)}`;
    }
  });
  byId('forget-model').addEventListener('click', async () => {
    offer.hidden = true;
    await forgetModel();
  });
}
settings.addEventListener('experiment-change', (event) => apply((event as CustomEvent<Experiment>).detail));

// Timing marks for the end-to-end test: the first reconstructions drawn.
let firstView = false;
document.addEventListener('latentlab-data', (event) => {
  if (!firstView && (event.target as Element).localName === 'latentlab-reconstructions') {
    firstView = true;
    requestAnimationFrame(() => performance.mark('first-view'));
  }
});

byId('copy-link').addEventListener('click', async () => {
  const status = byId('link-status');
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = 'Link copied: it opens this experiment.';
  } catch {
    status.textContent = `Copy this link: ${location.href}`;
  }
});

byId('download-model').addEventListener('click', async () => {
  try {
    fileStatus.textContent = `Saved ${await downloadModel(spec)}.`;
    fileStatus.className = 'ok';
  } catch (error) {
    fileStatus.textContent = errorMessage(error);
    fileStatus.className = 'problem';
  }
});

const fileInput = byId<HTMLInputElement>('load-model');
fileInput.addEventListener('change', async () => {
  const file = fileInput.files?.[0];
  if (!file) return;
  fileStatus.textContent = `Reading ${file.name}…`;
  fileStatus.className = '';
  try {
    const loaded = await loadModelFile(file, spec);
    const { experiment } = resolveSpec(loaded);
    apply(experiment);
    fileStatus.textContent = `Loaded ${file.name}: ${describeExperiment(experiment)}.`;
    fileStatus.className = 'ok';
  } catch (error) {
    fileStatus.textContent = errorMessage(error);
    fileStatus.className = 'problem';
  } finally {
    fileInput.value = '';
  }
});
