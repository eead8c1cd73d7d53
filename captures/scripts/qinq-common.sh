# qinq-common.sh: healthy primary + secondary behind a QinQ hand-off.
# Sourced by make-qinq*.sh with NAME, NET_P, NET_S, OUTER (TPID:VID), INNER,
# and OUTER_S when the secondary link's S-tag differs (default OUTER).
. "$(dirname "$0")/lib.sh"
lab_init "$NAME"

er_link p "$NET_P"
er_link s "$NET_S"
cap_start wire br-p "$WORK/p.pcap"
cap_start wire br-s "$WORK/s.pcap"
er_up p; er_up s

std_msee p s
std_cust_gobgp p      # customer routers: GoBGP on both links
std_cust_gobgp s

wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 6
save_routes msee-p msee-s
cap_stop

for l in p s; do
  outer=$OUTER; [ "$l" = s ] && outer=${OUTER_S:-$OUTER}
  retag "$WORK/$l.pcap" "$WORK/$l-tagged.pcap" "cust-$l=$outer,$INNER" "msee-$l=$outer,$INNER"
done
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
