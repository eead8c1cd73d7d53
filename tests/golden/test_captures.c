/* Every capture in captures/ yields exactly its expected findings, with its
 * peering config (expected.txt) and without any (expected-zeroconf.txt):
 * the same ids on the same links, as many times each. An expectation line
 * is "<finding-id> <link> [count]", the count 1 when left out, so a capture
 * whose two routes.expected-missing shrink to one fails. */
#include <string.h>
#include "capture_dirs.h"

static char *join_lines(GPtrArray *a)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; a && i < a->len; i++)
        g_string_append_printf(s, "  %s\n", (char *)g_ptr_array_index(a, i));
    return g_string_free(s, FALSE);
}

static void check(const char *dir, gboolean with_config)
{
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    g_autofree char *exp_path = g_build_filename(dir, with_config ? "expected.txt" : "expected-zeroconf.txt", NULL);
    g_autoptr(GPtrArray) expected = capture_dirs_read_counts(exp_path);
    if (!expected) {
        g_test_skip("no expectation file");
        return;
    }
    const char *args_cfg[] = {"--format", "json", "--config", ini, cap, NULL};
    const char *args_zero[] = {"--format", "json", cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(with_config ? args_cfg : args_zero, &out, &err);
    g_assert_cmpint(status, <=, 1);
    g_autoptr(GError) e = NULL;
    g_autoptr(GPtrArray) got = capture_dirs_finding_counts(out, &e);
    g_assert_no_error(e);
    g_autofree char *want_s = join_lines(expected), *got_s = join_lines(got);
    if (strcmp(want_s, got_s) != 0) {
        /* Not g_error: the other captures are still checked. */
        g_test_message("%s (%s): findings differ\nexpected:\n%sgot:\n%sstderr: %s", dir,
                       with_config ? "with config" : "zero-config", want_s, got_s, err);
        g_test_fail();
        return;
    }
    /* exit status 1 exactly when a warning or error is expected */
    g_assert_cmpint(status, ==, strstr(out, "\"severity\" : \"error\"") || strstr(out, "\"severity\" : \"warning\"") ? 1 : 0);
}

static void test_with_config(gconstpointer dir)
{
    check(dir, TRUE);
}

static void test_zero_config(gconstpointer dir)
{
    check(dir, FALSE);
}

/* A capture that starts after the sessions came up: besides no findings
 * (expected.txt), the report must say why missing routes are not judged,
 * mark the links' route tables partial, and leave the checklist items that
 * need the whole table "not in capture". */
static void test_midstream_report(void)
{
    g_autofree char *dir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "midstream", NULL);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    const char *json_args[] = {"--format", "json", "--config", ini, cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(capture_dirs_run(json_args, &out, &err), ==, 0);
    g_assert_nonnull(strstr(out, "primary: the BGP session was already Established when the capture started"));
    g_assert_nonnull(strstr(out, "secondary: the BGP session was already Established when the capture started"));
    g_assert_nonnull(strstr(out, "\"routes_partial\" : true"));
    g_assert_null(strstr(out, "\"routes_partial\" : false"));
    const char *text_args[] = {"--config", ini, cap, NULL};
    g_autofree char *text = NULL, *err2 = NULL;
    g_assert_cmpint(capture_dirs_run(text_args, &text, &err2), ==, 0);
    g_assert_nonnull(strstr(text, "4b  Routes from Microsoft        not in capture not in capture\n"));
    g_assert_nonnull(strstr(text, "4c  Routes cover on-prem sources not in capture not in capture\n"));
    g_assert_nonnull(strstr(text, "4a  Routes from on-prem          pass           pass\n"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    GPtrArray *dirs = capture_dirs_list();
    if (dirs->len == 0)
        g_error("no captures found under %s/captures", ERDIAG_SOURCE_DIR);
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *base = g_path_get_basename(dir);
        g_autofree char *p1 = g_strdup_printf("/captures/%s/config", base);
        g_autofree char *p2 = g_strdup_printf("/captures/%s/zero-config", base);
        g_test_add_data_func(p1, dir, test_with_config);
        g_test_add_data_func(p2, dir, test_zero_config);
    }
    g_test_add_func("/captures/midstream/report", test_midstream_report);
    int rc = g_test_run();
    g_ptr_array_unref(dirs);
    return rc;
}
