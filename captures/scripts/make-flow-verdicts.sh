#!/bin/bash
# flow-verdicts: one conversation per data-plane verdict, across the primary
# link, between an on-prem host (172.16.1.10) behind the primary customer
# router and an "Azure VM" (10.1.0.4) behind the primary MSEE. Both routers
# install the BGP routes into the kernel, so traffic follows them.
#   answered     on-prem -> VM TCP 22 (banner server), UDP 53 (echo server),
#                ping; VM -> on-prem TCP 8080 and ping
#   refused      on-prem -> VM TCP 8443: nothing listens, the VM's kernel resets;
#                on-prem -> VM TCP 445: the VM's nftables `reject with tcp reset`
#   unreachable  on-prem -> VM UDP 5000: nothing listens, ICMP port unreachable
#                from the VM; VM -> on-prem TCP 3389: the customer router's
#                forward chain rejects it with ICMP administratively prohibited
#   unanswered   on-prem -> VM TCP 3389: the VM's nftables drop it silently
#                (as an NSG would)
#   fragments    on-prem -> VM ping of 3,000 bytes: fragmented toward Azure
#   path MTU     the VM's LAN has an MTU of 1,400: a 1,472-byte ping with DF
#                set gets ICMP fragmentation needed (MTU 1400) from the MSEE,
#                and later SYNs announcing MSS 1460 exceed what it carries
# The secondary link is healthy and carries no data traffic.
. "$(dirname "$0")/lib.sh"
lab_init flow-verdicts
std_links 192.168.88.0 192.168.88.4

primary_lans
# the path toward the VM carries 1,400-byte packets (the MSEE's LAN side)
nsx msee-p ip link set lan0 mtu 1400
nsx vm ip link set eth0 mtu 1400
nsx vm nft -f - <<'NFT'
table inet vmfirewall {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 3389 drop
    tcp dport 445 reject with tcp reset
  }
}
NFT
nsx vm nft list ruleset >"$OUT/vm-nftables.conf"
nsx cust-p nft -f - <<'NFT'
table inet onpremfirewall {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip saddr 10.1.0.0/16 tcp dport 3389 reject with icmpx type admin-prohibited
  }
}
NFT
nsx cust-p nft list ruleset >"$OUT/customer-primary-nftables.conf"

tool() { local n=$1; shift; ip netns exec "$(ns "$n")" "$PY" "$SCRIPTS_DIR/flow-tool.py" "$@"; }
tool vm serve-tcp 22 & PIDS+=($!)
tool vm serve-udp 53 & PIDS+=($!)
tool onprem serve-tcp 8080 & PIDS+=($!)
tool onprem serve-tcp 3389 & PIDS+=($!)

routed_birds
sleep 1

c() { tool "$@" >&2; }
c onprem tcp 172.16.1.10 10.1.0.4 22 5
c onprem udp 172.16.1.10 10.1.0.4 53 3
nsx onprem ping -c 2 -i 0.3 10.1.0.4 >&2
c vm tcp 10.1.0.4 172.16.1.10 8080 5
nsx vm ping -c 2 -i 0.3 172.16.1.10 >&2
c onprem tcp 172.16.1.10 10.1.0.4 8443 3
c onprem tcp 172.16.1.10 10.1.0.4 445 3
c onprem udp 172.16.1.10 10.1.0.4 5000 2
c vm tcp 10.1.0.4 172.16.1.10 3389 3
c onprem tcp 172.16.1.10 10.1.0.4 3389 4
nsx onprem ping -c 1 -s 3000 10.1.0.4 >&2 || true
nsx onprem ping -c 1 -M do -s 1472 10.1.0.4 >&2 || true
sleep 0.5
c onprem tcp 172.16.1.10 10.1.0.4 22 5
sleep 1
std_end 188 msee-p msee-s
