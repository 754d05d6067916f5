#!/usr/bin/env bash
# Installs the npm packages that the test suite checks corslint's output
# with (Microsoft's SARIF Multitool, Ajv and its formats), as pinned by
# tests/package-lock.json, into tests/node_modules. Safe to rerun: when the
# installed tree matches the lock file it returns at once.
set -euo pipefail
cd "$(dirname "$0")/../tests"

stamp=node_modules/.corslint-lock
if [[ -f $stamp ]] && cmp -s package-lock.json "$stamp"; then
  echo "setup_test_tools: tests/node_modules matches the lock file"
  exit 0
fi

# Node.js and npm come with the machine image; where they do not, Debian's
# packages provide them.
if ! command -v npm >/dev/null; then
  if ((EUID != 0)); then
    echo "setup_test_tools: error: run as root to install nodejs and npm" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt=(apt-get -q -o DPkg::Lock::Timeout=600)
  "${apt[@]}" update </dev/null
  "${apt[@]}" install -y --no-install-recommends nodejs npm </dev/null
fi

# Install scripts stay off; the one the Multitool's Linux package has only
# marks its program executable, which is done here.
npm ci --ignore-scripts --no-audit --no-fund </dev/null
chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
cp package-lock.json "$stamp"
echo "setup_test_tools: done"
