/* Steps "routes" and "redundancy": each link's Adj-RIB-In per direction, and
 * what the article checks of them (routes from on-prem, VNet routes to
 * on-prem, the on-prem source covered, limits, overlaps, both links alike). */
#include <string.h>
#include "engine_internal.h"
#include "rib.h"

static const char *const advice_none_onprem =
    "The session is up but the on-prem router advertises nothing: the most common cause of "
    "'ExpressRoute is up but nothing works'. Add the on-prem networks to BGP (network statements "
    "or redistribution) and check the outbound route-map/prefix-list toward the MSEE.";
static const char *const advice_none_azure =
    "The MSEE advertises no VNet routes: is a VNet linked to the circuit through an ExpressRoute "
    "gateway (connection provisioned and succeeded)? Check the connection in the portal.";
static const char *const advice_expected =
    "Advertise this prefix to the MSEE on both links (check the network statement, the "
    "redistribution and the outbound filters); until then Azure has no route back to it.";
static const char *const advice_source =
    "Azure has no route back to this source: the MSEE only returns traffic to addresses inside "
    "prefixes on-prem advertises, so its connections go unanswered whatever the NSGs allow. "
    "Advertise a prefix that covers it (or NAT it into an advertised range) on both links.";
static const char *const advice_vnet =
    "Azure advertises the address spaces of VNets linked to the circuit. Link the VNet (gateway "
    "connection), or check that the address space is configured as expected.";
static const char *const advice_limit =
    "Azure private peering accepts 4,000 IPv4 prefixes per BGP session (10,000 with the Premium "
    "add-on) and 100 IPv6 prefixes; above the limit the MSEE drops the session until the count is "
    "back under. Summarise the on-prem routes or upgrade to Premium.";
static const char *const advice_limit_ms =
    "Microsoft peering accepts 200 prefixes per BGP session (\"We accept up to 200 prefixes per BGP "
    "session for Azure public and Microsoft peering\"); \"The BGP session is dropped if the number of "
    "prefixes exceeds the limit.\" Advertise only the public NAT pools and servers that talk to "
    "Microsoft, summarised.";
static const char *const advice_overlap_vnet =
    "An on-prem prefix equal to or inside a VNet address space names addresses Azure uses itself: "
    "traffic from the VNet to them stays in the VNet, so the on-prem hosts there are unreachable "
    "(ExpressRoute's pages say nothing of it; Azure's VPN gateway filters such prefixes). Renumber, "
    "or stop advertising the overlapping prefix.";
static const char *const advice_overlap_vnet_note =
    "An on-prem supernet of a VNet address space is legitimate (the VNet route stays more "
    "specific), but make sure that is the intent.";
static const char *const advice_overlap_peering =
    "The BGP session itself is safe: routers prefer the directly connected /30 (longest prefix "
    "match). The risk is the address plan: a prefix that covers a peering subnet shows the /30 was "
    "cut from space in use elsewhere, so a host there on one of its addresses is unreachable across "
    "the peering, and Azure's routing requirements forbid peering subnets that overlap a VNet "
    "address space (the VNet connection fails). Take the /30s from space used nowhere else, or "
    "advertise only prefixes that leave them out.";
static const char *const advice_default =
    "A default route from on-prem (forced tunnelling) sends all VNet egress, Internet included, to "
    "on-prem: direct Internet access and Windows activation need UDRs then. Make sure it is "
    "intended.";
static const char *const advice_flap =
    "A prefix that is withdrawn and re-advertised again and again points at an unstable route on "
    "prem (a flapping interface or IGP route being redistributed). Dampen or fix it at its origin.";
static const char *const advice_asym =
    "Azure requires the same prefixes on both links (and across circuits of a set): advertise "
    "the same set on primary and secondary. Differences in AS path alone (prepending to prefer one "
    "link) are legitimate.";
static const char *const advice_link_down =
    "The SLA needs both BGP sessions up. Follow this link's own findings (ARP, then BGP) and fix "
    "it before relying on the circuit.";
static const char *const advice_link_absent =
    "The capture holds no traffic for this link. Capture the other link too (both sub-interfaces "
    "or the whole trunk) to check it.";

static int fam_index(int family)
{
    return family == 6 ? 1 : 0;
}

static void sample_counts(link_impl *l, const erdiag_packet_meta *pkt)
{
    erdiag_count_sample s = {.ts_us = pkt->ts_us, .frame = pkt->frame,
                             .count = {erdiag_rib_count(l->pub.rib[ERDIAG_CUST], 0),
                                       erdiag_rib_count(l->pub.rib[ERDIAG_MSFT], 0)}};
    GArray *c = l->pub.counts;
    if (c->len > 0) {
        erdiag_count_sample *last = &g_array_index(c, erdiag_count_sample, c->len - 1);
        if (last->count[0] == s.count[0] && last->count[1] == s.count[1])
            return;
        /* the same second (one UPDATE burst), or no room left: keep the latest */
        if (s.ts_us - last->ts_us < G_USEC_PER_SEC || c->len >= ERDIAG_COUNT_SAMPLES_MAX) {
            *last = s;
            return;
        }
    }
    g_array_append_val(c, s);
}

static void check_limit(erdiag_engine *e, link_impl *l, int family, const erdiag_packet_meta *pkt)
{
    guint n = erdiag_rib_distinct_prefixes(l->pub.rib[ERDIAG_CUST], family);
    int fi = fam_index(family);
    if (n <= l->max_prefixes[ERDIAG_CUST][fi])
        return;
    l->max_prefixes[ERDIAG_CUST][fi] = n;
    l->max_prefixes_frame[ERDIAG_CUST][fi] = pkt->frame;
    routes_judge_limit(e, l, family, n, pkt->frame, pkt->ts_us);
}

/* Microsoft peering: "We accept up to 200 prefixes per BGP session for
 * Azure public and Microsoft peering" (ExpressRoute routing requirements). */
#define MS_PEERING_PREFIX_LIMIT 200u

void routes_judge_limit(erdiag_engine *e, link_impl *l, int family, guint n, guint64 frame, gint64 ts_us)
{
    gboolean ms = erdiag_peering_is_microsoft(l->pub.peering);
    erdiag_sku sku = l->pub.peering->cfg && l->pub.peering->cfg->has_sku ? l->pub.peering->cfg->sku : ERDIAG_SKU_STANDARD;
    guint limit = ms ? MS_PEERING_PREFIX_LIMIT : family == 6 ? erdiag_sku_ipv6_limit(sku) : erdiag_sku_ipv4_limit(sku);
    if ((guint64)n * 100 < (guint64)limit * 80)
        return;
    g_autofree char *whose = ms ? g_strdup("Microsoft peering's limit") : g_strdup_printf("the %s SKU's limit",
                                                                                         erdiag_sku_name(sku));
    erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_PREFIX_LIMIT, n > limit ? ERDIAG_SEV_ERROR : ERDIAG_SEV_WARNING,
                                      &l->pub, NULL, family == 6 ? "v6" : "v4", ms ? advice_limit_ms : advice_limit,
                                      "%s: the on-prem side advertises %u IPv%d prefixes, %s %s of %u", l->pub.label,
                                      n, family, n > limit ? "over" : "at 80 % or more of", whose, limit);
    finding_evidence(e, f, frame, ts_us);
}

/* ExpressRoute limits: an ExpressRoute connection advertises at most
 * 1,000 IPv4 and 1,000 IPv6 routes from the VNet address space to private
 * peering. */
#define VNET_ROUTES_LIMIT 1000u

static const char *const advice_vnet_limit =
    "Azure's limits allow an ExpressRoute connection to advertise up to 1,000 IPv4 (and 1,000 IPv6) "
    "routes from the VNet address space to private peering. Above that, address spaces of linked or "
    "peered VNets go missing on-prem: summarise the VNet address spaces, or spread the VNets over "
    "more circuits.";

static void check_vnet_limit(erdiag_engine *e, link_impl *l, int family, const erdiag_packet_meta *pkt)
{
    guint n = erdiag_rib_distinct_prefixes(l->pub.rib[ERDIAG_MSFT], family);
    int fi = fam_index(family);
    if (n <= l->max_prefixes[ERDIAG_MSFT][fi])
        return;
    l->max_prefixes[ERDIAG_MSFT][fi] = n;
    l->max_prefixes_frame[ERDIAG_MSFT][fi] = pkt->frame;
    /* Microsoft peering's routes are public services', not VNets'; a
     * layer-3 provider's PE adds its other sites to Azure's */
    if (n <= VNET_ROUTES_LIMIT || erdiag_peering_is_microsoft(l->pub.peering) || erdiag_link_layer3(&l->pub))
        return;
    erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_VNET_LIMIT, ERDIAG_SEV_WARNING, &l->pub, NULL,
                                      family == 6 ? "v6" : "v4", advice_vnet_limit,
                                      "%s: the Microsoft side advertises %u IPv%d prefixes, over the %u VNet "
                                      "routes an ExpressRoute connection advertises to on-premises",
                                      l->pub.label, n, family, VNET_ROUTES_LIMIT);
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

static void check_announced(erdiag_engine *e, link_impl *l, int dir, const erdiag_bgp_nlri *n,
                            const erdiag_packet_meta *pkt)
{
    /* The prefix as text only when a finding needs it: this runs for every
     * prefix of every UPDATE, and formatting costs more than the checks. */
    char p[ERDIAG_PREFIX_STRLEN];
    if (dir == ERDIAG_CUST && n->prefix.len == 0) {
        erdiag_prefix_to_string(&n->prefix, p);
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_DEFAULT_ROUTE, ERDIAG_SEV_NOTE, &l->pub, NULL, p,
                                          advice_default, "%s: the on-prem side advertises the default route %s",
                                          l->pub.label, p);
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
    }
    /* every peering subnet the prefix covers, named in one finding */
    GString *covered = NULL;
    guint n_covered = 0;
    for (guint i = 0; n->prefix.len && i < e->links->len; i++) {
        link_impl *o = g_ptr_array_index(e->links, i);
        if (!erdiag_prefix_covers(&n->prefix, &o->pub.subnet))
            continue;
        char sub[ERDIAG_PREFIX_STRLEN];
        if (!covered)
            covered = g_string_new(NULL);
        else
            g_string_append(covered, ", ");
        g_string_append_printf(covered, "%s (%s%s%s)", erdiag_prefix_to_string(&o->pub.subnet, sub),
                               o->pub.peering != l->pub.peering ? o->pub.peering->name : "",
                               o->pub.peering != l->pub.peering ? " " : "", o->pub.label);
        n_covered++;
    }
    if (covered) {
        erdiag_prefix_to_string(&n->prefix, p);
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_OVERLAP_PEERING_SUBNET, ERDIAG_SEV_WARNING, &l->pub, NULL, p,
                                          advice_overlap_peering, "%s: the %s side advertises %s, which covers the "
                                          "peering subnet%s %s", l->pub.label,
                                          dir == ERDIAG_CUST ? "on-prem" : "Microsoft", p, n_covered == 1 ? "" : "s",
                                          covered->str);
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
        g_string_free(covered, TRUE);
    }
    const erdiag_route *rt = erdiag_rib_lookup(l->pub.rib[dir], &n->prefix);
    if (dir == ERDIAG_CUST && rt && rt->readvertisements > 0
        && rt->readvertisements < e->cfg->thresholds.flap_threshold) {
        /* a return before the prefix counts as flapping: evidence if it will */
        erdiag_prefix_to_string(&n->prefix, p);
        finding_pending_evidence(e, ERDIAG_F_ROUTES_FLAP, &l->pub, NULL, p, pkt->frame, pkt->ts_us);
    }
    if (dir == ERDIAG_CUST && rt && rt->readvertisements >= e->cfg->thresholds.flap_threshold) {
        erdiag_prefix_to_string(&n->prefix, p);
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_FLAP, ERDIAG_SEV_WARNING, &l->pub, NULL, p, advice_flap,
                                          "%s: %s was withdrawn and re-advertised %u times", l->pub.label, p,
                                          rt->readvertisements);
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
    }
}

/* A withdrawal is evidence of the prefix's flapping, should it flap. */
static void flap_withdrawals(erdiag_engine *e, link_impl *l, const erdiag_bgp_update *u,
                             const erdiag_packet_meta *pkt)
{
    for (guint i = 0; i < u->n_withdrawn; i++) {
        const erdiag_route *rt = erdiag_rib_lookup(l->pub.rib[ERDIAG_CUST], &u->withdrawn[i].prefix);
        if (!rt || rt->present || rt->change_frame != pkt->frame)
            continue; /* not a route this UPDATE took away */
        char p[ERDIAG_PREFIX_STRLEN];
        erdiag_prefix_to_string(&rt->prefix, p);
        erdiag_finding *f = finding_lookup(e, ERDIAG_F_ROUTES_FLAP, &l->pub, NULL, p);
        if (f)
            finding_evidence(e, f, pkt->frame, pkt->ts_us);
        else
            finding_pending_evidence(e, ERDIAG_F_ROUTES_FLAP, &l->pub, NULL, p, pkt->frame, pkt->ts_us);
    }
}

void routes_update(erdiag_engine *e, link_impl *l, erdiag_side from, const erdiag_bgp_update *u,
                   const erdiag_packet_meta *pkt)
{
    int dir = from == ERDIAG_SIDE_CUSTOMER ? ERDIAG_CUST : ERDIAG_MSFT;
    topology_update(e, l, &dir, u, pkt);
    /* where the sender's table is complete: a missing prefix's anchor */
    if (u->end_of_rib) {
        l->eor_seen[dir] = TRUE;
        l->eor_frame[dir] = pkt->frame;
        l->eor_ts_us[dir] = pkt->ts_us;
    }
    l->last_update_frame[dir] = pkt->frame;
    l->last_update_ts_us[dir] = pkt->ts_us;
    if (!erdiag_rib_apply_update(l->pub.rib[dir], u, pkt->frame, pkt->ts_us))
        return;
    if (dir == ERDIAG_CUST)
        flap_withdrawals(e, l, u, pkt);
    dataplane_routes_changed(e, dir, u);
    sample_counts(l, pkt);
    for (guint i = 0; i < u->n_announced; i++)
        check_announced(e, l, dir, &u->announced[i], pkt);
    if (dir == ERDIAG_CUST) {
        check_limit(e, l, 4, pkt);
        check_limit(e, l, 6, pkt);
    } else {
        check_vnet_limit(e, l, 4, pkt);
        check_vnet_limit(e, l, 6, pkt);
    }
}

void routes_session_down(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt)
{
    dataplane_routes_reset(e);
    erdiag_rib_session_down(l->pub.rib[ERDIAG_CUST], pkt->frame, pkt->ts_us);
    erdiag_rib_session_down(l->pub.rib[ERDIAG_MSFT], pkt->frame, pkt->ts_us);
    sample_counts(l, pkt);
}

static guint ever_advertised(const erdiag_rib *r)
{
    return erdiag_rib_records(r);
}

typedef struct {
    erdiag_engine *e;
    link_impl *l;
    const erdiag_prefix *vnet;
} overlap_ctx;

static void overlap_cb(const erdiag_route *rt, gpointer user)
{
    overlap_ctx *c = user;
    if (rt->prefix.len == 0)
        return; /* the default route covers everything: routes.default-route says so */
    char p[ERDIAG_PREFIX_STRLEN], v[ERDIAG_PREFIX_STRLEN];
    erdiag_prefix_to_string(&rt->prefix, p);
    erdiag_prefix_to_string(c->vnet, v);
    gboolean inside = erdiag_prefix_covers(c->vnet, &rt->prefix);
    erdiag_finding *f = finding_raise(c->e, ERDIAG_F_ROUTES_OVERLAP_VNET, inside ? ERDIAG_SEV_WARNING : ERDIAG_SEV_NOTE,
                                      &c->l->pub, NULL, p, inside ? advice_overlap_vnet : advice_overlap_vnet_note,
                                      inside ? "%s: on-prem prefix %s %s the VNet address space %s"
                                             : "%s: on-prem prefix %s %s the VNet address space %s (a supernet)",
                                      c->l->pub.label, p,
                                      erdiag_prefix_equal(&rt->prefix, c->vnet) ? "equals"
                                      : inside ? "lies inside" : "covers", v);
    finding_evidence(c->e, f, rt->first_frame, rt->first_ts_us);
}

static void vnet_overlaps(erdiag_engine *e, link_impl *l)
{
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    if (erdiag_peering_is_microsoft(l->pub.peering))
        return; /* Microsoft's public services are no VNet */
    if (pc && pc->vnet_prefixes->len > 0) {
        for (guint i = 0; i < pc->vnet_prefixes->len; i++) {
            overlap_ctx c = {e, l, &g_array_index(pc->vnet_prefixes, erdiag_prefix, i)};
            erdiag_rib_foreach_overlapping(l->pub.rib[ERDIAG_CUST], c.vnet, overlap_cb, &c);
        }
        return;
    }
    /* zero-config: what the Microsoft side advertises is the VNet space,
     * except on-prem's own routes echoed back (rib.h) */
    GPtrArray *ms = erdiag_rib_routes(l->pub.rib[ERDIAG_MSFT], FALSE);
    for (guint i = 0; i < ms->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(ms, i);
        if (!azure_route(&l->pub, rt))
            continue;
        overlap_ctx c = {e, l, &rt->prefix};
        erdiag_rib_foreach_overlapping(l->pub.rib[ERDIAG_CUST], c.vnet, overlap_cb, &c);
    }
    g_ptr_array_unref(ms);
}

/* Says which routes from the Microsoft side are echoes of on-prem's own. */
static void note_echoes(erdiag_engine *e, link_impl *l)
{
    GPtrArray *ms = erdiag_rib_routes(l->pub.rib[ERDIAG_MSFT], FALSE);
    guint n = 0;
    const erdiag_route *first = NULL;
    for (guint i = 0; i < ms->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(ms, i);
        if (!erdiag_route_is_echo(&l->pub, ERDIAG_MSFT, rt))
            continue;
        if (n++ == 0)
            first = rt;
    }
    if (n > 0) {
        char p[ERDIAG_PREFIX_STRLEN];
        erdiag_engine_note(e, "%s: %u route%s the Microsoft side advertises carr%s the on-prem AS %u in the AS "
                           "path (first %s, path %s, frame %" G_GUINT64_FORMAT "): on-prem's own routes echoed "
                           "back, which the on-prem router's loop detection rejects (RFC 4271 9.1.2). They are "
                           "not VNet address space: left out of the overlap checks, marked as echoes in the "
                           "route table", l->pub.label, n, n == 1 ? "" : "s", n == 1 ? "ies" : "y",
                           erdiag_link_onprem_as(&l->pub), erdiag_prefix_to_string(&first->prefix, p),
                           first->as_path ? first->as_path : "", first->first_frame);
    }
    g_ptr_array_unref(ms);
}

/* Whether any route the side advertised during the capture covers a. */
static gboolean ever_covered(const erdiag_rib *r, const erdiag_addr *a)
{
    GPtrArray *all = erdiag_rib_routes(r, TRUE);
    gboolean covered = FALSE;
    for (guint i = 0; i < all->len && !covered; i++)
        covered = erdiag_prefix_contains_addr(&((const erdiag_route *)g_ptr_array_index(all, i))->prefix, a);
    g_ptr_array_unref(all);
    return covered;
}

/* What the on-prem side advertised is complete at its End-of-RIB, else at
 * its last UPDATE: the frame a missing prefix is shown on (none: the
 * finding store anchors it on the link's first frame). */
static void onprem_table_anchor(erdiag_engine *e, link_impl *l, erdiag_finding *f)
{
    if (l->eor_frame[ERDIAG_CUST])
        finding_evidence(e, f, l->eor_frame[ERDIAG_CUST], l->eor_ts_us[ERDIAG_CUST]);
    else
        finding_evidence(e, f, l->last_update_frame[ERDIAG_CUST], l->last_update_ts_us[ERDIAG_CUST]);
}

/* Checks against the configuration. A session that is down at the end lost
 * its routes with it: what it advertised while up counts. */
static void configured_checks(erdiag_engine *e, link_impl *l)
{
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    if (!pc)
        return;
    gboolean up = l->pub.bgp.state == ERDIAG_BGPS_ESTABLISHED;
    char p[ERDIAG_PREFIX_STRLEN];
    for (guint i = 0; i < pc->expected_onprem->len; i++) {
        const erdiag_prefix *x = &g_array_index(pc->expected_onprem, erdiag_prefix, i);
        if (x->addr.family != l->pub.family) /* each family is judged on its own links */
            continue;
        const erdiag_route *rt = erdiag_rib_lookup(l->pub.rib[ERDIAG_CUST], x);
        /* advertised but lost with the session: the session's findings say
         * why; not seen in a partial view: maybe advertised before the capture */
        if ((rt && (rt->present || !up)) || (!rt && l->pub.routes_partial))
            continue;
        erdiag_prefix_to_string(x, p);
        if (rt) {
            erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_EXPECTED_MISSING, ERDIAG_SEV_ERROR, &l->pub, NULL, p,
                                              advice_expected, "%s: expected on-prem prefix %s was withdrawn (frame %"
                                              G_GUINT64_FORMAT ")", l->pub.label, p, rt->change_frame);
            finding_evidence(e, f, rt->change_frame, rt->change_ts_us);
        } else {
            erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_EXPECTED_MISSING, ERDIAG_SEV_ERROR, &l->pub, NULL, p,
                                              advice_expected, "%s: expected on-prem prefix %s was never advertised",
                                              l->pub.label, p);
            onprem_table_anchor(e, l, f);
        }
    }
    for (guint i = 0; i < pc->onprem_sources->len; i++) {
        const erdiag_addr *a = &g_array_index(pc->onprem_sources, erdiag_addr, i);
        if (a->family != l->pub.family || l->pub.routes_partial || erdiag_rib_covering_addr(l->pub.rib[ERDIAG_CUST], a)
            || (!up && ever_covered(l->pub.rib[ERDIAG_CUST], a)))
            continue;
        char as[ERDIAG_ADDR_STRLEN];
        erdiag_addr_to_string(a, as);
        erdiag_finding *f = finding_raise(
            e, ERDIAG_F_ROUTES_SOURCE_NOT_COVERED, ERDIAG_SEV_ERROR, &l->pub, NULL, as, advice_source,
            "%s: on-prem source %s is covered by no prefix the on-prem side advertises (%u prefix%s)", l->pub.label,
            as, erdiag_rib_count(l->pub.rib[ERDIAG_CUST], l->pub.family),
            erdiag_rib_count(l->pub.rib[ERDIAG_CUST], l->pub.family) == 1 ? "" : "es");
        onprem_table_anchor(e, l, f);
    }
    for (guint i = 0; i < pc->vnet_prefixes->len && !erdiag_peering_is_microsoft(l->pub.peering); i++) {
        const erdiag_prefix *v = &g_array_index(pc->vnet_prefixes, erdiag_prefix, i);
        if (v->addr.family != l->pub.family)
            continue;
        const erdiag_route *rt = erdiag_rib_lookup(l->pub.rib[ERDIAG_MSFT], v);
        /* a session down at the end may have dropped before Azure sent its
         * routes: the session's own findings say why; a partial view may
         * lack one advertised before the capture */
        if (!up || (rt && rt->present) || (!rt && l->pub.routes_partial))
            continue;
        erdiag_prefix_to_string(v, p);
        finding_raise(e, ERDIAG_F_ROUTES_VNET_MISSING, ERDIAG_SEV_WARNING, &l->pub, NULL, p, advice_vnet,
                      "%s: VNet address space %s is not advertised by the Microsoft side", l->pub.label, p);
    }
}

static const char *const advice_none_azure_l3 =
    "The provider's PE passes on no route that carries AS 12076: no Azure prefix reaches you. Ask the "
    "provider whether its sessions with the MSEEs are up and whether it exports Microsoft's routes into "
    "your VPN; in Azure, check that a VNet is linked to the circuit.";

/* routes.none-from-azure: nothing from the Microsoft side (or, behind a
 * layer-3 provider, nothing that carries AS 12076). */
static void none_from_azure(erdiag_engine *e, link_impl *l)
{
    GPtrArray *ms = erdiag_rib_routes(l->pub.rib[ERDIAG_MSFT], TRUE);
    guint azure = 0;
    for (guint i = 0; i < ms->len; i++)
        azure += azure_route(&l->pub, g_ptr_array_index(ms, i));
    guint all = ms->len;
    g_ptr_array_unref(ms);
    if (azure)
        return;
    erdiag_finding *f;
    if (erdiag_link_layer3(&l->pub))
        f = finding_raise(e, ERDIAG_F_ROUTES_NONE_FROM_AZURE, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                          advice_none_azure_l3, "%s: the session with the provider's PE was Established but none of "
                          "the %u prefix%s it advertised carries AS 12076 (Azure's)", l->pub.label, all,
                          all == 1 ? "" : "es");
    else if (all == 0 && !erdiag_prefix_private_block(&l->pub.subnet))
        f = finding_raise(e, ERDIAG_F_ROUTES_NONE_FROM_AZURE, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                          advice_none_azure, "%s: the session was Established but the Microsoft side advertised no "
                          "prefix (the peering's addresses are public: if this is Microsoft peering, say "
                          "peering-type = microsoft; it advertises nothing until a route filter is attached)",
                          l->pub.label);
    else if (all == 0)
        f = finding_raise(e, ERDIAG_F_ROUTES_NONE_FROM_AZURE, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                          advice_none_azure, "%s: the session was Established but the Microsoft side advertised no "
                          "prefix", l->pub.label);
    else
        return; /* only echoes or other circuits' routes: note_echoes and routes.global-reach say so */
    finding_evidence(e, f, l->pub.bgp.established_frame, 0);
}

static gboolean link_has_routes_view(const link_impl *l)
{
    return l->pub.bgp.ever_established || l->midstream;
}

void routes_finish(erdiag_engine *e)
{
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (!link_has_routes_view(l))
            continue;
        for (int dir = 0; dir < 2; dir++) {
            guint64 first_frame, not_kept = erdiag_rib_not_kept(l->pub.rib[dir], &first_frame);
            if (not_kept && erdiag_rib_store_was_full(l->pub.rib[dir]))
                erdiag_engine_note(e, "%s: the capture's links hold %u routes together, the most erdiag keeps; "
                                   "from frame %" G_GUINT64_FORMAT " on, %" G_GUINT64_FORMAT " announcements of "
                                   "further new routes by the %s side were counted but not kept, so its route "
                                   "table and prefix counts stop there", l->pub.label, ERDIAG_RIB_MAX_TOTAL_RECORDS,
                                   first_frame, not_kept, dir == ERDIAG_CUST ? "on-prem" : "Microsoft");
            else if (not_kept)
                erdiag_engine_note(e, "%s: the %s side announced more than %u distinct routes; from frame %"
                                   G_GUINT64_FORMAT " on, %" G_GUINT64_FORMAT " announcements of further new "
                                   "routes were counted but not kept, so its route table and prefix counts stop "
                                   "there", l->pub.label, dir == ERDIAG_CUST ? "on-prem" : "Microsoft",
                                   ERDIAG_RIB_MAX_RECORDS, first_frame, not_kept);
        }
        if (l->pub.routes_partial)
            erdiag_engine_note(e, "%s: the BGP session was already Established when the capture started "
                               "(frame %" G_GUINT64_FORMAT "): routes advertised before it are not in the "
                               "capture, so its route tables show only what changed during it, and missing "
                               "routes are not reported for it (routes.none-from-*, routes.expected-missing, "
                               "routes.vnet-missing, routes.source-not-covered, routes.asymmetric, "
                               "dataplane.uncovered-source). Compare with Azure's route table "
                               "(--azure-routes), or capture the session coming up.",
                               l->pub.label, l->pub.bgp.established_frame);
        if (ever_advertised(l->pub.rib[ERDIAG_CUST]) == 0 && !l->pub.routes_partial) {
            /* what it did send instead: other address families, routes withdrawn by RFC 7606 */
            g_autofree char *other = bgp_other_afi_text(l, ERDIAG_CUST);
            finding_evidence(e, finding_raise(e, ERDIAG_F_ROUTES_NONE_FROM_ONPREM, ERDIAG_SEV_ERROR, &l->pub, NULL,
                                              NULL, advice_none_onprem, other ? "%s: the session was Established "
                                              "but the on-prem side advertised no IPv4/IPv6 unicast prefix (only "
                                              "%s)" : "%s: the session was Established but the on-prem side "
                                              "advertised no prefix%s", l->pub.label, other ? other : ""),
                             l->pub.bgp.established_frame, 0);
        }
        /* Microsoft peering: routes.no-route-filter (topology.c) */
        if (!l->pub.routes_partial && !erdiag_peering_is_microsoft(l->pub.peering))
            none_from_azure(e, l);
        configured_checks(e, l);
        vnet_overlaps(e, l);
        note_echoes(e, l);
        if (!erdiag_peering_is_microsoft(l->pub.peering))
            global_reach_check(e, l);
    }
    /* primary and secondary should carry the same on-prem prefixes */
    for (guint p = 0; p < e->peerings->len; p++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, p);
        for (int family = 4; family <= 6; family += 2) {
            link_impl *pri = NULL, *sec = NULL;
            for (guint k = 0; k < pe->links->len; k++) {
                link_impl *l = g_ptr_array_index(pe->links, k);
                /* a link that is down at the end differs for that reason alone */
                if (l->pub.family != family || l->pub.bgp.state != ERDIAG_BGPS_ESTABLISHED)
                    continue;
                if (l->pub.role == ERDIAG_ROLE_PRIMARY)
                    pri = l;
                else if (l->pub.role == ERDIAG_ROLE_SECONDARY)
                    sec = l;
            }
            /* partial views differ by what each happened to carry in the capture */
            if (!pri || !sec || pri->pub.routes_partial || sec->pub.routes_partial)
                continue;
            msee_prepend_check(e, pe, pri, sec, family);
            GPtrArray *a = erdiag_rib_routes(pri->pub.rib[ERDIAG_CUST], FALSE);
            GPtrArray *b = erdiag_rib_routes(sec->pub.rib[ERDIAG_CUST], FALSE);
            GString *only_a = g_string_new(NULL), *only_b = g_string_new(NULL);
            guint path_diffs = 0;
            char buf[ERDIAG_PREFIX_STRLEN];
            for (guint i = 0; i < a->len; i++) {
                const erdiag_route *ra = g_ptr_array_index(a, i);
                const erdiag_route *rb = erdiag_rib_lookup(sec->pub.rib[ERDIAG_CUST], &ra->prefix);
                if (!rb || !rb->present)
                    g_string_append_printf(only_a, "%s%s", only_a->len ? ", " : "", erdiag_prefix_to_string(&ra->prefix, buf));
                else if (g_strcmp0(ra->as_path, rb->as_path) != 0)
                    path_diffs++;
            }
            for (guint i = 0; i < b->len; i++) {
                const erdiag_route *rb = g_ptr_array_index(b, i);
                const erdiag_route *ra = erdiag_rib_lookup(pri->pub.rib[ERDIAG_CUST], &rb->prefix);
                if (!ra || !ra->present)
                    g_string_append_printf(only_b, "%s%s", only_b->len ? ", " : "", erdiag_prefix_to_string(&rb->prefix, buf));
            }
            if (only_a->len || only_b->len)
                finding_raise(e, ERDIAG_F_ROUTES_ASYMMETRIC, ERDIAG_SEV_WARNING, NULL, pe, family == 6 ? "v6" : "v4",
                              advice_asym, "peering %s: primary and secondary carry different on-prem IPv%d prefixes "
                              "(only on primary: %s; only on secondary: %s)", pe->name, family,
                              only_a->len ? only_a->str : "none", only_b->len ? only_b->str : "none");
            else if (path_diffs)
                finding_raise(e, ERDIAG_F_ROUTES_ASYMMETRIC, ERDIAG_SEV_NOTE, NULL, pe, family == 6 ? "v6" : "v4",
                              advice_asym, "peering %s: primary and secondary carry the same on-prem IPv%d prefixes, "
                              "but %u differ in AS path (prepending?)", pe->name, family, path_diffs);
            g_string_free(only_a, TRUE);
            g_string_free(only_b, TRUE);
            g_ptr_array_unref(a);
            g_ptr_array_unref(b);
        }
    }
}

/* A link is failing when its session is seen but not Established at the
 * end, or, with no BGP in the capture, when its layer 2 shows an error. A
 * link that ends Established works, whatever happened on the way. */
static gboolean link_failing(erdiag_engine *e, const link_impl *l)
{
    if (l->pub.bgp.seen || l->midstream)
        return l->pub.bgp.state != ERDIAG_BGPS_ESTABLISHED;
    for (guint i = 0; i < e->findings->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(e->findings, i);
        if (f->severity == ERDIAG_SEV_ERROR && erdiag_finding_def_get(f->kind)->step == ERDIAG_STEP_L2
            && g_strcmp0(f->link, l->pub.label) == 0 && g_strcmp0(f->peering, l->pub.peering->name) == 0)
            return TRUE;
    }
    return FALSE;
}

void redundancy_finish(erdiag_engine *e)
{
    for (guint p = 0; p < e->peerings->len; p++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, p);
        for (int family = 4; family <= 6; family += 2) {
            link_impl *pair[2] = {NULL, NULL};
            for (guint k = 0; k < pe->links->len; k++) {
                link_impl *l = g_ptr_array_index(pe->links, k);
                if (l->pub.family == family && l->pub.role != ERDIAG_ROLE_UNKNOWN)
                    pair[l->pub.role] = l;
            }
            for (int r = 0; r < 2; r++) {
                link_impl *me = pair[r], *other = pair[1 - r];
                if (!me || !other || !other->pub.seen || link_failing(e, other))
                    continue;
                if (me->pub.seen && link_failing(e, me))
                    finding_raise(e, ERDIAG_F_REDUNDANCY_LINK_DOWN, ERDIAG_SEV_ERROR, &me->pub, NULL, NULL,
                                  advice_link_down, "%s is down while %s works: the peering has no redundancy",
                                  me->pub.label, other->pub.label);
                else if (!me->pub.seen && me->pub.configured)
                    finding_raise(e, ERDIAG_F_REDUNDANCY_LINK_DOWN, ERDIAG_SEV_NOTE, &me->pub, NULL, NULL,
                                  advice_link_absent, "%s does not appear in the capture (only %s does)",
                                  me->pub.label, other->pub.label);
            }
        }
    }
}
