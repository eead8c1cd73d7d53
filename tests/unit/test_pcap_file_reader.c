/* Classic pcap read by pcap_file_reader.c against the same files read by
 * libpcap: the same frames (link type, timestamps, lengths, bytes) and, when
 * the file is cut short or damaged, the same frames before the same error.
 * On the repository's pcap captures, the third-party ones in
 * ../shared/public-pcaps (when present), and hand-built files in both byte
 * orders and both resolutions with records above the snapshot length and
 * above libpcap's largest, each cut at every length. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "capture_reader.h"
#include "test_tmpdir.h"

static char *tmpdir;

typedef struct {
    GString *log;     /* one line per frame, then the outcome */
    guint frames;
} reading;

static gboolean on_frame(int linktype, erdiag_packet_meta *meta, const guint8 *data, gpointer user)
{
    reading *rd = user;
    g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1, data, meta->cap_len);
    g_string_append_printf(rd->log, "%d %" G_GINT64_FORMAT " %u %u %u %s\n", linktype, meta->ts_us, meta->iface,
                           meta->wire_len, meta->cap_len, sum);
    rd->frames++;
    meta->iface += 7; /* a caller may change it: the next frame must not see it */
    return TRUE;
}

/* The frames and outcome of reading path through erdiag_capture_reader_each(),
 * by pcap_file_reader (libpcap = FALSE) or by libpcap. *ours: whether
 * pcap_file_reader read it. NULL when the file does not open. */
static char *read_with(const char *path, gboolean libpcap, gboolean *ours, guint *frames)
{
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    if (!r) {
        g_error_free(error);
        return NULL;
    }
    if (libpcap)
        erdiag_capture_reader_prefer_libpcap(r);
    if (ours)
        *ours = erdiag_capture_reader_reads_pcap_itself(r);
    reading rd = {g_string_new(NULL), 0};
    gboolean ok = erdiag_capture_reader_each(r, on_frame, &rd, &error);
    g_string_append_printf(rd.log, "%s %" G_GUINT64_FORMAT " %s\n", ok ? "ok" : "failed",
                           erdiag_capture_reader_frames(r), error ? error->message : "-");
    g_clear_error(&error);
    erdiag_capture_reader_close(r);
    if (frames)
        *frames = rd.frames;
    return g_string_free(rd.log, FALSE);
}

/* Both readers agree on path; returns whether pcap_file_reader took it. */
static gboolean agree(const char *path)
{
    gboolean ours = FALSE;
    g_autofree char *fast = read_with(path, FALSE, &ours, NULL);
    g_autofree char *slow = read_with(path, TRUE, NULL, NULL);
    if (g_strcmp0(fast, slow) != 0)
        g_error("%s: pcap_file_reader and libpcap disagree:\n--- ours\n%s--- libpcap\n%s", path, fast, slow);
    return ours && fast != NULL;
}

static void test_captures(void)
{
    guint ours = 0;
    g_autoptr(GDir) d = g_dir_open(ERDIAG_SOURCE_DIR "/captures", 0, NULL);
    g_assert_nonnull(d);
    for (const char *name; (name = g_dir_read_name(d));) {
        g_autofree char *path = g_build_filename(ERDIAG_SOURCE_DIR "/captures", name, "capture.pcap", NULL);
        if (g_file_test(path, G_FILE_TEST_EXISTS))
            ours += agree(path);
    }
    g_assert_cmpuint(ours, >=, 4);
}

static void test_public(void)
{
    g_autoptr(GDir) d = g_dir_open(ERDIAG_SHARED_DIR "/public-pcaps", 0, NULL);
    if (!d) {
        g_test_skip("../shared/public-pcaps is not here");
        return;
    }
    guint ours = 0;
    for (const char *name; (name = g_dir_read_name(d));) {
        if (!g_str_has_suffix(name, ".pcap"))
            continue;
        g_autofree char *path = g_build_filename(ERDIAG_SHARED_DIR "/public-pcaps", name, NULL);
        ours += agree(path);
    }
    g_assert_cmpuint(ours, >=, 10);
}

/* --- hand-built files ------------------------------------------------------ */

static void put32(GByteArray *a, gboolean be, guint32 v)
{
    guint32 x = be ? GUINT32_TO_BE(v) : GUINT32_TO_LE(v);
    g_byte_array_append(a, (const guint8 *)&x, 4);
}

static void put16(GByteArray *a, gboolean be, guint16 v)
{
    guint16 x = be ? GUINT16_TO_BE(v) : GUINT16_TO_LE(v);
    g_byte_array_append(a, (const guint8 *)&x, 2);
}

static void header(GByteArray *a, gboolean be, guint32 magic, guint16 minor, guint32 snaplen)
{
    put32(a, be, magic);
    put16(a, be, 2);
    put16(a, be, minor);
    put32(a, be, 0);
    put32(a, be, 0);
    put32(a, be, snaplen);
    put32(a, be, 1); /* Ethernet */
}

/* A record of caplen bytes (each its index plus seed); sec may be past
 * 2^31 (libpcap reads it unsigned). */
static void record(GByteArray *a, gboolean be, guint32 sec, guint32 frac, guint32 caplen, guint32 len, guint8 seed)
{
    put32(a, be, sec);
    put32(a, be, frac);
    put32(a, be, caplen);
    put32(a, be, len);
    for (guint32 i = 0; i < caplen; i++) {
        guint8 b = (guint8)(i + seed);
        g_byte_array_append(a, &b, 1);
    }
}

/* snaplen 100: a frame within it, one above it (libpcap keeps 100 bytes
 * and skips 50), one whose header claims less on the wire than captured,
 * a timestamp past 2^31 seconds, then a record longer than libpcap takes. */
static GByteArray *crafted(gboolean be, guint32 magic, gboolean too_long)
{
    GByteArray *a = g_byte_array_new();
    header(a, be, magic, 4, 100);
    record(a, be, 1700000000, magic == 0xa1b23c4d ? 123456789 : 123456, 60, 60, 1);
    record(a, be, 1700000001, 999, 150, 1514, 2);
    record(a, be, 1700000002, 1, 70, 64, 3);
    record(a, be, 0x80000010u, 0x80000005u, 60, 60, 4);
    if (too_long)
        record(a, be, 1700000003, 0, 262145, 262145, 5);
    return a;
}

static void check_every_cut(GByteArray *a, const char *name, gboolean expect_ours)
{
    g_autofree char *path = g_build_filename(tmpdir, name, NULL);
    for (gsize len = 24; len <= a->len; len += len < 800 ? 1 : 997) {
        g_assert_true(g_file_set_contents(path, (const char *)a->data, (gssize)len, NULL));
        g_assert_true(agree(path) == expect_ours);
    }
    g_assert_true(g_file_set_contents(path, (const char *)a->data, a->len, NULL));
    g_assert_true(agree(path) == expect_ours);
}

static void test_crafted(void)
{
    static const guint32 magics[] = {0xa1b2c3d4, 0xa1b23c4d};
    for (int be = 0; be <= 1; be++)
        for (gsize m = 0; m < G_N_ELEMENTS(magics); m++) {
            GByteArray *a = crafted(be, magics[m], TRUE);
            check_every_cut(a, "crafted.pcap", TRUE);
            g_byte_array_free(a, TRUE);
        }
    /* the same frames read: 4, and the error about the fifth */
    GByteArray *a = crafted(FALSE, 0xa1b2c3d4, TRUE);
    g_autofree char *path = g_build_filename(tmpdir, "whole.pcap", NULL);
    g_assert_true(g_file_set_contents(path, (const char *)a->data, a->len, NULL));
    guint frames = 0;
    g_autofree char *log = read_with(path, FALSE, NULL, &frames);
    g_assert_cmpuint(frames, ==, 4);
    g_assert_nonnull(strstr(log, "invalid packet capture length 262145, bigger than snaplen of 100"));
    g_assert_nonnull(strstr(log, " 1514 100 ")); /* cut to the snapshot length */
    g_byte_array_free(a, TRUE);
}

/* Files pcap_file_reader leaves to libpcap: format 2.3 (whose lengths may
 * be swapped) and snapshot length 0 (the largest) is still ours. */
static void test_left_to_libpcap(void)
{
    GByteArray *a = g_byte_array_new();
    header(a, FALSE, 0xa1b2c3d4, 3, 65535);
    record(a, FALSE, 1700000000, 0, 60, 40, 1); /* 2.3: caplen > len, read swapped */
    check_every_cut(a, "old.pcap", FALSE);
    g_byte_array_free(a, TRUE);
    a = g_byte_array_new();
    header(a, TRUE, 0xa1b2c3d4, 4, 0);
    record(a, TRUE, 1700000000, 0, 2000, 2000, 1);
    check_every_cut(a, "snaplen0.pcap", TRUE);
    g_byte_array_free(a, TRUE);
}

/* A reader that stops: no frame after the one that said stop. */
static gboolean stop_at_two(int linktype, erdiag_packet_meta *meta, const guint8 *data, gpointer user)
{
    (void)linktype, (void)meta, (void)data;
    return ++*(guint *)user < 2;
}

static void test_stop(void)
{
    GByteArray *a = crafted(FALSE, 0xa1b2c3d4, FALSE);
    g_autofree char *path = g_build_filename(tmpdir, "stop.pcap", NULL);
    g_assert_true(g_file_set_contents(path, (const char *)a->data, a->len, NULL));
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, NULL);
    g_assert_true(erdiag_capture_reader_reads_pcap_itself(r));
    guint n = 0;
    g_assert_true(erdiag_capture_reader_each(r, stop_at_two, &n, NULL));
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpuint(erdiag_capture_reader_frames(r), ==, 2);
    erdiag_capture_reader_close(r);
    g_byte_array_free(a, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-pcap-XXXXXX", NULL);
    g_test_add_func("/pcap-file/captures", test_captures);
    g_test_add_func("/pcap-file/public", test_public);
    g_test_add_func("/pcap-file/crafted", test_crafted);
    g_test_add_func("/pcap-file/left-to-libpcap", test_left_to_libpcap);
    g_test_add_func("/pcap-file/stop", test_stop);
    int rc = g_test_run();
    test_tmpdir_remove(tmpdir);
    return rc;
}
