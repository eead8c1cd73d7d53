#!/bin/bash
# default-route: the customer routers (ExaBGP) advertise 0.0.0.0/0 besides
# 172.16.0.0/16 (forced tunnelling).
. "$(dirname "$0")/lib.sh"
lab_init default-route
std_links 192.168.75.0 192.168.75.4
MSEE_BGP_EXTRA="  passive on;" std_msee p s   # ExaBGP does not listen
PREFIXES="0.0.0.0/0 172.16.0.0/16" std_cust_exabgp p
PREFIXES="0.0.0.0/0 172.16.0.0/16" std_cust_exabgp s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 175 msee-p msee-s
