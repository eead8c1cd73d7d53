/* The prefix trie: exact, longest-match, covering/covered walks, removal,
 * and a large random workload checked against a brute-force list. */
#include <string.h>
#include <glib.h>

#include "erdiag/addr.h"
#include "prefix_index.h"

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

/* Collects visited prefixes as "p=value" strings joined by spaces. */
static gboolean collect(const erdiag_prefix *p, gpointer value, gpointer user)
{
    GString *s = user;
    char buf[ERDIAG_PREFIX_STRLEN];
    if (s->len > 0)
        g_string_append_c(s, ' ');
    g_string_append(s, erdiag_prefix_to_string(p, buf));
    if (value != NULL)
        g_string_append_printf(s, "=%s", (const char *)value);
    return TRUE;
}

static char *covering(erdiag_prefix_index *idx, const char *p)
{
    GString *s = g_string_new(NULL);
    erdiag_prefix q = P(p);
    erdiag_prefix_index_foreach_covering(idx, &q, collect, s);
    return g_string_free(s, FALSE);
}

static char *covered(erdiag_prefix_index *idx, const char *p)
{
    GString *s = g_string_new(NULL);
    erdiag_prefix q = P(p);
    erdiag_prefix_index_foreach_covered(idx, &q, collect, s);
    return g_string_free(s, FALSE);
}

static char *all(erdiag_prefix_index *idx)
{
    GString *s = g_string_new(NULL);
    erdiag_prefix_index_foreach(idx, collect, s);
    return g_string_free(s, FALSE);
}

static char *longest(erdiag_prefix_index *idx, const char *addr)
{
    erdiag_addr a = A(addr);
    erdiag_prefix out;
    gpointer v = NULL;
    char buf[ERDIAG_PREFIX_STRLEN];
    if (!erdiag_prefix_index_longest_match(idx, &a, &out, &v))
        return g_strdup("none");
    return g_strdup_printf("%s=%s", erdiag_prefix_to_string(&out, buf), (const char *)v);
}

#define ASSERT_STR_FREE(expr, want)              \
    do {                                         \
        char *got_ = (expr);                     \
        g_assert_cmpstr(got_, ==, (want));       \
        g_free(got_);                            \
    } while (0)

static void add(erdiag_prefix_index *idx, const char *p, const char *v)
{
    erdiag_prefix q = P(p);
    g_assert_true(erdiag_prefix_index_insert(idx, &q, (gpointer)v));
}

static void test_covering_and_longest(void)
{
    erdiag_prefix_index *idx = erdiag_prefix_index_new(NULL);
    add(idx, "10.1.2.0/24", "c");
    add(idx, "10.0.0.0/8", "a");
    add(idx, "10.1.2.3/32", "d");
    add(idx, "10.1.0.0/16", "b");
    add(idx, "0.0.0.0/0", "default");
    add(idx, "11.0.0.0/8", "e");
    add(idx, "10.128.0.0/9", "f");
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, 7);

    ASSERT_STR_FREE(covering(idx, "10.1.2.0/25"), "0.0.0.0/0=default 10.0.0.0/8=a 10.1.0.0/16=b 10.1.2.0/24=c");
    ASSERT_STR_FREE(covering(idx, "10.1.2.3/32"), "0.0.0.0/0=default 10.0.0.0/8=a 10.1.0.0/16=b 10.1.2.0/24=c 10.1.2.3/32=d");
    ASSERT_STR_FREE(covering(idx, "10.0.0.0/8"), "0.0.0.0/0=default 10.0.0.0/8=a");
    ASSERT_STR_FREE(covering(idx, "12.0.0.0/8"), "0.0.0.0/0=default");
    ASSERT_STR_FREE(covering(idx, "::/0"), "");

    ASSERT_STR_FREE(covered(idx, "10.0.0.0/8"), "10.0.0.0/8=a 10.1.0.0/16=b 10.1.2.0/24=c 10.1.2.3/32=d 10.128.0.0/9=f");
    ASSERT_STR_FREE(covered(idx, "10.1.0.0/17"), "10.1.2.0/24=c 10.1.2.3/32=d");
    ASSERT_STR_FREE(covered(idx, "10.1.128.0/17"), "");
    ASSERT_STR_FREE(covered(idx, "10.1.2.3/32"), "10.1.2.3/32=d");
    ASSERT_STR_FREE(covered(idx, "8.0.0.0/6"), "10.0.0.0/8=a 10.1.0.0/16=b 10.1.2.0/24=c 10.1.2.3/32=d 10.128.0.0/9=f 11.0.0.0/8=e");
    ASSERT_STR_FREE(covered(idx, "10.0.0.0/7"), "10.0.0.0/8=a 10.1.0.0/16=b 10.1.2.0/24=c 10.1.2.3/32=d 10.128.0.0/9=f 11.0.0.0/8=e");
    ASSERT_STR_FREE(covered(idx, "11.0.0.0/8"), "11.0.0.0/8=e");
    ASSERT_STR_FREE(covered(idx, "0.0.0.0/0"),
                    "0.0.0.0/0=default 10.0.0.0/8=a 10.1.0.0/16=b 10.1.2.0/24=c 10.1.2.3/32=d 10.128.0.0/9=f 11.0.0.0/8=e");

    ASSERT_STR_FREE(longest(idx, "10.1.2.3"), "10.1.2.3/32=d");
    ASSERT_STR_FREE(longest(idx, "10.1.2.4"), "10.1.2.0/24=c");
    ASSERT_STR_FREE(longest(idx, "10.1.3.4"), "10.1.0.0/16=b");
    ASSERT_STR_FREE(longest(idx, "10.200.0.1"), "10.128.0.0/9=f");
    ASSERT_STR_FREE(longest(idx, "10.2.0.1"), "10.0.0.0/8=a");
    ASSERT_STR_FREE(longest(idx, "192.0.2.1"), "0.0.0.0/0=default");
    ASSERT_STR_FREE(longest(idx, "2001:db8::1"), "none");

    erdiag_prefix q = P("10.1.0.0/16");
    g_assert_cmpstr(erdiag_prefix_index_lookup(idx, &q), ==, "b");
    q = P("10.0.0.0/15");
    g_assert_null(erdiag_prefix_index_lookup(idx, &q));
    g_assert_false(erdiag_prefix_index_contains(idx, &q));
    q = P("10.1.2.0/23"); /* between two stored prefixes, itself not stored */
    g_assert_null(erdiag_prefix_index_lookup(idx, &q));
    erdiag_prefix_index_free(idx);
}

static void test_mixed_families_and_extremes(void)
{
    erdiag_prefix_index *idx = erdiag_prefix_index_new(NULL);
    add(idx, "::/0", "v6default");
    add(idx, "2001:db8::/32", "doc");
    add(idx, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "v6top");
    add(idx, "::/128", "v6zero");
    add(idx, "2001:db8:c::1/128", "v6host");
    add(idx, "255.255.255.255/32", "v4top");
    add(idx, "0.0.0.0/32", "v4zero");
    add(idx, "0.0.0.0/0", "v4default");
    add(idx, "192.168.10.0/30", "peering");
    /* An IPv6 prefix with the same low bytes as an IPv4 one stays separate. */
    add(idx, "::1:c0a8:a00/126", "mapped");
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, 10);

    ASSERT_STR_FREE(all(idx),
                    "0.0.0.0/0=v4default 0.0.0.0/32=v4zero 192.168.10.0/30=peering 255.255.255.255/32=v4top "
                    "::/0=v6default ::/128=v6zero ::1:c0a8:a00/126=mapped 2001:db8::/32=doc 2001:db8:c::1/128=v6host "
                    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128=v6top");

    ASSERT_STR_FREE(longest(idx, "255.255.255.255"), "255.255.255.255/32=v4top");
    ASSERT_STR_FREE(longest(idx, "255.255.255.254"), "0.0.0.0/0=v4default");
    ASSERT_STR_FREE(longest(idx, "0.0.0.0"), "0.0.0.0/32=v4zero");
    ASSERT_STR_FREE(longest(idx, "192.168.10.2"), "192.168.10.0/30=peering");
    ASSERT_STR_FREE(longest(idx, "::1:c0a8:a02"), "::1:c0a8:a00/126=mapped");
    ASSERT_STR_FREE(longest(idx, "::"), "::/128=v6zero");
    ASSERT_STR_FREE(longest(idx, "2001:db8:c::1"), "2001:db8:c::1/128=v6host");
    ASSERT_STR_FREE(longest(idx, "2001:db8:c::2"), "2001:db8::/32=doc");
    ASSERT_STR_FREE(longest(idx, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128=v6top");
    ASSERT_STR_FREE(longest(idx, "fe80::1"), "::/0=v6default");

    ASSERT_STR_FREE(covering(idx, "2001:db8:c::/48"), "::/0=v6default 2001:db8::/32=doc");
    ASSERT_STR_FREE(covered(idx, "2001:db8::/32"), "2001:db8::/32=doc 2001:db8:c::1/128=v6host");
    ASSERT_STR_FREE(covered(idx, "::/0"),
                    "::/0=v6default ::/128=v6zero ::1:c0a8:a00/126=mapped 2001:db8::/32=doc 2001:db8:c::1/128=v6host "
                    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128=v6top");
    erdiag_prefix_index_free(idx);
}

static gboolean stop_after_two(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)p;
    (void)value;
    guint *n = user;
    return ++*n < 2;
}

static guint freed;
static void count_free(gpointer v)
{
    (void)v;
    freed++;
}

static void test_ownership_and_invalid(void)
{
    freed = 0;
    erdiag_prefix_index *idx = erdiag_prefix_index_new(count_free);
    erdiag_prefix p = P("10.0.0.0/8");
    static int v1, v2, v3;
    g_assert_true(erdiag_prefix_index_insert(idx, &p, &v1));
    /* Replacing frees the old value and reports "not new". */
    g_assert_false(erdiag_prefix_index_insert(idx, &p, &v2));
    g_assert_cmpuint(freed, ==, 1);
    g_assert_true(erdiag_prefix_index_lookup(idx, &p) == &v2);
    /* Re-inserting the same pointer does not free it. */
    g_assert_false(erdiag_prefix_index_insert(idx, &p, &v2));
    g_assert_cmpuint(freed, ==, 1);
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, 1);

    /* Host bits are ignored. */
    erdiag_prefix sloppy = p;
    sloppy.addr.bytes[3] = 7;
    g_assert_true(erdiag_prefix_index_lookup(idx, &sloppy) == &v2);

    /* Rejected prefixes: the value is released, nothing stored. */
    erdiag_prefix bad;
    memset(&bad, 0, sizeof bad);
    g_assert_false(erdiag_prefix_index_insert(idx, &bad, &v3));
    g_assert_cmpuint(freed, ==, 2);
    bad = P("10.0.0.0/8");
    bad.len = 33;
    g_assert_false(erdiag_prefix_index_insert(idx, &bad, &v3));
    g_assert_cmpuint(freed, ==, 3);
    g_assert_false(erdiag_prefix_index_remove(idx, &bad));
    g_assert_null(erdiag_prefix_index_lookup(idx, &bad));
    erdiag_addr none;
    memset(&none, 0, sizeof none);
    g_assert_false(erdiag_prefix_index_longest_match(idx, &none, NULL, NULL));
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, 1);

    /* A stored NULL is still stored. */
    erdiag_prefix q = P("10.1.0.0/16");
    g_assert_true(erdiag_prefix_index_insert(idx, &q, NULL));
    g_assert_true(erdiag_prefix_index_contains(idx, &q));
    erdiag_addr a = A("10.1.1.1");
    gpointer v = &v1;
    g_assert_true(erdiag_prefix_index_longest_match(idx, &a, NULL, &v));
    g_assert_null(v);

    /* Early stop. */
    erdiag_prefix r = P("10.2.0.0/16");
    g_assert_true(erdiag_prefix_index_insert(idx, &r, &v3));
    guint n = 0;
    erdiag_prefix_index_foreach(idx, stop_after_two, &n);
    g_assert_cmpuint(n, ==, 2);
    n = 0;
    erdiag_prefix all4 = P("0.0.0.0/0");
    erdiag_prefix_index_foreach_covered(idx, &all4, stop_after_two, &n);
    g_assert_cmpuint(n, ==, 2);

    g_assert_true(erdiag_prefix_index_remove(idx, &p));
    g_assert_cmpuint(freed, ==, 4);
    g_assert_false(erdiag_prefix_index_remove(idx, &p));
    erdiag_prefix_index_free(idx); /* frees &v3 (the NULL is not passed) */
    g_assert_cmpuint(freed, ==, 5);
}

static void test_removal_merges(void)
{
    erdiag_prefix_index *idx = erdiag_prefix_index_new(NULL);
    add(idx, "10.0.0.0/24", "a");
    add(idx, "10.0.1.0/24", "b");
    /* Two siblings need a fork node (10.0.0.0/23) above them. */
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 3);
    ASSERT_STR_FREE(longest(idx, "10.0.1.9"), "10.0.1.0/24=b");

    /* Storing at the fork turns it into a real entry; removing it again
     * keeps the fork because both children remain. */
    add(idx, "10.0.0.0/23", "fork");
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 3);
    erdiag_prefix f = P("10.0.0.0/23");
    g_assert_true(erdiag_prefix_index_remove(idx, &f));
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 3);
    ASSERT_STR_FREE(all(idx), "10.0.0.0/24=a 10.0.1.0/24=b");
    ASSERT_STR_FREE(longest(idx, "10.0.0.9"), "10.0.0.0/24=a");

    /* Removing one sibling merges the fork away. */
    erdiag_prefix a = P("10.0.0.0/24");
    g_assert_true(erdiag_prefix_index_remove(idx, &a));
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 1);
    ASSERT_STR_FREE(all(idx), "10.0.1.0/24=b");
    ASSERT_STR_FREE(longest(idx, "10.0.0.9"), "none");
    ASSERT_STR_FREE(longest(idx, "10.0.1.9"), "10.0.1.0/24=b");

    /* A chain: removing the middle lifts the child. */
    add(idx, "10.0.0.0/8", "top");
    add(idx, "10.0.1.128/25", "low");
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 3);
    erdiag_prefix b = P("10.0.1.0/24");
    g_assert_true(erdiag_prefix_index_remove(idx, &b));
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 2);
    ASSERT_STR_FREE(covering(idx, "10.0.1.200/32"), "10.0.0.0/8=top 10.0.1.128/25=low");
    ASSERT_STR_FREE(longest(idx, "10.0.1.1"), "10.0.0.0/8=top");

    erdiag_prefix t = P("10.0.0.0/8"), l = P("10.0.1.128/25");
    g_assert_true(erdiag_prefix_index_remove(idx, &t));
    g_assert_true(erdiag_prefix_index_remove(idx, &l));
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, 0);
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 0);
    ASSERT_STR_FREE(all(idx), "");
    /* Usable again after emptying. */
    add(idx, "::/0", "v6");
    ASSERT_STR_FREE(longest(idx, "::1"), "::/0=v6");
    erdiag_prefix_index_free(idx);
}

/* ---- Random workload against a brute-force list ---- */

typedef struct {
    erdiag_prefix p;
    guint value;
    gboolean live;
} bf_entry;

/* Prefixes drawn from a few clustered regions so that nesting and shared
 * paths are common. */
static erdiag_prefix random_prefix(GRand *rng)
{
    erdiag_addr a;
    memset(&a, 0, sizeof a);
    gboolean v6 = g_rand_int_range(rng, 0, 4) == 0;
    a.family = v6 ? 6 : 4;
    guint nb = v6 ? 16 : 4;
    for (guint i = 0; i < nb; i++)
        a.bytes[i] = (guint8)g_rand_int(rng);
    /* Cluster: fix the top byte(s) to a small set. */
    a.bytes[0] = (guint8)(v6 ? 0x20 : 10 + g_rand_int_range(rng, 0, 3));
    if (v6)
        a.bytes[1] = (guint8)g_rand_int_range(rng, 0, 2);
    guint bits = v6 ? 128 : 32;
    guint len;
    switch (g_rand_int_range(rng, 0, 10)) {
    case 0: len = g_rand_int_range(rng, 0, 9); break;             /* short, incl. /0 */
    case 1: len = bits; break;                                    /* host route */
    default: len = g_rand_int_range(rng, 8, (gint32)bits + 1); break;
    }
    return erdiag_prefix_make(&a, len);
}

typedef struct {
    GArray *got; /* erdiag_prefix */
} gather_state;

static gboolean gather(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)value;
    gather_state *st = user;
    g_array_append_val(st->got, *p);
    return TRUE;
}

static gint cmp_prefix(gconstpointer a, gconstpointer b)
{
    return erdiag_prefix_compare(a, b);
}

static gint cmp_entry(gconstpointer a, gconstpointer b)
{
    return erdiag_prefix_compare(&((const bf_entry *)a)->p, &((const bf_entry *)b)->p);
}

/* Brute-force answers: filter the live list by a predicate. */
static GArray *bf_select(GArray *list, const erdiag_prefix *q, int mode)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
    for (guint i = 0; i < list->len; i++) {
        bf_entry *e = &g_array_index(list, bf_entry, i);
        if (!e->live)
            continue;
        gboolean take = mode == 0 ? erdiag_prefix_covers(&e->p, q) : erdiag_prefix_covers(q, &e->p);
        if (take)
            g_array_append_val(out, e->p);
    }
    return out;
}

static void assert_same_prefixes(GArray *want, GArray *got)
{
    g_assert_cmpuint(want->len, ==, got->len);
    for (guint i = 0; i < want->len; i++)
        g_assert_true(erdiag_prefix_equal(&g_array_index(want, erdiag_prefix, i), &g_array_index(got, erdiag_prefix, i)));
}

static void check_against(erdiag_prefix_index *idx, GArray *list, GHashTable *where, GRand *rng, guint queries)
{
    guint live = 0;
    for (guint i = 0; i < list->len; i++)
        live += g_array_index(list, bf_entry, i).live;
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, live);

    /* Full walk: ascending and complete (list is sorted). */
    gather_state st = {g_array_new(FALSE, FALSE, sizeof(erdiag_prefix))};
    erdiag_prefix_index_foreach(idx, gather, &st);
    GArray *want = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
    for (guint i = 0; i < list->len; i++) {
        bf_entry *e = &g_array_index(list, bf_entry, i);
        if (e->live)
            g_array_append_val(want, e->p);
    }
    assert_same_prefixes(want, st.got);
    g_array_free(want, TRUE);
    g_array_free(st.got, TRUE);

    /* Exact lookups for every entry, live or removed. */
    for (guint i = 0; i < list->len; i++) {
        bf_entry *e = &g_array_index(list, bf_entry, i);
        gpointer v = erdiag_prefix_index_lookup(idx, &e->p);
        if (e->live)
            g_assert_cmpuint(GPOINTER_TO_UINT(v), ==, e->value);
        else
            g_assert_false(erdiag_prefix_index_contains(idx, &e->p));
    }

    /* Longest match: compare with a probe of every length from the longest
     * down, answered by the hash table rather than the trie. */
    for (guint qn = 0; qn < queries * 20; qn++) {
        erdiag_prefix r = random_prefix(rng);
        erdiag_addr a = r.addr;
        for (guint i = 0; i < 4; i++) /* scatter the host part a little */
            a.bytes[(r.addr.family == 4 ? 3 : 15) - i] ^= (guint8)g_rand_int(rng);
        erdiag_prefix out;
        gpointer v = NULL;
        gboolean found = erdiag_prefix_index_longest_match(idx, &a, &out, &v);
        gboolean want_found = FALSE;
        for (gint len = (gint)erdiag_addr_bits(&a); len >= 0 && !want_found; len--) {
            erdiag_prefix probe = erdiag_prefix_make(&a, (guint)len);
            bf_entry *e = g_hash_table_lookup(where, &probe);
            if (e != NULL && e->live) {
                want_found = TRUE;
                g_assert_true(found);
                g_assert_true(erdiag_prefix_equal(&out, &e->p));
                g_assert_cmpuint(GPOINTER_TO_UINT(v), ==, e->value);
            }
        }
        if (!want_found)
            g_assert_false(found);
    }

    /* Covering / covered: compare with a linear scan. */
    for (guint qn = 0; qn < queries; qn++) {
        erdiag_prefix q;
        if (qn % 2 == 0 && list->len > 0)
            q = g_array_index(list, bf_entry, g_rand_int_range(rng, 0, (gint32)list->len)).p;
        else
            q = random_prefix(rng);
        for (int mode = 0; mode < 2; mode++) {
            GArray *bf = bf_select(list, &q, mode);
            gather_state gs = {g_array_new(FALSE, FALSE, sizeof(erdiag_prefix))};
            if (mode == 0)
                erdiag_prefix_index_foreach_covering(idx, &q, gather, &gs);
            else
                erdiag_prefix_index_foreach_covered(idx, &q, gather, &gs);
            /* covering comes shortest first, which for nested prefixes is
             * also ascending order; sort both anyway to compare as sets. */
            g_array_sort(gs.got, cmp_prefix);
            assert_same_prefixes(bf, gs.got);
            g_array_free(bf, TRUE);
            g_array_free(gs.got, TRUE);
        }
    }
}

static void test_random_100k(void)
{
    const guint n = g_test_thorough() ? 300000 : 100000;
    GRand *rng = g_rand_new_with_seed(20240611);
    erdiag_prefix_index *idx = erdiag_prefix_index_new(NULL);
    GArray *list = g_array_new(FALSE, FALSE, sizeof(bf_entry));

    /* Insert, tracking the distinct set; duplicates must report "not new". */
    GHashTable *seen = g_hash_table_new((GHashFunc)erdiag_prefix_hash, (GEqualFunc)erdiag_prefix_equal);
    GArray *raw = g_array_new(FALSE, FALSE, sizeof(bf_entry));
    for (guint i = 0; i < n; i++) {
        bf_entry e = {random_prefix(rng), i + 1, TRUE};
        g_array_append_val(raw, e);
    }
    for (guint i = 0; i < raw->len; i++) {
        bf_entry *e = &g_array_index(raw, bf_entry, i);
        gboolean is_new = !g_hash_table_contains(seen, &e->p);
        if (is_new)
            g_hash_table_add(seen, &e->p);
        g_assert_cmpint(erdiag_prefix_index_insert(idx, &e->p, GUINT_TO_POINTER(e->value)), ==, is_new);
    }
    /* The surviving value of a prefix is the last one inserted. */
    GHashTable *last = g_hash_table_new((GHashFunc)erdiag_prefix_hash, (GEqualFunc)erdiag_prefix_equal);
    for (guint i = 0; i < raw->len; i++) {
        bf_entry *e = &g_array_index(raw, bf_entry, i);
        g_hash_table_insert(last, &e->p, e);
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, last);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_array_append_val(list, *(bf_entry *)v);
    g_array_sort(list, cmp_entry);
    g_hash_table_destroy(last);
    g_hash_table_destroy(seen);
    g_array_free(raw, TRUE);
    g_assert_cmpuint(list->len, >, n / 2);

    GHashTable *where = g_hash_table_new((GHashFunc)erdiag_prefix_hash, (GEqualFunc)erdiag_prefix_equal);
    for (guint i = 0; i < list->len; i++)
        g_hash_table_insert(where, &g_array_index(list, bf_entry, i).p, &g_array_index(list, bf_entry, i));

    check_against(idx, list, where, rng, 150);

    /* Remove about half, in random order, with some misses; re-check. */
    for (guint i = 0; i < list->len; i++) {
        bf_entry *e = &g_array_index(list, bf_entry, i);
        if (g_rand_boolean(rng)) {
            g_assert_true(erdiag_prefix_index_remove(idx, &e->p));
            e->live = FALSE;
            g_assert_false(erdiag_prefix_index_remove(idx, &e->p));
        }
    }
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), <, 2 * erdiag_prefix_index_size(idx));
    check_against(idx, list, where, rng, 150);

    /* Remove the rest: nothing, not even a fork node, may remain. */
    for (guint i = 0; i < list->len; i++) {
        bf_entry *e = &g_array_index(list, bf_entry, i);
        if (e->live) {
            g_assert_true(erdiag_prefix_index_remove(idx, &e->p));
            e->live = FALSE;
        }
    }
    g_assert_cmpuint(erdiag_prefix_index_size(idx), ==, 0);
    g_assert_cmpuint(erdiag_prefix_index_node_count(idx), ==, 0);

    g_hash_table_destroy(where);
    g_array_free(list, TRUE);
    erdiag_prefix_index_free(idx);
    g_rand_free(rng);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/prefix-index/covering-longest", test_covering_and_longest);
    g_test_add_func("/prefix-index/mixed-families-extremes", test_mixed_families_and_extremes);
    g_test_add_func("/prefix-index/ownership-invalid", test_ownership_and_invalid);
    g_test_add_func("/prefix-index/removal-merges", test_removal_merges);
    g_test_add_func("/prefix-index/random-100k", test_random_100k);
    return g_test_run();
}
