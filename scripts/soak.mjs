// The soak (issue 11): every family the page offers at the page's defaults,
// dense and with its `convolutional` layers where the engine takes them, for
// 5 seeds x 10 epochs on MNIST's 60,000 training digits (PCA, which has no
// training loop, fitted once a seed). After every epoch every number the API
// returns must be finite (the epoch's statistics, evaluate on the 10,000 test
// digits, codes, outputs, scores, a VAE's samples, the parameters) and the
// engine's heap must stand where the first epoch left it; a disposed model
// gives its memory back. Then a learning-rate sweep, 1e-4 ... 1, of every
// family's dense default: a run either stays finite or ends in an Error that
// says it diverged, with the parameters exactly as they were before that
// step and the model still usable. Prints a summary and the wall time, and
// exits 1 on any failure. The families, their defaults, their models and
// training options come from the page's own definitions (web/src/lab).
//   node scripts/soak.mjs [--short] [--only family[:kind],...]
//   --short (npm test): 1 seed x 2 epochs on 6,000 training and 2,000 test
//   digits; the sweep 40 steps a rate.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { countNonFinite, modelOutputs, nonFinitePlaces, pcaOutputs, trainChecked } from './soak-checks.mjs';

const started = performance.now();
const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const lab = async (file) => (await runnerImport(path.join(repo, 'web', 'src', 'lab', file))).module;
const { families } = await lab('families.ts');
const { convolutional, defaultsFor, inputSize } = await lab('experiment.ts');
const { engineObjection, modelConfigOf, trainOptionsOf } = await lab('model-config.ts');
const { imagesFromIdx, init, pixelScale } = await import(path.join(repo, 'dist', 'index.js'));
const { readMnist } = await import(path.join(repo, 'dist', 'node.js'));

const args = process.argv.slice(2);
const short = args.includes('--short');
// --only vanilla,vae:conv,pca: those families (all their kinds, or the one named), and their sweeps.
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : [...families];
for (const entry of only) {
  const [family, kind] = entry.split(':');
  if (!families.includes(family) || ![undefined, 'dense', 'conv', 'fit'].includes(kind)) {
    console.error(
      `soak: --only ${entry}: expected a family (${families.join(', ')}), or family:dense or :conv`,
    );
    process.exit(2);
  }
}
const chosen = (family, kind) => only.includes(family) || only.includes(`${family}:${kind}`);
const chosenFamily = (family) => only.some((entry) => entry.split(':')[0] === family);
const plan = short
  ? { seeds: 1, epochs: 2, train: 6_000, test: 2_000, sweepSteps: 40 }
  : { seeds: 5, epochs: 10, train: 60_000, test: 10_000, sweepSteps: 1_000 };
const learningRates = [1e-4, 1e-3, 1e-2, 1e-1, 1];
// Beyond the page's range (at most 1), rates at which Adam's first steps
// overflow: at least one run must diverge, or the divergence checks would
// never have been exercised (1e20: the weights after step 1 make step 2's
// loss infinite; 1e40: step 1 makes the weights infinite).
const overflowingRates = [1e20, 1e40];

const ll = await init();
const failures = [];
const fail = (what, problem) => {
  failures.push(`${what}: ${problem}`);
  console.log(`  FAIL ${what}: ${problem}`);
};
const MiB = 1024 * 1024;
const mib = (bytes) => (bytes === undefined ? '-' : (bytes / MiB).toFixed(2));
const signedBytes = (bytes) => `${bytes >= 0 ? '+' : ''}${bytes} B`;
const rate = (learningRate) => learningRate.toExponential().replace('e+', 'e');

const trainSplit = await readMnist(ll, 'train', { limit: plan.train });
const testSplit = await readMnist(ll, 'test', { limit: plan.test });
const train = ll.createDataset(trainSplit.images.data, inputSize, { scale: pixelScale });
const test = ll.createDataset(testSplit.images.data, inputSize, { scale: pixelScale });
// A few test digits as floats, for the calls that take no Dataset.
const probe = imagesFromIdx(testSplit.images).slice(0, 16 * inputSize);
console.log(
  `soak${short ? ' --short' : ''}: ${plan.seeds} seeds x ${plan.epochs} epochs on ${train.count} MNIST ` +
    `training digits, evaluated on ${test.count} test digits; learning rates ` +
    `${[...learningRates, ...overflowingRates].map(rate).join(', ')} ` +
    `for ${plan.sweepSteps} steps; ${ll.simd}, Node ${process.versions.node}`,
);

/** The page's experiment for a family, seed and kind ('dense': its defaults; 'conv': its convolutional layers on them). */
function experimentOf(family, kind, seed) {
  const defaults = defaultsFor(family);
  const layers = kind === 'conv' ? { conv: [...convolutional.conv], hidden: [...convolutional.hidden] } : {};
  return { ...defaults, ...layers, seed: defaults.seed + seed };
}

/** Checks the outputs of a call (`outputs()` returns them) and counts what is not finite; an Error is a failure. */
function checkOutputs(what, outputs) {
  let result;
  try {
    result = outputs();
  } catch (error) {
    fail(what, `the outputs threw ${error}`);
    return { nonFinite: 0 };
  }
  const nonFinite = countNonFinite(result);
  if (nonFinite > 0) fail(what, `${nonFinite} values not finite: ${nonFinitePlaces(result).join(', ')}`);
  return { result, nonFinite };
}

/**
 * One autoencoder, `plan.epochs` epochs: per epoch the loss on the test
 * digits, the heap and what was not finite; the heap left after dispose.
 */
function soakModel(family, kind, seed) {
  const experiment = experimentOf(family, kind, seed);
  const what = `${family} ${kind} seed ${experiment.seed}`;
  const heapBefore = ll.heapBytes();
  const model = ll.createModel(modelConfigOf(experiment));
  const options = trainOptionsOf(experiment);
  const run = { heaps: [], testLosses: [], nonFinite: 0, divergences: [], seconds: 0 };
  try {
    soakEpochs(what, model, options, run);
  } catch (error) {
    fail(what, `threw ${error}`);
  } finally {
    model.dispose();
  }
  run.retained = ll.heapBytes() - heapBefore;
  const [first, ...later] = run.heaps;
  if (later.some((heap) => heap !== first)) {
    fail(what, `the heap changed after epoch 1: ${first} B, later ${later.join(', ')} B`);
  }
  console.log(
    `  ${what}: test loss ${run.testLosses.map((loss) => loss.toPrecision(4)).join(' ')}, ` +
      `heap ${mib(first)} MiB after epoch 1, ${signedBytes((run.heaps.at(-1) ?? first) - first)} at the end, ` +
      `${signedBytes(run.retained)} after dispose, ${(run.seconds / run.heaps.length).toFixed(1)} s/epoch`,
  );
  return run;
}

/** The epochs of soakModel, each followed by its checks, recorded in `run`. */
function soakEpochs(what, model, options, run) {
  let step = 0;
  for (let epoch = 1; epoch <= plan.epochs; epoch++) {
    const begun = performance.now();
    const trained = trainChecked(model, train, options, { stepBefore: step, test });
    run.seconds += (performance.now() - begun) / 1000;
    run.nonFinite += trained.nonFinite;
    for (const problem of trained.problems) fail(what, problem);
    if (trained.nonFinite > 0) fail(what, `epoch ${epoch}: ${trained.nonFinite} training numbers not finite`);
    if (trained.divergence) {
      run.divergences.push(`epoch ${epoch}: ${trained.divergence.message}`);
      console.log(`  ${what}: diverged in epoch ${epoch}: ${trained.divergence.message}`);
      if (!trained.divergence.usable)
        fail(what, 'after the divergence the model could not evaluate or train on');
      break;
    }
    step = trained.stats.step;
    const { result, nonFinite } = checkOutputs(`${what} epoch ${epoch}`, () =>
      modelOutputs(model, test, probe),
    );
    run.nonFinite += nonFinite;
    run.testLosses.push(result?.evaluate.loss ?? NaN);
    run.heaps.push(ll.heapBytes());
  }
}

/** PCA, fitted once a seed (it has no seed: each fit repeats the same computation). */
function soakPca(seed) {
  const experiment = defaultsFor('pca');
  const what = `pca seed ${experiment.seed + seed}`;
  const heapBefore = ll.heapBytes();
  const pca = ll.createPCA({ inputSize, components: experiment.latent });
  const begun = performance.now();
  let fitted = { nonFinite: 0 };
  let heap;
  try {
    pca.fit(train);
    fitted = checkOutputs(what, () => pcaOutputs(pca, test, probe));
    heap = ll.heapBytes();
  } catch (error) {
    fail(what, `threw ${error}`);
  } finally {
    pca.dispose();
  }
  const seconds = (performance.now() - begun) / 1000;
  const { result, nonFinite } = fitted;
  const retained = ll.heapBytes() - heapBefore;
  console.log(
    `  ${what}: test loss ${result?.evaluate.loss.toPrecision(4)}, heap ${mib(heap)} MiB fitted, ` +
      `${signedBytes(retained)} after dispose, ${seconds.toFixed(1)} s to fit and check`,
  );
  return {
    heaps: [heap],
    testLosses: [result?.evaluate.loss ?? NaN],
    nonFinite,
    divergences: [],
    seconds,
    retained,
  };
}

// The families in the page's order: PCA fitted, the others dense and convolutional.
const rows = [];
for (const family of families) {
  const kinds = family === 'pca' ? ['fit'] : ['dense', 'conv'];
  for (const kind of kinds.filter((k) => chosen(family, k))) {
    if (kind === 'conv') {
      const objection = engineObjection(ll, experimentOf(family, kind, 0));
      if (objection) {
        console.log(`${family} conv: not run, the engine objects: ${objection}`);
        continue;
      }
    }
    console.log(`${family} ${kind}:`);
    const runs = [];
    for (let seed = 0; seed < plan.seeds; seed++) {
      runs.push(kind === 'fit' ? soakPca(seed) : soakModel(family, kind, seed));
    }
    rows.push({ family, kind, runs });
  }
}

// Each model once more, after the soak has grown the matrix product's
// packing space (which the engine keeps for reuse, sized for the largest
// product so far: the first run of a model may leave some behind) to its
// largest: a fresh model that trains, answers every call and is disposed
// must leave the heap exactly as it found it. Later seeds of a model must too.
const disposals = [];
for (const { family, kind, runs } of rows) {
  runs.forEach(({ retained }, seed) => {
    if (seed > 0 && retained !== 0) {
      fail(`${family} ${kind} seed run ${seed + 1}`, `the heap kept ${signedBytes(retained)} after dispose`);
    }
  });
  const before = ll.heapBytes();
  try {
    if (kind === 'fit') {
      const pca = ll.createPCA({ inputSize, components: defaultsFor(family).latent });
      try {
        pca.fit(train);
        pcaOutputs(pca, test, probe);
      } finally {
        pca.dispose();
      }
    } else {
      const experiment = experimentOf(family, kind, 0);
      const model = ll.createModel(modelConfigOf(experiment));
      try {
        model.trainSteps(train, { ...trainOptionsOf(experiment), steps: 5 });
        modelOutputs(model, test, probe);
      } finally {
        model.dispose();
      }
    }
  } catch (error) {
    fail(`${family} ${kind} again`, `threw ${error}`);
  }
  const kept = ll.heapBytes() - before;
  disposals.push({ family, kind, kept });
  if (kept !== 0) fail(`${family} ${kind} again`, `the heap kept ${signedBytes(kept)} after dispose`);
}

/**
 * A family's dense default at one learning rate, from its seed, for
 * `plan.sweepSteps` steps or until the engine reports a divergence.
 */
function sweepRun(family, learningRate) {
  const experiment = defaultsFor(family);
  const what = `${family} lr ${rate(learningRate)}`;
  const options = { ...trainOptionsOf(experiment), learningRate };
  const entry = { family, learningRate, step: 0, nonFinite: 0 };
  const heapBefore = ll.heapBytes();
  const model = ll.createModel(modelConfigOf(experiment));
  try {
    while (entry.step < plan.sweepSteps && !entry.divergence) {
      const trained = trainChecked(model, train, options, {
        steps: plan.sweepSteps - entry.step,
        stepBefore: entry.step,
        test,
      });
      entry.nonFinite += trained.nonFinite;
      entry.lastLoss = trained.lastLoss ?? entry.lastLoss;
      for (const problem of trained.problems) fail(what, problem);
      if (trained.divergence) entry.divergence = trained.divergence;
      else entry.step = trained.stats.step;
    }
    if (entry.nonFinite > 0) fail(what, `${entry.nonFinite} training numbers not finite`);
    if (entry.divergence && !entry.divergence.usable) {
      // Weights kept from a step short of overflowing: trainChecked saw
      // evaluate and training on say so in Errors. Within the page's rates
      // the model must stay usable.
      if (learningRates.includes(learningRate)) {
        fail(what, 'after the divergence the model could not evaluate or train on');
      }
    } else {
      const { result, nonFinite } = checkOutputs(what, () => modelOutputs(model, test, probe));
      entry.nonFinite += nonFinite;
      entry.testLoss = result?.evaluate.loss;
    }
  } catch (error) {
    fail(what, `threw ${error}`);
  } finally {
    model.dispose();
  }
  const kept = ll.heapBytes() - heapBefore;
  if (kept !== 0) fail(what, `the heap kept ${signedBytes(kept)} after dispose`);
  const outcome = entry.divergence
    ? `${entry.divergence.message}${entry.divergence.usable ? '' : ' (its results overflow: Errors)'}`
    : `${entry.step} steps, finite`;
  console.log(
    `  ${what}: ${outcome}; last batch loss ${entry.lastLoss?.toPrecision(4) ?? '-'}, ` +
      `test loss ${entry.testLoss?.toPrecision(4) ?? '-'}`,
  );
  return entry;
}

const sweep = [];
console.log(`learning rates, ${plan.sweepSteps} steps:`);
for (const family of families.filter((f) => f !== 'pca' && chosenFamily(f))) {
  for (const learningRate of [...learningRates, ...overflowingRates])
    sweep.push(sweepRun(family, learningRate));
}
if (
  sweep.length > 0 &&
  !sweep.some((entry) => entry.divergence && !learningRates.includes(entry.learningRate))
) {
  fail(
    'learning rates',
    `no run diverged, even at ${overflowingRates.map(rate).join(' or ')}: the checks were not exercised`,
  );
}
train.dispose();
test.dispose();

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
console.log(
  `\nSummary (heap in MiB: after epoch 1 -> after the last, of the first seed; kept: after dispose)\n`,
);
console.log(
  '| family | kind | seeds | epochs | test loss (mean) | heap | kept after dispose, again | not finite | divergences | s/epoch |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const { family, kind, runs } of rows) {
  const [first] = runs;
  const grew = runs.some(({ heaps }) => heaps.some((heap) => heap !== heaps[0]));
  const again = disposals.find((d) => d.family === family && d.kind === kind).kept;
  const epochs = runs.map(({ heaps }) => heaps.length);
  const cells = [
    family,
    kind,
    runs.length,
    kind === 'fit' ? 'fit' : Math.min(...epochs) === Math.max(...epochs) ? epochs[0] : epochs.join('/'),
    mean(runs.map(({ testLosses }) => testLosses.at(-1))).toPrecision(4),
    `${mib(first.heaps[0])} -> ${mib(first.heaps.at(-1))}${grew ? ' GREW' : ''}`,
    `${runs.map(({ retained }) => signedBytes(retained)).join(', ')}; ${signedBytes(again)}`,
    runs.reduce((sum, run) => sum + run.nonFinite, 0),
    runs.reduce((sum, run) => sum + run.divergences.length, 0),
    mean(runs.map(({ seconds, heaps }) => seconds / heaps.length)).toFixed(1),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(`\nLearning rates (dense defaults, ${plan.sweepSteps} steps)\n`);
console.log('| family | lr | outcome | last batch loss | test loss | not finite |');
console.log('|---|---|---|---|---|---|');
for (const entry of sweep) {
  const outcome = entry.divergence
    ? `diverged at step ${entry.divergence.step}${entry.divergence.usable ? ', usable' : ', results overflow (Errors)'}`
    : `finite, ${entry.step} steps`;
  const cells = [
    entry.family,
    rate(entry.learningRate),
    outcome,
    entry.lastLoss?.toPrecision(4) ?? '-',
    entry.testLoss?.toPrecision(4) ?? '-',
    entry.nonFinite,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}

const seconds = (performance.now() - started) / 1000;
console.log(`\nwall time ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s)`);
if (failures.length > 0) {
  console.log(`\n${failures.length} failures:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('soak: no failures');
}
