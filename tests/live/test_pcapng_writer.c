/* The pcapng writer: what it writes reads back through the project's reader
 * (interfaces, link types, timestamps, lengths, bytes) and through tshark
 * (comments, section comment, several comments on one packet, a comment
 * too long for one option, bytes that are not UTF-8). */
#include <string.h>
#include <glib/gstdio.h>
#include "live_util.h"
#include "pcapng_writer.h"

static char *tmpdir;

static void test_roundtrip(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "w.pcapng", NULL);
    g_autoptr(GError) e = NULL;
    pcapng_writer *w = pcapng_writer_create(path, "section note", &e);
    g_assert_no_error(e);
    guint eth = pcapng_writer_add_interface(w, 1, 262144, "eth0");
    guint sll = pcapng_writer_add_interface(w, 113, 0, NULL);
    g_assert_cmpuint(eth, ==, 0);
    g_assert_cmpuint(sll, ==, 1);
    guint8 a[61], b[16];
    for (guint i = 0; i < sizeof a; i++)
        a[i] = (guint8)i;
    memset(b, 0xab, sizeof b);
    gint64 t = (gint64)1764072000 * G_USEC_PER_SEC + 123456;
    const char *two[] = {"first comment", "second comment"};
    pcapng_writer_packet(w, eth, t, 1500, a, sizeof a, two, 2);
    pcapng_writer_packet(w, sll, t + 1, sizeof b, b, sizeof b, NULL, 0);
    /* an interface added after packets is fine in pcapng */
    guint late = pcapng_writer_add_interface(w, 1, 65535, "eth1");
    pcapng_writer_packet(w, late, t + 2, 0, b, 0, NULL, 0);
    g_assert_true(pcapng_writer_close(w, &e));
    g_assert_no_error(e);

    g_autoptr(GPtrArray) frames = lt_read_frames(path, &e);
    g_assert_no_error(e);
    g_assert_cmpuint(frames->len, ==, 3);
    lt_frame *f0 = g_ptr_array_index(frames, 0), *f1 = g_ptr_array_index(frames, 1),
             *f2 = g_ptr_array_index(frames, 2);
    g_assert_cmpint(f0->linktype, ==, 1);
    g_assert_cmpint(f1->linktype, ==, 113);
    g_assert_cmpint(f2->linktype, ==, 1);
    g_assert_cmpuint(f0->iface, ==, 0);
    g_assert_cmpuint(f1->iface, ==, 1);
    g_assert_cmpuint(f2->iface, ==, 2);
    g_assert_cmpint(f0->ts_us, ==, t);
    g_assert_cmpint(f1->ts_us, ==, t + 1);
    g_assert_cmpuint(f0->wire_len, ==, 1500);
    g_assert_cmpuint(g_bytes_get_size(f0->data), ==, sizeof a);
    g_assert_cmpmem(g_bytes_get_data(f0->data, NULL), sizeof a, a, sizeof a);
    g_assert_cmpmem(g_bytes_get_data(f1->data, NULL), sizeof b, b, sizeof b);
    g_assert_cmpuint(g_bytes_get_size(f2->data), ==, 0);

    if (!lt_have_program("tshark")) {
        g_test_message("tshark not found: comments not checked");
        g_unlink(path);
        return;
    }
    const char *argv[] = {"tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number", "-e", "frame.comment",
                          "-e", "frame.interface_name", "-E", "occurrence=a", "-E", "aggregator=|", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
    g_assert_nonnull(strstr(out, "1\tfirst comment|second comment\teth0\n"));
    g_assert_nonnull(strstr(out, "\n2\t\t")); /* no comment; the unnamed interface is shown as tshark likes */
    g_assert_nonnull(strstr(out, "3\t\teth1\n"));
    g_unlink(path);
}

static void test_long_and_invalid_comments(void)
{
    if (!lt_have_program("tshark")) {
        g_test_skip("tshark not found");
        return;
    }
    g_autofree char *path = g_build_filename(tmpdir, "long.pcapng", NULL);
    g_autoptr(GError) e = NULL;
    GString *big = g_string_new(NULL);
    while (big->len < 70000)
        g_string_append(big, "é"); /* two bytes each: the cut must not split one */
    pcapng_writer *w = pcapng_writer_create(path, big->str, &e);
    g_assert_no_error(e);
    guint i = pcapng_writer_add_interface(w, 1, 0, "x");
    guint8 frame[14] = {0};
    const char *bad = "bad \xff\xfe bytes";
    const char *comments[] = {big->str, bad};
    pcapng_writer_packet(w, i, G_USEC_PER_SEC, sizeof frame, frame, sizeof frame, comments, 2);
    g_assert_true(pcapng_writer_close(w, &e));
    g_string_free(big, TRUE);
    const char *argv[] = {"tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.comment", "-E", "occurrence=a",
                          "-E", "aggregator=|", NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
    g_assert_true(g_utf8_validate(out, -1, NULL));
    g_assert_nonnull(strstr(out, "|bad "));
    g_assert_nonnull(strstr(out, " bytes\n"));
    g_assert_cmpuint(strlen(out), >, 60000);
    g_unlink(path);
}

static void test_unwritable(void)
{
    g_autoptr(GError) e = NULL;
    pcapng_writer *w = pcapng_writer_create("/nonexistent-dir/x.pcapng", NULL, &e);
    g_assert_null(w);
    g_assert_nonnull(e);
    g_assert_nonnull(strstr(e->message, "/nonexistent-dir/x.pcapng"));
}

/* A full disk is reported by close, naming the file. */
static void test_full_disk(void)
{
    if (!g_file_test("/dev/full", G_FILE_TEST_EXISTS)) {
        g_test_skip("no /dev/full");
        return;
    }
    g_autoptr(GError) e = NULL;
    pcapng_writer *w = pcapng_writer_create("/dev/full", NULL, &e);
    g_assert_no_error(e);
    guint i = pcapng_writer_add_interface(w, 1, 0, NULL);
    guint8 frame[64] = {0};
    for (int k = 0; k < 2000; k++)
        pcapng_writer_packet(w, i, k, sizeof frame, frame, sizeof frame, NULL, 0);
    g_assert_false(pcapng_writer_close(w, &e));
    g_assert_nonnull(e);
    g_assert_nonnull(strstr(e->message, "/dev/full"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-writer-XXXXXX", NULL);
    g_test_add_func("/pcapng-writer/roundtrip", test_roundtrip);
    g_test_add_func("/pcapng-writer/long-and-invalid-comments", test_long_and_invalid_comments);
    g_test_add_func("/pcapng-writer/unwritable", test_unwritable);
    g_test_add_func("/pcapng-writer/full-disk", test_full_disk);
    int rc = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
