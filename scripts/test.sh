#!/usr/bin/env bash
# Every test: formatting, native C++ (doctest; again under ASan + UBSan), a short fuzz of
# the file readers, TypeScript types (tsc --strict), the API and unit tests in Node
# (Vitest), a short soak of every family, and the page in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== Formatting (clang-format, Prettier)"
bash scripts/format.sh --check

bash scripts/build.sh

echo "== C++ unit tests (doctest, native)"
ctest --test-dir build/native --output-on-failure

echo "== C++ unit tests under AddressSanitizer (with leak checks) and UndefinedBehaviorSanitizer (clang)"
bash scripts/sanitize.sh

echo "== Fuzzing the model-file reader and the IDX parser (libFuzzer, ASan + UBSan), 30 s each"
bash scripts/fuzz.sh --seconds 30

echo "== TypeScript types"
npx tsc -p tests/tsconfig.json
npx tsc -p web/tsconfig.json
npx tsc -p examples/tsconfig.json

echo "== API, package and interop tests (Vitest: Node, the packed package in Chromium, PyTorch)"
npx vitest run

echo "== Soak, short (every family, dense and convolutional: finite results, heap steady, divergences kept)"
node scripts/soak.mjs --short

echo "== The PyTorch module (Debian's python3 and python3-torch, whatever python3 is first on PATH)"
/usr/bin/python3 tests/python/test_torch_conv.py
/usr/bin/python3 tests/python/test_torch_show.py

echo "== End to end (playwright-core, Chromium)"
npx vitest run --config tests/e2e/vitest.config.ts
