#!/bin/bash
# midstream: the capture starts long after both BGP sessions came up, as
# most real captures do ("it worked yesterday, let me capture now"). The
# routes were exchanged before the capture; in it: an SSH session from the
# on-prem host 172.16.1.10 (inside 172.16.0.0/16, advertised before the
# capture) to the "Azure VM" 10.1.0.4, answered; then the customer adds
# 10.60.0.0/16 and later withdraws 10.50.0.0/16 (two UPDATEs on each link).
# No OPEN, no initial table: the route tables in the capture are partial, and
# their gaps must not be reported as missing routes.
. "$(dirname "$0")/lib.sh"
lab_init midstream
er_link p 192.168.79.0
er_link s 192.168.79.4

primary_lans
ip netns exec "$(ns vm)" "$PY" "$SCRIPTS_DIR/dataplane-vm.py" &
PIDS+=($!)

er_up p; er_up s
routed_birds
sleep 1

# Only now does the capture start.
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
sleep 1
ip netns exec "$(ns onprem)" "$PY" "$SCRIPTS_DIR/dataplane-client.py" 172.16.1.10 10.1.0.4 22 5 >&2
sleep 1

# Route changes during the capture, on both customer routers.
reconfigure() {   # reconfigure PREFIXES: the customer routers' new static routes
  local l
  for l in p s; do
    PREFIXES=$1 cust_bird_conf "$l" >"$WORK/cust-$l.conf"
    [ "$l" = p ] && echo "$KERNEL_EXPORT" >>"$WORK/cust-$l.conf"
    birdc_ "cust-$l" configure \""$WORK/cust-$l.conf"\" >&2
  done
}
reconfigure "172.16.0.0/16 10.50.0.0/16 10.60.0.0/16"
sleep 2
reconfigure "172.16.0.0/16 10.60.0.0/16"
sleep 2
save_conf "$WORK/cust-p.conf" customer-primary-bird.conf
save_conf "$WORK/cust-s.conf" customer-secondary-bird.conf
std_end 187 msee-p msee-s
