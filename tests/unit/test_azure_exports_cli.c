/* Azure's exports through the erdiag binary, as a user runs it, on
 * captures/dataplane (the VM drops TCP 3389; 192.168.99.10 is in no
 * advertised prefix) with the example exports in
 * captures/azure-examples/dataplane: the findings they add, the silent
 * flows they explain, every report format, and one-line errors (exit 2)
 * for files of another shape. */
#include <string.h>
#include <sys/wait.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "test_tmpdir.h"

static char *tmpdir;

static char *example(const char *file)
{
    return g_build_filename(ERDIAG_SOURCE_DIR, "captures", "azure-examples", "dataplane", file, NULL);
}

/* the capture the runs read: captures/dataplane unless a test says otherwise */
static const char *capture_dir = "dataplane";

static char *scenario(const char *file)
{
    return g_build_filename(ERDIAG_SOURCE_DIR, "captures", capture_dir, file, NULL);
}

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

static gboolean have_cli(void)
{
    g_autofree char *bin = g_build_filename(ERDIAG_BINARY_DIR, "erdiag", NULL);
    g_autofree char *cap = scenario("capture.pcapng");
    if (!g_file_test(bin, G_FILE_TEST_IS_EXECUTABLE) || !g_file_test(cap, G_FILE_TEST_EXISTS)) {
        g_test_skip("erdiag binary or captures/dataplane missing");
        return FALSE;
    }
    return TRUE;
}

/* The findings of a JSON run as "id link | message" lines. */
static GPtrArray *findings(const char *const *extra, int want_status)
{
    g_autofree char *ini = scenario("peering.ini"), *cap = scenario("capture.pcapng");
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer) "--format");
    g_ptr_array_add(args, (gpointer) "json");
    gboolean has_config = FALSE;
    for (guint i = 0; extra[i]; i++)
        has_config = has_config || strcmp(extra[i], "--config") == 0 || strcmp(extra[i], "--azure-peering") == 0;
    if (!has_config) {
        g_ptr_array_add(args, (gpointer) "--config");
        g_ptr_array_add(args, ini);
    }
    for (guint i = 0; extra[i]; i++)
        g_ptr_array_add(args, (gpointer)extra[i]);
    g_ptr_array_add(args, cap);
    g_ptr_array_add(args, NULL);
    g_autofree char *out = NULL, *err = NULL;
    int status = run_cli((const char *const *)args->pdata, &out, &err);
    g_ptr_array_unref(args);
    if (status != want_status)
        g_error("exit status %d (expected %d); stderr: %s", status, want_status, err);
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonArray *fs = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "findings");
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        const char *link = json_object_get_null_member(f, "link") ? "-" : json_object_get_string_member(f, "link");
        g_ptr_array_add(lines, g_strdup_printf("%s %s | %s", json_object_get_string_member(f, "id"), link,
                                               json_object_get_string_member(f, "message")));
    }
    return lines;
}

/* The one line starting with prefix and containing every needle; fails otherwise. */
static const char *expect_line(GPtrArray *lines, const char *prefix, const char *const *needles)
{
    const char *hit = NULL;
    for (guint i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        gboolean all = g_str_has_prefix(l, prefix);
        for (guint k = 0; all && needles[k]; k++)
            all = strstr(l, needles[k]) != NULL;
        if (all) {
            if (hit)
                g_error("two findings match \"%s\": %s / %s", prefix, hit, l);
            hit = l;
        }
    }
    if (!hit) {
        g_autoptr(GString) all = g_string_new(NULL);
        for (guint i = 0; i < lines->len; i++)
            g_string_append_printf(all, "%s\n", (const char *)g_ptr_array_index(lines, i));
        g_error("no finding \"%s\" with %s among:\n%s", prefix, needles[0], all->str);
    }
    return hit;
}

static guint count_prefix(GPtrArray *lines, const char *prefix)
{
    guint n = 0;
    for (guint i = 0; i < lines->len; i++)
        n += g_str_has_prefix(g_ptr_array_index(lines, i), prefix);
    return n;
}

static void test_nsg_explains_silent_flow(void)
{
    if (!have_cli())
        return;
    g_autofree char *nsg = example("nsg-effective.json"), *rt = example("effective-routes.json");
    const char *const args[] = {"--azure-nsg", nsg, "--azure-effective-routes", rt, NULL};
    g_autoptr(GPtrArray) f = findings(args, 1);
    /* the deny at priority 100 explains the silent RDP flow, with its SYN as evidence */
    const char *const deny[] = {"NSG rule DenyRdpInbound (priority 100, Inbound, Deny) of NSG vm1-nsg on NIC vm1-nic",
                                "denies 172.16.1.10 -> 10.1.0.4 tcp/3389", NULL};
    expect_line(f, "azure.nsg-deny primary |", deny);
    const char *const silent[] = {"172.16.1.10 -> 10.1.0.4 port 3389", "DenyRdpInbound", "denies it (azure.nsg-deny)",
                                  NULL};
    expect_line(f, "dataplane.unanswered-connection primary |", silent);
    /* the uncovered source: no return route explains its silence (no
     * unanswered-connection sends the reader to the NSGs), and Azure's exports
     * agree: the subnet's NSG denies it (not in VirtualNetwork), the routes
     * send it to None */
    const char *const uncovered[] = {"192.168.99.10", NULL};
    expect_line(f, "dataplane.uncovered-source primary |", uncovered);
    g_assert_cmpuint(count_prefix(f, "dataplane.unanswered-connection"), ==, 1);
    const char *const other[] = {"192.168.99.10 -> 10.1.0.4 tcp/22", "DenyAllInBound", "vms-subnet-nsg", NULL};
    expect_line(f, "azure.nsg-deny primary |", other);
    const char *const route[] = {"on-prem source 192.168.99.10", "192.168.0.0/16 -> None (Default route)", NULL};
    expect_line(f, "azure.no-route-to-onprem primary |", route);
    /* the configured source, before any packet: RDP denied, the routes fine */
    const char *const cfg[] = {"denies tcp/3389 from configured on-prem source 172.16.1.10 to 10.1.0.0/16, 10.2.0.0/24",
                               NULL};
    expect_line(f, "azure.nsg-deny - |", cfg);
    g_assert_cmpuint(count_prefix(f, "azure.no-route-to-onprem"), ==, 1);
}

static void test_nsg_allows_points_at_os_firewall(void)
{
    if (!have_cli())
        return;
    g_autofree char *nsg = example("nsg-show.json");
    const char *const args[] = {"--azure-nsg", nsg, NULL};
    g_autoptr(GPtrArray) f = findings(args, 1);
    const char *const silent[] = {"172.16.1.10 -> 10.1.0.4 port 3389", "NSG exports allow it",
                                  "AllowRdpFromOnPrem (priority 100, Inbound, Allow)", "OS firewall", NULL};
    expect_line(f, "dataplane.unanswered-connection primary |", silent);
    /* the SSH flow from the uncovered source: the deny at 4000, after the allows of 100 and 110 */
    const char *const ssh[] = {"DenyOtherInbound (priority 4000, Inbound, Deny)", "192.168.99.10 -> 10.1.0.4 tcp/22",
                               NULL};
    expect_line(f, "azure.nsg-deny primary |", ssh);
    g_assert_cmpuint(count_prefix(f, "azure.nsg-deny primary"), ==, 1);
}

/* captures/flow-verdicts with the same NSG (same VM, RDP denied): only the
 * silent flow is the NSG's; the reset and ICMP verdicts show the packets got
 * past the NSGs, and the flow opened from Azure is not an inbound one. */
static void test_nsg_only_for_silence(void)
{
    if (!have_cli())
        return;
    capture_dir = "flow-verdicts";
    g_autofree char *nsg = example("nsg-effective.json");
    const char *const args[] = {"--azure-nsg", nsg, NULL};
    g_autoptr(GPtrArray) f = findings(args, 1);
    capture_dir = "dataplane";
    const char *const deny[] = {"denies 172.16.1.10 -> 10.1.0.4 tcp/3389", "which the capture shows unanswered", NULL};
    expect_line(f, "azure.nsg-deny primary |", deny);
    g_assert_cmpuint(count_prefix(f, "azure.nsg-deny primary"), ==, 1);
    const char *const silent[] = {"172.16.1.10 -> 10.1.0.4 port 3389", "denies it (azure.nsg-deny)", NULL};
    expect_line(f, "dataplane.unanswered-connection primary |", silent);
    const char *const reset[] = {"port 8443", "TCP reset", NULL};
    expect_line(f, "dataplane.refused primary |", reset);
    const char *const prohibited[] = {"10.1.0.4 -> 172.16.1.10 port 3389", "administratively prohibited",
                                      "the on-prem router", NULL};
    expect_line(f, "dataplane.icmp-unreachable primary |", prohibited);
}

static void test_test_ports(void)
{
    if (!have_cli())
        return;
    g_autofree char *nsg = example("nsg-effective.json");
    g_autofree char *ini_text = NULL;
    g_autofree char *ini = scenario("peering.ini");
    g_assert_true(g_file_get_contents(ini, &ini_text, NULL, NULL));
    /* only SSH asked about: the configured source meets no deny */
    g_autofree char *ssh_text = g_strdup_printf("%stest-ports = tcp/22\n", ini_text);
    g_autofree char *ssh_ini = g_build_filename(tmpdir, "ssh.ini", NULL);
    g_assert_true(g_file_set_contents(ssh_ini, ssh_text, -1, NULL));
    const char *const a1[] = {"--config", ssh_ini, "--azure-nsg", nsg, NULL};
    g_autoptr(GPtrArray) f1 = findings(a1, 1);
    g_assert_cmpuint(count_prefix(f1, "azure.nsg-deny - |"), ==, 0);
    g_autofree char *both_text = g_strdup_printf("%stest-ports = tcp/22, tcp/3389, udp/53, icmp\n", ini_text);
    g_autofree char *both_ini = g_build_filename(tmpdir, "both.ini", NULL);
    g_assert_true(g_file_set_contents(both_ini, both_text, -1, NULL));
    const char *const a2[] = {"--config", both_ini, "--azure-nsg", nsg, NULL};
    g_autoptr(GPtrArray) f2 = findings(a2, 1);
    const char *const rdp[] = {"denies tcp/3389 from configured on-prem source 172.16.1.10", NULL};
    expect_line(f2, "azure.nsg-deny - |", rdp);
    g_assert_cmpuint(count_prefix(f2, "azure.nsg-deny - |"), ==, 1);
    /* a bad entry is config.invalid naming the key */
    g_autofree char *bad_text = g_strdup_printf("%stest-ports = tcp/3389, sctp/9\n", ini_text);
    g_autofree char *bad_ini = g_build_filename(tmpdir, "bad.ini", NULL);
    g_assert_true(g_file_set_contents(bad_ini, bad_text, -1, NULL));
    g_autofree char *cap = scenario("capture.pcapng");
    const char *const a3[] = {"--config", bad_ini, cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(run_cli(a3, &out, &err), ==, 2);
    g_assert_nonnull(strstr(err, "test-ports = sctp/9"));
}

static void test_routes(void)
{
    if (!have_cli())
        return;
    g_autofree char *udr = example("effective-routes-udr.json"), *nop = example("effective-routes-no-propagation.json");
    const char *const a1[] = {"--azure-effective-routes", udr, NULL};
    g_autoptr(GPtrArray) f1 = findings(a1, 1);
    const char *const win[] = {"configured on-prem source 172.16.1.10",
                               "172.16.0.0/16 -> VirtualAppliance 10.1.2.4 (User route onprem-via-firewall)", NULL};
    expect_line(f1, "azure.no-route-to-onprem - |", win);
    const char *const silent[] = {"port 3389", "by 172.16.0.0/16 -> VirtualAppliance", NULL};
    expect_line(f1, "dataplane.unanswered-connection primary |", silent);
    const char *const a2[] = {"--azure-effective-routes", nop, NULL};
    g_autoptr(GPtrArray) f2 = findings(a2, 1);
    const char *const prop[] = {"172.16.1.10", "gateway route propagation is disabled", NULL};
    expect_line(f2, "azure.no-route-to-onprem - |", prop);
    /* a healthy table: nothing for the configured source */
    g_autofree char *ok = example("effective-routes.json");
    const char *const a3[] = {"--azure-effective-routes", ok, NULL};
    g_autoptr(GPtrArray) f3 = findings(a3, 1);
    g_assert_cmpuint(count_prefix(f3, "azure.no-route-to-onprem - |"), ==, 0);
}

static void test_peering_and_circuit(void)
{
    if (!have_cli())
        return;
    g_autofree char *disabled = example("peering-disabled.json"), *circuit = example("circuit-not-provisioned.json");
    const char *const a1[] = {"--azure-peering", disabled, NULL};
    g_autoptr(GPtrArray) f1 = findings(a1, 1);
    const char *const dis[] = {"peering AzurePrivatePeering of circuit dataplane is Disabled", NULL};
    expect_line(f1, "azure.peering-disabled - |", dis);
    const char *const a2[] = {"--azure-circuit", circuit, NULL};
    g_autoptr(GPtrArray) f2 = findings(a2, 1);
    const char *const np[] = {"circuit dataplane: serviceProviderProvisioningState is NotProvisioned", NULL};
    expect_line(f2, "azure.peering-disabled - |", np);
    g_assert_cmpuint(count_prefix(f2, "azure.peering-disabled"), ==, 1); /* its peering is Enabled */
    /* an enabled peering adds nothing */
    g_autofree char *healthy = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "azure-examples", "healthy",
                                                "peering.json", NULL);
    g_autofree char *ini = scenario("peering.ini");
    const char *const a3[] = {"--config", ini, NULL};
    g_autoptr(GPtrArray) f3 = findings(a3, 1);
    g_assert_cmpuint(count_prefix(f3, "azure."), ==, 0);
    (void)healthy;
}

static void test_every_format(void)
{
    if (!have_cli())
        return;
    g_autofree char *nsg = example("nsg-effective.json"), *ini = scenario("peering.ini"),
                    *cap = scenario("capture.pcapng");
    const char *formats[] = {"text", "markdown", "html", "json"};
    for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
        /* wide enough that the text report does not wrap the note */
        const char *const args[] = {"--width", "1000", "--format", formats[i], "--config", ini, "--azure-nsg", nsg, cap,
                                    NULL};
        g_autofree char *out = NULL, *err = NULL;
        g_assert_cmpint(run_cli(args, &out, &err), ==, 1);
        g_assert_nonnull(strstr(out, "azure.nsg-deny"));
        g_assert_nonnull(strstr(out, "DenyRdpInbound"));
        /* the inputs are listed in the notes */
        g_assert_nonnull(strstr(out, "NSG vm1-nsg on NIC vm1-nic, 8 rules"));
    }
}

/* Bad input: exit status 2 and one line on stderr naming the file and the path. */
static void expect_error(const char *option, const char *file, const char *must_contain)
{
    g_autofree char *cap = scenario("capture.pcapng");
    const char *const args[] = {option, file, cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(run_cli(args, &out, &err), ==, 2);
    const char *name = strchr(file, '=') && strncmp(file, "10.", 3) == 0 ? strchr(file, '=') + 1 : file;
    g_autofree char *prefix = g_strdup_printf("erdiag: %s: ", name);
    if (!g_str_has_prefix(err, prefix) || !strstr(err, must_contain) || strchr(err, '\n') != err + strlen(err) - 1)
        g_error("stderr \"%s\" should be one line starting \"%s\" and containing \"%s\"", err, prefix, must_contain);
    g_assert_cmpstr(out, ==, "");
}

static void test_cli_errors(void)
{
    if (!have_cli())
        return;
    g_autofree char *bad = g_build_filename(tmpdir, "bad.json", NULL);
    g_assert_true(g_file_set_contents(bad, "{\"value\": [", -1, NULL));
    g_autofree char *prio = g_build_filename(tmpdir, "prio.json", NULL);
    g_assert_true(g_file_set_contents(prio, "{\"value\": [{\"effectiveSecurityRules\": [{\"priority\": \"high\"}]}]}",
                                      -1, NULL));
    g_autofree char *nsg = example("nsg-effective.json"), *rt = example("effective-routes.json"),
                    *peering = example("peering-disabled.json");
    g_autofree char *scoped = g_strdup_printf("10.1.0.4=%s", bad);
    expect_error("--azure-nsg", bad, "not valid JSON");
    expect_error("--azure-nsg", scoped, "not valid JSON");
    expect_error("--azure-nsg", prio, "value[0].effectiveSecurityRules[0]: priority = high");
    expect_error("--azure-nsg", rt, "value[0]: expected the JSON of 'az network nic list-effective-nsg'");
    expect_error("--azure-effective-routes", nsg, "value[0]: addressPrefix");
    expect_error("--azure-effective-routes", bad, "not valid JSON");
    expect_error("--azure-circuit", peering, "serviceProviderProvisioningState: missing");
    g_autofree char *missing = g_build_filename(tmpdir, "nope.json", NULL);
    expect_error("--azure-circuit", missing, "cannot read");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-azx-XXXXXX", NULL);
    g_test_add_func("/azure-exports-cli/nsg-explains", test_nsg_explains_silent_flow);
    g_test_add_func("/azure-exports-cli/nsg-allows", test_nsg_allows_points_at_os_firewall);
    g_test_add_func("/azure-exports-cli/nsg-only-for-silence", test_nsg_only_for_silence);
    g_test_add_func("/azure-exports-cli/test-ports", test_test_ports);
    g_test_add_func("/azure-exports-cli/routes", test_routes);
    g_test_add_func("/azure-exports-cli/peering-and-circuit", test_peering_and_circuit);
    g_test_add_func("/azure-exports-cli/formats", test_every_format);
    g_test_add_func("/azure-exports-cli/errors", test_cli_errors);
    int rc = g_test_run();
    test_tmpdir_remove(tmpdir);
    return rc;
}
