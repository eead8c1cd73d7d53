/* Azure's exports as findings: azure.peering-disabled from the peering and
 * circuit state, azure.nsg-deny and azure.no-route-to-onprem for the
 * configured on-prem sources (before any packet) and for every flow the
 * data plane finds silent (erdiag_azure_explain_silent). */
#include <string.h>
#include "azure_exports.h"
#include "engine_internal.h"

static const char nsg_advice[] =
    "Azure drops what an NSG rule denies without an answer, so the capture shows retransmissions and nothing "
    "back. NSG rules are processed in priority order, lowest number first, and processing stops at the first "
    "match; inbound traffic meets the subnet's NSG and then the NIC's, and both must allow it. Allow the on-prem "
    "sources with a rule of a lower priority number than the one named (or narrow that rule) on the NSG named; "
    "Network Watcher's IP flow verify confirms the verdict.";

static const char route_advice[] =
    "The VM's replies leave by the route that wins in its NIC's effective routes (the longest prefix among the "
    "Active ones), not necessarily by ExpressRoute. A user-defined route toward a virtual appliance must reach "
    "an appliance that forwards to the gateway (else remove or narrow it), and with 'Propagate gateway routes' "
    "off on the subnet's route table the on-prem prefixes never reach the NIC: turn it on, or add the routes. "
    "Network Watcher's next hop check confirms.";

/* The engine's peering for a configured peering name (NULL when none). */
static const erdiag_peering *peering_named(erdiag_engine *e, const char *name)
{
    for (guint i = 0; name && i < e->peerings->len; i++) {
        const erdiag_peering *p = g_ptr_array_index(e->peerings, i);
        if (g_strcmp0(p->name, name) == 0)
            return p;
    }
    return e->peerings->len == 1 ? g_ptr_array_index(e->peerings, 0) : NULL;
}

static const char *dir_name(erdiag_azure_direction d)
{
    return d == ERDIAG_AZURE_INBOUND ? "Inbound" : "Outbound";
}

/* "NSG rule DenyRdp (priority 100, Inbound, Deny) of NSG vm1-nsg on NIC vm1-nic" */
static char *rule_text(const erdiag_azure_nsg *n, const erdiag_azure_nsg_rule *r)
{
    return g_strdup_printf("NSG %srule %s (priority %u, %s, %s) of %s%s%s%s%s", r->is_default ? "default " : "",
                           r->name, r->priority, dir_name(r->direction), r->allow ? "Allow" : "Deny",
                           *n->nsg_name ? "NSG " : "", n->nsg_name, *n->nsg_name && *n->applies_to ? " on " : "",
                           n->applies_to, !*n->nsg_name && !*n->applies_to ? n->source : "");
}

/* --- before any packet ------------------------------------------------------ */

static void raise_states(erdiag_engine *e, const erdiag_azure_exports *x)
{
    for (guint i = 0; i < x->states->len; i++) {
        const erdiag_azure_state *s = g_ptr_array_index(x->states, i);
        const erdiag_peering *pe = peering_named(e, s->circuit);
        g_autofree char *key = g_strdup_printf("%s:%s", s->source, s->what);
        if (s->state && g_ascii_strcasecmp(s->state, "Enabled") != 0)
            finding_raise(e, ERDIAG_F_AZURE_PEERING_DISABLED, ERDIAG_SEV_ERROR, NULL, pe, key,
                          "A disabled private peering keeps the MSEE from answering ARP and BGP: enable it (the "
                          "portal's peering page, or az network express-route peering update --state Enabled) "
                          "and check the session again.",
                          "%s is %s in Azure (%s): the MSEEs do not bring this peering up", s->what, s->state,
                          s->source);
        else if (s->provider_state && g_ascii_strcasecmp(s->provider_state, "Provisioned") != 0)
            finding_raise(e, ERDIAG_F_AZURE_PEERING_DISABLED, ERDIAG_SEV_ERROR, NULL, pe, key,
                          "The circuit carries traffic only once the connectivity provider has provisioned it "
                          "(serviceProviderProvisioningState Provisioned): ask the provider to complete it, "
                          "quoting the circuit's service key.",
                          "%s: serviceProviderProvisioningState is %s, not Provisioned (%s)", s->what,
                          s->provider_state, s->source);
    }
}

static void check_route(erdiag_engine *e, const erdiag_azure_route_table *t, const erdiag_addr *onprem,
                        const char *what, const erdiag_link *link, const erdiag_peering *pe, guint64 frame,
                        gint64 ts_us, GString *why)
{
    const erdiag_azure_route *r = erdiag_azure_route_lookup(t, onprem);
    if (erdiag_azure_route_via_gateway(r))
        return;
    char a[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(onprem, a);
    g_autofree char *route = r ? erdiag_azure_route_describe(r, onprem) : NULL;
    gboolean no_gw = !erdiag_azure_routes_have_gateway(t);
    g_autofree char *key = g_strdup_printf("%s>%s", t->source, a);
    g_autofree char *winner = r ? g_strdup_printf("the route that wins is %s, not the virtual network gateway", route)
                                : g_strdup("no Active route covers it");
    erdiag_finding *f = finding_raise(
        e, ERDIAG_F_AZURE_NO_ROUTE_TO_ONPREM, ERDIAG_SEV_ERROR, link, link ? NULL : pe, key, route_advice,
        "%s %s: in the NIC's effective routes (%s) %s%s", what, a, t->source, winner,
        no_gw ? t->propagation_disabled ? "; gateway route propagation is disabled (no VirtualNetworkGateway route)"
                                        : "; the table holds no VirtualNetworkGateway route at all (gateway route "
                                          "propagation disabled, or the gateway learns nothing)"
              : "");
    if (frame)
        finding_evidence(e, f, frame, ts_us);
    if (why)
        g_string_append_printf(why, "%sAzure's effective routes (%s) send the replies to %s %s%s (azure.no-route-to-onprem)",
                               why->len ? "; " : "", t->source, a, r ? "by " : "nowhere: no route covers it",
                               r ? route : "");
}

/* Destination prefixes for a peering's on-prem sources: its VNets, or the
 * NSGs' scopes when it names none. */
static GArray *vnet_targets(const erdiag_peering_config *pc, const erdiag_azure_exports *x)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
    g_array_append_vals(out, pc->vnet_prefixes->data, pc->vnet_prefixes->len);
    for (guint i = 0; !out->len && i < x->nsgs->len; i++) {
        const erdiag_azure_nsg *n = g_ptr_array_index(x->nsgs, i);
        if (n->scoped)
            g_array_append_val(out, n->scope);
    }
    return out;
}

/* One azure.nsg-deny for a configured source: a rule denying the same ports
 * toward several VNet prefixes is one finding naming them all. */
typedef struct {
    const erdiag_azure_nsg *nsg;
    const erdiag_azure_nsg_rule *rule;
    char *ports;
    gboolean partial;
    GString *dsts;
} source_denial;

static void source_denial_free(gpointer p)
{
    source_denial *d = p;
    g_free(d->ports);
    g_string_free(d->dsts, TRUE);
    g_free(d);
}

static void collect_denials(GPtrArray *acc, const GPtrArray *denials)
{
    for (guint k = 0; k < denials->len; k++) {
        const erdiag_azure_denial *dn = g_ptr_array_index(denials, k);
        char pb[ERDIAG_PREFIX_STRLEN];
        erdiag_prefix_to_string(&dn->dst, pb);
        source_denial *sd = NULL;
        for (guint i = 0; i < acc->len && !sd; i++) {
            source_denial *o = g_ptr_array_index(acc, i);
            if (o->nsg == dn->nsg && o->rule == dn->rule && o->partial == dn->partial_dst
                && strcmp(o->ports, dn->ports) == 0)
                sd = o;
        }
        if (!sd) {
            sd = g_new0(source_denial, 1);
            sd->nsg = dn->nsg;
            sd->rule = dn->rule;
            sd->ports = g_strdup(dn->ports);
            sd->partial = dn->partial_dst;
            sd->dsts = g_string_new(NULL);
            g_ptr_array_add(acc, sd);
        }
        g_string_append_printf(sd->dsts, "%s%s", sd->dsts->len ? ", " : "", pb);
    }
}

static void check_sources(erdiag_engine *e, const erdiag_azure_exports *x)
{
    for (guint p = 0; p < e->cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(e->cfg->peerings, p);
        const erdiag_peering *pe = peering_named(e, pc->name);
        g_autoptr(GArray) targets = vnet_targets(pc, x);
        for (guint s = 0; s < pc->onprem_sources->len; s++) {
            const erdiag_addr *src = &g_array_index(pc->onprem_sources, erdiag_addr, s);
            char a[ERDIAG_ADDR_STRLEN];
            erdiag_addr_to_string(src, a);
            for (guint t = 0; t < x->route_tables->len; t++)
                check_route(e, g_ptr_array_index(x->route_tables, t), src, "configured on-prem source", NULL, pe, 0,
                            0, NULL);
            g_autoptr(GPtrArray) acc = g_ptr_array_new_with_free_func(source_denial_free);
            for (guint d = 0; x->nsgs->len && d < targets->len; d++) {
                const erdiag_prefix *dst = &g_array_index(targets, erdiag_prefix, d);
                if (dst->addr.family != src->family)
                    continue;
                g_autoptr(GPtrArray) denials = erdiag_azure_nsg_denials(x, src, dst, ERDIAG_AZURE_INBOUND,
                                                                        pc->test_ports);
                collect_denials(acc, denials);
            }
            for (guint k = 0; k < acc->len; k++) {
                const source_denial *sd = g_ptr_array_index(acc, k);
                g_autofree char *rule = rule_text(sd->nsg, sd->rule);
                g_autofree char *key = g_strdup_printf("%s:%s:%u:%s:%s", sd->nsg->source, sd->rule->name,
                                                       sd->rule->priority, a, sd->ports);
                finding_raise(e, ERDIAG_F_AZURE_NSG_DENY, ERDIAG_SEV_ERROR, NULL, pe, key, nsg_advice,
                              "%s denies %s from configured on-prem source %s to %s%s", rule, sd->ports, a,
                              sd->dsts->str, sd->partial ? " (for some of its addresses: other rules decide for the rest)" : "");
            }
        }
    }
}

static void note_inputs(erdiag_engine *e, const erdiag_azure_exports *x)
{
    for (guint i = 0; i < x->nsgs->len; i++) {
        const erdiag_azure_nsg *n = g_ptr_array_index(x->nsgs, i);
        char sc[ERDIAG_PREFIX_STRLEN] = "";
        if (n->scoped)
            erdiag_prefix_to_string(&n->scope, sc);
        erdiag_engine_note(e, "Azure export %s: NSG %s%s%s, %u rules%s%s", n->source, *n->nsg_name ? n->nsg_name : "?",
                           *n->applies_to ? " on " : "", n->applies_to, n->rules->len,
                           n->scoped ? ", for " : "", sc);
    }
    for (guint i = 0; i < x->route_tables->len; i++) {
        const erdiag_azure_route_table *t = g_ptr_array_index(x->route_tables, i);
        erdiag_engine_note(e, "Azure export %s: effective routes, %u routes", t->source, t->routes->len);
    }
    for (guint i = 0; i < x->states->len; i++) {
        const erdiag_azure_state *s = g_ptr_array_index(x->states, i);
        erdiag_engine_note(e, "Azure export %s: %s, %s %s", s->source, s->what,
                           s->state ? "state" : "serviceProviderProvisioningState",
                           s->state ? s->state : s->provider_state);
    }
}

void erdiag_azure_exports_attach(erdiag_engine *e, const erdiag_azure_exports *x)
{
    e->azure_exports = x;
    if (!x)
        return;
    note_inputs(e, x);
    raise_states(e, x);
    check_sources(e, x);
}

/* --- a silent flow ----------------------------------------------------------- */

char *erdiag_azure_explain_silent(erdiag_engine *e, const erdiag_link *link, const erdiag_azure_flow *f,
                                  guint64 frame, gint64 ts_us)
{
    const erdiag_azure_exports *x = e->azure_exports;
    if (!x || (!x->nsgs->len && !x->route_tables->len))
        return NULL;
    const erdiag_peering *pe = link ? link->peering : e->peerings->len ? g_ptr_array_index(e->peerings, 0) : NULL;
    char s[ERDIAG_ADDR_STRLEN], d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&f->src, s);
    erdiag_addr_to_string(&f->dst, d);
    g_autofree char *port = f->proto == 6 || f->proto == 17 ? g_strdup_printf("/%u", f->dport) : g_strdup("");
    GString *why = g_string_new(NULL);

    erdiag_azure_nsg_result v;
    if (erdiag_azure_nsg_verdict(x, f, &v) && !v.allowed) {
        g_autofree char *rule = rule_text(v.nsg, v.rule);
        g_autofree char *key = g_strdup_printf("%s:%s:%u:%s>%s:%s%s", v.nsg->source, v.rule->name, v.rule->priority,
                                               s, d, erdiag_azure_proto_name(f->proto), port);
        erdiag_finding *fi = finding_raise(e, ERDIAG_F_AZURE_NSG_DENY, ERDIAG_SEV_ERROR, link, link ? NULL : pe, key,
                                           nsg_advice, "%s denies %s -> %s %s%s, which the capture shows unanswered",
                                           rule, s, d, erdiag_azure_proto_name(f->proto), port);
        finding_evidence(e, fi, frame, ts_us);
        g_string_append_printf(why, "%s denies it (azure.nsg-deny)", rule);
    }
    const erdiag_addr *onprem = f->direction == ERDIAG_AZURE_INBOUND ? &f->src : &f->dst;
    for (guint t = 0; t < x->route_tables->len; t++)
        check_route(e, g_ptr_array_index(x->route_tables, t), onprem,
                    f->direction == ERDIAG_AZURE_INBOUND ? "on-prem source" : "on-prem destination", link, pe, frame,
                    ts_us, why);
    if (!why->len && v.evaluated) {
        g_autofree char *rule = v.rule ? rule_text(v.nsg, v.rule) : NULL;
        g_string_append_printf(why, "Azure's NSG exports allow it (%s)%s: the VM's OS firewall or antivirus is "
                               "what remains to check",
                               rule ? rule : "no rule matches",
                               x->route_tables->len ? " and its effective routes lead back through the gateway" : "");
    }
    if (!why->len) {
        g_string_free(why, TRUE);
        return NULL;
    }
    return g_string_free(why, FALSE);
}
