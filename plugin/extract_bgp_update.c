/* UPDATE: epan's withdrawn / NLRI / MP prefixes and path attributes ->
 * erdiag_bgp_update, with the CLI decoder's rules (dissectors/
 * bgp_decode_update.c): the first attribute of each type counts, only
 * unicast IPv4/IPv6 prefixes, AS4_PATH merged only behind a 2-byte AS_PATH,
 * the next-hop choice and End-of-RIB as there. */
#include "bgp_msg_span.h"

#include <string.h>

enum {
    ATTR_ORIGIN = 1, ATTR_AS_PATH = 2, ATTR_NEXT_HOP = 3, ATTR_MED = 4, ATTR_LOCAL_PREF = 5,
    ATTR_ATOMIC_AGGREGATE = 6, ATTR_AGGREGATOR = 7, ATTR_COMMUNITIES = 8, ATTR_MP_REACH = 14,
    ATTR_MP_UNREACH = 15, ATTR_AS4_PATH = 17, ATTR_LARGE_COMMUNITIES = 32,
    ATTR_FLAG_EXTENDED_LENGTH = 0x10,
};

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


void er_update_scratch_init(er_update_scratch *sc)
{
    sc->announced = g_array_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri));
    sc->withdrawn = g_array_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri));
    sc->communities = g_array_new(FALSE, FALSE, sizeof(guint32));
    sc->attrs = g_array_new(FALSE, FALSE, sizeof(attr_item));
    sc->as_path_text = g_string_new(NULL);
    erdiag_as_path_init(&sc->as_path);
    erdiag_as_path_init(&sc->as4_path);
    erdiag_as_path_init(&sc->merged);
}

void er_update_scratch_clear(er_update_scratch *sc)
{
    g_array_free(sc->announced, TRUE);
    g_array_free(sc->withdrawn, TRUE);
    g_array_free(sc->communities, TRUE);
    g_array_free(sc->attrs, TRUE);
    g_string_free(sc->as_path_text, TRUE);
    erdiag_as_path_clear(&sc->as_path);
    erdiag_as_path_clear(&sc->as4_path);
    erdiag_as_path_clear(&sc->merged);
}

void er_extract_bgp_update(const msg_span *m, erdiag_bgp_update *u, er_update_scratch *sc)
{
    g_array_set_size(sc->announced, 0);
    g_array_set_size(sc->withdrawn, 0);
    g_array_set_size(sc->communities, 0);
    g_string_truncate(sc->as_path_text, 0);

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

    /* AS path in the width epan used, merged with AS4_PATH as the CLI does. */
    if (as_path_attr) {
        guint size, size4;
        read_as_path(m, as_path_attr, &sc->as_path, &size);
        const erdiag_as_path *path = &sc->as_path;
        if (as4_path_attr && erdiag_as_path_as4_applies(size, has_aggregator, aggregator_as)) {
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
