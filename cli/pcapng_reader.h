/* A pcapng block parser: sections in either byte order, interfaces with
 * their link types and timestamp resolutions, and the three packet blocks
 * (enhanced, simple, obsolete). Used by capture_reader.c. */
#ifndef ERDIAG_PCAPNG_READER_H
#define ERDIAG_PCAPNG_READER_H

#include <glib.h>

G_BEGIN_DECLS

enum {
    ERDIAG_PCAPNG_SHB = 0x0A0D0D0A,
    /* Blocks larger than this are treated as damage: libpcap uses the same
     * bound, and it keeps one bogus length from costing gigabytes. */
    ERDIAG_PCAPNG_MAX_BLOCK = 16 * 1024 * 1024,
    /* More interfaces than this in one file is damage, not a capture. */
    ERDIAG_PCAPNG_MAX_INTERFACES = 65536,
};

/* Reads up to n bytes; returns how many (fewer only at end of input), or
 * -1 on an I/O error (with *error set). */
typedef gssize (*erdiag_pcapng_read_fn)(gpointer src, guint8 *buf, gsize n, GError **error);

typedef struct erdiag_pcapng_reader erdiag_pcapng_reader;

typedef struct {
    guint32 iface;      /* interface id, numbered on across sections */
    int linktype;
    gint64 ts_us;
    guint32 wire_len;
    guint32 cap_len;
    const guint8 *data; /* valid until the next call */
} erdiag_pcapng_packet;

/* Reads the section header and every block up to the first packet, so the
 * interfaces declared up front are known. name is used in messages. */
erdiag_pcapng_reader *erdiag_pcapng_reader_new(const char *name, erdiag_pcapng_read_fn read,
                                               gpointer src, GError **error);

/* 1 with a packet, 0 at the end, -1 with *error set (truncation or damage:
 * the message names the byte offset and the frames delivered so far). */
int erdiag_pcapng_reader_next(erdiag_pcapng_reader *r, erdiag_pcapng_packet *pkt, GError **error);

guint erdiag_pcapng_reader_n_interfaces(const erdiag_pcapng_reader *r);
int erdiag_pcapng_reader_linktype(const erdiag_pcapng_reader *r, guint iface);

void erdiag_pcapng_reader_free(erdiag_pcapng_reader *r);

G_END_DECLS

#endif
