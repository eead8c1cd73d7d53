/* Per-connection, per-direction reassembly of BGP over TCP port 179. */
#ifndef ERDIAG_BGP_STREAM_H
#define ERDIAG_BGP_STREAM_H

#include <glib.h>
#include "erdiag/event.h"
#include "decoder.h"

G_BEGIN_DECLS

typedef struct erdiag_bgp_streams erdiag_bgp_streams;

erdiag_bgp_streams *erdiag_bgp_streams_new(void);
void erdiag_bgp_streams_free(erdiag_bgp_streams *s);

/* One TCP segment of a port-179 connection. payload holds the captured
 * payload bytes (captured_len may be < tcp->payload_len when snaplen cut the
 * frame: that is a gap). Emits one ERDIAG_EV_BGP per complete message, and
 * ERDIAG_EV_DECODE_NOTE for gaps, resynchronisation and malformed data. */
void erdiag_bgp_streams_segment(erdiag_bgp_streams *s, const erdiag_packet_meta *pkt,
                                const erdiag_tcp_ev *tcp, const guint8 *payload,
                                guint32 captured_len, erdiag_event_sink sink, gpointer user);

/* End of input: a note for every direction holding an unfinished message. */
void erdiag_bgp_streams_finish(erdiag_bgp_streams *s, erdiag_event_sink sink, gpointer user);

G_END_DECLS

#endif
