/* Reading packets from capture files (pcap, pcapng) or stdin, and from an
 * open libpcap handle (live capture).
 *
 * Classic pcap goes through libpcap. pcapng is parsed here: libpcap 1.10
 * exposes only the first interface's link type and never says which
 * interface a packet came from, and both matter (an ExpressRoute capture
 * taken on the primary and secondary links is one pcapng with two
 * interfaces, possibly of different link types). */
#ifndef ERDIAG_CAPTURE_READER_H
#define ERDIAG_CAPTURE_READER_H

#include <glib.h>
#include <pcap/pcap.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

#define ERDIAG_CAPTURE_ERROR (erdiag_capture_error_quark())
GQuark erdiag_capture_error_quark(void);

typedef enum {
    ERDIAG_CAPTURE_ERROR_OPEN,        /* cannot open or read the file */
    ERDIAG_CAPTURE_ERROR_FORMAT,      /* empty, text, unknown or unsupported format */
    ERDIAG_CAPTURE_ERROR_LINKTYPE,    /* no interface with a link type we decode */
    ERDIAG_CAPTURE_ERROR_TRUNCATED,   /* the file ends inside a record or block */
    ERDIAG_CAPTURE_ERROR_DAMAGED,     /* a record or block is impossible */
} erdiag_capture_error;

typedef struct erdiag_capture_reader erdiag_capture_reader;

/* path "-" = stdin (pcap or pcapng stream). NULL + one-line GError naming
 * the file on failure (empty file, text file, unknown format, unsupported
 * link type). */
erdiag_capture_reader *erdiag_capture_reader_open(const char *path, GError **error);

/* Wraps an activated libpcap handle (pcap_open_live, pcap_create ...) and
 * takes ownership of it, also on failure. name is used in messages. NULL +
 * GError when its link type is not decoded. */
erdiag_capture_reader *erdiag_capture_reader_from_pcap(pcap_t *p, const char *name, GError **error);

/* TRUE with a packet; FALSE at end of file (error NULL) or on a
 * damaged/truncated file (error set: "capture.pcap: truncated after frame
 * 41 (record header cut at byte 5230)"; the packets before it were
 * delivered). meta: ts_us, iface, wire_len, cap_len are filled, frame is
 * left to the caller, the rest zeroed. iface is the pcapng interface id,
 * numbered on across the sections of one file; 0 for classic pcap and live
 * handles (a caller reading several files adds its own file index). *data
 * holds cap_len bytes and stays valid until the next call. For a live
 * handle FALSE with no error may also mean the read timed out: see
 * erdiag_capture_reader_idle(). */
gboolean erdiag_capture_reader_next(erdiag_capture_reader *r, int *linktype, erdiag_packet_meta *meta,
                                    const guint8 **data, GError **error);

/* A frame for erdiag_capture_reader_each(), filled as
 * erdiag_capture_reader_next() fills it; data is valid during the call
 * only. FALSE: read no further. */
typedef gboolean (*erdiag_capture_frame_fn)(int linktype, erdiag_packet_meta *meta, const guint8 *data,
                                           gpointer user);

/* Hands fn every frame until the input ends (TRUE), fn returns FALSE (TRUE;
 * the reader is not to be read further) or the file turns out damaged or
 * truncated (FALSE, error set as erdiag_capture_reader_next() sets it). A
 * file libpcap reads goes through pcap_dispatch(): one call into libpcap's
 * read loop for the whole file instead of a pcap_next_ex() per frame. Not
 * for live handles. */
gboolean erdiag_capture_reader_each(erdiag_capture_reader *r, erdiag_capture_frame_fn fn, gpointer user,
                                    GError **error);

/* Classic pcap in a regular file is read by pcap_file_reader.c, which
 * follows libpcap's checks and wording; this makes libpcap read it instead
 * (tests compare the two). */
void erdiag_capture_reader_prefer_libpcap(erdiag_capture_reader *r);
/* TRUE while pcap_file_reader.c reads r's records. */
gboolean erdiag_capture_reader_reads_pcap_itself(const erdiag_capture_reader *r);

/* Link type (LINKTYPE_*) of interface 0, -1 when the file declares none. */
int erdiag_capture_reader_linktype(erdiag_capture_reader *r);

/* Frames delivered so far. */
guint64 erdiag_capture_reader_frames(erdiag_capture_reader *r);

/* TRUE when the last erdiag_capture_reader_next() returned FALSE because a
 * live handle's read timed out, not because the input ended. */
gboolean erdiag_capture_reader_idle(erdiag_capture_reader *r);

void erdiag_capture_reader_close(erdiag_capture_reader *r);

G_END_DECLS

#endif
