#!/usr/bin/env python3
"""On-prem host: open TCP connections to the Azure VM.
usage: dataplane-client.py SOURCE DEST PORT TIMEOUT"""
import socket
import sys

src, dst, port, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((src, 0))
s.settimeout(timeout)
try:
    s.connect((dst, port))
    banner = s.recv(256)
    s.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    print("%s -> %s:%d connected: %r" % (src, dst, port, banner.strip()))
except OSError as e:
    print("%s -> %s:%d failed: %s" % (src, dst, port, e))
finally:
    s.close()
