// The page of one bench run. TF.js: one module Worker (as the demo trains)
// runs its epoch and reports. LatentLab: one module Worker per thread count
// asked for (threads=1,2), which take turns of `turn` mini-batches through
// the epoch, so that the shared machine's load hits each count alike and
// their ratio is fair. window.benchResult is a promise of the results, one
// per worker, that the orchestrator awaits; window.benchClock(phase, name),
// which it exposes, reads the CPU time of the workers' threads.
const params = new URLSearchParams(location.search);
const engine = params.get('engine');
const workload = params.get('workload') ?? 'mlp';
const threadCounts = (params.get('threads') ?? '1').split(',').map(Number);
const turn = Number(params.get('turn') ?? 25);
const scripts = { latentlab: './latentlab-worker.mjs', tfjs: './tfjs-worker.mjs' };

function startWorker(name) {
  return new Worker(new URL(scripts[engine], import.meta.url), { type: 'module', name });
}

/** One request to a LatentLab worker, answered by one message. */
function ask(worker, message) {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
    worker.onerror = (event) => reject(new Error(`worker: ${event.message || 'failed to load'}`));
    worker.postMessage(message);
  });
}

async function interleaved() {
  const workers = threadCounts.map((threads) => ({ threads, worker: startWorker(`latentlab-${threads}`) }));
  try {
    for (const w of workers) await ask(w.worker, { step: 'prepare', workload, threads: w.threads });
    let running = workers;
    while (running.length > 0) {
      for (const w of running) {
        await window.benchClock?.('start', String(w.threads));
        w.done = (await ask(w.worker, { step: 'train', batches: turn })).done;
        await window.benchClock?.('stop', String(w.threads));
      }
      running = running.filter((w) => !w.done);
    }
    const results = [];
    for (const w of workers) results.push(await ask(w.worker, { step: 'finish' }));
    return results;
  } finally {
    for (const w of workers) w.worker.terminate();
  }
}

function single() {
  return new Promise((resolve, reject) => {
    const worker = startWorker(engine);
    worker.onmessage = ({ data }) => {
      // The worker's clock starting and stopping: the orchestrator reads CPU times then.
      if (data.clock) {
        window.benchClock?.(data.clock, engine);
        return;
      }
      worker.terminate();
      if (data.error) reject(new Error(data.error));
      else resolve([data]);
    };
    worker.onerror = (event) => reject(new Error(`worker: ${event.message || 'failed to load'}`));
    worker.postMessage({ workload, threads: threadCounts[0] });
  });
}

window.benchResult =
  engine === 'latentlab'
    ? interleaved()
    : engine === 'tfjs'
      ? single()
      : Promise.reject(new Error(`unknown engine ${engine}`));
window.benchResult.then(
  (results) => (document.getElementById('out').textContent = JSON.stringify(results, null, 2)),
  (error) => (document.getElementById('out').textContent = String(error)),
);
