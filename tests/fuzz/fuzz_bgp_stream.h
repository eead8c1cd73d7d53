/* The input format of the BGP reassembly fuzz target, shared with the seed
 * generator that turns captured port-179 segments into it.
 *
 * The input is a sequence of records, each a 6-byte header and a payload:
 *   byte 0   flags: FUZZ_SEG_* below
 *   byte 1-2 sequence offset (signed, big endian) from the next byte the
 *            direction expects: 0 in order, negative a retransmission or
 *            overlap, positive a gap or an out-of-order segment
 *   byte 3-4 payload length the IP header claims (big endian)
 *   byte 5   time since the previous record, in milliseconds
 * followed by the captured payload: the claimed length, or whatever input
 * is left when that is less (then the frame counts as cut by snaplen). */
#ifndef ERDIAG_FUZZ_BGP_STREAM_H
#define ERDIAG_FUZZ_BGP_STREAM_H

enum {
    FUZZ_SEG_REVERSE = 0x01, /* sent by the peer on port 40000+, not by port 179 */
    FUZZ_SEG_SYN = 0x02,
    FUZZ_SEG_FIN = 0x04,
    FUZZ_SEG_RST = 0x08,
    FUZZ_SEG_CONN2 = 0x10,   /* a second connection (client port 40001) */
    FUZZ_SEG_SNAP = 0x20,    /* snaplen cut a quarter of the payload off */
    FUZZ_SEG_IPV6 = 0x40,    /* the connection runs over IPv6 */
    FUZZ_SEG_NO_ACK = 0x80,  /* ACK flag clear (a client's first SYN) */
    FUZZ_SEG_HEADER = 6,
};

#endif
