#!/bin/bash
# bfd: BFD up on both links beside BGP. The MSEEs run 300 ms x 3 (Azure's
# values); the primary customer router the same, the secondary 1000 ms x 5,
# so that link's negotiated timers differ from the MSEE's (bfd.timers).
NAME=bfd NET_P=192.168.90.0 NET_S=192.168.90.4 VID=190 MSEE_BFD=1 CUST_BFD_P="300 3" CUST_BFD_S="1000 5"
. "$(dirname "$0")/bfd-common.sh"
