/* The per-direction Adj-RIB-In: announcements, withdrawals, history,
 * session drops, ADD-PATH ids, IPv6 and covering lookups; attribute sets
 * shared across routes and RIBs, the store's route budget, long paths,
 * echoed routes. */
#include <string.h>
#include <glib.h>

#include "erdiag/addr.h"
#include "erdiag/bgp.h"
#include "erdiag/model.h"
#include "rib.h"

static erdiag_prefix P(const char *s)
{
    erdiag_prefix p;
    g_assert_true(erdiag_prefix_parse(s, &p, NULL));
    return p;
}

static erdiag_addr A(const char *s)
{
    erdiag_addr a;
    g_assert_true(erdiag_addr_parse(s, &a));
    return a;
}

/* An UPDATE under construction: NLRI arrays plus attributes. */
typedef struct {
    GArray *ann, *wd; /* erdiag_bgp_nlri */
    erdiag_bgp_update u;
} upd;

static upd *upd_new(const char *next_hop, const char *as_path, guint path_len)
{
    upd *x = g_new0(upd, 1);
    x->ann = g_array_new(FALSE, TRUE, sizeof(erdiag_bgp_nlri));
    x->wd = g_array_new(FALSE, TRUE, sizeof(erdiag_bgp_nlri));
    if (next_hop != NULL) {
        x->u.has_next_hop = TRUE;
        x->u.next_hop = A(next_hop);
    }
    if (as_path != NULL) {
        x->u.has_origin = TRUE;
        x->u.has_as_path = TRUE;
        x->u.as_path = as_path;
        x->u.as_path_length = path_len;
    }
    return x;
}

static void upd_announce(upd *x, const char *prefix, guint32 path_id)
{
    erdiag_bgp_nlri n = {P(prefix), path_id};
    g_array_append_val(x->ann, n);
}

static void upd_withdraw(upd *x, const char *prefix, guint32 path_id)
{
    erdiag_bgp_nlri n = {P(prefix), path_id};
    g_array_append_val(x->wd, n);
}

static gboolean upd_apply(erdiag_rib *r, upd *x, guint64 frame)
{
    x->u.announced = (const erdiag_bgp_nlri *)(void *)x->ann->data;
    x->u.n_announced = x->ann->len;
    x->u.withdrawn = (const erdiag_bgp_nlri *)(void *)x->wd->data;
    x->u.n_withdrawn = x->wd->len;
    return erdiag_rib_apply_update(r, &x->u, frame, (gint64)frame * 1000);
}

static void upd_free(upd *x)
{
    g_array_free(x->ann, TRUE);
    g_array_free(x->wd, TRUE);
    g_free(x);
}

/* One-shot helpers. */
static gboolean announce(erdiag_rib *r, const char *prefix, const char *nh, const char *path, guint64 frame)
{
    upd *x = upd_new(nh, path, 1);
    upd_announce(x, prefix, 0);
    gboolean changed = upd_apply(r, x, frame);
    upd_free(x);
    return changed;
}

static gboolean withdraw(erdiag_rib *r, const char *prefix, guint64 frame)
{
    upd *x = upd_new(NULL, NULL, 0);
    upd_withdraw(x, prefix, 0);
    gboolean changed = upd_apply(r, x, frame);
    upd_free(x);
    return changed;
}

static const erdiag_route *lookup(erdiag_rib *r, const char *prefix)
{
    erdiag_prefix p = P(prefix);
    return erdiag_rib_lookup(r, &p);
}

static char *route_list(erdiag_rib *r, gboolean include_withdrawn)
{
    GPtrArray *a = erdiag_rib_routes(r, include_withdrawn);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < a->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(a, i);
        char buf[ERDIAG_PREFIX_STRLEN];
        g_string_append_printf(s, "%s%s", i ? " " : "", erdiag_prefix_to_string(&rt->prefix, buf));
        if (rt->path_id != 0)
            g_string_append_printf(s, "#%u", rt->path_id);
        if (!rt->present)
            g_string_append(s, "(w)");
    }
    g_ptr_array_free(a, TRUE);
    return g_string_free(s, FALSE);
}

#define ASSERT_STR_FREE(expr, want)              \
    do {                                         \
        char *got_ = (expr);                     \
        g_assert_cmpstr(got_, ==, (want));       \
        g_free(got_);                            \
    } while (0)

static void test_announce(void)
{
    erdiag_rib *r = erdiag_rib_new();
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 0);
    g_assert_null(lookup(r, "10.0.0.0/16"));

    upd *x = upd_new("192.168.10.1", "65010 65010", 2);
    x->u.has_med = TRUE;
    x->u.med = 50;
    guint32 comms[3] = {1, 2, 3};
    x->u.communities = comms;
    x->u.n_communities = 3;
    upd_announce(x, "10.0.0.0/16", 0);
    upd_announce(x, "10.1.0.0/16", 0);
    upd_announce(x, "172.16.0.0/12", 0);
    g_assert_true(upd_apply(r, x, 40));
    upd_free(x);

    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 3);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, 3);
    g_assert_cmpuint(erdiag_rib_count(r, 6), ==, 0);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 4), ==, 3);

    const erdiag_route *rt = lookup(r, "10.1.0.0/16");
    g_assert_nonnull(rt);
    g_assert_true(rt->present);
    g_assert_cmpstr(rt->as_path, ==, "65010 65010");
    g_assert_cmpuint(rt->as_path_length, ==, 2);
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(&rt->next_hop, buf), ==, "192.168.10.1");
    g_assert_true(rt->has_med);
    g_assert_cmpuint(rt->med, ==, 50);
    g_assert_false(rt->has_local_pref);
    g_assert_cmpuint(rt->n_communities, ==, 3);
    g_assert_cmpuint(rt->first_frame, ==, 40);
    g_assert_cmpint(rt->first_ts_us, ==, 40000);
    g_assert_cmpuint(rt->announcements, ==, 1);
    g_assert_cmpuint(rt->withdrawals, ==, 0);

    ASSERT_STR_FREE(route_list(r, FALSE), "10.0.0.0/16 10.1.0.0/16 172.16.0.0/12");

    /* An empty UPDATE (End-of-RIB) changes nothing. */
    upd *eor = upd_new(NULL, NULL, 0);
    eor->u.end_of_rib = TRUE;
    g_assert_false(upd_apply(r, eor, 41));
    upd_free(eor);
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 3);
    erdiag_rib_free(r);
}

static void test_implicit_withdraw(void)
{
    erdiag_rib *r = erdiag_rib_new();
    g_assert_true(announce(r, "10.0.0.0/16", "192.168.10.1", "65010", 10));
    /* Same route again with the same attributes: counted, but no change. */
    g_assert_false(announce(r, "10.0.0.0/16", "192.168.10.1", "65010", 11));
    /* New attributes replace the old ones; still one route. */
    g_assert_true(announce(r, "10.0.0.0/16", "192.168.10.5", "65010 65010 65010", 12));
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 1);
    g_assert_cmpuint(erdiag_rib_records(r), ==, 1);
    const erdiag_route *rt = lookup(r, "10.0.0.0/16");
    g_assert_cmpstr(rt->as_path, ==, "65010 65010 65010");
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(&rt->next_hop, buf), ==, "192.168.10.5");
    g_assert_cmpuint(rt->announcements, ==, 3);
    g_assert_cmpuint(rt->withdrawals, ==, 0);
    g_assert_cmpuint(rt->readvertisements, ==, 0);
    g_assert_cmpuint(rt->first_frame, ==, 10);
    g_assert_cmpuint(rt->change_frame, ==, 12);

    /* Attributes missing from the new UPDATE do not linger. */
    upd *x = upd_new("192.168.10.5", "65010 65010 65010", 1);
    x->u.has_local_pref = TRUE;
    x->u.local_pref = 200;
    upd_announce(x, "10.0.0.0/16", 0);
    g_assert_true(upd_apply(r, x, 13));
    upd_free(x);
    g_assert_true(rt->has_local_pref);
    g_assert_cmpuint(rt->local_pref, ==, 200);
    g_assert_true(announce(r, "10.0.0.0/16", "192.168.10.5", "65010 65010 65010", 14));
    g_assert_false(rt->has_local_pref);
    g_assert_cmpuint(rt->as_path_length, ==, 1);
    erdiag_rib_free(r);
}

static void test_withdraw_readvertise(void)
{
    erdiag_rib *r = erdiag_rib_new();
    announce(r, "10.0.0.0/16", "192.168.10.1", "65010", 1);
    announce(r, "10.1.0.0/16", "192.168.10.1", "65010", 1);

    g_assert_true(withdraw(r, "10.0.0.0/16", 5));
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, 1);
    const erdiag_route *rt = lookup(r, "10.0.0.0/16");
    g_assert_nonnull(rt); /* kept as history */
    g_assert_false(rt->present);
    g_assert_cmpuint(rt->withdrawals, ==, 1);
    g_assert_cmpuint(rt->change_frame, ==, 5);
    ASSERT_STR_FREE(route_list(r, FALSE), "10.1.0.0/16");
    ASSERT_STR_FREE(route_list(r, TRUE), "10.0.0.0/16(w) 10.1.0.0/16");

    /* Withdrawing again, or withdrawing what was never there: no change,
     * and no record for the unknown prefix. */
    g_assert_false(withdraw(r, "10.0.0.0/16", 6));
    g_assert_cmpuint(rt->withdrawals, ==, 1);
    g_assert_false(withdraw(r, "10.99.0.0/16", 6));
    g_assert_null(lookup(r, "10.99.0.0/16"));
    g_assert_cmpuint(erdiag_rib_records(r), ==, 2);

    /* It comes back: a re-advertisement. */
    g_assert_true(announce(r, "10.0.0.0/16", "192.168.10.1", "65010", 8));
    g_assert_true(rt->present);
    g_assert_cmpuint(rt->readvertisements, ==, 1);
    g_assert_cmpuint(rt->announcements, ==, 2);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, 2);

    /* Flapping: withdraw + announce in one UPDATE (withdrawals go first). */
    for (guint i = 0; i < 5; i++) {
        upd *x = upd_new("192.168.10.1", "65010", 1);
        upd_withdraw(x, "10.0.0.0/16", 0);
        upd_announce(x, "10.0.0.0/16", 0);
        g_assert_true(upd_apply(r, x, 20 + i));
        upd_free(x);
    }
    g_assert_true(rt->present);
    g_assert_cmpuint(rt->withdrawals, ==, 6);
    g_assert_cmpuint(rt->readvertisements, ==, 6);
    /* History does not grow with the number of UPDATEs. */
    g_assert_cmpuint(erdiag_rib_records(r), ==, 2);
    erdiag_rib_free(r);
}

static void test_session_down(void)
{
    erdiag_rib *r = erdiag_rib_new();
    announce(r, "10.0.0.0/16", "192.168.10.1", "65010", 1);
    announce(r, "2001:db8:100::/48", "2001:db8:c::1", "65010", 1);
    withdraw(r, "10.0.0.0/16", 2);
    announce(r, "10.0.0.0/16", "192.168.10.1", "65010", 3);
    announce(r, "10.1.0.0/16", "192.168.10.1", "65010", 3);
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 3);

    erdiag_rib_session_down(r, 100, 100000);
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 0);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 0), ==, 0);
    ASSERT_STR_FREE(route_list(r, FALSE), "");
    ASSERT_STR_FREE(route_list(r, TRUE), "10.0.0.0/16(w) 10.1.0.0/16(w) 2001:db8:100::/48(w)");
    const erdiag_route *rt = lookup(r, "10.1.0.0/16");
    g_assert_false(rt->present);
    g_assert_cmpuint(rt->change_frame, ==, 100);
    g_assert_cmpuint(rt->withdrawals, ==, 0);
    erdiag_addr a = A("10.1.2.3");
    g_assert_null(erdiag_rib_covering_addr(r, &a));

    /* The next session's initial table is not a re-advertisement. */
    g_assert_true(announce(r, "10.1.0.0/16", "192.168.10.1", "65010", 200));
    g_assert_true(rt->present);
    g_assert_cmpuint(rt->readvertisements, ==, 0);
    g_assert_cmpuint(rt->announcements, ==, 2);
    const erdiag_route *flapped = lookup(r, "10.0.0.0/16");
    g_assert_cmpuint(flapped->readvertisements, ==, 1); /* from before the drop */
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 1);
    erdiag_rib_free(r);
}

static void test_ipv6_and_path_ids(void)
{
    erdiag_rib *r = erdiag_rib_new();
    /* IPv6 arrives through MP_REACH, i.e. in the same announced list. */
    upd *x = upd_new("2001:db8:c::1", "65010", 1);
    upd_announce(x, "2001:db8:100::/48", 0);
    upd_announce(x, "2001:db8:200::/48", 0);
    upd_announce(x, "10.0.0.0/16", 1);
    upd_announce(x, "10.0.0.0/16", 2);
    upd_announce(x, "10.0.0.0/16", 7);
    g_assert_true(upd_apply(r, x, 1));
    upd_free(x);

    g_assert_cmpuint(erdiag_rib_count(r, 6), ==, 2);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, 3);
    g_assert_cmpuint(erdiag_rib_count(r, 0), ==, 5);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 4), ==, 1);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 6), ==, 2);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 0), ==, 3);
    g_assert_cmpuint(erdiag_rib_count(r, 5), ==, 0);
    ASSERT_STR_FREE(route_list(r, FALSE), "10.0.0.0/16#1 10.0.0.0/16#2 10.0.0.0/16#7 2001:db8:100::/48 2001:db8:200::/48");

    /* Withdrawals name a path id: only that path goes. */
    upd *w = upd_new(NULL, NULL, 0);
    upd_withdraw(w, "10.0.0.0/16", 2);
    upd_withdraw(w, "10.0.0.0/16", 3); /* never announced */
    upd_withdraw(w, "2001:db8:100::/48", 0);
    g_assert_true(upd_apply(r, w, 2));
    upd_free(w);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, 2);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 4), ==, 1);
    g_assert_cmpuint(erdiag_rib_count(r, 6), ==, 1);
    ASSERT_STR_FREE(route_list(r, TRUE), "10.0.0.0/16#1 10.0.0.0/16#2(w) 10.0.0.0/16#7 2001:db8:100::/48(w) 2001:db8:200::/48");

    erdiag_prefix p = P("10.0.0.0/16");
    const erdiag_route *two = erdiag_rib_lookup_path(r, &p, 2);
    g_assert_nonnull(two);
    g_assert_false(two->present);
    g_assert_null(erdiag_rib_lookup_path(r, &p, 3));
    const erdiag_route *any = erdiag_rib_lookup(r, &p);
    g_assert_true(any->present);
    g_assert_cmpuint(any->path_id, ==, 1);

    /* Withdrawing the last paths leaves the prefix counted as gone, and a
     * lookup still finds its history. */
    upd *w2 = upd_new(NULL, NULL, 0);
    upd_withdraw(w2, "10.0.0.0/16", 1);
    upd_withdraw(w2, "10.0.0.0/16", 7);
    g_assert_true(upd_apply(r, w2, 3));
    upd_free(w2);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 4), ==, 0);
    any = erdiag_rib_lookup(r, &p);
    g_assert_nonnull(any);
    g_assert_false(any->present);
    g_assert_cmpuint(any->path_id, ==, 1);

    /* Unusable prefixes in the lists are skipped. */
    erdiag_bgp_nlri bad[2];
    memset(bad, 0, sizeof bad);
    bad[1].prefix = P("10.9.0.0/16");
    bad[1].prefix.len = 40;
    erdiag_bgp_update u;
    memset(&u, 0, sizeof u);
    u.announced = bad;
    u.n_announced = 2;
    u.withdrawn = bad;
    u.n_withdrawn = 2;
    g_assert_false(erdiag_rib_apply_update(r, &u, 4, 4000));
    g_assert_cmpuint(erdiag_rib_records(r), ==, 5);
    erdiag_rib_free(r);
}

static void collect_overlap(const erdiag_route *rt, gpointer user)
{
    GString *s = user;
    char buf[ERDIAG_PREFIX_STRLEN];
    g_string_append_printf(s, "%s%s", s->len ? " " : "", erdiag_prefix_to_string(&rt->prefix, buf));
}

static char *overlapping(erdiag_rib *r, const char *prefix)
{
    GString *s = g_string_new(NULL);
    erdiag_prefix p = P(prefix);
    erdiag_rib_foreach_overlapping(r, &p, collect_overlap, s);
    return g_string_free(s, FALSE);
}

static char *covering(erdiag_rib *r, const char *addr)
{
    erdiag_addr a = A(addr);
    const erdiag_route *rt = erdiag_rib_covering_addr(r, &a);
    char buf[ERDIAG_PREFIX_STRLEN];
    return g_strdup(rt != NULL ? erdiag_prefix_to_string(&rt->prefix, buf) : "none");
}

static void test_covering(void)
{
    erdiag_rib *r = erdiag_rib_new();
    announce(r, "10.0.0.0/8", "192.168.10.1", "65010", 1);
    announce(r, "10.1.0.0/16", "192.168.10.1", "65010", 1);
    announce(r, "10.1.2.0/24", "192.168.10.1", "65010", 1);
    announce(r, "10.2.0.0/16", "192.168.10.1", "65010", 1);
    announce(r, "11.0.0.0/8", "192.168.10.1", "65010", 1);
    announce(r, "2001:db8::/32", "2001:db8:c::1", "65010", 1);

    ASSERT_STR_FREE(covering(r, "10.1.2.3"), "10.1.2.0/24");
    ASSERT_STR_FREE(covering(r, "10.1.3.3"), "10.1.0.0/16");
    ASSERT_STR_FREE(covering(r, "10.3.0.1"), "10.0.0.0/8");
    ASSERT_STR_FREE(covering(r, "12.0.0.1"), "none");
    ASSERT_STR_FREE(covering(r, "2001:db8:5::1"), "2001:db8::/32");
    ASSERT_STR_FREE(covering(r, "2001:db9::1"), "none");

    /* A withdrawn more-specific no longer covers: the next one out does. */
    withdraw(r, "10.1.2.0/24", 2);
    ASSERT_STR_FREE(covering(r, "10.1.2.3"), "10.1.0.0/16");
    withdraw(r, "10.0.0.0/8", 2);
    ASSERT_STR_FREE(covering(r, "10.3.0.1"), "none");
    ASSERT_STR_FREE(covering(r, "10.1.2.3"), "10.1.0.0/16");

    ASSERT_STR_FREE(overlapping(r, "10.0.0.0/8"), "10.1.0.0/16 10.2.0.0/16");
    ASSERT_STR_FREE(overlapping(r, "10.1.2.0/24"), "10.1.0.0/16");
    ASSERT_STR_FREE(overlapping(r, "10.1.0.0/16"), "10.1.0.0/16");
    ASSERT_STR_FREE(overlapping(r, "0.0.0.0/0"), "10.1.0.0/16 10.2.0.0/16 11.0.0.0/8");
    ASSERT_STR_FREE(overlapping(r, "12.0.0.0/8"), "");
    ASSERT_STR_FREE(overlapping(r, "2001:db8:c::/126"), "2001:db8::/32");
    announce(r, "0.0.0.0/0", "192.168.10.1", "65010", 3);
    ASSERT_STR_FREE(overlapping(r, "10.1.5.0/24"), "0.0.0.0/0 10.1.0.0/16");
    ASSERT_STR_FREE(covering(r, "12.0.0.1"), "0.0.0.0/0");
    erdiag_rib_free(r);
}

/* A full RIB keeps what it has: new routes past ERDIAG_RIB_MAX_RECORDS are
 * counted, not kept, while the routes it holds still change. */
static void test_full(void)
{
    erdiag_rib *r = erdiag_rib_new();
    const guint n = ERDIAG_RIB_MAX_RECORDS + 10;
    for (guint b = 0; b * 1000 < n; b++) {
        upd *x = upd_new("192.168.10.1", "65010", 1);
        for (guint k = b * 1000; k < MIN(n, (b + 1) * 1000); k++) {
            char *s = g_strdup_printf("%u.%u.%u.0/24", 20 + k / 65536, (k / 256) % 256, k % 256);
            upd_announce(x, s, 0);
            g_free(s);
        }
        upd_apply(r, x, b);
        upd_free(x);
    }
    g_assert_cmpuint(erdiag_rib_records(r), ==, ERDIAG_RIB_MAX_RECORDS);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, ERDIAG_RIB_MAX_RECORDS);
    guint64 first_frame;
    g_assert_cmpuint(erdiag_rib_not_kept(r, &first_frame), ==, 10);
    g_assert_cmpuint(first_frame, ==, 50); /* the last batch's */
    /* the last ten (k = n - 10 .. n - 1) are the ones not kept */
    erdiag_prefix p;
    g_assert_true(erdiag_prefix_parse("20.195.80.0/24", &p, NULL)); /* k = 50000 */
    g_assert_null(erdiag_rib_lookup(r, &p));
    /* a route it holds is withdrawn and comes back; the count follows */
    upd *w = upd_new("192.168.10.1", "65010", 1);
    upd_withdraw(w, "20.0.0.0/24", 0);
    g_assert_true(upd_apply(r, w, 100));
    upd_free(w);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, ERDIAG_RIB_MAX_RECORDS - 1);
    upd *a = upd_new("192.168.10.1", "65010 65010", 1);
    upd_announce(a, "20.0.0.0/24", 0);
    g_assert_true(upd_apply(r, a, 101));
    upd_free(a);
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, ERDIAG_RIB_MAX_RECORDS);
    g_assert_cmpuint(erdiag_rib_not_kept(r, NULL), ==, 10);
    erdiag_rib_free(r);
}

static void test_10k(void)
{
    erdiag_rib *r = erdiag_rib_new();
    const guint n = 10000;
    /* 10k /24s in 10.0.0.0/8 and 1k /64s, in batches of 100 per UPDATE. */
    for (guint b = 0; b < n / 100; b++) {
        upd *x = upd_new("192.168.10.1", "65010", 1);
        for (guint i = 0; i < 100; i++) {
            guint k = b * 100 + i;
            char *s = g_strdup_printf("10.%u.%u.0/24", k / 256, k % 256);
            upd_announce(x, s, 0);
            g_free(s);
            if (k % 10 == 0) {
                s = g_strdup_printf("2001:db8:%x:%x::/64", k / 65536, k % 65536);
                upd_announce(x, s, 0);
                g_free(s);
            }
        }
        g_assert_true(upd_apply(r, x, b));
        upd_free(x);
    }
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, n);
    g_assert_cmpuint(erdiag_rib_count(r, 6), ==, n / 10);
    g_assert_cmpuint(erdiag_rib_distinct_prefixes(r, 0), ==, n + n / 10);

    /* Withdraw every odd /24 and re-announce a tenth of those, many times over. */
    for (guint round = 0; round < 3; round++) {
        upd *x = upd_new("192.168.10.1", "65010", 1);
        for (guint k = 1; k < n; k += 2) {
            char *s = g_strdup_printf("10.%u.%u.0/24", k / 256, k % 256);
            upd_withdraw(x, s, 0);
            if (k % 10 == 1)
                upd_announce(x, s, 0);
            g_free(s);
        }
        upd_apply(r, x, 1000 + round);
        upd_free(x);
    }
    g_assert_cmpuint(erdiag_rib_count(r, 4), ==, n / 2 + n / 10);
    g_assert_cmpuint(erdiag_rib_records(r), ==, n + n / 10);

    GPtrArray *present = erdiag_rib_routes(r, FALSE);
    g_assert_cmpuint(present->len, ==, erdiag_rib_count(r, 0));
    for (guint i = 1; i < present->len; i++) {
        const erdiag_route *a = g_ptr_array_index(present, i - 1), *b = g_ptr_array_index(present, i);
        g_assert_cmpint(erdiag_prefix_compare(&a->prefix, &b->prefix), <, 0);
    }
    g_ptr_array_free(present, TRUE);

    ASSERT_STR_FREE(covering(r, "10.0.2.77"), "10.0.2.0/24");
    ASSERT_STR_FREE(covering(r, "10.0.3.77"), "none");    /* k = 3: withdrawn */
    ASSERT_STR_FREE(covering(r, "10.0.11.77"), "10.0.11.0/24"); /* k = 11: came back */
    const erdiag_route *back = lookup(r, "10.0.11.0/24");
    g_assert_cmpuint(back->readvertisements, ==, 3);
    g_assert_cmpuint(back->withdrawals, ==, 3);
    erdiag_rib_free(r);
}

/* A path of n ASNs, 64512 upwards, then `last`. */
static char *long_path(guint n, guint32 last)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i + 1 < n; i++)
        g_string_append_printf(s, "%u ", 64512 + i % 1000);
    g_string_append_printf(s, "%u", last);
    return g_string_free(s, FALSE);
}

/* One UPDATE, a 5,000-ASN path, 2,000 prefixes: one attribute set, one
 * path, whatever the prefix count; links share their store. */
static void test_shared_attributes(void)
{
    erdiag_rib_store *st = erdiag_rib_store_new(0);
    erdiag_rib *a = erdiag_rib_new_in(st), *b = erdiag_rib_new_in(st);
    char *path = long_path(5000, 65001);
    upd *x = upd_new("192.168.10.1", path, 5000);
    for (guint i = 0; i < 2000; i++) {
        char *p = g_strdup_printf("20.%u.%u.0/24", i / 256, i % 256);
        upd_announce(x, p, 0);
        g_free(p);
    }
    g_assert_true(upd_apply(a, x, 10));
    g_assert_true(upd_apply(b, x, 11));
    g_assert_cmpuint(erdiag_rib_store_attr_sets(st), ==, 1);
    g_assert_cmpuint(erdiag_rib_store_records(st), ==, 4000);
    const erdiag_route *r1 = lookup(a, "20.0.1.0/24"), *r2 = lookup(b, "20.7.207.0/24");
    g_assert_true(r1->as_path == r2->as_path); /* the same bytes, not equal copies */
    g_assert_cmpuint(r1->as_path_length, ==, 5000);
    /* the same attributes again change nothing */
    g_assert_false(upd_apply(a, x, 12));
    g_assert_cmpuint(erdiag_rib_store_attr_sets(st), ==, 1);
    upd_free(x);

    /* one route moves to a new next hop: a second set; withdrawn records keep theirs */
    g_assert_true(announce(a, "20.0.1.0/24", "192.168.10.5", path, 13));
    g_assert_cmpuint(erdiag_rib_store_attr_sets(st), ==, 2);
    g_assert_true(withdraw(a, "20.0.2.0/24", 14));
    g_assert_true(lookup(a, "20.0.2.0/24")->as_path == r2->as_path);
    /* back to the first set: the second one goes */
    g_assert_true(announce(a, "20.0.1.0/24", "192.168.10.1", "65010", 15));
    g_assert_cmpuint(erdiag_rib_store_attr_sets(st), ==, 2);
    upd *y = upd_new("192.168.10.1", path, 5000);
    upd_announce(y, "20.0.1.0/24", 0);
    g_assert_true(upd_apply(a, y, 16));
    upd_free(y);
    g_assert_cmpuint(erdiag_rib_store_attr_sets(st), ==, 1);

    erdiag_rib_free(a);
    g_assert_cmpuint(erdiag_rib_store_records(st), ==, 2000);
    erdiag_rib_store_unref(st);
    /* b keeps the store alive */
    g_assert_cmpuint(erdiag_rib_count(b, 4), ==, 2000);
    g_assert_cmpstr(lookup(b, "20.0.0.0/24")->as_path, !=, "");
    erdiag_rib_free(b);
    g_free(path);
}

/* The budget holds across the store's RIBs: the second table stops when
 * the two together are full, and says it was the store. */
static void test_store_budget(void)
{
    erdiag_rib_store *st = erdiag_rib_store_new(10);
    erdiag_rib *a = erdiag_rib_new_in(st), *b = erdiag_rib_new_in(st);
    erdiag_rib_store_unref(st);
    for (guint i = 0; i < 6; i++) {
        char *p = g_strdup_printf("10.0.%u.0/24", i);
        announce(a, p, "192.168.10.1", "65010", 10 + i);
        g_free(p);
    }
    for (guint i = 0; i < 6; i++) {
        char *p = g_strdup_printf("10.1.%u.0/24", i);
        announce(b, p, "192.168.10.1", "65010", 20 + i);
        g_free(p);
    }
    g_assert_cmpuint(erdiag_rib_records(a), ==, 6);
    g_assert_cmpuint(erdiag_rib_records(b), ==, 4);
    guint64 first = 0;
    g_assert_cmpuint(erdiag_rib_not_kept(b, &first), ==, 2);
    g_assert_cmpuint(first, ==, 24);
    g_assert_true(erdiag_rib_store_was_full(b));
    g_assert_false(erdiag_rib_store_was_full(a));
    g_assert_cmpuint(erdiag_rib_not_kept(a, NULL), ==, 0);
    /* known routes still change */
    g_assert_true(announce(b, "10.1.0.0/24", "192.168.10.9", "65010", 30));
    g_assert_true(withdraw(a, "10.0.0.0/24", 31));
    /* freeing a gives its records back */
    erdiag_rib_free(a);
    g_assert_true(announce(b, "10.1.5.0/24", "192.168.10.1", "65010", 32));
    g_assert_cmpuint(erdiag_rib_records(b), ==, 5);
    erdiag_rib_free(b);
}

/* A long path is shown cut, with what was left out counted; the whole
 * path still answers "does it hold this AS". */
static void test_long_path(void)
{
    erdiag_rib *r = erdiag_rib_new();
    char *path = long_path(3000, 65010);
    g_assert_true(announce(r, "10.0.0.0/16", "192.168.10.1", path, 5));
    const erdiag_route *rt = lookup(r, "10.0.0.0/16");
    g_assert_cmpuint(strlen(rt->as_path), <=, ERDIAG_RIB_PATH_SHOWN + 24);
    g_assert_true(g_str_has_prefix(rt->as_path, "64512 64513 64514 "));
    /* 120 bytes hold the first 20 six-byte ASNs: 2,980 left out */
    g_assert_true(g_str_has_suffix(rt->as_path, " ... (+2980 more)"));
    g_assert_true(erdiag_rib_route_path_has_as(rt, 65010));
    g_assert_true(erdiag_rib_route_path_has_as(rt, 64512 + 999));
    g_assert_false(erdiag_rib_route_path_has_as(rt, 6501));
    g_assert_false(erdiag_rib_route_path_has_as(rt, 12076));
    /* one huge AS_SET: cut between its members */
    GString *set = g_string_new("65010 {");
    for (guint i = 0; i < 500; i++)
        g_string_append_printf(set, "%s%u", i ? "," : "", 4200000000u + i);
    g_string_append_c(set, '}');
    g_assert_true(announce(r, "10.2.0.0/16", "192.168.10.1", set->str, 7));
    rt = lookup(r, "10.2.0.0/16");
    g_assert_true(g_str_has_prefix(rt->as_path, "65010 {4200000000,4200000001,"));
    /* "65010 {" and 10 eleven-byte members fit in 120 */
    g_assert_true(g_str_has_suffix(rt->as_path, ",4200000009 ... (+490 more)"));
    g_assert_true(erdiag_rib_route_path_has_as(rt, 4200000499u));
    g_string_free(set, TRUE);
    /* a short path is shown whole */
    g_assert_true(announce(r, "10.1.0.0/16", "192.168.10.1", "65010 {65001,65003} (65500 4200000001)", 6));
    rt = lookup(r, "10.1.0.0/16");
    g_assert_cmpstr(rt->as_path, ==, "65010 {65001,65003} (65500 4200000001)");
    g_assert_true(erdiag_rib_route_path_has_as(rt, 65003));
    g_assert_true(erdiag_rib_route_path_has_as(rt, 4200000001u));
    g_assert_true(erdiag_rib_route_path_has_as(rt, 65500));
    g_assert_false(erdiag_rib_route_path_has_as(rt, 420000000));
    g_assert_false(erdiag_rib_route_path_has_as(rt, 0));
    erdiag_rib_free(r);
    g_free(path);
}

/* Echoes: only routes from the Microsoft side holding the link's on-prem
 * AS; the covering lookup passes over them when asked. */
static void test_echo(void)
{
    erdiag_link l;
    memset(&l, 0, sizeof l);
    l.bgp.asn[ERDIAG_CUST] = 65010;
    l.bgp.asn[ERDIAG_MSFT] = 12076;
    l.rib[ERDIAG_CUST] = erdiag_rib_new();
    l.rib[ERDIAG_MSFT] = erdiag_rib_new();
    announce(l.rib[ERDIAG_CUST], "172.16.0.0/16", "192.168.10.1", "65010", 1);
    announce(l.rib[ERDIAG_MSFT], "172.16.0.0/16", "192.168.10.2", "12076 65010", 2);
    announce(l.rib[ERDIAG_MSFT], "172.0.0.0/8", "192.168.10.2", "12076", 3);
    announce(l.rib[ERDIAG_MSFT], "10.1.0.0/16", "192.168.10.2", "12076 65515", 4);
    g_assert_false(erdiag_route_is_echo(&l, ERDIAG_CUST, lookup(l.rib[ERDIAG_CUST], "172.16.0.0/16")));
    g_assert_true(erdiag_route_is_echo(&l, ERDIAG_MSFT, lookup(l.rib[ERDIAG_MSFT], "172.16.0.0/16")));
    g_assert_false(erdiag_route_is_echo(&l, ERDIAG_MSFT, lookup(l.rib[ERDIAG_MSFT], "10.1.0.0/16")));
    erdiag_addr a = A("172.16.5.5");
    char buf[ERDIAG_PREFIX_STRLEN];
    g_assert_cmpstr(erdiag_prefix_to_string(&erdiag_rib_covering_addr(l.rib[ERDIAG_MSFT], &a)->prefix, buf), ==,
                    "172.16.0.0/16");
    g_assert_cmpstr(erdiag_prefix_to_string(&erdiag_rib_covering_addr_except(l.rib[ERDIAG_MSFT], &a, 65010)->prefix,
                                            buf), ==, "172.0.0.0/8");
    /* no OPEN seen (a session older than the capture): the on-prem AS is
     * the first of on-prem's paths */
    l.bgp.asn[ERDIAG_CUST] = 0;
    g_assert_cmpuint(erdiag_rib_first_as(l.rib[ERDIAG_CUST]), ==, 65010);
    g_assert_true(erdiag_route_is_echo(&l, ERDIAG_MSFT, lookup(l.rib[ERDIAG_MSFT], "172.16.0.0/16")));
    /* and nothing from on-prem yet: nothing is an echo */
    erdiag_rib_free(l.rib[ERDIAG_CUST]);
    l.rib[ERDIAG_CUST] = erdiag_rib_new();
    g_assert_cmpuint(erdiag_rib_first_as(l.rib[ERDIAG_CUST]), ==, 0);
    g_assert_false(erdiag_route_is_echo(&l, ERDIAG_MSFT, lookup(l.rib[ERDIAG_MSFT], "172.16.0.0/16")));
    announce(l.rib[ERDIAG_CUST], "172.17.0.0/16", "192.168.10.1", "{65010,65011}", 5);
    g_assert_cmpuint(erdiag_rib_first_as(l.rib[ERDIAG_CUST]), ==, 0);
    erdiag_rib_free(l.rib[ERDIAG_CUST]);
    erdiag_rib_free(l.rib[ERDIAG_MSFT]);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rib/announce", test_announce);
    g_test_add_func("/rib/implicit-withdraw", test_implicit_withdraw);
    g_test_add_func("/rib/withdraw-readvertise", test_withdraw_readvertise);
    g_test_add_func("/rib/session-down", test_session_down);
    g_test_add_func("/rib/ipv6-and-path-ids", test_ipv6_and_path_ids);
    g_test_add_func("/rib/covering", test_covering);
    g_test_add_func("/rib/10k", test_10k);
    g_test_add_func("/rib/full", test_full);
    g_test_add_func("/rib/shared-attributes", test_shared_attributes);
    g_test_add_func("/rib/store-budget", test_store_budget);
    g_test_add_func("/rib/long-path", test_long_path);
    g_test_add_func("/rib/echo", test_echo);
    return g_test_run();
}
