/* IPv4 / IPv6 header decoding. */
#include "ip.h"

#include <string.h>
#include "cursor.h"
#include "link.h"

enum {
    IPV4_MIN_HEADER = 20,
    IPV6_HEADER = 40,
    IPV4_FLAG_MF = 0x2000,
    IPV4_FLAG_DF = 0x4000,
    IPV4_OFFSET_MASK = 0x1fff,
    IP6_HOP_BY_HOP = 0,
    IP6_ROUTING = 43,
    IP6_FRAGMENT = 44,
    IP6_AH = 51,
    IP6_DEST_OPTS = 60,
    IP6_FRAGMENT_HEADER = 8,
};

static const char *ext_header_name(guint8 nh)
{
    switch (nh) {
    case IP6_HOP_BY_HOP: return "hop-by-hop options";
    case IP6_ROUTING: return "routing";
    case IP6_FRAGMENT: return "fragment";
    case IP6_AH: return "authentication";
    case IP6_DEST_OPTS: return "destination options";
    default: return "unknown";
    }
}

static gboolean is_ext_header(guint8 nh)
{
    return nh == IP6_HOP_BY_HOP || nh == IP6_ROUTING || nh == IP6_FRAGMENT || nh == IP6_AH ||
           nh == IP6_DEST_OPTS;
}

/* Point out->l4 at [off, end) of p: end is already clamped to the captured
 * length, claimed_end is where the header says the packet ends. */
static void set_l4(erdiag_ip_info *out, const guint8 *p, gsize off, gsize end, gsize claimed_end)
{
    out->l4 = p + off;
    out->l4_captured = end > off ? end - off : 0;
    out->l4_len = claimed_end > off ? (guint32)(claimed_end - off) : 0;
}

/* An address of the family's width, the rest zero, as erdiag_addr_v4() and
 * erdiag_addr_v6() make it (without a call per address per packet). */
static void read_addr(erdiag_addr *out, guint8 family, const guint8 *b, gsize n)
{
    memset(out, 0, sizeof *out);
    out->family = family;
    memcpy(out->bytes, b, n);
}

static erdiag_ip_status decode_v4(const guint8 *p, gsize len, erdiag_ip_info *out, char **note)
{
    /* The fixed 20 bytes are checked once, then read in place. */
    gsize hlen = 0;
    if (len >= 1) {
        guint8 vihl = p[0];
        if ((vihl >> 4) != 4) {
            *note = g_strdup_printf("IPv4 ethertype but IP version %u", vihl >> 4);
            return ERDIAG_IP_BAD;
        }
        hlen = (gsize)(vihl & 0x0f) * 4;
        if (hlen < IPV4_MIN_HEADER) {
            *note = g_strdup_printf("IPv4 header length %" G_GSIZE_FORMAT " bytes is below the minimum of 20", hlen);
            return ERDIAG_IP_BAD;
        }
    }
    if (len < IPV4_MIN_HEADER || len < hlen) {
        *note = g_strdup_printf("IPv4 header truncated at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                                len, MAX(hlen, (gsize)IPV4_MIN_HEADER));
        return ERDIAG_IP_TRUNCATED;
    }
    guint16 total = erdiag_load_u16be(p + 2);
    guint16 frag = erdiag_load_u16be(p + 6);
    out->ttl = p[8];
    out->proto = p[9];
    out->version = 4;
    read_addr(&out->src, 4, p + 12, 4);
    read_addr(&out->dst, 4, p + 16, 4);
    /* Segmentation offload hands the capture packets with total length 0:
     * then what was captured is all we can go by. */
    gsize claimed = total == 0 ? len : total;
    if (claimed < hlen) {
        *note = g_strdup_printf("IPv4 total length %u is shorter than its %" G_GSIZE_FORMAT "-byte header",
                                total, hlen);
        return ERDIAG_IP_BAD;
    }
    out->ip_len = (guint32)claimed;
    out->fragment = (frag & (IPV4_FLAG_MF | IPV4_OFFSET_MASK)) != 0;
    out->dont_fragment = (frag & IPV4_FLAG_DF) != 0;
    out->has_l4 = (frag & IPV4_OFFSET_MASK) == 0;
    if (out->has_l4)
        set_l4(out, p, hlen, MIN(claimed, len), claimed);
    return ERDIAG_IP_OK;
}

static erdiag_ip_status decode_v6(const guint8 *p, gsize len, erdiag_ip_info *out, char **note)
{
    erdiag_cursor c = erdiag_cursor_make(p, len);
    guint32 vtcfl = erdiag_cursor_get_u32be(&c);
    if (!c.err && (vtcfl >> 28) != 6) {
        *note = g_strdup_printf("IPv6 ethertype but IP version %u", vtcfl >> 28);
        return ERDIAG_IP_BAD;
    }
    if (len >= 1 && len < 4 && (p[0] >> 4) != 6) {
        *note = g_strdup_printf("IPv6 ethertype but IP version %u", p[0] >> 4);
        return ERDIAG_IP_BAD;
    }
    guint16 payload = erdiag_cursor_get_u16be(&c);
    guint8 nh = erdiag_cursor_get_u8(&c);
    out->ttl = erdiag_cursor_get_u8(&c);
    guint8 src[16], dst[16];
    erdiag_cursor_get_bytes(&c, src, 16);
    erdiag_cursor_get_bytes(&c, dst, 16);
    if (c.err) {
        *note = g_strdup_printf("IPv6 header truncated at %" G_GSIZE_FORMAT " of %d bytes", len, IPV6_HEADER);
        return ERDIAG_IP_TRUNCATED;
    }
    out->version = 6;
    read_addr(&out->src, 6, src, 16);
    read_addr(&out->dst, 6, dst, 16);
    /* Payload length 0 means a jumbogram or an offloaded segment: use what
     * was captured. */
    gsize claimed = payload == 0 ? len : (gsize)IPV6_HEADER + payload;
    out->ip_len = (guint32)claimed;
    gsize end = MIN(claimed, len);

    gsize off = IPV6_HEADER;
    out->has_l4 = TRUE;
    for (guint n = 0; is_ext_header(nh); n++) {
        if (n == ERDIAG_IPV6_MAX_EXT_HEADERS) {
            *note = g_strdup_printf("IPv6 packet with more than %d extension headers: not decoded further",
                                    ERDIAG_IPV6_MAX_EXT_HEADERS);
            return ERDIAG_IP_BAD;
        }
        erdiag_cursor ext = erdiag_cursor_make(p + MIN(off, end), end > off ? end - off : 0);
        guint8 next = erdiag_cursor_get_u8(&ext);
        guint8 hdr_units = erdiag_cursor_get_u8(&ext);
        gsize ext_len;
        if (nh == IP6_FRAGMENT)
            ext_len = IP6_FRAGMENT_HEADER;
        else if (nh == IP6_AH)
            ext_len = ((gsize)hdr_units + 2) * 4;
        else
            ext_len = ((gsize)hdr_units + 1) * 8;
        guint16 frag_field = erdiag_cursor_get_u16be(&ext); /* fragment header only */
        if (ext.err || off + ext_len > end) {
            gsize have = end > off ? end - off : 0;
            if (end < claimed) {
                *note = g_strdup_printf("IPv6 %s header truncated at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                                        ext_header_name(nh), have, ext.err ? (gsize)2 : ext_len);
                return ERDIAG_IP_TRUNCATED;
            }
            *note = g_strdup_printf("IPv6 %s header of %" G_GSIZE_FORMAT " bytes runs past the packet's end "
                                    "(%" G_GSIZE_FORMAT " bytes left)", ext_header_name(nh), ext.err ? (gsize)2 : ext_len, have);
            return ERDIAG_IP_BAD;
        }
        if (nh == IP6_FRAGMENT) {
            out->fragment = TRUE;
            if ((frag_field >> 3) != 0) {
                /* A later fragment: what follows is the middle of the
                 * upper-layer data, not its header. */
                out->has_l4 = FALSE;
                out->proto = next;
                return ERDIAG_IP_OK;
            }
        }
        off += ext_len;
        nh = next;
    }
    out->proto = nh;
    set_l4(out, p, off, end, claimed);
    return ERDIAG_IP_OK;
}

erdiag_ip_status erdiag_ip_decode(guint16 ethertype, const guint8 *p, gsize len,
                                  erdiag_ip_info *out, char **note)
{
    /* a compound literal, not memset(): GCC stores it as a few vector
     * moves, where the 80-byte memset became a slow `rep stos` per packet */
    *out = (erdiag_ip_info){0};
    *note = NULL;
    if (ethertype == ERDIAG_ETHERTYPE_IPV6)
        return decode_v6(p, len, out, note);
    return decode_v4(p, len, out, note);
}
