#!/bin/bash
# ipv6: dual-stack peering. IPv4 /30s plus IPv6 /126s on the same VLAN and
# sub-interface; one BGP session per family and link (IPv6 session over IPv6,
# MP_REACH_NLRI). IPv6 neighbour discovery replaces ARP on the v6 side.
IPV6=1
. "$(dirname "$0")/lib.sh"
lab_init ipv6
export V6=1
C6_p=fd00:15::1 M6_p=fd00:15::2 C6_s=fd00:15::5 M6_s=fd00:15::6

er_link p 192.168.15.16
er_link s 192.168.15.20
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p both $C6_p $M6_p
er_up s both $C6_s $M6_s

std_msee p s
std_cust_bird p
std_cust_bird s

for l in p s; do
  wait_bird_established msee-$l customer 30
  wait_bird_established msee-$l customer6 30
done
sleep 6
save_routes msee-p msee-s
cap_stop

tag8021q p 100
tag8021q s 100
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
