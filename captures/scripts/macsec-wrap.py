#!/usr/bin/env python3
"""Wraps every frame of a classic pcap (Ethernet) in MACsec, as an
ExpressRoute Direct port with MACsec enabled carries it: destination and
source MAC in clear, then EtherType 0x88E5, a SecTAG (TCI/AN with E, C and
SC set; SL; packet number; SCI = sender MAC + port 1), the rest of the
original frame (802.1Q tags, IP, BGP) replaced by as many pseudo-random
bytes (the ciphertext stand-in: no key, no real GCM-AES), and a 16-byte ICV.
Frames whose source MAC is listed with --tag-in-clear keep their outermost
802.1Q tag before the SecTAG (the "VLAN in clear" option of some routers).
usage: macsec-wrap.py IN.pcap OUT.pcap [--tag-in-clear MAC]..."""
import random
import struct
import sys

args = sys.argv[1:]
if len(args) < 2:
    sys.exit(__doc__)
src_path, dst_path, rest = args[0], args[1], args[2:]
in_clear = set()
while rest:
    if rest[0] != "--tag-in-clear" or len(rest) < 2:
        sys.exit(__doc__)
    in_clear.add(bytes.fromhex(rest[1].replace(":", "")))
    rest = rest[2:]

rng = random.Random(8021)  # deterministic: the same capture every run
pn = {}

with open(src_path, "rb") as f:
    data = f.read()
magic = struct.unpack("<I", data[:4])[0]
if magic != 0xA1B2C3D4 or struct.unpack("<I", data[20:24])[0] != 1:
    sys.exit("macsec-wrap.py: %s: expected a little-endian classic pcap of Ethernet frames" % src_path)
out = bytearray(data[:24])
off = 24
n = 0
while off + 16 <= len(data):
    ts_s, ts_u, incl, orig = struct.unpack("<IIII", data[off:off + 16])
    frame = data[off + 16:off + 16 + incl]
    off += 16 + incl
    dst, src, body = frame[:6], frame[6:12], frame[12:]
    clear = b""
    if src in in_clear and body[:2] == b"\x81\x00":
        clear, body = body[:4], body[4:]
    an = 0
    pn[src] = pn.get(src, 0) + 1
    tci_an = 0x20 | 0x08 | 0x04 | an  # SC, E, C
    sectag = bytes([tci_an, 0]) + struct.pack(">I", pn[src]) + src + b"\x00\x01"
    secure = bytes(rng.getrandbits(8) for _ in range(len(body)))
    icv = bytes(rng.getrandbits(8) for _ in range(16))
    wrapped = dst + src + clear + b"\x88\xe5" + sectag + secure + icv
    out += struct.pack("<IIII", ts_s, ts_u, len(wrapped), len(wrapped))
    out += wrapped
    n += 1
with open(dst_path, "wb") as f:
    f.write(out)
print("%s: %d frames wrapped in MACsec" % (dst_path, n), file=sys.stderr)
