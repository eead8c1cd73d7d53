#!/bin/bash
# no-onprem-routes: both sessions are Established and the MSEE advertises the
# VNet prefixes, but the customer routers advertise nothing (their export
# holds no prefix).
. "$(dirname "$0")/lib.sh"
lab_init no-onprem-routes
std_links 192.168.70.0 192.168.70.4
std_msee p s
PREFIXES="" std_cust_bird p
PREFIXES="" std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 170 msee-p msee-s
