/* What erdiag says about captures nobody here made (../shared/public-pcaps,
 * skipped when absent) and about the summary of any capture: the frame
 * count and times of what was read, BGP outside the peering links,
 * sessions older than the capture, keepalive cadence, links that are not
 * one peering, and captures that are not ExpressRoute at all. Every
 * expectation below was checked by hand against tshark / capinfos. */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "capture_dirs.h"

#define PUBLIC ERDIAG_SOURCE_DIR "/../shared/public-pcaps"

typedef struct {
    int status;
    char *text;
    JsonParser *parser;
    JsonObject *root;
} run_result;

static void run_result_free(run_result *r)
{
    g_free(r->text);
    g_clear_object(&r->parser);
    g_free(r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(run_result, run_result_free)

/* erdiag --format json on a public capture; NULL (test skipped) when absent. */
static run_result *run_json(const char *path)
{
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_test_skip("../shared/public-pcaps is not here");
        return NULL;
    }
    run_result *r = g_new0(run_result, 1);
    const char *args[] = {"--format", "json", path, NULL};
    g_autofree char *err = NULL;
    r->status = capture_dirs_run(args, &r->text, &err);
    r->parser = json_parser_new();
    g_autoptr(GError) e = NULL;
    if (!json_parser_load_from_data(r->parser, r->text, -1, &e))
        g_error("%s: not JSON (%s); stderr: %s", path, e->message, err);
    r->root = json_node_get_object(json_parser_get_root(r->parser));
    return r;
}

static char *run_text(const char *path)
{
    const char *args[] = {path, NULL};
    char *out = NULL;
    g_autofree char *err = NULL;
    capture_dirs_run(args, &out, &err);
    return out;
}

static JsonObject *capture_info(run_result *r)
{
    return json_object_get_object_member(r->root, "capture");
}

/* Findings of one id, in report order. */
static GPtrArray *findings(run_result *r, const char *id)
{
    GPtrArray *out = g_ptr_array_new();
    JsonArray *all = json_object_get_array_member(r->root, "findings");
    for (guint i = 0; i < json_array_get_length(all); i++) {
        JsonObject *f = json_array_get_object_element(all, i);
        if (strcmp(json_object_get_string_member(f, "id"), id) == 0)
            g_ptr_array_add(out, f);
    }
    return out;
}

static guint count(run_result *r, const char *id)
{
    g_autoptr(GPtrArray) f = findings(r, id);
    return f->len;
}

static const char *message(run_result *r, const char *id)
{
    g_autoptr(GPtrArray) f = findings(r, id);
    g_assert_cmpuint(f->len, >=, 1);
    return json_object_get_string_member(g_ptr_array_index(f, 0), "message");
}

/* ---- item 4: the summary counts frames read ---- */

/* capinfos: bgp-role.pcapng 9 packets, first 2022-11-17 20:08:52.541413,
 * 2.001458 s; its BGP messages span segments, whose events carry the
 * first segment's frame after later frames' (counted 12 before). */
static void test_frames_reassembled(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-role.pcapng");
    if (!r)
        return;
    JsonObject *c = capture_info(r);
    g_assert_cmpint(json_object_get_int_member(c, "frames"), ==, 9);
    g_assert_cmpstr(json_object_get_string_member(c, "first_time"), ==, "2022-11-17T20:08:52.541413Z");
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(c, "duration_s"), 2.001458, 1e-6);
    g_autoptr(run_result) r2 = run_json(PUBLIC "/bgp-infinite-loop.pcap");
    g_assert_cmpint(json_object_get_int_member(capture_info(r2), "frames"), ==, 5);   /* counted 9 before */
    g_autoptr(run_result) r3 = run_json(PUBLIC "/bgp-as-path-oobr.pcap");
    g_assert_cmpint(json_object_get_int_member(capture_info(r3), "frames"), ==, 4);   /* counted 6 before */
}

/* A pcap of frames the engine has no event for (LLDP) around one ARP
 * request: three frames over 50 s, not one frame over 0 s. */
static void put32(GByteArray *a, guint32 v) { g_byte_array_append(a, (guint8 *)&v, 4); }
static void put16(GByteArray *a, guint16 v) { g_byte_array_append(a, (guint8 *)&v, 2); }

static void record(GByteArray *a, guint32 sec, const guint8 *frame, guint32 len)
{
    put32(a, sec);
    put32(a, 0);
    put32(a, len);
    put32(a, len);
    g_byte_array_append(a, frame, len);
}

static void test_frames_without_events(void)
{
    GByteArray *a = g_byte_array_new();
    put32(a, 0xa1b2c3d4);
    put16(a, 2);
    put16(a, 4);
    put32(a, 0);
    put32(a, 0);
    put32(a, 65535);
    put32(a, 1); /* Ethernet */
    guint8 lldp[60] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x02, 0, 0, 0, 0, 1, 0x88, 0xcc};
    guint8 arp[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06,
                      0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 1, 10, 9, 9, 1,
                      0, 0, 0, 0, 0, 0, 10, 9, 9, 2};
    record(a, 1700000000, lldp, sizeof lldp);
    record(a, 1700000010, arp, sizeof arp);
    record(a, 1700000050, lldp, sizeof lldp);
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("erdiag-frames-XXXXXX.pcap", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, a->data, a->len), ==, (gssize)a->len);
    close(fd);
    g_byte_array_unref(a);
    g_autoptr(run_result) r = run_json(path);
    g_unlink(path);
    JsonObject *c = capture_info(r);
    g_assert_cmpint(json_object_get_int_member(c, "frames"), ==, 3);
    g_assert_cmpstr(json_object_get_string_member(c, "first_time"), ==, "2023-11-14T22:13:20Z");
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(c, "duration_s"), 50.0, 1e-9);
}

/* ---- item 5: BGP outside a peering ---- */

/* tshark: one frame, 165.254.255.24:179 -> 165.254.255.17:33202 (not a /30
 * pair), NOTIFICATION Cease / Administrative Shutdown with the text "This
 * is a test of the shutdown communication system."; frame 2 retransmits it. */
static void test_unmapped_shutdown(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-shutdown-communication.pcapng");
    if (!r)
        return;
    g_assert_cmpint(r->status, ==, 1);
    g_assert_cmpuint(count(r, "capture.unmapped-bgp"), ==, 1);
    const char *m = message(r, "capture.unmapped-bgp");
    g_assert_nonnull(strstr(m, "165.254.255.24 port 179 and 165.254.255.17 port 33202"));
    g_assert_nonnull(strstr(m, "165.254.255.24 1 NOTIFICATION"));
    g_assert_nonnull(strstr(m, "Cease / Administrative Shutdown (6/2)"));
    g_assert_nonnull(strstr(m, "This is a test of the shutdown communication system."));
    g_assert_nonnull(strstr(m, "earlier state is unknown"));
    JsonArray *u = json_object_get_array_member(r->root, "unmapped_bgp");
    g_assert_cmpuint(json_array_get_length(u), ==, 1);
    JsonObject *s = json_array_get_object_element(u, 0);
    g_assert_true(json_object_get_boolean_member(s, "start_unknown"));
    g_assert_cmpstr(json_object_get_string_member(s, "state"), ==, "Idle");
}

/* tshark: 127.0.0.1:20 -> 127.0.0.1:179 (a loopback session); frame 1
 * carries a NOTIFICATION Cease / Administrative Reset "0123456789". */
static void test_unmapped_loopback(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-shutdown-msg-variations.pcap");
    if (!r)
        return;
    g_assert_cmpint(r->status, ==, 1);
    g_assert_cmpuint(count(r, "capture.unmapped-bgp"), ==, 1);
    g_assert_nonnull(strstr(message(r, "capture.unmapped-bgp"), "Cease / Administrative Reset (6/4)"));
    g_assert_cmpuint(count(r, "capture.no-expressroute"), ==, 1);
}

/* ---- item 6: sessions older than the capture ---- */

/* tshark: both OPENs (AS 100 on both), then 61 bytes of 1.0.0.2's stream
 * are not in the capture ("previous segment not captured"), then a
 * NOTIFICATION Cease / Hard Reset: whether it was Established is unknown. */
static void test_hard_reset_after_gap(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-cease-hard-reset.pcap");
    if (!r)
        return;
    g_assert_cmpuint(count(r, "bgp.not-established"), ==, 0);
    g_assert_cmpuint(count(r, "bgp.notification"), ==, 1);
}

/* tshark: one frame, a NOTIFICATION from 1.0.0.1 to 1.0.0.2 (a /30 pair)
 * with no SYN or OPEN before it: not "never reached Established". */
static void test_notification_first(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-malformed-hard-reset.pcap");
    if (!r)
        return;
    g_assert_cmpuint(count(r, "bgp.not-established"), ==, 0);
    g_assert_cmpuint(count(r, "bgp.notification"), ==, 1);
    g_assert_nonnull(strstr(r->text, "the session's state before is unknown"));
}

/* ---- item 8: keepalive cadence ---- */

/* The bundled capture's routers are configured keepalive 3 s: tshark shows
 * intervals of 2.29-2.95 s, RFC 4271's jitter, not a breach of the floor. */
static void test_keepalive_3s_jittered(void)
{
    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "bgp-timers-low", NULL);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autoptr(run_result) r = run_json(cap);
    g_autoptr(GPtrArray) t = findings(r, "bgp.timers");
    g_assert_cmpuint(t->len, ==, 2); /* the hold time 9 s on each link, nothing else */
    for (guint i = 0; i < t->len; i++)
        g_assert_null(strstr(json_object_get_string_member(g_ptr_array_index(t, i), "message"), "KEEPALIVE"));
}

/* tshark: after the Administrative Reset the session comes back and two
 * KEEPALIVEs go out 44 ms apart: a reconnect's burst, not "every 0.0 s". */
static void test_keepalive_burst(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-lu-multiple-labels.pcap");
    if (!r)
        return;
    g_assert_null(strstr(r->text, "sends KEEPALIVEs every"));
}

/* ---- item 10 and issue 16: links that are not one peering ---- */

/* tshark: four /30s (1.0.0.0, 1.0.2.0, 1.0.3.0, 1.0.4.0), untagged, no two
 * in one /29; the AS 2764334674 router faces AS 1, 200, 300 and 400, from
 * network + 2 on two links and network + 1 on the other two. Four
 * peerings, none compared with another; and no AS 12076 anywhere. */
static void test_unrelated_links(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/bgp-4byte-asn.pcap");
    if (!r)
        return;
    JsonArray *p = json_object_get_array_member(r->root, "peerings");
    g_assert_cmpuint(json_array_get_length(p), ==, 4);
    for (guint i = 0; i < 4; i++) {
        JsonArray *links = json_object_get_array_member(json_array_get_object_element(p, i), "links");
        g_assert_cmpuint(json_array_get_length(links), ==, 1);
        g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(links, 0), "microsoft_evidence"),
                        ==, "address");
    }
    g_assert_cmpuint(count(r, "routes.asymmetric"), ==, 0);
    g_assert_cmpuint(count(r, "bgp.open.peer-asn-mismatch"), ==, 0);
    g_assert_cmpuint(count(r, "capture.no-expressroute"), ==, 1);
}

/* The bundled capture of two unrelated router pairs on one VLAN (AS 65001 -
 * 65100 on 10.20.0.0/30, AS 65002 - 65200 on 10.20.9.0/30): two peerings. */
static void test_unrelated_same_vlan(void)
{
    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "unrelated-links", NULL);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autoptr(run_result) r = run_json(cap);
    JsonArray *p = json_object_get_array_member(r->root, "peerings");
    g_assert_cmpuint(json_array_get_length(p), ==, 2);
    g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(p, 0), "name"), ==, "vlan300");
    g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(p, 1), "name"), ==, "vlan300-2");
    g_assert_cmpuint(count(r, "routes.asymmetric"), ==, 0);
}

/* Two Cisco routers, ARP and ICMP on VLAN 123 (packetlife's capture): not a
 * healthy ExpressRoute report. */
static void test_not_expressroute(void)
{
    g_autoptr(run_result) r = run_json(PUBLIC "/icmp_dot1q.pcap");
    if (!r)
        return;
    g_assert_cmpint(r->status, ==, 1);
    g_assert_cmpuint(count(r, "capture.no-expressroute"), ==, 1);
    g_autofree char *text = run_text(PUBLIC "/icmp_dot1q.pcap");
    g_assert_nonnull(strstr(text, "Microsoft side: assumed from the address only"));
    g_assert_nonnull(strstr(text, "No ExpressRoute peering in the capture"));
}

/* The bundled healthy capture shows AS 12076: evidence, and no warning. */
static void test_evidence_asn(void)
{
    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "healthy", NULL);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autoptr(run_result) r = run_json(cap);
    g_assert_cmpuint(count(r, "capture.no-expressroute"), ==, 0);
    g_assert_nonnull(strstr(r->text, "\"microsoft_evidence\" : \"asn\""));
    g_assert_null(strstr(r->text, "\"microsoft_evidence\" : \"address\""));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/trust/frames/reassembled", test_frames_reassembled);
    g_test_add_func("/trust/frames/without-events", test_frames_without_events);
    g_test_add_func("/trust/unmapped/shutdown", test_unmapped_shutdown);
    g_test_add_func("/trust/unmapped/loopback", test_unmapped_loopback);
    g_test_add_func("/trust/midstream/hard-reset-after-gap", test_hard_reset_after_gap);
    g_test_add_func("/trust/midstream/notification-first", test_notification_first);
    g_test_add_func("/trust/timers/keepalive-3s", test_keepalive_3s_jittered);
    g_test_add_func("/trust/timers/burst", test_keepalive_burst);
    g_test_add_func("/trust/pairing/unrelated", test_unrelated_links);
    g_test_add_func("/trust/pairing/unrelated-same-vlan", test_unrelated_same_vlan);
    g_test_add_func("/trust/no-expressroute/icmp-dot1q", test_not_expressroute);
    g_test_add_func("/trust/no-expressroute/healthy", test_evidence_asn);
    return g_test_run();
}
