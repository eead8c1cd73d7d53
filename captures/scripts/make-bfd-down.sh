#!/bin/bash
# bfd-down: BFD (300 ms x 3) on both links; the primary MSEE's BIRD is
# stopped (SIGSTOP) for 3 s: the customer's BFD session goes Down with
# "control detection time expired" and BIRD brings the BGP session down with
# it; once resumed both come back.
NAME=bfd-down NET_P=192.168.92.0 NET_S=192.168.92.4 VID=192 MSEE_BFD=1 CUST_BFD_P="300 3" CUST_BFD_S="300 3" FAULT=stop-msee-p
. "$(dirname "$0")/bfd-common.sh"
