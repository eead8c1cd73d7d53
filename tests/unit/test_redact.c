/* --redact: for every bundled capture and every format, no customer MAC, no
 * on-prem address or prefix, no configured peering name and no file name is
 * left in the report, the findings (ids, links, severities) are unchanged,
 * tokens are the same across formats, and Azure's side stays readable. Plus
 * the token rules on text built for them. */
#include <string.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include "unit/capture_run.h"
#include "redact.h"
#include "rib.h"

static const erdiag_format formats[] = {ERDIAG_FORMAT_TEXT, ERDIAG_FORMAT_JSON, ERDIAG_FORMAT_MARKDOWN,
                                        ERDIAG_FORMAT_HTML};
static const char *const format_names[] = {"text", "json", "markdown", "html"};

/* needle occurs in hay as a token of its own (not inside a longer address, number or name). */
static gboolean has_token(const char *hay, const char *needle)
{
    gsize n = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        char before = p > hay ? p[-1] : ' ', after = p[n];
        gboolean lb = !(g_ascii_isalnum(before) || before == '.' || before == ':' || before == '-' || before == '_');
        gboolean rb = !(g_ascii_isalnum(after) || after == ':' || after == '-' || after == '_'
                        || (after == '.' && g_ascii_isdigit(p[n + 1])));
        if (lb && rb)
            return TRUE;
    }
    return FALSE;
}

static void mac_text(const guint8 m[6], char out[18])
{
    g_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* What must not be seen: from the engine's own state before redaction. */
static GPtrArray *secrets(erdiag_engine *e, const erdiag_config *cfg, const char *cap_path)
{
    GPtrArray *s = g_ptr_array_new_with_free_func(g_free);
    char buf[ERDIAG_PREFIX_STRLEN], mac[18];
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        if (pe->configured && !erdiag_redact_keeps_name(pe->name))
            g_ptr_array_add(s, g_strdup(pe->name));
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            g_ptr_array_add(s, g_strdup(erdiag_addr_to_string(&l->addr[ERDIAG_CUST], buf)));
            g_ptr_array_add(s, g_strdup(erdiag_prefix_to_string(&l->subnet, buf)));
            if (l->arp[ERDIAG_CUST].resolved) {
                mac_text(l->arp[ERDIAG_CUST].mac, mac);
                g_ptr_array_add(s, g_strdup(mac));
            }
            GPtrArray *routes = erdiag_rib_routes(l->rib[ERDIAG_CUST], TRUE);
            for (guint k = 0; k < routes->len; k++) {
                const erdiag_route *rt = g_ptr_array_index(routes, k);
                if (rt->prefix.len > 0)
                    g_ptr_array_add(s, g_strdup(erdiag_prefix_to_string(&rt->prefix, buf)));
            }
            g_ptr_array_unref(routes);
        }
    }
    for (guint p = 0; cfg && p < cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(cfg->peerings, p);
        for (guint i = 0; i < pc->expected_onprem->len; i++)
            g_ptr_array_add(s, g_strdup(erdiag_prefix_to_string(&g_array_index(pc->expected_onprem, erdiag_prefix, i), buf)));
        for (guint i = 0; i < pc->onprem_sources->len; i++)
            g_ptr_array_add(s, g_strdup(erdiag_addr_to_string(&g_array_index(pc->onprem_sources, erdiag_addr, i), buf)));
    }
    g_ptr_array_add(s, g_strdup(cap_path));
    if (cfg && cfg->source)
        g_ptr_array_add(s, g_strdup(cfg->source));
    return s;
}

/* Every colon-separated MAC in text; the ones Microsoft owns are allowed. */
static void assert_only_microsoft_macs(erdiag_engine *e, const char *text, const char *where)
{
    g_autoptr(GRegex) re = g_regex_new("\\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\\b", G_REGEX_CASELESS, 0, NULL);
    g_autoptr(GMatchInfo) m = NULL;
    for (g_regex_match(re, text, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
        g_autofree char *found = g_match_info_fetch(m, 0);
        gboolean msft = FALSE;
        const GPtrArray *peerings = erdiag_engine_peerings(e);
        for (guint p = 0; p < peerings->len; p++) {
            const erdiag_peering *pe = g_ptr_array_index(peerings, p);
            for (guint i = 0; i < pe->links->len; i++) {
                const erdiag_link *l = g_ptr_array_index(pe->links, i);
                char mac[18];
                mac_text(l->arp[ERDIAG_MSFT].mac, mac);
                msft |= l->arp[ERDIAG_MSFT].resolved && g_ascii_strcasecmp(mac, found) == 0;
            }
        }
        if (!msft)
            g_error("%s: MAC %s left in the redacted report", where, found);
    }
}

/* "id|link|severity" of every finding, in order. */
static GPtrArray *finding_lines(const char *json)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
    JsonArray *a = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "findings");
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *f = json_array_get_object_element(a, i);
        g_ptr_array_add(out, g_strdup_printf("%s|%s|%s", json_object_get_string_member(f, "id"),
                                             json_object_get_null_member(f, "link") ? "-" : json_object_get_string_member(f, "link"),
                                             json_object_get_string_member(f, "severity")));
    }
    return out;
}

static void test_capture(gconstpointer data)
{
    const char *dir = data;
    g_autofree char *cap = capture_run_file(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    erdiag_config *cfg = NULL;
    if (g_file_test(ini, G_FILE_TEST_EXISTS)) {
        g_autoptr(GError) err = NULL;
        cfg = erdiag_config_load_file(ini, NULL, &err);
        g_assert_no_error(err);
    }
    erdiag_engine *e = capture_run(cap, cfg);
    g_assert_nonnull(e);
    g_autoptr(GPtrArray) hidden = secrets(e, cfg, cap);
    for (guint f = 0; f < G_N_ELEMENTS(formats); f++) {
        g_autofree char *plain = capture_run_report(e, formats[f], FALSE, NULL);
        g_autofree char *red = capture_run_report(e, formats[f], TRUE, NULL);
        for (guint i = 0; i < hidden->len; i++) {
            const char *s = g_ptr_array_index(hidden, i);
            if (has_token(red, s))
                g_error("%s: \"%s\" left in the redacted report", format_names[f], s);
        }
        assert_only_microsoft_macs(e, red, format_names[f]);
        /* a redacted report of a capture with links says what it hid */
        if (erdiag_engine_peerings(e)->len && erdiag_engine_capture_info(e)->frames)
            g_assert_nonnull(strstr(red, "link-1-"));
        if (formats[f] == ERDIAG_FORMAT_JSON) {
            g_autoptr(GPtrArray) a = finding_lines(plain), b = finding_lines(red);
            g_assert_cmpuint(a->len, ==, b->len);
            for (guint i = 0; i < a->len; i++)
                g_assert_cmpstr(g_ptr_array_index(a, i), ==, g_ptr_array_index(b, i));
        }
        if (formats[f] == ERDIAG_FORMAT_HTML)
            g_assert_nonnull(strstr(red, "<table id=\"checklist\">"));
    }
    erdiag_engine_free(e);
    erdiag_config_free(cfg);
}

/* The healthy capture: one token per thing, in every format; Azure's side kept. */
static void test_consistent_tokens(void)
{
    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "healthy", NULL);
    g_autofree char *cap = capture_run_file(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    if (!g_file_test(cap, G_FILE_TEST_EXISTS) || !g_file_test(ini, G_FILE_TEST_EXISTS)) {
        g_test_skip("captures/healthy not present");
        return;
    }
    erdiag_config *cfg = erdiag_config_load_file(ini, NULL, NULL);
    erdiag_engine *e = capture_run(cap, cfg);
    g_autofree char *json = capture_run_report(e, ERDIAG_FORMAT_JSON, TRUE, NULL);
    g_autofree char *md = capture_run_report(e, ERDIAG_FORMAT_MARKDOWN, TRUE, NULL);
    g_autofree char *html = capture_run_report(e, ERDIAG_FORMAT_HTML, TRUE, NULL);
    g_autofree char *text = capture_run_report(e, ERDIAG_FORMAT_TEXT, TRUE, NULL);

    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    JsonObject *pe = json_array_get_object_element(json_object_get_array_member(root, "peerings"), 0);
    JsonObject *l0 = json_array_get_object_element(json_object_get_array_member(pe, "links"), 0);
    JsonObject *arp0 = json_array_get_object_element(json_object_get_array_member(l0, "arp_table"), 0);
    const char *name = json_object_get_string_member(pe, "name");
    const char *cust = json_object_get_string_member(l0, "customer_address");
    const char *mac = json_object_get_string_member(arp0, "macAddress");
    g_assert_cmpstr(name, ==, "peering-1");
    g_assert_cmpstr(cust, ==, "link-1-onprem");
    g_assert_cmpstr(json_object_get_string_member(l0, "subnet"), ==, "link-1-net");
    g_assert_cmpstr(json_object_get_string_member(arp0, "ipAddress"), ==, "link-1-onprem");
    g_assert_cmpstr(mac, ==, "mac-1");
    g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(root, "config"), "source"), ==, "config-1");
    g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(json_object_get_object_member(root, "capture"),
                                                                                  "files"), 0), ==, "capture-1");
    /* the same row in the other formats */
    g_assert_nonnull(strstr(md, "| On-Prem | link-1-onprem | mac-1 |"));
    g_assert_nonnull(strstr(html, "<td>On-Prem</td><td>link-1-onprem</td><td>mac-1</td>"));
    g_assert_nonnull(strstr(text, "On-Prem    link-1-onprem"));
    g_assert_nonnull(strstr(text, "mac-1"));
    /* on-prem prefixes become onprem-net-N, the same N everywhere */
    g_autoptr(GRegex) re = g_regex_new("onprem-net-[0-9]+", 0, 0, NULL);
    const char *docs[] = {json, md, html, text};
    GHashTable *sets[4];
    for (guint i = 0; i < 4; i++) {
        sets[i] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_autoptr(GMatchInfo) m = NULL;
        for (g_regex_match(re, docs[i], 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL))
            g_hash_table_add(sets[i], g_match_info_fetch(m, 0));
    }
    g_assert_cmpuint(g_hash_table_size(sets[0]), ==, 2);
    for (guint i = 1; i < 4; i++) {
        g_assert_cmpuint(g_hash_table_size(sets[i]), ==, g_hash_table_size(sets[0]));
        GHashTableIter it;
        gpointer k;
        g_hash_table_iter_init(&it, sets[0]);
        while (g_hash_table_iter_next(&it, &k, NULL))
            g_assert_true(g_hash_table_contains(sets[i], k));
    }
    for (guint i = 0; i < 4; i++)
        g_hash_table_unref(sets[i]);
    /* Azure's side and the numbers that matter stay readable */
    for (guint i = 0; i < 4; i++) {
        g_assert_nonnull(strstr(docs[i], "10.1.0.0/16"));     /* a VNet */
        g_assert_nonnull(strstr(docs[i], "02:12:07:60:01:02")); /* the MSEE's MAC */
        g_assert_nonnull(strstr(docs[i], "65010"));           /* the customer's ASN */
        g_assert_nonnull(strstr(docs[i], "VLAN 100"));
    }
    g_assert_nonnull(strstr(json, "link-1-msee"));
    erdiag_engine_free(e);
    erdiag_config_free(cfg);
}

/* The token rules on text written for them. */
static void test_token_rules(void)
{
    const char *ini = "[peering contoso_tokyo]\nvlan = 100\npeer-asn = 65010\nprimary-subnet = 192.168.15.16/30\n"
                      "vnet-prefixes = 10.1.0.0/16\nexpected-onprem-prefixes = 10.50.0.0/16\nonprem-sources = 10.50.3.4\n";
    erdiag_config *cfg = erdiag_config_load_data(ini, strlen(ini), "/home/alice/contoso.ini", NULL, NULL);
    g_assert_nonnull(cfg);
    erdiag_engine *e = erdiag_engine_new(cfg);
    erdiag_engine_finish(e);
    erdiag_redactor *r = erdiag_redactor_new(e, NULL);
    GString *t = g_string_new(
        "peering contoso_tokyo (contoso\\_tokyo in Markdown) from /home/alice/contoso.ini: "
        "src 10.50.3.4, 10.50.3.4:443, 10.50.3.4. 110.50.3.44 10.50.3.40 "
        "net 10.50.0.0/16 sub 10.50.8.0/24 vnet 10.1.0.0/16 vm 10.1.2.3 "
        "ce 192.168.15.17 msee 192.168.15.18 cidr 192.168.15.17/30 link 192.168.15.16/30 "
        "mac 02:C0:00:00:01:01 azure 02c0.0000.0101 id 1.1.1.1 v6 fd00:50::7 default 0.0.0.0/0 "
        "time 12:00:01.123 dur 00:05:12 ver 0.1.0 contoso_tokyo-2 xcontoso_tokyo");
    erdiag_redactor_rewrite(r, t);
    const char *want =
        "peering peering-1 (peering-1 in Markdown) from config-1: "
        /* a longer address is another address, never a substring match */
        "src onprem-addr-1, onprem-addr-1:443, onprem-addr-1. addr-1 onprem-addr-2 ";
    if (!g_str_has_prefix(t->str, want))
        g_error("got: %s", t->str);
    g_assert_nonnull(strstr(t->str, "net onprem-net-1 sub onprem-net-2 vnet 10.1.0.0/16 vm 10.1.2.3 "));
    g_assert_nonnull(strstr(t->str, "ce link-1-onprem msee link-1-msee cidr link-1-onprem/30 link link-1-net "));
    g_assert_nonnull(strstr(t->str, "mac mac-1 azure mac-1 id addr-2 v6 addr-3 default 0.0.0.0/0 "));
    g_assert_nonnull(strstr(t->str, "time 12:00:01.123 dur 00:05:12 ver 0.1.0 contoso_tokyo-2 xcontoso_tokyo"));
    /* the same map twice gives the same tokens */
    GString *again = g_string_new("10.50.8.0/24 and 10.50.3.4");
    erdiag_redactor_rewrite(r, again);
    g_assert_cmpstr(again->str, ==, "onprem-net-2 and onprem-addr-1");
    /* text tables keep their columns */
    GString *cols = g_string_new("    192.168.15.17               4  65010\n");
    erdiag_redactor_rewrite(r, cols);
    g_assert_cmpstr(cols->str, ==, "    link-1-onprem               4  65010\n");
    g_string_free(t, TRUE);
    g_string_free(again, TRUE);
    g_string_free(cols, TRUE);
    erdiag_redactor_free(r);
    erdiag_engine_free(e);
    erdiag_config_free(cfg);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/redact/token-rules", test_token_rules);
    g_test_add_func("/redact/consistent-tokens", test_consistent_tokens);
    g_autoptr(GPtrArray) dirs = capture_run_dirs();
    for (guint i = 0; i < dirs->len; i++) {
        g_autofree char *base = g_path_get_basename(g_ptr_array_index(dirs, i));
        g_autofree char *name = g_strdup_printf("/redact/capture/%s", base);
        g_test_add_data_func(name, g_ptr_array_index(dirs, i), test_capture);
    }
    return g_test_run();
}
