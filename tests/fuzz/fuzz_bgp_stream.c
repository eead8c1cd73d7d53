/* Fuzz target: BGP reassembly over TCP (out of order, retransmissions,
 * overlaps, gaps, snaplen cuts, SYN/FIN/RST, sequence wrap-around) and the
 * decoding of the messages it puts together.
 *
 * Input: records as described in fuzz_bgp_stream.h. Up to four connections
 * (two client ports, IPv4 or IPv6), two directions each. */
#include "fuzz_common.h"
#include "fuzz_bgp_stream.h"
#include "bgp_stream.h"
#include "bgp_stream_limits.h"
#include "bgp_decode.h"

/* Per direction: where the next in-order byte is. The initial sequence
 * numbers sit just below 2^32 so reassembly crosses the wrap early. */
typedef struct {
    gboolean started;
    guint32 next;
} dir_state;

static void check_event(const erdiag_event *ev, gpointer user)
{
    guint *n = user;
    (*n)++;
    FUZZ_CHECK(ev->type == ERDIAG_EV_BGP || ev->type == ERDIAG_EV_DECODE_NOTE);
    fuzz_walk_event(ev);
    if (ev->type == ERDIAG_EV_BGP)
        FUZZ_CHECK(ev->u.bgp.sport == 179 || ev->u.bgp.dport == 179);
}

static erdiag_addr endpoint(gboolean v6, int host)
{
    guint8 b[16] = { 0 };
    if (v6) {
        b[0] = 0x20, b[1] = 0x01, b[2] = 0x0d, b[3] = 0xb8, b[15] = (guint8)host;
        return erdiag_addr_v6(b);
    }
    b[0] = 192, b[1] = 168, b[2] = 15, b[3] = (guint8)host;
    return erdiag_addr_v4(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    erdiag_bgp_streams *s = erdiag_bgp_streams_new();
    dir_state dirs[8];
    memset(dirs, 0, sizeof dirs);
    guint events = 0;
    gint64 ts = G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC;
    guint64 frame = 0;
    gsize off = 0;
    while (size - off >= FUZZ_SEG_HEADER) {
        const uint8_t *h = data + off;
        off += FUZZ_SEG_HEADER;
        guint8 flags = h[0];
        gint16 seq_off = (gint16)fuzz_be16(h + 1);
        guint32 claimed = fuzz_be16(h + 3);
        ts += (gint64)h[5] * 1000;
        guint32 captured = (guint32)MIN((gsize)claimed, size - off);
        const uint8_t *payload = data + off;
        off += captured;
        if (flags & FUZZ_SEG_SNAP)
            captured -= MIN(captured, claimed / 4 + 1);

        gboolean reverse = flags & FUZZ_SEG_REVERSE, v6 = flags & FUZZ_SEG_IPV6;
        guint conn = (flags & FUZZ_SEG_CONN2) ? 1 : 0;
        dir_state *ds = &dirs[(v6 ? 4 : 0) + conn * 2 + (reverse ? 1 : 0)];
        if (!ds->started) {
            ds->started = TRUE;
            ds->next = reverse ? 0xfffff000u : 0xffffff00u;
        }

        erdiag_tcp_ev tcp;
        memset(&tcp, 0, sizeof tcp);
        erdiag_addr router = endpoint(v6, 1), peer = endpoint(v6, 2);
        guint16 router_port = 179, peer_port = (guint16)(40000 + conn);
        tcp.src = reverse ? peer : router;
        tcp.dst = reverse ? router : peer;
        tcp.sport = reverse ? peer_port : router_port;
        tcp.dport = reverse ? router_port : peer_port;
        tcp.seq = ds->next + (guint32)(gint32)seq_off;
        tcp.flags = (flags & FUZZ_SEG_NO_ACK) ? 0 : ERDIAG_TCP_ACK;
        if (flags & FUZZ_SEG_SYN)
            tcp.flags |= ERDIAG_TCP_SYN;
        if (flags & FUZZ_SEG_FIN)
            tcp.flags |= ERDIAG_TCP_FIN;
        if (flags & FUZZ_SEG_RST)
            tcp.flags |= ERDIAG_TCP_RST;
        if (captured > 0)
            tcp.flags |= ERDIAG_TCP_PSH;
        tcp.payload_len = claimed;
        tcp.ttl = 255;
        tcp.ip_len = claimed + (v6 ? 60 : 40);

        erdiag_packet_meta meta;
        memset(&meta, 0, sizeof meta);
        meta.frame = ++frame;
        meta.ts_us = ts;
        meta.cap_len = captured + (v6 ? 74 : 54);
        meta.wire_len = claimed + (v6 ? 74 : 54);
        meta.has_macs = TRUE;

        /* An exact-size copy of the captured payload. */
        guint8 *copy = captured ? g_memdup2(payload, captured) : NULL;
        erdiag_bgp_streams_segment(s, &meta, &tcp, copy, captured, check_event, &events);
        g_free(copy);

        /* Reassembly keeps at most one partial message and a bounded
         * waiting list per direction. */
        FUZZ_CHECK(erdiag_bgp_streams_count(s) <= 4);
        FUZZ_CHECK(erdiag_bgp_streams_bytes_held(s) <=
                   8 * (2 * (gsize)ERDIAG_BGP_MAX_EXT_LEN + ERDIAG_BGP_MAX_PENDING_BYTES));

        /* Where this direction's stream now ends, in sequence space. */
        guint32 end = tcp.seq + claimed + ((tcp.flags & ERDIAG_TCP_SYN) ? 1 : 0) +
                      ((tcp.flags & ERDIAG_TCP_FIN) ? 1 : 0);
        if ((gint32)(end - ds->next) > 0)
            ds->next = end;
    }
    erdiag_bgp_streams_finish(s, check_event, &events);
    erdiag_bgp_streams_free(s);
    return 0;
}
