#!/bin/bash
# fhrp: the customer runs VRRP (keepalived, VRRPv2, protocol 112) between two
# routers on the primary peering sub-interface, as it would on a LAN. Router
# A (the BGP speaker, 192.168.84.1/30, also 10.255.84.2/29) owns the virtual
# address 192.168.84.1 (priority 255) and sends the advertisements from
# 192.168.84.1 every second; router B (10.255.84.3/29, MAC
# 02:c0:00:00:01:12, priority 100) stays backup and silent. BGP is healthy on
# both links.
. "$(dirname "$0")/lib.sh"
lab_init fhrp
std_links 192.168.84.0 192.168.84.4
veth_to_bridge cust-p2 eth-p "${MAC[cust-p2]}" br-p
nsx cust-p ip addr add 10.255.84.2/29 dev eth-p
nsx cust-p2 ip addr add 10.255.84.3/29 dev eth-p
nsx cust-p2 ip link set eth-p up

vrrp_conf() {   # vrrp_conf NAME STATE PRIORITY SOURCE
  cat <<CONF
# customer edge router $1: VRRP on the primary peering sub-interface
global_defs {
  router_id edge-$1
  vrrp_garp_master_repeat 1
}
vrrp_instance peering_primary {
  state $2
  interface eth-p
  virtual_router_id 84
  priority $3
  advert_int 1
  mcast_src_ip $4
  virtual_ipaddress {
    192.168.84.1/30 dev eth-p
  }
}
CONF
}
keepalived_start() {   # keepalived_start NS TAG CONF
  ip netns exec "$(ns "$1")" keepalived -n -P -l -G -V -f "$3" \
      -p "$WORK/$2.kpid" -r "$WORK/$2-vrrp.kpid" >"$WORK/$2.log" 2>&1 &
  PIDS+=($!)
}
vrrp_conf a MASTER 255 192.168.84.1 >"$WORK/keepalived-a.conf"
vrrp_conf b BACKUP 100 10.255.84.3 >"$WORK/keepalived-b.conf"
save_conf "$WORK/keepalived-a.conf" customer-primary-a-keepalived.conf
save_conf "$WORK/keepalived-b.conf" customer-primary-b-keepalived.conf
keepalived_start cust-p keepalived-a "$WORK/keepalived-a.conf"
for _ in $(seq 50); do grep -q 'Entering MASTER' "$WORK/keepalived-a.log" && break; sleep 0.1; done
sleep 2
keepalived_start cust-p2 keepalived-b "$WORK/keepalived-b.conf"

std_msee p s
std_cust_bird p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 8
save_routes msee-p msee-s
cap_stop
retag "$WORK/p.pcap" "$WORK/p-tagged.pcap" cust-p=0x8100:184 msee-p=0x8100:184 cust-p2=0x8100:184
tag8021q s 184
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
