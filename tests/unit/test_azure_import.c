/* Azure's exports as input: the peering JSON in its three shapes becomes the
 * configuration an INI would give, bad input is a one-line error naming the
 * file and the key, ARP/route tables load from every shape the tools write,
 * and the comparison with a capture says where the two views disagree. */
#include <string.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "unit/capture_run.h"
#include "azure_import.h"
#include "test_tmpdir.h"

static char *tmpdir;

static char *write_tmp(const char *name, const char *text)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static char *example(const char *scenario, const char *file)
{
    return g_build_filename(ERDIAG_SOURCE_DIR, "captures", "azure-examples", scenario, file, NULL);
}

static const erdiag_peering_config *only_peering(const erdiag_config *cfg)
{
    g_assert_nonnull(cfg);
    g_assert_cmpuint(cfg->peerings->len, ==, 1);
    return g_ptr_array_index(cfg->peerings, 0);
}

static void assert_prefix(const erdiag_prefix *p, const char *want)
{
    char buf[ERDIAG_PREFIX_STRLEN];
    g_assert_cmpstr(erdiag_prefix_to_string(p, buf), ==, want);
}

/* --- the peering ------------------------------------------------------------ */

static void test_peering_az_show(void)
{
    g_autofree char *path = example("healthy", "peering.json");
    g_autoptr(GError) err = NULL;
    erdiag_config *cfg = erdiag_azure_peering_load(path, &err);
    g_assert_no_error(err);
    const erdiag_peering_config *pc = only_peering(cfg);
    /* the circuit's name from the resource id, not "AzurePrivatePeering" */
    g_assert_cmpstr(pc->name, ==, "er-healthy");
    g_assert_true(pc->has_vlan);
    g_assert_cmpuint(pc->vlan, ==, 100);
    g_assert_true(pc->has_peer_asn);
    g_assert_cmpuint(pc->peer_asn, ==, 65010);
    g_assert_true(pc->has_primary && pc->has_secondary);
    assert_prefix(&pc->primary, "192.168.15.16/30");
    assert_prefix(&pc->secondary, "192.168.15.20/30");
    g_assert_false(pc->has_primary_v6);
    g_assert_cmpstr(cfg->source, ==, path);
    erdiag_config_free(cfg);
}

static void test_peering_rest_shape(void)
{
    g_autofree char *path = example("vlan-mismatch", "peering.json");
    g_autoptr(GError) err = NULL;
    erdiag_config *cfg = erdiag_azure_peering_load(path, &err);
    g_assert_no_error(err);
    const erdiag_peering_config *pc = only_peering(cfg);
    g_assert_cmpuint(pc->vlan, ==, 100);
    g_assert_cmpuint(pc->peer_asn, ==, 65010); /* REST spells it peerASN */
    assert_prefix(&pc->primary, "192.168.20.0/30");
    erdiag_config_free(cfg);
}

/* A Microsoft peering export (alone, or the only one a list holds besides
 * a retired public peering) becomes a peering of type microsoft. */
static void test_microsoft_peering(void)
{
    const char *json =
        "[{\"name\":\"AzurePublicPeering\",\"peeringType\":\"AzurePublicPeering\",\"vlanId\":400,\"peerAsn\":65020,"
        "\"primaryPeerAddressPrefix\":\"198.51.100.8/30\"},"
        " {\"name\":\"MicrosoftPeering\",\"peeringType\":\"MicrosoftPeering\",\"vlanId\":300,\"peerAsn\":65020,"
        "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\",\"secondaryPeerAddressPrefix\":\"203.0.113.4/30\","
        "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":[\"203.0.113.128/27\"]}}]";
    g_autoptr(GError) err = NULL;
    g_autofree char *ini = NULL;
    erdiag_config *cfg = erdiag_azure_peering_load_data(json, strlen(json), "ms.json", &ini, &err);
    g_assert_no_error(err);
    g_assert_nonnull(strstr(ini, "peering-type = microsoft"));
    const erdiag_peering_config *pc = only_peering(cfg);
    g_assert_true(pc->has_peering_type);
    g_assert_cmpint(pc->peering_type, ==, ERDIAG_PEERING_MICROSOFT);
    g_assert_cmpuint(pc->vlan, ==, 300);
    assert_prefix(&pc->secondary, "203.0.113.4/30");
    erdiag_config_free(cfg);
}

static void test_peering_list_picks_private(void)
{
    const char *json =
        "[{\"name\":\"MicrosoftPeering\",\"peeringType\":\"MicrosoftPeering\",\"vlanId\":300,\"peerAsn\":65020,"
        "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\"},"
        " {\"name\":\"AzurePrivatePeering\",\"peeringType\":\"AzurePrivatePeering\",\"vlanId\":200,\"peerAsn\":64512,"
        "\"primaryPeerAddressPrefix\":\"10.9.0.0/30\",\"secondaryPeerAddressPrefix\":\"10.9.0.4/30\","
        "\"ipv6PeeringConfig\":{\"primaryPeerAddressPrefix\":\"fd00:9::/126\",\"secondaryPeerAddressPrefix\":\"fd00:9::4/126\"}}]";
    g_autoptr(GError) err = NULL;
    g_autofree char *ini = NULL;
    erdiag_config *cfg = erdiag_azure_peering_load_data(json, strlen(json), "list.json", &ini, &err);
    g_assert_no_error(err);
    const erdiag_peering_config *pc = only_peering(cfg);
    g_assert_cmpuint(pc->vlan, ==, 200);
    g_assert_cmpuint(pc->peer_asn, ==, 64512);
    g_assert_true(pc->has_primary_v6 && pc->has_secondary_v6);
    assert_prefix(&pc->primary_v6, "fd00:9::/126");
    assert_prefix(&pc->secondary_v6, "fd00:9::4/126");
    /* the rendered INI is what --config would have read */
    g_assert_nonnull(strstr(ini, "vlan = 200"));
    g_assert_nonnull(strstr(ini, "primary-subnet-v6 = fd00:9::/126"));
    erdiag_config_free(cfg);

    /* a circuit's own JSON (az network express-route show) carries its peerings */
    const char *circuit = "{\"name\":\"c1\",\"properties\":{\"peerings\":[{\"name\":\"AzurePrivatePeering\","
                          "\"properties\":{\"peeringType\":\"AzurePrivatePeering\",\"vlanId\":7,\"peerASN\":65001,"
                          "\"primaryPeerAddressPrefix\":\"10.7.0.0/30\"}}]}}";
    cfg = erdiag_azure_peering_load_data(circuit, strlen(circuit), "circuit.json", NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(only_peering(cfg)->vlan, ==, 7);
    erdiag_config_free(cfg);
}

/* Errors are one line that starts with the file and names the JSON key. */
static void expect_error(const char *json, const char *must_contain)
{
    g_autoptr(GError) err = NULL;
    erdiag_config *cfg = erdiag_azure_peering_load_data(json, strlen(json), "bad.json", NULL, &err);
    g_assert_null(cfg);
    g_assert_nonnull(err);
    if (!g_str_has_prefix(err->message, "bad.json: ") || !strstr(err->message, must_contain)
        || strchr(err->message, '\n'))
        g_error("error \"%s\" should start with the file and contain \"%s\"", err->message, must_contain);
}

static void test_peering_errors(void)
{
    expect_error("{\"vlanId\": 100, ", "not valid JSON");
    expect_error("42", "peering show");
    expect_error("{\"vlanId\":5000,\"peerAsn\":65010,\"primaryPeerAddressPrefix\":\"10.0.0.0/30\"}",
                 "vlanId = 5000: expected a VLAN ID from 1 to 4094");
    expect_error("{\"vlanId\":100,\"peerASN\":\"sixty\",\"primaryPeerAddressPrefix\":\"10.0.0.0/30\"}", "peerASN");
    expect_error("{\"vlanId\":100,\"peerAsn\":65010,\"primaryPeerAddressPrefix\":\"10.0.0.1/30\"}",
                 "primaryPeerAddressPrefix = 10.0.0.1/30: expected a network address without host bits");
    expect_error("{\"vlanId\":100,\"peerAsn\":65010,\"primaryPeerAddressPrefix\":\"10.0.0.0/29\"}",
                 "primaryPeerAddressPrefix = 10.0.0.0/29");
    expect_error("{\"vlanId\":100,\"peerAsn\":65010,\"primaryPeerAddressPrefix\":\"10.0.0.0/30\","
                 "\"ipv6PeeringConfig\":{\"primaryPeerAddressPrefix\":\"fd00::/64\"}}",
                 "ipv6PeeringConfig.primaryPeerAddressPrefix = fd00::/64");
    expect_error("{\"vlanId\":100,\"peerAsn\":65010}", "primaryPeerAddressPrefix");
    expect_error("{\"peeringType\":\"AzurePublicPeering\",\"vlanId\":100}", "peeringType = AzurePublicPeering");
    expect_error("[{\"peeringType\":\"AzurePublicPeering\"},{\"peeringType\":\"AzurePublicPeering\"}]",
                 "no AzurePrivatePeering or MicrosoftPeering");
    /* Microsoft peering is read, and must still name its subnets */
    expect_error("{\"peeringType\":\"MicrosoftPeering\",\"vlanId\":100}", "primaryPeerAddressPrefix");
    /* a value cannot smuggle INI keys or sections in */
    expect_error("{\"vlanId\":\"100\\n[erdiag]\\nmax-flows = 16\",\"peerAsn\":65010,"
                 "\"primaryPeerAddressPrefix\":\"10.0.0.0/30\"}", "vlanId");
}

/* --- the tables ------------------------------------------------------------- */

static void test_tables_shapes(void)
{
    g_autoptr(erdiag_azure_evidence) ev = erdiag_azure_evidence_new();
    g_autoptr(GError) err = NULL;
    /* Az PowerShell's ConvertTo-Json: capitalised keys, InterfaceProperty, colon MACs */
    const char *ps = "[{\"Age\":3,\"InterfaceProperty\":\"On-Prem\",\"IpAddress\":\"10.0.0.1\","
                     "\"MacAddress\":\"02:C0:00:00:01:01\"},{\"Age\":0,\"InterfaceProperty\":\"Microsoft\","
                     "\"IpAddress\":\"10.0.0.2\",\"MacAddress\":\"Incomplete\"}]";
    g_assert_true(erdiag_azure_evidence_add_data(ev, ERDIAG_AZURE_TABLE_ARP, ERDIAG_AZURE_PATH_UNKNOWN, ps, strlen(ps),
                                                 "ps.json", &err));
    g_assert_no_error(err);
    const erdiag_azure_table *t = g_ptr_array_index(ev->tables, 0);
    g_assert_cmpint(t->kind, ==, ERDIAG_AZURE_TABLE_ARP);
    g_assert_cmpuint(t->rows->len, ==, 2);
    const erdiag_azure_arp_row *r0 = g_ptr_array_index(t->rows, 0), *r1 = g_ptr_array_index(t->rows, 1);
    g_assert_cmpstr(r0->interface, ==, "On-Prem");
    g_assert_cmpstr(r0->age, ==, "3");
    g_assert_true(r0->ip_ok && r0->mac_ok);
    static const guint8 mac[6] = {0x02, 0xc0, 0, 0, 1, 1};
    g_assert_cmpmem(r0->mac, 6, mac, 6);
    g_assert_false(r1->mac_ok);

    /* {"value": [...]} with a "path" hint; Azure's dotted MACs */
    const char *az = "{\"path\":\"secondary\",\"value\":[{\"age\":1,\"interface\":\"On-Prem\",\"ipAddress\":\"10.0.0.5\","
                     "\"macAddress\":\"02c0.0000.0101\"}]}";
    g_assert_true(erdiag_azure_evidence_add_data(ev, ERDIAG_AZURE_TABLE_ARP, ERDIAG_AZURE_PATH_UNKNOWN, az, strlen(az),
                                                 "az.json", &err));
    t = g_ptr_array_index(ev->tables, 1);
    g_assert_cmpint(t->path, ==, ERDIAG_AZURE_PATH_SECONDARY);
    g_assert_cmpmem(((erdiag_azure_arp_row *)g_ptr_array_index(t->rows, 0))->mac, 6, mac, 6);

    /* route tables and summaries are told apart by their keys */
    const char *rt = "{\"value\":[{\"network\":\"10.1.0.0/16\",\"nextHop\":\"10.1.255.4*\",\"path\":\"65515\","
                     "\"locPrf\":\"\",\"weight\":0}]}";
    const char *sum = "[{\"neighbor\":\"10.0.0.1\",\"v\":4,\"as\":65010,\"upDown\":\"1d02h\",\"statePfxRcd\":\"3\"}]";
    g_assert_true(erdiag_azure_evidence_add_data(ev, ERDIAG_AZURE_TABLE_ROUTES, ERDIAG_AZURE_PATH_PRIMARY, rt,
                                                 strlen(rt), "rt.json", &err));
    g_assert_true(erdiag_azure_evidence_add_data(ev, ERDIAG_AZURE_TABLE_ROUTES, ERDIAG_AZURE_PATH_UNKNOWN, sum,
                                                 strlen(sum), "sum.json", &err));
    t = g_ptr_array_index(ev->tables, 2);
    const erdiag_azure_route_row *rr = g_ptr_array_index(t->rows, 0);
    g_assert_cmpint(t->kind, ==, ERDIAG_AZURE_TABLE_ROUTES);
    g_assert_true(rr->prefix_ok && rr->nh_ok); /* the trailing '*' is not part of the address */
    g_assert_cmpstr(rr->weight, ==, "0");
    t = g_ptr_array_index(ev->tables, 3);
    g_assert_cmpint(t->kind, ==, ERDIAG_AZURE_TABLE_SUMMARY);
    g_assert_cmpstr(((erdiag_azure_summary_row *)g_ptr_array_index(t->rows, 0))->as, ==, "65010");

    /* an empty table is kept: "no ARP table at all" is evidence too */
    g_assert_true(erdiag_azure_evidence_add_data(ev, ERDIAG_AZURE_TABLE_ARP, ERDIAG_AZURE_PATH_PRIMARY, "[]", 2,
                                                 "empty.json", &err));
    g_assert_cmpuint(ev->tables->len, ==, 5);
}

static void expect_table_error(erdiag_azure_table_kind kind, const char *json, const char *must_contain)
{
    g_autoptr(erdiag_azure_evidence) ev = erdiag_azure_evidence_new();
    g_autoptr(GError) err = NULL;
    g_assert_false(erdiag_azure_evidence_add_data(ev, kind, ERDIAG_AZURE_PATH_UNKNOWN, json, strlen(json), "t.json", &err));
    g_assert_nonnull(err);
    if (!g_str_has_prefix(err->message, "t.json: ") || !strstr(err->message, must_contain))
        g_error("error \"%s\" should name the file and contain \"%s\"", err->message, must_contain);
    g_assert_cmpuint(ev->tables->len, ==, 0);
}

static void test_tables_errors(void)
{
    expect_table_error(ERDIAG_AZURE_TABLE_ARP, "[{\"ipAddress\": ", "not valid JSON");
    expect_table_error(ERDIAG_AZURE_TABLE_ARP, "{\"nextLink\": null}", "value");
    expect_table_error(ERDIAG_AZURE_TABLE_ARP, "[{\"network\":\"10.0.0.0/8\"}]", "ARP table");
    expect_table_error(ERDIAG_AZURE_TABLE_ROUTES, "[{\"ipAddress\":\"10.0.0.1\"}]", "route table");
    expect_table_error(ERDIAG_AZURE_TABLE_ARP, "[{\"ipAddress\":\"10.0.0.1\"}, 7]", "value[1]");
    expect_table_error(ERDIAG_AZURE_TABLE_ROUTES, "[{\"foo\":1}]", "value[0]");
}

static void test_spec_paths(void)
{
    const char *arp = "[{\"age\":0,\"interface\":\"On-Prem\",\"ipAddress\":\"10.0.0.1\",\"macAddress\":\"Incomplete\"}]";
    g_autofree char *a = write_tmp("arp-secondary.json", arp);
    g_autofree char *b = write_tmp("b.json", arp);
    g_autofree char *spec = g_strdup_printf("%s, primary=%s", a, b);
    g_autoptr(GError) err = NULL;
    g_autoptr(erdiag_azure_evidence) ev = erdiag_azure_evidence_load(spec, NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(ev->tables->len, ==, 2);
    g_assert_cmpint(((erdiag_azure_table *)g_ptr_array_index(ev->tables, 0))->path, ==, ERDIAG_AZURE_PATH_SECONDARY);
    g_assert_cmpint(((erdiag_azure_table *)g_ptr_array_index(ev->tables, 1))->path, ==, ERDIAG_AZURE_PATH_PRIMARY);
    g_assert_cmpstr(((erdiag_azure_table *)g_ptr_array_index(ev->tables, 1))->source, ==, b);

    g_autofree char *missing = g_build_filename(tmpdir, "missing.json", NULL);
    erdiag_azure_evidence *none = erdiag_azure_evidence_load(NULL, missing, &err);
    g_assert_null(none);
    g_assert_true(g_str_has_prefix(err->message, missing));
}

/* --- the comparison --------------------------------------------------------- */

typedef struct {
    erdiag_engine *engine;
    erdiag_config *cfg;
} run;

static gboolean run_capture(run *r, const char *scenario)
{
    g_autofree char *cap = g_build_filename(ERDIAG_SOURCE_DIR, "captures", scenario, "capture.pcapng", NULL);
    g_autofree char *json = example(scenario, "peering.json");
    if (!g_file_test(cap, G_FILE_TEST_EXISTS))
        return FALSE;
    g_autoptr(GError) err = NULL;
    r->cfg = erdiag_azure_peering_load(json, &err);
    g_assert_no_error(err);
    r->engine = capture_run(cap, r->cfg);
    g_assert_nonnull(r->engine);
    return TRUE;
}

static void run_free(run *r)
{
    erdiag_engine_free(r->engine);
    erdiag_config_free(r->cfg);
}

static const erdiag_azure_diff *find_diff(GPtrArray *diffs, const char *table, const char *link, const char *item)
{
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        if (strcmp(d->table, table) == 0 && g_strcmp0(d->link, link) == 0 && strcmp(d->item, item) == 0)
            return d;
    }
    g_error("no %s diff for %s / %s", table, link, item);
    return NULL;
}

/* "a.json,secondary=b.json" with every file under the scenario's example directory. */
static char *example_spec(const char *scenario, const char *spec)
{
    if (!spec)
        return NULL;
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    GString *out = g_string_new(NULL);
    for (char **p = items; *p; p++) {
        const char *eq = strchr(*p, '=');
        g_autofree char *file = example(scenario, eq ? eq + 1 : *p);
        g_string_append_printf(out, "%s%.*s%s", out->len ? "," : "", eq ? (int)(eq - *p + 1) : 0, *p, file);
    }
    return g_string_free(out, FALSE);
}

static erdiag_azure_evidence *load_examples(const char *scenario, const char *arp, const char *routes)
{
    g_autofree char *as = example_spec(scenario, arp), *rs = example_spec(scenario, routes);
    g_autoptr(GError) err = NULL;
    erdiag_azure_evidence *ev = erdiag_azure_evidence_load(as, rs, &err);
    g_assert_no_error(err);
    return ev;
}

static void test_compare_healthy(void)
{
    run r;
    if (!run_capture(&r, "healthy")) {
        g_test_skip("captures/healthy not present");
        return;
    }
    g_autoptr(erdiag_azure_evidence) ev = load_examples("healthy", "arp-primary.json,arp-secondary.json",
                                                        "routes-primary.json,routes-secondary.json,routes-summary-primary.json");
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(r.engine, ev);
    /* the exports were taken from the same state: everything agrees */
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        if (d->verdict != ERDIAG_AZURE_AGREE)
            g_error("%s %s (%s): %s: Azure %s, capture %s", d->table, d->item, d->link,
                    erdiag_azure_verdict_name(d->verdict), d->azure, d->capture);
    }
    /* tables were matched to links by file name and addresses */
    g_assert_cmpint(find_diff(diffs, "arp", "primary", "On-Prem 192.168.15.17")->verdict, ==, ERDIAG_AZURE_AGREE);
    g_assert_cmpint(find_diff(diffs, "arp", "secondary", "Microsoft 192.168.15.22")->verdict, ==, ERDIAG_AZURE_AGREE);
    g_assert_nonnull(strstr(find_diff(diffs, "routes", "primary", "6 routes")->explanation, "agree"));
    g_assert_cmpint(find_diff(diffs, "summary", "primary", "neighbor 192.168.15.17")->verdict, ==, ERDIAG_AZURE_AGREE);
    run_free(&r);
}

/* A capture that starts after the session came up: Azure's table holds
 * routes advertised before it; the comparison says why the capture lacks
 * them, and the route advertised during the capture agrees. */
static void test_compare_midstream(void)
{
    run r;
    if (!run_capture(&r, "midstream")) {
        g_test_skip("captures/midstream not present");
        return;
    }
    g_autoptr(erdiag_azure_evidence) ev = load_examples("midstream", NULL, "routes-primary.json");
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(r.engine, ev);
    const erdiag_azure_diff *before = find_diff(diffs, "routes", "primary", "172.16.0.0/16");
    g_assert_cmpint(before->verdict, ==, ERDIAG_AZURE_AZURE_ONLY);
    g_assert_nonnull(strstr(before->explanation, "already up when the capture began"));
    /* so do the VNet routes the MSEE sent before it */
    g_assert_nonnull(strstr(find_diff(diffs, "routes", "primary", "10.1.0.0/16")->explanation,
                            "already up when the capture began"));
    /* 10.60.0.0/16, announced in the capture, is the one that agrees */
    g_assert_cmpint(find_diff(diffs, "routes", "primary", "1 route")->verdict, ==, ERDIAG_AZURE_AGREE);
    run_free(&r);
}

static void test_compare_disagreements(void)
{
    run r;
    if (!run_capture(&r, "healthy")) {
        g_test_skip("captures/healthy not present");
        return;
    }
    /* Azure: the on-prem router unresolved on primary, another MAC on secondary,
     * a route the capture never saw, a path that differs, one capture route missing */
    g_autofree char *arp_p = write_tmp("arp-p.json",
        "[{\"age\":0,\"interface\":\"On-Prem\",\"ipAddress\":\"192.168.15.17\",\"macAddress\":\"Incomplete\"}]");
    g_autofree char *arp_s = write_tmp("arp-s.json",
        "[{\"age\":0,\"interface\":\"On-Prem\",\"ipAddress\":\"192.168.15.21\",\"macAddress\":\"aaaa.bbbb.cccc\"}]");
    g_autofree char *rt = write_tmp("rt.json",
        "{\"value\":[{\"network\":\"10.50.0.0/16\",\"nextHop\":\"192.168.15.17\",\"path\":\"65010 65010\"},"
        "{\"network\":\"192.0.2.0/24\",\"nextHop\":\"192.168.15.17\",\"path\":\"65010\"}]}");
    g_autofree char *arp_spec = g_strdup_printf("primary=%s,secondary=%s", arp_p, arp_s);
    g_autofree char *rt_spec = g_strdup_printf("primary=%s", rt);
    g_autoptr(GError) err = NULL;
    g_autoptr(erdiag_azure_evidence) ev = erdiag_azure_evidence_load(arp_spec, rt_spec, &err);
    g_assert_no_error(err);
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(r.engine, ev);

    const erdiag_azure_diff *d = find_diff(diffs, "arp", "primary", "On-Prem 192.168.15.17");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_DIFFER);
    g_assert_nonnull(strstr(d->capture, "02:c0:00:00:01:01"));
    g_assert_nonnull(strstr(d->explanation, "C-tag/S-tag"));
    /* Azure lists no Microsoft row on primary: some MSEEs show only On-Prem */
    d = find_diff(diffs, "arp", "primary", "Microsoft 192.168.15.18");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_CAPTURE_ONLY);
    g_assert_nonnull(strstr(d->explanation, "healthy"));
    d = find_diff(diffs, "arp", "secondary", "On-Prem 192.168.15.21");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_DIFFER);
    g_assert_nonnull(strstr(d->explanation, "Different MACs"));

    d = find_diff(diffs, "routes", "primary", "10.50.0.0/16");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_DIFFER);
    g_assert_nonnull(strstr(d->explanation, "AS path"));
    d = find_diff(diffs, "routes", "primary", "192.0.2.0/24");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_AZURE_ONLY);
    d = find_diff(diffs, "routes", "primary", "172.16.0.0/16");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_CAPTURE_ONLY);
    g_assert_nonnull(strstr(d->explanation, "does not hold it"));
    /* VNet routes the MSEE advertised are missing from this (on-prem-only) table */
    d = find_diff(diffs, "routes", "primary", "10.1.0.0/16");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_CAPTURE_ONLY);
    run_free(&r);
}

static void test_compare_vlan_mismatch(void)
{
    run r;
    if (!run_capture(&r, "vlan-mismatch")) {
        g_test_skip("captures/vlan-mismatch not present");
        return;
    }
    g_autoptr(erdiag_azure_evidence) ev = load_examples("vlan-mismatch", "arp-primary.json,arp-secondary.json",
                                                        "routes-summary.json,secondary=routes-secondary.json");
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(r.engine, ev);
    /* Azure's Incomplete on-prem entry is explained by the tag the capture shows */
    const erdiag_azure_diff *d = find_diff(diffs, "arp", "primary", "On-Prem 192.168.20.1");
    g_assert_nonnull(strstr(d->explanation, "VLAN 101"));
    /* the arp-secondary file has no path prefix and a bare array: matched by its addresses */
    g_assert_cmpint(find_diff(diffs, "arp", "secondary", "On-Prem 192.168.20.5")->verdict, ==, ERDIAG_AZURE_AGREE);
    /* the summary's rows go to the link of their neighbor */
    g_assert_cmpint(find_diff(diffs, "summary", "secondary", "neighbor 192.168.20.5")->verdict, ==, ERDIAG_AZURE_AGREE);
    d = find_diff(diffs, "routes", "secondary", "172.16.0.0/16");
    g_assert_cmpint(d->verdict, ==, ERDIAG_AZURE_DIFFER);
    g_assert_cmpint(find_diff(diffs, "routes", "secondary", "172.31.0.0/16")->verdict, ==, ERDIAG_AZURE_AZURE_ONLY);

    /* every writer carries the section */
    static const erdiag_format formats[] = {ERDIAG_FORMAT_TEXT, ERDIAG_FORMAT_JSON, ERDIAG_FORMAT_MARKDOWN,
                                            ERDIAG_FORMAT_HTML};
    for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_autofree char *with = capture_run_report(r.engine, formats[i], FALSE, ev);
        g_autofree char *without = capture_run_report(r.engine, formats[i], FALSE, NULL);
        const char *mark = formats[i] == ERDIAG_FORMAT_JSON ? "\"azure_comparison\"" : "Azure's view beside the capture";
        if (formats[i] == ERDIAG_FORMAT_HTML)
            mark = "<section id=\"azure\">";
        g_assert_nonnull(strstr(with, mark));
        g_assert_null(strstr(without, mark));
        g_assert_nonnull(strstr(with, "172.31.0.0/16"));
    }
    g_autofree char *json = capture_run_report(r.engine, ERDIAG_FORMAT_JSON, FALSE, ev);
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
    JsonArray *cmp = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "azure_comparison");
    g_assert_cmpuint(json_array_get_length(cmp), ==, diffs->len);
    JsonObject *first = json_array_get_object_element(cmp, 0);
    g_assert_true(json_object_has_member(first, "verdict") && json_object_has_member(first, "explanation"));
    run_free(&r);
}

/* --- the command line ------------------------------------------------------- */

static int run_cli(const char *const *args, char **out, char **err)
{
    g_autofree char *bin = g_build_filename(ERDIAG_BINARY_DIR, "erdiag", NULL);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, bin);
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    int status = -1;
    g_autoptr(GError) e = NULL;
    gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, 0, NULL, NULL, out, err, &status, &e);
    g_ptr_array_unref(argv);
    g_assert_no_error(e);
    g_assert_true(ok);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static gboolean have_cli_and_capture(const char **cap_out)
{
    static char *cap;
    g_autofree char *bin = g_build_filename(ERDIAG_BINARY_DIR, "erdiag", NULL);
    if (!cap)
        cap = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "healthy", "capture.pcapng", NULL);
    *cap_out = cap;
    if (!g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE) || !g_file_test(cap, G_FILE_TEST_EXISTS)) {
        g_test_skip("erdiag binary or captures/healthy missing");
        return FALSE;
    }
    return TRUE;
}

/* Bad input: exit status 2 and one line on stderr naming the file (and key). */
static void expect_cli_error(const char *option, const char *file, const char *must_contain)
{
    const char *cap;
    if (!have_cli_and_capture(&cap))
        return;
    const char *args[] = {option, file, cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(run_cli(args, &out, &err), ==, 2);
    g_autofree char *prefix = g_strdup_printf("erdiag: %s: ", file);
    if (!g_str_has_prefix(err, prefix) || !strstr(err, must_contain) || strchr(err, '\n') != err + strlen(err) - 1)
        g_error("stderr \"%s\" should be one line starting \"%s\" and containing \"%s\"", err, prefix, must_contain);
    g_assert_cmpstr(out, ==, "");
}

static void test_cli_errors(void)
{
    g_autofree char *bad = write_tmp("bad.json", "{\"vlanId\": 100,");
    g_autofree char *vlan = write_tmp("vlan.json", "{\"vlanId\": 0, \"peerAsn\": 65010, "
                                                   "\"primaryPeerAddressPrefix\": \"10.0.0.0/30\"}");
    g_autofree char *routes = example("healthy", "routes-primary.json");
    expect_cli_error("--azure-peering", bad, "not valid JSON");
    expect_cli_error("--azure-peering", vlan, "vlanId = 0");
    expect_cli_error("--azure-arp", bad, "not valid JSON");
    expect_cli_error("--azure-arp", routes, "value[0]");
    g_autofree char *missing = g_build_filename(tmpdir, "nope.json", NULL);
    expect_cli_error("--azure-routes", missing, "cannot read");
}

static void test_cli_merge_and_compare(void)
{
    const char *cap;
    if (!have_cli_and_capture(&cap))
        return;
    /* the INI adds what Azure's peering JSON does not hold */
    g_autofree char *ini = write_tmp("extras.ini", "[peering er-healthy]\nvnet-prefixes = 10.1.0.0/16, 10.2.0.0/24\n"
                                                   "expected-onprem-prefixes = 172.16.0.0/16, 10.50.0.0/16\n");
    g_autofree char *peering = example("healthy", "peering.json");
    g_autofree char *arp_p = example("healthy", "arp-primary.json"), *arp_s = example("healthy", "arp-secondary.json");
    g_autofree char *rt_p = example("healthy", "routes-primary.json");
    g_autofree char *rt_sum = example("healthy", "routes-summary-primary.json");
    g_autofree char *arp = g_strdup_printf("%s,%s", arp_p, arp_s);
    g_autofree char *rt = g_strdup_printf("%s,%s", rt_p, rt_sum);
    const char *args[] = {"--format", "json", "--config", ini, "--azure-peering", peering, "--azure-arp", arp,
                          "--azure-routes", rt, cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(run_cli(args, &out, &err), ==, 0);
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    const char *source = json_object_get_string_member(json_object_get_object_member(root, "config"), "source");
    g_assert_nonnull(strstr(source, ini));
    g_assert_nonnull(strstr(source, peering));
    JsonArray *cmp = json_object_get_array_member(root, "azure_comparison");
    g_assert_cmpuint(json_array_get_length(cmp), >=, 6);
    for (guint i = 0; i < json_array_get_length(cmp); i++)
        g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(cmp, i), "verdict"), ==, "agree");

    /* the two disagree on a value: exit 2, both files named */
    g_autofree char *other = write_tmp("other.ini", "[peering x]\nvlan = 200\nprimary-subnet = 192.168.15.16/30\n");
    const char *args2[] = {"--config", other, "--azure-peering", peering, cap, NULL};
    g_autofree char *out2 = NULL, *err2 = NULL;
    g_assert_cmpint(run_cli(args2, &out2, &err2), ==, 2);
    g_assert_nonnull(strstr(err2, "vlanId = 100 disagrees with"));
    g_assert_nonnull(strstr(err2, other));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-azure-XXXXXX", NULL);
    g_test_add_func("/azure/peering/az-show", test_peering_az_show);
    g_test_add_func("/azure/peering/rest-shape", test_peering_rest_shape);
    g_test_add_func("/azure/peering/list", test_peering_list_picks_private);
    g_test_add_func("/azure/peering/microsoft", test_microsoft_peering);
    g_test_add_func("/azure/peering/errors", test_peering_errors);
    g_test_add_func("/azure/tables/shapes", test_tables_shapes);
    g_test_add_func("/azure/tables/errors", test_tables_errors);
    g_test_add_func("/azure/tables/paths", test_spec_paths);
    g_test_add_func("/azure/compare/healthy", test_compare_healthy);
    g_test_add_func("/azure/compare/disagreements", test_compare_disagreements);
    g_test_add_func("/azure/compare/midstream", test_compare_midstream);
    g_test_add_func("/azure/compare/vlan-mismatch", test_compare_vlan_mismatch);
    g_test_add_func("/azure/cli/errors", test_cli_errors);
    g_test_add_func("/azure/cli/merge-and-compare", test_cli_merge_and_compare);
    int rc = g_test_run();
    test_tmpdir_remove(tmpdir);
    return rc;
}
