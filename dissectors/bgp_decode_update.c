/* UPDATE: withdrawn routes, path attributes, NLRI (RFC 4271 4.3, 4760,
 * 6793, 7911, 1997, 8092, 4724 for End-of-RIB). */
#include <string.h>
#include "bgp_decode_internal.h"

enum {
    ATTR_ORIGIN = 1,
    ATTR_AS_PATH = 2,
    ATTR_NEXT_HOP = 3,
    ATTR_MED = 4,
    ATTR_LOCAL_PREF = 5,
    ATTR_ATOMIC_AGGREGATE = 6,
    ATTR_AGGREGATOR = 7,
    ATTR_COMMUNITIES = 8,
    ATTR_MP_REACH = 14,
    ATTR_MP_UNREACH = 15,
    ATTR_AS4_PATH = 17,
    ATTR_AS4_AGGREGATOR = 18,
    ATTR_LARGE_COMMUNITIES = 32,
};

#define ATTR_FLAG_EXTENDED_LENGTH 0x10

static const char *attr_name(guint type)
{
    switch (type) {
    case ATTR_ORIGIN: return "ORIGIN";
    case ATTR_AS_PATH: return "AS_PATH";
    case ATTR_NEXT_HOP: return "NEXT_HOP";
    case ATTR_MED: return "MULTI_EXIT_DISC";
    case ATTR_LOCAL_PREF: return "LOCAL_PREF";
    case ATTR_ATOMIC_AGGREGATE: return "ATOMIC_AGGREGATE";
    case ATTR_AGGREGATOR: return "AGGREGATOR";
    case ATTR_COMMUNITIES: return "COMMUNITIES";
    case ATTR_MP_REACH: return "MP_REACH_NLRI";
    case ATTR_MP_UNREACH: return "MP_UNREACH_NLRI";
    case ATTR_AS4_PATH: return "AS4_PATH";
    case ATTR_AS4_AGGREGATOR: return "AS4_AGGREGATOR";
    case ATTR_LARGE_COMMUNITIES: return "LARGE_COMMUNITY";
    default: return "attribute";
    }
}

/* What the attribute walk found, for the steps that need all of them. */
typedef struct {
    const guint8 *as_path;
    guint as_path_len;
    const guint8 *as4_path;
    guint as4_path_len;
    gboolean has_aggregator;
    guint32 aggregator_as;
    guint n_attrs;
    gboolean mp_unreach_empty; /* an MP_UNREACH with no prefix (any AFI/SAFI) */
    gboolean mp_reach_next_hop;
    erdiag_addr mp_next_hop;
    guint8 seen[256 / 8];
} attr_state;

/* ---- prefixes ---- */

/* Walks an NLRI-encoded list (RFC 4271 4.3, RFC 4760 5, RFC 7911 3). With
 * out == NULL it is a dry run for guessing the encoding, and then host bits
 * set beyond the prefix length count as inconsistent too, and so does a /0
 * among other prefixes in the plain encoding (a path id's leading zero bytes
 * read as /0s). Otherwise prefixes go to out (host bits cleared) and a
 * problem is recorded in d under `what`. */
static gboolean walk_prefixes(erdiag_bgp_decoded *d, GArray *out, const char *what,
                              const guint8 *b, guint len, guint family, gboolean add_path)
{
    guint max_bits = family == 4 ? 32 : 128;
    guint off = 0;
    while (off < len) {
        guint32 path_id = 0;
        if (add_path) {
            if (len - off < 5) {
                if (out)
                    erdiag_bgp_fail(d, "UPDATE: %s: path identifier and prefix length truncated "
                                    "(%u bytes left)", what, len - off);
                return FALSE;
            }
            path_id = erdiag_get32(b + off);
            off += 4;
        }
        guint plen = b[off++];
        if (plen > max_bits) {
            if (out)
                erdiag_bgp_fail(d, "UPDATE: %s: prefix length %u exceeds %u", what, plen, max_bits);
            return FALSE;
        }
        guint nbytes = (plen + 7) / 8;
        if (nbytes > len - off) {
            if (out)
                erdiag_bgp_fail(d, "UPDATE: %s: /%u prefix needs %u bytes, %u left", what, plen,
                                nbytes, len - off);
            return FALSE;
        }
        guint8 host_mask = plen % 8 ? (guint8)(0xff >> (plen % 8)) : 0;
        if (!out) {
            if (nbytes && (b[off + nbytes - 1] & host_mask))
                return FALSE;
            if (plen == 0 && !add_path && len > 1)
                return FALSE;
            off += nbytes;
            continue;
        }
        erdiag_bgp_nlri n;
        memset(&n, 0, sizeof n);
        n.prefix.addr.family = (guint8)family;
        memcpy(n.prefix.addr.bytes, b + off, nbytes);
        if (nbytes)
            n.prefix.addr.bytes[nbytes - 1] &= (guint8)~host_mask;
        n.prefix.len = (guint8)plen;
        n.path_id = path_id;
        g_array_append_val(out, n);
        off += nbytes;
    }
    return TRUE;
}

/* Path ids or not: the session's word when the OPENs were seen, else the
 * encoding only the ADD-PATH parse explains. */
static gboolean use_add_path(const erdiag_bgp_session_hints *h, guint family, const guint8 *b,
                             guint len)
{
    if (h->as4_known)
        return family == 4 ? h->add_path_v4 : h->add_path_v6;
    if (len == 0 || walk_prefixes(NULL, NULL, NULL, b, len, family, FALSE))
        return FALSE;
    return walk_prefixes(NULL, NULL, NULL, b, len, family, TRUE);
}

static void decode_prefixes(erdiag_bgp_decoded *d, GArray *out, const char *what,
                            const guint8 *b, guint len, guint family,
                            const erdiag_bgp_session_hints *h)
{
    walk_prefixes(d, out, what, b, len, family, use_add_path(h, family, b, len));
}

/* ---- attributes ---- */

static gboolean want_len(erdiag_bgp_decoded *d, guint type, guint len, guint expected)
{
    if (len == expected)
        return TRUE;
    erdiag_bgp_fail(d, "UPDATE: %s length %u, expected %u", attr_name(type), len, expected);
    return FALSE;
}

static void decode_mp_reach(erdiag_bgp_decoded *d, attr_state *st, const guint8 *v, guint len,
                            const erdiag_bgp_session_hints *h)
{
    if (len < 5) {
        erdiag_bgp_fail(d, "UPDATE: MP_REACH_NLRI length %u below 5", len);
        return;
    }
    guint16 afi = erdiag_get16(v);
    guint8 safi = v[2];
    guint nh_len = v[3];
    if (4 + nh_len + 1 > len) {
        erdiag_bgp_fail(d, "UPDATE: MP_REACH_NLRI next hop length %u exceeds %u bytes left",
                        nh_len, len - 4);
        return;
    }
    if ((afi != 1 && afi != 2) || safi != 1)
        return; /* another address family: not ours to read */
    const guint8 *nh = v + 4;
    /* IPv4 next hop for IPv4; IPv6 (global, optionally + link-local) for IPv6,
     * or for IPv4 under RFC 8950. */
    if (afi == 1 && nh_len == 4) {
        st->mp_next_hop = (erdiag_addr){ .family = 4 };
        memcpy(st->mp_next_hop.bytes, nh, 4);
    } else if (nh_len == 16 || nh_len == 32) {
        st->mp_next_hop = (erdiag_addr){ .family = 6 };
        memcpy(st->mp_next_hop.bytes, nh, 16);
    } else {
        erdiag_bgp_fail(d, "UPDATE: MP_REACH_NLRI next hop length %u for AFI %u", nh_len, afi);
    }
    if (st->mp_next_hop.family)
        st->mp_reach_next_hop = TRUE;
    guint nlri_off = 4 + nh_len + 1; /* + the reserved byte */
    decode_prefixes(d, d->announced, "MP_REACH_NLRI", v + nlri_off, len - nlri_off,
                    afi == 1 ? 4 : 6, h);
}

static void decode_mp_unreach(erdiag_bgp_decoded *d, attr_state *st, const guint8 *v, guint len,
                              const erdiag_bgp_session_hints *h)
{
    if (len < 3) {
        erdiag_bgp_fail(d, "UPDATE: MP_UNREACH_NLRI length %u below 3", len);
        return;
    }
    guint16 afi = erdiag_get16(v);
    guint8 safi = v[2];
    if (len == 3)
        st->mp_unreach_empty = TRUE;
    if ((afi != 1 && afi != 2) || safi != 1)
        return;
    decode_prefixes(d, d->withdrawn, "MP_UNREACH_NLRI", v + 3, len - 3, afi == 1 ? 4 : 6, h);
}

static void decode_attribute(erdiag_bgp_decoded *d, attr_state *st, guint8 type,
                             const guint8 *v, guint len, const erdiag_bgp_session_hints *h)
{
    erdiag_bgp_update *u = &d->msg.u.update;
    switch (type) {
    case ATTR_ORIGIN:
        if (!want_len(d, type, len, 1))
            return;
        u->has_origin = TRUE;
        u->origin = v[0];
        if (v[0] > 2)
            erdiag_bgp_fail(d, "UPDATE: ORIGIN value %u", v[0]);
        return;
    case ATTR_AS_PATH:
        st->as_path = v;
        st->as_path_len = len;
        return;
    case ATTR_AS4_PATH:
        st->as4_path = v;
        st->as4_path_len = len;
        return;
    case ATTR_NEXT_HOP:
        if (!want_len(d, type, len, 4))
            return;
        u->has_next_hop = TRUE;
        u->next_hop = (erdiag_addr){ .family = 4 };
        memcpy(u->next_hop.bytes, v, 4);
        return;
    case ATTR_MED:
        if (!want_len(d, type, len, 4))
            return;
        u->has_med = TRUE;
        u->med = erdiag_get32(v);
        return;
    case ATTR_LOCAL_PREF:
        if (!want_len(d, type, len, 4))
            return;
        u->has_local_pref = TRUE;
        u->local_pref = erdiag_get32(v);
        return;
    case ATTR_ATOMIC_AGGREGATE:
        if (want_len(d, type, len, 0))
            u->atomic_aggregate = TRUE;
        return;
    case ATTR_AGGREGATOR: {
        /* 2-byte AS + address, or 4-byte AS + address between NEW speakers. */
        guint expected = h->as4_known ? (h->as4 ? 8 : 6) : (len == 8 ? 8 : 6);
        if (!want_len(d, type, len, expected))
            return;
        st->has_aggregator = TRUE;
        st->aggregator_as = len == 8 ? erdiag_get32(v) : erdiag_get16(v);
        return;
    }
    case ATTR_AS4_AGGREGATOR:
        want_len(d, type, len, 8);
        return;
    case ATTR_COMMUNITIES:
        if (len == 0 || len % 4 != 0) {
            erdiag_bgp_fail(d, "UPDATE: COMMUNITIES length %u is not a non-zero multiple of 4",
                            len);
            return;
        }
        for (guint i = 0; i < len; i += 4) {
            guint32 c = erdiag_get32(v + i);
            g_array_append_val(d->communities, c);
        }
        return;
    case ATTR_LARGE_COMMUNITIES:
        if (len == 0 || len % 12 != 0) {
            erdiag_bgp_fail(d, "UPDATE: LARGE_COMMUNITY length %u is not a non-zero multiple of 12",
                            len);
            return;
        }
        u->n_large_communities = len / 12;
        return;
    case ATTR_MP_REACH:
        decode_mp_reach(d, st, v, len, h);
        return;
    case ATTR_MP_UNREACH:
        decode_mp_unreach(d, st, v, len, h);
        return;
    default:
        return; /* unknown or unneeded: skipped by its length */
    }
}

/* A problem inside one attribute's value is recorded and the walk goes on;
 * a framing problem (a length that overruns) stops it. */
static void decode_attributes(erdiag_bgp_decoded *d, attr_state *st, const guint8 *a, guint len,
                              const erdiag_bgp_session_hints *h)
{
    guint off = 0;
    while (off < len) {
        if (len - off < 3) {
            erdiag_bgp_fail(d, "UPDATE: path attribute header truncated (%u bytes left)",
                            len - off);
            return;
        }
        guint8 flags = a[off], type = a[off + 1];
        guint hdr = flags & ATTR_FLAG_EXTENDED_LENGTH ? 4 : 3;
        if (len - off < hdr) {
            erdiag_bgp_fail(d, "UPDATE: %s header truncated", attr_name(type));
            return;
        }
        guint alen = hdr == 4 ? erdiag_get16(a + off + 2) : a[off + 2];
        if (alen > len - off - hdr) {
            erdiag_bgp_fail(d, "UPDATE: %s (type %u) length %u exceeds %u bytes left",
                            attr_name(type), type, alen, len - off - hdr);
            return;
        }
        st->n_attrs++;
        if (st->seen[type / 8] & (1u << (type % 8))) {
            /* RFC 7606 3(g): keep the first, flag the message. */
            erdiag_bgp_fail(d, "UPDATE: %s (type %u) appears more than once", attr_name(type),
                            type);
        } else {
            st->seen[type / 8] |= (guint8)(1u << (type % 8));
            decode_attribute(d, st, type, a + off + hdr, alen, h);
        }
        off += hdr + alen;
    }
}

/* AS_PATH in the width the session uses, merged with AS4_PATH when a 2-byte
 * speaker relayed 4-byte ASNs (RFC 6793 4.2.3). */
static void finish_as_path(erdiag_bgp_decoded *d, const attr_state *st,
                           const erdiag_bgp_session_hints *h)
{
    erdiag_bgp_update *u = &d->msg.u.update;
    if (!st->as_path)
        return;
    guint asn_size;
    if (h->as4_known)
        asn_size = h->as4 ? 4 : 2;
    else if (!erdiag_as_path_check(st->as_path, st->as_path_len, 4))
        asn_size = 4;
    else if (!erdiag_as_path_check(st->as_path, st->as_path_len, 2))
        asn_size = 2;
    else {
        erdiag_bgp_fail(d, "UPDATE: AS_PATH is consistent with neither 2- nor 4-byte ASNs (%s)",
                        erdiag_as_path_check(st->as_path, st->as_path_len, 2));
        return;
    }
    const char *why = erdiag_as_path_parse(&d->as_path, st->as_path, st->as_path_len, asn_size);
    if (why)
        erdiag_bgp_fail(d, "UPDATE: AS_PATH (%u-byte ASNs): %s", asn_size, why);
    const erdiag_as_path *path = &d->as_path;
    if (st->as4_path && erdiag_as_path_as4_applies(asn_size, st->has_aggregator, st->aggregator_as)) {
        const char *why4 = erdiag_as_path_parse(&d->as4_path, st->as4_path, st->as4_path_len, 4);
        if (why4) {
            erdiag_bgp_fail(d, "UPDATE: AS4_PATH: %s (ignored)", why4);
        } else {
            erdiag_as_path_merge_as4(&d->as_path, &d->as4_path, &d->merged);
            path = &d->merged;
        }
    }
    erdiag_as_path_format(path, d->as_path_text);
    u->has_as_path = TRUE;
    u->as_path = d->as_path_text->str;
    u->as_path_length = erdiag_as_path_hops(path);
}

void erdiag_bgp_decode_update(erdiag_bgp_decoded *d, const guint8 *b, gsize len,
                              const erdiag_bgp_session_hints *h)
{
    erdiag_bgp_update *u = &d->msg.u.update;
    attr_state st;
    memset(&st, 0, sizeof st);
    /* Callers guarantee the 4 bytes of the two length fields. */
    guint body = (guint)len;
    guint wlen = erdiag_get16(b);
    if (wlen > body - 4) {
        erdiag_bgp_fail(d, "UPDATE: withdrawn routes length %u exceeds %u bytes left", wlen,
                        body - 4);
        return;
    }
    decode_prefixes(d, d->withdrawn, "withdrawn routes", b + 2, wlen, 4, h);
    guint alen = erdiag_get16(b + 2 + wlen);
    guint left = body - 4 - wlen;
    if (alen > left) {
        erdiag_bgp_fail(d, "UPDATE: path attribute length %u exceeds %u bytes left", alen, left);
        goto out;
    }
    const guint8 *attrs = b + 4 + wlen;
    decode_attributes(d, &st, attrs, alen, h);
    guint nlri_len = left - alen;
    decode_prefixes(d, d->announced, "NLRI", attrs + alen, nlri_len, 4, h);
    finish_as_path(d, &st, h);
    /* One next hop to report: the classic NEXT_HOP serves the IPv4 NLRI field;
     * MP_REACH's when that field is empty or NEXT_HOP is absent. */
    if (st.mp_reach_next_hop && (!u->has_next_hop || nlri_len == 0)) {
        u->has_next_hop = TRUE;
        u->next_hop = st.mp_next_hop;
    }
    /* RFC 4724 2: End-of-RIB is an UPDATE with nothing in it (IPv4 unicast),
     * or holding only an empty MP_UNREACH_NLRI (other families). */
    if (wlen == 0 && nlri_len == 0 &&
        (st.n_attrs == 0 || (st.n_attrs == 1 && st.mp_unreach_empty)))
        u->end_of_rib = TRUE;
out:
    u->announced = (const erdiag_bgp_nlri *)(void *)d->announced->data;
    u->n_announced = d->announced->len;
    u->withdrawn = (const erdiag_bgp_nlri *)(void *)d->withdrawn->data;
    u->n_withdrawn = d->withdrawn->len;
    u->communities = (const guint32 *)(void *)d->communities->data;
    u->n_communities = d->communities->len;
}
