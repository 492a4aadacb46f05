#!/usr/bin/env bash
# Installs the Debian 12 packages mailsim needs (see docs/architecture.md, "Dependencies").
# Idempotent: packages already present are skipped, and apt is not touched at all when nothing is missing.
# Works as root or through sudo. Set MAILSIM_SKIP_INSTALL=1 to skip entirely (e.g. on a non-Debian box).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libimgui-dev libglfw3-dev python3-glad python3-jinja2 libgl-dev
  libssl-dev catch2 libyaml-cpp-dev libstb-dev libfmt-dev libfreetype-dev libmd4c-dev libidn2-dev
  fonts-wqy-microhei
  xvfb xauth
  python3 curl
  python3-jsonschema python3-yaml
  universal-ctags  # scripts/check-function-length.py
  tshark
  isync fetchmail offlineimap3 neomutt swaks dovecot-imapd
  clang-14 libclang-rt-14-dev
  # the browser build and its tests (issue #15, scripts/build-web.sh): emcc, the font subsetter, apt-get source's
  # unpacker, and headless chromium
  emscripten python3-fonttools dpkg-dev xz-utils chromium
)

if [[ "${MAILSIM_SKIP_INSTALL:-0}" == 1 ]]; then
  echo "install-deps: MAILSIM_SKIP_INSTALL=1, skipping"
  exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: dpkg-query not found; this script targets Debian 12. Install these by hand: ${PACKAGES[*]}" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2; exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark (checks the pcap export) must not ask whether non-root users may capture.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
