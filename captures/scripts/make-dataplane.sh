#!/bin/bash
# dataplane: an on-prem host (172.16.1.10) behind the primary customer router
# and an "Azure VM" (10.1.0.4) behind the primary MSEE. Both routers install
# the BGP routes into the kernel (BIRD kernel protocol), so traffic follows
# them. From the on-prem host:
#   - TCP to 10.1.0.4:22 answers (a small SSH banner server in the VM);
#   - TCP to 10.1.0.4:3389 is silently dropped by nftables inside the VM
#     (SYN and its retransmissions, no SYN-ACK);
#   - TCP to 10.1.0.4:22 from 192.168.99.10, an on-prem address no advertised
#     prefix covers: the VM's SYN-ACK has no route back at the MSEE, so only
#     the SYN retransmissions cross the peering link.
# The secondary link is healthy and carries no data traffic.
. "$(dirname "$0")/lib.sh"
lab_init dataplane
std_links 192.168.78.0 192.168.78.4

# LANs behind the two primary routers (not on the captured peering segments)
ns_add onprem; ns_add vm
ip link add eth0 netns "$(ns onprem)" type veth peer name lan0 netns "$(ns cust-p)"
ip link add eth0 netns "$(ns vm)" type veth peer name lan0 netns "$(ns msee-p)"
nsx onprem ip link set eth0 address "${MAC[host-onprem]}"
nsx cust-p ip link set lan0 address "${MAC[cust-lan]}"
nsx vm ip link set eth0 address "${MAC[host-vm]}"
nsx msee-p ip link set lan0 address "${MAC[msee-lan]}"
nsx onprem ip addr add 172.16.1.10/24 dev eth0
nsx onprem ip addr add 192.168.99.10/24 dev eth0
nsx cust-p ip addr add 172.16.1.1/24 dev lan0
nsx cust-p ip addr add 192.168.99.1/24 dev lan0
nsx vm ip addr add 10.1.0.4/24 dev eth0
nsx msee-p ip addr add 10.1.0.1/24 dev lan0
for n in onprem cust-p vm msee-p; do
  nsx $n ip link set $( [ $n = onprem ] || [ $n = vm ] && echo eth0 || echo lan0 ) up
done
nsx onprem ip route add default via 172.16.1.1
nsx vm ip route add default via 10.1.0.1
nsx vm nft -f - <<'NFT'
table inet vmfirewall {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 3389 drop
  }
}
NFT
nsx vm nft list ruleset >"$OUT/vm-nftables.conf"
ip netns exec "$(ns vm)" "$PY" "$SCRIPTS_DIR/dataplane-vm.py" &
PIDS+=($!)

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

client() { ip netns exec "$(ns onprem)" "$PY" "$SCRIPTS_DIR/dataplane-client.py" "$@" >&2; }
client 172.16.1.10 10.1.0.4 22 5
sleep 1
client 172.16.1.10 10.1.0.4 3389 7
sleep 1
client 192.168.99.10 10.1.0.4 22 7
sleep 2
std_end 178 msee-p msee-s
