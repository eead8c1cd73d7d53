/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no external asset, nothing fetched) to attach to a support case, readable
 * on screen and on paper. Same content and order as the Markdown report, plus
 * the timeline picture. Every value from the capture is entity-escaped. */
#include <string.h>
#include "report_markup.h"
#include "report_util.h"
#include "azure_import.h"
#include "rib.h"

static const char css[] =
    ":root{--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;--bg-pass:#dafbe1;"
    "--bg-fail:#ffebe9;--bg-warn:#fff8c5;--bg-muted:#f6f8fa}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1f2328;"
    "margin:0 auto;max-width:1180px;padding:20px 28px}\n"
    "h1{font-size:24px;margin:0 0 6px}h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;"
    "border-bottom:1px solid var(--line)}h3{font-size:15px;margin:18px 0 6px}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0;color:var(--muted)}"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0}\n"
    "p.summary{font-size:15px;padding:10px 14px;border-left:4px solid var(--muted);background:var(--bg-muted)}\n"
    "p.summary.bad{border-color:var(--fail);background:var(--bg-fail)}p.summary.good{border-color:var(--pass);"
    "background:var(--bg-pass)}\n"
    "table{border-collapse:collapse;margin:6px 0 12px;width:auto}th,td{border:1px solid var(--line);padding:4px 8px;"
    "text-align:left;vertical-align:top}th{background:var(--bg-muted)}td.num{text-align:right}\n"
    "code,.mono,td.addr{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}\n"
    "#checklist{width:100%}#checklist td.check{font-weight:600;width:26%}\n"
    ".badge{display:inline-block;font-weight:700;border-radius:10px;padding:0 8px;font-size:12px;"
    "text-transform:uppercase;letter-spacing:.03em}\n"
    ".v-pass .badge{background:var(--bg-pass);color:var(--pass)}.v-fail .badge{background:var(--bg-fail);"
    "color:var(--fail)}.v-warn .badge{background:var(--bg-warn);color:var(--warn)}"
    ".v-not-seen .badge{background:var(--bg-muted);color:var(--muted)}\n"
    "td.v-fail{background:#fff5f5}td.v-warn{background:#fffdf0}\n"
    "ul.why{margin:4px 0 0;padding-left:18px;font-size:12.5px}ul.why .frames{color:var(--muted)}\n"
    ".finding{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:4px;padding:8px 12px;"
    "margin:8px 0;break-inside:avoid}\n"
    ".finding.sev-error{border-left-color:var(--fail)}.finding.sev-warning{border-left-color:var(--warn)}"
    ".finding.sev-note{border-left-color:#0969da}\n"
    ".finding .head{font-weight:600}.finding .sev{text-transform:uppercase;font-size:12px;margin-right:6px}"
    ".finding .where{color:var(--muted);font-weight:400;margin-left:6px}.finding p{margin:4px 0}"
    ".finding .advice{color:#333}\n"
    ".none{color:var(--muted);font-style:italic}\n"
    "#timeline{width:100%;height:auto;border:1px solid var(--line);background:#fff}\n"
    "#timeline text{font:11px system-ui,sans-serif;fill:#1f2328}#timeline .lane-label{text-anchor:end;font-weight:600;"
    "font-size:12px}#timeline .lane-sub{text-anchor:end;fill:var(--muted)}"
    "#timeline .count-scale{text-anchor:end;fill:var(--muted);font-size:10px}\n"
    "#timeline .band{stroke:#fff;stroke-width:.5}.s-established{fill:#2da44e}.s-open{fill:#d4a72c}"
    ".s-connect{fill:#fb8f44}.s-idle{fill:#8c959f}.s-none{fill:#eaeef2}\n"
    "#timeline polyline,#timeline .legend line{fill:none;stroke-width:2}.pfx-onprem{stroke:#0969da}"
    ".pfx-microsoft{stroke:#8250df;stroke-dasharray:5 3}\n"
    "#timeline .count-base{stroke:var(--line)}#timeline .axis line{stroke:#57606a}#timeline .tick{text-anchor:middle}"
    "#timeline .axis-title{text-anchor:middle;fill:var(--muted)}\n"
    ".marker-arp line{stroke:var(--fail);stroke-width:3}.marker-arp path{fill:var(--fail)}"
    ".marker-notification line{stroke:#6e1a1a;stroke-width:1.5;stroke-dasharray:3 2}"
    ".marker-notification path{fill:#6e1a1a}\n"
    "footer{margin-top:30px;color:var(--muted);font-size:12px}\n"
    "@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}"
    "table,svg{break-inside:auto}tr,.finding{break-inside:avoid}thead{display:table-header-group}"
    "a{color:inherit;text-decoration:none}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "@page{margin:14mm}}\n";

char *report_html_escape(const char *text)
{
    GString *s = g_string_new(NULL);
    report_html_append(s, text);
    return g_string_free(s, FALSE);
}

void report_html_append(GString *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        default: g_string_append_c(out, *p);
        }
    }
}

/* Appends escaped printf output. */
static void h(GString *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void h(GString *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *raw = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    report_html_append(out, raw);
}

/* "<tr><td>a</td>...</tr>": each cell escaped; the list ends with NULL. */
static void row(GString *out, const char *first, ...) G_GNUC_NULL_TERMINATED;
static void row(GString *out, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    g_string_append(out, "<tr>");
    for (const char *cell = first; cell; cell = va_arg(ap, const char *)) {
        g_string_append(out, "<td>");
        report_html_append(out, cell);
        g_string_append(out, "</td>");
    }
    va_end(ap);
    g_string_append(out, "</tr>\n");
}

static void head_row(GString *out, const char *const *names)
{
    g_string_append(out, "<thead><tr>");
    for (; *names; names++)
        g_string_append_printf(out, "<th>%s</th>", *names);
    g_string_append(out, "</tr></thead>\n");
}

static const char *verdict_class(report_verdict v)
{
    static const char *const cls[] = {"v-pass", "v-fail", "v-warn", "v-not-seen"};
    return (guint)v < G_N_ELEMENTS(cls) ? cls[v] : "v-not-seen";
}

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

/* The finding's anchor: its place in report order, from 1. */
static guint finding_number(erdiag_engine *e, const erdiag_finding *f)
{
    guint idx = 0;
    return g_ptr_array_find(erdiag_engine_findings(e), f, &idx) ? idx + 1 : 0;
}

static void header(GString *out, erdiag_engine *e, const erdiag_report_options *opt)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const erdiag_config *cfg = erdiag_engine_config(e);
    g_string_append(out, "<header>\n<h1>ExpressRoute private peering report</h1>\n<dl class=\"meta\">\n");
    g_string_append(out, "<dt>Capture</dt><dd>");
    for (guint i = 0; i < info->files->len; i++)
        h(out, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(info->files, i));
    if (info->frames) {
        g_autofree char *t0 = report_timestamp(info->first_ts_us);
        g_autofree char *dur = report_duration(info->last_ts_us - info->first_ts_us);
        h(out, "%s%" G_GUINT64_FORMAT " frames from %s, lasting %s", info->files->len ? ": " : "", info->frames, t0, dur);
    } else {
        g_string_append(out, " (no frames)");
    }
    g_string_append(out, "</dd>\n<dt>Config</dt><dd>");
    h(out, "%s", cfg ? (cfg->source ? cfg->source : "as configured") : "none: peerings inferred from the capture");
    g_string_append(out, "</dd>\n");
    if (opt && opt->at_frame)
        g_string_append_printf(out, "<dt>State</dt><dd>as of frame %" G_GUINT64_FORMAT "</dd>\n", opt->at_frame);
    g_string_append(out, "<dt>Tool</dt><dd>erdiag " ERDIAG_VERSION_STRING "</dd>\n</dl>\n</header>\n");

    guint counts[4];
    report_counts(e, counts);
    g_autofree char *summary = report_summary(e);
    g_string_append_printf(out, "<section id=\"summary\">\n<p class=\"summary %s\">",
                           counts[ERDIAG_SEV_ERROR] ? "bad" : counts[ERDIAG_SEV_WARNING] ? "" : "good");
    report_html_append(out, summary);
    g_string_append(out, "</p>\n</section>\n");
}

static void checklist_cell(GString *out, erdiag_engine *e, report_check c, const erdiag_link *l)
{
    report_verdict v = report_check_link(e, c, l);
    g_string_append_printf(out, "<td class=\"verdict %s\" data-check=\"%s\" data-link=\"", verdict_class(v),
                           report_check_key(c));
    h(out, "%s/%s", l->peering->name, l->label);
    g_string_append_printf(out, "\" data-verdict=\"%s\"><span class=\"badge\">%s</span>", report_verdict_name(v),
                           report_verdict_name(v));
    g_autoptr(GPtrArray) fs = report_check_findings(e, c, l);
    if (fs->len)
        g_string_append(out, "<ul class=\"why\">");
    for (guint i = 0; i < fs->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(fs, i);
        g_autofree char *frames = report_frames_short(f);
        g_string_append_printf(out, "<li><a href=\"#finding-%u\"><code>%s</code></a> %s", finding_number(e, f),
                               erdiag_finding_def_get(f->kind)->id, erdiag_severity_name(f->severity));
        if (*frames) {
            g_string_append(out, " <span class=\"frames\">frames ");
            report_html_append(out, frames);
            g_string_append(out, "</span>");
        }
        g_string_append(out, "</li>");
    }
    if (fs->len)
        g_string_append(out, "</ul>");
    g_string_append(out, "</td>");
}

static void checklist(GString *out, erdiag_engine *e)
{
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "<section id=\"verification\">\n<h2>Verification checklist</h2>\n");
    g_string_append(out, "<table id=\"checklist\">\n<thead><tr><th>Check</th>");
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        g_string_append(out, "<th>");
        h(out, "%s / %s", l->peering->name, l->label);
        g_string_append(out, "</th>");
    }
    g_string_append(out, "</tr></thead>\n<tbody>\n");
    for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
        g_string_append_printf(out, "<tr data-check=\"%s\"><td class=\"check\">%d. ", report_check_key(c), (int)c + 1);
        report_html_append(out, report_check_title(c));
        g_string_append(out, "</td>");
        for (guint i = 0; i < links->len; i++)
            checklist_cell(out, e, c, g_ptr_array_index(links, i));
        g_string_append(out, "</tr>\n");
    }
    g_string_append(out, "</tbody>\n</table>\n");
    if (links->len == 0)
        g_string_append(out, "<p class=\"none\">No peering link in the capture: nothing to check.</p>\n");
    g_string_append(out, "</section>\n");
}

static void peerings_table(GString *out, erdiag_engine *e)
{
    static const char *const cols[] = {"Peering", "Link", "Subnet", "On-prem", "Microsoft", "VLAN", "Frames", "Source", NULL};
    g_autoptr(GPtrArray) links = all_links(e);
    if (links->len == 0)
        return;
    g_string_append(out, "<section id=\"peerings\">\n<h2>Peerings</h2>\n<table>\n");
    head_row(out, cols);
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        char sub[ERDIAG_PREFIX_STRLEN], c[ERDIAG_ADDR_STRLEN], m[ERDIAG_ADDR_STRLEN];
        g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
        g_autofree char *frames = g_strdup_printf("%" G_GUINT64_FORMAT, l->frames);
        row(out, l->peering->name, l->label, erdiag_prefix_to_string(&l->subnet, sub),
            erdiag_addr_to_string(&l->addr[ERDIAG_CUST], c), erdiag_addr_to_string(&l->addr[ERDIAG_MSFT], m), tags,
            frames, l->peering->configured ? "configuration" : "inferred", NULL);
    }
    g_string_append(out, "</table>\n</section>\n");
}

static void picture(GString *out, erdiag_engine *e)
{
    g_string_append(out, "<section id=\"picture\">\n<h2>Timeline</h2>\n");
    report_svg_timeline(e, out);
    g_string_append(out, "</section>\n");
}

static void finding_html(GString *out, erdiag_engine *e, const erdiag_finding *f)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    const char *sev = erdiag_severity_name(f->severity);
    g_string_append_printf(out, "<article class=\"finding sev-%s\" id=\"finding-%u\" data-id=\"%s\" data-severity=\"%s\">"
                                "\n<div class=\"head\"><span class=\"sev\">%s</span><code>%s</code>",
                           sev, finding_number(e, f), d->id, sev, sev, d->id);
    if (f->peering || f->link) {
        g_string_append(out, "<span class=\"where\">");
        h(out, "%s%s%s", f->peering ? f->peering : "", f->link ? " / " : "", f->link ? f->link : "");
        g_string_append(out, "</span>");
    }
    g_string_append(out, "</div>\n<p class=\"message\">");
    report_html_append(out, f->message);
    g_string_append(out, "</p>\n");
    g_autofree char *frames = report_frames(f);
    if (*frames) {
        g_string_append(out, "<p class=\"frames\"><b>Frames:</b> ");
        report_html_append(out, frames);
        g_string_append(out, "</p>\n");
    }
    if (f->advice && *f->advice) {
        g_string_append(out, "<p class=\"advice\"><b>Advice:</b> ");
        report_html_append(out, f->advice);
        g_string_append(out, "</p>\n");
    }
    g_string_append(out, "</article>\n");
}

static void findings(GString *out, erdiag_engine *e)
{
    GPtrArray *all = erdiag_engine_findings(e);
    g_string_append(out, "<section id=\"findings\">\n<h2>Findings</h2>\n");
    for (erdiag_step step = ERDIAG_STEP_CONFIG; step < ERDIAG_STEP_COUNT; step++) {
        g_string_append_printf(out, "<h3>Step %d: ", (int)step + 1);
        h(out, "%s (%s)", erdiag_step_title(step), erdiag_step_name(step));
        g_string_append(out, "</h3>\n");
        guint n = 0;
        for (guint i = 0; i < all->len; i++) {
            const erdiag_finding *f = g_ptr_array_index(all, i);
            if (erdiag_finding_def_get(f->kind)->step == step) {
                finding_html(out, e, f);
                n++;
            }
        }
        if (n == 0)
            g_string_append(out, "<p class=\"none\">No findings.</p>\n");
    }
    g_string_append(out, "</section>\n");
}

static void arp_tables(GString *out, erdiag_engine *e)
{
    static const char *const cols[] = {"Age", "Interface", "IpAddress", "MacAddress", NULL};
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "<section id=\"arp\">\n<h2>ARP tables</h2>\n");
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
        g_string_append(out, "<h3>");
        h(out, "%s / %s (%s)", l->peering->name, l->label, tags);
        g_string_append(out, "</h3>\n");
        if (!l->seen) {
            g_string_append(out, "<p class=\"none\">Not in the capture.</p>\n");
            continue;
        }
        g_string_append(out, "<table class=\"arp-table\">\n");
        head_row(out, cols);
        for (int s = 0; s < 2; s++) {
            const erdiag_arp_row *r = &l->arp[s];
            char ip[ERDIAG_ADDR_STRLEN], mac[18] = "Incomplete";
            erdiag_addr_to_string(&r->ip, ip);
            if (r->resolved)
                report_mac(r->mac, mac);
            g_autofree char *age = r->last_seen_us ? g_strdup_printf("%" G_GINT64_FORMAT,
                                                                    (info->last_ts_us - r->last_seen_us) / (60 * G_USEC_PER_SEC))
                                                   : g_strdup("-");
            row(out, age, erdiag_side_azure_name(r->side), ip, mac, NULL);
        }
        g_string_append(out, "</table>\n");
    }
    if (links->len == 0)
        g_string_append(out, "<p class=\"none\">No peering link in the capture.</p>\n");
    g_string_append(out, "</section>\n");
}

static void session_summaries(GString *out, erdiag_engine *e)
{
    static const char *const cols[] = {"Peering", "Path", "Neighbor", "V", "AS", "UpDown", "StatePfxRcd", NULL};
    static const char *const tcols[] = {"Time (s)", "Frame", "By", "State after", "Event", NULL};
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "<section id=\"route-summary\">\n<h2>Route table summary</h2>\n<table>\n");
    head_row(out, cols);
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        char nb[ERDIAG_ADDR_STRLEN];
        g_autofree char *as = l->bgp.asn[ERDIAG_CUST] ? g_strdup_printf("%u", l->bgp.asn[ERDIAG_CUST]) : g_strdup("-");
        g_autofree char *ud = report_updown(l, info->last_ts_us);
        g_autofree char *pfx = report_state_pfx(l);
        row(out, l->peering->name, l->label, erdiag_addr_to_string(&l->addr[ERDIAG_CUST], nb), "4", as, ud, pfx, NULL);
    }
    g_string_append(out, "</table>\n</section>\n<section id=\"timelines\">\n<h2>Session timelines</h2>\n");
    guint shown = 0;
    for (guint i = 0; i < links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(links, i);
        if (!l->bgp.seen)
            continue;
        shown++;
        g_string_append(out, "<h3>");
        h(out, "%s / %s", l->peering->name, l->label);
        g_string_append(out, "</h3>\n<table class=\"session-timeline\">\n");
        head_row(out, tcols);
        for (guint k = 0; k < l->bgp.timeline->len; k++) {
            const erdiag_timeline_entry *t = g_ptr_array_index(l->bgp.timeline, k);
            g_autofree char *secs = g_strdup_printf("%.3f", (t->ts_us - info->first_ts_us) / 1e6);
            g_autofree char *frame = g_strdup_printf("%" G_GUINT64_FORMAT, t->frame);
            row(out, secs, frame, erdiag_side_name(t->by), erdiag_bgp_state_name(t->state), t->text, NULL);
        }
        g_string_append(out, "</table>\n");
        if (l->bgp.timeline_dropped)
            g_string_append_printf(out, "<p class=\"none\">%" G_GUINT64_FORMAT " more events not listed.</p>\n",
                                   l->bgp.timeline_dropped);
    }
    if (!shown)
        g_string_append(out, "<p class=\"none\">No BGP in the capture.</p>\n");
    g_string_append(out, "</section>\n");
}

static void route_table(GString *out, const erdiag_link *l, int dir)
{
    static const char *const cols[] = {"Network", "NextHop", "LocPrf", "Weight", "Path", NULL};
    GPtrArray *routes = erdiag_rib_routes(l->rib[dir], FALSE);
    g_string_append(out, "<h3>");
    h(out, "%s / %s, %s (%u)", l->peering->name, l->label,
      dir == ERDIAG_CUST ? "received from on-prem" : "advertised by Microsoft", routes->len);
    g_string_append(out, "</h3>\n");
    if (routes->len) {
        g_string_append(out, "<table class=\"route-table\">\n");
        head_row(out, cols);
    }
    for (guint i = 0; i < routes->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(routes, i);
        char p[ERDIAG_PREFIX_STRLEN], nh[ERDIAG_ADDR_STRLEN] = "";
        erdiag_prefix_to_string(&rt->prefix, p);
        if (rt->next_hop.family)
            erdiag_addr_to_string(&rt->next_hop, nh);
        g_autofree char *lp = rt->has_local_pref ? g_strdup_printf("%u", rt->local_pref) : g_strdup("");
        g_autofree char *path = g_strconcat(rt->as_path ? rt->as_path : "",
                                            erdiag_route_is_echo(l, dir, rt) ? "  (echo: on-prem rejects it)" : "", NULL);
        row(out, p, nh, lp, "0", path, NULL);
    }
    if (routes->len)
        g_string_append(out, "</table>\n");
    g_ptr_array_unref(routes);
}

static void route_tables(GString *out, erdiag_engine *e)
{
    g_autoptr(GPtrArray) links = all_links(e);
    g_string_append(out, "<section id=\"routes\">\n<h2>Route tables</h2>\n");
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
        g_string_append(out, "<p class=\"none\">No session reached Established and no route was advertised.</p>\n");
    g_string_append(out, "</section>\n");
}

static void azure_section(GString *out, erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    static const char *const cols[] = {"Verdict", "Table", "Link", "Item", "Azure", "Capture", "Why", NULL};
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(e, ev);
    g_string_append(out, "<section id=\"azure\">\n<h2>Azure's view beside the capture</h2>\n");
    if (diffs->len == 0) {
        g_string_append(out, "<p class=\"none\">Azure's tables hold no rows.</p>\n</section>\n");
        return;
    }
    g_string_append(out, "<table id=\"azure-comparison\">\n");
    head_row(out, cols);
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        g_autofree char *link = g_strdup_printf("%s%s%s", d->peering ? d->peering : "-", d->link ? " / " : "",
                                                d->link ? d->link : "");
        g_string_append_printf(out, "<tr class=\"%s\" data-verdict=\"%s\"><td><span class=\"badge\">%s</span></td>",
                               d->verdict == ERDIAG_AZURE_AGREE ? "v-pass" : "v-warn",
                               erdiag_azure_verdict_name(d->verdict), erdiag_azure_verdict_name(d->verdict));
        const char *cells[] = {d->table, link, d->item, *d->azure ? d->azure : "-", *d->capture ? d->capture : "-",
                               d->explanation};
        for (guint k = 0; k < G_N_ELEMENTS(cells); k++) {
            g_string_append(out, "<td>");
            report_html_append(out, cells[k]);
            g_string_append(out, "</td>");
        }
        g_string_append(out, "</tr>\n");
    }
    g_string_append(out, "</table>\n</section>\n");
}

void report_html_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                         "<meta name=\"generator\" content=\"erdiag " ERDIAG_VERSION_STRING "\">\n"
                         "<title>ExpressRoute private peering report</title>\n<style>\n");
    g_string_append(out, css);
    g_string_append(out, "</style>\n</head>\n<body>\n");
    header(out, e, opt);
    checklist(out, e);
    picture(out, e);
    peerings_table(out, e);
    findings(out, e);
    arp_tables(out, e);
    session_summaries(out, e);
    route_tables(out, e);
    if (opt && opt->azure)
        azure_section(out, e, opt->azure);
    if (info->notes->len || info->truncated) {
        g_string_append(out, "<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        if (info->truncated)
            g_string_append(out, "<li>The capture ends mid-record: it was analysed as far as it goes.</li>\n");
        for (guint i = 0; i < info->notes->len; i++) {
            g_string_append(out, "<li>");
            report_html_append(out, g_ptr_array_index(info->notes, i));
            g_string_append(out, "</li>\n");
        }
        if (info->notes_dropped)
            g_string_append_printf(out, "<li>%" G_GUINT64_FORMAT " more notes</li>\n", info->notes_dropped);
        g_string_append(out, "</ul>\n</section>\n");
    }
    g_string_append(out, "<footer>Made by erdiag " ERDIAG_VERSION_STRING ". Frame numbers count from 1 across the "
                         "input files in the order given (for a single file, the numbers Wireshark shows)."
                         "</footer>\n</body>\n</html>\n");
}
