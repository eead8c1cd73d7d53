/* Hostile BGP over TCP: length fields that lie, 65,535-byte extended
 * messages, an AS_PATH of thousands of segments, 100,000 prefixes, endless
 * retransmissions, a stream that never completes a message, and one of pure
 * garbage. Each case runs in its own process within a CPU and memory budget
 * (tests/adversarial/adversarial.h) and must say in the report what it
 * could not read. */
#include "adversarial/adversarial.h"
#include "rib.h"

/* ORIGIN IGP, AS_PATH (one AS_SEQUENCE of 4-byte ASNs), NEXT_HOP. */
static GByteArray *attrs_new(const guint32 *path, guint n)
{
    GByteArray *a = g_byte_array_new();
    static const guint8 igp = 0;
    put_attr(a, 0x40, 1, &igp, 1);
    GByteArray *seg = g_byte_array_new();
    put8(seg, 2);
    put8(seg, n);
    for (guint i = 0; i < n; i++)
        put32(seg, path[i]);
    put_attr(a, 0x40, 2, seg->data, seg->len);
    g_byte_array_free(seg, TRUE);
    static const guint8 nh[4] = { 192, 168, 15, 17 };
    put_attr(a, 0x40, 3, nh, 4);
    return a;
}

static GByteArray *update_with(const GByteArray *attrs, const GByteArray *nlri)
{
    return update_new(NULL, attrs, nlri);
}

static GByteArray *one_prefix_update(guint8 a, guint8 b, guint len)
{
    static const guint32 path[] = { 65010 };
    GByteArray *attrs = attrs_new(path, 1);
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, a, b, 0, 0, len);
    GByteArray *m = update_with(attrs, nlri);
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    return m;
}

/* ---- length fields that lie ---------------------------------------------- */

static void case_lying_lengths(void)
{
    adv_session *s = adv_session_new(FALSE);

    /* withdrawn routes length 2000 in a 27-byte UPDATE */
    GByteArray *m = msg_new(ERDIAG_BGP_UPDATE);
    put16(m, 2000);
    put16(m, 0);
    put32(m, 0);
    msg_done(m);
    adv_send_msg(s, ADV_CUST, m);

    /* ORIGIN claiming 200 bytes inside a 4-byte attribute block */
    m = msg_new(ERDIAG_BGP_UPDATE);
    put16(m, 0);
    put16(m, 4);
    put8(m, 0x40);
    put8(m, 1);
    put8(m, 200);
    put8(m, 0);
    msg_done(m);
    adv_send_msg(s, ADV_CUST, m);

    /* a header length of 10, below the header's own 19 bytes: the stream
     * cannot know where the next message starts and must resynchronise */
    m = msg_new(ERDIAG_BGP_KEEPALIVE);
    set16(m, 16, 10);
    adv_send_msg(s, ADV_CUST, m);

    /* after all that, a good UPDATE still gets through */
    adv_send_msg(s, ADV_CUST, one_prefix_update(172, 16, 16));
    adv_send_msg(s, ADV_MSFT, adv_keepalive());

    adv_report *r = adv_run_capture(s->cap, TRUE);
    g_assert_true(adv_reported(r, "withdrawn routes length 2000 exceeds"));
    g_assert_true(adv_reported(r, "ORIGIN (type 1) length 200 exceeds"));
    /* an UPDATE whose routes cannot be located is RFC 7606's session reset */
    g_assert_nonnull(adv_find_finding(r, "bgp.update-error", "session reset"));
    g_assert_nonnull(adv_find_note(r, "invalid BGP header", NULL));
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", NULL), ==, 1);
    adv_report_free(r);
    adv_session_free(s);
}

/* ---- 65,535-byte extended messages --------------------------------------- */

/* An UPDATE of exactly 65,535 bytes: /24s, then one /16 to make up the size. */
static GByteArray *max_size_update(guint *n_prefixes)
{
    static const guint32 path[] = { 65010 };
    GByteArray *attrs = attrs_new(path, 1);
    gsize fixed = ERDIAG_BGP_HEADER_LEN + 2 + 2 + attrs->len;
    gsize room = ERDIAG_BGP_MAX_EXT_LEN - fixed;
    /* 4 k + 3 j = room: j /16s (3 bytes each) fix the remainder mod 4 */
    gsize j = (3 * room) % 4, k = (room - 3 * j) / 4;
    GByteArray *nlri = g_byte_array_new();
    guint n = 0;
    for (gsize i = 0; i < k; i++, n++)
        put_prefix4(nlri, 20, (guint8)(n >> 8), (guint8)n, 0, 24);
    for (gsize i = 0; i < j; i++, n++)
        put_prefix4(nlri, 30, (guint8)i, 0, 0, 16);
    GByteArray *m = update_with(attrs, nlri);
    g_assert_cmpuint(m->len, ==, ERDIAG_BGP_MAX_EXT_LEN);
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    *n_prefixes = n;
    return m;
}

static void case_extended_message(void)
{
    adv_session *s = adv_session_new(TRUE);
    guint n;
    adv_send_msg(s, ADV_CUST, max_size_update(&n));
    adv_send_msg(s, ADV_CUST, one_prefix_update(172, 16, 16));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    /* negotiated: every prefix of it is read, and the stream goes on */
    g_assert_null(adv_find_finding(r, "bgp.decode-error", NULL));
    g_assert_cmpuint(adv_onprem_routes(r, NULL, NULL), ==, n + 1);
    /* far beyond Standard's 4,000 */
    g_assert_nonnull(adv_find_finding(r, "routes.prefix-limit", NULL));
    adv_report_free(r);
    adv_session_free(s);
}

static void case_extended_message_not_negotiated(void)
{
    adv_session *s = adv_session_new(FALSE);
    guint n;
    adv_send_msg(s, ADV_CUST, max_size_update(&n));
    adv_send_msg(s, ADV_CUST, one_prefix_update(172, 16, 16));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    /* Without RFC 8654 on both OPENs a 65,535-byte length is not a BGP
     * message: said so, and the UPDATE after it is still found. */
    g_assert_true(adv_reported(r, "65535"));
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", NULL), ==, 1);
    g_assert_cmpuint(adv_onprem_routes(r, NULL, NULL), <, n);
    adv_report_free(r);
    adv_session_free(s);
}

/* ---- AS_PATH with thousands of segments ---------------------------------- */

/* ORIGIN, an AS_PATH of `segments` one-ASN AS_SEQUENCE segments (extended
 * length), NEXT_HOP; `overrun` makes the last segment claim more ASNs than
 * the attribute holds. */
static GByteArray *long_path_update(guint segments, gboolean overrun, guint8 second_octet)
{
    GByteArray *a = g_byte_array_new();
    static const guint8 igp = 0;
    put_attr(a, 0x40, 1, &igp, 1);
    GByteArray *path = g_byte_array_new();
    for (guint i = 0; i < segments; i++) {
        put8(path, 2);
        put8(path, (overrun && i == segments - 1) ? 3 : 1);
        put32(path, 64512 + i % 1000);
    }
    put_attr(a, 0x50, 2, path->data, path->len);
    g_byte_array_free(path, TRUE);
    static const guint8 nh[4] = { 192, 168, 15, 17 };
    put_attr(a, 0x40, 3, nh, 4);
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, 172, second_octet, 0, 0, 16);
    GByteArray *m = update_with(a, nlri);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(nlri, TRUE);
    return m;
}

static void case_as_path_thousands(void)
{
    adv_session *s = adv_session_new(TRUE);
    adv_send_msg(s, ADV_CUST, long_path_update(10000, FALSE, 16));
    adv_send_msg(s, ADV_CUST, long_path_update(9000, TRUE, 17));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    JsonObject *route = NULL;
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", &route), ==, 1);
    /* the whole path is kept: 10,000 ASNs */
    const char *path = json_object_get_string_member(route, "path");
    g_assert_nonnull(path);
    g_auto(GStrv) asns = g_strsplit(path, " ", -1);
    g_assert_cmpuint(g_strv_length(asns), >=, 10000);
    /* the second one overruns its attribute: said, not guessed at, and
     * its route treated as withdrawn (RFC 7606 7.2) */
    g_assert_nonnull(adv_find_finding(r, "bgp.update-error", "AS_PATH"));
    g_assert_cmpuint(adv_onprem_routes(r, "172.17.0.0/16", NULL), ==, 0);
    adv_report_free(r);
    adv_session_free(s);
}

/* ---- 100,000 prefixes across a stream ------------------------------------ */

static void case_many_prefixes(void)
{
    adv_session *s = adv_session_new(FALSE);
    static const guint32 path[] = { 65010, 65010 };
    GByteArray *attrs = attrs_new(path, 2);
    guint total = 0;
    for (guint u = 0; u < 100; u++) {
        GByteArray *nlri = g_byte_array_new();
        for (guint i = 0; i < 1000; i++, total++)
            put_prefix4(nlri, (guint8)(40 + total / 65536), (guint8)(total / 256), (guint8)total, 0, 24);
        adv_send_msg(s, ADV_CUST, update_with(attrs, nlri));
        g_byte_array_free(nlri, TRUE);
    }
    g_byte_array_free(attrs, TRUE);
    g_assert_cmpuint(total, ==, 100000);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    g_assert_null(adv_find_finding(r, "bgp.decode-error", NULL));
    /* the table keeps its first ERDIAG_RIB_MAX_RECORDS routes, says so, and
     * the prefix limit is reported from what it holds */
    g_assert_cmpuint(adv_onprem_routes(r, NULL, NULL), ==, ERDIAG_RIB_MAX_RECORDS);
    g_assert_nonnull(adv_find_finding(r, "routes.prefix-limit", "50000"));
    g_assert_nonnull(adv_find_note(r, "primary: the on-prem side announced more than 50000 distinct routes",
                                   "50000 announcements of further new routes were counted but not kept", NULL));
    adv_report_free(r);
    adv_session_free(s);
}

/* ---- endless retransmissions --------------------------------------------- */

static void case_endless_retransmissions(void)
{
    adv_session *s = adv_session_new(FALSE);
    GByteArray *m = one_prefix_update(172, 16, 16);
    guint32 seq = s->next[ADV_CUST];
    adv_send(s, ADV_CUST, m->data, m->len);
    /* the same segment 100,000 times more, and as many overlapping it with
     * other bytes (a broken middlebox) */
    for (guint i = 0; i < 100000; i++)
        adv_segment(s, ADV_CUST, seq, 0x18, m->data, m->len);
    GByteArray *other = one_prefix_update(10, 50, 16);
    for (guint i = 0; i < 20000; i++)
        adv_segment(s, ADV_CUST, seq + 3, 0x18, other->data, other->len);
    g_byte_array_free(other, TRUE);
    g_byte_array_free(m, TRUE);
    adv_send_msg(s, ADV_CUST, adv_keepalive());

    adv_report *r = adv_run_capture(s->cap, TRUE);
    g_assert_cmpint(adv_frames(r), ==, s->cap->frames);
    JsonObject *route = NULL;
    /* read once: one announcement, no flapping, nothing made of the overlaps */
    g_assert_cmpuint(adv_onprem_routes(r, NULL, NULL), ==, 1);
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", &route), ==, 1);
    g_assert_cmpint(json_object_get_int_member(route, "announcements"), ==, 1);
    g_assert_null(adv_find_finding(r, "routes.flap", NULL));
    g_assert_null(adv_find_finding(r, "bgp.decode-error", NULL));
    adv_report_free(r);
    adv_session_free(s);
}

/* ---- a stream that never completes a message ----------------------------- */

static void case_never_completes(void)
{
    adv_session *s = adv_session_new(FALSE);
    /* an UPDATE header promising 4,096 bytes, then a byte at a time, and
     * the capture ends 96 bytes short */
    GByteArray *m = msg_new(ERDIAG_BGP_UPDATE);
    set16(m, 16, 4096);
    while (m->len < 4000)
        put8(m, 0);
    adv_send(s, ADV_CUST, m->data, ERDIAG_BGP_HEADER_LEN);
    for (guint off = ERDIAG_BGP_HEADER_LEN; off < m->len; off++) {
        adv_segment(s, ADV_CUST, s->next[ADV_CUST], 0x18, m->data + off, 1);
        s->next[ADV_CUST]++;
    }
    g_byte_array_free(m, TRUE);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    g_assert_nonnull(adv_find_note(r, "UPDATE", "4000 of 4096", NULL));
    adv_report_free(r);
    adv_session_free(s);
}

static void case_garbage_stream(void)
{
    /* 2 MiB of bytes with no BGP header in them, after a good start */
    adv_session *s = adv_session_new(FALSE);
    GByteArray *junk = g_byte_array_sized_new(2 * 1024 * 1024);
    guint32 x = 12345;
    for (guint i = 0; i < 2 * 1024 * 1024; i++) {
        x = x * 1103515245u + 12345u;
        guint8 b = (guint8)(x >> 16);
        if (b == 0xff)
            b = 0xfe; /* never a marker */
        g_byte_array_append(junk, &b, 1);
    }
    adv_send(s, ADV_CUST, junk->data, junk->len);
    g_byte_array_free(junk, TRUE);
    adv_send_msg(s, ADV_CUST, one_prefix_update(172, 16, 16));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    /* the junk is reported, and the UPDATE after it found again */
    g_assert_true(adv_find_note(r, "invalid BGP header", NULL) != NULL ||
                  adv_find_finding(r, "bgp.decode-error", NULL) != NULL);
    g_assert_nonnull(adv_find_note(r, "resynchronised", NULL));
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", NULL), ==, 1);
    adv_report_free(r);
    adv_session_free(s);
}

/* Budgets: a few times what the plain build measured (in parentheses). */
static const adv_case cases[] = {
    { "/adversarial/bgp/lying-lengths", case_lying_lengths, 1, 16 },                 /* 0.02 s, 1 MiB */
    { "/adversarial/bgp/extended-65535", case_extended_message, 3, 128 },            /* 0.6 s, 50 MiB */
    { "/adversarial/bgp/extended-65535-not-negotiated", case_extended_message_not_negotiated, 1, 16 },
    { "/adversarial/bgp/as-path-thousands-of-segments", case_as_path_thousands, 1, 16 }, /* 0.02 s, 1 MiB */
    /* the RIB keeps 50,000 of them (ERDIAG_RIB_MAX_RECORDS): 1.7 s, 157 MiB,
     * of which 20 MiB in the engine, the rest the JSON report, which
     * json-glib builds as one tree; before the bound 4.3 s, 300 MiB */
    { "/adversarial/bgp/100000-prefixes", case_many_prefixes, 8, 256 },
    { "/adversarial/bgp/endless-retransmissions", case_endless_retransmissions, 3, 64 }, /* 0.2 s, 14 MiB */
    { "/adversarial/bgp/never-completes", case_never_completes, 1, 16 },             /* 0.01 s, 1 MiB */
    { "/adversarial/bgp/garbage-stream", case_garbage_stream, 2, 32 },               /* 0.1 s, 4 MiB */
};

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    adv_add_cases(cases, G_N_ELEMENTS(cases));
    return g_test_run();
}
