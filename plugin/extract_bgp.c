/* epan's bgp.* fields of one TCP frame -> one ERDIAG_EV_BGP per message.
 *
 * epan reassembles BGP over TCP itself (tcp and bgp desegmentation are on by
 * default), so a frame shows every message that ends in it: each has its own
 * `bgp` protocol item spanning the message in its data source (the frame, or
 * a "Reassembled TCP" buffer). The message's fields are the items inside
 * that span, in wire order. The rules that turn them into an erdiag_bgp_msg
 * are the CLI's (dissectors/bgp_decode*.c); UPDATE lives in
 * extract_bgp_update.c. Messages epan saw as retransmitted data are not fed
 * twice.
 *
 * Which messages count (none on a closed connection) and whether one is
 * malformed follow the CLI's stream: see bgp_connections.c. */
#include "bgp_msg_span.h"

#include <string.h>
#include <epan/ftypes/ftypes.h>

static guint32 fi_frame_number(field_info *fi)
{
#if WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR < 2
    return fvalue_get_uinteger(&fi->value);
#else
    return fvalue_get_uinteger(fi->value);
#endif
}

/* The frame holding the message's first byte: this one, or for a message
 * epan reassembled, the segment whose bytes (listed as tcp.segment items
 * spanning their part of the reassembled buffer) include it. */
static guint64 first_frame_of(const msg_span *m, tvbuff_t *frame_tvb)
{
    if (m->ds == frame_tvb)
        return m->pinfo->num;
    GPtrArray *segs = er_wf_items(m->tree, ER_WF_TCP_SEGMENT);
    for (guint i = 0; segs && i < segs->len; i++) {
        field_info *fi = g_ptr_array_index(segs, i);
        if (fi->ds_tvb == m->ds && m->start >= fi->start && m->start < fi->start + fi->length)
            return fi_frame_number(fi);
    }
    return m->pinfo->num;
}

/* ---- OPEN ---- */

static void extract_open(const msg_span *m, erdiag_bgp_open *o)
{
    gint b = m->start + HEADER_LEN;
    guint32 v;
    field_info *fi;
    if ((fi = item_at(m, ER_WF_BGP_OPEN_VERSION, b)) && er_fi_uint(fi, &v))
        o->version = (guint8)v;
    if ((fi = item_at(m, ER_WF_BGP_OPEN_MYAS, b + 1)) && er_fi_uint(fi, &v))
        o->my_as = (guint16)v;
    if ((fi = item_at(m, ER_WF_BGP_OPEN_HOLDTIME, b + 3)) && er_fi_uint(fi, &v))
        o->hold_time = (guint16)v;
    if ((fi = item_at(m, ER_WF_BGP_OPEN_ID, b + 5)) && er_fi_uint(fi, &v))
        o->bgp_id = v;
    /* RFC 9072: optional parameters length 255 and a first parameter of
     * type 255 announce the extended encoding. */
    guint32 opt_len;
    guint8 first_type;
    if (value_at(m, ER_WF_BGP_OPEN_OPT_LEN, b + 9, 1, &opt_len) && opt_len == 255 &&
        byte_at(m, b + 10, &first_type) && first_type == 255)
        o->extended_params = TRUE;

    /* Capabilities in order of appearance; each item is the code byte, the
     * length follows, then the value. */
    GPtrArray *caps = er_wf_items(m->tree, ER_WF_BGP_CAP_TYPE);
    for (guint i = 0; caps && i < caps->len; i++) {
        field_info *c = g_ptr_array_index(caps, i);
        guint32 code;
        guint8 clen;
        if (!in_range(c, m->ds, b + 10, m->end) || !er_fi_uint(c, &code) ||
            !byte_at(m, c->start + 1, &clen))
            continue;
        if (o->n_caps < ERDIAG_BGP_MAX_CAPS)
            o->caps[o->n_caps++] = (guint8)code;
        gint val = c->start + 2;
        if (code == ERDIAG_CAP_MP && clen == 4) {
            field_info *afi_fi = item_at(m, ER_WF_BGP_CAP_MP_AFI, val);
            field_info *safi_fi = item_at(m, ER_WF_BGP_CAP_MP_SAFI, val + 3);
            guint32 afi, safi;
            if (afi_fi && safi_fi && er_fi_uint(afi_fi, &afi) && er_fi_uint(safi_fi, &safi) && safi == 1) {
                if (afi == 1)
                    o->mp_ipv4_unicast = TRUE;
                else if (afi == 2)
                    o->mp_ipv6_unicast = TRUE;
            }
        } else if (code == ERDIAG_CAP_AS4 && clen == 4) {
            field_info *as4 = item_at(m, ER_WF_BGP_CAP_4AS, val);
            if (as4 && er_fi_uint(as4, &v)) {
                o->has_as4 = TRUE;
                o->as4 = v;
            }
        } else if (code == ERDIAG_CAP_ADD_PATH) {
            o->add_path = TRUE;
        }
    }
}

/* ---- NOTIFICATION ---- */

/* Characters a terminal or report would act on rather than show (controls,
 * line separators, bidi overrides) become '?'; invalid UTF-8 U+FFFD. The
 * CLI cleans shutdown text the same way. */
static gboolean unsafe_char(gunichar c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static char *printable_text(wmem_allocator_t *pool, const guint8 *text, guint len)
{
    GString *out = g_string_sized_new(len + 1);
    guint off = 0;
    while (off < len) {
        gunichar c = text[off] ? g_utf8_get_char_validated((const char *)text + off, len - off) : 0;
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_unichar(out, 0xfffd);
            off++;
            continue;
        }
        g_string_append_unichar(out, unsafe_char(c) ? '?' : c);
        off += text[off] ? (guint)g_utf8_skip[text[off]] : 1;
    }
    char *r = wmem_strdup(pool, out->str);
    g_string_free(out, TRUE);
    return r;
}

static void extract_notification(const msg_span *m, erdiag_bgp_notification *n)
{
    gint b = m->start + HEADER_LEN;
    field_info *major = item_at(m, ER_WF_BGP_NOTIFY_MAJOR, b);
    guint32 code;
    if (!major || !er_fi_uint(major, &code))
        return;
    n->code = (guint8)code;
    /* epan has one subcode field per error code; whichever it used sits in
     * the next byte. */
    static const er_wanted_field minors[] = {
        ER_WF_BGP_NOTIFY_MINOR_HEADER, ER_WF_BGP_NOTIFY_MINOR_OPEN, ER_WF_BGP_NOTIFY_MINOR_UPDATE,
        ER_WF_BGP_NOTIFY_MINOR_EXPIRED, ER_WF_BGP_NOTIFY_MINOR_STATE, ER_WF_BGP_NOTIFY_MINOR_CEASE,
        ER_WF_BGP_NOTIFY_MINOR_CAPABILITY, ER_WF_BGP_NOTIFY_MINOR_UNKNOWN,
    };
    for (gsize i = 0; i < G_N_ELEMENTS(minors); i++) {
        field_info *fi = item_at(m, minors[i], b + 1);
        guint32 sub;
        if (fi && er_fi_uint(fi, &sub)) {
            n->subcode = (guint8)sub;
            break;
        }
    }
    gint data_len = m->end - (b + 2);
    if (data_len <= 0 || !tvb_bytes_exist(m->ds, b + 2, data_len))
        return;
    guint8 *data = wmem_alloc(m->pinfo->pool, (size_t)data_len);
    tvb_memcpy(m->ds, data, b + 2, (size_t)data_len);
    n->data = data;
    n->data_len = (guint16)data_len;
    /* RFC 8203 / 9003: Cease / Administrative Shutdown or Reset. */
    if (n->code != 6 || (n->subcode != 2 && n->subcode != 4))
        return;
    guint text_len = data[0];
    if (text_len == 0 || text_len > (guint)data_len - 1)
        return;
    n->shutdown_text = printable_text(m->pinfo->pool, data + 1, text_len);
}

static void extract_route_refresh(const msg_span *m, erdiag_bgp_route_refresh *rr)
{
    gint b = m->start + HEADER_LEN;
    field_info *fi;
    guint32 v;
    if ((fi = item_at(m, ER_WF_BGP_RR_AFI, b)) && er_fi_uint(fi, &v))
        rr->afi = (guint16)v;
    if ((fi = item_at(m, ER_WF_BGP_RR_SUBTYPE, b + 2)) && er_fi_uint(fi, &v))
        rr->subtype = (guint8)v;
    if ((fi = item_at(m, ER_WF_BGP_RR_SAFI, b + 3)) && er_fi_uint(fi, &v))
        rr->safi = (guint8)v;
}

/* ---- the frame ---- */

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

    er_update_scratch sc;
    er_update_scratch_init(&sc);

    for (guint i = 0; i < msgs->len; i++) {
        field_info *fi = g_ptr_array_index(msgs, i);
        msg_span m = { fi->ds_tvb, fi->start, fi->start + fi->length, tree, pinfo };
        guint32 msg_len, type;
        if (!fi->ds_tvb || !value_at(&m, ER_WF_BGP_LENGTH, m.start + 16, 2, &msg_len) ||
            !value_at(&m, ER_WF_BGP_TYPE, m.start + 18, 1, &type) || msg_len < HEADER_LEN)
            continue;
        /* epan's item covers what was captured of the message. */
        if (m.start + (gint)msg_len < m.end)
            m.end = m.start + (gint)msg_len;
        if (m.end - m.start < (gint)msg_len)
            continue;

        erdiag_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = ERDIAG_EV_BGP;
        ev.pkt = tcp_ev->pkt;
        ev.u.bgp.src = tcp_ev->u.tcp.src;
        ev.u.bgp.dst = tcp_ev->u.tcp.dst;
        ev.u.bgp.sport = tcp_ev->u.tcp.sport;
        ev.u.bgp.dport = tcp_ev->u.tcp.dport;
        ev.u.bgp.first_frame = first_frame_of(&m, tvb);
        ev.u.bgp.msg.type = (guint8)type;
        ev.u.bgp.msg.length = (guint16)msg_len;

        switch (type) {
        case ERDIAG_BGP_OPEN:
            extract_open(&m, &ev.u.bgp.msg.u.open);
            break;
        case ERDIAG_BGP_UPDATE:
            er_extract_bgp_update(&m, &ev.u.bgp.msg.u.update, &sc);
            break;
        case ERDIAG_BGP_NOTIFICATION:
            extract_notification(&m, &ev.u.bgp.msg.u.notification);
            break;
        case ERDIAG_BGP_ROUTE_REFRESH:
            extract_route_refresh(&m, &ev.u.bgp.msg.u.route_refresh);
            break;
        default:
            break;
        }
        /* The shared decoder's verdict on the same bytes, valid until the
         * next message is validated: fed before that. */
        if (tvb_bytes_exist(m.ds, m.start, (gint)msg_len))
            ev.u.bgp.msg.error = er_bgp_conn_validate(conn, dir, tvb_get_ptr(m.ds, m.start, (gint)msg_len),
                                                      (guint16)msg_len);
        sink(&ev, user);
    }
    er_bgp_conn_segment_end(conn, dir, &tcp_ev->u.tcp);

    er_update_scratch_clear(&sc);
}
