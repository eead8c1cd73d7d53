#!/bin/bash
# qinq-8100: ExpressRoute Direct style QinQ, both tags TPID 0x8100 (outer VID 30, inner VID 300).
NAME=qinq-8100 NET_P=192.168.51.0 NET_S=192.168.51.4 OUTER=0x8100:30 INNER=0x8100:300
. "$(dirname "$0")/qinq-common.sh"
