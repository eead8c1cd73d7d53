/* The HTML report of a failing capture as a browser shows it: headless
 * Chromium loads the file with networking off, its DOM holds the checklist
 * with a failing verdict and the timeline picture, and it renders to a
 * screenshot of the expected size. Skips (77) without /usr/bin/chromium. */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "unit/capture_run.h"

#define CHROMIUM "/usr/bin/chromium"

static char *tmpdir;
static char *html_path;

/* Runs chromium with the flags that keep it offline and quiet; returns stdout. */
static char *chromium(const char *mode_arg, gboolean *ok)
{
    g_autofree char *profile = g_build_filename(tmpdir, "profile", NULL);
    g_autofree char *profile_arg = g_strdup_printf("--user-data-dir=%s", profile);
    g_autofree char *url = g_filename_to_uri(html_path, NULL, NULL);
    const char *argv[] = {"timeout", "120", CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-quic", "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", profile_arg, "--window-size=1200,2400",
                          mode_arg, url, NULL};
    char *out = NULL;
    int status = -1;
    g_autoptr(GError) err = NULL;
    *ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                       NULL, &status, &err)
          && g_spawn_check_wait_status(status, NULL);
    return out;
}

static void test_dom(void)
{
    gboolean ok = FALSE;
    g_autofree char *dom = chromium("--dump-dom", &ok);
    g_assert_true(ok);
    g_assert_nonnull(dom);
    g_assert_nonnull(strstr(dom, "<table id=\"checklist\">"));
    g_assert_nonnull(strstr(dom, "data-verdict=\"fail\""));
    /* the inline SVG is parsed as SVG, with its lanes and markers */
    g_assert_nonnull(strstr(dom, "<svg id=\"timeline\""));
    g_assert_nonnull(strstr(dom, "class=\"lane\""));
    g_assert_nonnull(strstr(dom, "class=\"marker-arp\""));
    g_assert_nonnull(strstr(dom, "id=\"findings\""));
}

static guint32 png_be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static void test_screenshot(void)
{
    g_autofree char *png = g_build_filename(tmpdir, "report.png", NULL);
    g_autofree char *arg = g_strdup_printf("--screenshot=%s", png);
    gboolean ok = FALSE;
    g_autofree char *out = chromium(arg, &ok);
    g_assert_true(ok);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(png, &data, &len, NULL));
    static const guint8 sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    g_assert_cmpuint(len, >, 24);
    g_assert_cmpmem(data, 8, sig, 8);
    g_assert_cmpuint(png_be32((const guint8 *)data + 16), ==, 1200);
    g_assert_cmpuint(png_be32((const guint8 *)data + 20), ==, 2400);
    /* a blank page compresses to a few kilobytes; a rendered report does not */
    g_assert_cmpuint(len, >, 50000);
    if (g_getenv("ERDIAG_KEEP_SCREENSHOT"))
        g_assert_true(g_file_set_contents(g_getenv("ERDIAG_KEEP_SCREENSHOT"), data, len, NULL));
    g_unlink(png);
}

/* The first failing capture with an ARP failure: vlan-mismatch, else any. */
static char *failing_capture_dir(void)
{
    g_autofree char *preferred = g_build_filename(ERDIAG_SOURCE_DIR, "captures", "vlan-mismatch", NULL);
    g_autofree char *cap = capture_run_file(preferred);
    if (g_file_test(cap, G_FILE_TEST_EXISTS))
        return g_steal_pointer(&preferred);
    g_autoptr(GPtrArray) dirs = capture_run_dirs();
    for (guint i = 0; i < dirs->len; i++) {
        g_autofree char *exp = g_build_filename(g_ptr_array_index(dirs, i), "expected.txt", NULL);
        g_autofree char *text = NULL;
        if (g_file_get_contents(exp, &text, NULL, NULL) && strstr(text, "arp.unanswered"))
            return g_strdup(g_ptr_array_index(dirs, i));
    }
    return NULL;
}

static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *n;
        while (d && (n = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(path, n, NULL);
            remove_tree(p);
        }
        if (d)
            g_dir_close(d);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_file_test(CHROMIUM, G_FILE_TEST_IS_EXECUTABLE)) {
        g_printerr("skipped: %s is not installed\n", CHROMIUM);
        return 77;
    }
    g_autofree char *dir = failing_capture_dir();
    if (!dir) {
        g_printerr("skipped: no capture with an ARP failure under captures/\n");
        return 77;
    }
    g_autofree char *cap = capture_run_file(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    erdiag_config *cfg = g_file_test(ini, G_FILE_TEST_EXISTS) ? erdiag_config_load_file(ini, NULL, NULL) : NULL;
    erdiag_engine *e = capture_run(cap, cfg);
    g_assert_nonnull(e);
    g_autofree char *html = capture_run_report(e, ERDIAG_FORMAT_HTML, FALSE, NULL);
    erdiag_engine_free(e);
    erdiag_config_free(cfg);

    tmpdir = g_dir_make_tmp("erdiag-chromium-XXXXXX", NULL);
    html_path = g_build_filename(tmpdir, "report.html", NULL);
    g_assert_true(g_file_set_contents(html_path, html, -1, NULL));
    g_test_add_func("/report/html/chromium-dom", test_dom);
    g_test_add_func("/report/html/chromium-screenshot", test_screenshot);
    int rc = g_test_run();
    remove_tree(tmpdir);
    g_free(tmpdir);
    g_free(html_path);
    return rc;
}
