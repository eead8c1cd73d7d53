#!/bin/bash
# msee-address-misused: on the primary /30 the roles are swapped. The customer
# router (AS 65010) sits on network + 2, 192.168.83.2, the address Microsoft
# owns, with its neighbour at network + 1; the AS 12076 side was set up on
# 192.168.83.1. Both ends agree with each other, so the session comes up and
# routes flow. The AS 12076 side of the primary is passive, so the customer
# router opens the connection and sends the first OPEN (from network + 2).
# The secondary link uses the addresses the right way round.
. "$(dirname "$0")/lib.sh"
lab_init msee-address-misused
er_link p 192.168.83.0
er_link s 192.168.83.4
C4_p=192.168.83.2 M4_p=192.168.83.1     # swapped: customer on network + 2
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s
MSEE_BGP_EXTRA="  passive on;" std_msee p
std_msee s
std_cust_bird p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 8
std_end 183 msee-p msee-s
