/* "Azure's view beside the capture": every row of Azure's ARP tables, route
 * tables and route table summaries set against what the capture shows on the
 * matching link, saying where they disagree and why they may.
 *
 * The two views are taken at different times and places: Azure's tables are
 * the MSEE's state when they were read, the capture is what crossed one
 * point of the path while it ran. A difference is a lead, not a verdict, so
 * each one carries the likely reasons in the ARP guide's and the
 * verification article's words. */
#include <string.h>
#include "azure_import.h"
#include "report_util.h"
#include "rib.h"

/* Differences listed per table before the rest are only counted. */
#define MAX_DIFFS_PER_TABLE 200

const char *erdiag_azure_verdict_name(erdiag_azure_verdict v)
{
    static const char *const names[] = {"agree", "differ", "azure-only", "capture-only", "unmatched"};
    return (guint)v < G_N_ELEMENTS(names) ? names[v] : "?";
}

static void diff_free(gpointer p)
{
    erdiag_azure_diff *d = p;
    g_free(d->peering);
    g_free(d->link);
    g_free(d->source);
    g_free(d->item);
    g_free(d->azure);
    g_free(d->capture);
    g_free(d->explanation);
    g_free(d);
}

typedef struct {
    erdiag_engine *e;
    GPtrArray *out;
    const erdiag_azure_table *table;
    const erdiag_link *link;
    guint listed, suppressed;
    guint routes_agreeing;        /* route rows that agree are counted, not listed */
} cmp_ctx;

static const char *table_word(erdiag_azure_table_kind k)
{
    return k == ERDIAG_AZURE_TABLE_ARP ? "arp" : k == ERDIAG_AZURE_TABLE_ROUTES ? "routes" : "summary";
}

/* Takes ownership of the strings. */
static void add(cmp_ctx *c, const erdiag_link *l, erdiag_azure_verdict v, char *item, char *azure, char *capture,
                char *explanation)
{
    if (v != ERDIAG_AZURE_AGREE && c->listed >= MAX_DIFFS_PER_TABLE) {
        c->suppressed++;
        g_free(item);
        g_free(azure);
        g_free(capture);
        g_free(explanation);
        return;
    }
    if (v != ERDIAG_AZURE_AGREE)
        c->listed++;
    erdiag_azure_diff *d = g_new0(erdiag_azure_diff, 1);
    d->peering = l ? g_strdup(l->peering->name) : NULL;
    d->link = l ? g_strdup(l->label) : NULL;
    d->table = table_word(c->table->kind);
    d->source = g_strdup(c->table->source);
    d->item = item;
    d->verdict = v;
    d->azure = azure ? azure : g_strdup("");
    d->capture = capture ? capture : g_strdup("");
    d->explanation = explanation ? explanation : g_strdup("");
    g_ptr_array_add(c->out, d);
}

/* --- which link a table belongs to ----------------------------------------- */

static gboolean row_addr(const erdiag_azure_table *t, guint i, erdiag_addr *a)
{
    gpointer r = g_ptr_array_index(t->rows, i);
    switch (t->kind) {
    case ERDIAG_AZURE_TABLE_ARP:
        *a = ((erdiag_azure_arp_row *)r)->ip;
        return ((erdiag_azure_arp_row *)r)->ip_ok;
    case ERDIAG_AZURE_TABLE_ROUTES:
        *a = ((erdiag_azure_route_row *)r)->nh;
        return ((erdiag_azure_route_row *)r)->nh_ok;
    default:
        *a = ((erdiag_azure_summary_row *)r)->nb;
        return ((erdiag_azure_summary_row *)r)->nb_ok;
    }
}

static gboolean role_fits(erdiag_azure_path p, const erdiag_link *l)
{
    return p == ERDIAG_AZURE_PATH_UNKNOWN || (p == ERDIAG_AZURE_PATH_PRIMARY && l->role == ERDIAG_ROLE_PRIMARY)
        || (p == ERDIAG_AZURE_PATH_SECONDARY && l->role == ERDIAG_ROLE_SECONDARY);
}

/* The link whose subnet holds most of the table's addresses, among those of
 * the table's path; with a path and no address match, that path's first
 * (IPv4) link. NULL when nothing fits. */
static const erdiag_link *match_link(erdiag_engine *e, const erdiag_azure_table *t)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    const erdiag_link *best = NULL, *first_of_path = NULL;
    guint best_score = 0;
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            if (!role_fits(t->path, l))
                continue;
            if (!first_of_path || (first_of_path->family != 4 && l->family == 4))
                first_of_path = l;
            guint score = 0;
            for (guint r = 0; r < t->rows->len; r++) {
                erdiag_addr a;
                if (row_addr(t, r, &a) && erdiag_prefix_contains_addr(&l->subnet, &a))
                    score++;
            }
            if (score > best_score) {
                best = l;
                best_score = score;
            }
        }
    }
    if (best)
        return best;
    return t->path != ERDIAG_AZURE_PATH_UNKNOWN ? first_of_path : NULL;
}

/* The link of the same peering and role for another address family. */
static const erdiag_link *sibling(const erdiag_link *l, int family)
{
    if (l->family == family)
        return l;
    for (guint i = 0; i < l->peering->links->len; i++) {
        const erdiag_link *o = g_ptr_array_index(l->peering->links, i);
        if (o->role == l->role && o->family == family)
            return o;
    }
    return NULL;
}

/* --- ARP ------------------------------------------------------------------- */

static erdiag_side arp_row_side(const erdiag_azure_arp_row *r, const erdiag_link *l)
{
    if (r->interface) {
        g_autofree char *low = g_ascii_strdown(r->interface, -1);
        if (strstr(low, "prem") || strstr(low, "customer"))
            return ERDIAG_SIDE_CUSTOMER;
        if (strstr(low, "microsoft") || strstr(low, "msee"))
            return ERDIAG_SIDE_MICROSOFT;
    }
    if (r->ip_ok && erdiag_addr_equal(&r->ip, &l->addr[ERDIAG_MSFT]))
        return ERDIAG_SIDE_MICROSOFT;
    return ERDIAG_SIDE_CUSTOMER;
}

static gboolean link_has(erdiag_engine *e, const erdiag_link *l, erdiag_finding_kind kind, const erdiag_finding **out)
{
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if (f->kind == kind && g_strcmp0(f->peering, l->peering->name) == 0
            && (!f->link || g_strcmp0(f->link, l->label) == 0)) {
            if (out)
                *out = f;
            return TRUE;
        }
    }
    return FALSE;
}

static char *capture_arp_text(const erdiag_link *l, int side)
{
    const erdiag_arp_row *a = &l->arp[side];
    char ip[ERDIAG_ADDR_STRLEN], mac[18];
    erdiag_addr_to_string(&l->addr[side], ip);
    if (!a->resolved)
        return g_strdup_printf("%s Incomplete (%u request%s for it, %u repl%s)", ip, a->requests_for,
                               a->requests_for == 1 ? "" : "s", a->replies_from, a->replies_from == 1 ? "y" : "ies");
    report_mac(a->mac, mac);
    if (a->first_frame == a->last_frame)
        return g_strdup_printf("%s %s (frame %" G_GUINT64_FORMAT ")", ip, mac, a->first_frame);
    return g_strdup_printf("%s %s (frames %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT ")", ip, mac, a->first_frame,
                           a->last_frame);
}

static char *azure_arp_text(const erdiag_azure_arp_row *r)
{
    return g_strdup_printf("%s %s%s%s%s", r->ip_text ? r->ip_text : "(no ipAddress)",
                           r->mac_text && *r->mac_text ? r->mac_text : "Incomplete", r->age ? " (age " : "",
                           r->age ? r->age : "", r->age ? " min)" : "");
}

/* Why Azure's MSEE gets no answer while the capture shows the router answering. */
static char *explain_unresolved_in_azure(erdiag_engine *e, const erdiag_link *l)
{
    const erdiag_finding *f = NULL;
    g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
    if (link_has(e, l, ERDIAG_F_ARP_VLAN_MISMATCH, &f))
        return g_strdup_printf("The capture shows the on-prem router answering ARP, but on %s while the peering "
                               "expects another tag (%s): the MSEE asks on its VLAN and hears nothing. Align the "
                               "C-tag/S-tag with the provider and the Azure peering's VLAN ID.", tags, f->message);
    return g_strdup_printf("The on-prem router answers ARP in the capture (%s), yet the MSEE has no entry: the "
                           "frames do not reach the MSEE past the capture point. Compare the C-tag/S-tag the "
                           "provider hands over with the peering's VLAN ID; if they match, open a ticket with the "
                           "provider. (Also check that the table was read while the capture ran.)", tags);
}

/* Both views show the entry incomplete: say what the capture adds. */
static char *explain_neither(erdiag_engine *e, const erdiag_link *l, int side)
{
    const erdiag_finding *f = NULL;
    if (side == ERDIAG_MSFT)
        return g_strdup("Neither view resolves the MSEE's address.");
    if (link_has(e, l, ERDIAG_F_ARP_VLAN_MISMATCH, &f))
        return g_strdup_printf("Both show the on-prem entry incomplete, and the capture says why: %s. The MSEE "
                               "asks on the peering's VLAN and the router is on another: align the router's "
                               "sub-interface tag (and the provider's C-tag/S-tag) with the peering's VLAN ID.",
                               f->message);
    if (link_has(e, l, ERDIAG_F_ARP_UNANSWERED, &f))
        return g_strdup_printf("Both show the on-prem entry incomplete; in the capture: %s. Check that the router "
                               "is on the /30's first usable address with the peering's VLAN tag (the ARP guide: "
                               "on-prem or provider side).", f->message);
    return g_strdup("Neither view resolves the on-prem address: the router is not on the first usable address, or "
                    "the tags differ between the two sides (the ARP guide: on-prem or provider side).");
}

static void compare_arp(cmp_ctx *c, const erdiag_link *l)
{
    const erdiag_azure_table *t = c->table;
    gboolean azure_has[2] = {FALSE, FALSE};
    for (guint i = 0; i < t->rows->len; i++) {
        const erdiag_azure_arp_row *r = g_ptr_array_index(t->rows, i);
        erdiag_side side = arp_row_side(r, l);
        int s = side == ERDIAG_SIDE_MICROSOFT ? ERDIAG_MSFT : ERDIAG_CUST;
        azure_has[s] = TRUE;
        const erdiag_arp_row *a = &l->arp[s];
        char *item = g_strdup_printf("%s %s", erdiag_side_azure_name(side), r->ip_text ? r->ip_text : "?");
        char *az = azure_arp_text(r);
        char *cap = capture_arp_text(l, s);
        char mac[18] = "";
        if (a->resolved)
            report_mac(a->mac, mac);
        if (!r->ip_ok || !erdiag_addr_equal(&r->ip, &l->addr[s])) {
            char want[ERDIAG_ADDR_STRLEN];
            add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap,
                g_strdup_printf("Azure lists %s for the %s side, but that side's peering address on %s is %s: a "
                                "router on another address gets no ARP answer. Put the on-prem router on the /30's "
                                "first usable address.", r->ip_text ? r->ip_text : "no address",
                                erdiag_side_azure_name(side), l->label, erdiag_addr_to_string(&l->addr[s], want)));
        } else if (r->mac_ok && a->resolved && memcmp(r->mac, a->mac, 6) == 0) {
            add(c, l, ERDIAG_AZURE_AGREE, item, az, cap, g_strdup("Same address and MAC in both."));
        } else if (r->mac_ok && a->resolved) {
            add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap,
                g_strdup_printf("Different MACs: Azure resolved %s to %s, the capture shows %s. Another device "
                                "answers for the address on the MSEE's side of the capture point (a provider "
                                "device, a second router), or the router's interface changed between the two "
                                "views.", r->ip_text, r->mac_text, mac));
        } else if (!r->mac_ok && a->resolved && s == ERDIAG_CUST) {
            add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap, explain_unresolved_in_azure(c->e, l));
        } else if (!r->mac_ok && a->resolved) {
            add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap,
                g_strdup("Azure shows its own entry incomplete while the capture shows the MSEE's address "
                         "resolved: the table was read at another time, or on the other path."));
        } else if (r->mac_ok && !a->resolved) {
            const erdiag_finding *f = NULL, *vlan = NULL;
            gboolean unanswered = link_has(c->e, l, ERDIAG_F_ARP_UNANSWERED, &f);
            gboolean mismatch = link_has(c->e, l, ERDIAG_F_ARP_VLAN_MISMATCH, &vlan);
            add(c, l, ERDIAG_AZURE_AZURE_ONLY, item, az, cap,
                mismatch && unanswered
                    ? g_strdup_printf("Azure resolved it, but in the capture it answers no ARP: the requests "
                                      "travel on another tag than the peering's (%s), and a router answers only "
                                      "on its own VLAN. Fix the tag and both views will agree.", vlan->message)
                : unanswered ? g_strdup_printf("Azure resolved it, but in the capture requests for it go "
                                             "unanswered (%s): the capture may be on another link or VLAN than the "
                                             "MSEE's, or the entry in Azure is old.", f->message)
                           : g_strdup("Azure resolved it; the capture saw no ARP reply from it. ARP entries live "
                                      "for hours, so a short capture often sees none: not a fault by itself."));
        } else {
            add(c, l, ERDIAG_AZURE_AGREE, item, az, cap, explain_neither(c->e, l, s));
        }
    }
    for (int s = 0; s < 2; s++) {
        if (azure_has[s] || !l->arp[s].resolved)
            continue;
        erdiag_side side = s == ERDIAG_CUST ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT;
        char ip[ERDIAG_ADDR_STRLEN];
        char *item = g_strdup_printf("%s %s", erdiag_side_azure_name(side), erdiag_addr_to_string(&l->addr[s], ip));
        char *explanation;
        if (t->rows->len == 0)
            explanation = g_strdup("Azure shows no ARP table at all for this path while the capture shows ARP "
                                   "resolved: per Azure's ARP guide an empty table points at Microsoft's side of "
                                   "layer 2 (open a Microsoft support ticket), unless the table was read for "
                                   "another peering or path.");
        else if (s == ERDIAG_CUST)
            explanation = explain_unresolved_in_azure(c->e, l);
        else
            explanation = g_strdup("Azure lists only the On-Prem row: some MSEE platforms show only that side, "
                                   "which is healthy.");
        add(c, l, ERDIAG_AZURE_CAPTURE_ONLY, item, g_strdup("(no row)"), capture_arp_text(l, s), explanation);
    }
}

/* --- routes ---------------------------------------------------------------- */

/* "65010 65010" from " 65010  65010 " or "65010,65010"; "" for NULL. */
static char *norm_path(const char *p)
{
    if (!p)
        return g_strdup("");
    g_auto(GStrv) parts = g_strsplit_set(p, " ,\t", -1);
    GString *s = g_string_new(NULL);
    for (char **x = parts; *x; x++)
        if (**x)
            g_string_append_printf(s, "%s%s", s->len ? " " : "", *x);
    return g_string_free(s, FALSE);
}

static char *route_text(const erdiag_route *rt)
{
    char nh[ERDIAG_ADDR_STRLEN] = "";
    if (rt->next_hop.family)
        erdiag_addr_to_string(&rt->next_hop, nh);
    if (!rt->present)
        return g_strdup_printf("withdrawn at frame %" G_GUINT64_FORMAT " (next hop %s, path %s)", rt->change_frame,
                               *nh ? nh : "-", rt->as_path && *rt->as_path ? rt->as_path : "-");
    return g_strdup_printf("next hop %s, path %s (frame %" G_GUINT64_FORMAT ")", *nh ? nh : "-",
                           rt->as_path && *rt->as_path ? rt->as_path : "-", rt->first_frame);
}

static char *azure_route_text(const erdiag_azure_route_row *r)
{
    return g_strdup_printf("next hop %s, path %s%s%s", r->next_hop && *r->next_hop ? r->next_hop : "-",
                           r->path && *r->path ? r->path : "-", r->loc_prf && *r->loc_prf ? ", locPrf " : "",
                           r->loc_prf && *r->loc_prf ? r->loc_prf : "");
}

static const char *why_not_in_capture(const erdiag_link *l)
{
    if (!l->bgp.seen)
        return "The capture holds no BGP for this link, so it cannot show the route.";
    if (l->routes_partial || l->bgp.times_established == 0)
        return "The session was already up when the capture began (or never came up in it): BGP sends each route "
               "once, so a capture shows only routes announced or changed while it ran. Azure's table is the "
               "complete view; capture a session reset (clear the session softly) to see every route.";
    return "The capture shows the session start and this route was never advertised in it: the table was read "
           "at another time, or the route came over the other path.";
}

/* Does the Azure row come from on-prem (learned from the CE) or from the VNets? */
static gboolean from_onprem(const erdiag_azure_route_row *r, const erdiag_link *l)
{
    if (r->nh_ok)
        return erdiag_prefix_contains_addr(&l->subnet, &r->nh) || erdiag_addr_equal(&r->nh, &l->addr[ERDIAG_CUST]);
    /* no next hop: VNet routes carry the gateway's AS 65515 */
    g_autofree char *p = norm_path(r->path);
    return !g_str_has_prefix(p, "65515");
}

static void compare_route_row(cmp_ctx *c, const erdiag_link *base, const erdiag_azure_route_row *r)
{
    char *item = g_strdup(r->network ? r->network : "?");
    if (!r->prefix_ok) {
        add(c, base, ERDIAG_AZURE_DIFFER, item, azure_route_text(r), NULL,
            g_strdup("Azure's network is not a prefix erdiag can read."));
        return;
    }
    const erdiag_link *l = sibling(base, r->prefix.addr.family == 4 ? 4 : 6);
    if (!l)
        l = base;
    gboolean onprem = from_onprem(r, l);
    const erdiag_route *rt = erdiag_rib_lookup(l->rib[onprem ? ERDIAG_CUST : ERDIAG_MSFT], &r->prefix);
    char *az = azure_route_text(r);
    if (!rt) {
        add(c, l, ERDIAG_AZURE_AZURE_ONLY, item, az, g_strdup("(not advertised in the capture)"),
            g_strdup_printf("%s %s", onprem ? "Azure learned it from on-prem." : "A VNet route Azure holds.",
                            why_not_in_capture(l)));
        return;
    }
    char *cap = route_text(rt);
    if (!rt->present) {
        add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap,
            g_strdup_printf("%s withdrew it during the capture while Azure's table still lists it: the table was "
                            "read before the withdrawal, or the route came back afterwards.",
                            onprem ? "The on-prem router" : "The MSEE"));
        return;
    }
    if (!onprem) {
        /* Toward on-prem the MSEE shows AS 12076 and itself as next hop, Azure's table the gateway's 65515. */
        c->routes_agreeing++;
        g_free(item);
        g_free(az);
        g_free(cap);
        return;
    }
    g_autofree char *ap = norm_path(r->path), *cp = norm_path(rt->as_path);
    gboolean nh_same = !r->nh_ok || erdiag_addr_equal(&r->nh, &rt->next_hop);
    if (nh_same && g_strcmp0(ap, cp) == 0) {
        c->routes_agreeing++;
        g_free(item);
        g_free(az);
        g_free(cap);
        return;
    }
    GString *why = g_string_new(NULL);
    if (!nh_same)
        g_string_append(why, "Different next hop: Azure uses another router's address than the one the capture "
                             "shows advertising it (a second router on the link, or next-hop-self differs). ");
    if (g_strcmp0(ap, cp) != 0)
        g_string_append_printf(why, "Different AS path (Azure \"%s\", capture \"%s\"): the router changed its "
                                    "policy (prepending) between the two views, or Azure heard it on another "
                                    "session.", ap, cp);
    add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap, g_strstrip(g_string_free(why, FALSE)));
}

static gboolean azure_lists(const erdiag_azure_table *t, const erdiag_prefix *p)
{
    for (guint i = 0; i < t->rows->len; i++) {
        const erdiag_azure_route_row *r = g_ptr_array_index(t->rows, i);
        if (r->prefix_ok && erdiag_prefix_equal(&r->prefix, p))
            return TRUE;
    }
    return FALSE;
}

static void capture_only_routes(cmp_ctx *c, const erdiag_link *l, int dir)
{
    GPtrArray *routes = erdiag_rib_routes(l->rib[dir], FALSE);
    for (guint i = 0; i < routes->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(routes, i);
        if (azure_lists(c->table, &rt->prefix))
            continue;
        char p[ERDIAG_PREFIX_STRLEN];
        erdiag_prefix_to_string(&rt->prefix, p);
        add(c, l, ERDIAG_AZURE_CAPTURE_ONLY, g_strdup(p), g_strdup("(not in Azure's table)"), route_text(rt),
            g_strdup(dir == ERDIAG_CUST
                         ? "The router advertised it in the capture, but Azure's table does not hold it: the MSEE "
                           "may have dropped it (it overlaps a VNet, or the session passed the prefix limit), the "
                           "session was reset since, or the table was read before the advertisement."
                         : "The MSEE advertised it in the capture, but Azure's table does not hold it: the VNet "
                           "link changed between the two views, or the table is of another path."));
    }
    g_ptr_array_unref(routes);
}

static void compare_routes(cmp_ctx *c, const erdiag_link *l)
{
    const erdiag_azure_table *t = c->table;
    for (guint i = 0; i < t->rows->len; i++)
        compare_route_row(c, l, g_ptr_array_index(t->rows, i));
    for (int fam = 4; fam <= 6; fam += 2) {
        const erdiag_link *s = sibling(l, fam);
        if (!s)
            continue;
        capture_only_routes(c, s, ERDIAG_CUST);
        capture_only_routes(c, s, ERDIAG_MSFT);
    }
}

/* --- route table summary --------------------------------------------------- */

static const erdiag_link *link_for_neighbor(erdiag_engine *e, const erdiag_addr *a)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            if (erdiag_addr_equal(&l->addr[ERDIAG_CUST], a))
                return l;
        }
    }
    return NULL;
}

static gboolean all_digits(const char *s)
{
    if (!s || !*s)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isdigit(*s))
            return FALSE;
    return TRUE;
}

static void compare_summary(cmp_ctx *c, const erdiag_link *fallback)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(c->e);
    for (guint i = 0; i < c->table->rows->len; i++) {
        const erdiag_azure_summary_row *r = g_ptr_array_index(c->table->rows, i);
        const erdiag_link *l = r->nb_ok ? link_for_neighbor(c->e, &r->nb) : NULL;
        if (!l)
            l = fallback;
        char *item = g_strdup_printf("neighbor %s", r->neighbor ? r->neighbor : "?");
        char *az = g_strdup_printf("AS %s, UpDown %s, StatePfxRcd %s", r->as ? r->as : "-",
                                   r->up_down ? r->up_down : "-", r->state_pfx ? r->state_pfx : "-");
        if (!l) {
            add(c, NULL, ERDIAG_AZURE_UNMATCHED, item, az, NULL,
                g_strdup("No link of the capture has this neighbor address."));
            continue;
        }
        g_autofree char *ud = report_updown(l, info->last_ts_us);
        g_autofree char *pfx = report_state_pfx(l);
        g_autofree char *as = l->bgp.asn[ERDIAG_CUST] ? g_strdup_printf("%u", l->bgp.asn[ERDIAG_CUST]) : g_strdup("-");
        char *cap = g_strdup_printf("AS %s, UpDown %s, StatePfxRcd %s", as, ud, pfx);
        gboolean azure_up = all_digits(r->state_pfx);
        gboolean capture_up = l->bgp.state == ERDIAG_BGPS_ESTABLISHED;
        GString *why = g_string_new(NULL);
        if (r->as && l->bgp.asn[ERDIAG_CUST] && g_strcmp0(r->as, as) != 0)
            g_string_append_printf(why, "Azure's neighbor is AS %s, the on-prem OPEN in the capture says AS %s: "
                                        "the peering's peer ASN and the router's local AS must match. ", r->as, as);
        if (r->nb_ok && !erdiag_addr_equal(&r->nb, &l->addr[ERDIAG_CUST]))
            g_string_append(why, "Azure's neighbor address is not the link's first usable address. ");
        if (azure_up && !capture_up && l->bgp.seen)
            g_string_append_printf(why, "Azure shows the session Established, the capture ends with it %s: the "
                                        "views are from different times (the session came up or went down in "
                                        "between). ", erdiag_bgp_state_name(l->bgp.state));
        else if (!azure_up && capture_up)
            g_string_append_printf(why, "Azure shows %s while the capture ends Established: the table was read "
                                        "before the session came up or after it failed. ",
                                   r->state_pfx ? r->state_pfx : "no state");
        else if (azure_up && capture_up && g_strcmp0(r->state_pfx, pfx) != 0)
            g_string_append_printf(why, "Azure counts %s prefixes received, the capture %s: %s ", r->state_pfx, pfx,
                                   l->bgp.times_established == 0
                                       ? "the session was up before the capture began, so the capture only holds "
                                         "the routes announced while it ran."
                                       : "the router changed its advertisements between the two views, or the MSEE "
                                         "rejected some (VNet overlap, prefix limit).");
        if (why->len == 0) {
            g_string_free(why, TRUE);
            add(c, l, ERDIAG_AZURE_AGREE, item, az, cap,
                g_strdup(l->bgp.seen ? "Same neighbor, AS and state." : "The capture holds no BGP for this link."));
        } else {
            add(c, l, ERDIAG_AZURE_DIFFER, item, az, cap, g_strstrip(g_string_free(why, FALSE)));
        }
    }
}

GPtrArray *erdiag_azure_compare(erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(diff_free);
    if (!ev)
        return out;
    for (guint i = 0; i < ev->tables->len; i++) {
        const erdiag_azure_table *t = g_ptr_array_index(ev->tables, i);
        cmp_ctx c = {.e = e, .out = out, .table = t};
        const erdiag_link *l = match_link(e, t);
        if (t->kind == ERDIAG_AZURE_TABLE_SUMMARY) {
            compare_summary(&c, l);
        } else if (!l) {
            add(&c, NULL, ERDIAG_AZURE_UNMATCHED, g_strdup_printf("%u row%s", t->rows->len, t->rows->len == 1 ? "" : "s"),
                NULL, NULL,
                g_strdup("No link of the capture matches this table's addresses: name its path "
                         "(primary=FILE or secondary=FILE), or check that the capture holds that peering."));
        } else if (t->kind == ERDIAG_AZURE_TABLE_ARP) {
            compare_arp(&c, l);
        } else {
            compare_routes(&c, l);
        }
        if (c.routes_agreeing)
            add(&c, l, ERDIAG_AZURE_AGREE,
                g_strdup_printf("%u route%s", c.routes_agreeing, c.routes_agreeing == 1 ? "" : "s"),
                g_strdup("listed"), g_strdup("advertised"),
                g_strdup_printf("%u route%s in Azure's table agree%s with the capture (same prefix, next hop and "
                                "AS path; VNet routes advertised to on-prem).", c.routes_agreeing,
                                c.routes_agreeing == 1 ? "" : "s", c.routes_agreeing == 1 ? "s" : ""));
        c.listed = 0;
        if (c.suppressed)
            add(&c, l, ERDIAG_AZURE_DIFFER, g_strdup_printf("%u more", c.suppressed), NULL, NULL,
                g_strdup_printf("%u more differences in this table are not listed.", c.suppressed));
    }
    return out;
}
