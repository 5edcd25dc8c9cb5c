#!/usr/bin/env bash
# Debian packages the tests need beyond Python: headless Chromium (+ driver) for browser
# tests and PDF, fonts that render Vietnamese, Cyrillic and Chinese, and PostgreSQL.
# Installs only what is missing; without root it lists what to install and carries on
# (tests needing them then skip locally, but fail under CI=true).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk fonts-noto-core fonts-dejavu-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: not root; please install: ${need[*]}" >&2
  exit 0
fi
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
