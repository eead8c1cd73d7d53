/* TCP header decoding: ports, sequence numbers, flags, and the two
 * authentication options BGP sessions use (MD5 and TCP-AO). */
#include "tcp.h"

#include <string.h>
#include "cursor.h"

enum {
    TCP_MIN_HEADER = 20,
    TCP_OPT_EOL = 0,
    TCP_OPT_NOP = 1,
};

/* Walk the options. Every step advances by at least one byte or stops, so a
 * zero or one length (which would never advance) ends the walk with a note. */
static char *read_options(erdiag_cursor *c, erdiag_tcp_ev *out)
{
    while (erdiag_cursor_remaining(c) > 0) {
        gsize at = TCP_MIN_HEADER + c->off;
        guint8 kind = erdiag_cursor_get_u8(c);
        if (kind == TCP_OPT_EOL)
            return NULL;
        if (kind == TCP_OPT_NOP)
            continue;
        if (erdiag_cursor_remaining(c) < 1)
            return g_strdup_printf("TCP option kind %u at byte %" G_GSIZE_FORMAT
                                   " has no length byte", kind, at);
        guint8 olen = erdiag_cursor_get_u8(c);
        /* read before the skip below checks the option fits the header */
        if (kind == ERDIAG_TCP_OPT_MSS && olen == 4 && erdiag_cursor_remaining(c) >= 2)
            out->mss = (guint16)((c->p[c->off] << 8) | c->p[c->off + 1]);
        if (olen < 2)
            return g_strdup_printf("TCP option kind %u at byte %" G_GSIZE_FORMAT
                                   " has length %u: options not read further", kind, at, olen);
        if (!erdiag_cursor_skip(c, olen - 2u))
            return g_strdup_printf("TCP option kind %u at byte %" G_GSIZE_FORMAT
                                   " has length %u, past the end of the header", kind, at, olen);
        if (kind == ERDIAG_TCP_OPT_MD5)
            out->md5_option = TRUE;
        else if (kind == ERDIAG_TCP_OPT_AO)
            out->ao_option = TRUE;
    }
    return NULL;
}

erdiag_tcp_status erdiag_tcp_decode(const erdiag_ip_info *ip, erdiag_tcp_ev *out,
                                    const guint8 **payload, guint32 *payload_captured, char **note)
{
    memset(out, 0, sizeof *out);
    *payload = NULL;
    *payload_captured = 0;
    *note = NULL;
    /* The fixed 20 bytes are checked once, then read in place. */
    if (ip->l4_captured < TCP_MIN_HEADER) {
        *note = g_strdup_printf("TCP header truncated at %" G_GSIZE_FORMAT " of %d bytes",
                                ip->l4_captured, TCP_MIN_HEADER);
        return ERDIAG_TCP_TRUNCATED;
    }
    const guint8 *h = ip->l4;
    out->sport = erdiag_load_u16be(h);
    out->dport = erdiag_load_u16be(h + 2);
    out->seq = erdiag_load_u32be(h + 4);
    out->ack = erdiag_load_u32be(h + 8);
    guint8 data_off = h[12];
    out->flags = h[13];
    /* then window, checksum, urgent pointer */
    gsize hlen = (gsize)(data_off >> 4) * 4;
    if (hlen < TCP_MIN_HEADER) {
        *note = g_strdup_printf("TCP data offset of %" G_GSIZE_FORMAT " bytes is below the minimum of 20", hlen);
        return ERDIAG_TCP_BAD;
    }
    if (hlen > ip->l4_len) {
        *note = g_strdup_printf("TCP header of %" G_GSIZE_FORMAT " bytes is longer than the %u-byte segment",
                                hlen, ip->l4_len);
        return ERDIAG_TCP_BAD;
    }
    if (hlen > ip->l4_captured) {
        *note = g_strdup_printf("TCP header truncated at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                                ip->l4_captured, hlen);
        return ERDIAG_TCP_TRUNCATED;
    }
    out->src = ip->src;
    out->dst = ip->dst;
    out->ttl = ip->ttl;
    out->dont_fragment = ip->dont_fragment || ip->version == 6;
    out->ip_len = ip->ip_len;
    out->payload_len = ip->l4_len - (guint32)hlen;

    if (hlen > TCP_MIN_HEADER) {
        erdiag_cursor opts = erdiag_cursor_make(h + TCP_MIN_HEADER, hlen - TCP_MIN_HEADER);
        *note = read_options(&opts, out);
    }

    *payload = ip->l4 + hlen;
    *payload_captured = (guint32)MIN((gsize)out->payload_len, ip->l4_captured - hlen);
    return *note ? ERDIAG_TCP_DECODED_WITH_NOTE : ERDIAG_TCP_DECODED;
}
