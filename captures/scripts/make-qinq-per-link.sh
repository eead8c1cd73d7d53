#!/bin/bash
# qinq-per-link: provider QinQ hand-off where the two links of the circuit
# carry different S-tags (the FAQ: "the two Ethernet virtual circuits are
# tagged with different VLAN IDs"): primary S-tag 0x88a8 VID 20, secondary
# S-tag 0x88a8 VID 21, C-tag 0x8100 VID 100 inside both.
NAME=qinq-per-link NET_P=192.168.51.8 NET_S=192.168.51.12 OUTER=0x88a8:20 OUTER_S=0x88a8:21 INNER=0x8100:100
. "$(dirname "$0")/qinq-common.sh"
