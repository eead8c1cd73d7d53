/* Topologies beyond "the customer's router peers with the MSEE over private
 * peering":
 *
 * - A layer-3 (IPVPN) provider: its PE runs BGP with the MSEE, and a
 *   capture on the customer's link shows the PE's AS on the far side, with
 *   Azure's prefixes behind it ("65100 12076"). Configured with provider =
 *   l3 (and provider-asn), or recognised in zero-config from the paths.
 *   The MSEE-specific checks (AS 12076 in the OPEN, the MSEE's addresses,
 *   hold time and BFD timers) do not apply to the PE; Azure's routes are
 *   the PE's routes that carry 12076 (the others are the VPN's other sites).
 * - Microsoft peering: public services, public addresses, route filters.
 *   Configured with peering-type = microsoft (an Azure export of
 *   MicrosoftPeering says it too), or recognised from the service
 *   communities (12076:5xxx) Microsoft tags only Microsoft-peering routes
 *   with. Its routes are not VNet space, its on-prem limit is 200 prefixes
 *   per session, and without a route filter Microsoft advertises nothing. */
#include <string.h>
#include "azure_exports.h"
#include "engine_internal.h"
#include "rib.h"

#define MSEE_AS 12076u

/* The AS in front of 12076 when a path reaches Microsoft through another
 * AS ("65100 12076 ..." gives 65100), else 0. */
static guint32 as_before_msee(const char *path)
{
    guint32 as, first = 0;
    gboolean any = FALSE;
    while (path && erdiag_as_path_next(&path, &as)) {
        if (as == MSEE_AS)
            return any ? first : 0;
        if (!any)
            first = as;
        any = TRUE;
    }
    return 0;
}

static gboolean configured_l3(const erdiag_link *l)
{
    const erdiag_peering_config *pc = l->peering->cfg;
    return pc && pc->has_provider && pc->provider == ERDIAG_PROVIDER_L3;
}

/* A far side whose OPEN carries AS 12076 is the MSEE, whatever the
 * configuration says: its checks apply (peering.layer3-provider warns). */
gboolean erdiag_link_layer3(const erdiag_link *l)
{
    const erdiag_peering_config *pc = l->peering->cfg;
    if (pc && pc->has_provider)
        return pc->provider == ERDIAG_PROVIDER_L3 && l->bgp.asn[ERDIAG_MSFT] != MSEE_AS;
    return l->msft_evidence == ERDIAG_MSFT_BY_PATH;
}

guint32 erdiag_link_provider_asn(const erdiag_link *l)
{
    if (!erdiag_link_layer3(l))
        return 0;
    const erdiag_peering_config *pc = l->peering->cfg;
    if (pc && pc->has_provider_asn)
        return pc->provider_asn;
    return l->path_provider_asn ? l->path_provider_asn : l->bgp.asn[ERDIAG_MSFT];
}

char *erdiag_link_far_side_text(const erdiag_link *l)
{
    if (!erdiag_link_layer3(l))
        return g_strdup(erdiag_msft_evidence_text(l->msft_evidence));
    guint32 asn = erdiag_link_provider_asn(l);
    g_autofree char *as_text = asn ? g_strdup_printf(" (AS %u)", asn) : g_strdup("");
    if (l->msft_evidence == ERDIAG_MSFT_BY_PATH)
        return g_strdup_printf("a layer-3 provider's PE%s: its routes carry AS 12076 behind its own AS", as_text);
    return g_strdup_printf("a layer-3 provider's PE%s, as configured (provider = l3): Microsoft is behind it", as_text);
}

gboolean azure_route(const erdiag_link *l, const erdiag_route *rt)
{
    if (erdiag_route_is_echo(l, ERDIAG_MSFT, rt) || global_reach_route(l, rt))
        return FALSE;
    /* behind a layer-3 provider's PE, the routes without 12076 are its VPN's other sites */
    return !erdiag_link_layer3(l) || erdiag_rib_route_path_has_as(rt, MSEE_AS);
}

const char *erdiag_peering_type_evidence(const erdiag_peering *pe)
{
    const erdiag_peering_config *pc = pe->cfg;
    if (pc && pc->has_peering_type)
        return pc->peering_type == ERDIAG_PEERING_MICROSOFT ? "config" : NULL;
    for (guint i = 0; i < pe->links->len; i++)
        if (((const erdiag_link *)g_ptr_array_index(pe->links, i))->service_community)
            return "service-community";
    return NULL;
}

gboolean erdiag_peering_is_microsoft(const erdiag_peering *pe)
{
    return erdiag_peering_type_evidence(pe) != NULL;
}

/* The services of Microsoft peering's communities (ExpressRoute routing
 * requirements, "Support for BGP communities"). */
static const char *service_name(guint16 value)
{
    switch (value) {
    case 5010: return "Exchange Online";
    case 5020: return "SharePoint Online";
    case 5030: return "Skype For Business Online";
    case 5040: return "Dynamics 365";
    case 5050: return "Azure Global Services";
    case 5100: return "Other Office 365 Online services";
    default: return "a Microsoft service";
    }
}

static gboolean service_community(guint32 c)
{
    return c >> 16 == MSEE_AS && (c & 0xffff) >= 5000 && (c & 0xffff) <= 5999;
}

void topology_update(erdiag_engine *e, link_impl *l, int *dir, const erdiag_bgp_update *u,
                     const erdiag_packet_meta *pkt)
{
    if (u->n_announced == 0)
        return;
    if (*dir == ERDIAG_MSFT && !l->pub.service_community)
        for (guint i = 0; i < u->n_communities; i++)
            if (service_community(u->communities[i])) {
                l->pub.service_community = u->communities[i];
                l->pub.service_community_frame = pkt->frame;
                break;
            }
    if (l->pub.configured || !u->has_as_path)
        return;
    /* a side whose path starts with 12076 is an MSEE (a PE puts its own AS
     * first): an earlier guess of a layer-3 link was on-prem re-advertising
     * another circuit's routes, seen before the MSEE's own */
    guint32 first;
    const char *path = u->as_path;
    if (l->pub.msft_evidence == ERDIAG_MSFT_BY_PATH && erdiag_as_path_next(&path, &first) && first == MSEE_AS) {
        if (*dir == ERDIAG_CUST) {
            link_swap_roles(l);
            *dir = ERDIAG_MSFT;
        }
        l->pub.msft_evidence = ERDIAG_MSFT_BY_ADDRESS;
        l->pub.path_provider_asn = 0;
        l->pub.path_l3_frame = 0;
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_MICROSOFT,
                         "the Microsoft side's routes start with AS 12076: not a layer-3 provider's PE after all");
        peering_map_recheck(e, l);
        return;
    }
    /* zero-config only, and only while no side has shown AS 12076 in an
     * OPEN: then the side whose paths reach 12076 through its own AS is a
     * layer-3 provider's PE, whichever address of the /30 it holds */
    if (l->pub.msft_evidence != ERDIAG_MSFT_BY_ADDRESS)
        return;
    guint32 pe_as = as_before_msee(u->as_path);
    if (!pe_as)
        return;
    /* a side that speaks as AS 12076 itself (its paths start with it) makes
     * this the MSEE's link: then 12076 behind another AS is on-prem
     * re-advertising another circuit's routes, not a provider's PE */
    if (erdiag_rib_first_as(l->pub.rib[ERDIAG_CUST]) == MSEE_AS || erdiag_rib_first_as(l->pub.rib[ERDIAG_MSFT]) == MSEE_AS)
        return;
    if (*dir == ERDIAG_CUST) {
        link_swap_roles(l);
        *dir = ERDIAG_MSFT;
    }
    l->pub.msft_evidence = ERDIAG_MSFT_BY_PATH;
    l->pub.path_provider_asn = pe_as;
    l->pub.path_l3_frame = pkt->frame;
    /* with the roles right, the link may belong with its partner */
    peering_map_recheck(e, l);
    bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_MICROSOFT,
                     "the far side's routes reach AS 12076 through AS %u: a layer-3 provider's PE", pe_as);
}

/* --- end of capture ---------------------------------------------------------- */

static const char *const advice_layer3 =
    "With a layer-3 (IPVPN) provider the provider's PE runs BGP with the MSEEs and your router peers "
    "with the PE: \"your connectivity provider configures and manages network routing for you\". "
    "Azure's ARP and route tables show the PE, not your router, so what this capture can check is "
    "your side: the session with the PE, your prefixes toward it, Azure's prefixes (AS 12076 in the "
    "path) coming back and the data plane. For the PE's sessions with Microsoft, ask the provider.";

static void layer3_check(erdiag_engine *e, link_impl *l)
{
    if (configured_l3(&l->pub) && l->pub.bgp.asn[ERDIAG_MSFT] == MSEE_AS) {
        erdiag_finding *f = finding_raise(
            e, ERDIAG_F_PEERING_LAYER3_PROVIDER, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL, advice_layer3,
            "%s: provider = l3, but the far side's OPEN carries AS 12076: this link peers with the MSEE itself (a "
            "layer-2 provider, or a capture on the provider's own link to Microsoft), so it is judged as one; "
            "remove provider = l3 or capture on your link to the PE", l->pub.label);
        finding_evidence(e, f, l->pub.bgp.open_frame[ERDIAG_MSFT], 0);
        return;
    }
    if (!erdiag_link_layer3(&l->pub) || !l->pub.seen)
        return;
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    guint32 pe = erdiag_link_provider_asn(&l->pub);
    guint azure = 0, other = 0;
    const erdiag_route *first = NULL;
    GPtrArray *ms = erdiag_rib_routes(l->pub.rib[ERDIAG_MSFT], TRUE);
    for (guint i = 0; i < ms->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(ms, i);
        if (erdiag_route_is_echo(&l->pub, ERDIAG_MSFT, rt))
            continue;
        if (azure_route(&l->pub, rt)) {
            if (!first || rt->first_frame < first->first_frame)
                first = rt;
            azure++;
        } else {
            other++;
        }
    }
    char p[ERDIAG_PREFIX_STRLEN];
    g_autofree char *first_text = first ? g_strdup_printf(" (first %s, path %s, frame %" G_GUINT64_FORMAT ")",
                                                          erdiag_prefix_to_string(&first->prefix, p),
                                                          first->as_path ? first->as_path : "", first->first_frame)
                                        : g_strdup("");
    g_autofree char *routes = g_strdup_printf("%u prefix%s from the PE carr%s AS 12076%s, %u other%s (the "
                                              "provider's other sites)", azure, azure == 1 ? "" : "es",
                                              azure == 1 ? "ies" : "y", first_text, other, other == 1 ? "" : "s");
    erdiag_finding *f;
    if (l->pub.msft_evidence == ERDIAG_MSFT_BY_PATH)
        f = finding_raise(e, ERDIAG_F_PEERING_LAYER3_PROVIDER, ERDIAG_SEV_NOTE, &l->pub, NULL, NULL, advice_layer3,
                          "%s: this looks like a capture on a layer-3 provider's link: the far side (AS %u) "
                          "advertises Azure's routes with AS 12076 behind its own AS; %s. The checks of the "
                          "MSEE itself (AS 12076 in the OPEN, its addresses, hold time and BFD timers) are "
                          "skipped", l->pub.label, pe, routes);
    else
        f = finding_raise(e, ERDIAG_F_PEERING_LAYER3_PROVIDER, ERDIAG_SEV_NOTE, &l->pub, NULL, NULL, advice_layer3,
                          "%s: provider = l3: the far side is the provider's PE (%s); %s. The checks of the "
                          "MSEE itself (AS 12076 in the OPEN, its addresses, hold time and BFD timers) are "
                          "skipped", l->pub.label,
                          pc && pc->has_provider_asn ? "provider-asn as configured"
                          : l->pub.bgp.asn[ERDIAG_MSFT] ? "its AS from its OPEN" : "no OPEN seen",
                          routes);
    if (l->pub.path_l3_frame)
        finding_evidence(e, f, l->pub.path_l3_frame, 0);
    else if (first)
        finding_evidence(e, f, first->first_frame, first->first_ts_us);
    g_ptr_array_unref(ms);
}

static const char *const advice_microsoft =
    "Microsoft peering carries Microsoft's public services (Microsoft 365, Dynamics 365, Azure PaaS): "
    "its routes are public prefixes chosen by the route filter, not VNet address space, so the "
    "private-peering checks of VNet routes are not made. Its own rules apply: \"You must use public "
    "IP addresses that you own for setting up the BGP sessions\", \"We accept up to 200 prefixes per "
    "BGP session for Azure public and Microsoft peering\", and no private or default routes.";

static const char *const advice_subnet =
    "Microsoft peering needs public addresses for the BGP sessions: \"You must use public IP addresses "
    "that you own for setting up the BGP sessions. Microsoft must be able to verify the ownership of "
    "the IP addresses through Routing Internet Registries and Internet Routing Registries.\" Use a "
    "public /29 or two /30s registered to you.";

static const char *const advice_private =
    "Microsoft does not accept these on Microsoft peering: \"Provider must filter out default route and "
    "private IP addresses (RFC 1918) from the Azure public and Microsoft peering paths\", and \"Default "
    "routes are permitted only on Azure private peering sessions.\" Advertise only the public prefixes "
    "(NAT pools) registered to you, and filter the rest outbound.";

static const char *const advice_route_filter =
    "\"When Microsoft peering is configured on your ExpressRoute circuit, the Microsoft edge routers "
    "establish a pair of BGP sessions with the edge routers (yours or your connectivity provider's). No "
    "routes are advertised to your network. To enable route advertisements to your network, you must "
    "associate a route filter.\" Create a route filter with a rule allowing the services' BGP "
    "communities and attach it to the circuit's Microsoft peering.";

/* What Azure's export of the Microsoft peering (--azure-peering) says of
 * its route filter, as the reason Microsoft advertises nothing. */
static char *route_filter_from_export(erdiag_engine *e, const erdiag_peering *pe)
{
    for (guint i = 0; e->azure_exports && i < e->azure_exports->states->len; i++) {
        const erdiag_azure_state *s = g_ptr_array_index(e->azure_exports->states, i);
        if (!s->microsoft || s->route_filter < 0
            || (e->peerings->len > 1 && g_strcmp0(s->circuit, pe->name) != 0))
            continue;
        return s->route_filter == 0
            ? g_strdup_printf("no route filter is attached to the peering (%s in %s has routeFilter null)",
                              s->what, s->source)
            : g_strdup_printf("%s has a route filter attached (%s), so its rule allows no community of a "
                              "service with prefixes here", s->what, s->source);
    }
    return g_strdup("no route filter is attached to the peering, or its rule allows no community");
}

static void microsoft_peering_link(erdiag_engine *e, link_impl *l)
{
    char p[ERDIAG_PREFIX_STRLEN];
    const char *block = l->pub.seen ? erdiag_prefix_private_block(&l->pub.subnet) : NULL;
    if (block)
        finding_raise(e, ERDIAG_F_CONFIG_MICROSOFT_PEERING_SUBNET, ERDIAG_SEV_ERROR, &l->pub, NULL, NULL,
                      advice_subnet, "%s: Microsoft peering on %s, inside %s: Microsoft peering's BGP sessions "
                      "need public addresses", l->pub.label, erdiag_prefix_to_string(&l->pub.subnet, p), block);
    if (!l->pub.bgp.ever_established && !l->midstream)
        return;
    /* on-prem routes Microsoft peering does not take */
    GPtrArray *cust = erdiag_rib_routes(l->pub.rib[ERDIAG_CUST], TRUE);
    GString *listed = g_string_new(NULL);
    guint n = 0;
    const erdiag_route *first = NULL;
    for (guint i = 0; i < cust->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(cust, i);
        const char *why = rt->prefix.len == 0 ? "the default route" : erdiag_prefix_private_block(&rt->prefix);
        if (!why)
            continue;
        if (!first || rt->first_frame < first->first_frame)
            first = rt;
        if (n++ < 5)
            g_string_append_printf(listed, "%s%s (%s)", listed->len ? ", " : "", erdiag_prefix_to_string(&rt->prefix, p),
                                   why);
    }
    g_ptr_array_unref(cust);
    if (n) {
        g_autofree char *more = n > 5 ? g_strdup_printf(" and %u more", n - 5) : g_strdup("");
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_MICROSOFT_PEERING_PRIVATE, ERDIAG_SEV_ERROR, &l->pub,
                                          NULL, NULL, advice_private, "%s: the on-prem side advertises %u prefix%s "
                                          "Microsoft peering does not accept: %s%s", l->pub.label, n,
                                          n == 1 ? "" : "es", listed->str, more);
        finding_evidence(e, f, first->first_frame, first->first_ts_us);
    }
    g_string_free(listed, TRUE);
    /* the limit of 200 per session, on the highest count seen (zero-config
     * may have learnt it is Microsoft peering after the on-prem UPDATEs) */
    for (int fi = 0; fi < 2; fi++)
        if (l->max_prefixes[ERDIAG_CUST][fi])
            routes_judge_limit(e, l, fi ? 6 : 4, l->max_prefixes[ERDIAG_CUST][fi], l->max_prefixes_frame[ERDIAG_CUST][fi], 0);
    if (erdiag_rib_records(l->pub.rib[ERDIAG_MSFT]) == 0 && !l->pub.routes_partial) {
        g_autofree char *why = route_filter_from_export(e, l->pub.peering);
        finding_evidence(e, finding_raise(e, ERDIAG_F_ROUTES_NO_ROUTE_FILTER, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                                          advice_route_filter, "%s: the Microsoft peering session was Established "
                                          "but Microsoft advertised no prefix: %s", l->pub.label, why),
                         l->pub.bgp.established_frame, 0);
    }
}

static void microsoft_peering_check(erdiag_engine *e, erdiag_peering *pe)
{
    const char *ev = erdiag_peering_type_evidence(pe);
    if (!ev)
        return;
    const erdiag_link *with_community = NULL;
    gboolean seen = FALSE;
    for (guint i = 0; i < pe->links->len; i++) {
        link_impl *l = g_ptr_array_index(pe->links, i);
        seen = seen || l->pub.seen;
        if (l->pub.service_community && !with_community)
            with_community = &l->pub;
        microsoft_peering_link(e, l);
    }
    if (!seen)
        return;
    g_autofree char *why = with_community
        ? g_strdup_printf("the Microsoft side tags its routes with the service community 12076:%u (%s), which "
                          "Microsoft uses only on Microsoft peering", with_community->service_community & 0xffff,
                          service_name(with_community->service_community & 0xffff))
        : g_strdup("configured: peering-type = microsoft, or peeringType MicrosoftPeering in the Azure export");
    erdiag_finding *f = finding_raise(e, ERDIAG_F_PEERING_MICROSOFT, ERDIAG_SEV_NOTE, NULL, pe, NULL, advice_microsoft,
                                      "peering %s is Microsoft peering (%s): judged by Microsoft peering's rules "
                                      "(public addresses, 200 prefixes per session, route filter); the VNet "
                                      "checks of private peering are not made", pe->name, why);
    if (with_community)
        finding_evidence(e, f, with_community->service_community_frame, 0);
}

void topology_finish(erdiag_engine *e)
{
    for (guint i = 0; i < e->links->len; i++)
        layer3_check(e, g_ptr_array_index(e->links, i));
    for (guint i = 0; i < e->peerings->len; i++)
        microsoft_peering_check(e, g_ptr_array_index(e->peerings, i));
}
