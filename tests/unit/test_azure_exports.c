/* Azure's NSG, effective-route and circuit exports: every shape the tools
 * write loads, every kind of malformed file is a one-line error naming the
 * file and the JSON path, and the evaluators follow Azure's rules (priority
 * order, first match, subnet then NIC, service tags, port ranges, longest
 * prefix among Active routes). */
#include <string.h>
#include <glib.h>
#include "azure_exports.h"

static char *example(const char *file)
{
    return g_build_filename(ERDIAG_SOURCE_DIR, "captures", "azure-examples", "dataplane", file, NULL);
}

static erdiag_addr addr(const char *t)
{
    erdiag_addr a;
    g_assert_true(erdiag_addr_parse(t, &a));
    return a;
}

static erdiag_prefix prefix(const char *t)
{
    erdiag_prefix p;
    gboolean hb = FALSE;
    g_assert_true(erdiag_prefix_parse(t, &p, &hb));
    return p;
}

static erdiag_azure_flow flow(guint8 proto, const char *src, guint16 sport, const char *dst, guint16 dport,
                              erdiag_azure_direction dir)
{
    return (erdiag_azure_flow){proto, addr(src), addr(dst), sport, dport, dir};
}

/* A rule in az's flattened shape. */
static char *rule_json(const char *name, int prio, const char *access, const char *dir, const char *proto,
                       const char *src, const char *dst, const char *dports)
{
    return g_strdup_printf("{\"name\": \"%s\", \"priority\": %d, \"access\": \"%s\", \"direction\": \"%s\", "
                           "\"protocol\": \"%s\", \"sourceAddressPrefix\": \"%s\", \"destinationAddressPrefix\": "
                           "\"%s\", \"sourcePortRange\": \"*\", \"destinationPortRange\": \"%s\"}",
                           name, prio, access, dir, proto, src, dst, dports);
}

/* An NSG (az network nsg show) from rules; attach: "subnet", "nic" or "". */
static erdiag_azure_exports *nsg_of(const char *attach, const char *const *rules)
{
    g_autofree char *list = g_strjoinv(", ", (char **)rules);
    const char *assoc = g_strcmp0(attach, "subnet") == 0
                            ? "\"subnets\": [{\"id\": \"/s/virtualNetworks/v1/subnets/vms\"}], "
                        : g_strcmp0(attach, "nic") == 0 ? "\"networkInterfaces\": [{\"id\": \"/s/networkInterfaces/nic1\"}], "
                                                        : "";
    g_autofree char *json = g_strdup_printf("{\"name\": \"nsg-%s\", %s\"securityRules\": [%s]}", attach, assoc, list);
    erdiag_azure_exports *x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(erdiag_azure_nsg_add_data(x, json, strlen(json), "t.json", &err));
    g_assert_no_error(err);
    return x;
}

static void add_nsg(erdiag_azure_exports *x, const char *attach, const char *const *rules)
{
    g_autoptr(erdiag_azure_exports) one = nsg_of(attach, rules);
    while (one->nsgs->len)
        g_ptr_array_add(x->nsgs, g_ptr_array_steal_index(one->nsgs, 0));
}

/* --- parsers: NSGs -------------------------------------------------------------- */

static void test_nsg_effective_example(void)
{
    g_autofree char *path = example("nsg-effective.json");
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(erdiag_azure_nsg_add_file(x, path, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(x->nsgs->len, ==, 2);
    const erdiag_azure_nsg *nic = g_ptr_array_index(x->nsgs, 0), *sub = g_ptr_array_index(x->nsgs, 1);
    g_assert_cmpstr(nic->nsg_name, ==, "vm1-nsg");
    g_assert_cmpstr(nic->applies_to, ==, "NIC vm1-nic");
    g_assert_cmpint(nic->attachment, ==, ERDIAG_AZURE_AT_NIC);
    g_assert_cmpstr(sub->applies_to, ==, "subnet vnet-erdiag/vms");
    g_assert_cmpint(sub->attachment, ==, ERDIAG_AZURE_AT_SUBNET);
    g_assert_cmpuint(nic->rules->len, ==, 8);
    const erdiag_azure_nsg_rule *r = g_ptr_array_index(nic->rules, 0);
    g_assert_cmpstr(r->name, ==, "DenyRdpInbound"); /* "securityRules/" dropped */
    g_assert_false(r->is_default);
    g_assert_cmpuint(r->priority, ==, 100);
    g_assert_false(r->allow);
    g_assert_cmpint(r->direction, ==, ERDIAG_AZURE_INBOUND);
    g_assert_cmpuint(r->protocol, ==, 6);
    g_assert_cmpuint(r->dports->len, ==, 1);
    g_assert_cmpuint(g_array_index(r->dports, erdiag_azure_ports, 0).lo, ==, 3389);
    g_assert_cmpuint(g_array_index(r->dports, erdiag_azure_ports, 0).hi, ==, 3389);
    /* rules come sorted by priority; the expanded VirtualNetwork replaces the tag */
    guint32 last = 0;
    for (guint i = 0; i < nic->rules->len; i++) {
        const erdiag_azure_nsg_rule *ri = g_ptr_array_index(nic->rules, i);
        g_assert_cmpuint(ri->priority, >=, last);
        last = ri->priority;
        if (strcmp(ri->name, "AllowVnetInBound") == 0) {
            g_assert_true(ri->is_default);
            g_assert_cmpuint(ri->src->len, ==, 4);
            g_assert_cmpint(g_array_index(ri->src, erdiag_azure_term, 0).kind, ==, ERDIAG_AZURE_TERM_PREFIX);
        }
    }
}

static void test_nsg_show_example(void)
{
    g_autofree char *path = example("nsg-show.json");
    g_autofree char *spec = g_strdup_printf("10.1.0.4=%s", path);
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(erdiag_azure_nsg_add_file(x, spec, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(x->nsgs->len, ==, 1);
    const erdiag_azure_nsg *n = g_ptr_array_index(x->nsgs, 0);
    g_assert_cmpstr(n->nsg_name, ==, "vm1-nsg");
    g_assert_cmpstr(n->applies_to, ==, "NIC vm1-nic");
    g_assert_cmpstr(n->source, ==, path); /* the scope is not part of the file name */
    g_assert_true(n->scoped);
    char buf[ERDIAG_PREFIX_STRLEN];
    g_assert_cmpstr(erdiag_prefix_to_string(&n->scope, buf), ==, "10.1.0.4/32");
    g_assert_cmpuint(n->rules->len, ==, 9);
    const erdiag_azure_nsg_rule *r = g_ptr_array_index(n->rules, 0);
    g_assert_cmpstr(r->name, ==, "AllowRdpFromOnPrem");
    g_assert_cmpuint(r->src->len, ==, 2); /* sourceAddressPrefixes wins over an empty sourceAddressPrefix */
    const erdiag_azure_nsg_rule *vnet = g_ptr_array_index(n->rules, 3);
    g_assert_cmpstr(vnet->name, ==, "AllowVnetInBound");
    g_assert_cmpint(g_array_index(vnet->src, erdiag_azure_term, 0).kind, ==, ERDIAG_AZURE_TERM_VNET);
}

static void test_nsg_rest_and_powershell_shapes(void)
{
    /* the REST shape: everything under "properties" */
    const char *rest = "{\"name\": \"n1\", \"id\": \"/x/networkSecurityGroups/n1\", \"properties\": {"
                       "\"subnets\": [{\"id\": \"/s/virtualNetworks/hub/subnets/app\"}], \"securityRules\": [{"
                       "\"name\": \"r1\", \"properties\": {\"priority\": 300, \"access\": \"Deny\", \"direction\": "
                       "\"Inbound\", \"protocol\": \"Udp\", \"sourceAddressPrefix\": \"10.0.0.0/8\", "
                       "\"destinationAddressPrefix\": \"*\", \"sourcePortRange\": \"*\", \"destinationPortRanges\": "
                       "[\"53\", \"500-501\"]}}]}}";
    /* Az PowerShell: capitalised keys, a list for the prefix */
    const char *ps = "[{\"Name\": \"n2\", \"SecurityRules\": [{\"Name\": \"r2\", \"Priority\": 100, \"Access\": "
                     "\"Allow\", \"Direction\": \"Outbound\", \"Protocol\": \"*\", \"SourceAddressPrefix\": [\"*\"], "
                     "\"DestinationAddressPrefix\": [\"2001:db8::/32\"], \"SourcePortRange\": [\"*\"], "
                     "\"DestinationPortRange\": [\"*\"]}], \"DefaultSecurityRules\": []}]";
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(erdiag_azure_nsg_add_data(x, rest, strlen(rest), "rest.json", &err));
    g_assert_true(erdiag_azure_nsg_add_data(x, ps, strlen(ps), "ps.json", &err));
    g_assert_no_error(err);
    g_assert_cmpuint(x->nsgs->len, ==, 2);
    const erdiag_azure_nsg *a = g_ptr_array_index(x->nsgs, 0), *b = g_ptr_array_index(x->nsgs, 1);
    g_assert_cmpstr(a->applies_to, ==, "subnet hub/app");
    g_assert_cmpint(a->attachment, ==, ERDIAG_AZURE_AT_SUBNET);
    const erdiag_azure_nsg_rule *r1 = g_ptr_array_index(a->rules, 0);
    g_assert_cmpuint(r1->protocol, ==, 17);
    g_assert_cmpuint(r1->dports->len, ==, 2);
    g_assert_cmpstr(r1->dports_text, ==, "53, 500-501");
    g_assert_cmpstr(b->nsg_name, ==, "n2");
    g_assert_cmpint(b->attachment, ==, ERDIAG_AZURE_AT_UNKNOWN);
    const erdiag_azure_nsg_rule *r2 = g_ptr_array_index(b->rules, 0);
    g_assert_cmpint(r2->direction, ==, ERDIAG_AZURE_OUTBOUND);
    g_assert_cmpint(g_array_index(r2->dst, erdiag_azure_term, 0).prefix.addr.family, ==, 6);
}

/* Bad NSG input: FALSE, one line naming the file and containing what. */
static void expect_nsg_error(const char *json, const char *what)
{
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_false(erdiag_azure_nsg_add_data(x, json, strlen(json), "bad.json", &err));
    g_assert_nonnull(err);
    if (!g_str_has_prefix(err->message, "bad.json: ") || !strstr(err->message, what) || strchr(err->message, '\n'))
        g_error("\"%s\" should be one line starting \"bad.json: \" and containing \"%s\"", err->message, what);
    g_assert_cmpuint(x->nsgs->len, ==, 0);
}

static void test_nsg_errors(void)
{
    expect_nsg_error("{\"value\": [", "not valid JSON");
    expect_nsg_error("[1, 2]", "[0]: expected the JSON of 'az network nic list-effective-nsg'");
    expect_nsg_error("{}", "value: expected the JSON of");
    expect_nsg_error("[]", "expected the JSON of");
    /* another export: an ARP table, a route table */
    expect_nsg_error("{\"value\": [{\"ipAddress\": \"10.0.0.1\", \"macAddress\": \"aa\"}]}", "value[0]: expected");
    expect_nsg_error("{\"value\": [{\"addressPrefix\": [\"10.0.0.0/8\"], \"nextHopType\": \"None\"}]}", "value[0]");
    const struct {
        const char *name;
        int prio;
        const char *access, *dir, *proto, *src, *dst, *ports, *want;
    } bad[] = {
        {"p", -1, "Deny", "Inbound", "Tcp", "*", "*", "*", "priority = -1"},
        {"a", 100, "Maybe", "Inbound", "Tcp", "*", "*", "*", "access = Maybe: expected Allow or Deny"},
        {"d", 100, "Deny", "Sideways", "Tcp", "*", "*", "*", "direction = Sideways"},
        {"pr", 100, "Deny", "Inbound", "Gre", "*", "*", "*", "protocol = Gre"},
        {"port1", 100, "Deny", "Inbound", "Tcp", "*", "*", "80-", "destinationPortRange = 80-"},
        {"port2", 100, "Deny", "Inbound", "Tcp", "*", "*", "90-80", "90-80"},
        {"port3", 100, "Deny", "Inbound", "Tcp", "*", "*", "70000", "70000"},
        {"cidr", 100, "Deny", "Inbound", "Tcp", "10.0.0.0/33", "*", "*", "sourceAddressPrefix = 10.0.0.0/33"},
        {"v6", 100, "Deny", "Inbound", "Tcp", "*", "2001:db8::/129", "*", "2001:db8::/129"},
        {"junk", 100, "Deny", "Inbound", "Tcp", "$$", "*", "*", "= $$"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *r = rule_json(bad[i].name, bad[i].prio, bad[i].access, bad[i].dir, bad[i].proto, bad[i].src,
                                       bad[i].dst, bad[i].ports);
        g_autofree char *doc = g_strdup_printf("{\"name\": \"n\", \"securityRules\": [%s]}", r);
        expect_nsg_error(doc, bad[i].want);
        g_autofree char *path = g_strdup_printf("securityRules[0]");
        expect_nsg_error(doc, path);
    }
    /* required members missing; a rule that is no object; the path names the list entry */
    expect_nsg_error("{\"securityRules\": [{\"access\": \"Deny\", \"direction\": \"Inbound\", \"protocol\": \"*\"}]}",
                     "securityRules[0]: priority: missing");
    expect_nsg_error("{\"securityRules\": [{\"priority\": 100, \"access\": \"Deny\", \"direction\": \"Inbound\", "
                     "\"protocol\": \"*\", \"destinationAddressPrefix\": \"*\"}]}",
                     "sourceAddressPrefix: missing");
    expect_nsg_error("{\"value\": [{\"effectiveSecurityRules\": [7]}]}", "value[0].effectiveSecurityRules[0]: expected a "
                     "security rule");
    expect_nsg_error("{\"securityRules\": [{\"priority\": 100, \"access\": \"Deny\", \"direction\": \"Inbound\", "
                     "\"protocol\": \"*\", \"sourceAddressPrefix\": {\"a\": 1}, \"destinationAddressPrefix\": \"*\"}]}",
                     "expected a string or a list of strings");
}

static void test_nsg_file_errors(void)
{
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_false(erdiag_azure_nsg_add_file(x, "/nonexistent/nsg.json", &err));
    g_assert_true(g_str_has_prefix(err->message, "/nonexistent/nsg.json: cannot read"));
    g_clear_error(&err);
    /* "a=b.json" where a is no address: a file name with '=' in it */
    g_assert_false(erdiag_azure_nsg_add_file(x, "vm=/nonexistent/nsg.json", &err));
    g_assert_true(g_str_has_prefix(err->message, "vm=/nonexistent/nsg.json: cannot read"));
}

/* --- parsers: effective routes and state ------------------------------------------ */

static void test_routes_example(void)
{
    g_autofree char *path = example("effective-routes.json");
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(erdiag_azure_routes_add_file(x, path, &err));
    g_assert_no_error(err);
    const erdiag_azure_route_table *t = g_ptr_array_index(x->route_tables, 0);
    g_assert_cmpuint(t->routes->len, ==, 9);
    g_assert_false(t->propagation_disabled);
    const erdiag_azure_route *gw = g_ptr_array_index(t->routes, 2);
    g_assert_cmpstr(gw->next_hop_type, ==, "VirtualNetworkGateway");
    g_assert_cmpstr(gw->next_hop_ip, ==, "192.168.78.2, 192.168.78.6");
    g_assert_cmpstr(gw->origin, ==, "VirtualNetworkGateway");
    g_assert_true(gw->active);
    g_assert_true(erdiag_azure_routes_have_gateway(t));
}

static void expect_routes_error(const char *json, const char *what)
{
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_false(erdiag_azure_routes_add_data(x, json, strlen(json), "rt.json", &err));
    if (!g_str_has_prefix(err->message, "rt.json: ") || !strstr(err->message, what) || strchr(err->message, '\n'))
        g_error("\"%s\" should be one line starting \"rt.json: \" and containing \"%s\"", err->message, what);
    g_assert_cmpuint(x->route_tables->len, ==, 0);
}

static void test_routes_errors(void)
{
    expect_routes_error("nope", "not valid JSON");
    expect_routes_error("{\"routes\": []}", "value: expected the JSON of 'az network nic show-effective-route-table'");
    expect_routes_error("{\"value\": [3]}", "value[0]: not an object");
    expect_routes_error("{\"value\": [{\"nextHopType\": \"None\"}]}", "value[0]: addressPrefix");
    expect_routes_error("[{\"addressPrefix\": [\"10.0.0.0/8\"]}]", "[0]: nextHopType");
    expect_routes_error("{\"value\": [{\"addressPrefix\": [\"10.0.0.0/8\"], \"nextHopType\": \"None\"}, "
                        "{\"addressPrefix\": [\"10.300.0.0/16\"], \"nextHopType\": \"None\"}]}",
                        "value[1]: addressPrefix = 10.300.0.0/16");
    expect_routes_error("{\"value\": [{\"addressPrefix\": [\"10.0.0.0/8\"], \"nextHopType\": \"None\", \"state\": "
                        "\"Sleeping\"}]}", "state = Sleeping: expected Active or Invalid");
    expect_routes_error("{\"value\": [{\"addressPrefix\": [\"10.0.0.0/8\"], \"nextHopType\": \"None\", "
                        "\"nextHopIpAddress\": [{}]}]}", "nextHopIpAddress");
    /* an NSG export given as routes */
    g_autofree char *nsg = example("nsg-effective.json");
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(nsg, &data, &len, NULL));
    expect_routes_error(data, "value[0]: addressPrefix");
}

static void test_state(void)
{
    g_autofree char *disabled = example("peering-disabled.json"), *circuit = example("circuit-not-provisioned.json");
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(erdiag_azure_state_add_file(x, disabled, FALSE, &err));
    g_assert_true(erdiag_azure_state_add_file(x, circuit, TRUE, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(x->states->len, ==, 3);
    const erdiag_azure_state *p = g_ptr_array_index(x->states, 0);
    g_assert_cmpstr(p->state, ==, "Disabled");
    g_assert_cmpstr(p->circuit, ==, "dataplane");
    g_assert_cmpstr(p->what, ==, "peering AzurePrivatePeering of circuit dataplane");
    const erdiag_azure_state *c = g_ptr_array_index(x->states, 1);
    g_assert_null(c->state);
    g_assert_cmpstr(c->provider_state, ==, "NotProvisioned");
    g_assert_cmpstr(c->what, ==, "circuit dataplane");
    const erdiag_azure_state *cp = g_ptr_array_index(x->states, 2); /* the circuit's private peering */
    g_assert_cmpstr(cp->state, ==, "Enabled");
    /* a list picks the private peering; a peering without state adds nothing */
    const char *list = "[{\"peeringType\": \"MicrosoftPeering\", \"state\": \"Disabled\"}, "
                       "{\"peeringType\": \"AzurePrivatePeering\", \"state\": \"Enabled\"}]";
    g_assert_true(erdiag_azure_state_add_data(x, list, strlen(list), "l.json", FALSE, &err));
    g_assert_cmpstr(((erdiag_azure_state *)g_ptr_array_index(x->states, 3))->state, ==, "Enabled");
    g_assert_true(erdiag_azure_state_add_data(x, "{\"vlanId\": 5}", 13, "n.json", FALSE, &err));
    g_assert_cmpuint(x->states->len, ==, 4);
    /* --azure-circuit wants a circuit */
    g_assert_false(erdiag_azure_state_add_file(x, disabled, TRUE, &err));
    g_assert_nonnull(strstr(err->message, "serviceProviderProvisioningState: missing"));
    g_assert_true(g_str_has_prefix(err->message, disabled));
}

/* --- evaluators: NSG ---------------------------------------------------------------- */

static const erdiag_azure_nsg_rule *verdict(const erdiag_azure_exports *x, const erdiag_azure_flow *f, gboolean *allowed)
{
    erdiag_azure_nsg_result r;
    g_assert_true(erdiag_azure_nsg_verdict(x, f, &r));
    *allowed = r.allowed;
    return r.rule;
}

static void test_priority_order(void)
{
    g_autofree char *deny = rule_json("deny-ssh", 200, "Deny", "Inbound", "Tcp", "*", "*", "22");
    g_autofree char *allow = rule_json("allow-ssh", 100, "Allow", "Inbound", "Tcp", "172.16.0.0/16", "*", "22");
    /* written in the file in the other order: the lower number still goes first */
    const char *const rules[] = {deny, allow, NULL};
    g_autoptr(erdiag_azure_exports) x = nsg_of("nic", rules);
    gboolean allowed;
    erdiag_azure_flow f = flow(6, "172.16.1.10", 50000, "10.1.0.4", 22, ERDIAG_AZURE_INBOUND);
    g_assert_cmpstr(verdict(x, &f, &allowed)->name, ==, "allow-ssh");
    g_assert_true(allowed);
    f = flow(6, "192.168.1.10", 50000, "10.1.0.4", 22, ERDIAG_AZURE_INBOUND);
    g_assert_cmpstr(verdict(x, &f, &allowed)->name, ==, "deny-ssh");
    g_assert_false(allowed);
    /* an outbound flow meets no inbound rule: nothing matches, allowed */
    f = flow(6, "10.1.0.4", 22, "192.168.1.10", 50000, ERDIAG_AZURE_OUTBOUND);
    g_assert_null(verdict(x, &f, &allowed));
    g_assert_true(allowed);
}

static void test_service_tags(void)
{
    g_autofree char *lb = rule_json("lb", 100, "Deny", "Inbound", "*", "AzureLoadBalancer", "*", "*");
    g_autofree char *inet = rule_json("inet", 110, "Deny", "Inbound", "*", "Internet", "*", "*");
    g_autofree char *vnet = rule_json("vnet", 120, "Allow", "Inbound", "*", "VirtualNetwork", "VirtualNetwork", "*");
    g_autofree char *all = rule_json("all", 130, "Deny", "Inbound", "*", "*", "*", "*");
    const char *const rules[] = {lb, inet, vnet, all, NULL};
    g_autoptr(erdiag_azure_exports) x = nsg_of("nic", rules);
    gboolean allowed;
    /* on-prem across the gateway: in VirtualNetwork, neither Internet nor the load balancer */
    erdiag_azure_flow f = flow(17, "172.16.1.10", 5000, "10.1.0.4", 53, ERDIAG_AZURE_INBOUND);
    g_assert_cmpstr(verdict(x, &f, &allowed)->name, ==, "vnet");
    g_assert_true(allowed);
    /* without the VirtualNetwork rule, "*" catches it */
    const char *const rules2[] = {lb, inet, all, NULL};
    g_autoptr(erdiag_azure_exports) y = nsg_of("nic", rules2);
    g_assert_cmpstr(verdict(y, &f, &allowed)->name, ==, "all");
    g_assert_false(allowed);
}

static void test_ports(void)
{
    g_autofree char *range = rule_json("range", 100, "Deny", "Inbound", "Tcp", "*", "*", "80-90");
    g_autofree char *list = g_strdup("{\"name\": \"list\", \"priority\": 110, \"access\": \"Deny\", \"direction\": "
                                     "\"Inbound\", \"protocol\": \"Udp\", \"sourceAddressPrefix\": \"*\", "
                                     "\"destinationAddressPrefix\": \"*\", \"sourcePortRange\": \"*\", "
                                     "\"destinationPortRanges\": [\"53\", \"123\", \"500-501\"]}");
    g_autofree char *sport = g_strdup("{\"name\": \"sport\", \"priority\": 120, \"access\": \"Deny\", \"direction\": "
                                      "\"Inbound\", \"protocol\": \"Tcp\", \"sourceAddressPrefix\": \"*\", "
                                      "\"destinationAddressPrefix\": \"*\", \"sourcePortRange\": \"1000-1999\", "
                                      "\"destinationPortRange\": \"*\"}");
    const char *const rules[] = {range, list, sport, NULL};
    g_autoptr(erdiag_azure_exports) x = nsg_of("nic", rules);
    const struct {
        guint8 proto;
        guint16 sport, dport;
        const char *rule;
    } cases[] = {
        {6, 40000, 80, "range"}, {6, 40000, 85, "range"}, {6, 40000, 90, "range"}, {6, 40000, 91, NULL},
        {6, 40000, 79, NULL}, {17, 40000, 85, NULL}, {17, 40000, 123, "list"}, {17, 40000, 501, "list"},
        {17, 40000, 502, NULL}, {6, 1500, 22, "sport"}, {6, 2000, 22, NULL},
        /* ICMP has no ports: a Tcp or Udp rule never matches it */
        {1, 0, 85, NULL},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        erdiag_azure_flow f = flow(cases[i].proto, "172.16.1.10", cases[i].sport, "10.1.0.4", cases[i].dport,
                                   ERDIAG_AZURE_INBOUND);
        erdiag_azure_nsg_result r;
        erdiag_azure_nsg_verdict(x, &f, &r);
        if (g_strcmp0(r.rule ? r.rule->name : NULL, cases[i].rule) != 0)
            g_error("case %u: rule %s, expected %s", i, r.rule ? r.rule->name : "(none)",
                    cases[i].rule ? cases[i].rule : "(none)");
    }
}

static void test_addresses(void)
{
    g_autofree char *v6 = rule_json("v6", 100, "Deny", "Inbound", "*", "2001:db8:100::/48", "*", "*");
    g_autofree char *host = rule_json("host", 110, "Deny", "Inbound", "*", "*", "10.1.0.5", "*");
    g_autofree char *v4all = rule_json("v4all", 120, "Deny", "Inbound", "Icmp", "0.0.0.0/0", "*", "*");
    const char *const rules[] = {v6, host, v4all, NULL};
    g_autoptr(erdiag_azure_exports) x = nsg_of("nic", rules);
    const struct {
        guint8 proto;
        const char *src, *dst, *rule;
    } cases[] = {
        {6, "2001:db8:100::10", "2001:db8:1::4", "v6"},
        {6, "2001:db8:200::10", "2001:db8:1::4", NULL},
        {6, "172.16.1.10", "10.1.0.5", "host"},
        {6, "172.16.1.10", "10.1.0.4", NULL},
        {1, "172.16.1.10", "10.1.0.4", "v4all"},
        /* 0.0.0.0/0 is IPv4 only; Icmp covers ICMPv6 */
        {58, "2001:db8:200::10", "2001:db8:1::4", NULL},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        erdiag_azure_flow f = flow(cases[i].proto, cases[i].src, 1, cases[i].dst, 1, ERDIAG_AZURE_INBOUND);
        erdiag_azure_nsg_result r;
        erdiag_azure_nsg_verdict(x, &f, &r);
        if (g_strcmp0(r.rule ? r.rule->name : NULL, cases[i].rule) != 0)
            g_error("case %u: rule %s, expected %s", i, r.rule ? r.rule->name : "(none)",
                    cases[i].rule ? cases[i].rule : "(none)");
    }
    g_autofree char *icmp6 = rule_json("icmp6", 100, "Deny", "Inbound", "Icmp", "*", "*", "*");
    const char *const r2[] = {icmp6, NULL};
    g_autoptr(erdiag_azure_exports) y = nsg_of("nic", r2);
    erdiag_azure_flow f = flow(58, "2001:db8:200::10", 0, "2001:db8:1::4", 0, ERDIAG_AZURE_INBOUND);
    gboolean allowed;
    g_assert_cmpstr(verdict(y, &f, &allowed)->name, ==, "icmp6");
}

static void test_subnet_then_nic(void)
{
    g_autofree char *allow = rule_json("sub-allow", 100, "Allow", "Inbound", "*", "*", "*", "*");
    g_autofree char *deny = rule_json("nic-deny", 100, "Deny", "Inbound", "Tcp", "*", "*", "3389");
    g_autofree char *sub_deny = rule_json("sub-deny", 100, "Deny", "Inbound", "Tcp", "*", "*", "3389");
    g_autofree char *out_deny = rule_json("nic-out", 100, "Deny", "Outbound", "*", "*", "*", "*");
    g_autofree char *sub_out = rule_json("sub-out", 100, "Deny", "Outbound", "*", "*", "*", "*");
    gboolean allowed;
    erdiag_azure_flow in = flow(6, "172.16.1.10", 40000, "10.1.0.4", 3389, ERDIAG_AZURE_INBOUND);
    /* the subnet allows, the NIC denies: denied, by the NIC (given first in the list) */
    const char *const nic_rules[] = {deny, out_deny, NULL};
    const char *const sub_rules[] = {allow, NULL};
    g_autoptr(erdiag_azure_exports) x = nsg_of("nic", nic_rules);
    add_nsg(x, "subnet", sub_rules);
    g_assert_cmpstr(verdict(x, &in, &allowed)->name, ==, "nic-deny");
    g_assert_false(allowed);
    /* both deny: inbound meets the subnet's first */
    const char *const sub_rules2[] = {sub_deny, sub_out, NULL};
    g_autoptr(erdiag_azure_exports) y = nsg_of("nic", nic_rules);
    add_nsg(y, "subnet", sub_rules2);
    g_assert_cmpstr(verdict(y, &in, &allowed)->name, ==, "sub-deny");
    /* outbound meets the NIC's first */
    erdiag_azure_flow out = flow(6, "10.1.0.4", 40000, "172.16.1.10", 22, ERDIAG_AZURE_OUTBOUND);
    g_assert_cmpstr(verdict(y, &out, &allowed)->name, ==, "nic-out");
    /* an NSG scoped to another VM does not apply */
    erdiag_azure_nsg *n = g_ptr_array_index(y->nsgs, 0);
    n->scoped = TRUE;
    n->scope = prefix("10.1.0.5/32");
    g_assert_cmpstr(verdict(y, &out, &allowed)->name, ==, "sub-out");
}

/* --- evaluators: port sets for configured sources ------------------------------------- */

static char *denials_text(const erdiag_azure_exports *x, const char *src, const char *dst, const GArray *probes)
{
    erdiag_addr s = addr(src);
    erdiag_prefix d = prefix(dst);
    g_autoptr(GPtrArray) ds = erdiag_azure_nsg_denials(x, &s, &d, ERDIAG_AZURE_INBOUND, probes);
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < ds->len; i++) {
        const erdiag_azure_denial *dn = g_ptr_array_index(ds, i);
        g_string_append_printf(out, "%s%s: %s%s", i ? "; " : "", dn->rule->name, dn->ports, dn->partial_dst ? " (part)" : "");
    }
    return g_string_free(out, FALSE);
}

static void test_denials(void)
{
    g_autofree char *path = example("nsg-effective.json");
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    g_assert_true(erdiag_azure_nsg_add_file(x, path, NULL));
    /* every port: the deny at 100 takes tcp/3389, AllowVnetInBound the rest */
    g_autofree char *a = denials_text(x, "172.16.1.10", "10.1.0.0/16", NULL);
    g_assert_cmpstr(a, ==, "DenyRdpInbound: tcp/3389");
    /* outside the expanded VirtualNetwork: the subnet's NSG (met first)
     * denies all of it by DenyAllInBound; nothing reaches the NIC's */
    g_autofree char *b = denials_text(x, "192.168.99.10", "10.1.0.0/16", NULL);
    g_assert_cmpstr(b, ==, "DenyAllInBound: icmp, tcp/*, udp/*");
    /* the NIC's NSG alone: its own rules in order */
    g_ptr_array_remove_index(x->nsgs, 1);
    g_autofree char *b2 = denials_text(x, "192.168.99.10", "10.1.0.0/16", NULL);
    g_assert_cmpstr(b2, ==, "DenyRdpInbound: tcp/3389; DenyAllInBound: icmp, tcp/0-3388, tcp/3390-65535, udp/*");
    /* test-ports narrow the question */
    g_autoptr(GArray) probes = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
    erdiag_azure_probe p22 = {6, 22, 22}, p3389 = {6, 3389, 3389};
    g_array_append_val(probes, p22);
    g_autofree char *c = denials_text(x, "172.16.1.10", "10.1.0.0/16", probes);
    g_assert_cmpstr(c, ==, "");
    g_array_append_val(probes, p3389);
    g_autofree char *d = denials_text(x, "172.16.1.10", "10.1.0.0/16", probes);
    g_assert_cmpstr(d, ==, "DenyRdpInbound: tcp/3389");

    /* an allow for one host of the prefix leaves the deny after it partial for that port */
    g_autofree char *path2 = example("nsg-show.json");
    g_autoptr(erdiag_azure_exports) y = erdiag_azure_exports_new();
    g_assert_true(erdiag_azure_nsg_add_file(y, path2, NULL));
    g_autofree char *e = denials_text(y, "172.16.1.10", "10.1.0.0/16", probes);
    g_assert_cmpstr(e, ==, "DenyOtherInbound: tcp/22 (part)");
    g_autofree char *f = denials_text(y, "172.16.1.10", "10.1.0.4/32", probes);
    g_assert_cmpstr(f, ==, "");
    /* a rule naming part of the destination prefix: partial */
    g_autofree char *deny = rule_json("deny-half", 100, "Deny", "Inbound", "Udp", "*", "10.1.128.0/17", "53");
    const char *const rules[] = {deny, NULL};
    g_autoptr(erdiag_azure_exports) z = nsg_of("nic", rules);
    g_autofree char *g = denials_text(z, "172.16.1.10", "10.1.0.0/16", NULL);
    g_assert_cmpstr(g, ==, "deny-half: udp/53 (part)");
}

/* --- evaluators: effective routes ------------------------------------------------------ */

static const erdiag_azure_route *lookup(const erdiag_azure_exports *x, const char *a)
{
    erdiag_addr ad = addr(a);
    return erdiag_azure_route_lookup(g_ptr_array_index(x->route_tables, 0), &ad);
}

static void test_route_lookup(void)
{
    g_autofree char *healthy = example("effective-routes.json"), *udr = example("effective-routes-udr.json"),
                    *nop = example("effective-routes-no-propagation.json");
    g_autoptr(erdiag_azure_exports) h = erdiag_azure_exports_new(), u = erdiag_azure_exports_new(),
                                    n = erdiag_azure_exports_new();
    g_assert_true(erdiag_azure_routes_add_file(h, healthy, NULL));
    g_assert_true(erdiag_azure_routes_add_file(u, udr, NULL));
    g_assert_true(erdiag_azure_routes_add_file(n, nop, NULL));
    /* the gateway's /16 beats the reserved 172.16.0.0/12 -> None */
    g_assert_true(erdiag_azure_route_via_gateway(lookup(h, "172.16.1.10")));
    g_assert_cmpstr(lookup(h, "192.168.99.10")->next_hop_type, ==, "None");
    g_assert_cmpstr(lookup(h, "8.8.8.8")->next_hop_type, ==, "Internet");
    /* the UDR of the same length wins, the gateway's route is Invalid */
    const erdiag_azure_route *r = lookup(u, "172.16.1.10");
    g_assert_cmpstr(r->name, ==, "onprem-via-firewall");
    g_autofree char *text = erdiag_azure_route_describe(r, NULL);
    g_assert_cmpstr(text, ==, "172.16.0.0/16 -> VirtualAppliance 10.1.2.4 (User route onprem-via-firewall)");
    g_assert_true(erdiag_azure_route_via_gateway(lookup(u, "10.50.1.1")));
    /* Invalid routes never win: 0.0.0.0/0 Internet is Invalid, the UDR is Active */
    g_assert_cmpstr(lookup(u, "8.8.8.8")->next_hop_type, ==, "VirtualAppliance");
    g_assert_true(erdiag_azure_routes_have_gateway(g_ptr_array_index(h->route_tables, 0)));
    g_assert_false(erdiag_azure_routes_have_gateway(g_ptr_array_index(n->route_tables, 0)));
    g_assert_true(((erdiag_azure_route_table *)g_ptr_array_index(n->route_tables, 0))->propagation_disabled);
    g_assert_cmpstr(lookup(n, "172.16.1.10")->next_hop_type, ==, "None");
    /* a tie between Active routes: User first; IPv6 */
    const char *tie = "[{\"addressPrefix\": [\"10.9.0.0/16\"], \"nextHopType\": \"VirtualNetworkGateway\", "
                      "\"source\": \"VirtualNetworkGateway\"}, {\"addressPrefix\": [\"10.9.0.0/16\"], \"nextHopType\": "
                      "\"VirtualAppliance\", \"source\": \"User\", \"name\": \"u\"}, {\"addressPrefix\": "
                      "[\"2001:db8::/32\", \"fd00::/8\"], \"nextHopType\": \"VirtualNetworkGateway\", \"state\": \"Active\"}]";
    g_autoptr(erdiag_azure_exports) t = erdiag_azure_exports_new();
    g_assert_true(erdiag_azure_routes_add_data(t, tie, strlen(tie), "tie.json", NULL));
    g_assert_cmpstr(lookup(t, "10.9.1.1")->name, ==, "u");
    g_assert_true(erdiag_azure_route_via_gateway(lookup(t, "fd12::1")));
    g_assert_null(lookup(t, "2001:db9::1"));
}

/* Mutated exports: every parse fails cleanly or yields tables the
 * evaluators walk without fault (run under the sanitizer build too). */
static void test_mutations(void)
{
    static const char *const files[] = {"nsg-effective.json", "nsg-show.json", "effective-routes-udr.json",
                                        "circuit-not-provisioned.json"};
    g_autoptr(GRand) rnd = g_rand_new_with_seed(17);
    const char alphabet[] = "{}[]\",:0123456789./-*aZ \n";
    for (guint fi = 0; fi < G_N_ELEMENTS(files); fi++) {
        g_autofree char *path = example(files[fi]);
        g_autofree char *orig = NULL;
        gsize len = 0;
        g_assert_true(g_file_get_contents(path, &orig, &len, NULL));
        for (guint round = 0; round < 300; round++) {
            g_autofree char *data = g_memdup2(orig, len);
            guint edits = g_rand_int_range(rnd, 1, 6);
            for (guint k = 0; k < edits; k++)
                data[g_rand_int_range(rnd, 0, (gint32)len)] = alphabet[g_rand_int_range(rnd, 0, sizeof alphabet - 1)];
            gsize cut = g_rand_boolean(rnd) ? len : (gsize)g_rand_int_range(rnd, 0, (gint32)len);
            g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
            g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
            gboolean n = erdiag_azure_nsg_add_data(x, data, cut, "m.json", &e1);
            gboolean r = erdiag_azure_routes_add_data(x, data, cut, "m.json", &e2);
            gboolean s = erdiag_azure_state_add_data(x, data, cut, "m.json", FALSE, &e3);
            g_assert_true(n || (e1 && !strchr(e1->message, '\n')));
            g_assert_true(r || (e2 && !strchr(e2->message, '\n')));
            g_assert_true(s || e3);
            erdiag_azure_flow f = flow(6, "172.16.1.10", 40000, "10.1.0.4", 3389, ERDIAG_AZURE_INBOUND);
            erdiag_azure_nsg_result res;
            erdiag_azure_nsg_verdict(x, &f, &res);
            erdiag_addr src = addr("172.16.1.10");
            erdiag_prefix dst = prefix("10.1.0.0/16");
            g_autoptr(GPtrArray) d = erdiag_azure_nsg_denials(x, &src, &dst, ERDIAG_AZURE_INBOUND, NULL);
            for (guint t = 0; t < x->route_tables->len; t++) {
                const erdiag_azure_route *rt = erdiag_azure_route_lookup(g_ptr_array_index(x->route_tables, t), &src);
                g_autofree char *text = rt ? erdiag_azure_route_describe(rt, &src) : NULL;
            }
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/azure-exports/nsg/effective", test_nsg_effective_example);
    g_test_add_func("/azure-exports/nsg/show", test_nsg_show_example);
    g_test_add_func("/azure-exports/nsg/rest-and-powershell", test_nsg_rest_and_powershell_shapes);
    g_test_add_func("/azure-exports/nsg/errors", test_nsg_errors);
    g_test_add_func("/azure-exports/nsg/file-errors", test_nsg_file_errors);
    g_test_add_func("/azure-exports/routes/example", test_routes_example);
    g_test_add_func("/azure-exports/routes/errors", test_routes_errors);
    g_test_add_func("/azure-exports/state", test_state);
    g_test_add_func("/azure-exports/eval/priority", test_priority_order);
    g_test_add_func("/azure-exports/eval/service-tags", test_service_tags);
    g_test_add_func("/azure-exports/eval/ports", test_ports);
    g_test_add_func("/azure-exports/eval/addresses", test_addresses);
    g_test_add_func("/azure-exports/eval/subnet-then-nic", test_subnet_then_nic);
    g_test_add_func("/azure-exports/eval/denials", test_denials);
    g_test_add_func("/azure-exports/eval/routes", test_route_lookup);
    g_test_add_func("/azure-exports/mutations", test_mutations);
    return g_test_run();
}
