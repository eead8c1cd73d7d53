/* Crafted BGP captures that multiply memory: UPDATEs whose AS_PATH is
 * thousands of ASNs long, each carrying as many prefixes as the message
 * holds, over one link or hundreds. A few hundred kilobytes of capture
 * announce a hundred thousand routes sharing a handful of paths: a RIB that
 * copies the path per route, or a report that holds one tree node per
 * route, needs gigabytes for it.
 *
 * Used by test_adversarial_bgp.c (in memory, with budgets) and by
 * gen_hostile_bgp.c (to files, to run the CLI on). */
#ifndef ERDIAG_TEST_HOSTILE_BGP_H
#define ERDIAG_TEST_HOSTILE_BGP_H

#include "adversarial/adversarial.h"

typedef struct {
    guint links;        /* sessions, each on its own VLAN and /30 (zero-config infers the links) */
    guint updates;      /* UPDATEs each on-prem side sends */
    guint asns;         /* AS_PATH length of each UPDATE */
    guint prefixes;     /* /24s per UPDATE, none announced twice in the capture */
    gboolean extended;  /* RFC 8654 on both OPENs: UPDATEs up to 65,535 bytes */
    gboolean as2;       /* 2-byte-ASN speakers (no AS4 capability) */
    gboolean vary_path; /* every UPDATE's path differs (in its last ASN) */
    gboolean echo;      /* Microsoft's side also sends each UPDATE back, its own AS prepended
                         * (the path then holds the on-prem AS: routes.overlap-vnet bait) */
} hb_params;

/* On-prem AS of every session (the healthy peering's). */
#define HB_ONPREM_AS 65010u

/* Link i: VLAN 100 + i, 192.168.(100 + i / 64).(i % 64 * 4)/30. */
static G_GNUC_UNUSED void hb_link_addr(guint i, int side, char out[16])
{
    g_snprintf(out, 16, "192.168.%u.%u", 100 + i / 64, (i % 64) * 4 + (side == ADV_CUST ? 1 : 2));
}

/* The k-th /24 of the capture, outside 10/8 and 192.168/16. */
static void hb_put_prefix(GByteArray *nlri, guint k)
{
    put_prefix4(nlri, (guint8)(20 + k / 65536), (guint8)(k >> 8), (guint8)k, 0, 24);
}

/* AS_PATH of n ASNs: AS_SEQUENCE segments of at most 255, the first ASN
 * `first`, then 64512 + i, the last one `last`. */
static GByteArray *hb_as_path(guint n, gboolean as2, guint32 first, guint32 last)
{
    GByteArray *p = g_byte_array_new();
    for (guint i = 0; i < n; i += 255) {
        guint seg = MIN(255u, n - i);
        put8(p, 2);
        put8(p, seg);
        for (guint j = i; j < i + seg; j++) {
            guint32 asn = j == 0 ? first : j == n - 1 ? last : 64512 + j % 1000;
            if (as2)
                put16(p, asn & 0xffff);
            else
                put32(p, asn);
        }
    }
    return p;
}

/* ORIGIN IGP, the AS_PATH (extended length when needed), NEXT_HOP. */
static GByteArray *hb_attrs(const GByteArray *path, const char *next_hop)
{
    GByteArray *a = g_byte_array_new();
    static const guint8 igp = 0;
    put_attr(a, 0x40, 1, &igp, 1);
    g_assert_cmpuint(path->len, <=, 65535);
    put_attr(a, path->len > 255 ? 0x50 : 0x40, 2, path->data, path->len);
    guint nh[4];
    g_assert_cmpint(sscanf(next_hop, "%u.%u.%u.%u", &nh[0], &nh[1], &nh[2], &nh[3]), ==, 4);
    guint8 nhb[4] = { (guint8)nh[0], (guint8)nh[1], (guint8)nh[2], (guint8)nh[3] };
    put_attr(a, 0x40, 3, nhb, 4);
    return a;
}

/* One UPDATE of the crafted stream, checked against the message size. */
static GByteArray *hb_update(const hb_params *p, const GByteArray *path, const char *next_hop, guint first_prefix)
{
    GByteArray *attrs = hb_attrs(path, next_hop);
    GByteArray *nlri = g_byte_array_new();
    for (guint i = 0; i < p->prefixes; i++)
        hb_put_prefix(nlri, first_prefix + i);
    GByteArray *m = update_new(NULL, attrs, nlri);
    g_assert_cmpuint(m->len, <=, p->extended ? ERDIAG_BGP_MAX_EXT_LEN : 4096);
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    return m;
}

/* The whole capture: per link a session, Microsoft's VNet route
 * (10.1.0.0/16), then the on-prem side's crafted UPDATEs. */
static G_GNUC_UNUSED adv_capture *hb_capture(const hb_params *p)
{
    adv_capture *cap = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    guint k = 0;
    for (guint l = 0; l < p->links; l++) {
        char cust[16], msft[16];
        hb_link_addr(l, ADV_CUST, cust);
        hb_link_addr(l, ADV_MSFT, msft);
        adv_session *s = adv_session_at(cap, (guint16)(100 + l), cust, msft, HB_ONPREM_AS, p->extended, p->as2);

        GByteArray *vpath = hb_as_path(1, p->as2, 12076, 12076);
        GByteArray *vattrs = hb_attrs(vpath, msft);
        GByteArray *vnlri = g_byte_array_new();
        put_prefix4(vnlri, 10, 1, 0, 0, 16);
        adv_send_msg(s, ADV_MSFT, update_new(NULL, vattrs, vnlri));
        g_byte_array_free(vpath, TRUE);
        g_byte_array_free(vattrs, TRUE);
        g_byte_array_free(vnlri, TRUE);

        for (guint u = 0; u < p->updates; u++, k += p->prefixes) {
            guint32 last = p->vary_path ? 64512 + 2000 + u % 60000 : 65001;
            GByteArray *path = hb_as_path(p->asns, p->as2, HB_ONPREM_AS, last);
            adv_send_msg(s, ADV_CUST, hb_update(p, path, cust, k));
            g_byte_array_free(path, TRUE);
            if (p->echo) {
                /* what a peer that does not filter sends back: the same
                 * prefixes, 12076 prepended to the path */
                GByteArray *echo = hb_as_path(1, p->as2, 12076, 12076);
                GByteArray *rest = hb_as_path(MIN(p->asns, 254u), p->as2, HB_ONPREM_AS, last);
                g_byte_array_append(echo, rest->data + 2, rest->len - 2);
                echo->data[1] = (guint8)(1 + MIN(p->asns, 254u));
                adv_send_msg(s, ADV_MSFT, hb_update(p, echo, msft, k));
                g_byte_array_free(echo, TRUE);
                g_byte_array_free(rest, TRUE);
            }
        }
        adv_send_msg(s, ADV_CUST, adv_keepalive());
        adv_session_free(s);
    }
    return cap;
}

/* The crafted cases, each under 1 MB of capture. */
typedef struct {
    const char *name;
    const char *what;
    hb_params p;
} hb_preset;

static const hb_preset hb_presets[] G_GNUC_UNUSED = {
    { "long-path-extended", "3 UPDATEs of 65,535 bytes: 8,000-ASN path, 8,000 prefixes each (about 200 KB)",
      { .links = 1, .updates = 3, .asns = 8000, .prefixes = 7900, .extended = TRUE } },
    { "long-path-4096", "40 UPDATEs of 4,096 bytes, 2-byte ASNs: 1,000-ASN path, 500 prefixes each (about 170 KB)",
      { .links = 1, .updates = 40, .asns = 1000, .prefixes = 500, .as2 = TRUE, .vary_path = TRUE } },
    { "1mb-long-path", "15 UPDATEs of 65,535 bytes on one link: 8,000-ASN paths, 118,500 routes",
      { .links = 1, .updates = 15, .asns = 8000, .prefixes = 7900, .extended = TRUE, .vary_path = TRUE } },
    { "1mb-many-links", "14 links x 16 UPDATEs of 1,000 prefixes: 224,000 routes",
      { .links = 14, .updates = 16, .asns = 2, .prefixes = 1000 } },
    { "1mb-many-links-long-path", "15 links x 15 UPDATEs, 2-byte ASNs: 1,000-ASN paths, 112,500 routes",
      { .links = 15, .updates = 15, .asns = 1000, .prefixes = 500, .as2 = TRUE, .vary_path = TRUE } },
};

static G_GNUC_UNUSED const hb_preset *hb_preset_find(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(hb_presets); i++)
        if (g_strcmp0(hb_presets[i].name, name) == 0)
            return &hb_presets[i];
    return NULL;
}

#endif
