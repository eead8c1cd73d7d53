#!/bin/bash
# asymmetric: the primary customer router (GoBGP) advertises 172.16.0.0/16
# and 10.50.0.0/16, the secondary (GoBGP) only 172.16.0.0/16.
. "$(dirname "$0")/lib.sh"
lab_init asymmetric
std_links 192.168.74.0 192.168.74.4
std_msee p s
PREFIXES="172.16.0.0/16 10.50.0.0/16" std_cust_gobgp p
PREFIXES="172.16.0.0/16" std_cust_gobgp s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 174 msee-p msee-s
