/* epan's BGP messages of one TCP frame -> one ERDIAG_EV_BGP per message.
 *
 * epan reassembles BGP over TCP itself (tcp and bgp desegmentation are on by
 * default), so a frame shows every message that ends in it: each has its own
 * `bgp` protocol item spanning the message in its data source (the frame, or
 * a "Reassembled TCP" buffer). Those bytes go through the CLI's decoder
 * (dissectors/bgp_decode*.c, via bgp_connections.c), so both front ends hand
 * the engine the same message: epan only says where each message is.
 * Messages epan saw as retransmitted data are not fed twice.
 *
 * Which messages count (none on a closed connection) follows the CLI's
 * stream: see bgp_connections.c. */
#include "expressroute.h"

#include <string.h>
#include <epan/ftypes/ftypes.h>

enum { HEADER_LEN = 19 };

static guint32 fi_frame_number(field_info *fi)
{
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 2
    return fvalue_get_uinteger(&fi->value);
#else
    return fvalue_get_uinteger(fi->value);
#endif
}

/* The frame holding the message's first byte (at start of ds): this one,
 * or for a message epan reassembled, the segment whose bytes (listed as
 * tcp.segment items spanning their part of the reassembled buffer)
 * include it. */
static guint64 first_frame_of(proto_tree *tree, packet_info *pinfo, tvbuff_t *ds, gint start,
                              tvbuff_t *frame_tvb)
{
    if (ds == frame_tvb)
        return pinfo->num;
    GPtrArray *segs = er_wf_items(tree, ER_WF_TCP_SEGMENT);
    for (guint i = 0; segs && i < segs->len; i++) {
        field_info *fi = g_ptr_array_index(segs, i);
        if (fi->ds_tvb == ds && start >= fi->start && start < fi->start + fi->length)
            return fi_frame_number(fi);
    }
    return pinfo->num;
}

static gboolean is_retransmission(proto_tree *tree, tvbuff_t *frame_tvb)
{
    GPtrArray *items = er_wf_items(tree, ER_WF_TCP_RETRANSMISSION);
    for (guint i = 0; items && i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        if (fi->ds_tvb == frame_tvb)
            return TRUE;
    }
    return FALSE;
}

void er_extract_bgp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                    const erdiag_event *tcp_ev, er_event_sink sink, gpointer user)
{
    guint dir;
    er_bgp_conn *conn = er_bgp_conn_segment_start(&tcp_ev->u.tcp, &dir);
    GPtrArray *msgs = er_wf_items(tree, ER_WF_BGP);
    if (!conn || !msgs || is_retransmission(tree, tvb)) {
        er_bgp_conn_segment_end(conn, dir, &tcp_ev->u.tcp);
        return;
    }

    for (guint i = 0; i < msgs->len; i++) {
        field_info *fi = g_ptr_array_index(msgs, i);
        tvbuff_t *ds = fi->ds_tvb;
        /* epan's item covers what was captured of the message: only a whole
         * message is decoded, as the CLI's stream does. */
        if (!ds || fi->length < HEADER_LEN || !tvb_bytes_exist(ds, fi->start, HEADER_LEN))
            continue;
        guint16 msg_len = tvb_get_ntohs(ds, fi->start + 16);
        if (msg_len < HEADER_LEN || fi->length < (gint)msg_len || !tvb_bytes_exist(ds, fi->start, msg_len))
            continue;

        erdiag_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = ERDIAG_EV_BGP;
        ev.pkt = tcp_ev->pkt;
        ev.u.bgp.src = tcp_ev->u.tcp.src;
        ev.u.bgp.dst = tcp_ev->u.tcp.dst;
        ev.u.bgp.sport = tcp_ev->u.tcp.sport;
        ev.u.bgp.dport = tcp_ev->u.tcp.dport;
        ev.u.bgp.first_frame = first_frame_of(tree, pinfo, ds, fi->start, tvb);
        /* Valid until the next message is decoded: fed before that. */
        ev.u.bgp.msg = *er_bgp_conn_decode(conn, dir, tvb_get_ptr(ds, fi->start, msg_len), msg_len);
        sink(&ev, user);
    }
    er_bgp_conn_segment_end(conn, dir, &tcp_ev->u.tcp);
}
