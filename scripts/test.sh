#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash tests/browser/install.sh
bash scripts/build.sh

# Each test gets at most five minutes; a run that finds no test fails.
status=0
ctest --test-dir build --output-on-failure -j2 --timeout 300 \
  --no-tests=error || status=$?
exit "$status"
