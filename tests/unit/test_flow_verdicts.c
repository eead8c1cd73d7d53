/* The per-flow verdicts on hand-built packets across the primary link of the
 * adversarial peering (on-prem 172.16.0.0/16, VNet 10.1.0.0/16): a reset
 * from the destination, ICMP errors matched to their flow by the packet they
 * quote (and a quote cut short, which matches nothing), fragments toward
 * Azure (and FastPath, which bypasses the gateway), path MTU from ICMP and
 * SYN MSS options, and the flows table's bound. */
#include "adversarial/adversarial.h"

static const char *const VM = "10.1.0.4", *const HOST = "172.16.1.10";

/* ORIGIN IGP, AS_PATH of one ASN, NEXT_HOP, one /16. */
static GByteArray *update_16(guint32 asn, const char *next_hop, guint8 a, guint8 b)
{
    GByteArray *attrs = g_byte_array_new();
    static const guint8 igp = 0;
    guint8 path[] = { 2, 1, (guint8)(asn >> 24), (guint8)(asn >> 16), (guint8)(asn >> 8), (guint8)asn };
    guint8 nh[4];
    sscanf(next_hop, "%hhu.%hhu.%hhu.%hhu", &nh[0], &nh[1], &nh[2], &nh[3]);
    put_attr(attrs, 0x40, 1, &igp, 1);
    put_attr(attrs, 0x40, 2, path, sizeof path);
    put_attr(attrs, 0x40, 3, nh, sizeof nh);
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, a, b, 0, 0, 16);
    GByteArray *m = update_new(NULL, attrs, nlri);
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    return m;
}

static adv_session *session_with_routes(void)
{
    adv_session *s = adv_session_new(FALSE);
    adv_send_msg(s, ADV_CUST, update_16(65010, "192.168.15.17", 172, 16));
    adv_send_msg(s, ADV_MSFT, update_16(12076, "192.168.15.18", 10, 1));
    return s;
}

static gboolean from_onprem(const char *src)
{
    return g_str_has_prefix(src, "172.") || g_str_has_prefix(src, "192.168.15.17");
}

/* Ethernet + VLAN 100 header, by the side that sends it. */
static GByteArray *frame_start(const char *src)
{
    GByteArray *f = g_byte_array_new();
    fb_eth(f, from_onprem(src) ? FB_MAC_B : FB_MAC_A, from_onprem(src) ? FB_MAC_A : FB_MAC_B, 0x8100);
    fb_tag(f, 0, 100, 0x0800);
    return f;
}

static void send_frame(adv_session *s, GByteArray *f)
{
    adv_capture_frame(s->cap, f->data, f->len, f->len);
    g_byte_array_free(f, TRUE);
}

static void tcp(adv_session *s, const char *src, const char *dst, guint16 sport, guint16 dport, guint8 flags,
                guint16 mss)
{
    GByteArray *f = frame_start(src);
    guint8 opts[4] = { 2, 4, (guint8)(mss >> 8), (guint8)mss };
    fb_ipv4(f, 6, src, dst, mss ? 24 : 20);
    fb_tcp(f, sport, dport, 1, 0, flags, mss ? opts : NULL, mss ? 4 : 0);
    send_frame(s, f);
}

static void udp(adv_session *s, const char *src, const char *dst, guint16 sport, guint16 dport)
{
    GByteArray *f = frame_start(src);
    fb_ipv4(f, 17, src, dst, 12);
    fb_u16(f, sport);
    fb_u16(f, dport);
    fb_u16(f, 12);
    fb_u16(f, 0);
    fb_u32(f, 0x71756572); /* "quer" */
    send_frame(s, f);
}

/* ICMP type/code from `from` to the quoted packet's source, quoting an IPv4
 * header src -> dst of protocol proto and quote_l4 bytes of its ports
 * (0 to 8: fewer cuts the quote short). */
static void icmp_error(adv_session *s, const char *from, guint8 type, guint8 code, guint16 mtu, guint8 proto,
                       const char *src, const char *dst, guint16 sport, guint16 dport, guint quote_l4)
{
    GByteArray *f = frame_start(from);
    fb_ipv4(f, 1, from, src, (guint16)(8 + 20 + quote_l4));
    fb_u8(f, type);
    fb_u8(f, code);
    fb_u16(f, 0);
    fb_u16(f, 0);
    fb_u16(f, mtu);
    fb_ipv4(f, proto, src, dst, 40);
    guint8 l4[8] = { (guint8)(sport >> 8), (guint8)sport, (guint8)(dport >> 8), (guint8)dport, 0, 0, 0, 1 };
    fb_bytes(f, l4, quote_l4);
    send_frame(s, f);
}

/* One fragment of an ICMP datagram toward dst: offset in 8-byte units. */
static void fragment(adv_session *s, const char *src, const char *dst, guint16 offset, gboolean more, guint16 len)
{
    GByteArray *f = frame_start(src);
    gsize ip = fb_ipv4(f, 1, src, dst, len);
    fb_put16(f, ip + 6, (guint16)((more ? 0x2000 : 0) | offset));
    fb_zeros(f, len);
    send_frame(s, f);
}

static guint count(const adv_report *r, const char *id, const char *text, JsonObject **last)
{
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    guint n = 0;
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        if (g_strcmp0(json_object_get_string_member(f, "id"), id) != 0)
            continue;
        if (text && !strstr(json_object_get_string_member(f, "message"), text))
            continue;
        n++;
        if (last)
            *last = f;
    }
    return n;
}

static JsonObject *primary_flows(const adv_report *r)
{
    JsonArray *peerings = json_object_get_array_member(r->root, "peerings");
    JsonObject *pe = json_array_get_object_element(peerings, 0);
    JsonArray *links = json_object_get_array_member(pe, "links");
    for (guint i = 0; i < json_array_get_length(links); i++) {
        JsonObject *l = json_array_get_object_element(links, i);
        if (g_strcmp0(json_object_get_string_member(l, "link"), "primary") == 0)
            return json_object_get_object_member(l, "flows");
    }
    g_error("no primary link in the report");
    return NULL;
}

/* The verdict of the flow of this destination port (TCP/UDP) in the flows table. */
static const char *verdict_of(const adv_report *r, guint16 dport, const char **detail)
{
    JsonArray *rows = json_object_get_array_member(primary_flows(r), "rows");
    for (guint i = 0; i < json_array_get_length(rows); i++) {
        JsonObject *row = json_array_get_object_element(rows, i);
        if (json_object_has_member(row, "destination_port")
            && json_object_get_int_member(row, "destination_port") == dport) {
            if (detail)
                *detail = json_object_get_string_member(row, "detail");
            return json_object_get_string_member(row, "verdict");
        }
    }
    return NULL;
}

static void test_reset_is_refused(void)
{
    adv_session *s = session_with_routes();
    tcp(s, HOST, VM, 40001, 8443, ERDIAG_TCP_SYN, 0);
    tcp(s, VM, HOST, 8443, 40001, ERDIAG_TCP_RST | ERDIAG_TCP_ACK, 0);
    /* a reset closing an answered connection refuses nothing */
    tcp(s, HOST, VM, 40002, 22, ERDIAG_TCP_SYN, 0);
    tcp(s, VM, HOST, 22, 40002, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, 0);
    tcp(s, VM, HOST, 22, 40002, ERDIAG_TCP_RST | ERDIAG_TCP_ACK, 0);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    JsonObject *f = NULL;
    g_assert_cmpuint(count(r, "dataplane.refused", NULL, &f), ==, 1);
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "port 8443"));
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "Azure host 10.1.0.4"));
    g_assert_cmpuint(count(r, "dataplane.unanswered-connection", NULL, NULL), ==, 0);
    g_assert_cmpstr(verdict_of(r, 8443, NULL), ==, "refused");
    g_assert_cmpstr(verdict_of(r, 22, NULL), ==, "answered");
    adv_report_free(r);
    adv_session_free(s);
}

static void test_icmp_matched_by_quote(void)
{
    adv_session *s = session_with_routes();
    /* UDP to a closed port: port unreachable from the VM */
    udp(s, HOST, VM, 50000, 5000);
    icmp_error(s, VM, 3, 3, 0, 17, HOST, VM, 50000, 5000, 8);
    /* opened from Azure, rejected by the on-prem router's peering address */
    tcp(s, VM, HOST, 41000, 3389, ERDIAG_TCP_SYN, 0);
    icmp_error(s, "192.168.15.17", 3, 13, 0, 6, VM, HOST, 41000, 3389, 8);
    /* a quote cut after two bytes of ports matches no flow: nothing said */
    udp(s, HOST, VM, 50001, 5001);
    icmp_error(s, VM, 3, 3, 0, 17, HOST, VM, 50001, 5001, 2);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    JsonObject *f = NULL;
    g_assert_cmpuint(count(r, "dataplane.icmp-unreachable", NULL, NULL), ==, 2);
    g_assert_cmpuint(count(r, "dataplane.icmp-unreachable", "UDP port 5000", &f), ==, 1);
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "port unreachable"));
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "the destination host"));
    g_assert_cmpuint(count(r, "dataplane.icmp-unreachable", "port 3389", &f), ==, 1);
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "administratively prohibited"));
    g_assert_nonnull(strstr(json_object_get_string_member(f, "message"), "the on-prem router"));
    const char *detail = NULL;
    g_assert_cmpstr(verdict_of(r, 5000, &detail), ==, "icmp-unreachable");
    g_assert_nonnull(strstr(detail, "code 3"));
    g_assert_cmpstr(verdict_of(r, 3389, NULL), ==, "icmp-unreachable");
    /* UDP with nothing back is no failure */
    g_assert_cmpstr(verdict_of(r, 5001, NULL), ==, "no-reply");
    adv_report_free(r);
    adv_session_free(s);
}

static void test_fragments_unless_fastpath(void)
{
    for (int fastpath = 0; fastpath < 2; fastpath++) {
        adv_session *s = session_with_routes();
        fragment(s, HOST, VM, 0, TRUE, 1480);
        fragment(s, HOST, VM, 185, FALSE, 1000);
        /* fragments from Azure are the VM's business, not the gateway's limit */
        fragment(s, VM, HOST, 0, TRUE, 1480);
        g_autofree char *ini = g_strdup_printf("%sfastpath = %s\n", ADV_CONFIG, fastpath ? "yes" : "no");
        adv_config_text = ini;
        adv_report *r = adv_run_capture(s->cap, TRUE);
        adv_config_text = NULL;
        JsonObject *f = NULL;
        g_assert_cmpuint(count(r, "dataplane.fragmented", NULL, &f), ==, fastpath ? 0 : 1);
        if (!fastpath)
            g_assert_cmpuint(json_array_get_length(json_object_get_array_member(f, "frames")), ==, 2);
        adv_report_free(r);
        adv_session_free(s);
    }
}

static void test_path_mtu(void)
{
    adv_session *s = session_with_routes();
    /* MSS 1460 fits the peering's 1,500 bytes: nothing to say yet */
    tcp(s, HOST, VM, 40010, 22, ERDIAG_TCP_SYN, 1460);
    tcp(s, VM, HOST, 22, 40010, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, 1360);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    g_assert_cmpuint(count(r, "dataplane.pmtu", NULL, NULL), ==, 0);
    adv_report_free(r);
    /* the MSEE says the path carries 1,400 bytes: later SYNs of MSS 1460 exceed it */
    icmp_error(s, "192.168.15.18", 3, 4, 1400, 1, HOST, VM, 7, 7, 8);
    tcp(s, HOST, VM, 40011, 22, ERDIAG_TCP_SYN, 1460);
    tcp(s, HOST, VM, 40012, 22, ERDIAG_TCP_SYN, 1360);
    r = adv_run_capture(s->cap, TRUE);
    JsonObject *f = NULL;
    g_assert_cmpuint(count(r, "dataplane.pmtu", "at most 1400 bytes", &f), ==, 1);
    /* the ICMP message and the oversized SYN, not the one that fits */
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(f, "frames")), ==, 2);
    g_assert_cmpuint(count(r, "dataplane.icmp-unreachable", NULL, NULL), ==, 0);
    adv_report_free(r);
    adv_session_free(s);
}

static void test_flows_bounded(void)
{
    adv_session *s = session_with_routes();
    /* 300 answered UDP flows and one refused connection, through a table of 16 */
    for (guint i = 0; i < 300; i++) {
        udp(s, HOST, VM, (guint16)(20000 + i), 53);
        udp(s, VM, HOST, 53, (guint16)(20000 + i));
    }
    tcp(s, HOST, VM, 40020, 8443, ERDIAG_TCP_SYN, 0);
    tcp(s, VM, HOST, 8443, 40020, ERDIAG_TCP_RST | ERDIAG_TCP_ACK, 0);
    g_autofree char *ini = g_strdup_printf("%s[erdiag]\nmax-flows = 16\n", ADV_CONFIG);
    adv_config_text = ini;
    adv_report *r = adv_run_capture(s->cap, TRUE);
    adv_config_text = NULL;
    JsonObject *flows = primary_flows(r);
    JsonObject *verdicts = json_object_get_object_member(flows, "verdicts");
    g_assert_cmpint(json_object_get_int_member(verdicts, "answered"), ==, 300);
    g_assert_cmpint(json_object_get_int_member(verdicts, "refused"), ==, 1);
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(flows, "rows")), ==, ERDIAG_FLOW_ROWS_MAX);
    g_assert_cmpint(json_object_get_int_member(flows, "not_listed"), ==, 301 - ERDIAG_FLOW_ROWS_MAX);
    /* the failed flow keeps its row */
    g_assert_cmpstr(verdict_of(r, 8443, NULL), ==, "refused");
    adv_report_free(r);
    adv_session_free(s);
}

/* A flow's counts past 32 bits: the flow table keeps their low words beside
 * its key and carries into the row. 65,600 datagrams whose IP headers claim
 * 65,535 bytes each (cut short by the snap length, as a capture of jumbo
 * traffic would be): 4,299,096,000 bytes, above 2^32. */
static void test_counts_past_32_bits(void)
{
    adv_session *s = session_with_routes();
    const guint n = 65600;
    for (guint i = 0; i < n; i++) {
        GByteArray *f = frame_start(HOST);
        gsize ip = fb_ipv4(f, 17, HOST, VM, 12);
        fb_put16(f, ip + 2, 65535);
        fb_u16(f, 20001);
        fb_u16(f, 9000);
        fb_u16(f, 65515);
        fb_u16(f, 0);
        fb_u32(f, 0);
        adv_capture_frame(s->cap, f->data, f->len, f->len - 32 + 65535);
        g_byte_array_free(f, TRUE);
    }
    udp(s, VM, HOST, 9000, 20001);
    adv_report *r = adv_run_capture(s->cap, TRUE);
    JsonArray *rows = json_object_get_array_member(primary_flows(r), "rows");
    JsonObject *row = NULL;
    for (guint i = 0; i < json_array_get_length(rows); i++)
        if (json_object_get_int_member(json_array_get_object_element(rows, i), "destination_port") == 9000)
            row = json_array_get_object_element(rows, i);
    g_assert_nonnull(row);
    g_assert_cmpint(json_object_get_int_member(row, "packets_out"), ==, n);
    g_assert_cmpint(json_object_get_int_member(row, "bytes_out"), ==, (gint64)n * 65535);
    g_assert_cmpint(json_object_get_int_member(row, "packets_back"), ==, 1);
    g_assert_cmpint(json_object_get_int_member(row, "bytes_back"), ==, 32);
    adv_report_free(r);
    adv_session_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flows/reset-is-refused", test_reset_is_refused);
    g_test_add_func("/flows/icmp-matched-by-quote", test_icmp_matched_by_quote);
    g_test_add_func("/flows/fragments-unless-fastpath", test_fragments_unless_fastpath);
    g_test_add_func("/flows/path-mtu", test_path_mtu);
    g_test_add_func("/flows/bounded", test_flows_bounded);
    g_test_add_func("/flows/counts-past-32-bits", test_counts_past_32_bits);
    return g_test_run();
}
