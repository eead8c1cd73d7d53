#!/bin/bash
# The throughput benchmark (docs/performance.md). Generates a large synthetic
# peering capture (tests/bench/gen_capture.c), then runs, alternating, N times:
#   a  pcap_count          a bare libpcap loop: what reading the file costs
#   b  erdiag              the CLI, with the capture's peering configuration
#   c  tshark -Y "arp || bgp"                     without the plugin
#   d  tshark -Y "arp || bgp"                     with the expressroute plugin
#   e  tshark -2 -q -z expressroute,report        with the plugin
# and prints, per tool, the medians of wall time, CPU time (user + system),
# frames/s, MB/s and peak RSS, then the ratios the targets are about.
#
# Usage: tests/bench/run.sh [--scale S] [--runs N] [--tools abcde] [--rss]
#                           [--build DIR] [--data DIR]
#   --scale S    capture size: S x (100 000 flows, ~10 M frames, ~2.3 GB);
#                default 0.25. Scale 1 is the size the targets are set for.
#   --runs N     runs per tool (default 3); medians are reported
#   --tools L    which of a..e to run (default abcde)
#   --rss        also run erdiag alone on a capture of twice the size (twice
#                the duration, same traffic rate) and compare peak RSS
#   --build DIR  build tree with erdiag and the plugin (default ./build)
#   --data DIR   where captures and logs go (default $ERDIAG_BENCH_DATA, else
#                ../bench-data next to the repository); nothing large goes
#                into the repository
# tshark runs as uid 65534 (root ignores WIRESHARK_PLUGIN_DIR): the plugin,
# its directories and the data directory must be readable by it; the script
# makes the data directory world-readable. Needs /usr/bin/time and setpriv.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scale=0.25 runs=3 tools=abcde rss=0
build=$repo/build
data=${ERDIAG_BENCH_DATA:-$(dirname "$repo")/bench-data}
while [ $# -gt 0 ]; do
    case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --rss) rss=1; shift ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --data) data=$2; shift 2 ;;
    *) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d' >&2; exit 2 ;;
    esac
done
mkdir -p "$data"
data=$(cd "$data" && pwd)
chmod a+rx "$data"
log=$data/run-$(date +%Y%m%d-%H%M%S).log

die() { echo "run.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
erdiag=$build/erdiag
[ -x "$erdiag" ] || die "$erdiag not found: build first (cmake -S . -B build && cmake --build build -j2)"

# The generator and the libpcap loop: from the build tree when the tests
# added them, else built here on their own.
gen=$build/tests/bench/gen_capture count=$build/tests/bench/pcap_count
if [ ! -x "$gen" ] || [ ! -x "$count" ]; then
    cmake -S "$here" -B "$data/tools" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$data/tools" -j2 >/dev/null
    gen=$data/tools/gen_capture count=$data/tools/pcap_count
fi

capture() { # scale duration -> path of the capture (made once per size)
    local f=$data/bench-s$1-d$2.pcap
    if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
        echo "generating $f ..." >&2
        "$gen" -o "$f.tmp" --ini "$data/bench.ini" --scale "$1" --duration "$2" >&2
        mv "$f.tmp" "$f"
    fi
    chmod a+r "$f" "$data/bench.ini"
    echo "$f"
}
cap=$(capture "$scale" 3600)
ini=$data/bench.ini
frames=$("$count" "$cap" | awk '{print $1}')
bytes=$(stat -c %s "$cap")

# tshark as an unprivileged user, with no personal settings; c gets an empty
# plugin directory (no plugins at all), d and e only ours.
plugin_dir=$build/plugins
if [[ $tools == *[cde]* ]]; then
    command -v tshark >/dev/null || die "tshark is not installed"
    ls "$plugin_dir"/*/epan/expressroute.so >/dev/null 2>&1 ||
        [[ $tools != *[de]* ]] || die "no plugin under $plugin_dir (needs libwireshark-dev)"
    ts=$data/tshark-env
    mkdir -p "$ts/home" "$ts/cfg" "$ts/no-plugins"
    chown -R 65534:65534 "$ts"
    as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$ts/home" WIRESHARK_CONFIG_DIR="$ts/cfg")
fi

command_for() { # tool -> the command line, one word per line
    case $1 in
    a) printf '%s\n' "$count" "$cap" ;;
    b) printf '%s\n' "$erdiag" -c "$ini" "$cap" ;;
    c) printf '%s\n' "${as_nobody[@]}" WIRESHARK_PLUGIN_DIR="$ts/no-plugins" tshark -r "$cap" -q -Y "arp || bgp" ;;
    d) printf '%s\n' "${as_nobody[@]}" WIRESHARK_PLUGIN_DIR="$plugin_dir" tshark -r "$cap" -q -Y "arp || bgp" \
           -o "expressroute.config_file:$ini" ;;
    e) printf '%s\n' "${as_nobody[@]}" WIRESHARK_PLUGIN_DIR="$plugin_dir" tshark -r "$cap" -2 -q \
           -z expressroute,report -o "expressroute.config_file:$ini" ;;
    esac
}

# One measured run: appends "tool wall cpu rss_kb" to the results file.
results=$data/results.$$
: > "$results"
measure() { # tool capture-label [capture]
    local tool=$1 t
    mapfile -t argv < <(command_for "$tool")
    t=$(mktemp)
    # erdiag exits 1 when it reports warnings: only a crash or a usage error (>1) fails
    /usr/bin/time -o "$t" -f '%e %U %S %M' "${argv[@]}" >/dev/null 2>>"$log" || {
        rc=$?; [ "$tool" = b ] && [ $rc -eq 1 ] || { tail -5 "$log" >&2; die "$tool failed ($rc): ${argv[*]}"; }
    }
    # /usr/bin/time adds "Command exited with non-zero status" first
    read -r wall user sys rss < <(tail -1 "$t")
    rm -f "$t"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    echo "$tool $2 $wall $cpu $rss" >> "$results"
    awk -v t="$tool" -v w="$wall" -v c="$cpu" -v m="$rss" \
        'BEGIN { printf "  %s run: %7.2f s wall, %7.2f s CPU, %6.1f MiB\n", t, w, c, m / 1024 }'
}

{
echo "erdiag benchmark $(date -u +%FT%TZ)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "capture: $cap ($frames frames, $((bytes / 1000000)) MB, scale $scale)"
} | tee -a "$log"
cat "$cap" > /dev/null # into the page cache: every run reads it from memory
for r in $(seq "$runs"); do
    echo "round $r of $runs" | tee -a "$log"
    for tool in $(echo "$tools" | grep -o .); do measure "$tool" main | tee -a "$log"; done
done

if [ "$rss" = 1 ]; then
    big=$(capture "$(awk -v s="$scale" 'BEGIN { print s * 2 }')" 7200)
    cat "$big" > /dev/null
    echo "RSS check: erdiag on $big (twice the duration)" | tee -a "$log"
    for r in $(seq "$runs"); do
        cap_saved=$cap; cap=$big; measure b double | tee -a "$log"; cap=$cap_saved
    done
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"

# Medians and ratios.
python3 - "$results" "$frames" "$bytes" "$tools" "$rss" <<'EOF' | tee -a "$log"
import statistics, sys
path, frames, nbytes, tools, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
runs = {}
for line in open(path):
    tool, label, wall, cpu, kb = line.split()
    runs.setdefault((tool, label), []).append((float(wall), float(cpu), int(kb)))
names = {"a": "pcap_count (bare libpcap)", "b": "erdiag", "c": "tshark, no plugin",
         "d": "tshark + plugin", "e": "tshark -2 + plugin report"}
med = {}
print()
print("| tool | wall s | CPU s | frames/s (wall) | MB/s (wall) | frames/s (CPU) | peak RSS MiB |")
print("|---|---:|---:|---:|---:|---:|---:|")
for t in tools:
    if (t, "main") not in runs:
        continue
    r = runs[(t, "main")]
    wall = statistics.median(x[0] for x in r)
    cpu = statistics.median(x[1] for x in r)
    kb = max(x[2] for x in r)
    med[t] = (wall, cpu)
    print(f"| {t} {names[t]} | {wall:.2f} | {cpu:.2f} | {frames / max(wall, 1e-9):,.0f} | "
          f"{nbytes / 1e6 / max(wall, 1e-9):,.1f} | {frames / max(cpu, 1e-9):,.0f} | {kb / 1024:.1f} |")
print()
def ratio(label, num, den, target):
    if num in med and den in med:
        w = med[den][0] / med[num][0]
        c = med[den][1] / med[num][1]
        print(f"{label}: {w:.3f} (wall), {c:.3f} (CPU)   target {target}")
ratio("b/a throughput, erdiag vs bare libpcap", "b", "a", ">= 0.5")
ratio("b/c throughput, erdiag vs tshark without plugin", "b", "c", "(reference)")
ratio("b/d throughput, erdiag vs tshark with plugin", "b", "d", ">= 25")
if "c" in med and "d" in med:
    print(f"d/c time, plugin overhead: {med['d'][0] / med['c'][0]:.3f} (wall), "
          f"{med['d'][1] / med['c'][1]:.3f} (CPU)   target <= 1.30")
if rss and ("b", "double") in runs:
    one = max(x[2] for x in runs[("b", "main")]) / 1024
    two = max(x[2] for x in runs[("b", "double")]) / 1024
    print(f"erdiag peak RSS: {one:.1f} MiB (1x), {two:.1f} MiB (2x duration): ratio {two / one:.2f}   "
          f"target <= 64 MiB, flat")
EOF
rm -f "$results"
echo "log: $log"
