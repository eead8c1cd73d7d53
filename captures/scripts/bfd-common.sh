# bfd-common.sh: BFD (RFC 5880) beside BGP on both links, BIRD 2 on every
# router. Sourced by make-bfd*.sh with NAME, NET_P, NET_S, VID and:
#   MSEE_BFD      1: the MSEEs run BFD (300 ms x 3, as Azure's) / 0: they do not
#   CUST_BFD_P    the primary customer router's "min rx/tx interval ms, multiplier" ("" = no BFD)
#   CUST_BFD_S    the same for the secondary
#   FAULT         "" or "stop-msee-p": SIGSTOP the primary MSEE's BIRD once up
. "$(dirname "$0")/lib.sh"
lab_init "$NAME"
std_links "$NET_P" "$NET_S"

bfd_block() {   # bfd_block INTERVAL_MS MULTIPLIER
  cat <<CONF
protocol bfd {
  interface "*" {
    min rx interval $1 ms;
    min tx interval $1 ms;
    multiplier $2;
  };
}
CONF
}

for l in p s; do
  if [ "$MSEE_BFD" = 1 ]; then
    MSEE_BGP_EXTRA="  bfd on;" msee_bird_conf "$l" >"$WORK/msee-$l.conf"
    bfd_block 300 3 >>"$WORK/msee-$l.conf"
  else
    msee_bird_conf "$l" >"$WORK/msee-$l.conf"
  fi
  bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
  save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
  spec=CUST_BFD_$(echo "$l" | tr ps PS)
  if [ -n "${!spec}" ]; then
    read -r ms mult <<<"${!spec}"
    CUST_BGP_EXTRA="  bfd on;" cust_bird_conf "$l" >"$WORK/cust-$l.conf"
    bfd_block "$ms" "$mult" >>"$WORK/cust-$l.conf"
  else
    cust_bird_conf "$l" >"$WORK/cust-$l.conf"
  fi
  bird_start "cust-$l" "cust-$l" "$WORK/cust-$l.conf"
  save_conf "$WORK/cust-$l.conf" "customer-$(lname $l)-bird.conf"
done
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 4
if [ "${FAULT:-}" = stop-msee-p ]; then
  log "SIGSTOP the primary MSEE's BIRD"
  kill -STOP "$(bird_pid msee-p)"
  sleep 3
  kill -CONT "$(bird_pid msee-p)"
  wait_bird_established msee-p customer 60
  sleep 4
fi
save_routes msee-p msee-s
cap_stop
tag8021q p "$VID"
tag8021q s "$VID"
merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
finish
