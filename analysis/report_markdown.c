/* The Markdown report: what a support case or a ticket system renders. It
 * renders the report model (report_model.h) the HTML writer renders too:
 * summary, checklist, then the model's sections. Every value from the capture
 * is escaped. */
#include <string.h>
#include "report_markup.h"
#include "report_model.h"

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

/* Appends escaped text. */
static void md(GString *out, const char *text)
{
    g_autofree char *esc = report_md_escape(text);
    g_string_append(out, esc);
}

static const char *verdict_mark(report_verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "✅ **pass**";
    case VERDICT_FAIL: return "❌ **fail**";
    case VERDICT_WARN: return "⚠️ **warn**";
    case VERDICT_BLOCKED: return "⛔ **blocked**";
    default: return "➖ not in capture";
    }
}

static const char *sev_mark(erdiag_severity s)
{
    static const char *const marks[] = {"ℹ️ info", "📝 note", "⚠️ warning", "❌ error"};
    return (guint)s < G_N_ELEMENTS(marks) ? marks[s] : "?";
}

static void header(GString *out, const report_model *m)
{
    g_string_append(out, "# ExpressRoute private peering report\n\n");
    for (guint i = 0; i + 1 < m->meta->len; i += 2) {
        g_string_append(out, "- **");
        md(out, g_ptr_array_index(m->meta, i));
        g_string_append(out, ":** ");
        md(out, g_ptr_array_index(m->meta, i + 1));
        g_string_append_c(out, '\n');
    }
    g_string_append(out, "\n**Summary.** ");
    md(out, m->summary);
    g_string_append(out, "\n");
}

/* "`arp.unanswered` error (frames 3, 5)" */
static void finding_ref(GString *out, const erdiag_finding *f)
{
    g_autofree char *frames = report_frames_short(f);
    g_string_append_printf(out, "`%s` %s", erdiag_finding_def_get(f->kind)->id, erdiag_severity_name(f->severity));
    if (*frames) {
        g_string_append(out, f->frame_count == 1 ? " (frame " : " (frames ");
        md(out, frames);
        g_string_append_c(out, ')');
    }
}

/* "❌ **fail**: `arp.unanswered` error (frames 3, 5)" or "⛔ **blocked**: Idle: not attempted ..." */
static void checklist_cell(GString *out, erdiag_engine *e, report_check c, const erdiag_link *l)
{
    g_string_append(out, verdict_mark(report_check_link(e, c, l)));
    g_autoptr(GPtrArray) fs = report_check_findings(e, c, l);
    g_autofree char *detail = report_check_detail(e, c, l);
    if (detail) {
        g_string_append(out, ": ");
        md(out, detail);
    }
    for (guint i = 0; i < fs->len; i++) {
        g_string_append(out, i || detail ? ", " : ": ");
        finding_ref(out, g_ptr_array_index(fs, i));
    }
}

static void checklist(GString *out, erdiag_engine *e, const report_model *m)
{
    g_string_append(out, "\n## Verification checklist\n\n");
    if (m->links->len == 0)
        g_string_append(out, "No peering link in the capture: nothing to check.\n");
    else {
        g_string_append(out, "The findings' steps in order, per link; each verdict names the findings and frames "
                             "behind it.\n\n| Step | Check |");
        for (guint i = 0; i < m->links->len; i++) {
            g_autofree char *name = report_link_name(g_ptr_array_index(m->links, i));
            g_string_append_c(out, ' ');
            md(out, name);
            g_string_append(out, " |");
        }
        g_string_append(out, "\n|---|---|");
        for (guint i = 0; i < m->links->len; i++)
            g_string_append(out, "---|");
        g_string_append_c(out, '\n');
        for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
            g_string_append_printf(out, "| %s | ", report_check_number(c));
            md(out, report_check_title(c));
            g_string_append(out, " |");
            for (guint i = 0; i < m->links->len; i++) {
                g_string_append_c(out, ' ');
                checklist_cell(out, e, c, g_ptr_array_index(m->links, i));
                g_string_append(out, " |");
            }
            g_string_append_c(out, '\n');
        }
    }
    g_autoptr(GPtrArray) wide = report_capture_findings(e);
    if (wide->len) {
        g_string_append(out, "\nOn no link (the capture as a whole):");
        for (guint i = 0; i < wide->len; i++) {
            g_string_append(out, i ? ", " : " ");
            finding_ref(out, g_ptr_array_index(wide, i));
        }
        g_string_append(out, ".\n");
    }
}

static void finding_md(GString *out, const erdiag_finding *f)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    g_string_append_printf(out, "\n- %s `%s`", sev_mark(f->severity), d->id);
    if (f->peering || f->link) {
        g_autofree char *where = g_strdup_printf("%s%s%s", f->peering ? f->peering : "", f->link ? " / " : "",
                                                 f->link ? f->link : "");
        g_string_append(out, " — ");
        md(out, where);
    }
    g_string_append(out, "  \n  ");
    md(out, f->message);
    g_autofree char *frames = report_frames(f);
    if (*frames) {
        g_string_append(out, f->frame_count == 1 ? "  \n  *Frame:* " : "  \n  *Frames:* ");
        md(out, frames);
    }
    if (f->advice && *f->advice) {
        g_string_append(out, "  \n  *Advice:* ");
        md(out, f->advice);
    }
    g_string_append_c(out, '\n');
}

static void md_cells(GString *out, const char *const *cells)
{
    g_string_append_c(out, '|');
    for (; *cells; cells++) {
        g_string_append_c(out, ' ');
        md(out, *cells);
        g_string_append(out, " |");
    }
    g_string_append_c(out, '\n');
}

static void table(GString *out, const rm_block *b)
{
    g_string_append_c(out, '\n');
    md_cells(out, b->cols);
    g_string_append_c(out, '|');
    for (const char *const *c = b->cols; *c; c++)
        g_string_append(out, "---|");
    g_string_append_c(out, '\n');
    for (guint i = 0, n = rm_block_n_rows(b); i < n; i++) {
        rm_row *r = rm_block_row(b, i);
        md_cells(out, (const char *const *)r->cells);
        rm_row_release(b, r);
    }
}

static void sections(GString *out, const report_model *m)
{
    for (guint s = 0; s < m->sections->len; s++) {
        const rm_section *sec = g_ptr_array_index(m->sections, s);
        g_string_append(out, "\n## ");
        md(out, sec->title);
        g_string_append_c(out, '\n');
        for (guint i = 0; i < sec->blocks->len; i++) {
            const rm_block *b = g_ptr_array_index(sec->blocks, i);
            switch (b->kind) {
            case RM_HEADING:
                g_string_append(out, "\n### ");
                md(out, b->text);
                g_string_append_c(out, '\n');
                break;
            case RM_NONE:
                g_string_append_c(out, '\n');
                md(out, b->text);
                g_string_append_c(out, '\n');
                break;
            case RM_TABLE: table(out, b); break;
            case RM_FINDING: finding_md(out, b->finding); break;
            }
        }
    }
    if (m->notes->len) {
        g_string_append(out, "\n## Notes\n\n");
        for (guint i = 0; i < m->notes->len; i++) {
            g_string_append(out, "- ");
            md(out, g_ptr_array_index(m->notes, i));
            g_string_append_c(out, '\n');
        }
    }
}

void report_markdown_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    g_autoptr(report_model) m = report_model_new(e, opt);
    header(out, m);
    checklist(out, e, m);
    sections(out, m);
}
