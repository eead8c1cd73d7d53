/* Link layer: Ethernet II (802.3/LLC skipped), Linux cooked SLL and SLL2,
 * Juniper Ethernet, bare IP (RAW, IPV4, IPV6), and VLAN tag stacks (0x8100,
 * 0x88a8, 0x9100 in any order and depth). */
#ifndef ERDIAG_LINK_H
#define ERDIAG_LINK_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

enum {
    ERDIAG_ETHERTYPE_IPV4 = 0x0800,
    ERDIAG_ETHERTYPE_ARP = 0x0806,
    ERDIAG_ETHERTYPE_IPV6 = 0x86dd,
    ERDIAG_ETHERTYPE_MACSEC = 0x88e5,
    ERDIAG_TPID_8021Q = 0x8100,
    ERDIAG_TPID_8021AD = 0x88a8,
    ERDIAG_TPID_QINQ_OLD = 0x9100,
};

typedef enum {
    ERDIAG_LINK_OK,          /* ethertype and payload are valid */
    ERDIAG_LINK_NOT_ETHERTYPE, /* 802.3 length / LLC / SLL non-ethertype protocol: nothing to decode, not an error */
    ERDIAG_LINK_TRUNCATED,   /* a link header or VLAN tag is cut short */
    ERDIAG_LINK_TOO_MANY_TAGS, /* more than ERDIAG_MAX_TAGS VLAN tags */
    ERDIAG_LINK_UNKNOWN_TYPE,  /* a link type this decoder does not read */
    ERDIAG_LINK_UNDECODABLE,   /* a header of a known type this decoder cannot follow; `what` says why */
} erdiag_link_status;

typedef struct {
    erdiag_link_status status;
    guint16 ethertype;       /* of the payload, after the VLAN tags */
    gsize payload_off;       /* offset of the payload in the frame */
    /* For TRUNCATED: what was being read, how much of it was there. */
    const char *what;        /* "Ethernet header", "VLAN tag", "Linux SLL header", ...;
                              * for UNDECODABLE, the reason (a static string) */
    gsize have, need;
} erdiag_link_result;

/* TRUE for 0x8100, 0x88a8 and 0x9100. */
gboolean erdiag_link_is_vlan_tpid(guint16 ethertype);

/* Decode the link header of one frame of `linktype` (captured length
 * cap_len). Appends VLAN tags to meta (outermost first) and sets the MACs.
 * Never reads past cap_len. */
erdiag_link_result erdiag_link_decode(int linktype, const guint8 *data, gsize cap_len,
                                      erdiag_packet_meta *meta);

G_END_DECLS

#endif
