#!/bin/bash
# macsec: captures/healthy as a tap on an ExpressRoute Direct port with
# MACsec would record it. Linux here has no macsec module, so the frames of
# the healthy capture are wrapped afterwards (scripts/macsec-wrap.py): MACs
# in clear, a SecTAG per frame, the rest pseudo-random bytes standing in for
# the ciphertext, a 16-byte ICV. The secondary customer router keeps its
# 802.1Q tag in clear (VLAN 100 before the SecTAG); everything else is
# encrypted from the tags on. Needs editcap (Wireshark); no root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../macsec"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
editcap -F pcap "$here/../healthy/capture.pcapng" "$tmp/healthy.pcap"
python3 "$here/macsec-wrap.py" "$tmp/healthy.pcap" "$out/capture.pcap" --tag-in-clear 02:c0:00:00:02:01
