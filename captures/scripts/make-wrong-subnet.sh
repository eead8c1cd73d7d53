#!/bin/bash
# wrong-subnet: the secondary customer router's sub-interface is configured
# from an old plan, 192.168.82.25/29, with its BGP neighbour at
# 192.168.82.30 (the last usable address of that /29), instead of
# 192.168.82.5/30 with neighbour 192.168.82.6. On the secondary VLAN it ARPs
# for 192.168.82.30, which nobody holds; the MSEE's ARP requests for
# 192.168.82.5 go unanswered too. No TCP on the secondary. Primary healthy.
. "$(dirname "$0")/lib.sh"
lab_init wrong-subnet
er_link p 192.168.82.0
er_link s 192.168.82.4
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p
er_up s msee
nsx cust-s ip addr add 192.168.82.25/29 dev eth-s
nsx cust-s ip link set eth-s up
std_msee p s
std_cust_bird p
# the secondary customer router, as misconfigured
C4_s=192.168.82.25 M4_s=192.168.82.30
std_cust_bird s
wait_bird_established msee-p customer 30
sleep 25
std_end 182 msee-p msee-s
