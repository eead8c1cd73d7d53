/* The Markdown and HTML reports of every bundled capture, with and without
 * its peering.ini: the summary comes first, the checklist carries the same
 * verdict per check and link as the JSON report and names the findings
 * behind it, each verdict agrees with those findings (FAIL iff an error,
 * WARN iff warnings only) and with the session's state, every finding and
 * table is there, the HTML is self-contained and its timeline picture shows
 * what the capture holds; the text checklist fits its width. Plus escaping
 * of hostile names in both formats. */
#include <string.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include "unit/capture_run.h"
#include "report_markup.h"
#include "report_util.h"

typedef struct {
    char *dir;
    gboolean with_config;
} variant;

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The JSON report's checklist: "peering/link/check" -> verdict. */
static GHashTable *json_checklist(JsonObject *root)
{
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    JsonArray *peerings = json_object_get_array_member(root, "peerings");
    for (guint p = 0; p < json_array_get_length(peerings); p++) {
        JsonObject *pe = json_array_get_object_element(peerings, p);
        JsonArray *links = json_object_get_array_member(pe, "links");
        for (guint i = 0; i < json_array_get_length(links); i++) {
            JsonObject *l = json_array_get_object_element(links, i);
            JsonObject *cl = json_object_get_object_member(l, "checklist");
            for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++)
                g_hash_table_insert(h, g_strdup_printf("%s/%s/%s", json_object_get_string_member(pe, "name"),
                                                       json_object_get_string_member(l, "link"), report_check_key(c)),
                                    g_strdup(json_object_get_string_member(cl, report_check_key(c))));
        }
    }
    return h;
}

/* HTML: every <td ... data-check="K" data-link="P/L" data-verdict="V"> agrees with the JSON. */
static void check_html_checklist(const char *html, GHashTable *want)
{
    g_autoptr(GRegex) re = g_regex_new("<td class=\"verdict [^\"]*\" data-check=\"([a-z_]+)\" data-link=\"([^\"]+)\" "
                                       "data-verdict=\"([^\"]+)\">", 0, 0, NULL);
    g_autoptr(GMatchInfo) m = NULL;
    guint seen = 0;
    const char *table = strstr(html, "<table id=\"checklist\">");
    g_assert_nonnull(table);
    for (g_regex_match(re, table, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
        g_autofree char *check = g_match_info_fetch(m, 1), *link = g_match_info_fetch(m, 2),
                        *verdict = g_match_info_fetch(m, 3);
        g_autofree char *key = g_strdup_printf("%s/%s", link, check);
        const char *exp = g_hash_table_lookup(want, key);
        if (g_strcmp0(exp, verdict) != 0)
            g_error("HTML checklist %s: %s, JSON says %s", key, verdict, exp);
        seen++;
    }
    g_assert_cmpuint(seen, ==, g_hash_table_size(want));
}

/* Splits a Markdown table row on the pipes that are not escaped. */
static GPtrArray *md_cells(const char *line)
{
    GPtrArray *cells = g_ptr_array_new_with_free_func(g_free);
    GString *cur = NULL;
    for (const char *p = line; *p; p++) {
        if (*p == '\\' && p[1]) {
            if (cur)
                g_string_append_len(cur, p, 2);
            p++;
        } else if (*p == '|') {
            if (cur)
                g_ptr_array_add(cells, g_strstrip(g_string_free(cur, FALSE)));
            cur = g_string_new(NULL);
        } else if (cur) {
            g_string_append_c(cur, *p);
        }
    }
    if (cur)
        g_string_free(cur, TRUE);
    return cells;
}

static const char *md_verdict(const char *cell)
{
    if (strstr(cell, "**pass**"))
        return "pass";
    if (strstr(cell, "**fail**"))
        return "fail";
    if (strstr(cell, "**warn**"))
        return "warn";
    if (strstr(cell, "not in capture"))
        return "not in capture";
    if (strstr(cell, "**blocked**"))
        return "blocked";
    return "?";
}

/* Markdown: the checklist table, one row per check in the article's order. */
static void check_md_checklist(const char *md, GHashTable *want, JsonObject *root)
{
    const char *sec = strstr(md, "## Verification checklist");
    g_assert_nonnull(sec);
    g_auto(GStrv) lines = g_strsplit(sec, "\n", -1);
    /* the column headers, "peering / link", in the JSON's link order */
    GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
    JsonArray *peerings = json_object_get_array_member(root, "peerings");
    for (guint p = 0; p < json_array_get_length(peerings); p++) {
        JsonObject *pe = json_array_get_object_element(peerings, p);
        JsonArray *links = json_object_get_array_member(pe, "links");
        for (guint i = 0; i < json_array_get_length(links); i++)
            g_ptr_array_add(cols, g_strdup_printf("%s/%s", json_object_get_string_member(pe, "name"),
                                                  json_object_get_string_member(json_array_get_object_element(links, i), "link")));
    }
    guint rows = 0;
    for (char **l = lines; *l && !g_str_has_prefix(*l, "## Peerings"); l++) {
        if (!g_str_has_prefix(*l, "| ") || !g_ascii_isdigit((*l)[2]))
            continue;
        g_autoptr(GPtrArray) cells = md_cells(*l);
        g_assert_cmpuint(cells->len, ==, 2 + cols->len);
        report_check c = (report_check)rows;
        g_assert_cmpstr(g_ptr_array_index(cells, 0), ==, report_check_number(c));
        g_assert_cmpstr(g_ptr_array_index(cells, 1), ==, report_check_title(c));
        for (guint i = 0; i < cols->len; i++) {
            g_autofree char *key = g_strdup_printf("%s/%s", (char *)g_ptr_array_index(cols, i), report_check_key(c));
            const char *got = md_verdict(g_ptr_array_index(cells, 2 + i));
            if (g_strcmp0(g_hash_table_lookup(want, key), got) != 0)
                g_error("Markdown checklist %s: %s, JSON says %s", key, got, (char *)g_hash_table_lookup(want, key));
        }
        rows++;
    }
    g_assert_cmpuint(rows, ==, cols->len ? CHECK_COUNT : 0);
    g_ptr_array_unref(cols);
}

/* The verdicts agree with the findings behind them and with the session:
 * FAIL iff an error, WARN iff warnings only; a cell's findings are of its
 * step (so "1 Peering settings: fail" always has a finding under "Step 1");
 * every finding on a peering stands behind some cell of it; routes are not
 * "pass" on a link whose session went down; BGP behind a failing ARP is
 * "blocked" as not attempted, not "not in capture". */
static void check_verdict_rules(erdiag_engine *e)
{
    g_autoptr(GHashTable) behind = g_hash_table_new(NULL, NULL);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
                report_verdict v = report_check_link(e, c, l);
                g_autoptr(GPtrArray) fs = report_check_findings(e, c, l);
                int worst = -1;
                for (guint k = 0; k < fs->len; k++) {
                    const erdiag_finding *f = g_ptr_array_index(fs, k);
                    worst = MAX(worst, (int)f->severity);
                    g_assert_cmpstr(f->peering, ==, pe->name);
                    if (!(c == CHECK_SOURCE_COVERED && f->kind == ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE))
                        g_assert_cmpint(erdiag_finding_def_get(f->kind)->step, ==, report_check_step(c));
                    g_hash_table_add(behind, (gpointer)f);
                }
                if ((v == VERDICT_FAIL) != (worst == ERDIAG_SEV_ERROR))
                    g_error("%s/%s %s: %s with worst finding severity %d", pe->name, l->label, report_check_key(c),
                            report_verdict_name(v), worst);
                if ((v == VERDICT_WARN) != (worst == ERDIAG_SEV_WARNING))
                    g_error("%s/%s %s: %s with worst finding severity %d", pe->name, l->label, report_check_key(c),
                            report_verdict_name(v), worst);
                g_autofree char *detail = report_check_detail(e, c, l);
                if (v == VERDICT_BLOCKED)
                    g_assert_nonnull(detail);
                gboolean lost = l->bgp.ever_established && l->bgp.state != ERDIAG_BGPS_ESTABLISHED;
                if (lost && (c == CHECK_ROUTES_ONPREM || c == CHECK_ROUTES_AZURE)) {
                    g_assert_cmpint(v, !=, VERDICT_PASS);
                    if (v == VERDICT_BLOCKED)
                        g_assert_true(strstr(detail, "lost with the session") || strstr(detail, "none received"));
                }
                if (c == CHECK_BGP && !l->bgp.seen && report_check_link(e, CHECK_ARP, l) == VERDICT_FAIL) {
                    g_assert_cmpint(v, ==, VERDICT_BLOCKED);
                    g_assert_nonnull(strstr(detail, "Idle: not attempted"));
                }
            }
        }
    }
    /* nothing on a peering is left out of its checklist; capture-wide findings are listed under it */
    GPtrArray *all = erdiag_engine_findings(e);
    g_autoptr(GPtrArray) wide = report_capture_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        gboolean on_known_link = f->peering != NULL;
        if (!f->peering) {
            g_assert_true(g_ptr_array_find(wide, f, NULL));
            continue;
        }
        if (on_known_link && !g_hash_table_contains(behind, f))
            g_error("%s (%s/%s) stands behind no checklist cell", erdiag_finding_def_get(f->kind)->id, f->peering,
                    f->link ? f->link : "-");
    }
}

/* The text checklist stays within the width, whatever the number of links. */
static void check_text_width(erdiag_engine *e)
{
    static const guint widths[] = {80, 60};
    for (guint w = 0; w < G_N_ELEMENTS(widths); w++) {
        erdiag_report_options opt = {.format = ERDIAG_FORMAT_TEXT, .width = widths[w]};
        g_autoptr(GString) out = g_string_new(NULL);
        erdiag_report_write(e, &opt, out);
        const char *from = strstr(out->str, "== Checklist"), *to = strstr(out->str, "== Step 1");
        g_assert_nonnull(from);
        g_assert_nonnull(to);
        g_autofree char *sec = g_strndup(from, to - from);
        g_auto(GStrv) lines = g_strsplit(sec, "\n", -1);
        for (char **l = lines; *l; l++)
            if (g_utf8_strlen(*l, -1) > (glong)widths[w])
                g_error("text checklist line wider than %u: \"%s\"", widths[w], *l);
    }
}

/* Wording: counts agree with their nouns; Azure's "Incomplete" only where
 * ARP was asked and not answered; an older session's UpDown is a lower bound;
 * no "unknown" actor. */
static void check_wording(erdiag_engine *e, const char *md, const char *html)
{
    g_autoptr(GRegex) plural_one = g_regex_new("[^0-9.,:]1 (prefixes|frames|errors|warnings|notes)\\b", 0, 0, NULL);
    g_assert_false(g_regex_match(plural_one, md, 0, NULL));
    g_assert_false(g_regex_match(plural_one, html, 0, NULL));
    g_autoptr(GRegex) frames_one = g_regex_new("frames [0-9]+[)<]", 0, 0, NULL);
    g_assert_false(g_regex_match(frames_one, md, 0, NULL));
    g_assert_false(g_regex_match(frames_one, html, 0, NULL));
    g_assert_null(strstr(md, "| unknown |"));
    g_assert_null(strstr(html, "<td>unknown</td>"));
    gboolean incomplete = FALSE, partial_up = FALSE;
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            for (int s = 0; s < 2; s++)
                incomplete |= l->seen && !l->arp[s].resolved && l->arp[s].requests_for > 0;
            partial_up |= l->routes_partial && l->bgp.state == ERDIAG_BGPS_ESTABLISHED;
        }
    }
    g_assert_cmpint(incomplete, ==, strstr(md, "| Incomplete |") != NULL);
    g_assert_cmpint(partial_up, ==, strstr(md, "| \u2265 ") != NULL);
}

static void test_capture(gconstpointer data)
{
    const variant *v = data;
    g_autofree char *cap = capture_run_file(v->dir);
    g_autofree char *ini = g_build_filename(v->dir, "peering.ini", NULL);
    erdiag_config *cfg = NULL;
    if (v->with_config) {
        if (!g_file_test(ini, G_FILE_TEST_EXISTS)) {
            g_test_skip("no peering.ini");
            return;
        }
        g_autoptr(GError) err = NULL;
        cfg = erdiag_config_load_file(ini, NULL, &err);
        g_assert_no_error(err);
    }
    erdiag_engine *e = capture_run(cap, cfg);
    g_assert_nonnull(e);
    g_autofree char *json = capture_run_report(e, ERDIAG_FORMAT_JSON, FALSE, NULL);
    g_autofree char *md = capture_run_report(e, ERDIAG_FORMAT_MARKDOWN, FALSE, NULL);
    g_autofree char *html = capture_run_report(e, ERDIAG_FORMAT_HTML, FALSE, NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(parser));
    g_autoptr(GHashTable) want = json_checklist(root);

    /* the summary first, then the checklist */
    g_autofree char *sum_md = report_md_escape(json_object_get_string_member(root, "summary"));
    g_autofree char *sum_html = report_html_escape(json_object_get_string_member(root, "summary"));
    const char *s_md = strstr(md, sum_md), *s_html = strstr(html, sum_html);
    g_assert_nonnull(s_md);
    g_assert_nonnull(s_html);
    g_assert_true(s_md < strstr(md, "## Verification checklist"));
    g_assert_true(s_html < strstr(html, "id=\"checklist\""));
    g_assert_true(strstr(md, "## Verification checklist") < strstr(md, "## Findings"));

    check_html_checklist(html, want);
    check_md_checklist(md, want, root);
    check_verdict_rules(e);
    check_text_width(e);
    check_wording(e, md, html);

    /* every finding, with its id, in both */
    JsonArray *findings = json_object_get_array_member(root, "findings");
    g_assert_cmpint(count(html, "<article class=\"finding "), ==, (int)json_array_get_length(findings));
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonObject *f = json_array_get_object_element(findings, i);
        g_autofree char *md_id = g_strdup_printf("`%s`", json_object_get_string_member(f, "id"));
        g_autofree char *html_id = g_strdup_printf("data-id=\"%s\"", json_object_get_string_member(f, "id"));
        g_assert_nonnull(strstr(md, md_id));
        g_assert_nonnull(strstr(html, html_id));
    }
    /* the tables, with Azure's column names */
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    gboolean any_link = erdiag_engine_peerings(e)->len > 0;
    if (any_link) {
        gboolean seen = FALSE;
        for (guint p = 0; p < erdiag_engine_peerings(e)->len; p++) {
            const erdiag_peering *pe = g_ptr_array_index(erdiag_engine_peerings(e), p);
            for (guint i = 0; i < pe->links->len; i++)
                seen |= ((erdiag_link *)g_ptr_array_index(pe->links, i))->seen;
        }
        if (seen) {
            g_assert_nonnull(strstr(md, "| Age | Interface | IpAddress | MacAddress |"));
            g_assert_nonnull(strstr(html, "<th>Age</th><th>Interface</th><th>IpAddress</th><th>MacAddress</th>"));
        }
        g_assert_nonnull(strstr(md, "| Peering | Path | Neighbor | V | AS | UpDown | StatePfxRcd |"));
        g_assert_nonnull(strstr(html, "<th>Neighbor</th><th>V</th><th>AS</th><th>UpDown</th><th>StatePfxRcd</th>"));
    }
    if (strstr(json, "\"network\""))
        g_assert_nonnull(strstr(md, "| Network | NextHop | LocPrf | Weight | Path |"));
    (void)info;

    /* self-contained, printable HTML */
    g_assert_true(g_str_has_prefix(html, "<!DOCTYPE html>"));
    g_assert_nonnull(strstr(html, "@media print"));
    g_assert_null(strstr(html, "<script"));
    g_assert_null(strstr(html, "<link"));
    g_assert_null(strstr(html, " src="));
    g_assert_null(strstr(html, "url("));
    g_assert_cmpint(count(html, "http"), ==, count(html, "http://www.w3.org/2000/svg"));

    /* the picture shows what the capture holds */
    g_assert_nonnull(strstr(html, "<svg id=\"timeline\""));
    g_assert_nonnull(strstr(html, "seconds from capture start"));
    gboolean arp_marker = FALSE, notification = FALSE, established = FALSE, counts = FALSE, dataplane = FALSE;
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonObject *f = json_array_get_object_element(findings, i);
        const char *id = json_object_get_string_member(f, "id");
        gboolean timed = !json_object_get_null_member(f, "first_time") && json_object_get_string_member(f, "link");
        arp_marker |= timed && strcmp(id, "arp.unanswered") == 0;
        notification |= timed && strcmp(id, "bgp.notification") == 0;
        dataplane |= timed && g_str_has_prefix(id, "dataplane.");
    }
    g_assert_cmpint(dataplane, ==, strstr(html, "<g class=\"marker-dataplane\"><line") != NULL);
    /* the state at the capture's end shows: every lane's last band is wider than the axis' run-on past the end */
    g_autoptr(GRegex) last_band = g_regex_new("<rect class=\"band [^\"]+\" x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\""
                                              "[^\n]*\n(<text class=\"band-label\"[^\n]*\n)?<line class=\"count-base\"",
                                              0, 0, NULL);
    g_autoptr(GMatchInfo) lb = NULL;
    for (g_regex_match(last_band, html, 0, &lb); g_match_info_matches(lb); g_match_info_next(lb, NULL)) {
        g_autofree char *w = g_match_info_fetch(lb, 1);
        g_assert_cmpfloat(g_ascii_strtod(w, NULL), >=, 40.0);
    }
    JsonArray *peerings = json_object_get_array_member(root, "peerings");
    for (guint p = 0; p < json_array_get_length(peerings); p++) {
        JsonArray *links = json_object_get_array_member(json_array_get_object_element(peerings, p), "links");
        for (guint i = 0; i < json_array_get_length(links); i++) {
            JsonObject *l = json_array_get_object_element(links, i);
            JsonObject *bgp = json_object_get_object_member(l, "bgp");
            established |= json_object_get_boolean_member(bgp, "ever_established");
            counts |= json_array_get_length(json_object_get_array_member(l, "prefix_counts")) > 0;
            JsonArray *tl = json_object_get_array_member(bgp, "timeline");
            for (guint k = 0; k < json_array_get_length(tl); k++)
                notification |= strstr(json_object_get_string_member(json_array_get_object_element(tl, k), "text"),
                                       "NOTIFICATION") != NULL;
        }
    }
    g_assert_cmpint(arp_marker, ==, strstr(html, "<g class=\"marker-arp\"><line") != NULL);
    g_assert_cmpint(notification, ==, strstr(html, "<g class=\"marker-notification\"><line") != NULL);
    /* one is the legend's swatch: a lane's band is a second one */
    g_assert_cmpint(established, ==, count(html, "class=\"band s-established\" x=") > 1);
    g_assert_cmpint(counts, ==, strstr(html, "<polyline class=\"pfx-onprem\"") != NULL);
    g_assert_cmpint(count(html, "<g class=\"lane\""), ==, (int)g_hash_table_size(want) / CHECK_COUNT);

    erdiag_engine_free(e);
    erdiag_config_free(cfg);
}

/* A hostile peering name in both formats: entities in HTML, no stray pipe or
 * tag in Markdown tables. */
static void test_escaping(void)
{
    const char *ini = "[peering a<b>|c&d*_`x\"]\nvlan = 100\nprimary-subnet = 192.168.15.16/30\n";
    g_autoptr(GError) err = NULL;
    erdiag_config *cfg = erdiag_config_load_data(ini, strlen(ini), "hostile.ini", NULL, &err);
    g_assert_no_error(err);
    erdiag_engine *e = erdiag_engine_new(cfg);
    erdiag_engine_finish(e);
    g_assert_cmpuint(erdiag_engine_peerings(e)->len, ==, 1);
    g_autofree char *html = capture_run_report(e, ERDIAG_FORMAT_HTML, FALSE, NULL);
    g_autofree char *md = capture_run_report(e, ERDIAG_FORMAT_MARKDOWN, FALSE, NULL);
    g_assert_null(strstr(html, "a<b>"));
    g_assert_nonnull(strstr(html, "a&lt;b&gt;|c&amp;d*_`x&quot;"));
    g_assert_null(strstr(md, "a<b>"));
    g_assert_nonnull(strstr(md, "a\\<b>\\|c&d\\*\\_\\`x\""));
    /* every checklist row still has its 3 cells */
    const char *sec = strstr(md, "## Verification checklist");
    g_auto(GStrv) lines = g_strsplit(sec, "\n", -1);
    guint rows = 0;
    for (char **l = lines; *l && !g_str_has_prefix(*l, "## Peerings"); l++)
        if (g_str_has_prefix(*l, "| ")) {
            g_autoptr(GPtrArray) cells = md_cells(*l);
            g_assert_cmpuint(cells->len, ==, 3);
            rows++;
        }
    g_assert_cmpuint(rows, ==, 1 + CHECK_COUNT);
    /* ampersands and quotes by GLib's rules */
    g_autofree char *esc = report_html_escape("a&b<'\"");
    g_assert_cmpstr(esc, ==, "a&amp;b&lt;&apos;&quot;");
    erdiag_engine_free(e);
    erdiag_config_free(cfg);
}

static void test_no_capture_traffic(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    erdiag_engine_finish(e);
    g_autofree char *html = capture_run_report(e, ERDIAG_FORMAT_HTML, FALSE, NULL);
    g_autofree char *md = capture_run_report(e, ERDIAG_FORMAT_MARKDOWN, FALSE, NULL);
    g_assert_nonnull(strstr(html, "<table id=\"checklist\">"));
    g_assert_nonnull(strstr(html, "<svg id=\"timeline\""));
    g_assert_nonnull(strstr(html, "No ExpressRoute peering traffic"));
    g_assert_nonnull(strstr(md, "No peering link in the capture"));
    erdiag_engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/markup/escaping", test_escaping);
    g_test_add_func("/markup/empty", test_no_capture_traffic);
    g_autoptr(GPtrArray) dirs = capture_run_dirs();
    GPtrArray *variants = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < dirs->len; i++) {
        for (int cfg = 1; cfg >= 0; cfg--) {
            variant *v = g_new0(variant, 1);
            v->dir = g_ptr_array_index(dirs, i);
            v->with_config = cfg;
            g_ptr_array_add(variants, v);
            g_autofree char *base = g_path_get_basename(v->dir);
            g_autofree char *name = g_strdup_printf("/markup/%s/%s", base, cfg ? "config" : "zero-config");
            g_test_add_data_func(name, v, test_capture);
        }
    }
    int rc = g_test_run();
    g_ptr_array_unref(variants);
    return rc;
}
