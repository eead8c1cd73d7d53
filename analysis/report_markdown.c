/* The Markdown report: what a support case or a ticket system renders. Same
 * content and order as the text report (summary, checklist, findings, ARP
 * tables, route table summary and session timelines, route tables), in
 * tables with Azure's column names. Every value from the capture is escaped. */
#include <string.h>
#include "report_markup.h"
#include "report_util.h"
#include "azure_import.h"
#include "rib.h"

char *report_md_escape(const char *text)
{
    GString *s = g_string_new(NULL);
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            g_string_append_c(s, ' ');
        else if (strchr("\\`*_[]<|", *p) || (*p == '#' && p == text))
            g_string_append_printf(s, "\\%c", *p);
        else
            g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

/* Appends escaped text (printf-style). */
static void md(GString *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void md(GString *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *raw = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *esc = report_md_escape(raw);
    g_string_append(out, esc);
}

/* One table row: "| a | b | c |", each cell escaped; the list ends with NULL. */
static void md_row(GString *out, const char *first, ...) G_GNUC_NULL_TERMINATED;
static void md_row(GString *out, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    g_string_append_c(out, '|');
    for (const char *cell = first; cell; cell = va_arg(ap, const char *)) {
        g_autofree char *esc = report_md_escape(cell);
        g_string_append_printf(out, " %s |", esc);
    }
    va_end(ap);
    g_string_append_c(out, '\n');
}

static const char *verdict_mark(report_verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "✅ **pass**";
    case VERDICT_FAIL: return "❌ **fail**";
    case VERDICT_WARN: return "⚠️ **warn**";
    default: return "➖ not in capture";
    }
}

static const char *sev_mark(erdiag_severity s)
{
    static const char *const marks[] = {"ℹ️ info", "📝 note", "⚠️ warning", "❌ error"};
    return (guint)s < G_N_ELEMENTS(marks) ? marks[s] : "?";
}

/* Every link of every peering, in report order. */
static GPtrArray *all_links(erdiag_engine *e)
{
    GPtrArray *links = g_ptr_array_new();
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++)
            g_ptr_array_add(links, g_ptr_array_index(pe->links, i));
    }
    return links;
}

static void header(GString *out, erdiag_engine *e, const erdiag_report_options *opt)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const erdiag_config *cfg = erdiag_engine_config(e);
    g_string_append(out, "# ExpressRoute private peering report\n\n");
    g_string_append(out, "- **Tool:** erdiag " ERDIAG_VERSION_STRING "\n- **Capture:** ");
    for (guint i = 0; i < info->files->len; i++)
        md(out, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(info->files, i));
    if (info->frames) {
        g_autofree char *t0 = report_timestamp(info->first_ts_us);
        g_autofree char *dur = report_duration(info->last_ts_us - info->first_ts_us);
        md(out, "%s%" G_GUINT64_FORMAT " frames from %s, lasting %s", info->files->len ? ": " : "", info->frames, t0, dur);
    } else {
        g_string_append(out, " (no frames)");
    }
    g_string_append(out, "\n- **Config:** ");
    md(out, "%s", cfg ? (cfg->source ? cfg->source : "as configured") : "none: peerings inferred from the capture");
    g_string_append_c(out, '\n');
    if (opt && opt->at_frame)
        g_string_append_printf(out, "- **State:** as of frame %" G_GUINT64_FORMAT "\n", opt->at_frame);
    g_autofree char *summary = report_summary(e);
    g_string_append(out, "\n**Summary.** ");
    md(out, "%s", summary);
    g_string_append(out, "\n");
}

static void peerings_table(GString *out, erdiag_engine *e)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    if (peerings->len == 0)
        return;
    g_string_append(out, "\n## Peerings\n\n| Peering | Link | Subnet | On-prem | Microsoft | VLAN | Frames | Source |\n"
                         "|---|---|---|---|---|---|---|---|\n");
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            char sub[ERDIAG_PREFIX_STRLEN], c[ERDIAG_ADDR_STRLEN], m[ERDIAG_ADDR_STRLEN];
            g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
            g_autofree char *frames = g_strdup_printf("%" G_GUINT64_FORMAT, l->frames);
            md_row(out, pe->name, l->label, erdiag_prefix_to_string(&l->subnet, sub),
                   erdiag_addr_to_string(&l->addr[ERDIAG_CUST], c), erdiag_addr_to_string(&l->addr[ERDIAG_MSFT], m),
                   tags, frames, pe->configured ? "configuration" : "inferred", NULL);
        }
    }
}

/* "❌ **fail**: `arp.unanswered` (frames 3, 5)" */
static void checklist_cell(GString *out, erdiag_engine *e, report_check c, const erdiag_link *l)
{
    g_string_append(out, verdict_mark(report_check_link(e, c, l)));
    g_autoptr(GPtrArray) fs = report_check_findings(e, c, l);
    for (guint i = 0; i < fs->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(fs, i);
        g_autofree char *frames = report_frames_short(f);
        g_string_append_printf(out, "%s `%s`", i ? "," : ":", erdiag_finding_def_get(f->kind)->id);
        if (*frames)
            md(out, " (frames %s)", frames);
    }
}

static void checklist(GString *out, erdiag_engine *e)
{
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "\n## Verification checklist\n\n");
    if (links->len == 0) {
        g_string_append(out, "No peering link in the capture: nothing to check.\n");
        return;
    }
    g_string_append(out, "The article's checks in order, per link; each verdict names the findings and frames "
                          "behind it.\n\n| # | Check |");
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        g_string_append_c(out, ' ');
        md(out, "%s / %s", l->peering->name, l->label);
        g_string_append(out, " |");
    }
    g_string_append(out, "\n|---|---|");
    for (guint i = 0; i < links->len; i++)
        g_string_append(out, "---|");
    g_string_append_c(out, '\n');
    for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
        g_string_append_printf(out, "| %d | ", (int)c + 1);
        md(out, "%s", report_check_title(c));
        g_string_append(out, " |");
        for (guint i = 0; i < links->len; i++) {
            g_string_append_c(out, ' ');
            checklist_cell(out, e, c, g_ptr_array_index(links, i));
            g_string_append(out, " |");
        }
        g_string_append_c(out, '\n');
    }
}

static void finding_md(GString *out, const erdiag_finding *f)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    g_string_append_printf(out, "\n- %s `%s`", sev_mark(f->severity), d->id);
    if (f->peering || f->link) {
        g_string_append(out, " — ");
        md(out, "%s%s%s", f->peering ? f->peering : "", f->link ? " / " : "", f->link ? f->link : "");
    }
    g_string_append(out, "  \n  ");
    md(out, "%s", f->message);
    g_autofree char *frames = report_frames(f);
    if (*frames) {
        g_string_append(out, "  \n  *Frames:* ");
        md(out, "%s", frames);
    }
    if (f->advice && *f->advice) {
        g_string_append(out, "  \n  *Advice:* ");
        md(out, "%s", f->advice);
    }
    g_string_append_c(out, '\n');
}

static void findings(GString *out, erdiag_engine *e)
{
    GPtrArray *all = erdiag_engine_findings(e);
    g_string_append(out, "\n## Findings\n");
    for (erdiag_step step = ERDIAG_STEP_CONFIG; step < ERDIAG_STEP_COUNT; step++) {
        g_string_append_printf(out, "\n### Step %d: ", (int)step + 1);
        md(out, "%s (%s)", erdiag_step_title(step), erdiag_step_name(step));
        g_string_append_c(out, '\n');
        guint n = 0;
        for (guint i = 0; i < all->len; i++) {
            const erdiag_finding *f = g_ptr_array_index(all, i);
            if (erdiag_finding_def_get(f->kind)->step == step) {
                finding_md(out, f);
                n++;
            }
        }
        if (n == 0)
            g_string_append(out, "\nNo findings.\n");
    }
}

static void arp_tables(GString *out, erdiag_engine *e)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "\n## ARP tables\n");
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
        g_string_append(out, "\n### ");
        md(out, "%s / %s (%s)", l->peering->name, l->label, tags);
        g_string_append_c(out, '\n');
        if (!l->seen) {
            g_string_append(out, "\nNot in the capture.\n");
            continue;
        }
        g_string_append(out, "\n| Age | Interface | IpAddress | MacAddress |\n|---|---|---|---|\n");
        for (int s = 0; s < 2; s++) {
            const erdiag_arp_row *r = &l->arp[s];
            char ip[ERDIAG_ADDR_STRLEN], mac[18] = "Incomplete";
            erdiag_addr_to_string(&r->ip, ip);
            if (r->resolved)
                report_mac(r->mac, mac);
            g_autofree char *age = r->last_seen_us ? g_strdup_printf("%" G_GINT64_FORMAT,
                                                                    (info->last_ts_us - r->last_seen_us) / (60 * G_USEC_PER_SEC))
                                                   : g_strdup("-");
            md_row(out, age, erdiag_side_azure_name(r->side), ip, mac, NULL);
        }
    }
}

static void session_summaries(GString *out, erdiag_engine *e)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "\n## Route table summary\n");
    if (links->len)
        g_string_append(out, "\n| Peering | Path | Neighbor | V | AS | UpDown | StatePfxRcd |\n"
                             "|---|---|---|---|---|---|---|\n");
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        char nb[ERDIAG_ADDR_STRLEN];
        g_autofree char *as = l->bgp.asn[ERDIAG_CUST] ? g_strdup_printf("%u", l->bgp.asn[ERDIAG_CUST]) : g_strdup("-");
        g_autofree char *ud = report_updown(l, info->last_ts_us);
        g_autofree char *pfx = report_state_pfx(l);
        md_row(out, l->peering->name, l->label, erdiag_addr_to_string(&l->addr[ERDIAG_CUST], nb), "4", as, ud, pfx,
               NULL);
    }
    g_string_append(out, "\n## Session timelines\n");
    guint shown = 0;
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        if (!l->bgp.seen)
            continue;
        shown++;
        g_string_append(out, "\n### ");
        md(out, "%s / %s", l->peering->name, l->label);
        g_string_append(out, "\n\n| Time (s) | Frame | By | State after | Event |\n|---:|---:|---|---|---|\n");
        for (guint k = 0; k < l->bgp.timeline->len; k++) {
            const erdiag_timeline_entry *t = g_ptr_array_index(l->bgp.timeline, k);
            g_autofree char *secs = g_strdup_printf("%.3f", (t->ts_us - info->first_ts_us) / 1e6);
            g_autofree char *frame = g_strdup_printf("%" G_GUINT64_FORMAT, t->frame);
            md_row(out, secs, frame, erdiag_side_name(t->by), erdiag_bgp_state_name(t->state), t->text, NULL);
        }
        if (l->bgp.timeline_dropped)
            g_string_append_printf(out, "\n… %" G_GUINT64_FORMAT " more events not listed.\n", l->bgp.timeline_dropped);
    }
    if (!shown)
        g_string_append(out, "\nNo BGP in the capture.\n");
}

static void route_table(GString *out, const erdiag_link *l, int dir)
{
    GPtrArray *routes = erdiag_rib_routes(l->rib[dir], FALSE);
    g_string_append(out, "\n### ");
    md(out, "%s / %s, %s (%u)", l->peering->name, l->label,
       dir == ERDIAG_CUST ? "received from on-prem" : "advertised by Microsoft", routes->len);
    g_string_append_c(out, '\n');
    if (routes->len)
        g_string_append(out, "\n| Network | NextHop | LocPrf | Weight | Path |\n|---|---|---|---|---|\n");
    for (guint i = 0; i < routes->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(routes, i);
        char p[ERDIAG_PREFIX_STRLEN], nh[ERDIAG_ADDR_STRLEN] = "";
        erdiag_prefix_to_string(&rt->prefix, p);
        if (rt->next_hop.family)
            erdiag_addr_to_string(&rt->next_hop, nh);
        g_autofree char *lp = rt->has_local_pref ? g_strdup_printf("%u", rt->local_pref) : g_strdup("");
        g_autofree char *path = g_strconcat(rt->as_path ? rt->as_path : "",
                                            erdiag_route_is_echo(l, dir, rt) ? "  (echo: on-prem rejects it)" : "", NULL);
        md_row(out, p, nh, lp, "0", path, NULL);
    }
    g_ptr_array_unref(routes);
}

static void route_tables(GString *out, erdiag_engine *e)
{
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "\n## Route tables\n");
    guint shown = 0;
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        if (!l->bgp.ever_established && erdiag_rib_records(l->rib[0]) + erdiag_rib_records(l->rib[1]) == 0)
            continue;
        shown++;
        route_table(out, l, ERDIAG_CUST);
        route_table(out, l, ERDIAG_MSFT);
    }
    if (!shown)
        g_string_append(out, "\nNo session reached Established and no route was advertised.\n");
}

static void azure_section(GString *out, erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(e, ev);
    g_string_append(out, "\n## Azure's view beside the capture\n\n");
    if (diffs->len == 0) {
        g_string_append(out, "Azure's tables hold no rows.\n");
        return;
    }
    g_string_append(out, "| Verdict | Table | Link | Item | Azure | Capture | Why |\n|---|---|---|---|---|---|---|\n");
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        g_autofree char *link = g_strdup_printf("%s%s%s", d->peering ? d->peering : "-", d->link ? " / " : "",
                                                d->link ? d->link : "");
        md_row(out, erdiag_azure_verdict_name(d->verdict), d->table, link, d->item, *d->azure ? d->azure : "-",
               *d->capture ? d->capture : "-", d->explanation, NULL);
    }
}

void report_markdown_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    header(out, e, opt);
    checklist(out, e);
    peerings_table(out, e);
    findings(out, e);
    arp_tables(out, e);
    session_summaries(out, e);
    route_tables(out, e);
    if (opt && opt->azure)
        azure_section(out, e, opt->azure);
    if (info->notes->len || info->truncated) {
        g_string_append(out, "\n## Notes\n\n");
        if (info->truncated)
            g_string_append(out, "- The capture ends mid-record: it was analysed as far as it goes.\n");
        for (guint i = 0; i < info->notes->len; i++) {
            g_string_append(out, "- ");
            md(out, "%s", (const char *)g_ptr_array_index(info->notes, i));
            g_string_append_c(out, '\n');
        }
        if (info->notes_dropped)
            g_string_append_printf(out, "- … %" G_GUINT64_FORMAT " more notes\n", info->notes_dropped);
    }
}
