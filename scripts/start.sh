#!/usr/bin/env bash
# Sets up what is missing, builds, and serves the demo on localhost; prints
# its address once the server answers, so that the address opens at once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
port=${PORT:-5173}
answers() {
  node -e "fetch('http://127.0.0.1:$port/').then(() => process.exit(0), () => process.exit(1))"
}
if answers; then
  echo "Port $port is taken by another server: stop it, or choose another with PORT=..." >&2
  exit 1
fi
npx vite preview --config web/vite.config.ts --host 127.0.0.1 --port "$port" --strictPort \
  --logLevel warn &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
until answers; do
  if ! kill -0 "$server" 2>/dev/null; then
    # It failed to start (the port is taken, say); its own message says why.
    status=0
    wait "$server" || status=$?
    echo "The demo's server stopped before it answered (exit status $status)." >&2
    exit 1
  fi
  sleep 0.2
done
echo "LatentLab demo: http://localhost:$port/"
wait "$server"
