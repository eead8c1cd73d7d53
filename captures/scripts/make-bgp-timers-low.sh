#!/bin/bash
# bgp-timers-low: the customer routers set hold time 9 s / keepalive 3 s,
# below Azure's floor (hold 10 s, keepalive 3 s). The MSEE (hold 180) accepts
# the lower value, so both sessions run with hold 9 and KEEPALIVEs every 3 s.
. "$(dirname "$0")/lib.sh"
lab_init bgp-timers-low
std_links 192.168.48.0 192.168.48.4
std_msee p s
CUST_BGP_EXTRA='  hold time 9; keepalive time 3;' std_cust_bird p
CUST_BGP_EXTRA='  hold time 9; keepalive time 3;' std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 12
std_end 148 msee-p msee-s
