#!/bin/bash
# sll-any: tcpdump -i any -y LINUX_SLL on the customer router (direction, no interface index).
NAME=sll-any DLT=LINUX_SLL NET_P=192.168.61.0 NET_S=192.168.61.4
. "$(dirname "$0")/sll-common.sh"
