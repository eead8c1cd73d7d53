# lib.sh: shared helpers for the erdiag capture scripts.
#
# Each ExpressRoute link is modelled as one L2 segment: a Linux bridge in a
# "wire" namespace, a veth to the customer router namespace and a veth to the
# Microsoft (MSEE) namespace. tcpdump records every bridge; retag.py adds the
# trunk's 802.1Q / QinQ tags per sending MAC afterwards; mergecap joins links.
#
# Usage in a make-<name>.sh script:
#   . "$(dirname "$0")/lib.sh"
#   lab_init <name>
#   er_link p 192.168.15.16      # primary /30 (network address)
#   ...
# Everything (namespaces, daemons, tcpdump) is torn down by an EXIT trap.

set -euo pipefail

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES_DIR=$(cd "$SCRIPTS_DIR/.." && pwd)
PY=/usr/bin/python3

# MAC plan: 02:c0:... = customer side, 02:12:07:60:... = Microsoft side
# (locally administered; "12:07:60" echoes AS 12076). Fourth/fifth octet:
# link (01 primary, 02 secondary), last octet: host in the /30.
declare -A MAC=(
  [cust-p]=02:c0:00:00:01:01  [msee-p]=02:12:07:60:01:02
  [cust-s]=02:c0:00:00:02:01  [msee-s]=02:12:07:60:02:02
  [host-onprem]=02:c0:00:00:0a:10 [cust-lan]=02:c0:00:00:0a:01
  [host-vm]=02:12:07:60:0a:04     [msee-lan]=02:12:07:60:0a:01
)
# further customer-side devices plugged into the primary segment:
# duplicate-ip (a second device holding network + 1), fhrp (the VRRP backup)
MAC[dup-p]=02:c0:00:00:01:11
MAC[cust-p2]=02:c0:00:00:01:12

IPV6=${IPV6:-0}
PIDS=()
CAP_PIDS=()
NSLIST=()

lname() { case $1 in p) echo primary ;; s) echo secondary ;; *) echo "$1" ;; esac; }
log() { printf '[%s %s] %s\n' "$(date +%T)" "${NAME:-lab}" "$*" >&2; }

lab_init() {
  NAME=$1
  OUT=$CAPTURES_DIR/$NAME
  WORK=$(mktemp -d "/tmp/erdiag-$NAME.XXXXXX")
  PFX=er$$
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$OUT"
  # generated files only: peering.ini, expected*.txt and README.md are kept
  rm -f "$OUT"/capture.pcap "$OUT"/capture.pcapng "$OUT"/*.conf "$OUT"/*.toml \
        "$OUT"/birdc-show-route.txt
  ns_add wire
  log "work dir $WORK, namespaces $PFX-*"
}

lab_cleanup() {
  local rc=$?
  set +e
  for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null; kill -TERM "$p" 2>/dev/null; done
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null; done
  for n in "${NSLIST[@]}"; do ip netns del "$n" 2>/dev/null; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}

ns() { echo "$PFX-$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

ns_add() {
  local n; n=$(ns "$1")
  [ -e "/run/netns/$n" ] && return 0
  ip netns add "$n"
  NSLIST+=("$n")
  local v6off=1
  [ "$IPV6" = 1 ] && [ "$1" != wire ] && v6off=0
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=$v6off \
      net.ipv6.conf.default.disable_ipv6=$v6off
  ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
  [ $v6off = 0 ] && ip netns exec "$n" sysctl -qw net.ipv6.conf.all.forwarding=1
  ip netns exec "$n" ip link set lo up
}

bridge_add() {   # bridge_add BR
  nsx wire ip link show "$1" >/dev/null 2>&1 && return 0
  nsx wire ip link add "$1" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  nsx wire ip link set "$1" up
}

# veth_to_bridge NS IFNAME MAC BR: a router interface in NS, plugged into BR.
veth_to_bridge() {
  local n=$1 ifn=$2 mac=$3 br=$4 port
  port="p${#NSLIST[@]}$RANDOM"; port=${port:0:15}
  ns_add "$n"; bridge_add "$br"
  ip link add "$ifn" netns "$(ns "$n")" type veth peer name "$port" netns "$(ns wire)"
  nsx "$n" ip link set "$ifn" address "$mac"
  nsx wire ip link set "$port" master "$br"
  nsx wire ip link set "$port" up
}

ip4_add() {   # ip4_add 192.168.15.16 2 -> 192.168.15.18
  local a b c d; IFS=. read -r a b c d <<<"$1"; echo "$a.$b.$c.$((d + $2))"
}

# er_link LINK NET [CUSTNS] [MSEENS] [CUSTBR] [MSEEBR]
#   LINK is p (primary) or s (secondary); NET the /30's network address.
#   Sets C4_<LINK> (network+1) and M4_<LINK> (network+2).
er_link() {
  local l=$1 net=$2 cns=${3:-cust-$1} mns=${4:-msee-$1} cbr=${5:-br-$1} mbr=${6:-${5:-br-$1}}
  printf -v "C4_$l" %s "$(ip4_add "$net" 1)"
  printf -v "M4_$l" %s "$(ip4_add "$net" 2)"
  printf -v "CNS_$l" %s "$cns"
  printf -v "MNS_$l" %s "$mns"
  veth_to_bridge "$cns" "eth-$l" "${MAC[cust-$l]}" "$cbr"
  [ "$mns" = none ] || veth_to_bridge "$mns" "eth-$l" "${MAC[msee-$l]}" "$mbr"
}

# er_up LINK [customer|msee|both] [v6-customer v6-msee]: addresses on, links up.
er_up() {
  local l=$1 side=${2:-both} c6=${3:-} m6=${4:-} cns mns c4 m4
  cns=CNS_$l; mns=MNS_$l; c4=C4_$l; m4=M4_$l
  if [ "$side" != msee ]; then
    nsx "${!cns}" ip addr add "${!c4}/30" dev "eth-$l"
    [ -n "$c6" ] && nsx "${!cns}" ip addr add "$c6/126" dev "eth-$l" nodad
    nsx "${!cns}" ip link set "eth-$l" up
  fi
  if [ "$side" != customer ] && [ "${!mns}" != none ]; then
    nsx "${!mns}" ip addr add "${!m4}/30" dev "eth-$l"
    [ -n "$m6" ] && nsx "${!mns}" ip addr add "$m6/126" dev "eth-$l" nodad
    nsx "${!mns}" ip link set "eth-$l" up
  fi
}

# cap_start NS IFACE FILE [tcpdump options...]
cap_start() {
  local n=$1 i=$2 f=$3; shift 3
  ip netns exec "$(ns "$n")" tcpdump -Z root -i "$i" -s 0 -U -n "$@" -w "$f" 2>"$WORK/$(basename "$f").log" &
  CAP_PIDS+=($!)
  for _ in $(seq 50); do grep -q listening "$WORK/$(basename "$f").log" 2>/dev/null && break; sleep 0.1; done
  grep -q listening "$WORK/$(basename "$f").log" || { cat "$WORK/$(basename "$f").log" >&2; return 1; }
}

cap_stop() {
  sleep 0.5
  for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${CAP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  CAP_PIDS=()
}

# ---- daemons ---------------------------------------------------------------

# bird_start NS TAG CONF: run BIRD in NS with socket $WORK/TAG.ctl
bird_start() {
  local n=$1 t=$2 c=$3
  nsx "$n" bird -c "$c" -s "$WORK/$t.ctl" -P "$WORK/$t.pid"
  for _ in $(seq 50); do [ -S "$WORK/$t.ctl" ] && break; sleep 0.1; done
}
birdc_() { local t=$1; shift; birdc -s "$WORK/$t.ctl" "$@"; }

bird_state() {   # bird_state TAG PROTO -> Established / Active / ...
  birdc_ "$1" show protocols "$2" | awk -v p="$2" '$1 == p {print $6}'
}
wait_bird_established() {   # wait_bird_established TAG PROTO TIMEOUT
  local t=$1 p=$2 to=${3:-30} i
  for ((i = 0; i < to * 5; i++)); do
    [ "$(bird_state "$t" "$p")" = Established ] && return 0
    sleep 0.2
  done
  log "$t/$p not Established after ${to}s"; birdc_ "$t" show protocols all "$p" >&2
  return 1
}

bird_pid() { cat "$WORK/$1.pid"; }

# gobgpd_start NS TAG CONF
gobgpd_start() {
  local n=$1 t=$2 c=$3
  ip netns exec "$(ns "$n")" gobgpd -f "$c" -l info --pprof-disable >"$WORK/$t.log" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/$t.gpid"
  for _ in $(seq 50); do nsx "$n" gobgp global >/dev/null 2>&1 && break; sleep 0.1; done
}
gobgp_() { local n=$1; shift; nsx "$n" gobgp "$@"; }
wait_gobgp_established() {   # NS NEIGHBOR TIMEOUT
  local n=$1 nb=$2 to=${3:-30} i
  for ((i = 0; i < to * 5; i++)); do
    gobgp_ "$n" neighbor "$nb" 2>/dev/null | grep -q 'BGP state = established' && return 0
    sleep 0.2
  done
  log "gobgp $nb not established"; return 1
}

# exabgp_start NS TAG CONF: ExaBGP only connects out (it does not listen), so
# the MSEE facing an ExaBGP router is made passive: otherwise its connection
# attempts during ExaBGP's (slow) start would be refused by the kernel
exabgp_start() {
  local n=$1 t=$2 c=$3
  env exabgp.daemon.user=root exabgp.daemon.daemonize=false \
      exabgp.log.destination="$WORK/$t.log" exabgp.log.level=INFO \
      exabgp.api.cli=false exabgp.tcp.bind= \
      ip netns exec "$(ns "$n")" exabgp "$c" >>"$WORK/$t.out" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/$t.xpid"
}

# ---- BIRD configurations ----------------------------------------------------

# msee_bird_conf LINK [PEER_IP MY_IP]: the Microsoft side. Env knobs:
#   PEER_AS (65010)  VNETS ("10.1.0.0/16 10.2.0.0/24")  MSEE_HOLD (180)
#   MSEE_BGP_EXTRA (lines inside the bgp protocol)  MSEE_IMPORT_EXTRA
#   V6=1 adds an IPv6 session (M6_<LINK>, C6_<LINK>), VNETS6
msee_bird_conf() {
  local l=$1 c4 m4 v
  c4=C4_$l; m4=M4_$l
  cat <<CONF
# Microsoft edge (MSEE) of the $(lname $l) link: AS 12076
log "$WORK/msee-$l.log" all;
router id ${!m4};
protocol device { scan time 5; }
protocol static vnet4 {
  ipv4;
CONF
  for v in ${VNETS-10.1.0.0/16 10.2.0.0/24}; do echo "  route $v blackhole;"; done
  echo "}"
  cat <<CONF
protocol bgp customer {
  description "ExpressRoute private peering, $(lname $l)";
  local ${!m4} as 12076;
  neighbor ${!c4} as ${PEER_AS:-65010};
  hold time ${MSEE_HOLD:-180};
  error wait time ${MSEE_ERRWAIT:-5, 30};
${MSEE_BGP_EXTRA:-}
  ipv4 {
    import all;
    export where proto = "vnet4";
${MSEE_IMPORT_EXTRA:-}
  };
}
CONF
  if [ "${V6:-0}" = 1 ]; then
    local c6=C6_$l m6=M6_$l
    echo "protocol static vnet6 {"
    echo "  ipv6;"
    for v in ${VNETS6-fd01:1::/48}; do echo "  route $v blackhole;"; done
    echo "}"
    cat <<CONF
protocol bgp customer6 {
  description "ExpressRoute private peering IPv6, $(lname $l)";
  local ${!m6} as 12076;
  neighbor ${!c6} as ${PEER_AS:-65010};
  hold time ${MSEE_HOLD:-180};
  error wait time ${MSEE_ERRWAIT:-5, 30};
${MSEE_BGP_EXTRA:-}
  ipv6 {
    import all;
    export where proto = "vnet6";
  };
}
CONF
  fi
}

# cust_bird_conf LINK...: the customer router (one BGP session per link given).
# Env knobs: CUST_AS (65010) PREFIXES ("172.16.0.0/16 10.50.0.0/16")
#   CUST_BGP_EXTRA  CUST_EXPORT_EXTRA  CUST_STATIC_EXTRA  PREFIXES6  V6=1
cust_bird_conf() {
  local l c4 m4 v exp=${CUST_EXPORT:-'where proto = "onprem4"'}
  c4=C4_$1
  cat <<CONF
# customer edge router: AS ${CUST_AS:-65010}
log "$WORK/cust-$1.log" all;
router id ${!c4};
protocol device { scan time 5; }
protocol static onprem4 {
  ipv4;
CONF
  for v in ${PREFIXES-172.16.0.0/16 10.50.0.0/16}; do echo "  route $v blackhole;"; done
  echo "${CUST_STATIC_EXTRA:-}"
  echo "}"
  if [ "${V6:-0}" = 1 ]; then
    echo "protocol static onprem6 {"
    echo "  ipv6;"
    for v in ${PREFIXES6-fd50:16::/48}; do echo "  route $v blackhole;"; done
    echo "}"
  fi
  for l in "$@"; do
    c4=C4_$l; m4=M4_$l
    cat <<CONF
protocol bgp msee_$l {
  description "ExpressRoute $(lname $l)";
  local ${!c4} as ${CUST_AS:-65010};
  neighbor ${!m4} as 12076;
  connect delay time 1;
  connect retry time 10;
  error wait time 5, 30;
${CUST_BGP_EXTRA:-}
  ipv4 {
    import all;
    export $exp;
${CUST_EXPORT_EXTRA:-}
  };
}
CONF
    if [ "${V6:-0}" = 1 ]; then
      local c6=C6_$l m6=M6_$l
      cat <<CONF
protocol bgp msee6_$l {
  description "ExpressRoute $(lname $l) IPv6";
  local ${!c6} as ${CUST_AS:-65010};
  neighbor ${!m6} as 12076;
  connect delay time 1;
  connect retry time 10;
  error wait time 5, 30;
${CUST_BGP_EXTRA:-}
  ipv6 {
    import all;
    export where proto = "onprem6";
  };
}
CONF
    fi
  done
}

# gobgpd_conf LINK: GoBGP customer router. Env: CUST_AS HOLD KEEPALIVE
gobgpd_conf() {
  local l=$1 c4 m4
  c4=C4_$l; m4=M4_$l
  cat <<CONF
# customer edge router (GoBGP): AS ${CUST_AS:-65010}
[global.config]
  as = ${CUST_AS:-65010}
  router-id = "${!c4}"
  local-address-list = ["${!c4}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "${!m4}"
    peer-as = 12076
    description = "ExpressRoute $(lname $l)"
  [neighbors.timers.config]
    hold-time = ${HOLD:-180}
    keepalive-interval = ${KEEPALIVE:-60}
    connect-retry = 5
  [neighbors.transport.config]
    local-address = "${!c4}"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
CONF
}

# exabgp_conf LINK [PROCESS-COMMAND]: ExaBGP customer router.
# Env: CUST_AS PREFIXES HOLD EXA_ROUTE_EXTRA (appended to each route)
exabgp_conf() {
  local l=$1 run=${2:-} c4 m4 v
  c4=C4_$l; m4=M4_$l
  echo "# customer edge router (ExaBGP): AS ${CUST_AS:-65010}"
  [ -n "$run" ] && printf 'process api {\n  run %s;\n  encoder text;\n}\n' "$run"
  cat <<CONF
neighbor ${!m4} {
  description "ExpressRoute $(lname $l)";
  router-id ${!c4};
  local-address ${!c4};
  local-as ${CUST_AS:-65010};
  peer-as 12076;
  hold-time ${HOLD:-180};
  family { ipv4 unicast; }
CONF
  [ -n "$run" ] && echo "  api { processes [ api ]; }"
  echo "  static {"
  for v in ${PREFIXES-172.16.0.0/16 10.50.0.0/16}; do
    echo "    route $v next-hop self${EXA_ROUTE_EXTRA:-};"
  done
  echo "  }"
  echo "}"
}

# save_conf SRC DESTNAME: keep a copy of a daemon configuration beside the capture
save_conf() { sed "s#$WORK/#/tmp/erdiag/#g" "$1" >"$OUT/$2"; }

# ---- hosts behind the primary routers ----------------------------------------

# primary_lans [MTU]: an on-prem host (172.16.1.10/24, gateway 172.16.1.1 on
# the primary customer router) and an "Azure VM" (10.1.0.4/24, gateway
# 10.1.0.1 on the primary MSEE), on LANs that are not captured. Extra host
# addresses: nsx onprem ip addr add ... dev eth0 (and the router's lan0).
primary_lans() {
  local mtu=${1:-1500}
  ns_add onprem; ns_add vm
  ip link add eth0 netns "$(ns onprem)" mtu "$mtu" type veth peer name lan0 netns "$(ns cust-p)" mtu "$mtu"
  ip link add eth0 netns "$(ns vm)" mtu "$mtu" type veth peer name lan0 netns "$(ns msee-p)" mtu "$mtu"
  nsx onprem ip link set eth0 address "${MAC[host-onprem]}"
  nsx cust-p ip link set lan0 address "${MAC[cust-lan]}"
  nsx vm ip link set eth0 address "${MAC[host-vm]}"
  nsx msee-p ip link set lan0 address "${MAC[msee-lan]}"
  nsx onprem ip addr add 172.16.1.10/24 dev eth0
  nsx cust-p ip addr add 172.16.1.1/24 dev lan0
  nsx vm ip addr add 10.1.0.4/24 dev eth0
  nsx msee-p ip addr add 10.1.0.1/24 dev lan0
  nsx onprem ip link set eth0 up; nsx vm ip link set eth0 up
  nsx cust-p ip link set lan0 up; nsx msee-p ip link set lan0 up
  nsx onprem ip route add default via 172.16.1.1
  nsx vm ip route add default via 10.1.0.1
}

# BIRD's kernel protocol: BGP routes into the namespace's routing table, so
# traffic between the LANs follows what was advertised.
KERNEL_EXPORT='
protocol kernel {
  ipv4 { import none; export where source = RTS_BGP; };
}'

# routed_birds: BIRD on all four routers, the primary ones installing their
# BGP routes (KERNEL_EXPORT); waits until both sessions are Established.
routed_birds() {
  msee_bird_conf p >"$WORK/msee-p.conf"; echo "$KERNEL_EXPORT" >>"$WORK/msee-p.conf"
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
  log "routes on the customer router: $(nsx cust-p ip -4 route show proto bird | tr '\n' ';')"
}

# ---- post-processing --------------------------------------------------------

# retag IN OUT TAG-ARGS...: e.g. retag a.pcap b.pcap cust-p=0x8100:100 msee-p=0x8100:100
retag() {
  local in=$1 out=$2 a args=(); shift 2
  for a in "$@"; do args+=(--tag "${MAC[${a%%=*}]}=${a#*=}"); done
  "$PY" "$SCRIPTS_DIR/retag.py" "$in" "$out" "${args[@]}"
}

# merge_links OUT IN...: one pcapng interface per input file (-I none keeps
# the links apart even though their interface descriptions are identical)
merge_links() { local o=$1; shift; mergecap -I none -w "$o" "$@"; }

# std_msee LINK...: generate and start the standard MSEE BIRD for each link
std_msee() {
  local l
  for l in "$@"; do
    msee_bird_conf "$l" >"$WORK/msee-$l.conf"
    bird_start "msee-$l" "msee-$l" "$WORK/msee-$l.conf"
    save_conf "$WORK/msee-$l.conf" "msee-$(lname $l)-bird.conf"
  done
}
# std_cust_bird LINK: generate and start a customer BIRD for one link
std_cust_bird() {
  local l=$1
  cust_bird_conf "$l" >"$WORK/cust-$l.conf"
  bird_start "cust-$l" "cust-$l" "$WORK/cust-$l.conf"
  save_conf "$WORK/cust-$l.conf" "customer-$(lname $l)-bird.conf"
}
# std_cust_gobgp LINK: GoBGP customer router advertising $PREFIXES
std_cust_gobgp() {
  local l=$1 v
  gobgpd_conf "$l" >"$WORK/gobgpd-$l.toml"
  save_conf "$WORK/gobgpd-$l.toml" "customer-$(lname $l)-gobgpd.toml"
  gobgpd_start "cust-$l" "gobgpd-$l" "$WORK/gobgpd-$l.toml"
  for v in ${PREFIXES-172.16.0.0/16 10.50.0.0/16}; do
    gobgp_ "cust-$l" global rib add -a ipv4 "$v"
  done
}
# std_cust_exabgp LINK [API-PROGRAM]: ExaBGP customer router
std_cust_exabgp() {
  local l=$1 run=${2:-}
  exabgp_conf "$l" ${run:+"$PY $run"} >"$WORK/exabgp-$l.conf"
  save_conf "$WORK/exabgp-$l.conf" "customer-$(lname $l)-exabgp.conf"
  exabgp_start "cust-$l" "exabgp-$l" "$WORK/exabgp-$l.conf"
}
# tag8021q LINK VID: both routers of LINK tagged with one 802.1Q tag
tag8021q() { retag "$WORK/$1.pcap" "$WORK/$1-tagged.pcap" "cust-$1=0x8100:$2" "msee-$1=0x8100:$2"; }

# show MSEE routes at the end of the run
save_routes() {   # save_routes TAG... -> birdc-show-route.txt
  local t
  : >"$OUT/birdc-show-route.txt"
  for t in "$@"; do
    {
      echo "### $t: birdc show route all"
      birdc_ "$t" show route all | sed '1d'
      echo
    } >>"$OUT/birdc-show-route.txt"
  done
}

finish() {   # finish: summary of the result
  log "done: $(ls "$OUT" | tr '\n' ' ')"
}

# std_links NET_P NET_S: both links on their own bridges, captured, addresses up
std_links() {
  er_link p "$1"
  er_link s "$2"
  cap_start wire br-p "$WORK/p.pcap"
  cap_start wire br-s "$WORK/s.pcap"
  er_up p; er_up s
}
# std_end VID [MSEE-TAG...]: routes from the listed MSEE BIRDs, stop the
# capture, tag both links with 802.1Q VID and write capture.pcapng
std_end() {
  local vid=$1; shift
  [ $# -gt 0 ] && save_routes "$@"
  cap_stop
  tag8021q p "$vid"
  tag8021q s "$vid"
  merge_links "$OUT/capture.pcapng" "$WORK/p-tagged.pcap" "$WORK/s-tagged.pcap"
  finish
}
