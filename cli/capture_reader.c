/* Capture input for the CLI: sniff the format from the first bytes, then
 * read classic pcap through libpcap and pcapng with pcapng_reader.c.
 *
 * The first bytes are read before we know which reader gets the stream, and
 * stdin cannot be rewound. So the sniffed bytes are kept and replayed in
 * front of the rest: pcapng_reader reads through replay_read(), libpcap
 * through a stdio stream made with fopencookie() over the same function.
 * That treats files, pipes and stdin alike. */
#include "capture_reader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "decoder.h"
#include "pcap_file_reader.h"
#include "pcapng_reader.h"

enum {
    PCAP_FILE_HEADER = 24,
    PCAP_RECORD_HEADER = 16,
    PCAP_MODIFIED_RECORD_HEADER = 24, /* the "modified" (Kuznetzov) pcap format */
    REGULAR_FILE_BUFFER = 256 * 1024, /* stdio buffer for regular files: few read() calls */
};

struct erdiag_capture_reader {
    char *name;                /* for messages: the path, or "stdin" */
    FILE *fp;                  /* underlying input (NULL for live) */
    gboolean fp_is_stdin;
    gboolean fp_regular;       /* a regular file: reads never wait for data */
    char *fp_buf, *stream_buf; /* stdio buffers of fp and of libpcap's stream (regular files) */
    guint8 head[PCAP_FILE_HEADER]; /* sniffed bytes, replayed first */
    gsize head_len, head_pos;
    guint64 frames;            /* delivered */
    gboolean idle;

    /* classic pcap and live capture */
    pcap_t *pcap;
    int pcap_linktype;
    gboolean live;
    guint64 pcap_offset;       /* byte offset of the next record (files) */
    gboolean pcap_ended;       /* end of file or an error: stop asking libpcap */
    guint record_header;
    pcap_file_reader *fast;    /* a regular file's records without libpcap, for _each() */

    /* pcapng */
    erdiag_pcapng_reader *ng;
};

GQuark erdiag_capture_error_quark(void)
{
    return g_quark_from_static_string("erdiag-capture-error-quark");
}

/* --- input with replayed head -------------------------------------------- */

static gssize replay_read(gpointer src, guint8 *buf, gsize n, GError **error)
{
    erdiag_capture_reader *r = src;
    gsize done = 0;
    gsize from_head = MIN(n, r->head_len - r->head_pos);
    memcpy(buf, r->head + r->head_pos, from_head);
    r->head_pos += from_head;
    done += from_head;
    while (done < n && r->fp != NULL) {
        size_t got = fread(buf + done, 1, n - done, r->fp);
        done += got;
        if (got == 0) {
            if (ferror(r->fp)) {
                g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "%s: read error: %s",
                            r->name, g_strerror(errno));
                return -1;
            }
            break;
        }
    }
    return (gssize)done;
}

static ssize_t cookie_read(void *cookie, char *buf, size_t n)
{
    GError *error = NULL;
    gssize got = replay_read(cookie, (guint8 *)buf, n, &error);
    if (got < 0) {
        g_clear_error(&error);
        return -1;
    }
    return got;
}

/* libpcap closes its stream with pcap_close(); the underlying file is
 * closed by erdiag_capture_reader_close(). */
static int cookie_close(void *cookie)
{
    (void)cookie;
    return 0;
}

/* --- sniffing the format ------------------------------------------------- */

static guint32 le32(const guint8 *b)
{
    return (guint32)b[0] | (guint32)b[1] << 8 | (guint32)b[2] << 16 | (guint32)b[3] << 24;
}

static guint32 be32(const guint8 *b)
{
    return (guint32)b[3] | (guint32)b[2] << 8 | (guint32)b[1] << 16 | (guint32)b[0] << 24;
}

typedef enum { FORMAT_UNKNOWN, FORMAT_PCAP, FORMAT_PCAPNG } capture_format;

static capture_format sniff(const guint8 *b, gsize n, gboolean *big_endian, guint *record_header)
{
    if (n < 4)
        return FORMAT_UNKNOWN;
    if (le32(b) == ERDIAG_PCAPNG_SHB)
        return FORMAT_PCAPNG;
    static const guint32 magics[] = { 0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34 };
    for (gsize i = 0; i < G_N_ELEMENTS(magics); i++) {
        if (be32(b) == magics[i] || le32(b) == magics[i]) {
            *big_endian = be32(b) == magics[i];
            *record_header = magics[i] == 0xa1b2cd34 ? PCAP_MODIFIED_RECORD_HEADER : PCAP_RECORD_HEADER;
            return FORMAT_PCAP;
        }
    }
    return FORMAT_UNKNOWN;
}

static gboolean looks_like_text(const guint8 *b, gsize n)
{
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isprint(b[i]) && !g_ascii_isspace(b[i]))
            return FALSE;
    return TRUE;
}

static void unsupported_linktype(GError **error, const char *name, int linktype)
{
    g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_LINKTYPE,
                "%s: link type %d (%s) is not supported: capture on the Ethernet/VLAN interface or with -i any",
                name, linktype, erdiag_decoder_linktype_name(linktype));
}

/* --- opening ------------------------------------------------------------- */

/* A regular file can be read again from its first byte: libpcap then gets
 * an ordinary stream with a large buffer on a descriptor of its own, instead
 * of the replaying cookie stream, whose unbuffered reads cost a chain of
 * calls and a byte-by-byte copy per record. NULL when that fails. */
static FILE *reopen_from_start(erdiag_capture_reader *r)
{
    int fd = dup(fileno(r->fp));
    if (fd < 0)
        return NULL;
    FILE *f = lseek(fd, 0, SEEK_SET) == 0 ? fdopen(fd, "rb") : NULL;
    if (f == NULL) {
        close(fd);
        return NULL;
    }
    r->stream_buf = g_malloc(REGULAR_FILE_BUFFER);
    setvbuf(f, r->stream_buf, _IOFBF, REGULAR_FILE_BUFFER);
    return f;
}

static gboolean open_pcap(erdiag_capture_reader *r, gboolean big_endian, GError **error)
{
    if (r->head_len < PCAP_FILE_HEADER) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_TRUNCATED,
                    "%s: truncated pcap file header (%" G_GSIZE_FORMAT " of %d bytes)", r->name, r->head_len,
                    PCAP_FILE_HEADER);
        return FALSE;
    }
    /* The link type is in the low 16 bits; the upper ones describe FCS. */
    int linktype = (int)((big_endian ? be32(r->head + 20) : le32(r->head + 20)) & 0xffff);
    if (!erdiag_decoder_linktype_supported(linktype)) {
        unsupported_linktype(error, r->name, linktype);
        return FALSE;
    }
    FILE *stream = r->fp_regular ? reopen_from_start(r) : NULL;
    if (stream == NULL) {
        cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
        stream = fopencookie(r, "rb", io);
        if (stream == NULL) {
            g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "%s: %s", r->name, g_strerror(errno));
            return FALSE;
        }
        /* Unbuffered, so libpcap's reads reach replay_read() with their own
         * sizes (a record header, then its bytes): a buffered cookie stream asks
         * for a whole buffer, and on a pipe that waits for kilobytes of later
         * packets, so a live stream (tcpdump -U -w - | erdiag -) would stall.
         * r->fp below stays buffered. */
        setvbuf(stream, NULL, _IONBF, 0);
    }
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    r->pcap = pcap_fopen_offline_with_tstamp_precision(stream, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (r->pcap == NULL) {
        fclose(stream);
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT, "%s: %s", r->name, errbuf);
        return FALSE;
    }
    r->pcap_linktype = linktype;
    r->pcap_offset = PCAP_FILE_HEADER;
    /* libpcap has checked the header (and words what it refuses); the
     * records of a plain file are read without it */
    if (r->fp_regular)
        r->fast = pcap_file_reader_new(fileno(r->fp), r->head);
    return TRUE;
}

static gboolean open_pcapng(erdiag_capture_reader *r, GError **error)
{
    r->ng = erdiag_pcapng_reader_new(r->name, replay_read, r, error);
    if (r->ng == NULL)
        return FALSE;
    /* Refuse the file only when no interface declared up front can be
     * decoded; packets of an odd interface beside good ones get a decode
     * note instead. */
    guint n = erdiag_pcapng_reader_n_interfaces(r->ng);
    for (guint i = 0; i < n; i++)
        if (erdiag_decoder_linktype_supported(erdiag_pcapng_reader_linktype(r->ng, i)))
            return TRUE;
    if (n > 0) {
        unsupported_linktype(error, r->name, erdiag_pcapng_reader_linktype(r->ng, 0));
        return FALSE;
    }
    return TRUE; /* no interfaces and no packets: an empty capture */
}

erdiag_capture_reader *erdiag_capture_reader_open(const char *path, GError **error)
{
    erdiag_capture_reader *r = g_new0(erdiag_capture_reader, 1);
    if (g_strcmp0(path, "-") == 0) {
        r->name = g_strdup("stdin");
        r->fp = stdin;
        r->fp_is_stdin = TRUE;
    } else {
        r->name = g_strdup(path);
        r->fp = fopen(path, "rb");
        if (r->fp == NULL) {
            g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "%s: %s", path, g_strerror(errno));
            erdiag_capture_reader_close(r);
            return NULL;
        }
        /* A regular file never makes a read wait, so its streams get large
         * buffers: a multi-gigabyte capture costs a few thousand read()
         * calls instead of hundreds of thousands. */
        struct stat st;
        if (fstat(fileno(r->fp), &st) == 0 && S_ISREG(st.st_mode)) {
            r->fp_regular = TRUE;
            r->fp_buf = g_malloc(REGULAR_FILE_BUFFER);
            setvbuf(r->fp, r->fp_buf, _IOFBF, REGULAR_FILE_BUFFER);
        }
    }

    /* Sniff with nothing to replay yet, then keep what was read. */
    guint8 head[PCAP_FILE_HEADER];
    gssize got = replay_read(r, head, sizeof head, error);
    if (got < 0) {
        erdiag_capture_reader_close(r);
        return NULL;
    }
    memcpy(r->head, head, (gsize)got);
    r->head_len = (gsize)got;
    r->head_pos = 0;

    gboolean big_endian = FALSE, ok = FALSE;
    switch (sniff(r->head, r->head_len, &big_endian, &r->record_header)) {
    case FORMAT_PCAP:
        ok = open_pcap(r, big_endian, error);
        break;
    case FORMAT_PCAPNG:
        ok = open_pcapng(r, error);
        break;
    case FORMAT_UNKNOWN:
        if (r->head_len == 0)
            g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT, "%s: empty file", r->name);
        else if (looks_like_text(r->head, r->head_len))
            g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT,
                        "%s: a text file, not a pcap or pcapng capture", r->name);
        else if (r->head_len < 4)
            g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT,
                        "%s: only %" G_GSIZE_FORMAT " bytes, too short for a capture file", r->name, r->head_len);
        else
            g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT,
                        "%s: unknown file format (starts with 0x%08x): not pcap or pcapng", r->name, be32(r->head));
        break;
    }
    if (!ok) {
        erdiag_capture_reader_close(r);
        return NULL;
    }
    return r;
}

erdiag_capture_reader *erdiag_capture_reader_from_pcap(pcap_t *p, const char *name, GError **error)
{
    /* DLT_ values: equal to the LINKTYPE_ ones we decode, except DLT_RAW
     * (12, or 14 on OpenBSD), which the decoder takes as raw IP too. */
    int linktype = pcap_datalink(p);
    if (!erdiag_decoder_linktype_supported(linktype)) {
        unsupported_linktype(error, name, linktype);
        pcap_close(p);
        return NULL;
    }
    erdiag_capture_reader *r = g_new0(erdiag_capture_reader, 1);
    r->name = g_strdup(name);
    r->pcap = p;
    r->pcap_linktype = linktype;
    r->live = TRUE;
    return r;
}

/* --- reading ------------------------------------------------------------- */

/* Everything but frame, which is the caller's (and may be unset). */
static void fill_meta(erdiag_packet_meta *meta, gint64 ts_us, guint32 iface, guint32 wire_len, guint32 cap_len)
{
    meta->n_tags = 0;
    memset(meta->tags, 0, sizeof meta->tags);
    meta->has_macs = FALSE;
    memset(meta->src_mac, 0, sizeof meta->src_mac);
    memset(meta->dst_mac, 0, sizeof meta->dst_mac);
    meta->ts_us = ts_us;
    meta->iface = iface;
    meta->wire_len = wire_len;
    meta->cap_len = cap_len;
}

/* The reading of a classic pcap file (or a live handle) stopped on msg,
 * worded as libpcap words it: *error says where, worded as the pcapng reader
 * words it. */
static void read_failed(erdiag_capture_reader *r, const char *msg, GError **error)
{
    g_autofree char *where = r->frames ? g_strdup_printf("after frame %" G_GUINT64_FORMAT, r->frames)
                                       : g_strdup("before the first frame");
    if (r->live) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "%s: %s", r->name, msg);
    } else if (strstr(msg, "header bytes") != NULL) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_TRUNCATED,
                    "%s: truncated %s (record header cut at byte %" G_GUINT64_FORMAT ")",
                    r->name, where, r->pcap_offset);
    } else if (strstr(msg, "captured bytes") != NULL) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_TRUNCATED,
                    "%s: truncated %s (packet data cut; record at byte %" G_GUINT64_FORMAT ")",
                    r->name, where, r->pcap_offset);
    } else {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_DAMAGED,
                    "%s: damaged %s (record at byte %" G_GUINT64_FORMAT "): %s",
                    r->name, where, r->pcap_offset, msg);
    }
}

static void pcap_read_failed(erdiag_capture_reader *r, GError **error)
{
    read_failed(r, pcap_geterr(r->pcap), error);
}

static gint64 pcap_ts_us(const struct pcap_pkthdr *hdr)
{
    return (gint64)hdr->ts.tv_sec * 1000000 + hdr->ts.tv_usec;
}

/* A classic pcap record read (by libpcap or pcap_file_reader): the meta
 * fields that change from frame to frame set, the record counted. The
 * others are zero: fill_meta() clears them for erdiag_capture_reader_next(),
 * erdiag_capture_reader_each() once per file (clearing them per frame showed
 * in profiles). */
static void pcap_frame(erdiag_capture_reader *r, erdiag_packet_meta *meta, gint64 ts_us, guint32 len,
                       guint32 caplen)
{
    meta->ts_us = ts_us;
    meta->iface = 0;
    meta->wire_len = len;
    meta->cap_len = caplen;
    r->pcap_offset += r->record_header + caplen;
    r->frames++;
}

static gboolean next_pcap(erdiag_capture_reader *r, int *linktype, erdiag_packet_meta *meta,
                          const guint8 **data, GError **error)
{
    if (r->pcap_ended)
        return FALSE;
    struct pcap_pkthdr *hdr;
    const u_char *bytes;
    int rc = pcap_next_ex(r->pcap, &hdr, &bytes);
    if (rc == 1) {
        fill_meta(meta, 0, 0, 0, 0); /* the fields pcap_frame() leaves are zero for the caller */
        pcap_frame(r, meta, pcap_ts_us(hdr), hdr->len, hdr->caplen);
        *linktype = r->pcap_linktype;
        *data = bytes;
        return TRUE;
    }
    if (rc == 0) {
        r->idle = TRUE; /* live read timeout */
        return FALSE;
    }
    r->pcap_ended = !r->live;
    if (rc == PCAP_ERROR_BREAK)
        return FALSE; /* end of file, or pcap_breakloop() */
    pcap_read_failed(r, error);
    return FALSE;
}

/* --- reading with a callback ---------------------------------------------- */

typedef struct {
    erdiag_capture_reader *r;
    erdiag_capture_frame_fn fn;
    gpointer user;
    gboolean stopped;          /* fn asked for no more */
    erdiag_packet_meta meta;
} each_ctx;

static void on_pcap_record(u_char *user, const struct pcap_pkthdr *hdr, const u_char *bytes)
{
    each_ctx *x = (each_ctx *)user;
    pcap_frame(x->r, &x->meta, pcap_ts_us(hdr), hdr->len, hdr->caplen);
    if (!x->fn(x->r->pcap_linktype, &x->meta, bytes, x->user)) {
        x->stopped = TRUE;
        pcap_breakloop(x->r->pcap);
    }
}

/* erdiag_capture_reader_each() over pcap_file_reader. */
static gboolean each_fast(erdiag_capture_reader *r, erdiag_capture_frame_fn fn, gpointer user, GError **error)
{
    erdiag_packet_meta meta = {0}; /* fn may change frame and iface: both are set per frame */
    pcap_file_record rec;
    g_autofree char *msg = NULL;
    int rc;
    while ((rc = pcap_file_reader_next(r->fast, &rec, &msg)) == 1) {
        pcap_frame(r, &meta, rec.ts_us, rec.len, rec.caplen);
        if (!fn(r->pcap_linktype, &meta, rec.data, user))
            return TRUE;
    }
    r->pcap_ended = TRUE;
    if (rc == 0)
        return TRUE;
    read_failed(r, msg, error);
    return FALSE;
}

gboolean erdiag_capture_reader_reads_pcap_itself(const erdiag_capture_reader *r)
{
    return r->fast != NULL;
}

void erdiag_capture_reader_prefer_libpcap(erdiag_capture_reader *r)
{
    pcap_file_reader_free(r->fast);
    r->fast = NULL;
}

gboolean erdiag_capture_reader_each(erdiag_capture_reader *r, erdiag_capture_frame_fn fn, gpointer user,
                                    GError **error)
{
    if (r->fast != NULL && !r->pcap_ended)
        return each_fast(r, fn, user, error);
    if (r->pcap != NULL && !r->live) {
        if (r->pcap_ended)
            return TRUE;
        each_ctx x = {r, fn, user, FALSE, {0}};
        int rc = pcap_dispatch(r->pcap, -1, on_pcap_record, (u_char *)&x);
        if (x.stopped)
            return TRUE;
        r->pcap_ended = TRUE;
        if (rc >= 0 || rc == PCAP_ERROR_BREAK)
            return TRUE; /* end of file */
        pcap_read_failed(r, error);
        return FALSE;
    }
    int linktype;
    erdiag_packet_meta meta = {0};
    const guint8 *data;
    GError *err = NULL;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err))
        if (!fn(linktype, &meta, data, user))
            return TRUE;
    if (err) {
        g_propagate_error(error, err);
        return FALSE;
    }
    return TRUE;
}

gboolean erdiag_capture_reader_next(erdiag_capture_reader *r, int *linktype, erdiag_packet_meta *meta,
                                    const guint8 **data, GError **error)
{
    r->idle = FALSE;
    erdiag_capture_reader_prefer_libpcap(r); /* libpcap reads on from where it is */
    if (r->pcap != NULL)
        return next_pcap(r, linktype, meta, data, error);
    if (r->ng == NULL)
        return FALSE;
    erdiag_pcapng_packet pkt;
    if (erdiag_pcapng_reader_next(r->ng, &pkt, error) <= 0)
        return FALSE;
    fill_meta(meta, pkt.ts_us, pkt.iface, pkt.wire_len, pkt.cap_len);
    *linktype = pkt.linktype;
    *data = pkt.data;
    r->frames++;
    return TRUE;
}

int erdiag_capture_reader_linktype(erdiag_capture_reader *r)
{
    if (r->pcap != NULL)
        return r->pcap_linktype;
    return r->ng ? erdiag_pcapng_reader_linktype(r->ng, 0) : -1;
}

guint64 erdiag_capture_reader_frames(erdiag_capture_reader *r)
{
    return r->frames;
}

gboolean erdiag_capture_reader_idle(erdiag_capture_reader *r)
{
    return r->idle;
}

void erdiag_capture_reader_close(erdiag_capture_reader *r)
{
    if (r == NULL)
        return;
    if (r->pcap != NULL)
        pcap_close(r->pcap); /* closes its stream (cookie or reopened file), not r->fp */
    pcap_file_reader_free(r->fast);
    erdiag_pcapng_reader_free(r->ng);
    if (r->fp != NULL && !r->fp_is_stdin)
        fclose(r->fp);
    g_free(r->stream_buf);
    g_free(r->fp_buf);
    g_free(r->name);
    g_free(r);
}
