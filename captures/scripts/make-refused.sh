#!/bin/bash
# refused: no BGP daemon runs on the primary MSEE. ARP works, but every SYN
# the customer sends to port 179 is answered by the MSEE kernel with RST.
# The secondary link is healthy.
. "$(dirname "$0")/lib.sh"
lab_init refused
std_links 192.168.44.0 192.168.44.4
std_msee s            # the primary MSEE has its address, but no daemon
std_cust_bird p
std_cust_bird s
wait_bird_established msee-s customer 30
sleep 22
std_end 144 msee-s
