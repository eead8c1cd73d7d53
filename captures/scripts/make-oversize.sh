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

# LANs behind the two primary routers (not on the captured peering segments)
ns_add onprem; ns_add vm
ip link add eth0 netns "$(ns onprem)" mtu 9000 type veth peer name lan0 netns "$(ns cust-p)" mtu 9000
ip link add eth0 netns "$(ns vm)" mtu 9000 type veth peer name lan0 netns "$(ns msee-p)" mtu 9000
nsx onprem ip link set eth0 address "${MAC[host-onprem]}"
nsx cust-p ip link set lan0 address "${MAC[cust-lan]}"
nsx vm ip link set eth0 address "${MAC[host-vm]}"
nsx msee-p ip link set lan0 address "${MAC[msee-lan]}"
nsx onprem ip addr add 172.16.1.10/24 dev eth0
nsx cust-p ip addr add 172.16.1.1/24 dev lan0
nsx vm ip addr add 10.1.0.4/24 dev eth0
nsx msee-p ip addr add 10.1.0.1/24 dev lan0
nsx onprem ip link set eth0 up; nsx vm ip link set eth0 up
nsx cust-p ip link set lan0 up; nsx msee-p ip link set lan0 up
nsx onprem ip route add default via 172.16.1.1
nsx vm ip route add default via 10.1.0.1

KERNEL='
protocol kernel {
  ipv4 { import none; export where source = RTS_BGP; };
}'
msee_bird_conf p >"$WORK/msee-p.conf"; echo "$KERNEL" >>"$WORK/msee-p.conf"
bird_start msee-p msee-p "$WORK/msee-p.conf"
save_conf "$WORK/msee-p.conf" msee-primary-bird.conf
std_msee s
cust_bird_conf p >"$WORK/cust-p.conf"; echo "$KERNEL" >>"$WORK/cust-p.conf"
bird_start cust-p cust-p "$WORK/cust-p.conf"
save_conf "$WORK/cust-p.conf" customer-primary-bird.conf
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 2
log "routes on the customer router: $(nsx cust-p ip -4 route show proto bird | tr '\n' ';')"
nsx onprem ping -c 3 -i 1 -s 4000 -M do 172.16.1.1 >/dev/null   # LAN side first (not captured)
nsx onprem ping -c 3 -i 1 -s 4000 -M do 10.1.0.4 >&2
sleep 2
std_end 185 msee-p msee-s
