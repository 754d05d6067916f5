#!/usr/bin/env bash
# Installs every Debian package that building corslint and running its tests
# need. Safe to rerun: when everything is installed it returns at once.
set -euo pipefail

# One package a line; add new needs here.
packages=(
  build-essential
  cmake
  pkg-config
  git
  libpcre2-dev
  nlohmann-json3-dev
  libyaml-cpp-dev
  libcli11-dev
  libgtest-dev
  libgmock-dev
  libcpp-httplib-dev
  libgoogle-perftools-dev
  nginx-light
  libnginx-mod-http-headers-more-filter
  apache2
  curl
  ca-certificates
  chromium
  openssl
  nodejs
  python3-flask
  python3-flask-cors
)
# npm comes with some builds of nodejs; Debian's own nodejs needs Debian's
# npm package beside it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

# dpkg-query names every package it knows; any other is missing.
missing=()
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
  "${packages[@]}" 2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
for package in "${packages[@]}"; do
  if ! grep -qxF "$package" <<<"$installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

if ((EUID != 0)); then
  echo "setup: error: run as root to install: ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"

# The nginx and apache2 packages start their services on port 80 where a
# service manager runs, and the second of the two then fails to start and
# fails the install. The tests start their own servers on free ports, so
# forbid service starts (policy-rc.d exit 101) for the length of the install.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run to finish rather than fail on its lock.
apt=(apt-get -q -o DPkg::Lock::Timeout=600)
"${apt[@]}" update </dev/null
"${apt[@]}" install -y --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" </dev/null
echo "setup: done"
