#!/bin/bash
# md5-mismatch: both ends of the primary session configure TCP MD5 (RFC 2385)
# with different keys; each kernel drops the other's signed SYNs, so SYNs
# with option 19 go unanswered from both sides. The secondary session uses
# the same key on both ends and comes up (signed segments throughout).
. "$(dirname "$0")/lib.sh"
lab_init md5-mismatch
std_links 192.168.41.16 192.168.41.20
MSEE_BGP_EXTRA='  password "Contoso-ER-p1";' std_msee p
MSEE_BGP_EXTRA='  password "Contoso-ER-s1";' std_msee s
CUST_BGP_EXTRA='  password "Contoso-ER-p2";' std_cust_bird p
CUST_BGP_EXTRA='  password "Contoso-ER-s1";' std_cust_bird s
wait_bird_established msee-s customer 30
sleep 20
std_end 141 msee-p msee-s
