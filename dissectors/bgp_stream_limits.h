/* The memory bounds of BGP stream reassembly, and a way to watch them (for
 * tests and statistics). */
#ifndef ERDIAG_BGP_STREAM_LIMITS_H
#define ERDIAG_BGP_STREAM_LIMITS_H

#include "bgp_stream.h"

G_BEGIN_DECLS

#define ERDIAG_BGP_MAX_STREAMS 4096                      /* connections tracked (LRU beyond) */
#define ERDIAG_BGP_MAX_PENDING_SEGMENTS 64               /* out-of-order segments per direction */
#define ERDIAG_BGP_MAX_PENDING_BYTES (128u * 1024u)      /* ... and their bytes */
#define ERDIAG_BGP_MAX_PENDING_BYTES_TOTAL (32u * 1024u * 1024u) /* ... over all connections */
/* Data this far beyond the next expected byte means the capture lost more
 * than a TCP window could still bring: the hole is given up at once. */
#define ERDIAG_BGP_MAX_AHEAD (4u * 1024u * 1024u)

/* Connections held, closed ones (kept to ignore late retransmissions)
 * included. */
guint erdiag_bgp_streams_count(const erdiag_bgp_streams *s);
/* Payload bytes held: partial messages plus out-of-order segments. */
gsize erdiag_bgp_streams_bytes_held(const erdiag_bgp_streams *s);

G_END_DECLS

#endif
