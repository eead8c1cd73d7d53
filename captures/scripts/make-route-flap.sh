#!/bin/bash
# route-flap: both customer routers (ExaBGP) keep 172.16.0.0/16 steady, and
# an API process withdraws and re-announces 10.50.0.0/16 six times, two
# seconds apart (ends announced). Sessions stay up.
. "$(dirname "$0")/lib.sh"
lab_init route-flap
std_links 192.168.73.0 192.168.73.4
MSEE_BGP_EXTRA="  passive on;" std_msee p s   # ExaBGP does not listen
cp "$SCRIPTS_DIR/route-flap-api.py" "$WORK/"
PREFIXES="172.16.0.0/16" std_cust_exabgp p "$WORK/route-flap-api.py"
PREFIXES="172.16.0.0/16" std_cust_exabgp s "$WORK/route-flap-api.py"
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 30
std_end 173 msee-p msee-s
