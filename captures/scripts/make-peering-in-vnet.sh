#!/bin/bash
# peering-in-vnet: the peering /30s were cut from the VNet's own address
# space: primary 10.1.255.0/30, secondary 10.1.255.4/30, while the MSEE
# advertises the VNet 10.1.0.0/16 (and 10.2.0.0/24). BGP itself works.
. "$(dirname "$0")/lib.sh"
lab_init peering-in-vnet
std_links 10.1.255.0 10.1.255.4
std_msee p s
std_cust_bird p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 186 msee-p msee-s
