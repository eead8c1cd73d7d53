#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs erdiag on a bundled
# capture with its peering config (by default a primary/secondary pair whose
# secondary MSEE never answers ARP). Other captures: scripts/demo.sh DIR
# with DIR one of captures/*/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" build
"$top/scripts/build.sh" "$top/build"
dir=${1:-$top/captures/secondary-msee-silent}
cap=$(ls "$dir"/capture.pcap* | head -1)
set +e
"$top/build/erdiag" --config "$dir/peering.ini" "$cap"
status=$?
echo
echo "erdiag exited with $status (0 = clean, 1 = warnings or errors found, 2 = bad input)."
exit 0
