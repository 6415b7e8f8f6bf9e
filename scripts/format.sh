#!/usr/bin/env bash
# Formats every C++ file with clang-format (.clang-format) and every
# TypeScript/JavaScript/CSS/JSON file with Prettier (.prettierrc.json).
# `--check` changes nothing and fails if a file is not formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t cpp < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cpp')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run -Werror "${cpp[@]}"
  npx prettier --check --log-level warn .
else
  clang-format -i "${cpp[@]}"
  npx prettier --write --log-level warn .
fi
