/* RFC 7606 through the whole pipeline: crafted captures of one Established
 * session whose UPDATEs carry malformed attributes, read as the CLI reads
 * them, and the report checked for what a user sees: the routes a receiver
 * keeps or withdraws, bgp.update-error naming attribute, action and frame,
 * and no false routes.none-from-onprem / routes.expected-missing. Also
 * what the decoder counts but does not analyse (other AFI/SAFI), decoded
 * NOTIFICATION data and iBGP named in the session story. */
#include "adversarial/adversarial.h"

/* A session like adv_session_new's, with the on-prem AS and whether the
 * OPENs carry the 4-octet AS capability (FALSE: a 2-byte session). */
static adv_session *session_new(guint32 cust_as, gboolean as4)
{
    adv_session *s = g_new0(adv_session, 1);
    s->cap = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    s->next[ADV_CUST] = 1000;
    s->next[ADV_MSFT] = 900000;
    adv_segment(s, ADV_CUST, s->next[ADV_CUST]++, 0x02, NULL, 0);
    adv_segment(s, ADV_MSFT, s->next[ADV_MSFT]++, 0x12, NULL, 0);
    adv_segment(s, ADV_CUST, s->next[ADV_CUST], 0x10, NULL, 0);
    for (int side = 0; side < 2; side++) {
        guint32 asn = side == ADV_CUST ? cust_as : 12076;
        GByteArray *m;
        if (as4) {
            m = adv_open(asn, 0xc0a80f11 + (guint32)side, FALSE);
        } else {
            GByteArray *caps = g_byte_array_new();
            static const guint8 mp_v4[4] = { 0, 1, 0, 1 };
            put_cap(caps, ERDIAG_CAP_MP, mp_v4, 4);
            m = open_new(asn, 180, 0xc0a80f11 + (guint32)side, caps);
            g_byte_array_free(caps, TRUE);
        }
        adv_send_msg(s, side, m);
    }
    adv_send_msg(s, ADV_CUST, adv_keepalive());
    adv_send_msg(s, ADV_MSFT, adv_keepalive());
    return s;
}

enum { NO_ORIGIN = 1, NO_NEXT_HOP = 2 };

/* ORIGIN IGP, AS_PATH 65010 (2- or 4-byte), NEXT_HOP, then `extra`
 * attributes; `omit` leaves out ORIGIN / NEXT_HOP. */
static GByteArray *attrs_new(gboolean as4, guint omit, const GByteArray *extra)
{
    GByteArray *a = g_byte_array_new();
    if (!(omit & NO_ORIGIN))
        put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    GByteArray *path = g_byte_array_new();
    put8(path, 2);
    put8(path, 1);
    if (as4)
        put32(path, 65010);
    else
        put16(path, 65010);
    put_attr(a, 0x40, 2, path->data, path->len);
    g_byte_array_free(path, TRUE);
    if (!(omit & NO_NEXT_HOP))
        put_attr(a, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x11", 4);
    if (extra)
        g_byte_array_append(a, extra->data, extra->len);
    return a;
}

/* An UPDATE announcing the configuration's two expected prefixes. */
static GByteArray *expected_update(const GByteArray *attrs)
{
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, 172, 16, 0, 0, 16);
    put_prefix4(nlri, 10, 50, 0, 0, 16);
    GByteArray *m = update_new(NULL, attrs, nlri);
    g_byte_array_free(nlri, TRUE);
    return m;
}

/* The first finding with this id whose message holds text (NULL: any). */
static JsonObject *finding(const adv_report *r, const char *id, const char *text)
{
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        if (g_strcmp0(json_object_get_string_member(f, "id"), id) == 0 &&
            (!text || strstr(json_object_get_string_member(f, "message"), text)))
            return f;
    }
    return NULL;
}

static void assert_update_error(const adv_report *r, const char *attr, const char *action,
                                const char *severity, const char *frame)
{
    JsonObject *f = finding(r, "bgp.update-error", attr);
    if (!f)
        adv_find_finding(r, "bgp.update-error", attr); /* logs what there is */
    g_assert_nonnull(f);
    const char *msg = json_object_get_string_member(f, "message");
    g_test_message("bgp.update-error: %s", msg);
    g_assert_nonnull(strstr(msg, action));
    g_assert_nonnull(strstr(msg, frame));
    g_assert_cmpstr(json_object_get_string_member(f, "severity"), ==, severity);
}

/* Both expected prefixes present, and no finding says otherwise. */
static void assert_routes_kept(const adv_report *r)
{
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", NULL), ==, 1);
    g_assert_cmpuint(adv_onprem_routes(r, "10.50.0.0/16", NULL), ==, 1);
    g_assert_null(finding(r, "routes.none-from-onprem", NULL));
    g_assert_null(finding(r, "routes.expected-missing", NULL));
}

/* The frame the next message from the on-prem side will be in. */
static const char *next_frame_text(const adv_session *s)
{
    static char buf[32];
    g_snprintf(buf, sizeof buf, "frame %u", s->cap->frames + 1);
    return buf;
}

/* ---- attribute discard: the routes stand ---- */

static void case_zero_length_as4_segment(void)
{
    adv_session *s = session_new(65010, FALSE);
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0xc0, 17, (const guint8 *)"\x02\x00", 2); /* AS4_PATH, empty AS_SEQUENCE */
    GByteArray *a = attrs_new(FALSE, 0, extra);
    char frame[32];
    g_strlcpy(frame, next_frame_text(s), sizeof frame);
    adv_send_msg(s, ADV_CUST, expected_update(a));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    assert_routes_kept(r);
    assert_update_error(r, "AS4_PATH", "attribute is discarded", "warning", frame);
    g_assert_nonnull(strstr(json_object_get_string_member(finding(r, "bgp.update-error", NULL), "message"),
                            "zero-length segment"));
    JsonObject *route = NULL;
    adv_onprem_routes(r, "172.16.0.0/16", &route);
    g_assert_cmpstr(json_object_get_string_member(route, "path"), ==, "65010");
    adv_report_free(r);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(extra, TRUE);
    adv_session_free(s);
}

static void case_duplicate_attribute(void)
{
    adv_session *s = session_new(65010, TRUE);
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0x80, 4, (const guint8 *)"\x00\x00\x00\x64", 4); /* MED 100 */
    put_attr(extra, 0x80, 4, (const guint8 *)"\x00\x00\x00\x05", 4); /* MED again */
    GByteArray *a = attrs_new(TRUE, 0, extra);
    char frame[32];
    g_strlcpy(frame, next_frame_text(s), sizeof frame);
    adv_send_msg(s, ADV_CUST, expected_update(a));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    assert_routes_kept(r);
    assert_update_error(r, "MULTI_EXIT_DISC", "attribute is discarded", "warning", frame);
    JsonObject *route = NULL;
    adv_onprem_routes(r, "172.16.0.0/16", &route);
    g_assert_cmpint(json_object_get_int_member(route, "med"), ==, 100); /* the first counts */
    adv_report_free(r);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(extra, TRUE);
    adv_session_free(s);
}

static void case_bad_aggregators(void)
{
    adv_session *s = session_new(65010, FALSE);
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0xc0, 7, (const guint8 *)"\xfd\xf2\x0a\x00\x00\x01\x00", 7); /* AGGREGATOR, 7 bytes */
    put_attr(extra, 0xc0, 18, (const guint8 *)"\x00\x00\xfd\xf2\x0a\x00", 6);   /* AS4_AGGREGATOR, 6 */
    GByteArray *a = attrs_new(FALSE, 0, extra);
    char frame[32];
    g_strlcpy(frame, next_frame_text(s), sizeof frame);
    adv_send_msg(s, ADV_CUST, expected_update(a));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    assert_routes_kept(r);
    assert_update_error(r, "AGGREGATOR length 7, expected 6 (attribute AGGREGATOR, type 7)", "attribute is discarded", "warning", frame);
    assert_update_error(r, "AS4_AGGREGATOR length 6, expected 8 (attribute AS4_AGGREGATOR, type 18)", "attribute is discarded", "warning", frame);
    adv_report_free(r);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(extra, TRUE);
    adv_session_free(s);
}

/* ---- treat-as-withdraw: the UPDATE's routes go, the others stay ---- */

/* First a good UPDATE for both expected prefixes, then one re-announcing
 * 172.16.0.0/16 with a problem: it counts as withdrawn, 10.50.0.0/16
 * stays. */
static void withdraw_case(gboolean as4, guint omit, const GByteArray *extra, const char *attr)
{
    adv_session *s = session_new(65010, as4);
    GByteArray *good = attrs_new(as4, 0, NULL);
    adv_send_msg(s, ADV_CUST, expected_update(good));
    GByteArray *bad = attrs_new(as4, omit, extra);
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, 172, 16, 0, 0, 16);
    char frame[32];
    g_strlcpy(frame, next_frame_text(s), sizeof frame);
    adv_send_msg(s, ADV_CUST, update_new(NULL, bad, nlri));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    assert_update_error(r, attr, "treat-as-withdraw: the UPDATE's 1 announced prefix counts as withdrawn",
                        "error", frame);
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", NULL), ==, 0);
    g_assert_cmpuint(adv_onprem_routes(r, "10.50.0.0/16", NULL), ==, 1);
    g_assert_nonnull(finding(r, "routes.expected-missing", "172.16.0.0/16 was withdrawn"));
    g_assert_null(finding(r, "routes.expected-missing", "10.50.0.0/16"));
    adv_report_free(r);
    g_byte_array_free(nlri, TRUE);
    g_byte_array_free(good, TRUE);
    g_byte_array_free(bad, TRUE);
    adv_session_free(s);
}

static void case_bad_origin(void)
{
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0x40, 1, (const guint8 *)"\x05", 1);
    withdraw_case(TRUE, NO_ORIGIN, extra, "ORIGIN");
    g_byte_array_free(extra, TRUE);
}

static void case_bad_next_hop(void)
{
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x11\x00", 5);
    withdraw_case(TRUE, NO_NEXT_HOP, extra, "NEXT_HOP");
    g_byte_array_free(extra, TRUE);
}

static void case_bad_as_path(void)
{
    /* a second AS_PATH does not count (duplicate); the malformed one must
     * be the first: a 2-byte session's AS_PATH with a stray byte */
    adv_session *s = session_new(65010, FALSE);
    GByteArray *good = attrs_new(FALSE, 0, NULL);
    adv_send_msg(s, ADV_CUST, expected_update(good));
    GByteArray *bad = g_byte_array_new();
    put_attr(bad, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(bad, 0x40, 2, (const guint8 *)"\x02\x01\xfd\xf2\x07", 5);
    put_attr(bad, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x11", 4);
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, 172, 16, 0, 0, 16);
    char frame[32];
    g_strlcpy(frame, next_frame_text(s), sizeof frame);
    adv_send_msg(s, ADV_CUST, update_new(NULL, bad, nlri));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    assert_update_error(r, "AS_PATH", "treat-as-withdraw", "error", frame);
    g_assert_cmpuint(adv_onprem_routes(r, "172.16.0.0/16", NULL), ==, 0);
    g_assert_cmpuint(adv_onprem_routes(r, "10.50.0.0/16", NULL), ==, 1);
    adv_report_free(r);
    g_byte_array_free(nlri, TRUE);
    g_byte_array_free(good, TRUE);
    g_byte_array_free(bad, TRUE);
    adv_session_free(s);
}

static void case_missing_next_hop(void)
{
    withdraw_case(TRUE, NO_NEXT_HOP, NULL, "NEXT_HOP missing");
}

static void case_missing_origin(void)
{
    withdraw_case(FALSE, NO_ORIGIN, NULL, "ORIGIN missing");
}

static void case_wrong_flags(void)
{
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0xc0, 1, (const guint8 *)"\x00", 1); /* ORIGIN marked optional */
    withdraw_case(TRUE, NO_ORIGIN, extra, "ORIGIN flags 0xc0");
    g_byte_array_free(extra, TRUE);
}

/* ---- session reset: the UPDATE is ignored ---- */

static void case_duplicate_mp_reach(void)
{
    adv_session *s = session_new(65010, TRUE);
    GByteArray *mp = g_byte_array_new();
    put16(mp, 2); put8(mp, 1); put8(mp, 16);
    static const guint8 nh[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    g_byte_array_append(mp, nh, 16);
    put8(mp, 0);
    put8(mp, 48); g_byte_array_append(mp, (const guint8 *)"\x20\x01\x0d\xb8\x00\x10", 6);
    GByteArray *extra = g_byte_array_new();
    put_attr(extra, 0x80, 14, mp->data, mp->len);
    put_attr(extra, 0x80, 14, mp->data, mp->len);
    GByteArray *a = attrs_new(TRUE, 0, extra);
    char frame[32];
    g_strlcpy(frame, next_frame_text(s), sizeof frame);
    adv_send_msg(s, ADV_CUST, expected_update(a));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    assert_update_error(r, "MP_REACH_NLRI", "session reset", "error", frame);
    g_assert_cmpuint(adv_onprem_routes(r, NULL, NULL), ==, 0);
    g_assert_null(finding(r, "bgp.decode-error", NULL)); /* said once, as an UPDATE error */
    adv_report_free(r);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(extra, TRUE);
    g_byte_array_free(mp, TRUE);
    adv_session_free(s);
}

/* ---- what is counted but not analysed ---- */

static void case_labeled_unicast_only(void)
{
    adv_session *s = session_new(65010, TRUE);
    /* MP_REACH AFI 1 SAFI 4: two labeled routes, 10.60.0.0/16 and
     * 10.61.0.0/16, each one label (3 bytes, bottom of stack) */
    GByteArray *mp = g_byte_array_new();
    put16(mp, 1); put8(mp, 4); put8(mp, 4);
    g_byte_array_append(mp, (const guint8 *)"\xc0\xa8\x0f\x11", 4);
    put8(mp, 0);
    for (guint8 i = 60; i <= 61; i++) {
        put8(mp, 24 + 16);
        g_byte_array_append(mp, (const guint8 *)"\x00\x01\x01", 3);
        put8(mp, 10); put8(mp, i);
    }
    GByteArray *a = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x01\x00\x00\xfd\xf2", 6);
    put_attr(a, 0x80, 14, mp->data, mp->len);
    adv_send_msg(s, ADV_CUST, update_new(NULL, a, NULL));
    adv_report *r = adv_run_capture(s->cap, TRUE);
    const char *msg = adv_find_finding(r, "routes.none-from-onprem", NULL);
    g_assert_nonnull(msg);
    g_assert_null(strstr(msg, "advertised no prefix"));
    g_assert_nonnull(strstr(msg, "2 IPv4 labeled unicast (AFI 1/SAFI 4) NLRI"));
    g_assert_nonnull(adv_find_note(r, "on-prem side sent NLRI", "IPv4 labeled unicast (AFI 1/SAFI 4): 2 announced",
                                   NULL));
    g_assert_null(finding(r, "bgp.update-error", NULL));
    adv_report_free(r);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(mp, TRUE);
    adv_session_free(s);
}

/* More families than a link counts one by one: the rest are counted
 * together, never dropped without a word. */
static void case_many_other_families(void)
{
    adv_session *s = session_new(65010, TRUE);
    static const struct { guint8 code; const char *bytes; guint len; } mp[] = {
        /* IPv4 multicast 10.70.0.0/16 */
        {14, "\x00\x01\x02\x04\xc0\xa8\x0f\x11\x00\x10\x0a\x46", 12},
        /* IPv6 multicast 2001:db8::/32, next hop fd00::1 */
        {14, "\x00\x02\x02\x10\xfd\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"
             "\x00\x20\x20\x01\x0d\xb8", 26},
        /* IPv4 labeled unicast 10.60.0.0/16, one label */
        {14, "\x00\x01\x04\x04\xc0\xa8\x0f\x11\x00\x28\x00\x01\x01\x0a\x3c", 15},
        /* route target constraint: two withdrawals (as in bgp-rt-prefix.pcap) */
        {15, "\x00\x01\x84\x30\x00\x00\x00\x17\x01\x02\x53\x00\x00\x00\x17\x01\x02\x01\x02\x03\x04\xe0", 22},
        /* flowspec: two rules */
        {14, "\x00\x01\x85\x00\x00\x03\x01\x18\x0a\x03\x03\x81\x06", 13},
    };
    for (guint i = 0; i < G_N_ELEMENTS(mp); i++) {
        GByteArray *a = g_byte_array_new();
        put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
        put_attr(a, 0x40, 2, (const guint8 *)"\x02\x01\x00\x00\xfd\xf2", 6);
        put_attr(a, 0x80, mp[i].code, (const guint8 *)mp[i].bytes, mp[i].len);
        adv_send_msg(s, ADV_CUST, update_new(NULL, a, NULL));
        g_byte_array_free(a, TRUE);
    }
    adv_report *r = adv_run_capture(s->cap, TRUE);
    g_assert_null(finding(r, "bgp.update-error", NULL));
    g_assert_nonnull(adv_find_note(r, "on-prem side sent NLRI", "IPv4 multicast (AFI 1/SAFI 2): 1 announced",
                                   "IPv4 labeled unicast (AFI 1/SAFI 4): 1 announced",
                                   "further address families: 2 announced, 2 withdrawn", NULL));
    adv_report_free(r);
    adv_session_free(s);
}

/* ---- NOTIFICATION data, iBGP ---- */

static void case_notification_data_and_ibgp(void)
{
    adv_session *s = session_new(12076, TRUE);
    GByteArray *m = msg_new(ERDIAG_BGP_NOTIFICATION);
    put8(m, 6); put8(m, 9);         /* Cease / Hard Reset */
    put8(m, 6); put8(m, 2);         /* wrapping Cease / Administrative Shutdown */
    put8(m, 5); g_byte_array_append(m, (const guint8 *)"maint", 5);
    msg_done(m);
    adv_send_msg(s, ADV_MSFT, m);
    adv_report *r = adv_run_capture(s->cap, FALSE);
    const char *msg = adv_find_finding(r, "bgp.notification", NULL);
    g_assert_nonnull(msg);
    g_test_message("%s", msg);
    g_assert_nonnull(strstr(msg, "Cease / Hard Reset (6/9), wrapping Cease / Administrative Shutdown (6/2)"));
    g_assert_nonnull(strstr(msg, "shutdown message \"maint\""));
    g_assert_nonnull(strstr(r->json, "iBGP session: both sides are AS 12076"));
    adv_report_free(r);
    adv_session_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/update_errors/discard/zero-length-as4-segment", case_zero_length_as4_segment);
    g_test_add_func("/update_errors/discard/duplicate-attribute", case_duplicate_attribute);
    g_test_add_func("/update_errors/discard/aggregator-lengths", case_bad_aggregators);
    g_test_add_func("/update_errors/withdraw/origin", case_bad_origin);
    g_test_add_func("/update_errors/withdraw/next-hop", case_bad_next_hop);
    g_test_add_func("/update_errors/withdraw/as-path", case_bad_as_path);
    g_test_add_func("/update_errors/withdraw/missing-next-hop", case_missing_next_hop);
    g_test_add_func("/update_errors/withdraw/missing-origin", case_missing_origin);
    g_test_add_func("/update_errors/withdraw/wrong-flags", case_wrong_flags);
    g_test_add_func("/update_errors/reset/duplicate-mp-reach", case_duplicate_mp_reach);
    g_test_add_func("/update_errors/other-afi/labeled-unicast-only", case_labeled_unicast_only);
    g_test_add_func("/update_errors/other-afi/more-families-than-slots", case_many_other_families);
    g_test_add_func("/update_errors/notification-and-ibgp", case_notification_data_and_ibgp);
    return g_test_run();
}
