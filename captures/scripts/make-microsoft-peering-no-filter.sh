#!/bin/bash
# microsoft-peering-no-filter: a Microsoft peering whose circuit has no
# route filter attached. The sessions come up on the public peering subnets
# (203.0.113.8/30 + .12/30) and the customer advertises its public NAT pool,
# but the MSEEs advertise nothing ("No routes are advertised to your
# network ... you must associate a route filter").
. "$(dirname "$0")/lib.sh"
lab_init microsoft-peering-no-filter
std_links 203.0.113.8 203.0.113.12
for l in p s; do
  msee_bird_conf "$l" | sed 's|export where proto = "vnet4";|export none;|' >"$WORK/msee-$l.conf"
  bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
  save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
  PREFIXES="198.51.100.0/27" std_cust_bird "$l"
done
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 3
std_end 198 msee-p msee-s
