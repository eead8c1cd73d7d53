# sll-common.sh: one customer router with two sub-interfaces (primary and
# secondary), recorded with tcpdump -i any inside the router's namespace, as
# a router's own packet capture sees it: untagged, cooked Linux headers.
# Sourced by make-sll*.sh with NAME and DLT (LINUX_SLL2 or LINUX_SLL).
. "$(dirname "$0")/lib.sh"
lab_init "$NAME"

er_link p "$NET_P" cust
er_link s "$NET_S" cust
cap_start cust any "$OUT/capture.pcap" -y "$DLT"
er_up p; er_up s

std_msee p s
cust_bird_conf p s >"$WORK/cust.conf"
save_conf "$WORK/cust.conf" customer-bird.conf
bird_start cust cust "$WORK/cust.conf"

wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 6
save_routes msee-p msee-s
cap_stop
finish
