/* The text report: for people, grouped by the article's steps, then link;
 * fits an 80-column terminal. */
#include <string.h>
#include "report_text.h"
#include "report_util.h"
#include "rib.h"
#include "azure_import.h"

static const char *const sev_tag[] = {"INFO", "NOTE", "WARN", "ERROR"};

static void rule(GString *out, const char *title, guint width)
{
    guint len = g_utf8_strlen(title, -1);
    g_string_append_printf(out, "\n== %s ", title);
    for (guint i = len + 4; i < width; i++)
        g_string_append_c(out, '=');
    g_string_append_c(out, '\n');
}

static void finding_text(GString *out, const erdiag_finding *f, guint width)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    g_string_append_printf(out, "\n  [%s] %s", sev_tag[f->severity], d->id);
    if (f->peering || f->link)
        g_string_append_printf(out, "  (%s%s%s)", f->peering ? f->peering : "", f->link ? " / " : "",
                               f->link ? f->link : "");
    g_string_append_c(out, '\n');
    report_wrap(out, f->message, 4, width);
    g_autofree char *frames = report_frames(f);
    if (*frames) {
        g_autofree char *line = g_strdup_printf("frames: %s", frames);
        report_wrap_hanging(out, line, 4, 12, width);
    }
    if (f->advice && *f->advice) {
        g_autofree char *line = g_strdup_printf("advice: %s", f->advice);
        report_wrap_hanging(out, line, 4, 12, width);
    }
}

static guint step_findings(GString *out, erdiag_engine *e, erdiag_step step, guint width)
{
    GPtrArray *all = erdiag_engine_findings(e);
    guint n = 0;
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if (erdiag_finding_def_get(f->kind)->step != step)
            continue;
        finding_text(out, f, width);
        n++;
    }
    if (n == 0)
        g_string_append(out, "\n  No findings.\n");
    return n;
}

static void arp_tables(GString *out, erdiag_engine *e)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
            g_string_append_printf(out, "\n  ARP table, %s / %s (%s)%s\n", pe->name, l->label, tags,
                                   l->seen ? "" : ": not in the capture");
            if (!l->seen)
                continue;
            g_string_append(out, "    Age  Interface  IpAddress                      MacAddress\n");
            for (int s = 0; s < 2; s++) {
                const erdiag_arp_row *r = &l->arp[s];
                char ip[ERDIAG_ADDR_STRLEN], mac[18] = "Incomplete";
                erdiag_addr_to_string(&r->ip, ip);
                if (r->resolved)
                    report_mac(r->mac, mac);
                g_autofree char *age = r->last_seen_us ? g_strdup_printf("%" G_GINT64_FORMAT,
                                                                        (info->last_ts_us - r->last_seen_us) / (60 * G_USEC_PER_SEC))
                                                       : g_strdup("-");
                g_string_append_printf(out, "    %-4s %-10s %-30s %s\n", age, erdiag_side_azure_name(r->side), ip, mac);
            }
        }
    }
}

static void session_summaries(GString *out, erdiag_engine *e, guint width)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_string_append_printf(out, "\n  Route table summary, %s\n", pe->name);
        g_string_append(out, "    Path          Neighbor                    V  AS          UpDown    StatePfxRcd\n");
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            char nb[ERDIAG_ADDR_STRLEN];
            erdiag_addr_to_string(&l->addr[ERDIAG_CUST], nb);
            g_autofree char *as = l->bgp.open_seen[ERDIAG_CUST] || l->bgp.asn[ERDIAG_CUST]
                                      ? g_strdup_printf("%u", l->bgp.asn[ERDIAG_CUST]) : g_strdup("-");
            g_autofree char *ud = report_updown(l, info->last_ts_us);
            g_autofree char *pfx = report_state_pfx(l);
            g_string_append_printf(out, "    %-13s %-27s 4  %-11s %-9s %s\n", l->label, nb, as, ud, pfx);
        }
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            if (!l->bgp.seen)
                continue;
            g_string_append_printf(out, "\n  Session timeline, %s / %s\n", pe->name, l->label);
            for (guint k = 0; k < l->bgp.timeline->len; k++) {
                const erdiag_timeline_entry *t = g_ptr_array_index(l->bgp.timeline, k);
                g_autofree char *prefix = g_strdup_printf("%9.3f s  #%-6" G_GUINT64_FORMAT " ",
                                                          (t->ts_us - info->first_ts_us) / 1e6, t->frame);
                report_wrap_prefixed(out, prefix, t->text, 2, width);
            }
            if (l->bgp.timeline_dropped)
                g_string_append_printf(out, "    ... %" G_GUINT64_FORMAT " more events not listed\n",
                                       l->bgp.timeline_dropped);
        }
    }
}

static void route_table(GString *out, const erdiag_link *l, int dir)
{
    GPtrArray *routes = erdiag_rib_routes(l->rib[dir], FALSE);
    g_string_append_printf(out, "\n  Route table, %s / %s, %s (%u)\n", l->peering->name, l->label,
                           dir == ERDIAG_CUST ? "received from on-prem" : "advertised by Microsoft", routes->len);
    if (routes->len) {
        g_string_append(out, "    Network             NextHop                 LocPrf  Weight  Path\n");
        for (guint i = 0; i < routes->len; i++) {
            const erdiag_route *rt = g_ptr_array_index(routes, i);
            char p[ERDIAG_PREFIX_STRLEN], nh[ERDIAG_ADDR_STRLEN] = "";
            erdiag_prefix_to_string(&rt->prefix, p);
            if (rt->next_hop.family)
                erdiag_addr_to_string(&rt->next_hop, nh);
            g_autofree char *lp = rt->has_local_pref ? g_strdup_printf("%u", rt->local_pref) : g_strdup("");
            g_string_append_printf(out, "    %-19s %-23s %-7s %-7d %s%s\n", p, nh, lp, 0,
                                   rt->as_path && *rt->as_path ? rt->as_path : "",
                                   erdiag_route_is_echo(l, dir, rt) ? "  (echo: on-prem rejects it)" : "");
        }
    }
    g_ptr_array_unref(routes);
}

static void route_tables(GString *out, erdiag_engine *e)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            if (!l->bgp.ever_established && erdiag_rib_records(l->rib[0]) + erdiag_rib_records(l->rib[1]) == 0)
                continue;
            route_table(out, l, ERDIAG_CUST);
            route_table(out, l, ERDIAG_MSFT);
        }
    }
}

static void checklist(GString *out, erdiag_engine *e)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_string_append_printf(out, "\n  Checklist, peering %s\n    %-40s", pe->name, "");
        for (guint i = 0; i < pe->links->len; i++)
            g_string_append_printf(out, " %-14s", ((erdiag_link *)g_ptr_array_index(pe->links, i))->label);
        g_string_append_c(out, '\n');
        for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
            g_string_append_printf(out, "    %-40s", report_check_title(c));
            for (guint i = 0; i < pe->links->len; i++)
                g_string_append_printf(out, " %-14s",
                                       report_verdict_name(report_check_link(e, c, g_ptr_array_index(pe->links, i))));
            g_string_append_c(out, '\n');
        }
    }
}

static void peering_overview(GString *out, erdiag_engine *e, guint width)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_autofree char *tags = erdiag_tags_to_string(pe->n_tags, pe->tags);
        g_string_append_printf(out, "\nPeering %s (%s, %s)\n", pe->name, tags,
                               pe->configured ? "from the configuration" : "inferred from the capture");
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            char sub[ERDIAG_PREFIX_STRLEN], c[ERDIAG_ADDR_STRLEN], m[ERDIAG_ADDR_STRLEN];
            g_autofree char *prefix = g_strdup_printf("%-13s ", l->label);
            g_autofree char *text = g_strdup_printf("%s: on-prem %s, Microsoft %s, %" G_GUINT64_FORMAT " frames",
                                                    erdiag_prefix_to_string(&l->subnet, sub),
                                                    erdiag_addr_to_string(&l->addr[ERDIAG_CUST], c),
                                                    erdiag_addr_to_string(&l->addr[ERDIAG_MSFT], m), l->frames);
            report_wrap_prefixed(out, prefix, text, 2, width);
        }
    }
}

/* Azure's exported tables beside the capture (--azure-arp / --azure-routes). */
static void azure_comparison(GString *out, erdiag_engine *e, const erdiag_azure_evidence *ev, guint width)
{
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(e, ev);
    if (diffs->len == 0)
        g_string_append(out, "\n  Azure's tables hold no rows.\n");
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        g_string_append_printf(out, "\n  [%s] %s %s  (%s%s%s, %s)\n", erdiag_azure_verdict_name(d->verdict), d->table,
                               d->item, d->peering ? d->peering : "no link", d->link ? " / " : "",
                               d->link ? d->link : "", d->source);
        g_autofree char *az = g_strdup_printf("Azure:   %s", *d->azure ? d->azure : "-");
        g_autofree char *cap = g_strdup_printf("capture: %s", *d->capture ? d->capture : "-");
        report_wrap(out, az, 4, width);
        report_wrap(out, cap, 4, width);
        if (*d->explanation)
            report_wrap(out, d->explanation, 4, width);
    }
}

void report_text_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    guint width = opt && opt->width ? opt->width : 80;
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const erdiag_config *cfg = erdiag_engine_config(e);
    g_string_append(out, "ExpressRoute private peering report (erdiag " ERDIAG_VERSION_STRING ")\n");
    if (info->frames) {
        g_autofree char *t0 = report_timestamp(info->first_ts_us);
        g_autofree char *dur = report_duration(info->last_ts_us - info->first_ts_us);
        g_string_append_printf(out, "Capture: %" G_GUINT64_FORMAT " frames from %s, lasting %s\n", info->frames,
                               t0, dur);
    } else {
        g_string_append(out, "Capture: no frames\n");
    }
    g_string_append_printf(out, "Config:  %s\n", cfg ? "as configured" : "none: peerings inferred from the capture");
    if (opt && opt->at_frame)
        g_string_append_printf(out, "State:   as of frame %" G_GUINT64_FORMAT "\n", opt->at_frame);
    g_string_append(out, "\n");
    g_autofree char *summary = report_summary(e);
    report_wrap(out, summary, 0, width);
    peering_overview(out, e, width);

    rule(out, "Checklist", width);
    checklist(out, e);

    rule(out, "Step 1: Peering settings (config)", width);
    step_findings(out, e, ERDIAG_STEP_CONFIG, width);
    rule(out, "Step 2: VLAN and ARP (l2)", width);
    arp_tables(out, e);
    step_findings(out, e, ERDIAG_STEP_L2, width);
    rule(out, "Step 3: BGP session (bgp)", width);
    session_summaries(out, e, width);
    step_findings(out, e, ERDIAG_STEP_BGP, width);
    rule(out, "Step 4: Route advertisements (routes)", width);
    route_tables(out, e);
    step_findings(out, e, ERDIAG_STEP_ROUTES, width);
    rule(out, "Step 5: Redundancy (redundancy)", width);
    step_findings(out, e, ERDIAG_STEP_REDUNDANCY, width);
    rule(out, "Step 6: Data plane (dataplane)", width);
    step_findings(out, e, ERDIAG_STEP_DATAPLANE, width);

    if (opt && opt->azure) {
        rule(out, "Azure's view beside the capture", width);
        azure_comparison(out, e, opt->azure, width);
    }

    if (info->notes->len || info->truncated) {
        rule(out, "Notes", width);
        if (info->truncated)
            report_wrap(out, "The capture ends mid-record: it was analysed as far as it goes.", 2, width);
        for (guint i = 0; i < info->notes->len; i++)
            report_wrap(out, g_ptr_array_index(info->notes, i), 2, width);
        if (info->notes_dropped)
            g_string_append_printf(out, "  ... %" G_GUINT64_FORMAT " more notes\n", info->notes_dropped);
    }
}
