#!/usr/bin/env python3
"""A stand-in for the Azure VM's SSH daemon: accept on port 22, send an SSH
identification string, close."""
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 22))
srv.listen(8)
while True:
    conn, _ = srv.accept()
    conn.sendall(b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n")
    try:
        conn.recv(256)
    except OSError:
        pass
    conn.close()
