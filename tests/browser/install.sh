#!/usr/bin/env bash
# Installs the npm packages the tests use (express and cors for generated
# apps, playwright-core to drive Debian's Chromium), exactly as pinned in
# package-lock.json. Does nothing when they are already installed.
set -euo pipefail
cd "$(dirname "$0")"

if [[ -f node_modules/.package-lock.json &&
      node_modules/.package-lock.json -nt package-lock.json ]]; then
  exit 0
fi
npm ci --no-audit --no-fund
