/* The verification checklist: which findings stand behind each item, and the
 * verdict per item and link that every report shows. The items are the
 * findings' steps (one numbering, one set of names), so a failing item always
 * has its finding under the step of the same number. */
#include "rib.h"
#include "report_markup.h"
#include "report_util.h"

erdiag_step report_check_step(report_check c)
{
    static const erdiag_step steps[CHECK_COUNT] = {
        ERDIAG_STEP_CONFIG, ERDIAG_STEP_L2, ERDIAG_STEP_BGP, ERDIAG_STEP_ROUTES, ERDIAG_STEP_ROUTES,
        ERDIAG_STEP_ROUTES, ERDIAG_STEP_REDUNDANCY, ERDIAG_STEP_REDUNDANCY, ERDIAG_STEP_DATAPLANE,
    };
    return (guint)c < CHECK_COUNT ? steps[c] : ERDIAG_STEP_CONFIG;
}

/* Step 4 in three items: what on-prem sent, what Microsoft sent, whether
 * the on-prem sources are covered. */
static report_check routes_item(erdiag_finding_kind k)
{
    switch (k) {
    case ERDIAG_F_ROUTES_NONE_FROM_AZURE:
    case ERDIAG_F_ROUTES_VNET_MISSING:
    case ERDIAG_F_ROUTES_VNET_LIMIT:
    case ERDIAG_F_ROUTES_MSEE_PREPEND:
    case ERDIAG_F_ROUTES_NO_ROUTE_FILTER:
    case ERDIAG_F_ROUTES_GLOBAL_REACH: return CHECK_ROUTES_AZURE;
    case ERDIAG_F_ROUTES_SOURCE_NOT_COVERED: return CHECK_SOURCE_COVERED;
    default: return CHECK_ROUTES_ONPREM;
    }
}

/* Does a finding of kind k belong to item c? By its step; within step 4 by
 * direction. dataplane.uncovered-source (step 6) is also 4c's evidence: a
 * source seen on the wire that no route covers. */
static gboolean kind_in_check(erdiag_finding_kind k, report_check c)
{
    erdiag_step step = erdiag_finding_def_get(k)->step;
    if (c == CHECK_SOURCE_COVERED && k == ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE)
        return TRUE;
    if (step != report_check_step(c))
        return FALSE;
    /* step 5 in two items: the pair's redundancy, and BFD per link */
    if (step == ERDIAG_STEP_REDUNDANCY)
        return (k == ERDIAG_F_BFD_NOT_ANSWERED || k == ERDIAG_F_BFD_DOWN || k == ERDIAG_F_BFD_TIMERS)
               == (c == CHECK_BFD);
    return step != ERDIAG_STEP_ROUTES || routes_item(k) == c;
}

static const erdiag_link *link_by_label(const erdiag_peering *pe, const char *label)
{
    for (guint i = 0; label && i < pe->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(pe->links, i);
        if (g_strcmp0(l->label, label) == 0)
            return l;
    }
    return NULL;
}

/* A finding stands behind link l's cell: same peering, and the same link or
 * none (the peering as a whole). Redundancy is the pair's: a finding on
 * either link of the same address family counts for both. */
static gboolean finding_on_link(const erdiag_finding *f, report_check c, const erdiag_link *l)
{
    if (!f->peering || g_strcmp0(f->peering, l->peering->name) != 0)
        return FALSE;
    if (!f->link || g_strcmp0(f->link, l->label) == 0)
        return TRUE;
    if (c != CHECK_REDUNDANCY)
        return FALSE;
    const erdiag_link *other = link_by_label(l->peering, f->link);
    return other && other->family == l->family;
}

GPtrArray *report_check_findings(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    GPtrArray *out = g_ptr_array_new();
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        erdiag_finding *f = g_ptr_array_index(all, i);
        if (kind_in_check(f->kind, c) && finding_on_link(f, c, l))
            g_ptr_array_add(out, f);
    }
    return out;
}

GPtrArray *report_capture_findings(erdiag_engine *e)
{
    GPtrArray *out = g_ptr_array_new();
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        erdiag_finding *f = g_ptr_array_index(all, i);
        if (!f->peering)
            g_ptr_array_add(out, f);
    }
    return out;
}

const char *report_check_title(report_check c)
{
    /* the steps' own titles (erdiag_step_title); step 4, route advertisements,
     * in three items */
    static const char *const titles[CHECK_COUNT] = {
        "Peering settings",
        "VLAN and ARP",
        "BGP session",
        "Routes from on-prem",
        "Routes from Microsoft",
        "Routes cover on-prem sources",
        "Redundancy",
        "Fast failover (BFD)",
        "Data plane",
    };
    return (guint)c < CHECK_COUNT ? titles[c] : "?";
}

const char *report_check_number(report_check c)
{
    static const char *const numbers[CHECK_COUNT] = {"1", "2", "3", "4a", "4b", "4c", "5a", "5b", "6"};
    return (guint)c < CHECK_COUNT ? numbers[c] : "?";
}

const char *report_verdict_name(report_verdict v)
{
    static const char *const names[] = {"pass", "fail", "warn", "not in capture", "blocked"};
    return (guint)v < G_N_ELEMENTS(names) ? names[v] : "?";
}

const char *report_check_key(report_check c)
{
    static const char *const keys[CHECK_COUNT] = {"settings",       "arp",        "bgp",       "routes_from_onprem",
                                                  "routes_to_onprem", "source_covered", "redundancy", "bfd",
                                                  "dataplane"};
    return (guint)c < CHECK_COUNT ? keys[c] : "?";
}

char *report_count_noun(guint64 n, const char *one, const char *many)
{
    return g_strdup_printf("%" G_GUINT64_FORMAT " %s", n, n == 1 ? one : many);
}

/* Worst severity among the findings behind an item; -1 if none. */
static int worst_of(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    GPtrArray *fs = report_check_findings(e, c, l);
    int worst = -1;
    for (guint i = 0; i < fs->len; i++)
        worst = MAX(worst, (int)((erdiag_finding *)g_ptr_array_index(fs, i))->severity);
    g_ptr_array_unref(fs);
    return worst;
}

static gboolean established_now(const erdiag_link *l)
{
    return l->bgp.state == ERDIAG_BGPS_ESTABLISHED;
}

/* The most prefixes one direction ever held during the capture. */
static guint32 peak_count(const erdiag_link *l, int dir)
{
    guint32 peak = 0;
    for (guint i = 0; i < l->counts->len; i++)
        peak = MAX(peak, g_array_index(l->counts, erdiag_count_sample, i).count[dir]);
    return peak;
}

/* A session that came up and went down again before the capture ended. */
static gboolean session_lost(const erdiag_link *l)
{
    return l->bgp.ever_established && !established_now(l);
}

/* What the capture shows when no warning or error decides the item. */
static report_verdict observed(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    switch (c) {
    case CHECK_SETTINGS:
        /* the configuration's own checks ran */
        return l->peering->cfg ? VERDICT_PASS : VERDICT_NOT_SEEN;
    case CHECK_ARP:
        if (!l->seen)
            return VERDICT_NOT_SEEN;
        return l->arp[ERDIAG_CUST].resolved || l->bgp.ever_established || established_now(l) ? VERDICT_PASS
                                                                                               : VERDICT_NOT_SEEN;
    case CHECK_BGP:
        if (established_now(l))
            return VERDICT_PASS;
        if (!l->bgp.seen)
            return report_check_link(e, CHECK_ARP, l) == VERDICT_FAIL ? VERDICT_BLOCKED : VERDICT_NOT_SEEN;
        return VERDICT_NOT_SEEN;
    case CHECK_ROUTES_ONPREM:
    case CHECK_ROUTES_AZURE: {
        if (session_lost(l))
            return VERDICT_BLOCKED;
        if (!established_now(l)) {
            report_verdict b = report_check_link(e, CHECK_BGP, l);
            return b == VERDICT_FAIL || b == VERDICT_BLOCKED ? VERDICT_BLOCKED : VERDICT_NOT_SEEN;
        }
        /* a session older than the capture: routes seen prove they flow,
         * none seen proves nothing */
        int dir = c == CHECK_ROUTES_ONPREM ? ERDIAG_CUST : ERDIAG_MSFT;
        return l->routes_partial && erdiag_rib_count(l->rib[dir], 0) == 0 ? VERDICT_NOT_SEEN : VERDICT_PASS;
    }
    case CHECK_SOURCE_COVERED:
        if (!established_now(l)) {
            report_verdict b = report_check_link(e, CHECK_BGP, l);
            return session_lost(l) || b == VERDICT_FAIL || b == VERDICT_BLOCKED ? VERDICT_BLOCKED : VERDICT_NOT_SEEN;
        }
        return !l->routes_partial
                       && ((l->peering->cfg && l->peering->cfg->onprem_sources->len > 0) || l->dataplane_frames > 0)
                   ? VERDICT_PASS : VERDICT_NOT_SEEN;
    case CHECK_REDUNDANCY: {
        /* both links of the pair up at the end */
        const erdiag_link *partner = NULL;
        for (guint i = 0; i < l->peering->links->len; i++) {
            const erdiag_link *o = g_ptr_array_index(l->peering->links, i);
            if (o != l && o->family == l->family && o->role != l->role && o->role != ERDIAG_ROLE_UNKNOWN)
                partner = o;
        }
        return partner && established_now(l) && established_now(partner) ? VERDICT_PASS : VERDICT_NOT_SEEN;
    }
    case CHECK_BFD:
        /* both sides Up at the capture's end */
        return l->bfd.state_known[ERDIAG_CUST] && l->bfd.state_known[ERDIAG_MSFT] && l->bfd.state[ERDIAG_CUST] == 3
                       && l->bfd.state[ERDIAG_MSFT] == 3
                   ? VERDICT_PASS : VERDICT_NOT_SEEN;
    case CHECK_DATAPLANE:
        return l->dataplane_frames > 0 ? VERDICT_PASS : VERDICT_NOT_SEEN;
    default:
        return VERDICT_NOT_SEEN;
    }
}

report_verdict report_check_link(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    int worst = worst_of(e, c, l);
    if (worst >= ERDIAG_SEV_ERROR)
        return VERDICT_FAIL;
    if (worst == ERDIAG_SEV_WARNING)
        return VERDICT_WARN;
    return observed(e, c, l);
}

static const char *state_name(const erdiag_link *l)
{
    return erdiag_bgp_state_name(l->bgp.state == ERDIAG_BGPS_CONNECT ? ERDIAG_BGPS_ACTIVE : l->bgp.state);
}

/* "3 flows: 2 answered, 1 UDP without reply" (NULL without flows): what
 * the flows table says, for a data-plane verdict no finding explains. */
static char *flows_summary(const erdiag_link *l)
{
    guint64 n = 0;
    for (int v = 0; v < ERDIAG_FLOW_VERDICT_COUNT; v++)
        n += l->flow_verdicts[v];
    if (n == 0)
        return NULL;
    g_autofree char *count = report_count_noun(n, "flow", "flows");
    GString *s = g_string_new(count);
    const char *sep = ": ";
    for (int v = 0; v < ERDIAG_FLOW_VERDICT_COUNT; v++) {
        if (!l->flow_verdicts[v])
            continue;
        g_string_append_printf(s, "%s%" G_GUINT64_FORMAT " %s", sep, l->flow_verdicts[v], erdiag_flow_verdict_name(v));
        sep = ", ";
    }
    return g_string_free(s, FALSE);
}

char *report_check_detail(erdiag_engine *e, report_check c, const erdiag_link *l)
{
    report_verdict v = report_check_link(e, c, l);
    if (v == VERDICT_FAIL || v == VERDICT_WARN)
        return NULL; /* the findings say why */
    switch (c) {
    case CHECK_SETTINGS:
        return v == VERDICT_NOT_SEEN ? g_strdup("no configuration to compare with") : NULL;
    case CHECK_ARP:
        if (!l->seen)
            return g_strdup("no traffic on this link");
        return v == VERDICT_NOT_SEEN ? g_strdup("no ARP reply or BGP session seen") : NULL;
    case CHECK_BGP:
        if (v == VERDICT_BLOCKED)
            return g_strdup("Idle: not attempted, ARP fails (step 2)");
        if (v == VERDICT_NOT_SEEN)
            return l->bgp.seen ? g_strdup_printf("%s at the capture's end", state_name(l)) : g_strdup("no BGP packet");
        return NULL;
    case CHECK_ROUTES_ONPREM:
    case CHECK_ROUTES_AZURE: {
        int dir = c == CHECK_ROUTES_ONPREM ? ERDIAG_CUST : ERDIAG_MSFT;
        if (v == VERDICT_BLOCKED && session_lost(l)) {
            if (peak_count(l, dir) == 0)
                return g_strdup("none received before the session went down (step 3)");
            g_autofree char *n = report_count_noun(peak_count(l, dir), "prefix", "prefixes");
            return g_strdup_printf("%s received, then lost with the session (step 3)", n);
        }
        if (v == VERDICT_BLOCKED)
            return g_strdup("no session to carry them (step 3)");
        if (v == VERDICT_NOT_SEEN)
            return g_strdup(established_now(l) ? "the session is older than the capture: no UPDATE seen"
                                               : "no session in the capture");
        return report_count_noun(erdiag_rib_count(l->rib[dir], 0), "prefix", "prefixes");
    }
    case CHECK_SOURCE_COVERED:
        if (v == VERDICT_BLOCKED)
            return g_strdup(session_lost(l) ? "the session went down (step 3)" : "no session to carry them (step 3)");
        if (v == VERDICT_NOT_SEEN)
            return g_strdup(l->routes_partial ? "only part of the routes seen: the session is older than the capture"
                                              : "no configured or observed on-prem source");
        return NULL;
    case CHECK_REDUNDANCY:
        return v == VERDICT_NOT_SEEN ? g_strdup("needs both links of the pair Established at the capture's end") : NULL;
    case CHECK_BFD:
        if (v == VERDICT_PASS)
            return g_strdup_printf("Up, %u ms x %u on-prem", l->bfd.desired_min_tx_us[ERDIAG_CUST] / 1000,
                                   l->bfd.multiplier[ERDIAG_CUST]);
        return g_strdup(l->bfd.packets[ERDIAG_CUST] + l->bfd.packets[ERDIAG_MSFT] ? "not Up at the capture's end"
                                                                                 : "no BFD in the capture");
    case CHECK_DATAPLANE:
        return v == VERDICT_NOT_SEEN ? g_strdup("no forwarded traffic") : flows_summary(l);
    default:
        return NULL;
    }
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
