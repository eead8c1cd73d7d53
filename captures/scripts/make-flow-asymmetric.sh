#!/bin/bash
# flow-asymmetric: traffic that goes out over one link and comes back over
# the other. Both customer routers sit on the on-prem LAN (host 172.16.1.10,
# gateway the primary router) and both MSEEs on the "VNet" (VM 10.1.0.4,
# gateway the secondary MSEE, as when Azure prefers the other link). All four
# routers install their BGP routes into the kernel. So:
#   - on-prem -> VM TCP 22 and ping leave over the primary link and the
#     answers return over the secondary;
#   - a second ping series starts the same way, and midway the VM's gateway
#     moves to the primary MSEE: the replies change link within the flow.
# Stateful firewalls on-prem drop such flows; dataplane.asymmetric-return.
. "$(dirname "$0")/lib.sh"
lab_init flow-asymmetric
std_links 192.168.89.0 192.168.89.4
MAC[cust-lan-s]=02:c0:00:00:0a:02
MAC[msee-lan-s]=02:12:07:60:0a:02

veth_to_bridge onprem eth0 "${MAC[host-onprem]}" br-onprem
veth_to_bridge cust-p lan0 "${MAC[cust-lan]}" br-onprem
veth_to_bridge cust-s lan0 "${MAC[cust-lan-s]}" br-onprem
veth_to_bridge vm eth0 "${MAC[host-vm]}" br-vnet
veth_to_bridge msee-p lan0 "${MAC[msee-lan]}" br-vnet
veth_to_bridge msee-s lan0 "${MAC[msee-lan-s]}" br-vnet
nsx onprem ip addr add 172.16.1.10/24 dev eth0
nsx cust-p ip addr add 172.16.1.1/24 dev lan0
nsx cust-s ip addr add 172.16.1.2/24 dev lan0
nsx vm ip addr add 10.1.0.4/24 dev eth0
nsx msee-p ip addr add 10.1.0.1/24 dev lan0
nsx msee-s ip addr add 10.1.0.2/24 dev lan0
for n in onprem cust-p cust-s vm msee-p msee-s; do
  for i in eth0 lan0; do nsx "$n" ip link set "$i" up 2>/dev/null || true; done
  nsx "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
done
nsx onprem ip route add default via 172.16.1.1
nsx vm ip route add default via 10.1.0.2

tool() { local n=$1; shift; ip netns exec "$(ns "$n")" "$PY" "$SCRIPTS_DIR/flow-tool.py" "$@"; }
tool vm serve-tcp 22 & PIDS+=($!)

for l in p s; do
  msee_bird_conf "$l" >"$WORK/msee-$l.conf"; echo "$KERNEL_EXPORT" >>"$WORK/msee-$l.conf"
  bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
  save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
  cust_bird_conf "$l" >"$WORK/cust-$l.conf"; echo "$KERNEL_EXPORT" >>"$WORK/cust-$l.conf"
  bird_start "cust-$l" "cust-$l" "$WORK/cust-$l.conf"
  save_conf "$WORK/cust-$l.conf" "customer-$(lname $l)-bird.conf"
done
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 2

tool onprem tcp 172.16.1.10 10.1.0.4 22 5 >&2
nsx onprem ping -c 2 -i 0.3 10.1.0.4 >&2
nsx onprem ping -c 6 -i 0.5 10.1.0.4 >&2 &
sleep 1.6
nsx vm ip route replace default via 10.1.0.1
wait $!
sleep 1
std_end 189 msee-p msee-s
