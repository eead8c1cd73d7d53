/* What the findings on the bundled captures tell the engineer: the advice
 * follows Microsoft's documentation (docs/findings.md quotes the pages),
 * the data-plane verdicts do not contradict each other, and a finding sits
 * on the link its evidence came in on. Each check runs erdiag as a user
 * does, with the capture's peering.ini. */
#include <string.h>
#include <json-glib/json-glib.h>
#include "capture_dirs.h"

typedef struct {
    JsonParser *parser;
    JsonArray *findings;
    char *json;
} report;

static report *run(const char *name, gboolean with_config)
{
    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", name, NULL);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    const char *args_cfg[] = {"--format", "json", "--config", ini, cap, NULL};
    const char *args_zero[] = {"--format", "json", cap, NULL};
    report *r = g_new0(report, 1);
    g_autofree char *err = NULL;
    g_assert_cmpint(capture_dirs_run(with_config ? args_cfg : args_zero, &r->json, &err), ==, 1);
    r->parser = json_parser_new();
    g_autoptr(GError) e = NULL;
    g_assert_true(json_parser_load_from_data(r->parser, r->json, -1, &e));
    g_assert_no_error(e);
    r->findings = json_object_get_array_member(json_node_get_object(json_parser_get_root(r->parser)), "findings");
    return r;
}

static void report_free(report *r)
{
    g_object_unref(r->parser);
    g_free(r->json);
    g_free(r);
}

static const char *str(JsonObject *f, const char *member)
{
    return json_object_get_null_member(f, member) ? NULL : json_object_get_string_member(f, member);
}

/* The findings of one id whose message contains text (NULL: any); their
 * number in *n. Returns the last. */
static JsonObject *find(report *r, const char *id, const char *text, guint *n)
{
    JsonObject *last = NULL;
    guint count = 0;
    for (guint i = 0; i < json_array_get_length(r->findings); i++) {
        JsonObject *f = json_array_get_object_element(r->findings, i);
        if (g_strcmp0(str(f, "id"), id) != 0 || (text && !strstr(str(f, "message"), text)))
            continue;
        count++;
        last = f;
    }
    if (n)
        *n = count;
    return last;
}

static JsonObject *find_one(report *r, const char *id, const char *text)
{
    guint n = 0;
    JsonObject *f = find(r, id, text, &n);
    if (n != 1)
        g_error("%u findings %s with \"%s\" (want 1):\n%s", n, id, text ? text : "", r->json);
    return f;
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        g_error("\"%s\" not in: %s", needle, haystack ? haystack : "(null)");
}

static void assert_lacks(const char *haystack, const char *needle)
{
    if (haystack && strstr(haystack, needle))
        g_error("\"%s\" should not be in: %s", needle, haystack);
}

/* Getting ARP tables: an On-Prem entry Incomplete or missing is the
 * provider's; only a missing table is Microsoft's. The on-prem router's
 * requests for the MSEE go unanswered on the secondary. */
static void test_arp_unanswered_to_msee(void)
{
    report *r = run("secondary-msee-silent", TRUE);
    JsonObject *f = find_one(r, "arp.unanswered", "for 192.168.30.134 (Microsoft)");
    const char *advice = str(f, "advice");
    assert_contains(advice, "open a support request with your connectivity provider");
    assert_contains(advice, "Incomplete");
    assert_contains(advice, "no ARP table at all");
    assert_lacks(advice, "Microsoft's side of layer 2 is at fault");
    report_free(r);
}

/* The MSEE's requests for the on-prem address: the provider again. */
static void test_arp_unanswered_to_onprem(void)
{
    report *r = run("wrong-subnet", TRUE);
    JsonObject *f = find_one(r, "arp.unanswered", "for 192.168.82.5 (on-prem)");
    assert_contains(str(f, "advice"), "connectivity provider");
    assert_contains(str(f, "advice"), "first usable address");
    report_free(r);
}

static void test_vlan_mismatch_incomplete(void)
{
    report *r = run("vlan-mismatch", TRUE);
    guint n = 0;
    JsonObject *f = find(r, "arp.vlan-mismatch", NULL, &n);
    g_assert_cmpuint(n, >=, 1);
    const char *advice = str(f, "advice");
    assert_contains(advice, "Incomplete");
    assert_contains(advice, "only the Microsoft entry");
    assert_contains(advice, "connectivity provider");
    report_free(r);
}

/* The router configuration samples: MTU 1,500, no MSS for ExpressRoute;
 * the gateway: 1,400-byte packets, no fragments. No ExpressRoute page
 * gives an MSS of 1,360. */
static void test_oversize_advice(void)
{
    report *r = run("oversize", TRUE);
    const char *advice = str(find_one(r, "dataplane.oversize", NULL), "advice");
    assert_contains(advice, "1,500");
    assert_contains(advice, "no TCP MSS setting is needed");
    assert_contains(advice, "1,400 bytes");
    assert_contains(advice, "fragmented");
    assert_lacks(advice, "1,360");
    assert_lacks(advice, "clamp");
    report_free(r);
}

/* Every /30 the prefix covers, and no claim that the prefix pulls BGP's
 * own traffic (the connected /30 wins). */
static void test_overlap_peering_subnet(void)
{
    report *r = run("overlap", TRUE);
    guint n = 0;
    find(r, "routes.overlap-peering-subnet", NULL, &n);
    g_assert_cmpuint(n, ==, 2); /* one per link that heard the prefix */
    for (guint i = 0; i < json_array_get_length(r->findings); i++) {
        JsonObject *f = json_array_get_object_element(r->findings, i);
        if (g_strcmp0(str(f, "id"), "routes.overlap-peering-subnet") != 0)
            continue;
        assert_contains(str(f, "message"), "192.168.72.16/30 (primary), 192.168.72.20/30 (secondary)");
        assert_contains(str(f, "advice"), "longest prefix");
        assert_lacks(str(f, "advice"), "pull BGP's own traffic");
    }
    /* an on-prem prefix inside a VNet: ExpressRoute's pages say nothing,
     * so the advice does not claim what Azure does with it */
    const char *vnet = str(find_one(r, "routes.overlap-vnet", "primary: on-prem prefix 10.1.5.0/24"), "advice");
    assert_contains(vnet, "VPN gateway filters such prefixes");
    assert_lacks(vnet, "shadowed");
    report_free(r);
}

/* The configured source no advertised prefix covers: the same cause and
 * severity as dataplane.uncovered-source, and the same words. */
static void test_source_not_covered(void)
{
    report *r = run("expected-missing", TRUE);
    JsonObject *f = find_one(r, "routes.source-not-covered", "primary: on-prem source 10.50.3.4");
    g_assert_cmpstr(str(f, "severity"), ==, "error");
    assert_contains(str(f, "advice"), "Azure has no route back to this source");
    assert_contains(str(f, "advice"), "whatever the NSGs allow");
    report_free(r);
}

/* One NOTIFICATION 4/0: two findings, one paragraph of advice. */
static void test_hold_timer_advice_once(void)
{
    report *r = run("hold-timer", TRUE);
    const char *notification = str(find_one(r, "bgp.notification", "Hold Timer Expired"), "advice");
    const char *hold = str(find_one(r, "bgp.hold-timer-expired", NULL), "advice");
    g_assert_cmpstr(notification, !=, hold);
    assert_contains(notification, "bgp.hold-timer-expired");
    assert_contains(hold, "KEEPALIVE");
    report_free(r);
}

/* captures/dataplane: 172.16.1.10's port 3389 is filtered (6 SYNs), and
 * 192.168.99.10's SYNs have no route back (6 SYNs). The first is an
 * unanswered connection citing every SYN; the second only an uncovered
 * source (an error, like routes.source-not-covered), never also sent to
 * the NSGs. */
static void check_dataplane(gboolean with_config)
{
    report *r = run("dataplane", with_config);
    guint n = 0;
    find(r, "dataplane.unanswered-connection", NULL, &n);
    g_assert_cmpuint(n, ==, 1);
    JsonObject *f = find_one(r, "dataplane.unanswered-connection", "172.16.1.10 -> 10.1.0.4 port 3389");
    assert_contains(str(f, "message"), ": 6 SYNs got no answer");
    g_assert_cmpint(json_object_get_int_member(f, "frame_count"), ==, 6);
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(f, "frames")), ==, 6);
    assert_contains(str(f, "advice"), "NSG");
    g_assert_cmpstr(str(f, "link"), ==, "primary");

    JsonObject *u = find_one(r, "dataplane.uncovered-source", "192.168.99.10");
    g_assert_cmpstr(str(u, "severity"), ==, "error");
    assert_contains(str(u, "message"), "1 connection from it got no answer (6 SYNs)");
    assert_contains(str(u, "advice"), "no route back");
    g_assert_cmpint(json_object_get_int_member(u, "frame_count"), ==, 6);
    report_free(r);
}

static void test_dataplane_config(void)
{
    check_dataplane(TRUE);
}

static void test_dataplane_zero_config(void)
{
    check_dataplane(FALSE);
}

/* The stray ARP of the secondary's misconfigured router came in on the
 * secondary's capture interface: the secondary's finding, and the
 * primary's ARP check passes (text checklist, with and without config). */
static void check_wrong_subnet(gboolean with_config)
{
    report *r = run("wrong-subnet", with_config);
    JsonObject *f = find_one(r, "arp.wrong-subnet", "192.168.82.25");
    g_assert_cmpstr(str(f, "link"), ==, "secondary");
    g_assert_cmpint(json_object_get_int_member(f, "frame_count"), ==, 20);
    assert_contains(str(f, "advice"), "the on-prem router must use the first usable address");
    report_free(r);

    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "wrong-subnet", NULL);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    const char *args_cfg[] = {"--config", ini, cap, NULL};
    const char *args_zero[] = {cap, NULL};
    g_autofree char *text = NULL, *err = NULL;
    g_assert_cmpint(capture_dirs_run(with_config ? args_cfg : args_zero, &text, &err), ==, 1);
    assert_contains(text, "2   VLAN and ARP                 pass           fail");
}

static void test_wrong_subnet_config(void)
{
    check_wrong_subnet(TRUE);
}

static void test_wrong_subnet_zero_config(void)
{
    check_wrong_subnet(FALSE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/verdicts/arp-unanswered-to-msee", test_arp_unanswered_to_msee);
    g_test_add_func("/verdicts/arp-unanswered-to-onprem", test_arp_unanswered_to_onprem);
    g_test_add_func("/verdicts/vlan-mismatch-incomplete", test_vlan_mismatch_incomplete);
    g_test_add_func("/verdicts/oversize-advice", test_oversize_advice);
    g_test_add_func("/verdicts/overlap-peering-subnet", test_overlap_peering_subnet);
    g_test_add_func("/verdicts/hold-timer-advice-once", test_hold_timer_advice_once);
    g_test_add_func("/verdicts/source-not-covered", test_source_not_covered);
    g_test_add_func("/verdicts/dataplane/config", test_dataplane_config);
    g_test_add_func("/verdicts/dataplane/zero-config", test_dataplane_zero_config);
    g_test_add_func("/verdicts/wrong-subnet/config", test_wrong_subnet_config);
    g_test_add_func("/verdicts/wrong-subnet/zero-config", test_wrong_subnet_zero_config);
    return g_test_run();
}
