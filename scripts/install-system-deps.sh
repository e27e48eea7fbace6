#!/usr/bin/env bash
# Debian packages CTXH needs. Idempotent: installs only what is missing.
#   scripts/install-system-deps.sh          what the running system needs: the
#                                           libraries WeasyPrint loads for the printable
#                                           case file, and fonts that draw Vietnamese marks
#   scripts/install-system-deps.sh --test   the same, plus Chromium for the browser tests
set -euo pipefail
need=()
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
# WeasyPrint draws text through Pango and subsets fonts with HarfBuzz.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Cài đặt gói Debian: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
