/* Packet bytes in, erdiag_events out: the CLI's front half.
 * Every read is bounds-checked against the captured length. */
#ifndef ERDIAG_DECODER_H
#define ERDIAG_DECODER_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

/* Link types we read (pcap LINKTYPE_* values; DLT_RAW's platform values 12
 * and 14 too, which live captures and some old files carry). */
enum {
    ERDIAG_LINKTYPE_ETHERNET = 1,
    ERDIAG_LINKTYPE_DLT_RAW = 12,         /* DLT_RAW on most systems */
    ERDIAG_LINKTYPE_DLT_RAW_OPENBSD = 14, /* DLT_RAW on OpenBSD */
    ERDIAG_LINKTYPE_RAW = 101,            /* bare IPv4 or IPv6, by the version nibble */
    ERDIAG_LINKTYPE_LINUX_SLL = 113,
    ERDIAG_LINKTYPE_JUNIPER_ETHER = 178,  /* Juniper "monitor traffic" / PCAP export */
    ERDIAG_LINKTYPE_IPV4 = 228,
    ERDIAG_LINKTYPE_IPV6 = 229,
    ERDIAG_LINKTYPE_LINUX_SLL2 = 276,
};

typedef void (*erdiag_event_sink)(const erdiag_event *ev, gpointer user);

typedef struct erdiag_decoder erdiag_decoder;

erdiag_decoder *erdiag_decoder_new(erdiag_event_sink sink, gpointer user);
void erdiag_decoder_free(erdiag_decoder *d);
gboolean erdiag_decoder_linktype_supported(int linktype);
const char *erdiag_decoder_linktype_name(int linktype);

/* BGP over TCP is reassembled into messages (ERDIAG_EV_BGP) by default.
 * Off: only the TCP events, for a caller that reassembles BGP itself (the
 * Wireshark plugin, from epan's own reassembly). */
void erdiag_decoder_set_bgp_reassembly(erdiag_decoder *d, gboolean on);

/* Decode one packet. meta carries frame, ts_us, iface, wire_len, cap_len
 * (tags and MACs are filled in by the decoder). Emits 0..n events. */
void erdiag_decoder_packet(erdiag_decoder *d, int linktype, const guint8 *data,
                           const erdiag_packet_meta *meta);

/* End of input: notes for BGP streams that stop mid-message. */
void erdiag_decoder_finish(erdiag_decoder *d);

G_END_DECLS

#endif
