#!/bin/sh
# One libFuzzer run of one target, at the lowest CPU priority, with its
# numbers kept: run-fuzz.sh BUILD_DIR WORK_DIR TARGET SECONDS [libFuzzer args]
#   BUILD_DIR  configured with CC=clang -DERDIAG_FUZZ=ON
#   WORK_DIR   holds seeds/<target> (make-seeds.sh), and gets corpus/<target>,
#              artifacts/<target>/ (crashes, leaks, timeouts, OOMs) and
#              logs/<target>.log; a later run continues from the corpus
# Wall-clock seconds; the CPU time actually used is at the end of the log
# (the machine may be shared). A crashing input goes to artifacts/: copy it
# to tests/fuzz/regressions/<target>/ once the bug is fixed.
set -eu
build=$1
work=$2
target=$3
seconds=$4
shift 4

case $target in
    link|arp|ip|tcp) max_len=4096 ;;
    bgp_decode) max_len=66000 ;;       # room for a 65535-byte extended message
    bgp_stream|pipeline) max_len=262144 ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac

# tests/CMakeLists.txt puts the binaries in tests/fuzz/ of the build tree
bin=$build/tests/fuzz/fuzz_$target
[ -x "$bin" ] || bin=$build/fuzz_$target

mkdir -p "$work/corpus/$target" "$work/artifacts/$target" "$work/logs" "$work/seeds/$target"
log=$work/logs/$target.log
echo "== $(date -u +%FT%TZ) $target for ${seconds}s" >>"$log"
# -timeout is wall-clock time (FUZZ_TIMEOUT, default 300 s: on a loaded
# machine a niced process can stall for seconds, so a short limit reports
# false hangs; replay a timeout-* artifact to see its real cost).
# -rss_limit_mb: 2 GiB is a leak or an unbounded structure, not a capture.
nice -n 19 /usr/bin/time -f "== cpu user %U s, sys %S s, wall %e s, max rss %M KiB" \
    "$bin" -max_total_time="$seconds" -timeout=${FUZZ_TIMEOUT:-300} -rss_limit_mb=2048 \
    -max_len=$max_len -print_final_stats=1 -artifact_prefix="$work/artifacts/$target/" \
    "$@" "$work/corpus/$target" "$work/seeds/$target" >>"$log" 2>&1 || echo "== exit status $?" >>"$log"
grep -E '^#[0-9]+ +(DONE|pulse|REDUCE|NEW)' "$log" | tail -1
grep -E '^(stat::|==)' "$log" | tail -8
