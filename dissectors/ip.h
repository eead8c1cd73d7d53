/* IPv4 and IPv6 headers: addresses, the upper-layer protocol and where its
 * bytes are. IPv6 extension headers are walked; fragments past the first
 * carry no upper-layer header. */
#ifndef ERDIAG_IP_H
#define ERDIAG_IP_H

#include <glib.h>
#include "erdiag/addr.h"

G_BEGIN_DECLS

enum { ERDIAG_IPPROTO_TCP = 6 };

/* How many IPv6 extension headers we walk before giving up. Real packets
 * carry one or two; the bound keeps a crafted chain from costing more. */
#define ERDIAG_IPV6_MAX_EXT_HEADERS 8

typedef enum {
    ERDIAG_IP_OK,
    ERDIAG_IP_TRUNCATED, /* the header (or an extension header) is cut short */
    ERDIAG_IP_BAD,       /* a header field is impossible (version, IHL, length) */
} erdiag_ip_status;

typedef struct {
    guint8 version;      /* 4 or 6 */
    erdiag_addr src, dst;
    guint8 proto;        /* upper-layer protocol (after IPv6 extension headers) */
    guint8 ttl;          /* TTL / hop limit */
    guint32 ip_len;      /* total length the header claims (IPv6: 40 + payload length) */
    gboolean fragment;   /* part of a fragmented datagram */
    gboolean dont_fragment; /* IPv4 DF bit */
    gboolean has_l4;     /* unfragmented or first fragment: the upper-layer header is here */
    const guint8 *l4;    /* upper-layer bytes (captured part) */
    gsize l4_captured;   /* bytes at l4, never beyond the captured length */
    guint32 l4_len;      /* upper-layer length the header claims */
} erdiag_ip_info;

/* Decode an IPv4 (ethertype 0x0800) or IPv6 (0x86dd) header from len
 * captured bytes. On anything but ERDIAG_IP_OK *note (g_free) says what is
 * wrong ("IPv4 header truncated at 14 of 20 bytes"); on OK *note is NULL.
 * Lengths are clamped to what was captured, and Ethernet padding past the
 * claimed length is dropped. */
erdiag_ip_status erdiag_ip_decode(guint16 ethertype, const guint8 *p, gsize len,
                                  erdiag_ip_info *out, char **note);

G_END_DECLS

#endif
