/* epan's bgp.* fields of one TCP frame -> one ERDIAG_EV_BGP per message.
 *
 * epan reassembles BGP over TCP itself (tcp and bgp desegmentation are on by
 * default), so a frame shows every message that ends in it: each has its own
 * `bgp` protocol item spanning the message in its data source (the frame, or
 * a "Reassembled TCP" buffer). The message's fields are the items inside
 * that span, in wire order. The rules that turn them into an erdiag_bgp_msg
 * are the CLI's (dissectors/bgp_decode*.c): first attribute of a type wins,
 * AS4_PATH merged only behind a 2-byte AS_PATH, the next-hop choice,
 * End-of-RIB, shutdown text made printable. Only unicast IPv4/IPv6 routes
 * count. Messages epan saw as retransmitted data are not fed twice.
 *
 * Which messages count (none on a closed connection) and whether one is
 * malformed follow the CLI's stream: see bgp_connections.c. */
#include "expressroute.h"

#include <string.h>
#include <epan/ftypes/ftypes.h>

#include "bgp_as_path.h"

enum {
    HEADER_LEN = 19,
    ATTR_ORIGIN = 1, ATTR_AS_PATH = 2, ATTR_NEXT_HOP = 3, ATTR_MED = 4, ATTR_LOCAL_PREF = 5,
    ATTR_ATOMIC_AGGREGATE = 6, ATTR_AGGREGATOR = 7, ATTR_COMMUNITIES = 8, ATTR_MP_REACH = 14,
    ATTR_MP_UNREACH = 15, ATTR_AS4_PATH = 17, ATTR_LARGE_COMMUNITIES = 32,
    ATTR_FLAG_EXTENDED_LENGTH = 0x10,
};

/* One message: its bytes are [start, end) of ds. */
typedef struct {
    tvbuff_t *ds;
    gint start, end;
    proto_tree *tree;
    packet_info *pinfo;
} msg_span;

static gboolean in_range(const field_info *fi, tvbuff_t *ds, gint lo, gint hi)
{
    return fi->ds_tvb == ds && fi->start >= lo && fi->start < hi;
}

/* The first item of field wf starting inside [lo, hi) of the message. */
static field_info *first_in(const msg_span *m, er_wanted_field wf, gint lo, gint hi)
{
    GPtrArray *items = er_wf_items(m->tree, wf);
    for (guint i = 0; items && i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        if (in_range(fi, m->ds, lo, hi))
            return fi;
    }
    return NULL;
}

static field_info *item_at(const msg_span *m, er_wanted_field wf, gint off)
{
    return first_in(m, wf, off, off + 1);
}

static gboolean byte_at(const msg_span *m, gint off, guint8 *out)
{
    if (off < m->start || off >= m->end || !tvb_bytes_exist(m->ds, off, 1))
        return FALSE;
    *out = ER_GET_U8(m->ds, off);
    return TRUE;
}

static gboolean u16_at(const msg_span *m, gint off, guint16 *out)
{
    if (off < m->start || off + 2 > m->end || !tvb_bytes_exist(m->ds, off, 2))
        return FALSE;
    *out = tvb_get_ntohs(m->ds, off);
    return TRUE;
}

static gboolean u32_at(const msg_span *m, gint off, guint32 *out)
{
    if (off < m->start || off + 4 > m->end || !tvb_bytes_exist(m->ds, off, 4))
        return FALSE;
    *out = tvb_get_ntohl(m->ds, off);
    return TRUE;
}

/* The value of field wf at off, or the byte(s) there when epan did not
 * add the item (a header it could not decode): nbytes is 1 or 2. */
static gboolean value_at(const msg_span *m, er_wanted_field wf, gint off, gint nbytes, guint32 *out)
{
    field_info *fi = item_at(m, wf, off);
    if (fi && er_fi_uint(fi, out))
        return TRUE;
    if (nbytes == 2) {
        guint16 v16;
        if (!u16_at(m, off, &v16))
            return FALSE;
        *out = v16;
        return TRUE;
    }
    guint8 v8;
    if (!byte_at(m, off, &v8))
        return FALSE;
    *out = v8;
    return TRUE;
}

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

/* ---- UPDATE ---- */

typedef struct {
    field_info *fi;
    gboolean withdrawn;
    guint family;
} prefix_item;

static gint prefix_item_cmp(gconstpointer a, gconstpointer b)
{
    const prefix_item *x = a, *y = b;
    return (x->fi->start > y->fi->start) - (x->fi->start < y->fi->start);
}

/* An attribute: flags and type at start, value [val, val_end). */
typedef struct {
    field_info *fi;
    guint8 flags, type;
    gint val, val_end;
} attr_item;

static gboolean read_attr(const msg_span *m, field_info *fi, attr_item *a)
{
    guint8 len8;
    guint16 len16;
    guint32 type;
    a->fi = fi;
    if (!byte_at(m, fi->start, &a->flags) || !value_at(m, ER_WF_BGP_ATTR_TYPE, fi->start + 1, 1, &type))
        return FALSE;
    a->type = (guint8)type;
    if (a->flags & ATTR_FLAG_EXTENDED_LENGTH) {
        if (!u16_at(m, fi->start + 2, &len16))
            return FALSE;
        a->val = fi->start + 4;
        a->val_end = a->val + len16;
    } else {
        if (!byte_at(m, fi->start + 2, &len8))
            return FALSE;
        a->val = fi->start + 3;
        a->val_end = a->val + len8;
    }
    return a->val_end <= m->end;
}

/* The attribute holding byte off, or NULL. */
static const attr_item *attr_containing(const GArray *attrs, gint off)
{
    for (guint i = 0; i < attrs->len; i++) {
        const attr_item *a = &g_array_index(attrs, attr_item, i);
        if (off >= a->val && off < a->val_end)
            return a;
    }
    return NULL;
}

/* AS_PATH / AS4_PATH segments as epan decoded them. *asn_size is 2 or 4,
 * by the width epan read the path with. */
static void read_as_path(const msg_span *m, const attr_item *a, erdiag_as_path *p, guint *asn_size)
{
    erdiag_as_path_reset(p);
    *asn_size = 0;
    GPtrArray *segs = er_wf_items(m->tree, ER_WF_BGP_AS_SEGMENT);
    GPtrArray *as2 = er_wf_items(m->tree, ER_WF_BGP_AS2);
    GPtrArray *as4 = er_wf_items(m->tree, ER_WF_BGP_AS4);
    for (guint i = 0; segs && i < segs->len; i++) {
        field_info *s = g_ptr_array_index(segs, i);
        guint32 type;
        if (!in_range(s, m->ds, a->val, a->val_end) ||
            !value_at(m, ER_WF_BGP_AS_SEGMENT_TYPE, s->start, 1, &type))
            continue;
        gint lo = s->start + 2, hi = s->start + s->length;
        erdiag_as_segment seg = { (guint8)type, 0, p->asns->len };
        /* Only one of the two widths occurs inside one segment. */
        for (int w = 0; w < 2; w++) {
            GPtrArray *asns = w == 0 ? as2 : as4;
            for (guint j = 0; asns && j < asns->len; j++) {
                field_info *fi = g_ptr_array_index(asns, j);
                guint32 asn;
                if (!in_range(fi, m->ds, lo, hi) || !er_fi_uint(fi, &asn))
                    continue;
                g_array_append_val(p->asns, asn);
                seg.count++;
                *asn_size = w == 0 ? 2 : 4;
            }
        }
        if (seg.count)
            g_array_append_val(p->segments, seg);
    }
}

/* Reusable scratch for one message's borrowed arrays and strings. */
typedef struct {
    GArray *announced, *withdrawn, *communities;
    erdiag_as_path as_path, as4_path, merged;
    GString *as_path_text;
    GArray *attrs;
} update_scratch;

static void extract_update(const msg_span *m, erdiag_bgp_update *u, update_scratch *sc)
{
    gint b = m->start + HEADER_LEN;
    guint16 wlen = 0, alen = 0;
    if (!u16_at(m, b, &wlen) || !u16_at(m, b + 2 + wlen, &alen))
        return;
    gint attrs_start = b + 4 + wlen;
    gint attrs_end = attrs_start + alen;
    gint nlri_len = m->end - attrs_end;
    if (nlri_len < 0)
        nlri_len = 0;

    /* Path attributes, first of each type only (RFC 7606, as the CLI). */
    guint8 seen[256 / 8];
    memset(seen, 0, sizeof seen);
    guint n_attrs = 0;
    gboolean mp_unreach_empty = FALSE, mp_next_hop_set = FALSE;
    erdiag_addr mp_next_hop;
    memset(&mp_next_hop, 0, sizeof mp_next_hop);
    const attr_item *as_path_attr = NULL, *as4_path_attr = NULL;
    gboolean has_aggregator = FALSE;
    guint32 aggregator_as = 0;
    GPtrArray *attr_items = er_wf_items(m->tree, ER_WF_BGP_ATTR);
    g_array_set_size(sc->attrs, 0);
    for (guint i = 0; attr_items && i < attr_items->len; i++) {
        field_info *fi = g_ptr_array_index(attr_items, i);
        attr_item a;
        if (!in_range(fi, m->ds, attrs_start, attrs_end) || !read_attr(m, fi, &a))
            continue;
        n_attrs++;
        if (seen[a.type / 8] & (1u << (a.type % 8)))
            continue;
        seen[a.type / 8] |= (guint8)(1u << (a.type % 8));
        g_array_append_val(sc->attrs, a);
    }
    for (guint i = 0; i < sc->attrs->len; i++) {
        const attr_item *a = &g_array_index(sc->attrs, attr_item, i);
        gint vlen = a->val_end - a->val;
        field_info *fi;
        guint32 v;
        switch (a->type) {
        case ATTR_ORIGIN:
            if (vlen == 1 && (fi = item_at(m, ER_WF_BGP_ORIGIN, a->val)) && er_fi_uint(fi, &v)) {
                u->has_origin = TRUE;
                u->origin = (guint8)v;
            }
            break;
        case ATTR_AS_PATH:
            as_path_attr = a;
            break;
        case ATTR_AS4_PATH:
            as4_path_attr = a;
            break;
        case ATTR_NEXT_HOP:
            if (vlen == 4 && (fi = item_at(m, ER_WF_BGP_NEXT_HOP, a->val))) {
                guint8 nh[4];
                if (er_fi_bytes(fi, nh, 4)) {
                    u->has_next_hop = TRUE;
                    u->next_hop = erdiag_addr_v4(nh);
                }
            }
            break;
        case ATTR_MED:
            if (vlen == 4 && (fi = item_at(m, ER_WF_BGP_MED, a->val)) && er_fi_uint(fi, &v)) {
                u->has_med = TRUE;
                u->med = v;
            }
            break;
        case ATTR_LOCAL_PREF:
            if (vlen == 4 && (fi = item_at(m, ER_WF_BGP_LOCAL_PREF, a->val)) && er_fi_uint(fi, &v)) {
                u->has_local_pref = TRUE;
                u->local_pref = v;
            }
            break;
        case ATTR_ATOMIC_AGGREGATE:
            if (vlen == 0)
                u->atomic_aggregate = TRUE;
            break;
        case ATTR_AGGREGATOR:
            if ((vlen == 6 || vlen == 8) && (fi = item_at(m, ER_WF_BGP_AGGREGATOR_AS, a->val)) &&
                er_fi_uint(fi, &v)) {
                has_aggregator = TRUE;
                aggregator_as = v;
            }
            break;
        case ATTR_COMMUNITIES: {
            if (vlen == 0 || vlen % 4 != 0)
                break;
            GPtrArray *comms = er_wf_items(m->tree, ER_WF_BGP_COMMUNITY);
            for (guint j = 0; comms && j < comms->len; j++) {
                field_info *c = g_ptr_array_index(comms, j);
                guint32 cv;
                if (in_range(c, m->ds, a->val, a->val_end) && u32_at(m, c->start, &cv))
                    g_array_append_val(sc->communities, cv);
            }
            break;
        }
        case ATTR_LARGE_COMMUNITIES:
            if (vlen > 0 && vlen % 12 == 0)
                u->n_large_communities = (guint)vlen / 12;
            break;
        case ATTR_MP_REACH: {
            guint32 afi, safi;
            guint8 nh_len;
            if (vlen < 5 || !value_at(m, ER_WF_BGP_MP_REACH_AFI, a->val, 2, &afi) ||
                !value_at(m, ER_WF_BGP_MP_REACH_SAFI, a->val + 2, 1, &safi) ||
                !byte_at(m, a->val + 3, &nh_len) || (afi != 1 && afi != 2) || safi != 1)
                break;
            gint nh = a->val + 4;
            guint8 bytes[16];
            if (afi == 1 && nh_len == 4 && (fi = item_at(m, ER_WF_BGP_MP_NEXT_HOP_V4, nh)) &&
                er_fi_bytes(fi, bytes, 4)) {
                mp_next_hop = erdiag_addr_v4(bytes);
                mp_next_hop_set = TRUE;
            } else if ((nh_len == 16 || nh_len == 32) &&
                       (fi = item_at(m, ER_WF_BGP_MP_NEXT_HOP_V6, nh)) && er_fi_bytes(fi, bytes, 16)) {
                mp_next_hop = erdiag_addr_v6(bytes);
                mp_next_hop_set = TRUE;
            }
            break;
        }
        case ATTR_MP_UNREACH:
            if (vlen == 3)
                mp_unreach_empty = TRUE;
            break;
        default:
            break;
        }
    }

    /* Prefixes in wire order: withdrawn field, MP attributes, NLRI field.
     * The length byte precedes each prefix item (the item spans only the
     * significant bytes); an ADD-PATH identifier precedes the length. */
    static const struct { er_wanted_field wf; gboolean withdrawn; guint family; gboolean mp; } kinds[] = {
        { ER_WF_BGP_WITHDRAWN_PREFIX, TRUE, 4, FALSE },
        { ER_WF_BGP_NLRI_PREFIX, FALSE, 4, FALSE },
        { ER_WF_BGP_MP_REACH_V4, FALSE, 4, TRUE },
        { ER_WF_BGP_MP_REACH_V6, FALSE, 6, TRUE },
        { ER_WF_BGP_MP_UNREACH_V4, TRUE, 4, TRUE },
        { ER_WF_BGP_MP_UNREACH_V6, TRUE, 6, TRUE },
    };
    GArray *items = g_array_new(FALSE, FALSE, sizeof(prefix_item));
    for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
        GPtrArray *arr = er_wf_items(m->tree, kinds[k].wf);
        for (guint i = 0; arr && i < arr->len; i++) {
            field_info *fi = g_ptr_array_index(arr, i);
            if (!in_range(fi, m->ds, m->start + HEADER_LEN, m->end) &&
                !(fi->ds_tvb == m->ds && fi->start == m->end && fi->length == 0))
                continue;
            if (kinds[k].mp) {
                /* epan shows multicast SAFIs with the same fields: keep unicast. */
                const attr_item *a = attr_containing(sc->attrs, fi->start - 1);
                guint32 safi;
                if (!a || !value_at(m, a->type == ATTR_MP_REACH ? ER_WF_BGP_MP_REACH_SAFI
                                                                : ER_WF_BGP_MP_UNREACH_SAFI,
                                    a->val + 2, 1, &safi) || safi != 1)
                    continue;
            }
            prefix_item p = { fi, kinds[k].withdrawn, kinds[k].family };
            g_array_append_val(items, p);
        }
    }
    g_array_sort(items, prefix_item_cmp);
    for (guint i = 0; i < items->len; i++) {
        const prefix_item *p = &g_array_index(items, prefix_item, i);
        guint32 plen;
        if (!value_at(m, ER_WF_BGP_PREFIX_LENGTH, p->fi->start - 1, 1, &plen) ||
            plen > (p->family == 4 ? 32u : 128u))
            continue;
        gint nbytes = (gint)(plen + 7) / 8;
        guint8 bytes[16];
        memset(bytes, 0, sizeof bytes);
        if (nbytes && !er_fi_bytes(p->fi, bytes, nbytes))
            continue;
        erdiag_bgp_nlri n;
        memset(&n, 0, sizeof n);
        erdiag_addr addr = p->family == 4 ? erdiag_addr_v4(bytes) : erdiag_addr_v6(bytes);
        n.prefix = erdiag_prefix_make(&addr, (guint)plen);
        field_info *pid = item_at(m, ER_WF_BGP_NLRI_PATH_ID, p->fi->start - 5);
        guint32 v;
        if (pid && er_fi_uint(pid, &v))
            n.path_id = v;
        g_array_append_val(p->withdrawn ? sc->withdrawn : sc->announced, n);
    }
    g_array_free(items, TRUE);

    /* AS path in the width epan used; AS4_PATH counts only behind a 2-byte
     * AS_PATH and not when a 2-byte AGGREGATOR names a real AS (RFC 6793). */
    if (as_path_attr) {
        guint size, size4;
        read_as_path(m, as_path_attr, &sc->as_path, &size);
        const erdiag_as_path *path = &sc->as_path;
        if (as4_path_attr && size == 2 && !(has_aggregator && aggregator_as != ERDIAG_BGP_AS_TRANS)) {
            read_as_path(m, as4_path_attr, &sc->as4_path, &size4);
            erdiag_as_path_merge_as4(&sc->as_path, &sc->as4_path, &sc->merged);
            path = &sc->merged;
        }
        erdiag_as_path_format(path, sc->as_path_text);
        u->has_as_path = TRUE;
        u->as_path = sc->as_path_text->str;
        u->as_path_length = erdiag_as_path_hops(path);
    }
    if (mp_next_hop_set && (!u->has_next_hop || nlri_len == 0)) {
        u->has_next_hop = TRUE;
        u->next_hop = mp_next_hop;
    }
    if (wlen == 0 && nlri_len == 0 && (n_attrs == 0 || (n_attrs == 1 && mp_unreach_empty)))
        u->end_of_rib = TRUE;

    u->announced = (const erdiag_bgp_nlri *)(void *)sc->announced->data;
    u->n_announced = sc->announced->len;
    u->withdrawn = (const erdiag_bgp_nlri *)(void *)sc->withdrawn->data;
    u->n_withdrawn = sc->withdrawn->len;
    u->communities = (const guint32 *)(void *)sc->communities->data;
    u->n_communities = sc->communities->len;
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

    update_scratch sc;
    sc.announced = g_array_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri));
    sc.withdrawn = g_array_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri));
    sc.communities = g_array_new(FALSE, FALSE, sizeof(guint32));
    sc.attrs = g_array_new(FALSE, FALSE, sizeof(attr_item));
    sc.as_path_text = g_string_new(NULL);
    erdiag_as_path_init(&sc.as_path);
    erdiag_as_path_init(&sc.as4_path);
    erdiag_as_path_init(&sc.merged);

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

        g_array_set_size(sc.announced, 0);
        g_array_set_size(sc.withdrawn, 0);
        g_array_set_size(sc.communities, 0);
        g_string_truncate(sc.as_path_text, 0);
        switch (type) {
        case ERDIAG_BGP_OPEN:
            extract_open(&m, &ev.u.bgp.msg.u.open);
            break;
        case ERDIAG_BGP_UPDATE:
            extract_update(&m, &ev.u.bgp.msg.u.update, &sc);
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

    g_array_free(sc.announced, TRUE);
    g_array_free(sc.withdrawn, TRUE);
    g_array_free(sc.communities, TRUE);
    g_array_free(sc.attrs, TRUE);
    g_string_free(sc.as_path_text, TRUE);
    erdiag_as_path_clear(&sc.as_path);
    erdiag_as_path_clear(&sc.as4_path);
    erdiag_as_path_clear(&sc.merged);
}
