/* The data-plane checks on generated sessions: an uncovered on-prem source
 * is one finding per source that counts every packet, an oversize finding
 * quotes the largest packet, and neither judgement is made from a route
 * table the capture only partly saw (a session older than the capture). */
#include "adversarial/adversarial.h"

/* ORIGIN IGP, AS_PATH of one (16-bit) ASN, NEXT_HOP, and the given /16s. */
static GByteArray *update_16s(guint32 asn, const char *next_hop, const guint8 (*nets)[2], gsize n)
{
    GByteArray *attrs = g_byte_array_new();
    static const guint8 igp = 0;
    guint8 path[] = { 2, 1, 0, 0, (guint8)(asn >> 8), (guint8)asn }; /* 4-octet ASNs, as the OPENs agree */
    guint8 nh[4];
    sscanf(next_hop, "%hhu.%hhu.%hhu.%hhu", &nh[0], &nh[1], &nh[2], &nh[3]);
    put_attr(attrs, 0x40, 1, &igp, 1);
    put_attr(attrs, 0x40, 2, path, sizeof path);
    put_attr(attrs, 0x40, 3, nh, sizeof nh);
    GByteArray *nlri = g_byte_array_new();
    for (gsize i = 0; i < n; i++)
        put_prefix4(nlri, nets[i][0], nets[i][1], 0, 0, 16);
    GByteArray *m = update_new(NULL, attrs, nlri);
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    return m;
}

/* Routes both ways: on-prem 172.16.0.0/16, Azure 10.1.0.0/16. */
static void exchange_routes(adv_session *s)
{
    static const guint8 onprem[][2] = { { 172, 16 } }, vnet[][2] = { { 10, 1 } };
    adv_send_msg(s, ADV_CUST, update_16s(65010, "192.168.15.17", onprem, 1));
    adv_send_msg(s, ADV_MSFT, update_16s(12076, "192.168.15.18", vnet, 1));
}

/* One TCP segment between an on-prem host and a VM across the primary
 * link, ip_len bytes long (payload zeros). */
static void data_segment(adv_session *s, const char *src, const char *dst, guint16 sport, guint16 dport,
                         guint8 flags, guint16 ip_len)
{
    gboolean from_onprem = g_str_has_prefix(src, "172.") || g_str_has_prefix(src, "192.168.99.");
    GByteArray *f = g_byte_array_new();
    fb_eth(f, from_onprem ? FB_MAC_B : FB_MAC_A, from_onprem ? FB_MAC_A : FB_MAC_B, 0x8100);
    fb_tag(f, 0, 100, 0x0800);
    fb_ipv4(f, 6, src, dst, (guint16)(ip_len - 20)); /* the IP payload length */
    fb_tcp(f, sport, dport, 1, 0, flags, NULL, 0);
    while (f->len < 18u + ip_len)
        fb_u8(f, 0);
    s->cap->ts_us += 1000;
    adv_capture_frame(s->cap, f->data, f->len, f->len);
    g_byte_array_free(f, TRUE);
}

static JsonObject *finding(const adv_report *r, const char *id, const char *key_text, guint *count)
{
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    JsonObject *found = NULL;
    *count = 0;
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        if (g_strcmp0(json_object_get_string_member(f, "id"), id) != 0)
            continue;
        (*count)++;
        if (!key_text || strstr(json_object_get_string_member(f, "message"), key_text))
            found = f;
    }
    return found;
}

static void test_uncovered_source_counts_packets(void)
{
    adv_session *s = adv_session_new(FALSE);
    exchange_routes(s);
    /* 192.168.99.10 is inside no on-prem prefix: five packets on two flows,
     * interleaved with a covered source's */
    for (int i = 0; i < 5; i++) {
        data_segment(s, "192.168.99.10", "10.1.0.4", (guint16)(40000 + i % 2), 22, 0x02, 60);
        data_segment(s, "172.16.1.10", "10.1.0.4", 41000, 22, 0x02, 60);
    }
    adv_report *r = adv_run_capture(s->cap, TRUE);
    guint n;
    JsonObject *f = finding(r, "dataplane.uncovered-source", "192.168.99.10", &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_nonnull(f);
    g_assert_cmpint(json_object_get_int_member(f, "frame_count"), ==, 5);
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(f, "frames")), ==, 5);
    adv_report_free(r);
    adv_session_free(s);
}

static void test_oversize_quotes_largest(void)
{
    adv_session *s = adv_session_new(FALSE);
    exchange_routes(s);
    static const guint16 sizes[] = { 1400, 1600, 4000, 2000, 1500 };
    for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++)
        data_segment(s, "172.16.1.10", "10.1.0.4", 41000, 445, 0x10, sizes[i]);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    guint n;
    JsonObject *f = finding(r, "dataplane.oversize", NULL, &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "up to 4000 bytes"));
    g_assert_cmpint(json_object_get_int_member(f, "frame_count"), ==, 3); /* 1600, 4000, 2000 */
    adv_report_free(r);
    adv_session_free(s);
}

/* SYNs retransmitted 1 s apart, past syn-timeout (3 s): one flow from a
 * source no on-prem prefix covers, one from a covered source to a filtered
 * port. The uncovered source's silence is explained by the missing return
 * route, not sent to the NSGs; the covered flow's finding counts and cites
 * every SYN, those after its verdict too. */
static void test_uncovered_source_explains_silence(void)
{
    adv_session *s = adv_session_new(FALSE);
    exchange_routes(s);
    for (int i = 0; i < 6; i++) {
        s->cap->ts_us += 1000000;
        data_segment(s, "192.168.99.10", "10.1.0.4", 40000, 22, 0x02, 60);
        data_segment(s, "172.16.1.10", "10.1.0.4", 41000, 3389, 0x02, 60);
    }
    adv_report *r = adv_run_capture(s->cap, TRUE);
    guint n;
    finding(r, "dataplane.unanswered-connection", "192.168.99.10", &n);
    JsonObject *f = finding(r, "dataplane.unanswered-connection", "172.16.1.10", &n);
    g_assert_cmpuint(n, ==, 1); /* the covered flow's only */
    g_assert_nonnull(f);
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "port 3389: 6 SYNs got no answer"));
    g_assert_cmpint(json_object_get_int_member(f, "frame_count"), ==, 6);
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(f, "frames")), ==, 6);
    JsonObject *u = finding(r, "dataplane.uncovered-source", "192.168.99.10", &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_cmpstr(json_object_get_string_member(u, "severity"), ==, "error");
    g_assert_nonnull(strstr(json_object_get_string_member(u, "message"), "1 connection from it got no answer (6 SYNs)"));
    g_assert_cmpint(json_object_get_int_member(u, "frame_count"), ==, 6);
    adv_report_free(r);
    adv_session_free(s);
}

/* No handshake, no OPEN: KEEPALIVEs and an UPDATE from each side of a
 * session that came up before the capture. */
static void test_partial_routes_judge_nothing_missing(void)
{
    adv_session *s = g_new0(adv_session, 1);
    s->cap = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    s->next[ADV_CUST] = 5000;
    s->next[ADV_MSFT] = 700000;
    adv_send_msg(s, ADV_CUST, adv_keepalive());
    adv_send_msg(s, ADV_MSFT, adv_keepalive());
    static const guint8 onprem[][2] = { { 10, 60 } };
    adv_send_msg(s, ADV_CUST, update_16s(65010, "192.168.15.17", onprem, 1));
    /* a host in 172.16.0.0/16, advertised (we may assume) before the capture */
    for (int i = 0; i < 3; i++)
        data_segment(s, "172.16.1.10", "10.1.0.4", 41000, 22, 0x02, 60);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    guint n;
    static const char *const not_judged[] = { "dataplane.uncovered-source", "routes.none-from-azure",
                                              "routes.expected-missing", "routes.vnet-missing",
                                              "routes.source-not-covered" };
    for (gsize i = 0; i < G_N_ELEMENTS(not_judged); i++) {
        finding(r, not_judged[i], NULL, &n);
        if (n)
            g_error("%s raised from a partial route table", not_judged[i]);
    }
    g_assert_nonnull(adv_find_note(r, "primary: the BGP session was already Established when the capture started",
                                   NULL));
    adv_report_free(r);
    adv_session_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dataplane/uncovered-source-counts-packets", test_uncovered_source_counts_packets);
    g_test_add_func("/dataplane/oversize-quotes-largest", test_oversize_quotes_largest);
    g_test_add_func("/dataplane/uncovered-source-explains-silence", test_uncovered_source_explains_silence);
    g_test_add_func("/dataplane/partial-routes-judge-nothing-missing", test_partial_routes_judge_nothing_missing);
    return g_test_run();
}
