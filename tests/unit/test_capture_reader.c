/* Capture files in, packets or one-line errors out: pcap through libpcap,
 * pcapng through our own block parser, and stdin. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

/* Unit tests link erdiag_core only; the CLI's reader is compiled in here. */
#include "capture_reader.h"
#include "test_tmpdir.h"

static char *tmpdir;

/* --- writing test files --------------------------------------------------- */

typedef struct {
    GByteArray *a;
    gboolean be;
} writer;

static void w16(writer *w, guint16 v)
{
    guint16 x = w->be ? GUINT16_TO_BE(v) : GUINT16_TO_LE(v);
    g_byte_array_append(w->a, (const guint8 *)&x, 2);
}

static void w32(writer *w, guint32 v)
{
    guint32 x = w->be ? GUINT32_TO_BE(v) : GUINT32_TO_LE(v);
    g_byte_array_append(w->a, (const guint8 *)&x, 4);
}

static void wbytes(writer *w, const guint8 *b, gsize n)
{
    g_byte_array_append(w->a, b, (guint)n);
    static const guint8 pad[4] = { 0 };
    if (n % 4)
        g_byte_array_append(w->a, pad, (guint)(4 - n % 4));
}

/* Start a block; returns its offset for block_end(). */
static gsize block_begin(writer *w, guint32 type)
{
    gsize off = w->a->len;
    w32(w, type);
    w32(w, 0); /* length, patched by block_end */
    return off;
}

static void block_end(writer *w, gsize off)
{
    guint32 total = (guint32)(w->a->len - off + 4);
    w32(w, total);
    guint32 x = w->be ? GUINT32_TO_BE(total) : GUINT32_TO_LE(total);
    memcpy(w->a->data + off + 4, &x, 4);
}

static void ng_shb(writer *w)
{
    gsize b = block_begin(w, 0x0A0D0D0A);
    w32(w, 0x1A2B3C4D);
    w16(w, 1);
    w16(w, 0);
    w32(w, 0xffffffff); /* section length unknown */
    w32(w, 0xffffffff);
    block_end(w, b);
}

/* tsresol 0 = no option (microseconds). */
static void ng_idb(writer *w, guint16 linktype, guint8 tsresol)
{
    gsize b = block_begin(w, 1);
    w16(w, linktype);
    w16(w, 0);
    w32(w, 262144);
    w16(w, 2); /* if_name, to be skipped */
    w16(w, 4);
    wbytes(w, (const guint8 *)"eth0", 4);
    if (tsresol) {
        w16(w, 9);
        w16(w, 1);
        wbytes(w, &tsresol, 1);
    }
    w16(w, 0);
    w16(w, 0);
    block_end(w, b);
}

static void ng_epb(writer *w, guint32 iface, guint64 ts_units, const guint8 *data, guint32 caplen, guint32 wirelen)
{
    gsize b = block_begin(w, 6);
    w32(w, iface);
    w32(w, (guint32)(ts_units >> 32));
    w32(w, (guint32)ts_units);
    w32(w, caplen);
    w32(w, wirelen);
    wbytes(w, data, caplen);
    w16(w, 1); /* opt_comment, to be skipped */
    w16(w, 3);
    wbytes(w, (const guint8 *)"hey", 3);
    w16(w, 0);
    w16(w, 0);
    block_end(w, b);
}

static void ng_spb(writer *w, const guint8 *data, guint32 len)
{
    gsize b = block_begin(w, 3);
    w32(w, len);
    wbytes(w, data, len);
    block_end(w, b);
}

static void ng_other(writer *w, guint32 type)
{
    gsize b = block_begin(w, type);
    w32(w, 0);
    block_end(w, b);
}

static void pcap_header(writer *w, guint32 magic, guint32 linktype)
{
    w32(w, magic);
    w16(w, 2);
    w16(w, 4);
    w32(w, 0);
    w32(w, 0);
    w32(w, 65535);
    w32(w, linktype);
}

static void pcap_record(writer *w, guint32 sec, guint32 frac, const guint8 *data, guint32 caplen, guint32 wirelen)
{
    w32(w, sec);
    w32(w, frac);
    w32(w, caplen);
    w32(w, wirelen);
    g_byte_array_append(w->a, data, caplen);
}

static char *write_file(const char *name, const guint8 *data, gsize len)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    GError *error = NULL;
    g_assert_true(g_file_set_contents(path, (const char *)data, (gssize)len, &error));
    return path;
}

/* A 60-byte Ethernet frame whose first byte says which one it is. */
static const guint8 *frame_bytes(guint8 id)
{
    static guint8 f[60];
    memset(f, 0, sizeof f);
    f[0] = id;
    f[12] = 0x08;
    f[13] = 0x06;
    return f;
}

/* --- reading --------------------------------------------------------------- */

typedef struct {
    int linktype;
    erdiag_packet_meta meta;
    guint8 first_byte;
} got_packet;

/* Reads to the end; returns the packets, and the final error (or NULL). */
static GArray *read_all(erdiag_capture_reader *r, GError **error)
{
    GArray *out = g_array_new(FALSE, TRUE, sizeof(got_packet));
    got_packet p;
    const guint8 *data;
    memset(&p, 0, sizeof p);
    p.meta.frame = 77; /* the reader must leave it alone */
    while (erdiag_capture_reader_next(r, &p.linktype, &p.meta, &data, error)) {
        g_assert_cmpuint(p.meta.frame, ==, 77);
        p.first_byte = p.meta.cap_len ? data[0] : 0;
        g_array_append_val(out, p);
    }
    return out;
}

static char *open_error(const char *path)
{
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    g_assert_null(r);
    g_assert_nonnull(error);
    g_assert_null(strchr(error->message, '\n'));
    char *msg = g_strdup(error->message);
    g_error_free(error);
    return msg;
}

static void test_open_errors(void)
{
    char *path = write_file("empty.pcap", (const guint8 *)"", 0);
    char *msg = open_error(path);
    char *want = g_strdup_printf("%s: empty file", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);

    const char *text = "frame,time,source\n1,0.0,10.0.0.1\n";
    path = write_file("capture.txt", (const guint8 *)text, strlen(text));
    msg = open_error(path);
    want = g_strdup_printf("%s: a text file, not a pcap or pcapng capture", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);

    static const guint8 junk[32] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
    path = write_file("junk.bin", junk, sizeof junk);
    msg = open_error(path);
    want = g_strdup_printf("%s: unknown file format (starts with 0x7f454c46): not pcap or pcapng", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);

    path = g_build_filename(tmpdir, "missing.pcap", NULL);
    msg = open_error(path);
    want = g_strdup_printf("%s: No such file or directory", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);

    /* A pcap header cut short. */
    writer w = { g_byte_array_new(), FALSE };
    pcap_header(&w, 0xa1b2c3d4, 1);
    path = write_file("short.pcap", w.a->data, 10);
    msg = open_error(path);
    want = g_strdup_printf("%s: truncated pcap file header (10 of 24 bytes)", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);
    g_byte_array_free(w.a, TRUE);
}

static void test_unsupported_linktype(void)
{
    writer w = { g_byte_array_new(), FALSE };
    pcap_header(&w, 0xa1b2c3d4, 105);
    pcap_record(&w, 1, 0, frame_bytes(1), 60, 60);
    char *path = write_file("x.pcap", w.a->data, w.a->len);
    char *msg = open_error(path);
    char *want = g_strdup_printf("%s: link type 105 (IEEE802_11) is not supported: capture on the "
                                 "Ethernet/VLAN interface or with -i any", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);
    g_byte_array_free(w.a, TRUE);

    /* pcapng whose only interface is 802.11. */
    w.a = g_byte_array_new();
    ng_shb(&w);
    ng_idb(&w, 105, 0);
    ng_epb(&w, 0, 1, frame_bytes(1), 60, 60);
    path = write_file("x.pcapng", w.a->data, w.a->len);
    msg = open_error(path);
    want = g_strdup_printf("%s: link type 105 (IEEE802_11) is not supported: capture on the "
                           "Ethernet/VLAN interface or with -i any", path);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);
    g_byte_array_free(w.a, TRUE);
}

/* Bare-IP and Juniper captures (a Juniper router's `monitor traffic` export,
 * tcpdump on a tunnel or `-i any` of old) open and read like Ethernet ones:
 * the link type is the file's, the decoder takes it from there. */
static void test_other_linktypes(void)
{
    static const guint32 linktypes[] = { 12, 14, 101, 178, 228, 229 };
    for (gsize i = 0; i < G_N_ELEMENTS(linktypes); i++) {
        writer w = { g_byte_array_new(), FALSE };
        pcap_header(&w, 0xa1b2c3d4, linktypes[i]);
        pcap_record(&w, 1700000000, 0, frame_bytes(0x45), 60, 60);
        char *path = write_file("raw.pcap", w.a->data, w.a->len);
        GError *error = NULL;
        erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
        g_assert_no_error(error);
        g_assert_cmpint(erdiag_capture_reader_linktype(r), ==, (int)linktypes[i]);
        GArray *got = read_all(r, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(got->len, ==, 1);
        g_assert_cmpint(g_array_index(got, got_packet, 0).linktype, ==, (int)linktypes[i]);
        g_assert_cmpuint(g_array_index(got, got_packet, 0).first_byte, ==, 0x45);
        g_array_free(got, TRUE);
        erdiag_capture_reader_close(r);
        g_free(path);
        g_byte_array_free(w.a, TRUE);
    }

    /* pcapng: a raw-IP interface alone is enough to open the file. */
    writer w = { g_byte_array_new(), FALSE };
    ng_shb(&w);
    ng_idb(&w, 101, 0);
    ng_epb(&w, 0, 1, frame_bytes(0x60), 60, 60);
    char *path = write_file("raw.pcapng", w.a->data, w.a->len);
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    g_assert_no_error(error);
    GArray *got = read_all(r, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 1);
    g_assert_cmpint(g_array_index(got, got_packet, 0).linktype, ==, 101);
    g_array_free(got, TRUE);
    erdiag_capture_reader_close(r);
    g_free(path);
    g_byte_array_free(w.a, TRUE);
}

static GByteArray *three_frame_pcap(guint32 magic, gboolean be, guint32 linktype)
{
    writer w = { g_byte_array_new(), be };
    pcap_header(&w, magic, linktype);
    gboolean nano = magic == 0xa1b23c4d;
    pcap_record(&w, 1700000000, nano ? 123456789 : 123456, frame_bytes(1), 60, 60);
    pcap_record(&w, 1700000001, 0, frame_bytes(2), 60, 1514); /* snaplen-cut */
    pcap_record(&w, 1700000002, nano ? 999 : 1, frame_bytes(3), 60, 60);
    return w.a;
}

static void test_pcap(void)
{
    static const struct {
        guint32 magic;
        gboolean be;
        gint64 ts3_us;
    } variants[] = {
        { 0xa1b2c3d4, FALSE, G_GINT64_CONSTANT(1700000002000001) },
        { 0xa1b2c3d4, TRUE, G_GINT64_CONSTANT(1700000002000001) },
        { 0xa1b23c4d, FALSE, G_GINT64_CONSTANT(1700000002000000) }, /* nanoseconds: 999 ns -> 0 us */
    };
    for (gsize v = 0; v < G_N_ELEMENTS(variants); v++) {
        GByteArray *f = three_frame_pcap(variants[v].magic, variants[v].be, 113);
        char *path = write_file("three.pcap", f->data, f->len);
        GError *error = NULL;
        erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
        g_assert_no_error(error);
        g_assert_cmpint(erdiag_capture_reader_linktype(r), ==, 113);
        GArray *got = read_all(r, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(got->len, ==, 3);
        got_packet *p = &g_array_index(got, got_packet, 0);
        g_assert_cmpint(p->linktype, ==, 113);
        g_assert_cmpint(p->meta.ts_us, ==, G_GINT64_CONSTANT(1700000000123456));
        g_assert_cmpuint(p->first_byte, ==, 1);
        p = &g_array_index(got, got_packet, 1);
        g_assert_cmpuint(p->meta.cap_len, ==, 60);
        g_assert_cmpuint(p->meta.wire_len, ==, 1514);
        g_assert_cmpuint(p->meta.iface, ==, 0);
        p = &g_array_index(got, got_packet, 2);
        g_assert_cmpint(p->meta.ts_us, ==, variants[v].ts3_us);
        g_assert_cmpuint(p->first_byte, ==, 3);
        g_assert_cmpuint(erdiag_capture_reader_frames(r), ==, 3);
        g_array_free(got, TRUE);
        erdiag_capture_reader_close(r);
        g_free(path);
        g_byte_array_free(f, TRUE);
    }
}

/* The first `len` bytes of capture f: `frames` frames read, then the
 * truncation error "<path>: truncated <what>", and nothing after it. */
static void check_cut(const GByteArray *f, gsize len, guint frames, const char *what)
{
    char *path = write_file("capture.pcap", f->data, len);
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    g_assert_no_error(error);
    GArray *got = read_all(r, &error);
    g_assert_cmpuint(got->len, ==, frames);
    g_assert_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_TRUNCATED);
    char *want = g_strdup_printf("%s: truncated %s", path, what);
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_clear_error(&error);
    int lt;
    erdiag_packet_meta m;
    const guint8 *data;
    g_assert_false(erdiag_capture_reader_next(r, &lt, &m, &data, &error));
    g_assert_no_error(error);
    g_array_free(got, TRUE);
    erdiag_capture_reader_close(r);
    g_free(path);
}

static void test_pcap_truncated(void)
{
    GByteArray *f = three_frame_pcap(0xa1b2c3d4, FALSE, 1);
    /* Records are 16 + 60 bytes; the third starts at 24 + 2 * 76 = 176. */
    check_cut(f, 176 + 7, 2, "after frame 2 (record header cut at byte 176)");
    check_cut(f, 176 + 16 + 30, 2, "after frame 2 (packet data cut; record at byte 176)");
    /* inside the first record: worded as the pcapng reader words it */
    check_cut(f, 24 + 16 + 10, 0, "before the first frame (packet data cut; record at byte 24)");
    g_byte_array_free(f, TRUE);
}

/* Two interfaces of different link types and resolutions, in both byte
 * orders, with blocks we skip in between. */
static GByteArray *two_iface_pcapng(gboolean be)
{
    writer w = { g_byte_array_new(), be };
    ng_shb(&w);
    ng_idb(&w, 1, 0);   /* Ethernet, microseconds */
    ng_idb(&w, 113, 9); /* Linux SLL, nanoseconds */
    ng_other(&w, 4);    /* name resolution block */
    ng_epb(&w, 0, G_GUINT64_CONSTANT(1700000000123456), frame_bytes(1), 60, 60);
    ng_epb(&w, 1, G_GUINT64_CONSTANT(1700000000123456789), frame_bytes(2), 60, 1514);
    ng_other(&w, 5);    /* interface statistics */
    ng_spb(&w, frame_bytes(3), 60);
    return w.a;
}

static void test_pcapng_two_interfaces(void)
{
    for (int be = 0; be <= 1; be++) {
        GByteArray *f = two_iface_pcapng(be);
        char *path = write_file("two.pcapng", f->data, f->len);
        GError *error = NULL;
        erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
        g_assert_no_error(error);
        g_assert_cmpint(erdiag_capture_reader_linktype(r), ==, 1);
        GArray *got = read_all(r, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(got->len, ==, 3);
        got_packet *p = &g_array_index(got, got_packet, 0);
        g_assert_cmpint(p->linktype, ==, 1);
        g_assert_cmpuint(p->meta.iface, ==, 0);
        g_assert_cmpint(p->meta.ts_us, ==, G_GINT64_CONSTANT(1700000000123456));
        g_assert_cmpuint(p->first_byte, ==, 1);
        p = &g_array_index(got, got_packet, 1);
        g_assert_cmpint(p->linktype, ==, 113);
        g_assert_cmpuint(p->meta.iface, ==, 1);
        g_assert_cmpint(p->meta.ts_us, ==, G_GINT64_CONSTANT(1700000000123456));
        g_assert_cmpuint(p->meta.wire_len, ==, 1514);
        g_assert_cmpuint(p->meta.cap_len, ==, 60);
        g_assert_cmpuint(p->first_byte, ==, 2);
        p = &g_array_index(got, got_packet, 2); /* simple packet block: interface 0, time carried over */
        g_assert_cmpint(p->linktype, ==, 1);
        g_assert_cmpuint(p->meta.iface, ==, 0);
        g_assert_cmpint(p->meta.ts_us, ==, G_GINT64_CONSTANT(1700000000123456));
        g_assert_cmpuint(p->first_byte, ==, 3);
        g_array_free(got, TRUE);
        erdiag_capture_reader_close(r);
        g_free(path);
        g_byte_array_free(f, TRUE);
    }
}

/* A second section (as `cat a.pcapng b.pcapng` makes) restarts interface
 * ids; we number on so the two files' interfaces stay apart. */
static void test_pcapng_sections(void)
{
    writer w = { g_byte_array_new(), FALSE };
    ng_shb(&w);
    ng_idb(&w, 1, 0);
    ng_epb(&w, 0, 10, frame_bytes(1), 60, 60);
    writer w2 = { w.a, TRUE };
    ng_shb(&w2);
    ng_idb(&w2, 276, 0);
    ng_epb(&w2, 0, 20, frame_bytes(2), 60, 60);
    char *path = write_file("sections.pcapng", w.a->data, w.a->len);
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    g_assert_no_error(error);
    GArray *got = read_all(r, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 2);
    g_assert_cmpuint(g_array_index(got, got_packet, 1).meta.iface, ==, 1);
    g_assert_cmpint(g_array_index(got, got_packet, 1).linktype, ==, 276);
    g_assert_cmpint(g_array_index(got, got_packet, 1).meta.ts_us, ==, 20);
    g_array_free(got, TRUE);
    erdiag_capture_reader_close(r);
    g_free(path);
    g_byte_array_free(w.a, TRUE);
}

/* Damage after the first packet: that packet is delivered, then an error
 * naming the block's byte offset. */
static void check_damaged(const char *name, void (*damage)(writer *w), int code, const char *detail)
{
    writer w = { g_byte_array_new(), FALSE };
    ng_shb(&w);
    ng_idb(&w, 1, 0);
    ng_epb(&w, 0, 10, frame_bytes(1), 60, 60);
    gsize at = w.a->len;
    damage(&w);
    char *path = write_file(name, w.a->data, w.a->len);
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    g_assert_no_error(error);
    GArray *got = read_all(r, &error);
    g_assert_cmpuint(got->len, ==, 1);
    g_assert_error(error, ERDIAG_CAPTURE_ERROR, code);
    char *d = g_strdup_printf(detail, (guint)at);
    char *want = g_strdup_printf("%s: %s after frame 1 (%s)", path,
                                 code == ERDIAG_CAPTURE_ERROR_TRUNCATED ? "truncated" : "damaged", d);
    g_assert_cmpstr(error->message, ==, want);
    /* Nothing more after the error. */
    g_clear_error(&error);
    int lt;
    erdiag_packet_meta m;
    const guint8 *data;
    g_assert_false(erdiag_capture_reader_next(r, &lt, &m, &data, &error));
    g_assert_no_error(error);
    g_free(want);
    g_free(d);
    g_array_free(got, TRUE);
    erdiag_capture_reader_close(r);
    g_free(path);
    g_byte_array_free(w.a, TRUE);
}

static void bogus_length(writer *w)
{
    w32(w, 6);
    w32(w, 7); /* not a multiple of 4 */
    w32(w, 0);
    w32(w, 0);
}

static void huge_length(writer *w)
{
    w32(w, 6);
    w32(w, 0xfffffff0);
    w32(w, 0);
}

static void mismatched_trailer(writer *w)
{
    ng_epb(w, 0, 11, frame_bytes(2), 60, 60);
    w->a->data[w->a->len - 4] = 101; /* trailing length, little endian: 104 -> 101 */
}

static void cut_block(writer *w)
{
    ng_epb(w, 0, 11, frame_bytes(2), 60, 60);
    g_byte_array_set_size(w->a, w->a->len - 10);
}

static void cut_header(writer *w)
{
    w32(w, 6);
    w16(w, 0);
}

static void caplen_past_block(writer *w)
{
    gsize start = w->a->len;
    ng_epb(w, 0, 11, frame_bytes(2), 60, 60);
    guint32 big = GUINT32_TO_LE(5000);
    memcpy(w->a->data + start + 8 + 12, &big, 4);
}

static void unknown_interface(writer *w)
{
    ng_epb(w, 4, 11, frame_bytes(2), 60, 60);
}

static void test_pcapng_damage(void)
{
    check_damaged("bogus.pcapng", bogus_length, ERDIAG_CAPTURE_ERROR_DAMAGED,
                  "block of type 0x00000006 at byte %u has impossible length 7");
    check_damaged("huge.pcapng", huge_length, ERDIAG_CAPTURE_ERROR_DAMAGED,
                  "block of type 0x00000006 at byte %u has impossible length 4294967280");
    check_damaged("trailer.pcapng", mismatched_trailer, ERDIAG_CAPTURE_ERROR_DAMAGED,
                  "block at byte %u says length 104 at its start and 101 at its end");
    check_damaged("cut.pcapng", cut_block, ERDIAG_CAPTURE_ERROR_TRUNCATED,
                  "block at byte %u cut after 94 of 104 bytes");
    check_damaged("cuthdr.pcapng", cut_header, ERDIAG_CAPTURE_ERROR_TRUNCATED,
                  "block header cut at byte %u");
    check_damaged("caplen.pcapng", caplen_past_block, ERDIAG_CAPTURE_ERROR_DAMAGED,
                  "packet block at byte %u claims 5000 captured bytes but holds 72");
    check_damaged("iface.pcapng", unknown_interface, ERDIAG_CAPTURE_ERROR_DAMAGED,
                  "packet block at byte %u names interface 4, but the section declares 1");
}

/* Damage before any packet fails the open, naming the offset. */
static void test_pcapng_damaged_header(void)
{
    writer w = { g_byte_array_new(), FALSE };
    ng_shb(&w);
    gsize at = w.a->len;
    bogus_length(&w);
    char *path = write_file("early.pcapng", w.a->data, w.a->len);
    char *msg = open_error(path);
    char *want = g_strdup_printf("%s: damaged before the first frame (block of type 0x00000006 at byte %u "
                                 "has impossible length 7)", path, (guint)at);
    g_assert_cmpstr(msg, ==, want);
    g_free(want), g_free(msg), g_free(path);
    g_byte_array_free(w.a, TRUE);

    /* A section header with a bad byte-order magic. */
    w.a = g_byte_array_new();
    ng_shb(&w);
    w.a->data[8] = 0x55;
    path = write_file("bom.pcapng", w.a->data, w.a->len);
    msg = open_error(path);
    g_assert_nonnull(strstr(msg, "no valid byte-order magic"));
    g_free(msg), g_free(path);
    g_byte_array_free(w.a, TRUE);
}

/* "-" reads stdin, whichever format arrives there. */
static void check_stdin(GByteArray *f, guint expect_packets)
{
    char *path = write_file("stdin.cap", f->data, f->len);
    g_assert_nonnull(freopen(path, "rb", stdin));
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open("-", &error);
    g_assert_no_error(error);
    GArray *got = read_all(r, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, expect_packets);
    g_assert_cmpuint(g_array_index(got, got_packet, expect_packets - 1).first_byte, ==, expect_packets);
    g_array_free(got, TRUE);
    erdiag_capture_reader_close(r);
    g_free(path);
}

static void test_stdin(void)
{
    GByteArray *f = three_frame_pcap(0xa1b2c3d4, FALSE, 1);
    check_stdin(f, 3);
    g_byte_array_free(f, TRUE);
    f = two_iface_pcapng(FALSE);
    check_stdin(f, 3);
    g_byte_array_free(f, TRUE);

    /* Empty stdin. */
    char *path = write_file("empty-stdin", (const guint8 *)"", 0);
    g_assert_nonnull(freopen(path, "rb", stdin));
    GError *error = NULL;
    g_assert_null(erdiag_capture_reader_open("-", &error));
    g_assert_cmpstr(error->message, ==, "stdin: empty file");
    g_clear_error(&error);
    g_free(path);
}

/* Every prefix of a good pcapng: a clean end or a one-line error, never a
 * crash, and never more packets than the prefix holds. */
static void test_pcapng_every_prefix(void)
{
    GByteArray *f = two_iface_pcapng(TRUE);
    for (gsize n = 0; n <= f->len; n++) {
        char *path = write_file("prefix.pcapng", f->data, n);
        GError *error = NULL;
        erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
        if (r == NULL) {
            g_assert_nonnull(error);
            g_clear_error(&error);
            g_free(path);
            continue;
        }
        GArray *got = read_all(r, &error);
        g_assert_cmpuint(got->len, <=, 3);
        if (n == f->len) {
            g_assert_no_error(error);
            g_assert_cmpuint(got->len, ==, 3);
        } else if (error == NULL) {
            /* Only a cut exactly between blocks ends cleanly. */
            g_assert_cmpuint(got->len, <, 3);
        }
        g_clear_error(&error);
        g_array_free(got, TRUE);
        erdiag_capture_reader_close(r);
        g_free(path);
    }
    g_byte_array_free(f, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    GError *error = NULL;
    tmpdir = g_dir_make_tmp("erdiag-capture-XXXXXX", &error);
    g_assert_no_error(error);
    g_test_add_func("/capture/open-errors", test_open_errors);
    g_test_add_func("/capture/unsupported-linktype", test_unsupported_linktype);
    g_test_add_func("/capture/other-linktypes", test_other_linktypes);
    g_test_add_func("/capture/pcap", test_pcap);
    g_test_add_func("/capture/pcap-truncated", test_pcap_truncated);
    g_test_add_func("/capture/pcapng-two-interfaces", test_pcapng_two_interfaces);
    g_test_add_func("/capture/pcapng-sections", test_pcapng_sections);
    g_test_add_func("/capture/pcapng-damage", test_pcapng_damage);
    g_test_add_func("/capture/pcapng-damaged-header", test_pcapng_damaged_header);
    g_test_add_func("/capture/pcapng-every-prefix", test_pcapng_every_prefix);
    g_test_add_func("/capture/stdin", test_stdin);
    int rc = g_test_run();

    test_tmpdir_remove(tmpdir);
    return rc;
}
