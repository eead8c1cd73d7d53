#!/bin/bash
# md5-one-side: only the primary customer router signs its segments (TCP MD5);
# the MSEE has no key. The MSEE kernel drops the signed SYNs, the customer
# kernel drops the MSEE's unsigned SYNs. The secondary (no MD5) is healthy.
. "$(dirname "$0")/lib.sh"
lab_init md5-one-side
std_links 192.168.42.0 192.168.42.4
std_msee p s
CUST_BGP_EXTRA='  password "Contoso-ER-01";' std_cust_bird p
std_cust_bird s
wait_bird_established msee-s customer 30
sleep 20
std_end 142 msee-p msee-s
