#!/bin/bash
# no-azure-routes: both sessions are Established and the customer routers
# advertise their prefixes, but the MSEEs advertise nothing (no VNet linked to
# the circuit: the MSEE has no VNet routes to export).
. "$(dirname "$0")/lib.sh"
lab_init no-azure-routes
std_links 192.168.79.0 192.168.79.4
VNETS="" std_msee p s
std_cust_bird p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 179 msee-p msee-s
