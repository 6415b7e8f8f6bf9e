#!/usr/bin/env bash
# The native doctest suite built with clang under AddressSanitizer (its leak
# checker on) and UndefinedBehaviorSanitizer, every report fatal (see
# CMakeLists.txt's LATENTLAB_SANITIZE), in build/sanitize.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DLATENTLAB_SANITIZE=ON >/dev/null
cmake --build build/sanitize -j"$(nproc)" --target latentlab_tests >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  build/sanitize/latentlab_tests
