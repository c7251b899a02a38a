#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser test (test/dashboard/), only when
# /usr/bin/chromium is missing; idempotent. CI runs as root; elsewhere sudo is used if present.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y chromium
