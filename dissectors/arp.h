/* ARP (Ethernet/IPv4) and IPv6 Neighbour Discovery (NS/NA), both turned into
 * erdiag_arp_ev: the engine tracks address resolution the same way for both. */
#ifndef ERDIAG_ARP_H
#define ERDIAG_ARP_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

typedef enum {
    ERDIAG_ARP_DECODED,     /* *out is filled */
    ERDIAG_ARP_NOT_ND,      /* (ND only) an ICMPv6 message other than NS/NA: not ours */
    ERDIAG_ARP_TRUNCATED,   /* *note says how far it got */
    ERDIAG_ARP_UNSUPPORTED, /* well-formed but not something we track (*note says why) */
    ERDIAG_ARP_MALFORMED,   /* *note says what is wrong */
} erdiag_arp_status;

enum { ERDIAG_ARP_LEN = 28 }; /* Ethernet/IPv4 ARP */

/* An ARP packet (the payload of ethertype 0x0806, len = captured bytes).
 * Only Ethernet/IPv4 requests and replies are decoded; anything else
 * (other hardware or protocol types, odd address lengths, other opcodes)
 * gives a note. *note is newly allocated (g_free) whenever the status is
 * not ERDIAG_ARP_DECODED. */
erdiag_arp_status erdiag_arp_decode(const guint8 *p, gsize len, erdiag_arp_ev *out, char **note);

/* An ICMPv6 message (len = captured bytes of it) from ip_src to ip_dst.
 * NS (135) becomes a request: sender = IPv6 source (family 0 when it is
 * "::", duplicate address detection) with the source link-layer address
 * option's MAC, target = the target address. NA (136) becomes a reply:
 * sender = the target address with the target link-layer address option's
 * MAC, target = IPv6 destination. Without the option the frame's MACs
 * (meta, when it has them) stand in; when the options were cut by the
 * capture before the wanted one was found, the status is still DECODED but
 * *note says so (g_free). */
erdiag_arp_status erdiag_nd_decode(const guint8 *icmp, gsize len, const erdiag_addr *ip_src,
                                   const erdiag_addr *ip_dst, const erdiag_packet_meta *meta,
                                   erdiag_arp_ev *out, char **note);

G_END_DECLS

#endif
