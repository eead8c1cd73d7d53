/* TCP header and options. */
#ifndef ERDIAG_TCP_H
#define ERDIAG_TCP_H

#include <glib.h>
#include "erdiag/event.h"
#include "ip.h"

G_BEGIN_DECLS

enum {
    ERDIAG_TCP_OPT_MSS = 2,  /* RFC 9293 */
    ERDIAG_TCP_OPT_MD5 = 19, /* RFC 2385 */
    ERDIAG_TCP_OPT_AO = 29,  /* RFC 5925 */
};

typedef enum {
    ERDIAG_TCP_DECODED,           /* *out filled, *note NULL */
    ERDIAG_TCP_DECODED_WITH_NOTE, /* *out filled, but the options are malformed (*note says how) */
    ERDIAG_TCP_TRUNCATED,         /* header cut short: *note */
    ERDIAG_TCP_BAD,               /* impossible header (data offset): *note */
} erdiag_tcp_status;

/* Decode the TCP header in ip->l4 (ip->has_l4 must be TRUE). Fills the
 * whole event, IP fields included. *payload / *payload_captured give the
 * captured payload bytes (payload_captured <= out->payload_len). *note is
 * g_free'd by the caller. */
erdiag_tcp_status erdiag_tcp_decode(const erdiag_ip_info *ip, erdiag_tcp_ev *out,
                                    const guint8 **payload, guint32 *payload_captured, char **note);

G_END_DECLS

#endif
