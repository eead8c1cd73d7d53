#!/bin/bash
# Mutation runs in the style of Wireshark's fuzz testing: every capture under
# captures/ and the public ones, mutated with `editcap -E` at several error
# rates, plus cut by snaplen (`editcap -s`) and cut short at random byte
# offsets (a full disk), run through
#   1. erdiag built with -DERDIAG_SANITIZE=ON (every file; the report
#      formats in turn, a quarter of the files also --annotate; ASan's hard
#      RSS limit, since ASan cannot run under `ulimit -v`),
#   2. a plain erdiag under `ulimit -v` (every file, if given),
#   3. tshark with the expressroute plugin, unprivileged, with strict wmem
#      and abort-on-dissector-bug (a sample),
#   4. valgrind memcheck: tshark with the plugin, and the plain erdiag (a
#      smaller sample); an invalid read or write or an uninitialised value
#      in expressroute.so or erdiag counts.
# Any crash, hang, sanitizer or memcheck report fails the run; the inputs
# that failed are kept in OUT/failures/ with their logs.
#
# Time limits: 10 s of CPU per erdiag run (`ulimit -t`, SIGXCPU), with
# `timeout` as a wall-clock backstop (TIMEOUT, default 60 s). On a shared
# machine a niced process can wait for a CPU longer than any sane wall-clock
# limit, and a wall-clock timeout then reports a hang that is not there;
# CPU time is what an endless loop burns.
#
# Usage: mutate.sh -a ERDIAG_ASAN [-p ERDIAG_PLAIN] [-w PLUGIN_BUILD_DIR]
#                  [-o OUT] [-n PER_RATE] [-t TSHARK_SAMPLE] [-g VALGRIND_SAMPLE]
#                  [-d PCAP_DIR] [-s SEED]
#   -a  erdiag from a -DERDIAG_SANITIZE=ON build (required)
#   -p  erdiag from a plain build (run under ulimit -v, and under valgrind)
#   -w  a build dir holding plugins/<X.Y>/epan/expressroute.so (tshark runs)
#   -o  work directory (default: a new one under /tmp); the mutated files
#       are made there and removed at the end unless KEEP=1
#   -n  mutated files per capture and error rate (default 10)
#   -t  how many mutated files tshark reads (default 200)
#   -g  how many valgrind reads (default 20)
#   -d  more captures (default: ../shared/public-pcaps beside the repo)
#   -s  random seed (default 1): the same seed makes the same files
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)
asan_bin= plain_bin= plugin_build= out= per_rate=10 tshark_sample=200 valgrind_sample=20
pcap_dir=$src/../shared/public-pcaps seed=1
while getopts a:p:w:o:n:t:g:d:s: opt; do
    case $opt in
        a) asan_bin=$OPTARG ;;
        p) plain_bin=$OPTARG ;;
        w) plugin_build=$OPTARG ;;
        o) out=$OPTARG ;;
        n) per_rate=$OPTARG ;;
        t) tshark_sample=$OPTARG ;;
        g) valgrind_sample=$OPTARG ;;
        d) pcap_dir=$OPTARG ;;
        s) seed=$OPTARG ;;
        *) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 2 ;;
    esac
done
[ -n "$asan_bin" ] && [ -x "$asan_bin" ] || { echo "mutate.sh: -a ERDIAG_ASAN is required" >&2; exit 2; }
command -v editcap >/dev/null || { echo "mutate.sh: editcap not found" >&2; exit 2; }
[ -n "$out" ] || out=$(mktemp -d /tmp/erdiag-mutate.XXXXXX)
mkdir -p "$out/mut" "$out/failures" "$out/logs"
results=$out/results.txt
: >"$results"
failures=0
RANDOM=$seed

say() { echo "$*" | tee -a "$results"; }
fail() { # file, what, log
    failures=$((failures + 1))
    cp "$1" "$out/failures/" 2>/dev/null
    [ -n "${3:-}" ] && cp "$3" "$out/failures/$(basename "$1").$2.log" 2>/dev/null
    say "FAIL $2: $1"
}

# ---- 1. the mutated files -------------------------------------------------
inputs=("$src"/captures/*/capture.pcap*)
[ -d "$pcap_dir" ] && inputs+=("$pcap_dir"/*.pcap*)
rates="0.005 0.02 0.05 0.1"
n=0
for f in "${inputs[@]}"; do
    base=$(basename "$(dirname "$f")")-$(basename "$f")
    case $f in "$pcap_dir"/*) base=public-$(basename "$f") ;; esac
    ext=${f##*.}
    for rate in $rates; do
        for i in $(seq 1 "$per_rate"); do
            s=$((seed * 100000 + RANDOM))
            editcap -E "$rate" --seed "$s" "$f" "$out/mut/$base-E$rate-$i.$ext" 2>/dev/null && n=$((n + 1))
        done
    done
    # cut by snaplen, and cut short at random offsets
    for snap in 40 60 100; do
        editcap -s "$snap" "$f" "$out/mut/$base-s$snap.$ext" 2>/dev/null && n=$((n + 1))
    done
    size=$(stat -c %s "$f")
    for i in 1 2 3; do
        head -c $((RANDOM * 32768 % (size > 1 ? size : 1) + RANDOM % 32)) "$f" >"$out/mut/$base-cut$i.$ext" && n=$((n + 1))
    done
done
say "inputs: ${#inputs[@]} captures; mutated files: $n (editcap -E at $rates, $per_rate each; -s 40/60/100; 3 cuts)"
mapfile -t files < <(ls "$out"/mut/* | sort)

# ---- 2. erdiag, sanitized, every file -------------------------------------
# Exit status 0/1 is a report, 2 an input erdiag refused with a message;
# anything else (a signal, 152 for the CPU limit, 124 for the wall-clock
# backstop, 86/87 for a sanitizer) fails.
export ASAN_OPTIONS=exitcode=86:hard_rss_limit_mb=1024:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:exitcode=87:print_stacktrace=1
# Formats in turn, and every fourth file also written back annotated.
formats=(text json markdown html jsonl)
ok=0 refused=0 k=0
start=$(date +%s)
for f in "${files[@]}"; do
    fmt=${formats[$((k % 5))]}
    annotate=()
    [ $((k % 4)) -eq 0 ] && annotate=(--annotate "$out/logs/annotated.pcapng")
    k=$((k + 1))
    log=$out/logs/erdiag.log
    (ulimit -t 10; timeout "${TIMEOUT:-60}" "$asan_bin" -f "$fmt" -o /dev/null "${annotate[@]}" "$f") \
        >/dev/null 2>"$log"
    rc=$?
    if [ $rc -le 1 ]; then
        ok=$((ok + 1))
    elif [ $rc -eq 2 ] && ! grep -qE 'Sanitizer|runtime error' "$log"; then
        refused=$((refused + 1))
    else
        fail "$f" "erdiag-asan-rc$rc" "$log"
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$log" && [ $rc -le 2 ]; then
        fail "$f" "erdiag-asan-report" "$log"
    fi
done
say "erdiag (ASan+UBSan, 10 s CPU, 1 GiB RSS): ${#files[@]} files in $(( $(date +%s) - start )) s: $ok reports, $refused refused with a message"

# ---- 3. erdiag, plain, under ulimit -v -----------------------------------
if [ -n "$plain_bin" ]; then
    ok=0 refused=0
    start=$(date +%s)
    for f in "${files[@]}"; do
        log=$out/logs/erdiag-plain.log
        (ulimit -v 1048576 -t 10; timeout "${TIMEOUT:-60}" "$plain_bin" -f json -o /dev/null "$f") \
            >/dev/null 2>"$log"
        rc=$?
        case $rc in
            0|1) ok=$((ok + 1)) ;;
            2) refused=$((refused + 1)) ;;
            *) fail "$f" "erdiag-plain-rc$rc" "$log" ;;
        esac
    done
    say "erdiag (plain, ulimit -v 1 GiB, 10 s CPU): ${#files[@]} files in $(( $(date +%s) - start )) s: $ok reports, $refused refused"
fi

# A random sample of the files (seeded: repeatable).
sample() {
    local want=$1 i
    local -a pool=("${files[@]}")
    for ((i = ${#pool[@]} - 1; i > 0; i--)); do
        local j=$((RANDOM * 32768 + RANDOM))
        j=$((j % (i + 1)))
        local t=${pool[i]}
        pool[i]=${pool[j]}
        pool[j]=$t
    done
    printf '%s\n' "${pool[@]:0:$want}"
}

# ---- 4. tshark with the plugin -------------------------------------------
run_tshark() { # CPU seconds, plugin_dir, file, [valgrind args...]
    local secs=$1 pdir=$2 f=$3
    shift 3
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$out/home" WIRESHARK_CONFIG_DIR="$out/cfg" WIRESHARK_PLUGIN_DIR="$pdir" \
        WIRESHARK_DEBUG_WMEM_OVERRIDE=strict WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 \
        prlimit --cpu="$secs" timeout $((secs * 10)) "$@" tshark -2 -nVxr "$f" -z expressroute,report
}

if [ -n "$plugin_build" ] && command -v tshark >/dev/null; then
    pdir=$plugin_build/plugins
    mkdir -p "$out/home" "$out/cfg" "$out/empty-plugins"
    chmod -R a+rX "$out"
    chmod 1777 "$out/logs" "$out/home" "$out/cfg" # written by uid 65534
    if [ "$(id -u)" != 0 ]; then
        # not root: no need to drop privileges (and no right to)
        setpriv() { while [ "${1#--}" != "$1" ]; do shift; done; "$@"; }
    fi
    if ! setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$out/home" \
            WIRESHARK_CONFIG_DIR="$out/cfg" WIRESHARK_PLUGIN_DIR="$pdir" tshark -G plugins 2>/dev/null |
            grep -q expressroute.so; then
        say "tshark: the plugin in $pdir does not load (readable by uid 65534?): tshark runs skipped"
        failures=$((failures + 1))
    else
        ok=0 read_errors=0
        start=$(date +%s)
        while read -r f; do
            log=$out/logs/tshark.log
            run_tshark 60 "$pdir" "$f" >"$out/logs/tshark.out" 2>"$log"
            rc=$?
            if [ $rc -ge 124 ] || grep -qiE 'dissector bug|Segmentation|Aborted|wmem' "$log" ||
               grep -qiE 'Malformed Packet: expressroute|Dissector bug, protocol expressroute' "$out/logs/tshark.out"; then
                # Wireshark's own dissectors meet the same bytes: is it ours?
                run_tshark 60 "$out/empty-plugins" "$f" >/dev/null 2>&1
                base_rc=$?
                if [ $base_rc -eq $rc ] && [ $rc -ge 124 ]; then
                    say "tshark fails without the plugin too (rc $rc, Wireshark's own): $f"
                else
                    cat "$out/logs/tshark.out" >>"$log"
                    fail "$f" "tshark-rc$rc" "$log"
                fi
            elif [ $rc -ne 0 ]; then
                read_errors=$((read_errors + 1)) # a cut file: tshark says so and stops
            else
                ok=$((ok + 1))
            fi
        done < <(sample "$tshark_sample")
        say "tshark -2 -nVx -z expressroute,report (strict wmem, abort on dissector bug): $tshark_sample files in $(( $(date +%s) - start )) s: $ok clean, $read_errors stopped at a damaged record"

        # ---- 5. valgrind ----------------------------------------------------
        if command -v valgrind >/dev/null && [ "$valgrind_sample" -gt 0 ]; then
            clean=0
            start=$(date +%s)
            while read -r f; do
                vlog=$out/logs/valgrind.log
                rm -f "$vlog"
                run_tshark 900 "$pdir" "$f" valgrind --tool=memcheck --log-file="$vlog" \
                    --num-callers=30 --fullpath-after= >/dev/null 2>&1
                # every error block whose stack passes through the plugin or
                # the engine code built into it (full source paths shown)
                if [ ! -s "$vlog" ]; then
                    fail "$f" "valgrind-did-not-run"
                elif awk -v src="$src/" '
                        function ours(b) { return index(b, "expressroute.so") || index(b, src) }
                        /^==[0-9]+== [A-Z]/ { blk = ""; inblk = 1; next }
                        inblk && /^==[0-9]+== *$/ { if (ours(blk)) bad = 1; inblk = 0; blk = ""; next }
                        inblk && /^==[0-9]+== +(at|by) 0x/ { blk = blk "\n" $0 }
                        END { if (ours(blk)) bad = 1; exit bad ? 0 : 1 }' "$vlog"; then
                    fail "$f" "valgrind-plugin" "$vlog"
                else
                    clean=$((clean + 1))
                fi
                if [ -n "$plain_bin" ]; then
                    timeout 900 valgrind --tool=memcheck --error-exitcode=99 --leak-check=no -q \
                        "$plain_bin" -f json -o /dev/null "$f" >/dev/null 2>"$vlog"
                    [ $? -eq 99 ] && fail "$f" "valgrind-erdiag" "$vlog"
                fi
            done < <(sample "$valgrind_sample")
            say "valgrind memcheck: $valgrind_sample files through tshark+plugin${plain_bin:+ and plain erdiag} in $(( $(date +%s) - start )) s: $clean with no error in expressroute.so"
        fi
    fi
fi

say "failures: $failures"
if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$out/mut" "$out/home" "$out/cfg"
fi
[ $failures -eq 0 ]
