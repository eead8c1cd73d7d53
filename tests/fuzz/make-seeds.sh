#!/bin/sh
# Seed corpora for the fuzz targets, cut from the project's captures and the
# public ones: make-seeds.sh BUILD_DIR OUT_DIR [PCAP_DIR]
#   BUILD_DIR  a tree configured with CC=clang -DERDIAG_FUZZ=ON (for fuzz_seeds)
#   OUT_DIR    where OUT_DIR/<target>/ is written (keep it outside the repo)
#   PCAP_DIR   more captures (default: ../shared/public-pcaps beside the repo)
# The public captures are read in place, never copied into the repository.
# With tshark and python3 present, BGP messages are also taken from captures
# whose link type erdiag does not read (raw IP, Juniper), for bgp_decode.
set -eu
build=$1
out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
pcaps=${3:-$src/../shared/public-pcaps}

set -- "$src"/captures/*/capture.pcap*
[ -d "$pcaps" ] && set -- "$@" "$pcaps"/*.pcap*
seeds=$build/tests/fuzz/fuzz_seeds
[ -x "$seeds" ] || seeds=$build/fuzz_seeds
"$seeds" "$out" "$@"

if command -v tshark >/dev/null && command -v python3 >/dev/null && [ -d "$pcaps" ]; then
    for f in "$pcaps"/*.pcap*; do
        tshark -r "$f" -Y 'tcp.port==179 && tcp.len>0' -T fields -e tcp.payload 2>/dev/null || true
    done | python3 -c '
import hashlib, os, sys
out = os.path.join(sys.argv[1], "bgp_decode")
os.makedirs(out, exist_ok=True)
n = 0
for line in sys.stdin:
    for hx in line.strip().split(","):
        b = bytes.fromhex(hx) if hx else b""
        i = 0
        while len(b) - i >= 19:
            if b[i:i + 16] != b"\xff" * 16:
                i += 1
                continue
            l = b[i + 16] << 8 | b[i + 17]
            m = b[i:i + l] if 19 <= l <= len(b) - i else b[i:]
            # hints byte: 4-byte ASNs known, nothing known, no hints at all
            for hints in (0x03, 0x00, 0x20):
                data = bytes([hints]) + m
                p = os.path.join(out, hashlib.sha1(data).hexdigest())
                if not os.path.exists(p):
                    open(p, "wb").write(data)
                    n += 1
            i += max(len(m), 1)
print("%d bgp_decode seeds from tshark" % n)
' "$out"
fi
