/* UPDATE: withdrawn routes, path attributes, NLRI (RFC 4271 4.3, 4760,
 * 6793, 7911, 1997, 8092, 8205, 4724 for End-of-RIB), with RFC 7606's
 * error handling: each problem is recorded with the action the RFC gives
 * it (attribute discard, treat-as-withdraw, session reset), one attribute
 * at a time as BIRD's per-attribute decode hooks do. Every read goes
 * through a cursor bounded by the enclosing length field, so no read is
 * safe only because an earlier check happened to cover it. */
#include <stdarg.h>
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
    ATTR_ORIGINATOR_ID = 9,
    ATTR_CLUSTER_LIST = 10,
    ATTR_MP_REACH = 14,
    ATTR_MP_UNREACH = 15,
    ATTR_AS4_PATH = 17,
    ATTR_AS4_AGGREGATOR = 18,
    ATTR_LARGE_COMMUNITIES = 32,
    ATTR_BGPSEC_PATH = 33,
};

#define FLAG_OPTIONAL 0x80
#define FLAG_TRANSITIVE 0x40
#define FLAG_EXTENDED_LENGTH 0x10

enum { DISCARD = ERDIAG_BGP_ERR_ATTR_DISCARD, WITHDRAW = ERDIAG_BGP_ERR_TREAT_AS_WITHDRAW,
       RESET = ERDIAG_BGP_ERR_SESSION_RESET };

/* What the attribute walk found, for the steps that need all of them. */
typedef struct {
    erdiag_bgp_decoded *d;
    const erdiag_bgp_session_hints *h;
    erdiag_cursor as_path, as4_path, bgpsec_path;
    gboolean as_path_seen, as4_path_seen, bgpsec_seen; /* on the wire, flags right */
    gboolean origin_seen, next_hop_seen;               /* on the wire at all */
    gboolean has_aggregator;
    guint32 aggregator_as;
    guint n_attrs;
    gboolean mp_unreach_empty; /* an MP_UNREACH with no prefix (any AFI/SAFI) */
    gboolean mp_reach_seen;
    guint mp_reach_nlri;       /* NLRI in MP_REACH, every family */
    gboolean mp_reach_next_hop;
    erdiag_addr mp_next_hop;
    guint8 framing_attr;       /* the attribute list broke at this one... */
    char framing[ERDIAG_BGP_REASON_LEN]; /* ...for this reason ("" if it did not) */
    guint8 seen[256 / 8];
} attr_state;

/* ---- recording problems ---- */

static void G_GNUC_PRINTF(4, 5) update_error(erdiag_bgp_decoded *d, guint8 attr, int action,
                                             const char *fmt, ...)
{
    erdiag_bgp_update *u = &d->msg.u.update;
    char reason[ERDIAG_BGP_REASON_LEN];
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (u->n_errors < ERDIAG_BGP_MAX_UPDATE_ERRORS) {
        guint i = u->n_errors++;
        memcpy(d->reasons[i], reason, sizeof reason);
        d->update_errors[i].attr_type = attr;
        d->update_errors[i].action = (guint8)action;
        d->update_errors[i].reason = d->reasons[i];
    }
    if (action > u->action)
        u->action = (guint8)action;
    if (action == RESET)
        erdiag_bgp_fail(d, "UPDATE: %s", reason);
}

/* ---- prefixes ---- */

/* Walks an NLRI-encoded list (RFC 4271 4.3, RFC 4760 5, RFC 7911 3). With
 * out == NULL it is a dry run for guessing the encoding, and then host bits
 * set beyond the prefix length count as inconsistent too, and so does a /0
 * among other prefixes in the plain encoding (a path id's leading zero bytes
 * read as /0s). Otherwise prefixes go to out (host bits cleared) and a
 * problem is a session reset (RFC 7606 5.3: NLRI that cannot be parsed). */
static gboolean walk_prefixes(erdiag_bgp_decoded *d, GArray *out, guint8 attr, const char *what,
                              erdiag_cursor c, guint family, gboolean add_path)
{
    guint max_bits = family == 4 ? 32 : 128;
    gsize total = erdiag_cursor_remaining(&c);
    while (!erdiag_cursor_at_end(&c)) {
        guint32 path_id = 0;
        if (add_path) {
            if (erdiag_cursor_remaining(&c) < 5) {
                if (out)
                    update_error(d, attr, RESET, "%s: path identifier and prefix length truncated "
                                 "(%u bytes left)", what, (guint)erdiag_cursor_remaining(&c));
                return FALSE;
            }
            path_id = erdiag_cursor_get_u32be(&c);
        }
        guint plen = erdiag_cursor_get_u8(&c);
        if (plen > max_bits) {
            if (out)
                update_error(d, attr, RESET, "%s: prefix length %u exceeds %u", what, plen, max_bits);
            return FALSE;
        }
        guint nbytes = (plen + 7) / 8;
        guint left = (guint)erdiag_cursor_remaining(&c);
        guint8 bytes[16];
        if (c.err || !erdiag_cursor_get_bytes(&c, bytes, nbytes)) {
            if (out)
                update_error(d, attr, RESET, "%s: /%u prefix needs %u bytes, %u left", what, plen,
                             nbytes, left);
            return FALSE;
        }
        guint8 host_mask = plen % 8 ? (guint8)(0xff >> (plen % 8)) : 0;
        if (!out) {
            if (nbytes && (bytes[nbytes - 1] & host_mask))
                return FALSE;
            if (plen == 0 && !add_path && total > 1)
                return FALSE;
            continue;
        }
        erdiag_bgp_nlri n;
        memset(&n, 0, sizeof n);
        n.prefix.addr.family = (guint8)family;
        memcpy(n.prefix.addr.bytes, bytes, nbytes);
        if (nbytes)
            n.prefix.addr.bytes[nbytes - 1] &= (guint8)~host_mask;
        n.prefix.len = (guint8)plen;
        n.path_id = path_id;
        g_array_append_val(out, n);
    }
    return TRUE;
}

/* Path ids or not: the session's word when the OPENs were seen, else the
 * encoding only the ADD-PATH parse explains. */
static gboolean use_add_path(const erdiag_bgp_session_hints *h, guint family, erdiag_cursor c)
{
    if (h->as4_known)
        return family == 4 ? h->add_path_v4 : h->add_path_v6;
    if (erdiag_cursor_at_end(&c) || walk_prefixes(NULL, NULL, 0, NULL, c, family, FALSE))
        return FALSE;
    return walk_prefixes(NULL, NULL, 0, NULL, c, family, TRUE);
}

static void decode_prefixes(erdiag_bgp_decoded *d, GArray *out, guint8 attr, const char *what,
                            erdiag_cursor c, guint family, const erdiag_bgp_session_hints *h)
{
    walk_prefixes(d, out, attr, what, c, family, use_add_path(h, family, c));
}

/* ---- address families the engine does not analyse ---- */

/* NLRI counted by their SAFI's encoding: a length in bits before the
 * labels / route distinguisher / prefix (labeled unicast, VPN, RT
 * constraint, multicast), flowspec's 1- or 2-byte length, EVPN's and
 * MCAST-VPN's type and length byte, BGP-LS's 2-byte type and length,
 * VPLS's 2-byte length. Bytes that do not walk count as one more NLRI: they
 * were announced, even if not in a form known here. */
static guint32 count_other_nlri(erdiag_cursor c, guint safi)
{
    guint32 n = 0;
    while (!erdiag_cursor_at_end(&c)) {
        gsize skip;
        if (safi == 133 || safi == 134) {
            guint l = erdiag_cursor_get_u8(&c);
            if ((l & 0xf0) == 0xf0)
                l = ((l & 0x0f) << 8) | erdiag_cursor_get_u8(&c);
            skip = l;
        } else if (safi == 70 || safi == 5) {
            erdiag_cursor_skip(&c, 1);
            skip = erdiag_cursor_get_u8(&c);
        } else if (safi == 71 || safi == 72) {
            erdiag_cursor_skip(&c, 2);
            skip = erdiag_cursor_get_u16be(&c);
        } else if (safi == 65) {
            skip = erdiag_cursor_get_u16be(&c);
        } else {
            skip = (erdiag_cursor_get_u8(&c) + 7u) / 8u;
        }
        if (c.err || !erdiag_cursor_skip(&c, skip))
            return n + 1;
        n++;
    }
    return n;
}

static void count_other(erdiag_bgp_decoded *d, guint16 afi, guint8 safi, guint32 n, gboolean withdrawn)
{
    erdiag_bgp_update *u = &d->msg.u.update;
    if (n == 0)
        return;
    erdiag_bgp_afi_count *slot = NULL;
    for (guint i = 0; i < u->n_other_afi && !slot; i++)
        if (d->other_afi[i].afi == afi && d->other_afi[i].safi == safi)
            slot = &d->other_afi[i];
    if (!slot && u->n_other_afi >= ERDIAG_BGP_MAX_OTHER_AFI) {
        /* full: the last entry counts every further family together */
        slot = &d->other_afi[ERDIAG_BGP_MAX_OTHER_AFI - 1];
        slot->afi = 0;
        slot->safi = 0;
    }
    if (!slot) {
        slot = &d->other_afi[u->n_other_afi++];
        memset(slot, 0, sizeof *slot);
        slot->afi = afi;
        slot->safi = safi;
    }
    if (withdrawn)
        slot->withdrawn += n;
    else
        slot->announced += n;
}

static gboolean analysed(guint16 afi, guint8 safi)
{
    return (afi == 1 || afi == 2) && safi == 1;
}

/* ---- attributes ---- */

/* The Optional and Transitive bits each known attribute must carry; -1
 * for attributes not checked. */
static int expected_flags(guint8 type)
{
    switch (type) {
    case ATTR_ORIGIN:
    case ATTR_AS_PATH:
    case ATTR_NEXT_HOP:
    case ATTR_LOCAL_PREF:
    case ATTR_ATOMIC_AGGREGATE:
        return FLAG_TRANSITIVE;
    case ATTR_MED:
    case ATTR_ORIGINATOR_ID:
    case ATTR_CLUSTER_LIST:
    case ATTR_MP_REACH:
    case ATTR_MP_UNREACH:
    case ATTR_BGPSEC_PATH:
        return FLAG_OPTIONAL;
    case ATTR_AGGREGATOR:
    case ATTR_COMMUNITIES:
    case ATTR_AS4_PATH:
    case ATTR_AS4_AGGREGATOR:
    case ATTR_LARGE_COMMUNITIES:
        return FLAG_OPTIONAL | FLAG_TRANSITIVE;
    default:
        return -1;
    }
}

static const char *flags_text(int f)
{
    return f == FLAG_TRANSITIVE ? "well-known" : f == FLAG_OPTIONAL ? "optional non-transitive"
         : f == (FLAG_OPTIONAL | FLAG_TRANSITIVE) ? "optional transitive" : "optional, not transitive";
}

/* RFC 6793 6: a malformed AS4_PATH or AS4_AGGREGATOR is discarded; the
 * rest of RFC 7606 7 where the attribute is not otherwise special. */
static int bad_flags_action(guint8 type)
{
    return type == ATTR_AS4_PATH || type == ATTR_AS4_AGGREGATOR ? DISCARD : WITHDRAW;
}

static gboolean want_len(attr_state *st, guint8 type, gsize len, gsize expected, int action)
{
    if (len == expected)
        return TRUE;
    update_error(st->d, type, action, "%s length %u, expected %u", erdiag_bgp_attr_name(type),
                 (guint)len, (guint)expected);
    return FALSE;
}

static void decode_mp_reach(attr_state *st, erdiag_cursor v)
{
    erdiag_bgp_decoded *d = st->d;
    gsize len = erdiag_cursor_remaining(&v);
    if (len < 5) {
        update_error(d, ATTR_MP_REACH, RESET, "MP_REACH_NLRI length %u below 5", (guint)len);
        return;
    }
    guint16 afi = erdiag_cursor_get_u16be(&v);
    guint8 safi = erdiag_cursor_get_u8(&v);
    guint nh_len = erdiag_cursor_get_u8(&v);
    erdiag_cursor nh = erdiag_cursor_take(&v, nh_len);
    if (v.err || !erdiag_cursor_skip(&v, 1)) { /* + the reserved byte */
        update_error(d, ATTR_MP_REACH, RESET, "MP_REACH_NLRI next hop length %u exceeds %u bytes left",
                     nh_len, (guint)len - 4);
        return;
    }
    st->mp_reach_seen = TRUE;
    if (!analysed(afi, safi)) {
        guint32 n = count_other_nlri(v, safi);
        st->mp_reach_nlri += n;
        count_other(d, afi, safi, n, FALSE);
        return;
    }
    /* IPv4 next hop for IPv4; IPv6 (global, optionally + link-local) for IPv6,
     * or for IPv4 under RFC 8950. RFC 7606 7.11: any other length is a
     * session reset. */
    guint8 addr[16];
    if (afi == 1 && nh_len == 4 && erdiag_cursor_get_bytes(&nh, addr, 4)) {
        st->mp_next_hop = (erdiag_addr){ .family = 4 };
        memcpy(st->mp_next_hop.bytes, addr, 4);
    } else if ((nh_len == 16 || nh_len == 32) && erdiag_cursor_get_bytes(&nh, addr, 16)) {
        st->mp_next_hop = (erdiag_addr){ .family = 6 };
        memcpy(st->mp_next_hop.bytes, addr, 16);
    } else {
        update_error(d, ATTR_MP_REACH, RESET, "MP_REACH_NLRI next hop length %u for AFI %u", nh_len, afi);
        return;
    }
    st->mp_reach_next_hop = TRUE;
    guint before = d->announced->len;
    decode_prefixes(d, d->announced, ATTR_MP_REACH, "MP_REACH_NLRI", v, afi == 1 ? 4 : 6, st->h);
    st->mp_reach_nlri += d->announced->len - before;
}

static void decode_mp_unreach(attr_state *st, erdiag_cursor v)
{
    erdiag_bgp_decoded *d = st->d;
    gsize len = erdiag_cursor_remaining(&v);
    if (len < 3) {
        update_error(d, ATTR_MP_UNREACH, RESET, "MP_UNREACH_NLRI length %u below 3", (guint)len);
        return;
    }
    guint16 afi = erdiag_cursor_get_u16be(&v);
    guint8 safi = erdiag_cursor_get_u8(&v);
    if (erdiag_cursor_at_end(&v))
        st->mp_unreach_empty = TRUE;
    if (!analysed(afi, safi)) {
        count_other(d, afi, safi, count_other_nlri(v, safi), TRUE);
        return;
    }
    decode_prefixes(d, d->withdrawn, ATTR_MP_UNREACH, "MP_UNREACH_NLRI", v, afi == 1 ? 4 : 6, st->h);
}

static void decode_attribute(attr_state *st, guint8 type, erdiag_cursor v)
{
    erdiag_bgp_decoded *d = st->d;
    erdiag_bgp_update *u = &d->msg.u.update;
    gsize len = erdiag_cursor_remaining(&v);
    switch (type) {
    case ATTR_ORIGIN: {
        if (!want_len(st, type, len, 1, WITHDRAW))
            return;
        guint8 origin = erdiag_cursor_get_u8(&v);
        if (origin > 2) {
            update_error(d, type, WITHDRAW, "ORIGIN value %u", origin);
            return;
        }
        u->has_origin = TRUE;
        u->origin = origin;
        return;
    }
    case ATTR_AS_PATH:
        st->as_path = v;
        st->as_path_seen = TRUE;
        return;
    case ATTR_AS4_PATH:
        st->as4_path = v;
        st->as4_path_seen = TRUE;
        return;
    case ATTR_BGPSEC_PATH:
        st->bgpsec_path = v;
        st->bgpsec_seen = TRUE;
        return;
    case ATTR_NEXT_HOP: {
        guint8 nh[4];
        if (!want_len(st, type, len, 4, WITHDRAW) || !erdiag_cursor_get_bytes(&v, nh, 4))
            return;
        u->has_next_hop = TRUE;
        u->next_hop = (erdiag_addr){ .family = 4 };
        memcpy(u->next_hop.bytes, nh, 4);
        return;
    }
    case ATTR_MED:
        if (!want_len(st, type, len, 4, WITHDRAW))
            return;
        u->has_med = TRUE;
        u->med = erdiag_cursor_get_u32be(&v);
        return;
    case ATTR_LOCAL_PREF:
        if (!want_len(st, type, len, 4, WITHDRAW))
            return;
        u->has_local_pref = TRUE;
        u->local_pref = erdiag_cursor_get_u32be(&v);
        return;
    case ATTR_ATOMIC_AGGREGATE:
        if (want_len(st, type, len, 0, DISCARD)) /* RFC 7606 7.6 */
            u->atomic_aggregate = TRUE;
        return;
    case ATTR_AGGREGATOR: {
        /* 2-byte AS + address, or 4-byte AS + address between NEW speakers;
         * RFC 7606 7.7: a wrong length discards it. */
        guint expected = st->h->as4_known ? (st->h->as4 ? 8 : 6) : (len == 8 ? 8 : 6);
        if (!want_len(st, type, len, expected, DISCARD))
            return;
        st->has_aggregator = TRUE;
        st->aggregator_as = len == 8 ? erdiag_cursor_get_u32be(&v) : erdiag_cursor_get_u16be(&v);
        return;
    }
    case ATTR_AS4_AGGREGATOR:
        want_len(st, type, len, 8, DISCARD); /* RFC 6793 6 */
        return;
    case ATTR_ORIGINATOR_ID:
        want_len(st, type, len, 4, WITHDRAW); /* RFC 7606 7.9 */
        return;
    case ATTR_CLUSTER_LIST:
        if (len == 0 || len % 4 != 0) /* RFC 7606 7.10 */
            update_error(d, type, WITHDRAW, "CLUSTER_LIST length %u is not a non-zero multiple of 4",
                         (guint)len);
        return;
    case ATTR_COMMUNITIES:
        if (len == 0 || len % 4 != 0) { /* RFC 7606 7.8 */
            update_error(d, type, WITHDRAW, "COMMUNITIES length %u is not a non-zero multiple of 4",
                         (guint)len);
            return;
        }
        while (!erdiag_cursor_at_end(&v)) {
            guint32 c = erdiag_cursor_get_u32be(&v);
            g_array_append_val(d->communities, c);
        }
        return;
    case ATTR_LARGE_COMMUNITIES:
        if (len == 0 || len % 12 != 0) { /* RFC 8092 6 */
            update_error(d, type, WITHDRAW, "LARGE_COMMUNITY length %u is not a non-zero multiple of 12",
                         (guint)len);
            return;
        }
        u->n_large_communities = (guint)(len / 12);
        return;
    case ATTR_MP_REACH:
        decode_mp_reach(st, v);
        return;
    case ATTR_MP_UNREACH:
        decode_mp_unreach(st, v);
        return;
    default:
        return; /* unknown or unneeded: skipped by its length */
    }
}

/* A problem inside one attribute's value is recorded with its action and
 * the walk goes on; a framing problem (a length that overruns) stops it,
 * and what it costs is decided once the NLRI are known (RFC 7606 4, 5.2). */
static void decode_attributes(attr_state *st, erdiag_cursor a)
{
    while (!erdiag_cursor_at_end(&a)) {
        gsize left = erdiag_cursor_remaining(&a);
        if (left < 3) {
            g_snprintf(st->framing, sizeof st->framing,
                       "path attribute header truncated (%u bytes left)", (guint)left);
            return;
        }
        guint8 flags = erdiag_cursor_get_u8(&a), type = erdiag_cursor_get_u8(&a);
        guint alen = flags & FLAG_EXTENDED_LENGTH ? erdiag_cursor_get_u16be(&a) : erdiag_cursor_get_u8(&a);
        if (a.err) {
            st->framing_attr = type;
            g_snprintf(st->framing, sizeof st->framing, "%s header truncated", erdiag_bgp_attr_name(type));
            return;
        }
        left = erdiag_cursor_remaining(&a);
        if (alen > left) {
            st->framing_attr = type;
            g_snprintf(st->framing, sizeof st->framing, "%s (type %u) length %u exceeds %u bytes left",
                       erdiag_bgp_attr_name(type), type, alen, (guint)left);
            return;
        }
        erdiag_cursor v = erdiag_cursor_take(&a, alen);
        st->n_attrs++;
        if (st->seen[type / 8] & (1u << (type % 8))) {
            /* RFC 7606 3(g): all but the first are discarded, except a
             * repeated MP_REACH_NLRI / MP_UNREACH_NLRI: session reset. */
            if (type == ATTR_MP_REACH || type == ATTR_MP_UNREACH)
                update_error(st->d, type, RESET, "%s (type %u) appears more than once", erdiag_bgp_attr_name(type), type);
            else
                update_error(st->d, type, DISCARD, "%s (type %u) appears more than once: all but the "
                             "first discarded", erdiag_bgp_attr_name(type), type);
            continue;
        }
        st->seen[type / 8] |= (guint8)(1u << (type % 8));
        if (type == ATTR_ORIGIN)
            st->origin_seen = TRUE;
        else if (type == ATTR_NEXT_HOP)
            st->next_hop_seen = TRUE;
        int want = expected_flags(type);
        if (want >= 0 && (flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE)) != want) {
            /* RFC 7606 3(c). The MP attributes are still read: the routes
             * to withdraw are in them. */
            update_error(st->d, type, bad_flags_action(type), "%s flags 0x%02x, expected %s",
                         erdiag_bgp_attr_name(type), flags, flags_text(want));
            if (type != ATTR_MP_REACH && type != ATTR_MP_UNREACH)
                continue;
        }
        decode_attribute(st, type, v);
    }
}

/* ---- the path ---- */

/* BGPsec_PATH (RFC 8205 3): the Secure_Path's segments (pCount, flags,
 * 4-byte AS) become the path, each AS pCount times; signature blocks are
 * not checked. */
static gboolean bgpsec_path(attr_state *st, erdiag_as_path *p)
{
    erdiag_cursor c = st->bgpsec_path;
    erdiag_as_path_reset(p);
    guint secure_len = erdiag_cursor_get_u16be(&c);
    if (c.err || secure_len < 2 || (secure_len - 2) % 6 != 0 || secure_len - 2 > erdiag_cursor_remaining(&c)) {
        update_error(st->d, ATTR_BGPSEC_PATH, WITHDRAW, "BGPsec_PATH: Secure_Path length %u", secure_len);
        return FALSE;
    }
    erdiag_cursor segs = erdiag_cursor_take(&c, secure_len - 2);
    while (!erdiag_cursor_at_end(&segs)) {
        guint pcount = erdiag_cursor_get_u8(&segs);
        guint8 seg_flags = erdiag_cursor_get_u8(&segs);
        guint32 asn = erdiag_cursor_get_u32be(&segs);
        if (pcount == 0) /* a transparent route server */
            continue;
        erdiag_as_segment seg = { seg_flags & 0x80 ? ERDIAG_AS_CONFED_SEQUENCE : ERDIAG_AS_SEQUENCE, pcount,
                                  p->asns->len };
        for (guint i = 0; i < pcount; i++)
            g_array_append_val(p->asns, asn);
        g_array_append_val(p->segments, seg);
    }
    return TRUE;
}

/* AS_PATH in the width the session uses, merged with AS4_PATH when a 2-byte
 * speaker relayed 4-byte ASNs (RFC 6793 4.2.3); BGPsec_PATH when there is
 * no AS_PATH. A malformed AS_PATH is treat-as-withdraw (RFC 7606 7.2), a
 * malformed AS4_PATH is discarded (RFC 6793 6). */
static void finish_as_path(attr_state *st)
{
    erdiag_bgp_decoded *d = st->d;
    const erdiag_bgp_session_hints *h = st->h;
    erdiag_bgp_update *u = &d->msg.u.update;
    const erdiag_as_path *path = &d->as_path;
    if (!st->as_path_seen) {
        if (!st->bgpsec_seen || !bgpsec_path(st, &d->as_path))
            return;
        u->bgpsec = TRUE;
    } else {
        const guint8 *b = erdiag_cursor_ptr(&st->as_path);
        gsize len = erdiag_cursor_remaining(&st->as_path);
        guint asn_size;
        if (h->as4_known)
            asn_size = h->as4 ? 4 : 2;
        else if (!erdiag_as_path_check(b, len, 4))
            asn_size = 4;
        else if (!erdiag_as_path_check(b, len, 2))
            asn_size = 2;
        else {
            update_error(d, ATTR_AS_PATH, WITHDRAW, "AS_PATH is consistent with neither 2- nor 4-byte ASNs (%s)",
                         erdiag_as_path_check(b, len, 2));
            return;
        }
        const char *why = erdiag_as_path_parse(&d->as_path, b, len, asn_size);
        if (why) {
            update_error(d, ATTR_AS_PATH, WITHDRAW, "AS_PATH (%u-byte ASNs): %s", asn_size, why);
            return;
        }
        if (st->as4_path_seen && erdiag_as_path_as4_applies(asn_size, st->has_aggregator, st->aggregator_as)) {
            const char *why4 = erdiag_as_path_parse(&d->as4_path, erdiag_cursor_ptr(&st->as4_path),
                                                    erdiag_cursor_remaining(&st->as4_path), 4);
            if (why4)
                update_error(d, ATTR_AS4_PATH, DISCARD, "AS4_PATH: %s", why4);
            else if (erdiag_as_path_has_confed(&d->as4_path))
                update_error(d, ATTR_AS4_PATH, DISCARD, "AS4_PATH holds a confederation segment");
            else {
                erdiag_as_path_merge_as4(&d->as_path, &d->as4_path, &d->merged);
                path = &d->merged;
            }
        }
    }
    erdiag_as_path_format(path, d->as_path_text);
    u->has_as_path = TRUE;
    u->as_path = d->as_path_text->str;
    u->as_path_length = erdiag_as_path_hops(path);
}

/* RFC 7606 3(d): routes announced without a well-known mandatory attribute
 * are withdrawn (NEXT_HOP is needed only by the IPv4 NLRI field, RFC 4760). */
static void check_mandatory(attr_state *st, guint nlri_v4)
{
    if (nlri_v4 == 0 && st->mp_reach_nlri == 0)
        return;
    if (!st->origin_seen)
        update_error(st->d, ATTR_ORIGIN, WITHDRAW, "ORIGIN missing from an UPDATE with NLRI");
    if (!st->as_path_seen && !st->bgpsec_seen)
        update_error(st->d, ATTR_AS_PATH, WITHDRAW, "AS_PATH missing from an UPDATE with NLRI");
    if (nlri_v4 > 0 && !st->next_hop_seen)
        update_error(st->d, ATTR_NEXT_HOP, WITHDRAW, "NEXT_HOP missing from an UPDATE with IPv4 NLRI");
}

void erdiag_bgp_decode_update(erdiag_bgp_decoded *d, erdiag_cursor c, const erdiag_bgp_session_hints *h)
{
    erdiag_bgp_update *u = &d->msg.u.update;
    attr_state st;
    memset(&st, 0, sizeof st);
    st.d = d;
    st.h = h;
    guint wlen = erdiag_cursor_get_u16be(&c);
    gsize left = erdiag_cursor_remaining(&c);
    if (c.err || left < 2 || wlen > left - 2) {
        update_error(d, 0, RESET, "withdrawn routes length %u exceeds %u bytes left", wlen,
                     left >= 2 ? (guint)(left - 2) : 0);
        goto out;
    }
    decode_prefixes(d, d->withdrawn, 0, "withdrawn routes", erdiag_cursor_take(&c, wlen), 4, h);
    guint alen = erdiag_cursor_get_u16be(&c);
    left = erdiag_cursor_remaining(&c);
    if (alen > left) {
        update_error(d, 0, RESET, "path attribute length %u exceeds %u bytes left", alen, (guint)left);
        goto out;
    }
    decode_attributes(&st, erdiag_cursor_take(&c, alen));
    guint nlri_len = (guint)erdiag_cursor_remaining(&c);
    guint before = d->announced->len;
    decode_prefixes(d, d->announced, 0, "NLRI", c, 4, h);
    guint nlri_v4 = d->announced->len - before;
    if (st.framing[0]) {
        /* RFC 7606 4 and 5.2: treat-as-withdraw when the routes could still
         * be found (an NLRI field, or an MP_REACH_NLRI before the break), as
         * BIRD does; otherwise an MP_REACH_NLRI may hide in the broken
         * part, and only a session reset is safe. */
        update_error(d, st.framing_attr, nlri_len > 0 || st.mp_reach_seen ? WITHDRAW : RESET, "%s",
                     st.framing);
    } else {
        check_mandatory(&st, nlri_v4);
    }
    finish_as_path(&st);
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
    u->errors = d->update_errors;
    u->other_afi = d->other_afi;
}
