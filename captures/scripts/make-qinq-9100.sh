#!/bin/bash
# qinq-9100: QinQ with the pre-standard 0x9100 outer TPID (outer VID 40, inner 0x8100 VID 400).
NAME=qinq-9100 NET_P=192.168.52.16 NET_S=192.168.52.20 OUTER=0x9100:40 INNER=0x8100:400
. "$(dirname "$0")/qinq-common.sh"
