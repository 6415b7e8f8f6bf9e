#!/usr/bin/env bash
# Installs what the project needs and is missing: Debian packages (as root,
# with apt-get) and the npm dependencies pinned by package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# libopenblas0-pthread: Debian's python3-torch runs whichever libblas.so.3 is selected, the
# reference BLAS unless this is installed, and the bench compares against PyTorch at its speed.
# clang and libclang-rt-dev: the sanitizer build of the C++ tests and the libFuzzer targets.
packages=(emscripten libeigen3-dev doctest-dev nlohmann-json3-dev chromium cmake g++ python3
  python3-torch libopenblas0-pthread clang-format dataset-fashion-mnist clang libclang-rt-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root, or install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules was not installed from the current lockfile.
if ! [ node_modules/.installed-from-lock -nt package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  touch node_modules/.installed-from-lock
fi
