#!/usr/bin/env bash
# Installs what is missing, builds erdiag twice (plain with the Wireshark
# plugin, and with AddressSanitizer + UBSan) and runs the whole test suite in
# both builds with ctest.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" test
"$top/scripts/build.sh" "$top/build"
"$top/scripts/build.sh" "$top/build-asan" -DERDIAG_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
status=0
echo "== tests (plain build, with the plugin)"
ctest --test-dir "$top/build" --output-on-failure -j2 || status=1
echo "== tests (AddressSanitizer + UBSan build)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$top/build-asan" --output-on-failure -j2 -LE slow || status=1
exit $status
