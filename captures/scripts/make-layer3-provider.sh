#!/bin/bash
# layer3-provider: the capture is on the customer's links to a layer-3
# (IPVPN) provider. The customer router (AS 65010) peers with the provider's
# PE (AS 65100); each PE peers with a Microsoft edge (AS 12076) over a link
# that is not captured. The PEs pass Azure's VNet prefixes on (path
# "65100 12076") together with another site of the customer's VPN
# (10.200.0.0/16, path "65100"). On the secondary link the provider took
# the first address of the /30 (the PE holds network + 1), as providers may.
. "$(dirname "$0")/lib.sh"
lab_init layer3-provider
er_link p 192.168.96.0
er_link s 192.168.96.4
# the provider's addressing on the secondary: PE on network + 1
tmp=$C4_s; C4_s=$M4_s; M4_s=$tmp
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s

# pe_ms_link LINK NET: the uncaptured PE - MSEE link (PE on network + 1,
# the MSEE on network + 2, as Azure's peering subnets want it)
pe_ms_link() {
  local l=$1 net=$2
  ns_add "ms-$l"
  ip link add "ms-$l" netns "$(ns "msee-$l")" type veth peer name "pe-$l" netns "$(ns "ms-$l")"
  nsx "msee-$l" ip addr add "$(ip4_add "$net" 1)/30" dev "ms-$l"
  nsx "ms-$l" ip addr add "$(ip4_add "$net" 2)/30" dev "pe-$l"
  nsx "msee-$l" ip link set "ms-$l" up
  nsx "ms-$l" ip link set "pe-$l" up
}
pe_ms_link p 192.168.97.0
pe_ms_link s 192.168.97.4

for l in p s; do
  net=$([ $l = p ] && echo 192.168.97.0 || echo 192.168.97.4)
  pe=$(ip4_add "$net" 1); ms=$(ip4_add "$net" 2)
  c4=C4_$l; m4=M4_$l
  # the Microsoft edge behind the PE: the standard MSEE, peering with the PE's AS
  C4_x=$pe M4_x=$ms PEER_AS=65100 msee_bird_conf x | sed "s|msee-x.log|ms-$l.log|" >"$WORK/ms-$l.conf"
  bird_start "ms-$l" "ms-$l" "$WORK/ms-$l.conf"
  save_conf "$WORK/ms-$l.conf" "msee-behind-pe-$(lname $l)-bird.conf"
  cat >"$WORK/pe-$l.conf" <<CONF
# the layer-3 provider's PE of the $(lname $l) link: AS 65100
log "$WORK/pe-$l.log" all;
router id ${!m4};
protocol device { scan time 5; }
# another site of the customer's VPN
protocol static othersite {
  ipv4;
  route 10.200.0.0/16 blackhole;
}
protocol bgp customer {
  description "customer CE, $(lname $l)";
  local ${!m4} as 65100;
  neighbor ${!c4} as 65010;
  hold time 90;
  ipv4 { import all; export all; };
}
protocol bgp microsoft {
  description "ExpressRoute private peering toward the MSEE, $(lname $l)";
  local $pe as 65100;
  neighbor $ms as 12076;
  ipv4 { import all; export where proto = "customer"; };
}
CONF
  bird_start "msee-$l" "pe-$l" "$WORK/pe-$l.conf"
  save_conf "$WORK/pe-$l.conf" "pe-$(lname $l)-bird.conf"
  # the customer router peers with the PE's AS
  cust_bird_conf "$l" | sed "s/neighbor ${!m4} as 12076;/neighbor ${!m4} as 65100;/" >"$WORK/cust-$l.conf"
  bird_start "cust-$l" "cust-$l" "$WORK/cust-$l.conf"
  save_conf "$WORK/cust-$l.conf" "customer-$(lname $l)-bird.conf"
done
wait_bird_established pe-p microsoft 30
wait_bird_established pe-s microsoft 30
wait_bird_established pe-p customer 30
wait_bird_established pe-s customer 30
sleep 4
log "customer primary routes: $(birdc_ cust-p show route | tr '\n' ';')"
cap_stop
tag8021q p 196
tag8021q s 196
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
