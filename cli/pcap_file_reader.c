/* Classic pcap records straight from a regular file (pcap_file_reader.h).
 * The checks and messages follow libpcap 1.10's sf-pcap.c record by record:
 * a header cut short, a capture length above the largest libpcap accepts,
 * one above the file's snapshot length (read up to it, the rest skipped),
 * data cut short. */
#include "pcap_file_reader.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

enum {
    FILE_HEADER = 24,
    RECORD_HEADER = 16,
    MAGIC_MICRO = 0xa1b2c3d4,
    MAGIC_NANO = 0xa1b23c4d,
    /* libpcap's MAXIMUM_SNAPLEN: the largest capture length it accepts
     * for every link type erdiag decodes */
    MAX_SNAPLEN = 262144,
};

G_STATIC_ASSERT(RECORD_HEADER + MAX_SNAPLEN <= PCAP_FILE_READER_BLOCK);

struct pcap_file_reader {
    int fd;
    guint64 file_off;         /* where the next read from the file starts */
    gboolean eof;
    guint8 *buf;
    gsize start, end;         /* unread bytes: buf[start, end) */
    gboolean swapped, nano;
    guint32 snapshot;         /* the header's snapshot length, as libpcap adjusts it */
};

static guint32 u32(const pcap_file_reader *r, const guint8 *b)
{
    guint32 v;
    memcpy(&v, b, 4);
    return r->swapped ? GUINT32_SWAP_LE_BE(v) : v;
}

pcap_file_reader *pcap_file_reader_new(int fd, const guint8 header[FILE_HEADER])
{
    guint32 magic;
    memcpy(&magic, header, 4);
    gboolean swapped = magic != MAGIC_MICRO && magic != MAGIC_NANO;
    if (swapped)
        magic = GUINT32_SWAP_LE_BE(magic);
    if (magic != MAGIC_MICRO && magic != MAGIC_NANO)
        return NULL; /* Kuznetzov's modified format: libpcap's */
    guint16 major, minor;
    memcpy(&major, header + 4, 2);
    memcpy(&minor, header + 6, 2);
    if (swapped) {
        major = GUINT16_SWAP_LE_BE(major);
        minor = GUINT16_SWAP_LE_BE(minor);
    }
    if (major != 2 || minor != 4)
        return NULL; /* older formats may swap the lengths: libpcap's */
    int own = dup(fd);
    if (own < 0)
        return NULL;
    pcap_file_reader *r = g_new0(pcap_file_reader, 1);
    r->fd = own;
    r->file_off = FILE_HEADER;
    r->swapped = swapped;
    r->nano = magic == MAGIC_NANO;
    r->snapshot = u32(r, header + 16);
    if (r->snapshot == 0 || r->snapshot > MAX_SNAPLEN)
        r->snapshot = MAX_SNAPLEN;
    r->buf = g_malloc(PCAP_FILE_READER_BLOCK);
    return r;
}

void pcap_file_reader_free(pcap_file_reader *r)
{
    if (!r)
        return;
    close(r->fd);
    g_free(r->buf);
    g_free(r);
}

/* Makes `need` bytes (at most a block) unread, reading on from the file;
 * fewer only at the end of the file. -1 on a read error (errno set). */
static gssize have(pcap_file_reader *r, gsize need)
{
    if (r->end - r->start >= need || r->eof)
        return (gssize)MIN(need, r->end - r->start);
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
    while (r->end < need && !r->eof) {
        ssize_t got = pread(r->fd, r->buf + r->end, PCAP_FILE_READER_BLOCK - r->end, (off_t)r->file_off);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0)
            r->eof = TRUE;
        r->end += (gsize)got;
        r->file_off += (guint64)got;
    }
    return (gssize)MIN(need, r->end);
}

static int read_failed(char **message)
{
    *message = g_strdup_printf("error reading dump file: %s", g_strerror(errno));
    return -1;
}

int pcap_file_reader_next(pcap_file_reader *r, pcap_file_record *rec, char **message)
{
    gssize got = have(r, RECORD_HEADER);
    if (got < 0)
        return read_failed(message);
    if (got < RECORD_HEADER) {
        if (got == 0)
            return 0;
        *message = g_strdup_printf("truncated dump file; tried to read %d header bytes, only got %" G_GSSIZE_FORMAT,
                                   RECORD_HEADER, got);
        return -1;
    }
    const guint8 *h = r->buf + r->start;
    /* seconds and fractions past 2^31 as libpcap 1.10 reads them: signed
     * 32-bit fields in the host's byte order, unsigned once swapped (its
     * SWAPLONG) */
    guint32 raw_sec = u32(r, h), raw_frac = u32(r, h + 4);
    gint64 sec = r->swapped ? (gint64)raw_sec : (gint64)(gint32)raw_sec;
    gint64 frac = r->swapped ? (gint64)raw_frac : (gint64)(gint32)raw_frac;
    guint32 caplen = u32(r, h + 8);
    rec->len = u32(r, h + 12);
    rec->ts_us = sec * 1000000 + (r->nano ? frac / 1000 : frac);
    r->start += RECORD_HEADER;
    if (caplen > MAX_SNAPLEN) {
        *message = g_strdup_printf("invalid packet capture length %u, bigger than snaplen of %u", caplen,
                                   r->snapshot);
        return -1;
    }
    /* above the snapshot length, libpcap keeps that much and skips the
     * rest; the whole record fits in a block either way */
    guint32 keep = MIN(caplen, r->snapshot);
    got = have(r, caplen);
    if (got < 0)
        return read_failed(message);
    if ((guint32)got < caplen) {
        *message = g_strdup_printf("truncated dump file; tried to read %u captured bytes, only got %" G_GSSIZE_FORMAT,
                                   (guint32)got < keep ? keep : caplen, got);
        return -1;
    }
    rec->data = r->buf + r->start;
    rec->caplen = keep;
    r->start += caplen;
    return 1;
}
