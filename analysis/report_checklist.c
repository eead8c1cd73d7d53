/* The article's verification checklist: which findings stand behind each
 * item, and the verdict per item and link that every report shows. */
#include "rib.h"
#include "report_markup.h"
#include "report_util.h"

static const erdiag_finding_kind *check_kinds(report_check c, guint *n)
{
    static const erdiag_finding_kind settings[] = {
        ERDIAG_F_CONFIG_INVALID, ERDIAG_F_CONFIG_SUBNET_OVERLAP, ERDIAG_F_CONFIG_GATEWAY_SUBNET,
        ERDIAG_F_ARP_VLAN_MISMATCH, ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, ERDIAG_F_BGP_OPEN_RESERVED_ASN,
        ERDIAG_F_ARP_MSEE_ADDRESS_MISUSED, ERDIAG_F_BGP_TCP_MD5_MISMATCH,
        ERDIAG_F_AZURE_PEERING_DISABLED};
    static const erdiag_finding_kind arp[] = {
        ERDIAG_F_ARP_UNANSWERED, ERDIAG_F_ARP_VLAN_MISMATCH, ERDIAG_F_ARP_WRONG_SUBNET,
        ERDIAG_F_ARP_DUPLICATE_IP, ERDIAG_F_ARP_MSEE_ADDRESS_MISUSED, ERDIAG_F_L2_FHRP_ON_PEERING};
    static const erdiag_finding_kind bgp[] = {
        ERDIAG_F_BGP_TCP_UNANSWERED, ERDIAG_F_BGP_TCP_MD5_MISMATCH, ERDIAG_F_BGP_TCP_REFUSED,
        ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, ERDIAG_F_BGP_OPEN_RESERVED_ASN, ERDIAG_F_BGP_NOTIFICATION,
        ERDIAG_F_BGP_HOLD_TIMER_EXPIRED, ERDIAG_F_BGP_NOT_ESTABLISHED, ERDIAG_F_BGP_SESSION_FLAP,
        ERDIAG_F_BGP_TIMERS, ERDIAG_F_BGP_DECODE_ERROR};
    static const erdiag_finding_kind onprem[] = {
        ERDIAG_F_ROUTES_NONE_FROM_ONPREM, ERDIAG_F_ROUTES_EXPECTED_MISSING, ERDIAG_F_ROUTES_PREFIX_LIMIT,
        ERDIAG_F_ROUTES_OVERLAP_VNET, ERDIAG_F_ROUTES_OVERLAP_PEERING_SUBNET, ERDIAG_F_ROUTES_FLAP,
        ERDIAG_F_ROUTES_ASYMMETRIC, ERDIAG_F_ROUTES_DEFAULT_ROUTE};
    static const erdiag_finding_kind azure[] = {ERDIAG_F_ROUTES_NONE_FROM_AZURE, ERDIAG_F_ROUTES_VNET_MISSING};
    static const erdiag_finding_kind source[] = {ERDIAG_F_ROUTES_SOURCE_NOT_COVERED,
                                                 ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE};
    static const erdiag_finding_kind data[] = {ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, ERDIAG_F_DATAPLANE_OVERSIZE,
                                               ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE,
                                               ERDIAG_F_AZURE_NSG_DENY, ERDIAG_F_AZURE_NO_ROUTE_TO_ONPREM};
    switch (c) {
    case CHECK_SETTINGS: *n = G_N_ELEMENTS(settings); return settings;
    case CHECK_ARP: *n = G_N_ELEMENTS(arp); return arp;
    case CHECK_BGP: *n = G_N_ELEMENTS(bgp); return bgp;
    case CHECK_ROUTES_ONPREM: *n = G_N_ELEMENTS(onprem); return onprem;
    case CHECK_ROUTES_AZURE: *n = G_N_ELEMENTS(azure); return azure;
    case CHECK_SOURCE_COVERED: *n = G_N_ELEMENTS(source); return source;
    case CHECK_DATAPLANE: *n = G_N_ELEMENTS(data); return data;
    default: *n = 0; return NULL;
    }
}

GPtrArray *report_check_findings(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    guint n = 0;
    const erdiag_finding_kind *kinds = check_kinds(c, &n);
    GPtrArray *out = g_ptr_array_new();
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        erdiag_finding *f = g_ptr_array_index(all, i);
        /* a finding on the peering as a whole (no link) counts for each of its links */
        if (g_strcmp0(f->peering, l->peering->name) != 0 || (f->link && g_strcmp0(f->link, l->label) != 0))
            continue;
        for (guint k = 0; k < n; k++)
            if (f->kind == kinds[k]) {
                g_ptr_array_add(out, f);
                break;
            }
    }
    return out;
}

const char *report_check_title(report_check c)
{
    static const char *const titles[CHECK_COUNT] = {
        "Peering settings (VLAN, ASNs, subnets)",
        "ARP on the link (layer 2)",
        "BGP session Established",
        "Routes from on-prem received",
        "VNet routes sent to on-prem",
        "On-prem source covered by routes",
        "Data plane (connections answered)",
    };
    return (guint)c < CHECK_COUNT ? titles[c] : "?";
}

const char *report_verdict_name(report_verdict v)
{
    static const char *const names[] = {"pass", "fail", "warn", "not in capture"};
    return (guint)v < G_N_ELEMENTS(names) ? names[v] : "?";
}

/* Worst severity among the findings behind a check; -1 if none. */
static int worst_of(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    GPtrArray *fs = report_check_findings(e, c, l);
    int worst = -1;
    for (guint i = 0; i < fs->len; i++)
        worst = MAX(worst, (int)((erdiag_finding *)g_ptr_array_index(fs, i))->severity);
    g_ptr_array_unref(fs);
    return worst;
}

static report_verdict from_worst(int worst)
{
    return worst >= ERDIAG_SEV_ERROR ? VERDICT_FAIL : worst == ERDIAG_SEV_WARNING ? VERDICT_WARN : VERDICT_PASS;
}

report_verdict report_check_link(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    gboolean routes_view = l->bgp.ever_established || l->bgp.state == ERDIAG_BGPS_ESTABLISHED;
    int worst = worst_of(e, c, l);
    switch (c) {
    case CHECK_SETTINGS:
        return from_worst(worst);
    case CHECK_ARP:
        if (!l->seen)
            return VERDICT_NOT_SEEN;
        if (worst >= ERDIAG_SEV_WARNING)
            return from_worst(worst);
        return l->arp[ERDIAG_CUST].resolved || routes_view ? VERDICT_PASS : VERDICT_NOT_SEEN;
    case CHECK_BGP:
        if (!l->bgp.seen)
            return VERDICT_NOT_SEEN;
        return l->bgp.state != ERDIAG_BGPS_ESTABLISHED ? VERDICT_FAIL : from_worst(worst);
    case CHECK_ROUTES_ONPREM:
    case CHECK_ROUTES_AZURE:
        /* a session older than the capture: routes seen prove they flow,
         * none seen proves nothing */
        if (l->routes_partial && worst < ERDIAG_SEV_WARNING
            && erdiag_rib_count(l->rib[c == CHECK_ROUTES_ONPREM ? ERDIAG_CUST : ERDIAG_MSFT], 0) == 0)
            return VERDICT_NOT_SEEN;
        return routes_view ? from_worst(worst) : VERDICT_NOT_SEEN;
    case CHECK_SOURCE_COVERED:
        if (worst >= ERDIAG_SEV_WARNING)
            return VERDICT_FAIL;
        return routes_view && !l->routes_partial && ((l->peering->cfg && l->peering->cfg->onprem_sources->len > 0) || l->dataplane_frames > 0)
                   ? VERDICT_PASS : VERDICT_NOT_SEEN;
    case CHECK_DATAPLANE:
        if (worst >= ERDIAG_SEV_WARNING)
            return VERDICT_FAIL;
        return l->dataplane_frames > 0 ? VERDICT_PASS : VERDICT_NOT_SEEN;
    default:
        return VERDICT_NOT_SEEN;
    }
}

const char *report_check_key(report_check c)
{
    static const char *const keys[CHECK_COUNT] = {"settings", "arp", "bgp", "routes_from_onprem",
                                                  "routes_to_onprem", "source_covered", "dataplane"};
    return (guint)c < CHECK_COUNT ? keys[c] : "?";
}

char *report_frames_short(const erdiag_finding *f)
{
    const guint shown = 4;
    if (f->n_frames == 0)
        return g_strdup("");
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->n_frames && i < shown; i++)
        g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? ", " : "", f->frames[i]);
    if (f->frame_count > shown)
        g_string_append_printf(s, " ... (%" G_GUINT64_FORMAT " in all)", f->frame_count);
    return g_string_free(s, FALSE);
}
