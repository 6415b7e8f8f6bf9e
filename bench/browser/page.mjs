// The page of one bench run: starts the engine's worker (a module Worker, as
// the demo trains) with the run's thread count and exposes the worker's
// result as window.benchResult, a promise the orchestrator awaits.
const params = new URLSearchParams(location.search);
const engine = params.get('engine');
const threads = Number(params.get('threads') ?? 1);
const scripts = { latentlab: './latentlab-worker.mjs', tfjs: './tfjs-worker.mjs' };

window.benchResult = new Promise((resolve, reject) => {
  if (!(engine in scripts)) throw new Error(`unknown engine ${engine}`);
  const worker = new Worker(new URL(scripts[engine], import.meta.url), { type: 'module', name: engine });
  worker.onmessage = ({ data }) => {
    // The worker's clock starting and stopping: the orchestrator reads CPU times then.
    if (data.clock) {
      window.benchClock?.(data.clock);
      return;
    }
    worker.terminate();
    if (data.error) reject(new Error(data.error));
    else resolve({ ...data, pageCrossOriginIsolated: self.crossOriginIsolated });
  };
  worker.onerror = (event) => reject(new Error(`worker: ${event.message || 'failed to load'}`));
  worker.postMessage({ threads });
});
window.benchResult.then(
  (result) => (document.getElementById('out').textContent = JSON.stringify(result, null, 2)),
  (error) => (document.getElementById('out').textContent = String(error)),
);
