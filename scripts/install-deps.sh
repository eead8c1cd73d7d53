#!/usr/bin/env bash
# Installs the Debian packages erdiag needs that are missing.
#   scripts/install-deps.sh build   the CLI (compiler, CMake, GLib, json-glib, libpcap)
#   scripts/install-deps.sh test    + what the test suite uses (tshark and libwireshark-dev
#                                   for the plugin and decoder agreement, valgrind, chromium)
set -euo pipefail
profile=${1:-build}

build_pkgs=(gcc make cmake pkg-config libglib2.0-dev libjson-glib-dev libpcap-dev)
test_pkgs=(tshark wireshark-common libwireshark-dev valgrind chromium util-linux tcpreplay iproute2)

pkgs=("${build_pkgs[@]}")
[ "$profile" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "erdiag: installing ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "erdiag: missing packages (${missing[*]}) and not root: install them first" >&2; exit 2; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
