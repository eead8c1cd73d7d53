#!/bin/bash
# bfd-one-side: the customer routers run BFD, the MSEEs do not (BFD not
# enabled on the Microsoft side): the customer's BFD packets go unanswered.
NAME=bfd-one-side NET_P=192.168.91.0 NET_S=192.168.91.4 VID=191 MSEE_BFD=0 CUST_BFD_P="300 3" CUST_BFD_S="300 3"
. "$(dirname "$0")/bfd-common.sh"
