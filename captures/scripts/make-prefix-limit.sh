#!/bin/bash
# prefix-limit: the customer routers advertise 4,100 IPv4 prefixes (4,099 /24s
# from 10.64.0.0/10 plus 172.16.0.0/16), above the Standard SKU's 4,000. The
# MSEE BIRD has "import limit 4000 action disable": when the limit is hit it
# sends Cease / Maximum Number of Prefixes Reached and keeps the session down.
. "$(dirname "$0")/lib.sh"
lab_init prefix-limit
std_links 192.168.76.0 192.168.76.4
MSEE_IMPORT_EXTRA="    import limit 4000 action disable;" std_msee p s
PREFIXES="172.16.0.0/16 $("$PY" -c '
for i in range(4099): print("10.%d.%d.0/24" % (64 + i // 256, i % 256))')"
# the customer routers stay down after the Cease instead of reconnecting to
# an MSEE that no longer listens ("disable after cease")
export CUST_BGP_EXTRA="  disable after cease on;"
std_cust_bird p
std_cust_bird s
for _ in $(seq 60); do
  birdc_ msee-p show protocols customer | grep -q 'Established' || \
  birdc_ msee-s show protocols customer | grep -q 'Established' || break
  sleep 0.5
done
sleep 5
log "MSEE: $(birdc_ msee-p show protocols customer | tail -1)"
std_end 176 msee-p msee-s
