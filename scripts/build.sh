#!/usr/bin/env bash
# Builds everything: the native engine with its tests and benchmark, the
# WebAssembly engine, the npm package in dist/ (its views in dist/views/), and the
# demo page in web/dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$jobs"

# Debian's emcc runs on Node and needs Debian's acorn, which only NODE_PATH
# shows it. Emscripten's default test emulator passes a flag Node 20 rejects.
# find_package looks only inside Emscripten's sysroot unless told where to look.
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
  -DEigen3_DIR=/usr/share/eigen3/cmake -Dnlohmann_json_DIR=/usr/share/cmake/nlohmann_json \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build build/wasm -j"$jobs"

rm -rf dist
mkdir -p dist
cp build/wasm/engine.mjs build/wasm/engine.wasm bindings/src/engine.d.mts dist/
cp build/wasm/engine-threads.mjs build/wasm/engine-threads.wasm build/wasm/engine-threads.worker.js \
  bindings/src/engine-threads.d.mts dist/
# Emscripten starts the pthread workers with a literal `new Worker(new URL(..., import.meta.url))`
# unless given locateFile; bundlers such as Vite would try to bundle that worker (and fail in
# their default classic-worker format). The API always passes locateFile: drop that branch.
node -e "
const fs = require('fs');
const file = 'dist/engine-threads.mjs';
const branch = 'if(!Module[\"locateFile\"]){PThread.unusedWorkers.push(new Worker(new URL(\"engine-threads.worker.js\",import.meta.url)));return}';
const source = fs.readFileSync(file, 'utf8');
if (!source.includes(branch)) throw new Error(file + ': the worker branch to drop was not found');
fs.writeFileSync(file, source.replace(branch, ''));
"
# The configuration's TypeScript types, from the engine's schema.
node scripts/generate-config-types.mjs
npx tsc -p bindings/tsconfig.json
npx tsc -p bindings/tsconfig.node.json

# The demo's pretrained models (skipped when up to date with the engine).
node scripts/pretrain.mjs

node scripts/prepare-mnist.mjs
npx vite build --config web/vite.config.ts --logLevel warn
# The npm package's views (latentlab/views), with the digits and models they fetch.
npx vite build --config web/vite.views.config.ts --logLevel warn
