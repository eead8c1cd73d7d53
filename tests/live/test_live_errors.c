/* Bad live and stdin input: a missing interface, no capture permission, a
 * filter that does not compile, stdin that is not a capture. Each gets one
 * line on stderr and exit status 2; never a crash. Plus the clean ends of a
 * live run: --duration and a -w file. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include "capture_dirs.h"
#include "live_util.h"

static char *tmpdir;

static void expect_one_line(int status, const char *err, const char *needle)
{
    if (status != 2 || !strstr(err, needle))
        g_error("expected exit 2 and a message with '%s', got %d: %s", needle, status, err);
    const char *nl = strchr(err, '\n');
    g_assert_nonnull(nl);
    g_assert_cmpint(nl[1], ==, '\0');
}

static void test_missing_interface(void)
{
    const char *args[] = {"-i", "erdiag-nosuch0", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    /* without privileges libpcap may report the permission first */
    expect_one_line(status, err, geteuid() == 0 ? "erdiag-nosuch0: no such interface" : "erdiag-nosuch0");
    g_assert_cmpstr(out, ==, "");
}

static void test_second_interface_missing(void)
{
    if (geteuid() != 0) {
        g_test_skip("needs root to open lo");
        return;
    }
    const char *args[] = {"-i", "lo", "-i", "erdiag-nosuch1", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    expect_one_line(status, err, "erdiag-nosuch1: no such interface");
}

static void test_bad_filter(void)
{
    if (geteuid() != 0) {
        g_test_skip("needs root: the filter is compiled on an open interface");
        return;
    }
    const char *args[] = {"-i", "lo", "--filter", "tcp port banana", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    expect_one_line(status, err, "--filter 'tcp port banana'");
}

static void drop_privileges(gpointer user)
{
    (void)user;
    if (setgid(65534) != 0 || setuid(65534) != 0)
        _exit(99);
}

static void test_no_permission(void)
{
    const char *argv[] = {ERDIAG_BIN, "-i", "lo", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = -1;
    g_autoptr(GError) e = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, geteuid() == 0 ? drop_privileges : NULL,
                               NULL, &out, &err, &status, &e));
    g_assert_true(WIFEXITED(status));
    expect_one_line(WEXITSTATUS(status), err, "no permission to capture");
}

static void test_stdin_text(void)
{
    g_autofree char *p = g_build_filename(tmpdir, "notes.txt", NULL);
    g_assert_true(g_file_set_contents(p, "this is not a capture\n", -1, NULL));
    const char *args[] = {"-", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = lt_run_piped(p, args, &out, &err);
    expect_one_line(status, err, "stdin");
    g_assert_cmpstr(out, ==, "");
    g_unlink(p);
}

static void test_stdin_empty(void)
{
    g_autofree char *p = g_build_filename(tmpdir, "empty", NULL);
    g_assert_true(g_file_set_contents(p, "", 0, NULL));
    const char *args[] = {"-", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = lt_run_piped(p, args, &out, &err);
    expect_one_line(status, err, "stdin: empty");
    g_unlink(p);
}

/* A stream cut inside a record: the packets before it are analysed and
 * reported, the cut is one line on stderr, the status is 2. */
static void test_stdin_truncated(void)
{
    g_autoptr(GByteArray) b = lt_pcap_new(1);
    guint8 req[46];
    static const guint8 mac[6] = {2, 0, 0, 0, 0, 1}, a[4] = {192, 168, 15, 17}, t[4] = {192, 168, 15, 18};
    lt_arp_request(req, 100, mac, a, t);
    lt_pcap_add(b, (gint64)1700000000 * G_USEC_PER_SEC, req, sizeof req);
    lt_pcap_add(b, (gint64)1700000001 * G_USEC_PER_SEC, req, sizeof req);
    g_autofree char *p = g_build_filename(tmpdir, "cut.pcap", NULL);
    g_assert_true(g_file_set_contents(p, (const char *)b->data, b->len - 10, NULL));
    const char *args[] = {"-", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = lt_run_piped(p, args, &out, &err);
    expect_one_line(status, err, "truncated");
    g_assert_nonnull(strstr(out, "ExpressRoute private peering report"));
    g_unlink(p);
}

static void test_annotate_stdin_among_files(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    if (dirs->len == 0) {
        g_test_skip("no captures");
        return;
    }
    g_autofree char *cap = capture_dirs_capture(g_ptr_array_index(dirs, 0));
    g_autofree char *ann = g_build_filename(tmpdir, "x.pcapng", NULL);
    const char *args[] = {"--annotate", ann, cap, "-", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    expect_one_line(status, err, "--annotate");
    g_assert_false(g_file_test(ann, G_FILE_TEST_EXISTS));
}

static void test_unwritable_spool(void)
{
    if (geteuid() != 0) {
        g_test_skip("needs root to open lo");
        return;
    }
    const char *args[] = {"-i", "lo", "-w", "/nonexistent-dir/x.pcapng", "--duration", "1", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    expect_one_line(status, err, "/nonexistent-dir/x.pcapng");
}

/* --duration ends a live run on time with the report; -w holds a pcapng
 * the project's reader accepts. */
static void test_duration(void)
{
    if (geteuid() != 0) {
        g_test_skip("needs root to open lo");
        return;
    }
    g_autofree char *w = g_build_filename(tmpdir, "lo.pcapng", NULL);
    const char *args[] = {"-i", "lo", "--duration", "1", "-w", w, "--format", "json", NULL};
    g_autofree char *out = NULL, *err = NULL;
    gint64 start = g_get_monotonic_time();
    int status = capture_dirs_run(args, &out, &err);
    gint64 took = g_get_monotonic_time() - start;
    g_assert_cmpint(status, <=, 1);
    g_assert_cmpint(took, >=, G_USEC_PER_SEC);
    g_assert_cmpint(took, <, 5 * G_USEC_PER_SEC);
    g_assert_nonnull(strstr(out, "\"findings\""));
    g_autoptr(GError) e = NULL;
    g_autoptr(GPtrArray) frames = lt_read_frames(w, &e);
    g_assert_no_error(e);
    g_unlink(w);
}

/* -o and --annotate onto a FIFO (or /dev/null) write into it; they must
 * not replace it with a regular file, as a temporary file renamed over the
 * path would (and as root, /dev/null too). */
static void test_output_to_fifo(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    if (dirs->len == 0) {
        g_test_skip("no captures");
        return;
    }
    g_autofree char *cap = capture_dirs_capture(g_ptr_array_index(dirs, 0));
    const char *opts[] = {"-o", "--annotate"};
    for (guint i = 0; i < G_N_ELEMENTS(opts); i++) {
        g_autofree char *fifo = g_build_filename(tmpdir, "fifo", NULL);
        g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
        int rd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so that erdiag's open does not wait */
        g_assert_cmpint(rd, >=, 0);
        const char *args[] = {opts[i], fifo, cap, NULL};
        g_autofree char *out = NULL, *err = NULL;
        int status = capture_dirs_run(args, &out, &err);
        g_assert_cmpint(status, <=, 1);
        char buf[16];
        g_assert_cmpint(read(rd, buf, sizeof buf), >, 0);
        close(rd);
        GStatBuf st;
        g_assert_cmpint(g_stat(fifo, &st), ==, 0);
        g_assert_true(S_ISFIFO(st.st_mode));
        g_unlink(fifo);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-live-errors-XXXXXX", NULL);
    g_test_add_func("/live-errors/missing-interface", test_missing_interface);
    g_test_add_func("/live-errors/second-interface-missing", test_second_interface_missing);
    g_test_add_func("/live-errors/bad-filter", test_bad_filter);
    g_test_add_func("/live-errors/no-permission", test_no_permission);
    g_test_add_func("/live-errors/stdin-text", test_stdin_text);
    g_test_add_func("/live-errors/stdin-empty", test_stdin_empty);
    g_test_add_func("/live-errors/stdin-truncated", test_stdin_truncated);
    g_test_add_func("/live-errors/annotate-stdin-among-files", test_annotate_stdin_among_files);
    g_test_add_func("/live-errors/unwritable-spool", test_unwritable_spool);
    g_test_add_func("/live-errors/duration", test_duration);
    g_test_add_func("/live-errors/output-to-fifo", test_output_to_fifo);
    int rc = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
