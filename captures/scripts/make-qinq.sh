#!/bin/bash
# qinq: provider QinQ hand-off, S-tag 0x88a8 VID 20 outside, C-tag 0x8100 VID 100 inside.
NAME=qinq NET_P=192.168.50.8 NET_S=192.168.50.12 OUTER=0x88a8:20 INNER=0x8100:100
. "$(dirname "$0")/qinq-common.sh"
