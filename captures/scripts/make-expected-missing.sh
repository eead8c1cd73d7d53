#!/bin/bash
# expected-missing: the peering is meant to carry 172.16.0.0/16 and
# 10.50.0.0/16 (and host 10.50.3.4 must reach Azure), but both customer
# routers advertise only 172.16.0.0/16.
. "$(dirname "$0")/lib.sh"
lab_init expected-missing
std_links 192.168.71.0 192.168.71.4
std_msee p s
PREFIXES="172.16.0.0/16" std_cust_bird p
PREFIXES="172.16.0.0/16" std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 171 msee-p msee-s
