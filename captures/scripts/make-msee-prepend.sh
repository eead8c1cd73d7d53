#!/bin/bash
# msee-prepend: Microsoft's maintenance prepend. The primary MSEE advertises
# the VNet prefixes with AS 12076 prepended twice (path 12076 12076 12076),
# the secondary MSEE plainly (12076), as Microsoft does on a link under
# maintenance so that traffic moves to the other one. The on-prem host sits
# behind the primary customer router only, so its traffic to the VM keeps
# using the primary: it does not follow.
. "$(dirname "$0")/lib.sh"
lab_init msee-prepend
std_links 192.168.93.0 192.168.93.4

primary_lans
msee_bird_conf p | sed 's|export where proto = "vnet4";|export filter { if proto = "vnet4" then { bgp_path.prepend(12076); bgp_path.prepend(12076); accept; } reject; };|' >"$WORK/msee-p.conf"
echo "$KERNEL_EXPORT" >>"$WORK/msee-p.conf"
bird_start msee-p msee-p "$WORK/msee-p.conf"
save_conf "$WORK/msee-p.conf" msee-primary-bird.conf
std_msee s
cust_bird_conf p >"$WORK/cust-p.conf"; echo "$KERNEL_EXPORT" >>"$WORK/cust-p.conf"
bird_start cust-p cust-p "$WORK/cust-p.conf"
save_conf "$WORK/cust-p.conf" customer-primary-bird.conf
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 2

tool() { local n=$1; shift; ip netns exec "$(ns "$n")" "$PY" "$SCRIPTS_DIR/flow-tool.py" "$@"; }
tool vm serve-tcp 22 & PIDS+=($!)
sleep 0.5
tool onprem tcp 172.16.1.10 10.1.0.4 22 5 >&2
nsx onprem ping -c 2 -i 0.3 10.1.0.4 >&2
sleep 1
std_end 193 msee-p msee-s
