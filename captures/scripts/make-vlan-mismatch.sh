#!/bin/bash
# vlan-mismatch: the primary customer sub-interface is tagged 101, the MSEE
# expects 100. The two routers of the primary link never hear each other, so
# they sit on two separate bridges; the merged, retagged capture is what a
# SPAN of the trunk would show. The secondary link is healthy on VLAN 100.
. "$(dirname "$0")/lib.sh"
lab_init vlan-mismatch

er_link p 192.168.20.0 cust-p msee-p br-pc br-pm   # two segments: no L2 path
er_link s 192.168.20.4
cap_start wire br-pc "$WORK/pc.pcap"
cap_start wire br-pm "$WORK/pm.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s

std_msee p s
std_cust_bird p
std_cust_bird s

wait_bird_established msee-s customer 30
sleep 22
save_routes msee-p msee-s
cap_stop

retag "$WORK/pc.pcap" "$WORK/pc-tagged.pcap" cust-p=0x8100:101
retag "$WORK/pm.pcap" "$WORK/pm-tagged.pcap" msee-p=0x8100:100
mergecap -F pcap -w "$WORK/p-tagged.pcap" "$WORK/pc-tagged.pcap" "$WORK/pm-tagged.pcap"
tag8021q s 100
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
