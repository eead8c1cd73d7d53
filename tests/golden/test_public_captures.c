/* Third-party captures (../shared/public-pcaps: real Cisco, FRR, Juniper,
 * BIRD and crafted captures from tcpdump's and Zeek's test suites) through
 * the erdiag binary, zero-config, against expectations checked by hand with
 * capinfos and tshark -V.
 *
 * One file per capture: tests/golden/public-captures/<capture file>.txt,
 * one assertion per line ('#' starts a comment):
 *
 *   frames N                 capture.frames == N (frames read, as capinfos -c)
 *   first TIME / last TIME   capture.first_time / last_time, as the JSON writes them
 *   duration S               capture.duration_s within 1 us of S (capinfos -u)
 *   exit N                   erdiag's exit status
 *   finding ID LINK COUNT    exactly COUNT findings ID on LINK ("-" peering- or
 *                            capture-wide, "*" any link); COUNT 0: none
 *   mentions ID TOKEN        a finding ID ("*": any finding) whose message holds
 *                            TOKEN as a whole word (an address, port, AS number)
 *   text SUBSTRING           the text report holds SUBSTRING, case and line wrapping ignored
 *
 * The whole test is skipped (77) when ../shared/public-pcaps is absent; when
 * it is there, a capture named by an expectation file that is missing fails.
 * Each capture is one test case and the run keeps going past a failure, each
 * failing line named. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include "capture_dirs.h"

static char *pcap_dir;

typedef struct {
    JsonObject *root;
    char *json_text, *text;
    int status;
} report;

static gboolean failed_line(const char *file, guint line_no, const char *line, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static gboolean failed_line(const char *file, guint line_no, const char *line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_test_message("FAIL %s:%u: \"%s\": %s", file, line_no, line, why);
    return FALSE;
}

static const char *link_of(JsonObject *f)
{
    return json_object_get_null_member(f, "link") ? "-" : json_object_get_string_member(f, "link");
}

/* TOKEN as a whole word: not preceded or followed by a letter, digit, '.',
 * ':' (so 10.1.0.1 does not match 10.1.0.10, nor AS 100 match 1001). */
static gboolean has_token(const char *text, const char *token)
{
    gsize n = strlen(token);
    for (const char *p = strstr(text, token); p; p = strstr(p + 1, token)) {
        gboolean left = p == text || !(g_ascii_isalnum(p[-1]) || p[-1] == '.' || p[-1] == ':');
        char after = p[n];
        gboolean right = !(g_ascii_isalnum(after) || after == ':' ||
                           (after == '.' && g_ascii_isalnum(p[n + 1])));
        if (left && right)
            return TRUE;
    }
    return FALSE;
}

static const char *capture_string(report *r, const char *member)
{
    JsonObject *c = json_object_get_object_member(r->root, "capture");
    if (!json_object_has_member(c, member) || json_object_get_null_member(c, member))
        return "null";
    return json_object_get_string_member(c, member);
}

static gboolean check_line(report *r, const char *file, guint line_no, const char *line)
{
    g_auto(GStrv) w = g_strsplit_set(line, " \t", 3);
    guint n = g_strv_length(w);
    JsonObject *capture = json_object_get_object_member(r->root, "capture");
    JsonArray *findings = json_object_get_array_member(r->root, "findings");
    guint64 num = 0;
    if (strcmp(w[0], "frames") == 0 && n == 2 && g_ascii_string_to_unsigned(w[1], 10, 0, G_MAXUINT64, &num, NULL)) {
        gint64 got = json_object_get_int_member(capture, "frames");
        return got == (gint64)num || failed_line(file, line_no, line, "capture.frames is %" G_GINT64_FORMAT, got);
    }
    if ((strcmp(w[0], "first") == 0 || strcmp(w[0], "last") == 0) && n == 2) {
        const char *got = capture_string(r, w[0][0] == 'f' ? "first_time" : "last_time");
        return strcmp(got, w[1]) == 0 || failed_line(file, line_no, line, "it is %s", got);
    }
    if (strcmp(w[0], "duration") == 0 && n == 2) {
        double want = g_ascii_strtod(w[1], NULL);
        double got = json_object_get_double_member(capture, "duration_s");
        return fabs(got - want) < 1e-6 || failed_line(file, line_no, line, "capture.duration_s is %.6f", got);
    }
    if (strcmp(w[0], "exit") == 0 && n == 2 && g_ascii_string_to_unsigned(w[1], 10, 0, 255, &num, NULL))
        return r->status == (int)num || failed_line(file, line_no, line, "exit status %d", r->status);
    if (strcmp(w[0], "finding") == 0 && n == 3) {
        g_auto(GStrv) rest = g_strsplit_set(w[2], " \t", -1);
        if (g_strv_length(rest) == 2 && g_ascii_string_to_unsigned(rest[1], 10, 0, 100000, &num, NULL)) {
            guint got = 0;
            for (guint i = 0; i < json_array_get_length(findings); i++) {
                JsonObject *f = json_array_get_object_element(findings, i);
                if (strcmp(json_object_get_string_member(f, "id"), w[1]) == 0 &&
                    (strcmp(rest[0], "*") == 0 || strcmp(link_of(f), rest[0]) == 0))
                    got++;
            }
            return got == num || failed_line(file, line_no, line, "%u such findings", got);
        }
    }
    if (strcmp(w[0], "mentions") == 0 && n == 3) {
        guint of_id = 0;
        for (guint i = 0; i < json_array_get_length(findings); i++) {
            JsonObject *f = json_array_get_object_element(findings, i);
            if (strcmp(w[1], "*") != 0 && strcmp(json_object_get_string_member(f, "id"), w[1]) != 0)
                continue;
            of_id++;
            if (has_token(json_object_get_string_member(f, "message"), w[2]))
                return TRUE;
        }
        return failed_line(file, line_no, line, "not in the message of any of the %u findings with that id", of_id);
    }
    if (strcmp(w[0], "text") == 0 && n >= 2) {
        const char *sub = line + strlen("text");
        while (*sub == ' ' || *sub == '\t')
            sub++;
        /* the report wraps long messages at --width: compare with the
         * line breaks and their indentation read as one space */
        g_autoptr(GRegex) ws = g_regex_new("\\s+", 0, 0, NULL);
        g_autofree char *flat = g_regex_replace_literal(ws, r->text, -1, 0, " ", 0, NULL);
        g_autofree char *hay = g_utf8_strdown(flat, -1), *needle = g_utf8_strdown(sub, -1);
        return strstr(hay, needle) != NULL || failed_line(file, line_no, line, "not in the text report");
    }
    g_error("%s:%u: cannot read \"%s\" (see the test's header for the format)", file, line_no, line);
}

static void test_capture(gconstpointer data)
{
    const char *exp_path = data;
    g_autofree char *exp_name = g_path_get_basename(exp_path);
    g_autofree char *cap_name = g_strndup(exp_name, strlen(exp_name) - strlen(".txt"));
    g_autofree char *cap = g_build_filename(pcap_dir, cap_name, NULL);
    if (!g_file_test(cap, G_FILE_TEST_IS_REGULAR)) {
        g_test_message("%s names %s, which is not in %s", exp_name, cap_name, pcap_dir);
        g_test_fail();
        return;
    }
    report r = { 0 };
    g_autofree char *err = NULL, *text_err = NULL;
    const char *json_args[] = { "--format", "json", cap, NULL };
    r.status = capture_dirs_run(json_args, &r.json_text, &err);
    const char *text_args[] = { cap, NULL };
    capture_dirs_run(text_args, &r.text, &text_err);
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(GError) e = NULL;
    if (r.status > 1 || !json_parser_load_from_data(p, r.json_text, -1, &e)) {
        g_test_message("%s: exit %d, no JSON report (%s): %s", cap_name, r.status, e ? e->message : "", err);
        g_test_fail();
        g_free(r.json_text);
        g_free(r.text);
        return;
    }
    r.root = json_node_get_object(json_parser_get_root(p));

    g_autofree char *contents = NULL;
    g_assert_true(g_file_get_contents(exp_path, &contents, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
    gboolean ok = TRUE;
    guint checked = 0;
    for (guint i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        if (!*line || *line == '#')
            continue;
        ok = check_line(&r, exp_name, i + 1, line) && ok;
        checked++;
    }
    if (checked == 0)
        g_error("%s: no assertion", exp_name);
    if (!ok) {
        g_test_message("%s: findings were:", cap_name);
        JsonArray *findings = json_object_get_array_member(r.root, "findings");
        for (guint i = 0; i < json_array_get_length(findings); i++) {
            JsonObject *f = json_array_get_object_element(findings, i);
            g_test_message("  %s %s: %s", json_object_get_string_member(f, "id"), link_of(f),
                           json_object_get_string_member(f, "message"));
        }
        g_test_fail();
    }
    g_free(r.json_text);
    g_free(r.text);
}

static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    pcap_dir = g_build_filename(ERDIAG_SHARED_DIR, "public-pcaps", NULL);
    if (!g_file_test(pcap_dir, G_FILE_TEST_IS_DIR)) {
        g_printerr("%s absent: skipping\n", pcap_dir);
        return 77;
    }
    g_autofree char *exp_dir = g_build_filename(ERDIAG_SOURCE_DIR, "tests", "golden", "public-captures", NULL);
    GDir *d = g_dir_open(exp_dir, 0, NULL);
    if (!d)
        g_error("no %s", exp_dir);
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, ".txt"))
            g_ptr_array_add(paths, g_build_filename(exp_dir, name, NULL));
    g_dir_close(d);
    if (paths->len == 0)
        g_error("no expectation file in %s", exp_dir);
    g_ptr_array_sort(paths, compare_paths);
    for (guint i = 0; i < paths->len; i++) {
        g_autofree char *base = g_path_get_basename(g_ptr_array_index(paths, i));
        g_autofree char *test = g_strdup_printf("/public-captures/%s", base);
        g_test_add_data_func(test, g_ptr_array_index(paths, i), test_capture);
    }
    int rc = g_test_run();
    g_ptr_array_unref(paths);
    g_free(pcap_dir);
    return rc;
}
