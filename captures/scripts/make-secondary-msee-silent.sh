#!/bin/bash
# secondary-msee-silent: the secondary MSEE interface is attached and up but
# has no address and no BGP daemon, so the customer's ARP requests for
# network + 2 are never answered. The primary link is healthy. Both links are
# written into one interface of a classic pcap (mergecap -F pcap), as one
# SPAN port of the trunk would record them.
. "$(dirname "$0")/lib.sh"
lab_init secondary-msee-silent

er_link p 192.168.30.128
er_link s 192.168.30.132
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s customer
nsx msee-s ip link set eth-s up      # link up, no address: silent

std_msee p
std_cust_bird p
std_cust_bird s

wait_bird_established msee-p customer 30
sleep 22
save_routes msee-p
cap_stop

tag8021q p 200
tag8021q s 200
mergecap -F pcap -w "$OUT/capture.pcap" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
