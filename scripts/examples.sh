#!/usr/bin/env bash
# Installs what is needed, builds, and checks the bundled example configs.
# Findings are the point of the demo: corslint's exit code 1 counts as
# success here; any other failure is passed on.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

if [[ ! -x build/corslint ]]; then
  echo "examples: error: build/corslint was not built" >&2
  exit 2
fi
status=0
build/corslint check examples/ || status=$?
if ((status == 1)); then
  exit 0
fi
exit "$status"
