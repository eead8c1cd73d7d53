#!/bin/bash
# duplicate-ip: both links come up normally. Then a second customer-side
# device (MAC 02:c0:00:00:01:11) is plugged into the primary segment with the
# customer's own peering address, 192.168.81.1/30, and pings the MSEE
# (192.168.81.2) three times. Its ARP request (sender 192.168.81.1 from the
# second MAC) overrides the MSEE's neighbour entry for 192.168.81.1, so the
# MSEE's next BGP segments go to the wrong device, which answers them with
# TCP resets. The device stays connected until the capture ends.
. "$(dirname "$0")/lib.sh"
lab_init duplicate-ip
std_links 192.168.81.0 192.168.81.4
std_msee p s
std_cust_bird p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 5
log "second device with 192.168.81.1 joins the primary segment"
veth_to_bridge dup-p eth-p "${MAC[dup-p]}" br-p
nsx dup-p ip addr add 192.168.81.1/30 dev eth-p
nsx dup-p ip link set eth-p up
sleep 1
nsx dup-p ping -c 3 -i 1 192.168.81.2 >&2 || true
sleep "${DUP_WAIT:-100}"
log "MSEE primary: $(bird_state msee-p customer), neighbours: $(nsx msee-p ip neigh show dev eth-p | tr '\n' ';')"
save_routes msee-p msee-s
cap_stop
retag "$WORK/p.pcap" "$WORK/p-tagged.pcap" cust-p=0x8100:181 msee-p=0x8100:181 dup-p=0x8100:181
tag8021q s 181
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
