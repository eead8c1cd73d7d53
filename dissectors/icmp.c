/* ICMP / ICMPv6: what the data-plane verdicts read of them. */
#include "icmp.h"

#include <string.h>
#include "cursor.h"
#include "link.h"

enum { ICMP_HEADER = 8 };

static gboolean is_echo(guint8 version, guint8 type)
{
    return version == 4 ? type == ERDIAG_ICMP4_ECHO_REQUEST || type == ERDIAG_ICMP4_ECHO_REPLY
                        : type == ERDIAG_ICMP6_ECHO_REQUEST || type == ERDIAG_ICMP6_ECHO_REPLY;
}

static gboolean is_error(guint8 version, guint8 type)
{
    return version == 4 ? type == ERDIAG_ICMP4_UNREACHABLE || type == ERDIAG_ICMP4_TIME_EXCEEDED
                        : type == ERDIAG_ICMP6_UNREACHABLE || type == ERDIAG_ICMP6_TOO_BIG
                              || type == ERDIAG_ICMP6_TIME_EXCEEDED;
}

/* The quoted packet (RFC 792: its IP header and at least 8 bytes of what
 * follows; RFC 4443: as much as fits). The quoted header's lengths describe
 * the original packet, not the quote: erdiag_ip_decode() clamps them to the
 * bytes present. */
static void read_quote(const erdiag_ip_info *ip, const guint8 *p, gsize len, erdiag_ip_ev *out)
{
    erdiag_ip_info q;
    char *note = NULL;
    guint16 ethertype = ip->version == 4 ? ERDIAG_ETHERTYPE_IPV4 : ERDIAG_ETHERTYPE_IPV6;
    erdiag_ip_status st = erdiag_ip_decode(ethertype, p, len, &q, &note);
    g_free(note);
    if (st != ERDIAG_IP_OK || q.version != ip->version)
        return;
    erdiag_icmp_quote *qt = &out->quote;
    qt->src = q.src;
    qt->dst = q.dst;
    qt->proto = q.proto;
    if (q.has_l4) {
        erdiag_cursor c = erdiag_cursor_make(q.l4, q.l4_captured);
        if (q.proto == ERDIAG_IPPROTO_TCP || q.proto == ERDIAG_IPPROTO_UDP) {
            guint16 sport = erdiag_cursor_get_u16be(&c), dport = erdiag_cursor_get_u16be(&c);
            if (c.err)
                return;
            qt->sport = sport;
            qt->dport = dport;
        } else if (q.proto == (ip->version == 4 ? ERDIAG_IPPROTO_ICMP : ERDIAG_IPPROTO_ICMPV6)) {
            guint8 type = erdiag_cursor_get_u8(&c);
            erdiag_cursor_skip(&c, 3);
            guint16 id = erdiag_cursor_get_u16be(&c);
            if (c.err || !is_echo(ip->version, type))
                return;
            qt->sport = qt->dport = id;
        } else {
            return;
        }
    } else {
        return; /* a later fragment quoted: no ports to match a flow by */
    }
    out->has_quote = TRUE;
}

void erdiag_icmp_read(const erdiag_ip_info *ip, erdiag_ip_ev *out)
{
    erdiag_cursor c = erdiag_cursor_make(ip->l4, ip->l4_captured);
    guint8 type = erdiag_cursor_get_u8(&c);
    guint8 code = erdiag_cursor_get_u8(&c);
    erdiag_cursor_skip(&c, 2); /* checksum */
    guint32 rest = erdiag_cursor_get_u32be(&c);
    if (c.err)
        return;
    out->icmp = TRUE;
    out->icmp_type = type;
    out->icmp_code = code;
    if (is_echo(ip->version, type)) {
        out->icmp_id = (guint16)(rest >> 16);
        out->icmp_seq = (guint16)rest;
        out->sport = out->dport = out->icmp_id;
        return;
    }
    if (!is_error(ip->version, type))
        return;
    if (ip->version == 4 && type == ERDIAG_ICMP4_UNREACHABLE && code == ERDIAG_ICMP4_CODE_FRAG_NEEDED)
        out->icmp_mtu = rest & 0xffffu;  /* RFC 1191: the low 16 bits */
    else if (ip->version == 6 && type == ERDIAG_ICMP6_TOO_BIG)
        out->icmp_mtu = rest;
    read_quote(ip, ip->l4 + ICMP_HEADER, ip->l4_captured - ICMP_HEADER, out);
}
