/* The HTML report of a failing capture as a browser shows it: headless
 * Chromium loads the file with networking off, its DOM holds the checklist
 * with a failing verdict and the timeline picture, and it renders to a
 * screenshot of the expected size. At phone width (420 px) the reports of
 * several captures do not overflow the page sideways (wide tables and the
 * timeline scroll inside their own boxes) and the timeline's text stays
 * legible: a copy of the report with a measuring script appended is loaded
 * and its --dump-dom read back. Skips (77) without /usr/bin/chromium. */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "unit/capture_run.h"

#define CHROMIUM "/usr/bin/chromium"

static char *tmpdir;
static char *html_path;

/* Runs chromium on a file with the flags that keep it offline and quiet; returns stdout. */
static char *chromium_at(const char *path, const char *size_arg, const char *mode_arg, gboolean *ok)
{
    g_autofree char *profile = g_build_filename(tmpdir, "profile", NULL);
    g_autofree char *profile_arg = g_strdup_printf("--user-data-dir=%s", profile);
    g_autofree char *url = g_filename_to_uri(path, NULL, NULL);
    const char *argv[] = {"timeout", "120", CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-quic", "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--hide-scrollbars", profile_arg, size_arg,
                          mode_arg, url, NULL};
    char *out = NULL;
    int status = -1;
    g_autoptr(GError) err = NULL;
    *ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                       NULL, &status, &err)
          && g_spawn_check_wait_status(status, NULL);
    return out;
}

static char *chromium(const char *mode_arg, gboolean *ok)
{
    return chromium_at(html_path, "--window-size=1200,2400", mode_arg, ok);
}

/* Appended to a copy of the report (the report itself has no script): it
 * measures the laid-out page and writes the figures into the parent's DOM.
 * "outside" counts elements whose box passes the viewport's right edge other
 * than inside a scrolling wrapper; "minfont" is the smallest timeline text as
 * drawn, in CSS pixels (font size times the SVG's scale). */
static const char measure_js[] =
    "<script>window.addEventListener('load',function(){var w=window.innerWidth,out=0,min=1e9;"
    "document.querySelectorAll('body *').forEach(function(el){"
    "var s=el.parentElement&&el.parentElement.closest('.scroll');if(s)return;"
    "var r=el.getBoundingClientRect();if(r.width>0&&r.right>w+0.5)out++;});"
    "document.querySelectorAll('#timeline text').forEach(function(t){var m=t.getScreenCTM();if(!m)return;"
    "var f=parseFloat(getComputedStyle(t).fontSize)*Math.hypot(m.a,m.b);if(f<min)min=f;});"
    "var p=parent.document.getElementById('layout');p.textContent='inner='+w+' scroll='"
    "+document.documentElement.scrollWidth+' outside='+out+' minfont='+min.toFixed(2);});</script>";

/* Headless Chromium keeps windows at least 500 px wide: the report is laid
 * out in a 420 px iframe (srcdoc, so the script may write to the parent). */
static char *phone_page(const char *html)
{
    const char *end = strstr(html, "</body>");
    g_assert_nonnull(end);
    g_autofree char *inner = g_strdup_printf("%.*s%s%s", (int)(end - html), html, measure_js, end);
    g_autofree char *attr = g_markup_escape_text(inner, -1);
    return g_strdup_printf("<!DOCTYPE html><html><body style=\"margin:0\"><pre id=\"layout\"></pre>"
                           "<iframe style=\"width:420px;height:1800px;border:0\" srcdoc=\"%s\"></iframe>"
                           "</body></html>", attr);
}

typedef struct {
    char *name;
    char *html;
} phone_case;

static double layout_value(const char *dom, const char *key)
{
    g_autofree char *pat = g_strdup_printf("%s=", key);
    const char *p = strstr(dom, pat);
    g_assert_nonnull(p);
    return g_ascii_strtod(p + strlen(pat), NULL);
}

static void test_phone_width(gconstpointer data)
{
    const phone_case *pc = data;
    g_autofree char *path = g_strdup_printf("%s/phone-%s.html", tmpdir, pc->name);
    g_autofree char *page = phone_page(pc->html);
    g_assert_true(g_file_set_contents(path, page, -1, NULL));
    gboolean ok = FALSE;
    g_autofree char *dom = chromium_at(path, "--window-size=800,2000", "--dump-dom", &ok);
    g_assert_true(ok);
    g_assert_nonnull(dom);
    const char *layout = strstr(dom, "<pre id=\"layout\">");
    g_assert_nonnull(layout);
    g_test_message("%s: %.80s", pc->name, layout);
    if (g_getenv("ERDIAG_KEEP_PHONE_PAGE"))
        g_assert_true(g_file_set_contents(g_getenv("ERDIAG_KEEP_PHONE_PAGE"), page, -1, NULL));
    double inner = layout_value(layout, "inner");
    g_assert_cmpfloat(inner, <=, 420);
    g_assert_cmpfloat(inner, >=, 380);
    /* nothing makes the page itself scroll sideways */
    g_assert_cmpfloat(layout_value(layout, "scroll"), <=, inner);
    g_assert_cmpfloat(layout_value(layout, "outside"), ==, 0);
    /* the timeline's smallest text, as drawn, stays readable (9 px and up) */
    g_assert_cmpfloat(layout_value(layout, "minfont"), >=, 9.0);
    g_unlink(path);
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

    /* phone width: a link down, ARP failing, data-plane findings, a flapping
     * session, four links side by side */
    static const char *const phone[] = {"hold-timer", "vlan-mismatch", "dataplane", "flap", "ipv6"};
    GPtrArray *cases = g_ptr_array_new();
    for (guint i = 0; i < G_N_ELEMENTS(phone); i++) {
        g_autofree char *pdir = g_build_filename(ERDIAG_SOURCE_DIR, "captures", phone[i], NULL);
        g_autofree char *pcap = capture_run_file(pdir);
        g_autofree char *pini = g_build_filename(pdir, "peering.ini", NULL);
        if (!g_file_test(pcap, G_FILE_TEST_EXISTS))
            continue;
        erdiag_config *pcfg = g_file_test(pini, G_FILE_TEST_EXISTS) ? erdiag_config_load_file(pini, NULL, NULL) : NULL;
        erdiag_engine *pe = capture_run(pcap, pcfg);
        g_assert_nonnull(pe);
        phone_case *pc = g_new0(phone_case, 1);
        pc->name = g_strdup(phone[i]);
        pc->html = capture_run_report(pe, ERDIAG_FORMAT_HTML, FALSE, NULL);
        erdiag_engine_free(pe);
        erdiag_config_free(pcfg);
        g_ptr_array_add(cases, pc);
        g_autofree char *tname = g_strdup_printf("/report/html/phone-width/%s", phone[i]);
        g_test_add_data_func(tname, pc, test_phone_width);
    }
    int rc = g_test_run();
    for (guint i = 0; i < cases->len; i++) {
        phone_case *pc = g_ptr_array_index(cases, i);
        g_free(pc->name);
        g_free(pc->html);
        g_free(pc);
    }
    g_ptr_array_unref(cases);
    remove_tree(tmpdir);
    g_free(tmpdir);
    g_free(html_path);
    return rc;
}
