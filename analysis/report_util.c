/* Shared pieces of the report writers: formatting and the checklist. */
#include <string.h>
#include "report_util.h"
#include "rib.h"

void report_mac(const guint8 m[6], char out[18])
{
    g_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

char *report_duration(gint64 us)
{
    if (us < 0)
        us = 0;
    gint64 s = us / G_USEC_PER_SEC;
    return g_strdup_printf("%02" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int)(s / 60 % 60), (int)(s % 60));
}

char *report_timestamp(gint64 us)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
    if (!dt)
        return g_strdup("?");
    g_autofree char *base = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S");
    return g_strdup_printf("%s.%03d UTC", base, (int)(us % G_USEC_PER_SEC / 1000));
}

char *report_updown(const erdiag_link *l, gint64 end_us)
{
    if (l->bgp.state == ERDIAG_BGPS_ESTABLISHED)
        return report_duration(end_us - l->bgp.established_at_us);
    return g_strdup(l->bgp.seen ? erdiag_bgp_state_name(l->bgp.state == ERDIAG_BGPS_CONNECT ? ERDIAG_BGPS_ACTIVE
                                                                                            : l->bgp.state)
                                : "Idle");
}

char *report_state_pfx(const erdiag_link *l)
{
    if (l->bgp.state == ERDIAG_BGPS_ESTABLISHED)
        return g_strdup_printf("%u", erdiag_rib_count(l->rib[ERDIAG_CUST], 0));
    return g_strdup(l->bgp.seen ? erdiag_bgp_state_name(l->bgp.state == ERDIAG_BGPS_CONNECT ? ERDIAG_BGPS_ACTIVE
                                                                                            : l->bgp.state)
                                : "Idle");
}

void report_wrap(GString *out, const char *text, guint indent, guint width)
{
    report_wrap_hanging(out, text, indent, indent, width);
}

/* Words of text from column col on; continuation lines start at hang. */
static void wrap_words(GString *out, const char *text, guint col, guint hang, guint width)
{
    g_auto(GStrv) words = g_strsplit(text, " ", -1);
    gboolean first = TRUE;
    for (char **w = words; *w; w++) {
        if (!**w)
            continue;
        guint len = g_utf8_strlen(*w, -1);
        if (first) {
            g_string_append(out, *w);
            col += len;
            first = FALSE;
        } else if (col + 1 + len > width) {
            g_string_append_printf(out, "\n%*s%s", hang, "", *w);
            col = hang + len;
        } else {
            g_string_append_printf(out, " %s", *w);
            col += 1 + len;
        }
    }
    g_string_append_c(out, '\n');
}

void report_wrap_prefixed(GString *out, const char *prefix, const char *text, guint indent, guint width)
{
    g_string_append_printf(out, "%*s%s", indent, "", prefix);
    guint hang = indent + (guint)g_utf8_strlen(prefix, -1);
    wrap_words(out, text, hang, hang, MAX(width, hang + 20));
}

void report_wrap_hanging(GString *out, const char *text, guint indent, guint hang, guint width)
{
    g_string_append_printf(out, "%*s", indent, "");
    wrap_words(out, text, indent, hang, MAX(width, MAX(indent, hang) + 20));
}

char *report_frames(const erdiag_finding *f)
{
    if (f->n_frames == 0)
        return g_strdup("");
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->n_frames; i++)
        g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? ", " : "", f->frames[i]);
    if (f->frame_count > f->n_frames)
        g_string_append_printf(s, " ... (%" G_GUINT64_FORMAT " in all)", f->frame_count);
    return g_string_free(s, FALSE);
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

static gboolean on_link(const erdiag_finding *f, const erdiag_link *l)
{
    if (g_strcmp0(f->peering, l->peering->name) != 0)
        return FALSE;
    return f->link == NULL || g_strcmp0(f->link, l->label) == 0;
}

/* Worst severity among the link's findings of the given kinds; -1 if none. */
static int worst_of(erdiag_engine *e, const erdiag_link *l, const erdiag_finding_kind *kinds, guint n)
{
    int worst = -1;
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if (!on_link(f, l))
            continue;
        for (guint k = 0; k < n; k++)
            if (f->kind == kinds[k])
                worst = MAX(worst, (int)f->severity);
    }
    return worst;
}

static report_verdict from_worst(int worst)
{
    return worst >= ERDIAG_SEV_ERROR ? VERDICT_FAIL : worst == ERDIAG_SEV_WARNING ? VERDICT_WARN : VERDICT_PASS;
}

report_verdict report_check_link(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    static const erdiag_finding_kind settings[] = {
        ERDIAG_F_CONFIG_INVALID, ERDIAG_F_CONFIG_SUBNET_OVERLAP, ERDIAG_F_CONFIG_GATEWAY_SUBNET,
        ERDIAG_F_ARP_VLAN_MISMATCH, ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, ERDIAG_F_BGP_OPEN_RESERVED_ASN,
        ERDIAG_F_ARP_MSEE_ADDRESS_MISUSED, ERDIAG_F_BGP_TCP_MD5_MISMATCH};
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
    static const erdiag_finding_kind source[] = {ERDIAG_F_ROUTES_SOURCE_NOT_COVERED, ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE};
    static const erdiag_finding_kind data[] = {ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, ERDIAG_F_DATAPLANE_OVERSIZE,
                                               ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE};
    gboolean routes_view = l->bgp.ever_established || l->bgp.state == ERDIAG_BGPS_ESTABLISHED;
    switch (c) {
    case CHECK_SETTINGS:
        return from_worst(worst_of(e, l, settings, G_N_ELEMENTS(settings)));
    case CHECK_ARP: {
        if (!l->seen)
            return VERDICT_NOT_SEEN;
        report_verdict v = from_worst(worst_of(e, l, arp, G_N_ELEMENTS(arp)));
        if (v != VERDICT_PASS)
            return v;
        if (l->arp[ERDIAG_CUST].resolved || routes_view)
            return VERDICT_PASS;
        return VERDICT_NOT_SEEN;
    }
    case CHECK_BGP: {
        if (!l->bgp.seen)
            return VERDICT_NOT_SEEN;
        report_verdict v = from_worst(worst_of(e, l, bgp, G_N_ELEMENTS(bgp)));
        if (l->bgp.state != ERDIAG_BGPS_ESTABLISHED)
            return VERDICT_FAIL;
        return v;
    }
    case CHECK_ROUTES_ONPREM:
        return routes_view ? from_worst(worst_of(e, l, onprem, G_N_ELEMENTS(onprem))) : VERDICT_NOT_SEEN;
    case CHECK_ROUTES_AZURE:
        return routes_view ? from_worst(worst_of(e, l, azure, G_N_ELEMENTS(azure))) : VERDICT_NOT_SEEN;
    case CHECK_SOURCE_COVERED: {
        int w = worst_of(e, l, source, G_N_ELEMENTS(source));
        if (w >= ERDIAG_SEV_WARNING)
            return VERDICT_FAIL;
        gboolean judged = routes_view && ((l->peering->cfg && l->peering->cfg->onprem_sources->len > 0)
                                          || l->dataplane_frames > 0);
        return judged ? VERDICT_PASS : VERDICT_NOT_SEEN;
    }
    case CHECK_DATAPLANE: {
        int w = worst_of(e, l, data, G_N_ELEMENTS(data));
        if (w >= ERDIAG_SEV_WARNING)
            return VERDICT_FAIL;
        return l->dataplane_frames > 0 ? VERDICT_PASS : VERDICT_NOT_SEEN;
    }
    default:
        return VERDICT_NOT_SEEN;
    }
}

void report_counts(erdiag_engine *e, guint counts[4])
{
    memset(counts, 0, 4 * sizeof(guint));
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if ((guint)f->severity < 4)
            counts[f->severity]++;
    }
}

char *report_summary(erdiag_engine *e)
{
    GString *s = g_string_new(NULL);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    guint counts[4];
    report_counts(e, counts);
    if (peerings->len == 0) {
        g_string_append(s, "No ExpressRoute peering traffic was found in the capture: no ARP, Neighbour "
                           "Discovery or BGP between the two addresses of a /30 (or /126). Capture on the "
                           "peering sub-interfaces or the provider trunk.");
    }
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_string_append_printf(s, "%sPeering %s:", p ? " " : "", pe->name);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            report_check failed = CHECK_COUNT;
            for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++)
                if (report_check_link(e, c, l) == VERDICT_FAIL) {
                    failed = c;
                    break;
                }
            if (!l->seen)
                g_string_append_printf(s, " %s not in the capture;", l->label);
            else if (failed != CHECK_COUNT)
                g_string_append_printf(s, " %s fails at \"%s\";", l->label, report_check_title(failed));
            else if (l->bgp.state == ERDIAG_BGPS_ESTABLISHED)
                g_string_append_printf(s, " %s is up (BGP Established, %u prefixes from on-prem, %u from "
                                          "Microsoft);", l->label, erdiag_rib_count(l->rib[ERDIAG_CUST], 0),
                                       erdiag_rib_count(l->rib[ERDIAG_MSFT], 0));
            else
                g_string_append_printf(s, " %s shows no failure (%s);", l->label,
                                       l->arp[ERDIAG_CUST].resolved ? "ARP resolved, no BGP in the capture"
                                                                    : "little traffic");
        }
        if (s->len && s->str[s->len - 1] == ';')
            g_string_truncate(s, s->len - 1);
        g_string_append_c(s, '.');
    }
    g_string_append_printf(s, " %u error%s, %u warning%s, %u note%s.", counts[ERDIAG_SEV_ERROR],
                           counts[ERDIAG_SEV_ERROR] == 1 ? "" : "s", counts[ERDIAG_SEV_WARNING],
                           counts[ERDIAG_SEV_WARNING] == 1 ? "" : "s", counts[ERDIAG_SEV_NOTE],
                           counts[ERDIAG_SEV_NOTE] == 1 ? "" : "s");
    return g_string_free(s, FALSE);
}
