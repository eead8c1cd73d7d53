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

primary_lans
nsx onprem ip addr add 192.168.99.10/24 dev eth0
nsx cust-p ip addr add 192.168.99.1/24 dev lan0
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

routed_birds

client() { ip netns exec "$(ns onprem)" "$PY" "$SCRIPTS_DIR/dataplane-client.py" "$@" >&2; }
client 172.16.1.10 10.1.0.4 22 5
sleep 1
client 172.16.1.10 10.1.0.4 3389 7
sleep 1
client 192.168.99.10 10.1.0.4 22 7
sleep 2
std_end 178 msee-p msee-s
