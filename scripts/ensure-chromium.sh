#!/usr/bin/env bash
# Makes sure a headless Chromium is available for the report's rendering test (ReportRenderIT), installing
# Debian's `chromium` package when it is missing. Called by the build (jobs module, before the integration tests),
# so `mvn verify` on a fresh Debian or Ubuntu machine needs nothing installed by hand.
#
#   scripts/ensure-chromium.sh [MARKER]
#
# Exit 0: chromium is on the PATH (it was, or it has just been installed).
# Exit 3: it cannot be installed on this machine (no apt-get, or neither root nor sudo). The reason is printed and,
#         if MARKER is given, written there, so that the test can skip with that reason instead of failing.
# Exit 1: an installation was attempted and failed (network, archive): a real error, the build stops.
set -euo pipefail

marker="${1:-}"
[ -n "$marker" ] && rm -f "$marker"

find_chromium() {
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if path="$(find_chromium)"; then
  echo "ensure-chromium: found $path"
  exit 0
fi

cannot() {
  echo "ensure-chromium: cannot install Chromium: $1" >&2
  if [ -n "$marker" ]; then
    mkdir -p "$(dirname "$marker")"
    printf '%s\n' "$1" >"$marker"
  fi
  exit 3
}

command -v apt-get >/dev/null 2>&1 || cannot "apt-get not found (not a Debian or Ubuntu machine); install a Chromium whose binary is named chromium"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  cannot "not root and no password-less sudo; run: sudo apt-get install chromium"
fi

echo "ensure-chromium: installing Debian's chromium package (apt-get), once per machine ..."
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine; without them apt finds no chromium.
"${as_root[@]}" apt-get update -q >/dev/null
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium >/dev/null
path="$(find_chromium)" || { echo "ensure-chromium: apt-get installed chromium but no chromium binary is on the PATH" >&2; exit 1; }
echo "ensure-chromium: installed $path ($("$path" --version 2>/dev/null || echo 'version unknown'))"
