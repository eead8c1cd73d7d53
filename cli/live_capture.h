/* Live capture on one or more interfaces through libpcap: immediate mode,
 * non-blocking handles polled together, and a kernel filter that by default
 * passes only what the engine reads, with or without VLAN tags. */
#ifndef ERDIAG_CLI_LIVE_CAPTURE_H
#define ERDIAG_CLI_LIVE_CAPTURE_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

#define LIVE_CAPTURE_SNAPLEN 262144

/* ARP, BGP, the TCP SYN/FIN/RST and ICMP the data-plane checks use,
 * VRRP/HSRP, BFD, IPv6 ND, packets large enough to break the MSEE's MTU;
 * untagged, 802.1Q and QinQ. Newly allocated. */
char *live_capture_default_filter(void);

typedef struct live_capture live_capture;

/* Opens and activates every interface and installs filter (NULL: the
 * default). NULL and a one-line GError naming the interface or filter when
 * an interface does not exist, capturing is not permitted, the filter does
 * not compile, or the link type is not one erdiag decodes. */
live_capture *live_capture_open(char *const *names, const char *filter, GError **error);

guint live_capture_count(const live_capture *lc);
const char *live_capture_name(const live_capture *lc, guint i);
int live_capture_linktype(const live_capture *lc, guint i);
guint32 live_capture_snaplen(const live_capture *lc, guint i);

/* iface is the interface's index in the order given; meta has ts_us,
 * wire_len and cap_len (frame is left to the caller); data is valid during
 * the call only. */
typedef void (*live_packet_fn)(guint iface, int linktype, erdiag_packet_meta *meta, const guint8 *data,
                               gpointer user);

/* Waits up to timeout_ms for packets, then hands every packet that is ready
 * to fn, oldest first across the interfaces. Returns how many (0 when the
 * wait timed out or a signal ended it early), or -1 and a GError when a
 * capture fails (the interface went away). */
int live_capture_poll(live_capture *lc, int timeout_ms, live_packet_fn fn, gpointer user, GError **error);

/* "eth1: 12 packets dropped (capture buffer full)" lines for the report's
 * notes; NULL when nothing was dropped. */
GPtrArray *live_capture_drop_notes(live_capture *lc);

void live_capture_close(live_capture *lc);

G_END_DECLS

#endif
