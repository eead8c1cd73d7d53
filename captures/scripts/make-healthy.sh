#!/bin/bash
# healthy: both links up, BGP Established on both, prefixes both ways, VLAN 100.
. "$(dirname "$0")/lib.sh"
lab_init healthy

er_link p 192.168.15.16
er_link s 192.168.15.20
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s

std_msee p s
# primary customer router: BIRD; secondary customer router: GoBGP
std_cust_bird p
gobgpd_conf s >"$WORK/gobgpd-s.toml"
save_conf "$WORK/gobgpd-s.toml" customer-secondary-gobgpd.toml
gobgpd_start cust-s gobgpd-s "$WORK/gobgpd-s.toml"
gobgp_ cust-s global rib add -a ipv4 172.16.0.0/16
gobgp_ cust-s global rib add -a ipv4 10.50.0.0/16

wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 8
save_routes msee-p msee-s
cap_stop

tag8021q p 100
tag8021q s 100
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
