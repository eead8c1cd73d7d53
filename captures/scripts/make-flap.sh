#!/bin/bash
# flap: the primary customer router (ExaBGP) is stopped (SIGTERM: it closes the
# TCP connection without a NOTIFICATION) and started again three times, so the
# primary session goes down and comes back three times. The secondary
# (BIRD) stays up throughout.
. "$(dirname "$0")/lib.sh"
lab_init flap
std_links 192.168.46.0 192.168.46.4
MSEE_ERRWAIT="1, 2" MSEE_BGP_EXTRA="  passive on;" std_msee p
std_msee s
std_cust_exabgp p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
for i in 1 2 3; do
  sleep 4
  log "flap $i: stopping ExaBGP"
  pid=$(cat "$WORK/exabgp-p.xpid")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  sleep 0.5
  exabgp_start cust-p exabgp-p "$WORK/exabgp-p.conf"
  wait_bird_established msee-p customer 40
done
sleep 4
std_end 146 msee-p msee-s
