#!/usr/bin/env python3
"""Hosts of the data-plane captures: small servers and clients.
usage:
  flow-tool.py serve-tcp PORT              accept, send a banner line, read one line, close
  flow-tool.py serve-udp PORT              answer each datagram with its reverse
  flow-tool.py tcp SRC DST PORT TIMEOUT    connect, read the banner, send a line
  flow-tool.py udp SRC DST PORT TIMEOUT    send one datagram, wait for an answer"""
import socket
import sys


def serve_tcp(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(8)
    while True:
        conn, _ = srv.accept()
        conn.sendall(b"HELLO from port %d\r\n" % port)
        try:
            conn.recv(256)
        except OSError:
            pass
        conn.close()


def serve_udp(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("0.0.0.0", port))
    while True:
        data, peer = srv.recvfrom(2048)
        srv.sendto(data[::-1], peer)


def tcp(src, dst, port, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(timeout)
    try:
        s.connect((dst, port))
        banner = s.recv(256)
        s.sendall(b"BYE\r\n")
        print("tcp %s -> %s:%d connected: %r" % (src, dst, port, banner.strip()))
    except OSError as e:
        print("tcp %s -> %s:%d failed: %s" % (src, dst, port, e))
    finally:
        s.close()


def udp(src, dst, port, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(timeout)
    try:
        s.sendto(b"query %d" % port, (dst, port))
        data, _ = s.recvfrom(2048)
        print("udp %s -> %s:%d answered: %r" % (src, dst, port, data))
    except OSError as e:
        print("udp %s -> %s:%d failed: %s" % (src, dst, port, e))
    finally:
        s.close()


cmd = sys.argv[1]
if cmd == "serve-tcp":
    serve_tcp(int(sys.argv[2]))
elif cmd == "serve-udp":
    serve_udp(int(sys.argv[2]))
elif cmd == "tcp":
    tcp(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
elif cmd == "udp":
    udp(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
else:
    sys.exit(__doc__)
