#!/bin/bash
# unrelated-links: not ExpressRoute. Two unrelated router pairs share one
# trunk VLAN (300): 10.20.0.0/30 (AS 65001 <-> AS 65100) and 10.20.9.0/30
# (AS 65002 <-> AS 65200), /30s of different /29s, no AS 12076 anywhere.
# Zero-config must not pair them as primary/secondary of one peering (nor
# compare their routes), and must say that nothing shows ExpressRoute.
. "$(dirname "$0")/lib.sh"
lab_init unrelated-links
std_links 10.20.0.0 10.20.9.0
# the "far" routers: the MSEE template with another AS than 12076
far_conf() {   # far_conf LINK FAR_AS NEAR_AS
  PEER_AS=$3 msee_bird_conf "$1" | sed -e "s/as 12076;/as $2;/" -e "s/: AS 12076/: AS $2 (not Microsoft)/"
}
far_conf p 65100 65001 >"$WORK/msee-p.conf"
far_conf s 65200 65002 >"$WORK/msee-s.conf"
for l in p s; do
  bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
  save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
done
CUST_AS=65001 cust_bird_conf p | sed "s/as 12076;/as 65100;/" >"$WORK/cust-p.conf"
CUST_AS=65002 PREFIXES="172.20.0.0/16" cust_bird_conf s | sed "s/as 12076;/as 65200;/" >"$WORK/cust-s.conf"
for l in p s; do
  bird_start "cust-$l" "cust-$l" "$WORK/cust-$l.conf"
  save_conf "$WORK/cust-$l.conf" "customer-$(lname $l)-bird.conf"
done
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 4
std_end 300 msee-p msee-s
