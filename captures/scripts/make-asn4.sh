#!/bin/bash
# asn4: the customer routers use the 4-octet ASN 4200000010. Their OPEN
# carries AS_TRANS 23456 in My AS and the real ASN in capability 65; AS_PATHs
# are 4-byte. Healthy otherwise.
. "$(dirname "$0")/lib.sh"
lab_init asn4
std_links 192.168.47.0 192.168.47.4
PEER_AS=4200000010 std_msee p s
CUST_AS=4200000010 std_cust_bird p
CUST_AS=4200000010 std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 147 msee-p msee-s
