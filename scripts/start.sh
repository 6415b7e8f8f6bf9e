#!/usr/bin/env bash
# Sets up what is missing, builds, and serves the demo on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
port=${PORT:-5173}
echo "LatentLab demo: http://localhost:$port/"
exec npx vite preview --config web/vite.config.ts --host 127.0.0.1 --port "$port" --strictPort
