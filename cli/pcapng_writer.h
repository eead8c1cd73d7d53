/* A small pcapng writer: one section header, interface descriptions and
 * enhanced packet blocks with optional comments.
 *
 * libpcap's dumper writes classic pcap only and cannot attach comments; the
 * annotated evidence capture needs a packet comment (opt_comment) on every
 * evidence frame and the report summary on the section header, so the
 * blocks are written here. Timestamps are microseconds (if_tsresol = 6). */
#ifndef ERDIAG_PCAPNG_WRITER_H
#define ERDIAG_PCAPNG_WRITER_H

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct pcapng_writer pcapng_writer;

/* Creates path (truncating it) and writes the section header block with
 * shb_userappl and, when comment is not NULL, an opt_comment. NULL and a
 * one-line GError naming the file on failure. */
pcapng_writer *pcapng_writer_create(const char *path, const char *comment, GError **error);

/* Adds an interface description block; returns its interface id (0, 1 ...).
 * snaplen 0 means "no limit"; name may be NULL. */
guint pcapng_writer_add_interface(pcapng_writer *w, int linktype, guint32 snaplen, const char *name);

/* Writes one enhanced packet block. comments (may be NULL) are UTF-8 strings,
 * one opt_comment option each; a comment longer than an option can hold is
 * cut at a character boundary. */
void pcapng_writer_packet(pcapng_writer *w, guint iface, gint64 ts_us, guint32 wire_len,
                          const guint8 *data, guint32 cap_len, const char *const *comments, guint n_comments);

/* Pushes buffered blocks to the file (live spool: readable while it grows). */
void pcapng_writer_flush(pcapng_writer *w);

/* Flushes and closes; FALSE with a GError naming the file if any write
 * failed (disk full ...). Frees w in every case. */
gboolean pcapng_writer_close(pcapng_writer *w, GError **error);

G_END_DECLS

#endif
