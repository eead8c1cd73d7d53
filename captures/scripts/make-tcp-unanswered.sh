#!/bin/bash
# tcp-unanswered: ARP works on the primary link, but a filter in front of the
# primary MSEE silently drops everything to or from TCP port 179 (nftables in
# the MSEE namespace, input and output: no reset, no ICMP). The customer's
# SYNs to 192.168.80.2:179 are retransmitted and never answered; the MSEE's
# own connection attempts never leave it. No TCP MD5. The secondary is healthy.
. "$(dirname "$0")/lib.sh"
lab_init tcp-unanswered
std_links 192.168.80.0 192.168.80.4
nsx msee-p nft -f - <<'NFT'
table inet bgpfilter {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 179 drop
    tcp sport 179 drop
  }
  chain output {
    type filter hook output priority 0; policy accept;
    tcp dport 179 drop
    tcp sport 179 drop
  }
}
NFT
nsx msee-p nft list ruleset >"$OUT/msee-primary-nftables.conf"
std_msee p s
std_cust_bird p
std_cust_bird s
wait_bird_established msee-s customer 30
sleep 22
std_end 180 msee-p msee-s
