/* The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no external asset, nothing fetched) to attach to a support case, readable
 * on screen, on a phone and on paper. It renders the report model the
 * Markdown writer renders (report_model.h), plus the timeline picture. Every
 * value from the capture is escaped with g_markup_escape_text. */
#include <string.h>
#include "report_markup.h"
#include "report_model.h"

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
    ".v-blocked .badge{background:#eaeef2;color:#6e1a1a}\n"
    "td.v-fail{background:#fff5f5}td.v-warn{background:#fffdf0}td.v-blocked{background:#fafbfc}\n"
    ".detail{display:block;font-size:12.5px;color:var(--muted);margin-top:2px}\n"
    ".scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}\n"
    "dd,p{overflow-wrap:anywhere}\n"
    /* data tables scroll sideways in their wrapper rather than break an address in two */
    ".scroll table:not(#checklist) td{white-space:nowrap}.scroll table:not(#checklist) td:last-child"
    "{white-space:normal;min-width:14em}\n"
    "ul.why{margin:4px 0 0;padding-left:18px;font-size:12.5px}ul.why .frames{color:var(--muted)}\n"
    ".finding{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:4px;padding:8px 12px;"
    "margin:8px 0;break-inside:avoid}\n"
    ".finding.sev-error{border-left-color:var(--fail)}.finding.sev-warning{border-left-color:var(--warn)}"
    ".finding.sev-note{border-left-color:#0969da}\n"
    ".finding .head{font-weight:600}.finding .sev{text-transform:uppercase;font-size:12px;margin-right:6px}"
    ".finding .where{color:var(--muted);font-weight:400;margin-left:6px}.finding p{margin:4px 0}"
    ".finding .advice{color:#333}\n"
    ".none{color:var(--muted);font-style:italic}\n"
    "#timeline{display:block;width:100%;min-width:900px;height:auto;border:1px solid var(--line);background:#fff}\n"
    "#timeline .marker-dataplane path{fill:#0a7ea4}#timeline .marker-dataplane line{stroke:#0a7ea4;stroke-width:2}"
    "#timeline .band-label{font-size:11px;fill:#fff;font-weight:600;pointer-events:none}"
    "#timeline .capture-end{stroke:#57606a;stroke-width:1;stroke-dasharray:2 3}\n"
    "@media (max-width:640px){body{padding:10px 12px}h1{font-size:20px}h2{font-size:17px}"
    "dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:4px}#checklist td.check{width:auto}"
    "th,td{padding:3px 5px}}\n"
    "#timeline text{font:12px system-ui,sans-serif;fill:#1f2328}#timeline .lane-label{text-anchor:end;font-weight:600;"
    "font-size:12px}#timeline .lane-sub{text-anchor:end;fill:var(--muted)}"
    "#timeline .count-scale{text-anchor:end;fill:var(--muted);font-size:11px}\n"
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
    ".scroll{overflow:visible}#timeline{min-width:0}table,svg{break-inside:auto}tr,.finding{break-inside:avoid}thead{display:table-header-group}"
    "a{color:inherit;text-decoration:none}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "@page{margin:14mm}}\n";

char *report_html_escape(const char *text)
{
    return g_markup_escape_text(text ? text : "", -1);
}

void report_html_append(GString *out, const char *text)
{
    g_autofree char *esc = report_html_escape(text);
    g_string_append(out, esc);
}

/* Appends "<tag class="cls">escaped text</tag>". */
static void element(GString *out, const char *tag, const char *cls, const char *text)
{
    g_string_append_printf(out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    report_html_append(out, text);
    g_string_append_printf(out, "</%s>\n", tag);
}

static const char *verdict_class(report_verdict v)
{
    static const char *const cls[] = {"v-pass", "v-fail", "v-warn", "v-not-seen", "v-blocked"};
    return (guint)v < G_N_ELEMENTS(cls) ? cls[v] : "v-not-seen";
}

/* The finding's anchor: its place in report order, from 1. */
static guint finding_number(erdiag_engine *e, const erdiag_finding *f)
{
    guint idx = 0;
    return g_ptr_array_find(erdiag_engine_findings(e), f, &idx) ? idx + 1 : 0;
}

static void header(GString *out, const report_model *m)
{
    g_string_append(out, "<header>\n<h1>ExpressRoute private peering report</h1>\n<dl class=\"meta\">\n");
    for (guint i = 0; i + 1 < m->meta->len; i += 2) {
        element(out, "dt", NULL, g_ptr_array_index(m->meta, i));
        element(out, "dd", NULL, g_ptr_array_index(m->meta, i + 1));
    }
    g_string_append(out, "</dl>\n</header>\n<section id=\"summary\">\n");
    element(out, "p", m->tone == 2 ? "summary bad" : m->tone == 1 ? "summary" : "summary good", m->summary);
    g_string_append(out, "</section>\n");
}

/* "<li><a href="#finding-3"><code>arp.unanswered</code></a> error <span class="frames">frames 1, 2</span></li>" */
static void finding_ref(GString *out, erdiag_engine *e, const erdiag_finding *f)
{
    g_autofree char *frames = report_frames_short(f);
    /* the id may break after its dots on a phone, not inside a word */
    g_auto(GStrv) parts = g_strsplit(erdiag_finding_def_get(f->kind)->id, ".", -1);
    g_autofree char *id = g_strjoinv(".<wbr>", parts);
    g_string_append_printf(out, "<li><a href=\"#finding-%u\"><code>%s</code></a> %s", finding_number(e, f), id,
                           erdiag_severity_name(f->severity));
    if (*frames) {
        g_string_append_printf(out, " <span class=\"frames\">%s ", f->frame_count == 1 ? "frame" : "frames");
        report_html_append(out, frames);
        g_string_append(out, "</span>");
    }
    g_string_append(out, "</li>");
}

static void checklist_cell(GString *out, erdiag_engine *e, report_check c, const erdiag_link *l)
{
    report_verdict v = report_check_link(e, c, l);
    g_autofree char *link = g_strdup_printf("%s/%s", l->peering->name, l->label);
    g_autofree char *link_esc = report_html_escape(link);
    g_string_append_printf(out, "<td class=\"verdict %s\" data-check=\"%s\" data-link=\"%s\" data-verdict=\"%s\">"
                                "<span class=\"badge\">%s</span>",
                           verdict_class(v), report_check_key(c), link_esc, report_verdict_name(v),
                           report_verdict_name(v));
    g_autofree char *detail = report_check_detail(e, c, l);
    if (detail) {
        g_string_append(out, "<span class=\"detail\">");
        report_html_append(out, detail);
        g_string_append(out, "</span>");
    }
    g_autoptr(GPtrArray) fs = report_check_findings(e, c, l);
    if (fs->len)
        g_string_append(out, "<ul class=\"why\">");
    for (guint i = 0; i < fs->len; i++)
        finding_ref(out, e, g_ptr_array_index(fs, i));
    if (fs->len)
        g_string_append(out, "</ul>");
    g_string_append(out, "</td>");
}

static void checklist(GString *out, erdiag_engine *e, const report_model *m)
{
    g_string_append(out, "<section id=\"verification\">\n<h2>Verification checklist</h2>\n<div class=\"scroll\">\n"
                         "<table id=\"checklist\">\n<thead><tr><th>Check</th>");
    for (guint i = 0; i < m->links->len; i++) {
        g_autofree char *name = report_link_name(g_ptr_array_index(m->links, i));
        element(out, "th", NULL, name);
    }
    g_string_append(out, "</tr></thead>\n<tbody>\n");
    for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
        g_string_append_printf(out, "<tr data-check=\"%s\"><td class=\"check\">%s. ", report_check_key(c),
                               report_check_number(c));
        report_html_append(out, report_check_title(c));
        g_string_append(out, "</td>");
        for (guint i = 0; i < m->links->len; i++)
            checklist_cell(out, e, c, g_ptr_array_index(m->links, i));
        g_string_append(out, "</tr>\n");
    }
    g_string_append(out, "</tbody>\n</table>\n</div>\n");
    if (m->links->len == 0)
        g_string_append(out, "<p class=\"none\">No peering link in the capture: nothing to check.</p>\n");
    g_autoptr(GPtrArray) wide = report_capture_findings(e);
    if (wide->len) {
        g_string_append(out, "<p class=\"capture-wide\">On no link (the capture as a whole):</p>\n<ul class=\"why\">");
        for (guint i = 0; i < wide->len; i++)
            finding_ref(out, e, g_ptr_array_index(wide, i));
        g_string_append(out, "</ul>\n");
    }
    g_string_append(out, "</section>\n");
}

static void picture(GString *out, erdiag_engine *e)
{
    g_string_append(out, "<section id=\"picture\">\n<h2>Timeline</h2>\n<div class=\"scroll\">\n");
    report_svg_timeline(e, out);
    g_string_append(out, "</div>\n</section>\n");
}

static void finding_html(GString *out, erdiag_engine *e, const erdiag_finding *f)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    const char *sev = erdiag_severity_name(f->severity);
    g_string_append_printf(out, "<article class=\"finding sev-%s\" id=\"finding-%u\" data-id=\"%s\" data-severity=\"%s\">"
                                "\n<div class=\"head\"><span class=\"sev\">%s</span><code>%s</code>",
                           sev, finding_number(e, f), d->id, sev, sev, d->id);
    if (f->peering || f->link) {
        g_autofree char *where = g_strdup_printf("%s%s%s", f->peering ? f->peering : "", f->link ? " / " : "",
                                                 f->link ? f->link : "");
        g_string_append(out, "<span class=\"where\">");
        report_html_append(out, where);
        g_string_append(out, "</span>");
    }
    g_string_append(out, "</div>\n");
    element(out, "p", "message", f->message);
    g_autofree char *frames = report_frames(f);
    if (*frames) {
        g_string_append_printf(out, "<p class=\"frames\"><b>%s</b> ", f->frame_count == 1 ? "Frame:" : "Frames:");
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

static void table(GString *out, const rm_block *b)
{
    g_string_append(out, "<div class=\"scroll\">\n<table");
    if (b->id)
        g_string_append_printf(out, " id=\"%s\"", b->id);
    if (b->cls)
        g_string_append_printf(out, " class=\"%s\"", b->cls);
    g_string_append(out, ">\n<thead><tr>");
    for (const char *const *c = b->cols; *c; c++) {
        g_string_append(out, "<th>");
        report_html_append(out, *c);
        g_string_append(out, "</th>");
    }
    g_string_append(out, "</tr></thead>\n");
    for (guint i = 0, n = rm_block_n_rows(b); i < n; i++) {
        rm_row *r = rm_block_row(b, i);
        g_string_append(out, "<tr");
        if (r->verdict) {
            g_autofree char *v = report_html_escape(r->verdict);
            g_string_append_printf(out, " class=\"%s\" data-verdict=\"%s\"", r->good ? "v-pass" : "v-warn", v);
        }
        g_string_append_c(out, '>');
        for (char **c = r->cells; *c; c++) {
            g_string_append(out, "<td>");
            if (r->verdict && c == r->cells)
                g_string_append(out, "<span class=\"badge\">");
            report_html_append(out, *c);
            if (r->verdict && c == r->cells)
                g_string_append(out, "</span>");
            g_string_append(out, "</td>");
        }
        g_string_append(out, "</tr>\n");
        rm_row_release(b, r);
    }
    g_string_append(out, "</table>\n</div>\n");
}

static void sections(GString *out, erdiag_engine *e, const report_model *m)
{
    for (guint s = 0; s < m->sections->len; s++) {
        const rm_section *sec = g_ptr_array_index(m->sections, s);
        g_string_append_printf(out, "<section id=\"%s\">\n", sec->id);
        element(out, "h2", NULL, sec->title);
        for (guint i = 0; i < sec->blocks->len; i++) {
            const rm_block *b = g_ptr_array_index(sec->blocks, i);
            switch (b->kind) {
            case RM_HEADING: element(out, "h3", NULL, b->text); break;
            case RM_NONE: element(out, "p", "none", b->text); break;
            case RM_TABLE: table(out, b); break;
            case RM_FINDING: finding_html(out, e, b->finding); break;
            }
        }
        g_string_append(out, "</section>\n");
    }
    if (m->notes->len) {
        g_string_append(out, "<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        for (guint i = 0; i < m->notes->len; i++)
            element(out, "li", NULL, g_ptr_array_index(m->notes, i));
        g_string_append(out, "</ul>\n</section>\n");
    }
}

void report_html_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    g_autoptr(report_model) m = report_model_new(e, opt);
    g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                         "<meta name=\"generator\" content=\"erdiag " ERDIAG_VERSION_STRING "\">\n"
                         "<title>ExpressRoute private peering report</title>\n<style>\n");
    g_string_append(out, css);
    g_string_append(out, "</style>\n</head>\n<body>\n");
    header(out, m);
    checklist(out, e, m);
    picture(out, e);
    sections(out, e, m);
    g_string_append(out, "<footer>Made by erdiag " ERDIAG_VERSION_STRING ". Frame numbers count from 1 across the "
                         "input files in the order given (for a single file, the numbers Wireshark shows)."
                         "</footer>\n</body>\n</html>\n");
}
