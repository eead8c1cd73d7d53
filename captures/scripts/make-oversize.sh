#!/bin/bash
# oversize: jumbo frames across the peering. Every interface on the primary
# path (on-prem LAN, peering link, Azure side) has MTU 9000; the MSEE's real
# IP MTU is 1500. An on-prem host (172.16.1.10, inside the advertised
# 172.16.0.0/16) pings an "Azure VM" (10.1.0.4, inside the advertised VNet
# 10.1.0.0/16) with 4000-byte payloads and DF set: 4028-byte IP packets cross
# the primary link in both directions, routed by the BGP-learned routes
# (BIRD kernel protocol on both primary routers). The secondary link is
# healthy, MTU 1500, and carries no data traffic.
. "$(dirname "$0")/lib.sh"
lab_init oversize
er_link p 192.168.85.0
er_link s 192.168.85.4
# jumbo MTU on the primary peering segment (router ends and bridge ports)
nsx cust-p ip link set eth-p mtu 9000
nsx msee-p ip link set eth-p mtu 9000
for port in $(nsx wire ls /sys/class/net/br-p/brif); do nsx wire ip link set "$port" mtu 9000; done
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s

# LANs behind the two primary routers, jumbo too
primary_lans 9000

routed_birds
nsx onprem ping -c 3 -i 1 -s 4000 -M do 172.16.1.1 >/dev/null   # LAN side first (not captured)
nsx onprem ping -c 3 -i 1 -s 4000 -M do 10.1.0.4 >&2
sleep 2
std_end 185 msee-p msee-s
