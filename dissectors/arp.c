/* ARP and IPv6 Neighbour Discovery → erdiag_arp_ev. */
#include "arp.h"

#include <string.h>
#include "cursor.h"

enum {
    ARP_HTYPE_ETHERNET = 1,
    ARP_PTYPE_IPV4 = 0x0800,
    ARP_HEADER_LEN = 8, /* htype, ptype, hlen, plen, opcode */
    ND_NS = 135,
    ND_NA = 136,
    ND_FIXED_LEN = 24,  /* type, code, checksum, reserved/flags, target */
    ND_OPT_SOURCE_LL = 1,
    ND_OPT_TARGET_LL = 2,
};

static const char *arp_opcode_name(guint16 op)
{
    switch (op) {
    case 3: return "RARP request";
    case 4: return "RARP reply";
    case 8: return "InARP request";
    case 9: return "InARP reply";
    case 10: return "ARP NAK";
    default: return "unknown";
    }
}

erdiag_arp_status erdiag_arp_decode(const guint8 *p, gsize len, erdiag_arp_ev *out, char **note)
{
    memset(out, 0, sizeof *out);
    *note = NULL;
    erdiag_cursor c = erdiag_cursor_make(p, len);
    guint16 htype = erdiag_cursor_get_u16be(&c);
    guint16 ptype = erdiag_cursor_get_u16be(&c);
    guint8 hlen = erdiag_cursor_get_u8(&c);
    guint8 plen = erdiag_cursor_get_u8(&c);
    guint16 opcode = erdiag_cursor_get_u16be(&c);
    if (c.err) {
        *note = g_strdup_printf("ARP header truncated at %" G_GSIZE_FORMAT " of %d bytes", len, ARP_HEADER_LEN);
        return ERDIAG_ARP_TRUNCATED;
    }
    /* The address lengths decide where every later field is; anything but
     * the Ethernet/IPv4 shape is reported rather than guessed at. */
    if (htype != ARP_HTYPE_ETHERNET || ptype != ARP_PTYPE_IPV4 || hlen != 6 || plen != 4) {
        *note = g_strdup_printf("ARP with hardware type %u, protocol type 0x%04x, address lengths %u/%u "
                                "is not Ethernet/IPv4: not decoded", htype, ptype, hlen, plen);
        return ERDIAG_ARP_UNSUPPORTED;
    }
    guint8 spa[4], tpa[4];
    erdiag_cursor_get_bytes(&c, out->sender_mac, 6);
    erdiag_cursor_get_bytes(&c, spa, 4);
    erdiag_cursor_get_bytes(&c, out->target_mac, 6);
    erdiag_cursor_get_bytes(&c, tpa, 4);
    if (c.err) {
        memset(out, 0, sizeof *out);
        *note = g_strdup_printf("ARP truncated at %" G_GSIZE_FORMAT " of %d bytes", len, ERDIAG_ARP_LEN);
        return ERDIAG_ARP_TRUNCATED;
    }
    if (opcode != ERDIAG_ARP_REQUEST && opcode != ERDIAG_ARP_REPLY) {
        memset(out, 0, sizeof *out);
        *note = g_strdup_printf("ARP opcode %u (%s): neither request nor reply, not decoded",
                                opcode, arp_opcode_name(opcode));
        return ERDIAG_ARP_UNSUPPORTED;
    }
    out->opcode = opcode;
    out->nd = FALSE;
    out->sender_ip = erdiag_addr_v4(spa);
    out->target_ip = erdiag_addr_v4(tpa);
    return ERDIAG_ARP_DECODED;
}

static gboolean addr_is_unspecified(const erdiag_addr *a)
{
    static const guint8 zero[16];
    return a->family == 6 && memcmp(a->bytes, zero, 16) == 0;
}

erdiag_arp_status erdiag_nd_decode(const guint8 *icmp, gsize len, const erdiag_addr *ip_src,
                                   const erdiag_addr *ip_dst, const erdiag_packet_meta *meta,
                                   erdiag_arp_ev *out, char **note)
{
    memset(out, 0, sizeof *out);
    *note = NULL;
    erdiag_cursor c = erdiag_cursor_make(icmp, len);
    guint8 type = erdiag_cursor_get_u8(&c);
    if (c.err || (type != ND_NS && type != ND_NA))
        return ERDIAG_ARP_NOT_ND; /* an empty or other ICMPv6 message: the IP path reports it */
    const char *name = type == ND_NS ? "Neighbor Solicitation" : "Neighbor Advertisement";
    guint8 code = erdiag_cursor_get_u8(&c);
    erdiag_cursor_skip(&c, 2 + 4); /* checksum, reserved / flags */
    guint8 target[16];
    erdiag_cursor_get_bytes(&c, target, 16);
    if (c.err) {
        *note = g_strdup_printf("ICMPv6 %s truncated at %" G_GSIZE_FORMAT " of %d bytes", name, len, ND_FIXED_LEN);
        return ERDIAG_ARP_TRUNCATED;
    }
    if (code != 0) {
        *note = g_strdup_printf("ICMPv6 %s with code %u (must be 0): ignored", name, code);
        return ERDIAG_ARP_MALFORMED;
    }

    /* Options: type, length in units of 8 bytes. A zero length would never
     * advance, and RFC 4861 says to drop such a packet, so we do too. An
     * option cut by the capture just ends the walk: the fixed part is enough. */
    gboolean have_ll = FALSE;
    gsize cut_at = 0; /* where an option ran past the captured bytes, 0 if none did */
    guint8 ll[6];
    guint8 wanted = type == ND_NS ? ND_OPT_SOURCE_LL : ND_OPT_TARGET_LL;
    while (erdiag_cursor_remaining(&c) >= 2) {
        gsize opt_off = c.off;
        guint8 opt_type = erdiag_cursor_get_u8(&c);
        guint8 opt_units = erdiag_cursor_get_u8(&c);
        if (opt_units == 0) {
            memset(out, 0, sizeof *out);
            *note = g_strdup_printf("ICMPv6 %s: option type %u at byte %" G_GSIZE_FORMAT
                                    " has length 0: packet ignored", name, opt_type, opt_off);
            return ERDIAG_ARP_MALFORMED;
        }
        gsize opt_len = (gsize)opt_units * 8;
        erdiag_cursor body = erdiag_cursor_sub(&c, opt_len - 2);
        if (!erdiag_cursor_skip(&c, opt_len - 2)) {
            cut_at = opt_off;
            break;
        }
        /* 8 bytes = a 6-byte MAC plus padding: the Ethernet form. */
        if (opt_type == wanted && opt_len == 8 && !have_ll)
            have_ll = erdiag_cursor_get_bytes(&body, ll, 6);
    }

    if (type == ND_NS) {
        out->opcode = ERDIAG_ARP_REQUEST;
        if (!addr_is_unspecified(ip_src))
            out->sender_ip = *ip_src; /* else family 0: duplicate address detection */
        if (have_ll)
            memcpy(out->sender_mac, ll, 6);
        else if (meta->has_macs)
            memcpy(out->sender_mac, meta->src_mac, 6);
        out->target_ip = erdiag_addr_v6(target);
    } else {
        out->opcode = ERDIAG_ARP_REPLY;
        out->sender_ip = erdiag_addr_v6(target);
        if (have_ll)
            memcpy(out->sender_mac, ll, 6);
        else if (meta->has_macs)
            memcpy(out->sender_mac, meta->src_mac, 6);
        out->target_ip = *ip_dst;
        if (meta->has_macs)
            memcpy(out->target_mac, meta->dst_mac, 6);
    }
    out->nd = TRUE;
    /* A lone trailing byte is an option header cut in half, too. */
    if (cut_at == 0 && erdiag_cursor_remaining(&c) == 1)
        cut_at = c.off;
    if (cut_at != 0 && !have_ll)
        *note = g_strdup_printf("ICMPv6 %s: options cut at byte %" G_GSIZE_FORMAT
                                " of the message; MAC taken from the Ethernet header", name, cut_at);
    return ERDIAG_ARP_DECODED;
}
