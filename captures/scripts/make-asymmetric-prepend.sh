#!/bin/bash
# asymmetric-prepend: both links carry the same prefixes, but the secondary
# customer router prepends its AS three times (AS path 65010 65010 65010 65010)
# so that Azure prefers the primary: a legitimate difference in AS paths only.
. "$(dirname "$0")/lib.sh"
lab_init asymmetric-prepend
std_links 192.168.77.0 192.168.77.4
std_msee p s
std_cust_bird p
CUST_EXPORT='filter { if proto != "onprem4" then reject; bgp_path.prepend(65010); bgp_path.prepend(65010); bgp_path.prepend(65010); accept; }' \
  std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
std_end 177 msee-p msee-s
