#!/bin/bash
# microsoft-peering: Microsoft peering, not private peering. The peering
# subnets are public (203.0.113.0/30 + .4/30); the MSEEs advertise public
# service prefixes tagged with Microsoft-peering service communities
# (Exchange Online 12076:5010, SharePoint Online 12076:5020) and the region's
# community (Japan East 12076:51012), as a route filter allowing those
# services makes them do. The customer advertises its public NAT pool
# 198.51.100.0/27 and, by mistake, 10.50.0.0/16 (RFC 1918), which Microsoft
# peering does not accept.
. "$(dirname "$0")/lib.sh"
lab_init microsoft-peering
std_links 203.0.113.0 203.0.113.4

SERVICES='
protocol static exo4 {
  ipv4;
  route 40.92.0.0/15 blackhole;
  route 52.96.0.0/14 blackhole;
}
protocol static spo4 {
  ipv4;
  route 13.107.136.0/22 blackhole;
}'
EXPORT='export filter { if proto = "exo4" then { bgp_community.add((12076,5010)); bgp_community.add((12076,51012)); accept; } if proto = "spo4" then { bgp_community.add((12076,5020)); bgp_community.add((12076,51012)); accept; } reject; };'
for l in p s; do
  VNETS="" msee_bird_conf "$l" | sed "s|export where proto = \"vnet4\";|$EXPORT|" >"$WORK/msee-$l.conf"
  echo "$SERVICES" >>"$WORK/msee-$l.conf"
  bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
  save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
  PREFIXES="198.51.100.0/27 10.50.0.0/16" std_cust_bird "$l"
done
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 3
std_end 197 msee-p msee-s
