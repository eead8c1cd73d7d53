#!/bin/bash
# global-reach: the MSEEs advertise, besides the VNet prefixes (path 12076),
# another circuit's on-prem network 10.60.0.0/16 with that network's AS
# after 12076 (path 12076 65020), as ExpressRoute Global Reach does.
# peering.ini expects 10.60.0.0/16 and 10.61.0.0/16 via Global Reach: the
# second is not advertised.
. "$(dirname "$0")/lib.sh"
lab_init global-reach
std_links 192.168.94.0 192.168.94.4

GR_STATIC='
protocol static gr4 {
  ipv4;
  route 10.60.0.0/16 blackhole;
}'
for l in p s; do
  msee_bird_conf "$l" | sed 's|export where proto = "vnet4";|export filter { if proto = "vnet4" then accept; if proto = "gr4" then { bgp_path.prepend(65020); accept; } reject; };|' >"$WORK/msee-$l.conf"
  echo "$GR_STATIC" >>"$WORK/msee-$l.conf"
  bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
  save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
  std_cust_bird "$l"
done
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 3
std_end 194 msee-p msee-s
