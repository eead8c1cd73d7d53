#!/bin/bash
# hold-timer: the primary customer router (GoBGP) offers hold time 15 s, so
# the session runs with hold 15 / keepalive 5. Once it is Established the
# GoBGP process is frozen with SIGSTOP: its kernel still ACKs, but no BGP
# KEEPALIVE leaves it, and the MSEE (BIRD) sends NOTIFICATION 4/0 (Hold Timer
# Expired) 15 s after the last message. The secondary link is healthy.
. "$(dirname "$0")/lib.sh"
lab_init hold-timer
std_links 192.168.43.0 192.168.43.4
std_msee p s
HOLD=15 KEEPALIVE=5 std_cust_gobgp p
std_cust_bird s
wait_bird_established msee-p customer 30
wait_bird_established msee-s customer 30
sleep 7
log "SIGSTOP gobgpd on the primary customer router"
kill -STOP "$(cat "$WORK/gobgpd-p.gpid")"
for _ in $(seq 60); do
  [ "$(bird_state msee-p customer)" = Established ] || break
  sleep 0.5
done
log "MSEE primary session: $(birdc_ msee-p show protocols customer | tail -1)"
sleep 4
std_end 143 msee-p msee-s
