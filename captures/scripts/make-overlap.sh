#!/bin/bash
# overlap: besides 172.16.0.0/16 the customer routers advertise 10.1.5.0/24,
# which lies inside the VNet address space 10.1.0.0/16, and 192.168.72.0/24,
# which covers both peering /30s.
. "$(dirname "$0")/lib.sh"
lab_init overlap
std_links 192.168.72.16 192.168.72.20
std_msee p s
export PREFIXES="172.16.0.0/16 10.1.5.0/24 192.168.72.0/24"
std_cust_bird p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 172 msee-p msee-s
