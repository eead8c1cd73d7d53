/* The text report: for people, grouped by the article's steps, then link;
 * fits an 80-column terminal. */
#include <string.h>
#include "report_text.h"
#include "report_util.h"
#include "report_model.h"
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
        g_autofree char *line = g_strdup_printf("%s %s", f->frame_count == 1 ? "frame: " : "frames:", frames);
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
                g_auto(GStrv) row = report_arp_row(&l->arp[s], info->last_ts_us);
                g_string_append_printf(out, "    %-4s %-10s %-30s %s\n", row[0], row[1], row[2], row[3]);
            }
        }
    }
}

/* printf's %-Ns counts bytes: pad by characters ("≥ 00:00:02" is 12 bytes, 10 wide) */
static void pad(GString *out, const char *text, guint width)
{
    g_string_append(out, text);
    for (guint n = g_utf8_strlen(text, -1); n < width; n++)
        g_string_append_c(out, ' ');
}

static void session_summaries(GString *out, erdiag_engine *e, guint width)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_string_append_printf(out, "\n  Route table summary, %s\n", pe->name);
        g_string_append(out, "    Path          Neighbor                    V  AS          UpDown     StatePfxRcd\n");
        for (guint i = 0; i < pe->links->len; i++) {
            g_auto(GStrv) row = report_summary_row(g_ptr_array_index(pe->links, i), info->last_ts_us);
            g_string_append_printf(out, "    %-13s %-27s %s  %-11s ", row[0], row[1], row[2], row[3]);
            pad(out, row[4], 10);
            g_string_append_printf(out, " %s\n", row[5]);
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
    g_autofree char *title = report_route_table_title(l, dir, routes->len);
    g_string_append_printf(out, "\n  Route table, %s\n", title);
    if (routes->len)
        g_string_append(out, "    Network             NextHop                 LocPrf  Weight  Path\n");
    else if (l->bgp.ever_established && l->bgp.state != ERDIAG_BGPS_ESTABLISHED)
        g_string_append(out, "    None now: the session went down, and its routes with it.\n");
    for (guint i = 0; i < routes->len; i++) {
        g_auto(GStrv) row = report_route_row(l, dir, g_ptr_array_index(routes, i));
        g_string_append_printf(out, "    %-19s %-23s %-7s %-7s %s\n", row[0], row[1], row[2], row[3], row[4]);
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

/* Each link's flows table: one line per flow, its detail (who reset it,
 * which ICMP) indented below. */
static void flow_tables(GString *out, erdiag_engine *e, guint width)
{
    g_autoptr(GPtrArray) links = report_all_links(e);
    guint shown = 0;
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        if (l->flows->len == 0)
            continue;
        shown++;
        g_autofree char *title = report_flows_title(l);
        g_string_append_printf(out, "\n  Flows, %s\n", title);
        g_string_append(out, "    Verdict           Source          Destination     Service    Direction  "
                             "Link out / back    Packets    Frame\n");
        for (guint k = 0; k < l->flows->len; k++) {
            g_auto(GStrv) row = report_flow_row(g_ptr_array_index(l->flows, k));
            g_string_append_printf(out, "    %-17s %-15s %-15s %-10s %-10s %-18s %-10s %s\n", row[0], row[1], row[2],
                                   row[3], row[4], row[5], row[6], row[8]);
            if (*row[9])
                report_wrap(out, row[9], 6, width);
        }
        if (l->flows_not_listed)
            g_string_append_printf(out, "    ... %" G_GUINT64_FORMAT " more flows counted, not listed (failed flows "
                                        "are listed first)\n", l->flows_not_listed);
    }
    if (!shown)
        g_string_append(out, "\n  No TCP, UDP or ICMP echo flow crossed the peering.\n");
}

/* The checklist as columns of links; when the links do not fit the width
 * side by side, in blocks of as many as fit. Cells that no finding explains
 * but that are blocked say why under the table; the findings are in the steps
 * of the same number below. */
static void checklist(GString *out, erdiag_engine *e, guint width)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    guint title_w = 0;
    for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++)
        title_w = MAX(title_w, 4 + (guint)strlen(report_check_title(c)));
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        guint col_w = 0;
        for (report_verdict v = VERDICT_PASS; v <= VERDICT_BLOCKED; v++)
            col_w = MAX(col_w, (guint)strlen(report_verdict_name(v)));
        for (guint i = 0; i < pe->links->len; i++)
            col_w = MAX(col_w, (guint)g_utf8_strlen(((erdiag_link *)g_ptr_array_index(pe->links, i))->label, -1));
        guint per_block = width > 4 + title_w ? (width - 4 - title_w) / (col_w + 1) : 1;
        per_block = MAX(per_block, 1);
        g_string_append_printf(out, "\n  Checklist, peering %s\n", pe->name);
        for (guint first = 0; first < pe->links->len; first += per_block) {
            guint last = MIN(pe->links->len, first + per_block);
            if (first)
                g_string_append_c(out, '\n');
            g_string_append_printf(out, "    %-*s", title_w, "");
            for (guint i = first; i < last; i++) {
                g_string_append_c(out, ' ');
                pad(out, ((erdiag_link *)g_ptr_array_index(pe->links, i))->label, i + 1 < last ? col_w : 0);
            }
            g_string_append_c(out, '\n');
            for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
                g_autofree char *t = g_strdup_printf("%-3s %s", report_check_number(c), report_check_title(c));
                g_string_append_printf(out, "    %-*s", title_w, t);
                for (guint i = first; i < last; i++) {
                    g_string_append_c(out, ' ');
                    pad(out, report_verdict_name(report_check_link(e, c, g_ptr_array_index(pe->links, i))),
                        i + 1 < last ? col_w : 0);
                }
                g_string_append_c(out, '\n');
            }
        }
        /* why blocked cells are blocked, one line per link and reason: "primary 4a, 4b: ..." */
        gboolean any = FALSE;
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            gboolean done[CHECK_COUNT] = {FALSE};
            for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
                if (done[c] || report_check_link(e, c, l) != VERDICT_BLOCKED)
                    continue;
                g_autofree char *detail = report_check_detail(e, c, l);
                GString *prefix = g_string_new(NULL);
                g_string_append_printf(prefix, "%s %s", l->label, report_check_number(c));
                for (report_check d = c + 1; d < CHECK_COUNT; d++) {
                    if (report_check_link(e, d, l) != VERDICT_BLOCKED)
                        continue;
                    g_autofree char *other = report_check_detail(e, d, l);
                    if (g_strcmp0(detail, other) == 0) {
                        g_string_append_printf(prefix, ", %s", report_check_number(d));
                        done[d] = TRUE;
                    }
                }
                g_string_append(prefix, ": ");
                if (!any)
                    g_string_append_c(out, '\n');
                any = TRUE;
                report_wrap_prefixed(out, prefix->str, detail ? detail : "", 4, width);
                g_string_free(prefix, TRUE);
            }
        }
    }
    if (peerings->len == 0)
        g_string_append(out, "\n  No peering link in the capture: nothing to check.\n");
    g_autoptr(GPtrArray) wide = report_capture_findings(e);
    if (wide->len) {
        GString *ids = g_string_new("On no link (the capture as a whole):");
        for (guint i = 0; i < wide->len; i++) {
            const erdiag_finding *f = g_ptr_array_index(wide, i);
            g_string_append_printf(ids, "%s %s (%s, step %d)", i ? "," : "", erdiag_finding_def_get(f->kind)->id,
                                   erdiag_severity_name(f->severity), (int)erdiag_finding_def_get(f->kind)->step + 1);
        }
        g_string_append_c(out, '\n');
        report_wrap_hanging(out, ids->str, 2, 4, width);
        g_string_free(ids, TRUE);
    }
}

static void peering_overview(GString *out, erdiag_engine *e, guint width)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_autofree char *tags = report_peering_tags(pe);
        g_string_append_printf(out, "\nPeering %s (%s, %s%s)\n", pe->name, tags,
                               pe->configured ? "from the configuration" : "inferred from the capture",
                               erdiag_peering_is_microsoft(pe) ? ", Microsoft peering" : "");
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            char sub[ERDIAG_PREFIX_STRLEN], c[ERDIAG_ADDR_STRLEN], m[ERDIAG_ADDR_STRLEN];
            g_autofree char *prefix = g_strdup_printf("%-13s ", l->label);
            g_autofree char *text = g_strdup_printf("%s: on-prem %s, %s %s, %" G_GUINT64_FORMAT " frames",
                                                    erdiag_prefix_to_string(&l->subnet, sub),
                                                    erdiag_addr_to_string(&l->addr[ERDIAG_CUST], c),
                                                    erdiag_link_layer3(l) ? "provider's PE" : "Microsoft",
                                                    erdiag_addr_to_string(&l->addr[ERDIAG_MSFT], m), l->frames);
            report_wrap_prefixed(out, prefix, text, 2, width);
            /* why the network + 2 side is called Microsoft's */
            g_autofree char *far = erdiag_link_far_side_text(l);
            g_autofree char *why = g_strdup_printf("%s side: %s", erdiag_link_layer3(l) ? "Far" : "Microsoft", far);
            report_wrap(out, why, 16, width);
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
    g_string_append_printf(out, "Config:  %s\n", cfg ? (cfg->source ? cfg->source : "given, file name unknown")
                                                  : "none: peerings inferred from the capture");
    if (opt && opt->at_frame)
        g_string_append_printf(out, "State:   as of frame %" G_GUINT64_FORMAT "\n", opt->at_frame);
    g_string_append(out, "\n");
    g_autofree char *summary = report_summary(e);
    report_wrap(out, summary, 0, width);
    peering_overview(out, e, width);

    rule(out, "Checklist", width);
    checklist(out, e, width);

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
    flow_tables(out, e, width);
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
