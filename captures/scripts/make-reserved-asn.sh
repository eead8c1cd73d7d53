#!/bin/bash
# reserved-asn: the customer routers run as AS 65515, which Azure reserves on
# private peering. The MSEE BIRD is set to accept it, so both sessions come
# up: the point is the reserved ASN in the customer's OPEN.
. "$(dirname "$0")/lib.sh"
lab_init reserved-asn
std_links 192.168.45.0 192.168.45.4
PEER_AS=65515 std_msee p s
CUST_AS=65515 std_cust_bird p
CUST_AS=65515 std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 145 msee-p msee-s
