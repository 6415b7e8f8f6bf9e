#!/usr/bin/env bash
# `npm run fuzz`: builds the libFuzzer targets of tests/fuzz (clang, with ASan,
# its leak checker and UBSan, any report fatal) and runs each from its seed
# corpus (tests/fuzz/corpus/<name>) for 10^6 executions, or for a time with
# `--seconds S` (npm test runs 30 s each). The inputs that once crashed a
# target (tests/fuzz/regressions/<name>) run first. Prints the executions per
# target; a finding stops it with the input saved in build/fuzz/findings/.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
limit=(-runs=1000000)
if [[ "${1:-}" == "--seconds" ]]; then
  limit=(-max_total_time="$2")
fi

cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DLATENTLAB_FUZZ=ON >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target fuzz_model_file fuzz_idx >/dev/null

mkdir -p build/fuzz/findings
for name in model_file idx; do
  target=build/fuzz/fuzz_$name
  log=build/fuzz/$name.log
  regressions=(tests/fuzz/regressions/"$name"/*)
  if ((${#regressions[@]} > 0)); then
    "$target" "${regressions[@]}" >"$log" 2>&1 || { tail -40 "$log"; exit 1; }
  fi
  # The first directory is the working corpus libFuzzer adds to; the committed seeds only seed it.
  work=build/fuzz/corpus/$name
  mkdir -p "$work"
  if ! "$target" "${limit[@]}" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/findings/"$name"- "$work" tests/fuzz/corpus/"$name" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz $name: FINDING (input in build/fuzz/findings/; keep it in tests/fuzz/regressions/$name/)" >&2
    exit 1
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz $name: $executions executions, ${#regressions[@]} regression inputs, 0 crashes, 0 leaks, 0 UBSan reports"
done
