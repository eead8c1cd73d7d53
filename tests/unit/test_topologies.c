/* Topologies beyond the customer's router on private peering with the MSEE,
 * on real captures:
 * - captures/layer3-provider: the far side is a layer-3 provider's PE
 *   (AS 65100) with the MSEE behind it; configured (provider = l3) and
 *   recognised from the paths in zero-config, roles from the ASes;
 * - captures/microsoft-peering(-no-filter): Microsoft peering, configured,
 *   from Azure's export, or recognised from the service communities;
 *   judged by its own rules (public addresses, no private prefixes, 200
 *   prefixes, a route filter), never by private peering's. */
#include <json-glib/json-glib.h>
#include "azure_import.h"
#include "capture_run.h"
#include "engine_events.h"
#include "erdiag/config.h"
#include "erdiag/model.h"

static char *capture(const char *dir)
{
    return g_build_filename(ERDIAG_SOURCE_DIR, "captures", dir, "capture.pcapng", NULL);
}

static erdiag_config *config_text(const char *text)
{
    g_autoptr(GError) err = NULL;
    erdiag_config *c = erdiag_config_load_data(text, strlen(text), "test.ini", NULL, &err);
    g_assert_no_error(err);
    return c;
}

static guint count_id(const char *text, const char *id)
{
    guint n = 0;
    g_autofree char *needle = g_strdup_printf("%s ", id);
    for (const char *p = text; (p = strstr(p, needle)); p++)
        if (p == text || p[-1] == '\n')
            n++;
    return n;
}

static const erdiag_link *link_labelled(erdiag_engine *e, const char *label)
{
    const GPtrArray *pes = erdiag_engine_peerings(e);
    for (guint p = 0; p < pes->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(pes, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            if (strcmp(l->label, label) == 0)
                return l;
        }
    }
    g_assert_not_reached();
}

static void assert_addr(const erdiag_addr *a, const char *want)
{
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(a, buf), ==, want);
}

#define L3_INI                                                                                            \
    "[peering contoso-ipvpn]\nvlan = 196\npeer-asn = 65010\nprimary-subnet = 192.168.96.0/30\n"           \
    "secondary-subnet = 192.168.96.4/30\nvnet-prefixes = 10.1.0.0/16, 10.2.0.0/24\n"

/* The findings on captures/DIR with the configuration ini; the engine and
 * configuration stay in *keep and *keep_cfg when asked for. */
static char *findings_on(const char *dir, const char *ini, erdiag_engine **keep, erdiag_config **keep_cfg)
{
    g_autofree char *cap = capture(dir);
    erdiag_config *c = config_text(ini);
    erdiag_engine *e = capture_run(cap, c);
    char *got = capture_run_findings_text(e);
    if (keep) {
        *keep = e;
        *keep_cfg = c;
    } else {
        erdiag_engine_free(e);
        erdiag_config_free(c);
    }
    return got;
}

static void test_layer3_configured(void)
{
    erdiag_engine *e;
    erdiag_config *c;
    g_autofree char *got = findings_on("layer3-provider", L3_INI "provider = l3\nprovider-asn = 65100\n", &e, &c);
    g_assert_cmpuint(count_id(got, "peering.layer3-provider"), ==, 2);
    g_assert_nonnull(strstr(got, "peering.layer3-provider primary: primary: provider = l3: the far side is the provider's PE "
                                 "(provider-asn as configured); 2 prefixes from the PE carry AS 12076 (first "
                                 "10.1.0.0/16, path 65100 12076"));
    g_assert_nonnull(strstr(got, "1 other (the provider's other sites)"));
    /* nothing of the MSEE's is asked of the PE */
    g_assert_cmpuint(count_id(got, "bgp.open.peer-asn-mismatch"), ==, 0);
    g_assert_cmpuint(count_id(got, "bgp.timers"), ==, 0);
    g_assert_cmpuint(count_id(got, "arp.msee-address-misused"), ==, 0);
    /* the secondary's PE holds network + 1: the ASes decide the roles */
    const erdiag_link *s = link_labelled(e, "secondary");
    assert_addr(&s->addr[ERDIAG_CUST], "192.168.96.6");
    assert_addr(&s->addr[ERDIAG_MSFT], "192.168.96.5");
    g_assert_cmpuint(s->bgp.asn[ERDIAG_CUST], ==, 65010);
    g_assert_true(erdiag_link_layer3(s));
    g_assert_cmpuint(erdiag_link_provider_asn(s), ==, 65100);
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

static void test_layer3_wrong_provider_asn(void)
{
    g_autofree char *got = findings_on("layer3-provider", L3_INI "provider = l3\nprovider-asn = 65101\n", NULL, NULL);
    g_assert_nonnull(strstr(got, "bgp.open.peer-asn-mismatch primary: primary: the provider's PE's OPEN carries AS "
                                 "65100, but provider-asn is 65101\n"));
    g_assert_cmpuint(count_id(got, "bgp.open.peer-asn-mismatch"), ==, 2);
}

/* Without provider = l3 the same capture is judged as private peering with
 * the MSEE: the PE's AS is "not 12076". The configuration is what changes
 * the verdict. */
static void test_layer3_capture_judged_as_l2(void)
{
    g_autofree char *got = findings_on("layer3-provider", L3_INI, NULL, NULL);
    g_assert_nonnull(strstr(got, "bgp.open.peer-asn-mismatch primary: primary: the Microsoft side's OPEN carries AS "
                                 "65100, not 12076"));
    g_assert_cmpuint(count_id(got, "peering.layer3-provider"), ==, 0);
}

static void test_layer3_zero_config(void)
{
    g_autofree char *cap = capture("layer3-provider");
    erdiag_engine *e = capture_run(cap, NULL);
    g_autofree char *got = capture_run_findings_text(e);
    g_assert_cmpuint(count_id(got, "peering.layer3-provider"), ==, 2);
    g_assert_nonnull(strstr(got, "peering.layer3-provider secondary: secondary: this looks like a capture on a "
                                 "layer-3 provider's link: the far side (AS 65100) advertises Azure's routes with "
                                 "AS 12076 behind its own AS"));
    g_assert_cmpuint(count_id(got, "capture.no-expressroute"), ==, 0);
    g_assert_cmpuint(count_id(got, "bgp.timers"), ==, 0);
    /* one peering: the secondary's roles were turned round by its paths */
    g_assert_cmpuint(erdiag_engine_peerings(e)->len, ==, 1);
    const erdiag_link *s = link_labelled(e, "secondary");
    g_assert_cmpint(s->msft_evidence, ==, ERDIAG_MSFT_BY_PATH);
    assert_addr(&s->addr[ERDIAG_MSFT], "192.168.96.5");
    g_assert_cmpuint(erdiag_link_provider_asn(s), ==, 65100);
    g_autofree char *far = erdiag_link_far_side_text(s);
    g_assert_cmpstr(far, ==, "a layer-3 provider's PE (AS 65100): its routes carry AS 12076 behind its own AS");
    erdiag_engine_free(e);
}

/* provider = l3 on captures/vlan-mismatch: ARP names the provider's PE and
 * its advice sends to the provider; the secondary, whose far side is AS
 * 12076, is judged as the MSEE's link, with a warning about the key. */
static void test_layer3_config_on_an_msee_link(void)
{
    erdiag_engine *e;
    erdiag_config *c;
    g_autofree char *got = findings_on("vlan-mismatch", "[peering vlan-mismatch]\nvlan = 100\npeer-asn = 65010\n"
                                       "primary-subnet = 192.168.20.0/30\nsecondary-subnet = 192.168.20.4/30\n"
                                       "provider = l3\n", &e, &c);
    g_assert_nonnull(strstr(got, "arp.unanswered primary: primary: 18 ARP requests from 192.168.20.1 (on-prem, on "
                                 "VLAN 101) for 192.168.20.2 (provider's PE) got no reply\n"));
    g_assert_nonnull(strstr(got, "peering.layer3-provider secondary: secondary: provider = l3, but the far side's OPEN "
                                 "carries AS 12076: this link peers with the MSEE itself"));
    const GPtrArray *fs = erdiag_engine_findings(e);
    for (guint i = 0; i < fs->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(fs, i);
        if (f->kind == ERDIAG_F_ARP_UNANSWERED && strstr(f->message, "for 192.168.20.2"))
            g_assert_true(g_str_has_prefix(f->advice, "Your router's requests for the provider's PE got no reply."));
    }
    g_assert_false(erdiag_link_layer3(link_labelled(e, "secondary")));
    g_assert_true(erdiag_link_layer3(link_labelled(e, "primary")));
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

/* A session already up when the capture started (no OPENs): on-prem
 * re-advertises another circuit's route (path "65010 12076 65020") before
 * the MSEE's own (path "12076"). That is no layer-3 provider: the first
 * guess is taken back, and the roles stay by address. */
static erdiag_event update_event(guint64 frame, double t, const char *src, const char *dst, const char *prefix,
                                 const char *path, erdiag_bgp_nlri *n)
{
    erdiag_event ev = ev_bgp(frame, t, src, dst, ERDIAG_BGP_UPDATE);
    g_assert_true(erdiag_prefix_parse(prefix, &n->prefix, NULL));
    erdiag_bgp_update *u = &ev.u.bgp.msg.u.update;
    u->announced = n;
    u->n_announced = 1;
    u->has_as_path = TRUE;
    u->as_path = path;
    u->has_next_hop = TRUE;
    u->next_hop = ev.u.bgp.src;
    return ev;
}

static void test_onprem_readvertising_is_not_layer3(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    erdiag_bgp_nlri n1, n2;
    erdiag_event a = update_event(1, 1.0, "192.168.15.17", "192.168.15.18", "10.70.0.0/16", "65010 12076 65020", &n1);
    erdiag_engine_feed(e, &a, NULL);
    const erdiag_link *l = g_ptr_array_index(((erdiag_peering *)g_ptr_array_index(erdiag_engine_peerings(e), 0))->links, 0);
    g_assert_cmpint(l->msft_evidence, ==, ERDIAG_MSFT_BY_PATH); /* the first guess */
    erdiag_event b = update_event(2, 1.1, "192.168.15.18", "192.168.15.17", "10.1.0.0/16", "12076", &n2);
    erdiag_engine_feed(e, &b, NULL);
    erdiag_engine_finish(e);
    l = g_ptr_array_index(((erdiag_peering *)g_ptr_array_index(erdiag_engine_peerings(e), 0))->links, 0);
    g_assert_cmpint(l->msft_evidence, ==, ERDIAG_MSFT_BY_ADDRESS);
    g_assert_false(erdiag_link_layer3(l));
    assert_addr(&l->addr[ERDIAG_CUST], "192.168.15.17");
    g_autofree char *got = capture_run_findings_text(e);
    g_assert_cmpuint(count_id(got, "peering.layer3-provider"), ==, 0);
    erdiag_engine_free(e);
}

static void test_microsoft_zero_config(void)
{
    g_autofree char *cap = capture("microsoft-peering");
    erdiag_engine *e = capture_run(cap, NULL);
    g_autofree char *got = capture_run_findings_text(e);
    g_assert_nonnull(strstr(got, "peering.microsoft -: peering vlan197 is Microsoft peering (the Microsoft side tags "
                                 "its routes with the service community 12076:5010 (Exchange Online), which "
                                 "Microsoft uses only on Microsoft peering)"));
    g_assert_nonnull(strstr(got, "routes.microsoft-peering-private primary: primary: the on-prem side advertises 1 "
                                 "prefix Microsoft peering does not accept: 10.50.0.0/16 (10.0.0.0/8 (RFC 1918))\n"));
    /* Microsoft's public prefixes are no VNet space */
    g_assert_cmpuint(count_id(got, "routes.overlap-vnet"), ==, 0);
    g_assert_cmpuint(count_id(got, "routes.none-from-azure"), ==, 0);
    const erdiag_peering *pe = g_ptr_array_index(erdiag_engine_peerings(e), 0);
    g_assert_true(erdiag_peering_is_microsoft(pe));
    g_assert_cmpstr(erdiag_peering_type_evidence(pe), ==, "service-community");
    erdiag_engine_free(e);
}

#define MS_NO_FILTER_INI                                                                                   \
    "[peering contoso-microsoft]\nvlan = 198\npeer-asn = 65010\nprimary-subnet = 203.0.113.8/30\n"         \
    "secondary-subnet = 203.0.113.12/30\n"

static void test_microsoft_no_route_filter(void)
{
    g_autofree char *cap = capture("microsoft-peering-no-filter");
    /* configured */
    g_autofree char *got = findings_on("microsoft-peering-no-filter", MS_NO_FILTER_INI "peering-type = microsoft\n",
                                       NULL, NULL);
    g_assert_nonnull(strstr(got, "routes.no-route-filter secondary: secondary: the Microsoft peering session was "
                                 "Established but Microsoft advertised no prefix: no route filter is attached"));
    g_assert_cmpuint(count_id(got, "routes.none-from-azure"), ==, 0);
    /* Azure's export of the peering says the same */
    g_autofree char *json = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "azure-examples",
                                             "microsoft-peering-no-filter", "peering.json", NULL);
    g_autoptr(GError) err = NULL;
    erdiag_config *c = erdiag_azure_peering_load(json, &err);
    g_assert_no_error(err);
    erdiag_engine *e = capture_run(cap, c);
    g_autofree char *from_export = capture_run_findings_text(e);
    g_assert_cmpuint(count_id(from_export, "routes.no-route-filter"), ==, 2);
    erdiag_engine_free(e);
    /* with the export's state attached, as the CLI does: its routeFilter null is the reason */
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_assert_true(erdiag_azure_state_add_file(x, json, FALSE, &err));
    e = capture_run_with(cap, c, x);
    g_autofree char *with_state = capture_run_findings_text(e);
    g_assert_nonnull(strstr(with_state, "Microsoft advertised no prefix: no route filter is attached to the peering "
                                        "(peering MicrosoftPeering of circuit er-contoso in "));
    g_assert_nonnull(strstr(with_state, "peering.json has routeFilter null)\n"));
    g_assert_nonnull(strstr(from_export, "peering.microsoft -: peering er-contoso is Microsoft peering (configured"));
    erdiag_engine_free(e);
    erdiag_config_free(c);
    /* without either, nothing says Microsoft peering: the message points at it */
    e = capture_run(cap, NULL);
    g_autofree char *zc = capture_run_findings_text(e);
    g_assert_nonnull(strstr(zc, "routes.none-from-azure primary: primary: the session was Established but the "
                                "Microsoft side advertised no prefix (the peering's addresses are public: if this is "
                                "Microsoft peering, say peering-type = microsoft"));
    erdiag_engine_free(e);
}

/* Microsoft peering's rules on a private-peering capture: private /30s,
 * private on-prem prefixes, VNet routes no longer judged as VNets. */
static void test_microsoft_rules_on_private_addresses(void)
{
    g_autofree char *got = findings_on("healthy", "[peering healthy]\nvlan = 100\npeer-asn = 65010\nprimary-subnet = "
                                       "192.168.15.16/30\nsecondary-subnet = 192.168.15.20/30\n"
                                       "peering-type = microsoft\nvnet-prefixes = 10.9.0.0/16\n", NULL, NULL);
    g_assert_nonnull(strstr(got, "config.microsoft-peering-subnet primary: primary: Microsoft peering on "
                                 "192.168.15.16/30, inside 192.168.0.0/16 (RFC 1918)"));
    g_assert_nonnull(strstr(got, "routes.microsoft-peering-private secondary: secondary: the on-prem side advertises "
                                 "2 prefixes Microsoft peering does not accept: 10.50.0.0/16 (10.0.0.0/8 (RFC 1918)), "
                                 "172.16.0.0/16 (172.16.0.0/12 (RFC 1918))"));
    /* vnet-prefixes = 10.9.0.0/16 is not advertised: not asked of Microsoft peering */
    g_assert_cmpuint(count_id(got, "routes.vnet-missing"), ==, 0);
}

/* captures/prefix-limit advertises about 4,000 prefixes: far over
 * Microsoft peering's 200 per session. */
static void test_microsoft_prefix_limit(void)
{
    g_autofree char *got = findings_on("prefix-limit", "[peering prefix-limit]\nvlan = 176\npeer-asn = 65010\n"
                                       "primary-subnet = 192.168.76.0/30\nsecondary-subnet = 192.168.76.4/30\n"
                                       "peering-type = microsoft\n", NULL, NULL);
    g_assert_nonnull(strstr(got, "IPv4 prefixes, over Microsoft peering's limit of 200\n"));
    g_assert_null(strstr(got, "SKU's limit"));
}

static void test_config_keys(void)
{
    erdiag_config *c = config_text("[peering x]\nprimary-subnet = 192.168.1.0/30\nprovider-asn = 65100\n"
                                   "peering-type = MicrosoftPeering\n");
    const erdiag_peering_config *pc = g_ptr_array_index(c->peerings, 0);
    g_assert_true(pc->has_provider); /* a provider AS means a layer-3 provider */
    g_assert_cmpint(pc->provider, ==, ERDIAG_PROVIDER_L3);
    g_assert_cmpint(pc->peering_type, ==, ERDIAG_PEERING_MICROSOFT);
    erdiag_config_free(c);
    static const struct {
        const char *line, *error;
    } bad[] = {
        {"provider = l4\n", "test.ini: [peering x] provider = l4: expected l2 (your router peers with the MSEE) or l3"},
        {"provider-asn = 12076\n", "provider-asn = 12076: expected the layer-3 provider's own AS, not Microsoft's 12076"},
        {"provider = l2\nprovider-asn = 65100\n", "provider-asn = 65100: expected no provider-asn with provider = l2"},
        {"peering-type = public\n", "peering-type = public: expected private or microsoft"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *text = g_strdup_printf("[peering x]\nprimary-subnet = 192.168.1.0/30\n%s", bad[i].line);
        g_autoptr(GError) err = NULL;
        g_autoptr(GPtrArray) problems = NULL;
        erdiag_config *cfg = erdiag_config_load_data(text, strlen(text), "test.ini", &problems, &err);
        g_assert_null(cfg);
        if (!strstr(err->message, bad[i].error))
            g_error("\"%s\" should contain \"%s\"", err->message, bad[i].error);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/topology/layer3/configured", test_layer3_configured);
    g_test_add_func("/topology/layer3/wrong-provider-asn", test_layer3_wrong_provider_asn);
    g_test_add_func("/topology/layer3/judged-as-l2", test_layer3_capture_judged_as_l2);
    g_test_add_func("/topology/layer3/zero-config", test_layer3_zero_config);
    g_test_add_func("/topology/layer3/config-on-an-msee-link", test_layer3_config_on_an_msee_link);
    g_test_add_func("/topology/layer3/readvertised-route", test_onprem_readvertising_is_not_layer3);
    g_test_add_func("/topology/microsoft/zero-config", test_microsoft_zero_config);
    g_test_add_func("/topology/microsoft/no-route-filter", test_microsoft_no_route_filter);
    g_test_add_func("/topology/microsoft/private-addresses", test_microsoft_rules_on_private_addresses);
    g_test_add_func("/topology/microsoft/prefix-limit", test_microsoft_prefix_limit);
    g_test_add_func("/topology/config-keys", test_config_keys);
    return g_test_run();
}
