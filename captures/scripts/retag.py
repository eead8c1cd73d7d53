#!/usr/bin/env python3
"""Insert 802.1Q / 802.1ad / QinQ tags into Ethernet frames of a classic pcap.

Captures on a Linux bridge are untagged (the lab has no 8021q). The tags a
trunk port would carry are added afterwards, per sending router, keyed by the
frame's source MAC address:

  retag.py in.pcap out.pcap \
      --tag 02:c0:00:00:01:01=0x8100:100 \
      --tag 02:12:07:60:01:02=0x88a8:20,0x8100:100

Tags are listed outermost first; TPIDs 0x8100, 0x88a8 and 0x9100 (or any
other 16-bit value) and any depth are accepted. A priority may be given as
TPID:VID:PCP. Frames from MACs with no --tag are copied unchanged. Only
LINKTYPE_ETHERNET (1) pcap files are accepted; both byte orders and the
nanosecond magic are read, and the output keeps the input's header.
"""
import argparse
import struct
import sys

MAGICS = {
    b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",   # microsecond
    b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">",   # nanosecond
}


def parse_mac(text):
    parts = text.replace("-", ":").split(":")
    if len(parts) != 6:
        raise argparse.ArgumentTypeError("bad MAC address: %s" % text)
    return bytes(int(p, 16) for p in parts)


def parse_tag(text):
    if "=" not in text:
        raise argparse.ArgumentTypeError("expected MAC=TPID:VID[,TPID:VID...]: %s" % text)
    mac, spec = text.split("=", 1)
    tags = b""
    for item in spec.split(","):
        fields = item.split(":")
        if len(fields) not in (2, 3):
            raise argparse.ArgumentTypeError("bad tag: %s" % item)
        tpid = int(fields[0], 0)
        vid = int(fields[1], 0)
        pcp = int(fields[2], 0) if len(fields) == 3 else 0
        if not (0 <= tpid <= 0xFFFF and 0 <= vid <= 4095 and 0 <= pcp <= 7):
            raise argparse.ArgumentTypeError("tag out of range: %s" % item)
        tags += struct.pack("!HH", tpid, (pcp << 13) | vid)
    return parse_mac(mac), tags


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("infile")
    ap.add_argument("outfile")
    ap.add_argument("--tag", action="append", type=parse_tag, default=[],
                    metavar="MAC=TPID:VID[,TPID:VID...]")
    args = ap.parse_args()
    table = dict(args.tag)

    with open(args.infile, "rb") as f:
        data = f.read()
    if len(data) < 24 or data[:4] not in MAGICS:
        sys.exit("%s: not a classic pcap file" % args.infile)
    bo = MAGICS[data[:4]]
    _, _, _, _, snaplen, linktype = struct.unpack(bo + "HHiIII", data[4:24])
    if linktype != 1:
        sys.exit("%s: link type %d, expected Ethernet (1)" % (args.infile, linktype))
    maxdepth = max((len(t) for t in table.values()), default=0)

    out = [data[:20], struct.pack(bo + "I", linktype)]
    if maxdepth and snaplen:
        out[0] = data[:16] + struct.pack(bo + "I", snaplen + maxdepth)
    off, count, tagged = 24, 0, 0
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(bo + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        if len(frame) != incl:
            sys.exit("%s: truncated record at offset %d" % (args.infile, off))
        off += 16 + incl
        count += 1
        tags = table.get(frame[6:12]) if len(frame) >= 14 else None
        if tags:
            frame = frame[:12] + tags + frame[12:]
            incl += len(tags)
            orig += len(tags)
            tagged += 1
        out.append(struct.pack(bo + "IIII", sec, frac, incl, orig))
        out.append(frame)
    with open(args.outfile, "wb") as f:
        f.write(b"".join(out))
    print("%s: %d frames, %d tagged" % (args.outfile, count, tagged), file=sys.stderr)


if __name__ == "__main__":
    main()
