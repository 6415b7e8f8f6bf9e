#!/usr/bin/env bash
# `npm run bench`: sets up and builds, then measures training throughput of
# the reference workload every way LatentLab runs (Chromium worker with 1 and
# 2 threads, Node, native) against TF.js (wasm) and PyTorch, in alternating
# rounds; see bench/throughput.mjs and the README's bench section.
# Usage: npm run bench [-- rounds]   (default 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
node bench/throughput.mjs "$@"
