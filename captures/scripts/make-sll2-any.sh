#!/bin/bash
# sll2-any: tcpdump -i any -y LINUX_SLL2 on the customer router (interface index and direction per packet).
NAME=sll2-any DLT=LINUX_SLL2 NET_P=192.168.60.0 NET_S=192.168.60.4
. "$(dirname "$0")/sll-common.sh"
