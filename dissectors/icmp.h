/* ICMP and ICMPv6 headers as the data-plane verdicts need them: type and
 * code, the echo identifier, the next-hop MTU of "fragmentation needed" /
 * "packet too big", and the 5-tuple of the packet an error quotes. */
#ifndef ERDIAG_ICMP_H
#define ERDIAG_ICMP_H

#include <glib.h>
#include "erdiag/event.h"
#include "ip.h"

G_BEGIN_DECLS

/* Fills out's ICMP fields from ip->l4 (ip->proto is ICMP for IPv4 or
 * ICMPv6 for IPv6). Reads only captured bytes: what is cut off stays 0 /
 * FALSE (out->icmp FALSE without type and code; has_quote FALSE without
 * the quoted addresses and ports). */
void erdiag_icmp_read(const erdiag_ip_info *ip, erdiag_ip_ev *out);

G_END_DECLS

#endif
