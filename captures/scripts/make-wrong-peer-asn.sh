#!/bin/bash
# wrong-peer-asn: the primary customer router runs as AS 65011, while the
# peering (and so the MSEE) expects AS 65010. BIRD on the MSEE answers the
# OPEN with NOTIFICATION 2/2 (Bad Peer AS). The secondary router is right.
. "$(dirname "$0")/lib.sh"
lab_init wrong-peer-asn
std_links 192.168.40.0 192.168.40.4
std_msee p s
CUST_AS=65011 std_cust_bird p
std_cust_bird s
wait_bird_established msee-s customer 30
sleep 20
std_end 140 msee-p msee-s
