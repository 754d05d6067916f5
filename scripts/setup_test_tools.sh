#!/usr/bin/env bash
# Installs the npm packages that the test suite checks corslint's output
# with (Microsoft's SARIF Multitool, Ajv and its formats), as pinned by
# tests/package-lock.json, into tests/node_modules, with the npm that
# scripts/setup.sh installs. Safe to rerun: when the installed tree matches
# the lock file it returns at once.
set -euo pipefail
cd "$(dirname "$0")/../tests"

stamp=node_modules/.corslint-lock
if [[ -f $stamp ]] && cmp -s package-lock.json "$stamp"; then
  echo "setup_test_tools: tests/node_modules matches the lock file"
  exit 0
fi

# Install scripts stay off; the one the Multitool's Linux package has only
# marks its program executable, which is done here.
npm ci --ignore-scripts --no-audit --no-fund </dev/null
chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
cp package-lock.json "$stamp"
echo "setup_test_tools: done"
