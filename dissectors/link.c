/* Link layer decoding: find the ethertype and payload of a frame, collecting
 * VLAN tags and MAC addresses on the way. */
#include "link.h"

#include <string.h>
#include "cursor.h"
#include "decoder.h"

enum {
    ETHER_HEADER_LEN = 14,
    SLL_HEADER_LEN = 16,
    SLL2_HEADER_LEN = 20,
    VLAN_TAG_LEN = 4,
    /* Values at or below this are an 802.3 length (or, in SLL, a pseudo
     * protocol such as 802.2 LLC), not an ethertype. */
    ETHERTYPE_MIN = 0x0600,
    LINUX_PACKET_BROADCAST = 1,
    /* Juniper's pseudo-header: "MGC", a flags byte, then when EXT is set a
     * 2-byte length and that many bytes of TLVs (interface indexes, media
     * type), then the frame; with NO_L2 set, a 4-byte word and the bare IP
     * packet. Layout as Wireshark's and tcpdump's Juniper dissectors read it. */
    JUNIPER_MAGIC_LEN = 3,
    JUNIPER_HEADER_LEN = 4,
    JUNIPER_EXT_LEN_LEN = 2,
    JUNIPER_NO_L2_WORD = 4,
    JUNIPER_FLAG_NO_L2 = 0x02,
    JUNIPER_FLAG_EXT = 0x80,
};

static const guint8 juniper_magic[JUNIPER_MAGIC_LEN] = { 'M', 'G', 'C' };

/* Inlined into the per-frame tag walk; the exported function is for the
 * other callers. */
static inline gboolean is_vlan_tpid(guint16 ethertype)
{
    return ethertype == ERDIAG_TPID_8021Q || ethertype == ERDIAG_TPID_8021AD ||
           ethertype == ERDIAG_TPID_QINQ_OLD;
}

gboolean erdiag_link_is_vlan_tpid(guint16 ethertype)
{
    return is_vlan_tpid(ethertype);
}

static erdiag_link_result truncated(const char *what, gsize have, gsize need)
{
    erdiag_link_result r = { .status = ERDIAG_LINK_TRUNCATED, .what = what, .have = have, .need = need };
    return r;
}

/* The cursor stands just after an ethertype field holding `type`. Peel VLAN
 * tags while the type says one follows. Operators stack tags in any order
 * (0x88a8 or 0x9100 outside 0x8100, or 0x8100 twice), so every TPID is
 * accepted at every depth. */
static inline erdiag_link_result read_vlan_stack(erdiag_cursor *c, guint16 type, erdiag_packet_meta *meta)
{
    while (is_vlan_tpid(type)) {
        if (meta->n_tags >= ERDIAG_MAX_TAGS) {
            erdiag_link_result r = { .status = ERDIAG_LINK_TOO_MANY_TAGS, .ethertype = type,
                                     .payload_off = c->off };
            return r;
        }
        gsize left = erdiag_cursor_remaining(c);
        if (left < VLAN_TAG_LEN)
            return truncated("VLAN tag", left, VLAN_TAG_LEN);
        const guint8 *tag = c->p + c->off;
        guint16 tci = erdiag_load_u16be(tag);
        guint16 inner = erdiag_load_u16be(tag + 2);
        c->off += VLAN_TAG_LEN;
        erdiag_vlan_tag *t = &meta->tags[meta->n_tags++];
        t->tpid = type;
        t->pcp = (guint8)(tci >> 13);
        t->vid = tci & 0x0fff;
        type = inner;
    }
    erdiag_link_result r = { .status = type >= ETHERTYPE_MIN ? ERDIAG_LINK_OK : ERDIAG_LINK_NOT_ETHERTYPE,
                             .ethertype = type, .payload_off = c->off };
    return r;
}

static inline erdiag_link_result decode_ethernet(erdiag_cursor *c, erdiag_packet_meta *meta)
{
    if (erdiag_cursor_remaining(c) < ETHER_HEADER_LEN)
        return truncated("Ethernet header", erdiag_cursor_remaining(c), ETHER_HEADER_LEN);
    const guint8 *h = c->p + c->off; /* 14 bytes there: p is not NULL */
    memcpy(meta->dst_mac, h, 6);
    memcpy(meta->src_mac, h + 6, 6);
    meta->has_macs = TRUE;
    c->off += ETHER_HEADER_LEN;
    return read_vlan_stack(c, erdiag_load_u16be(h + 12), meta);
}

/* SLL and SLL2 carry only the sender's link-layer address. The destination
 * is known only for broadcasts; otherwise it stays zero. */
static void sll_macs(erdiag_packet_meta *meta, guint8 pkttype, guint16 halen, const guint8 addr[8])
{
    /* Ethernet, loopback and most virtual devices use 6-byte addresses;
     * anything else (tunnels, PPP) has no MAC to report. */
    if (halen != 6)
        return;
    memcpy(meta->src_mac, addr, 6);
    memset(meta->dst_mac, pkttype == LINUX_PACKET_BROADCAST ? 0xff : 0x00, 6);
    meta->has_macs = TRUE;
}

static erdiag_link_result decode_sll(erdiag_cursor *c, erdiag_packet_meta *meta)
{
    if (erdiag_cursor_remaining(c) < SLL_HEADER_LEN)
        return truncated("Linux SLL header", erdiag_cursor_remaining(c), SLL_HEADER_LEN);
    guint16 pkttype = erdiag_cursor_get_u16be(c);
    erdiag_cursor_skip(c, 2); /* ARPHRD type: the address length says enough */
    guint16 halen = erdiag_cursor_get_u16be(c);
    guint8 addr[8];
    erdiag_cursor_get_bytes(c, addr, 8);
    guint16 protocol = erdiag_cursor_get_u16be(c);
    sll_macs(meta, (guint8)pkttype, halen, addr);
    return read_vlan_stack(c, protocol, meta);
}

static erdiag_link_result decode_sll2(erdiag_cursor *c, erdiag_packet_meta *meta)
{
    if (erdiag_cursor_remaining(c) < SLL2_HEADER_LEN)
        return truncated("Linux SLL2 header", erdiag_cursor_remaining(c), SLL2_HEADER_LEN);
    guint16 protocol = erdiag_cursor_get_u16be(c);
    erdiag_cursor_skip(c, 2); /* reserved */
    erdiag_cursor_skip(c, 4); /* interface index: meta->iface is the capture's interface id */
    erdiag_cursor_skip(c, 2); /* ARPHRD type */
    guint8 pkttype = erdiag_cursor_get_u8(c);
    guint8 halen = erdiag_cursor_get_u8(c);
    guint8 addr[8];
    erdiag_cursor_get_bytes(c, addr, 8);
    sll_macs(meta, pkttype, halen, addr);
    return read_vlan_stack(c, protocol, meta);
}

static erdiag_link_result undecodable(const char *why)
{
    erdiag_link_result r = { .status = ERDIAG_LINK_UNDECODABLE, .what = why };
    return r;
}

static erdiag_link_result ip_payload(const erdiag_cursor *c, guint16 ethertype)
{
    erdiag_link_result r = { .status = ERDIAG_LINK_OK, .ethertype = ethertype, .payload_off = c->off };
    return r;
}

/* A bare IP packet (LINKTYPE_RAW, DLT_RAW, Juniper without L2): the version
 * nibble says which. No MACs, no tags. */
static erdiag_link_result decode_raw_ip(erdiag_cursor *c)
{
    guint8 first;
    if (erdiag_cursor_remaining(c) < 1)
        return truncated("IP version", 0, 1);
    first = erdiag_cursor_ptr(c)[0];
    switch (first >> 4) {
    case 4:
        return ip_payload(c, ERDIAG_ETHERTYPE_IPV4);
    case 6:
        return ip_payload(c, ERDIAG_ETHERTYPE_IPV6);
    default:
        return undecodable("raw IP frame whose version is neither 4 nor 6");
    }
}

static erdiag_link_result decode_juniper_ether(erdiag_cursor *c, erdiag_packet_meta *meta)
{
    if (erdiag_cursor_remaining(c) < JUNIPER_HEADER_LEN)
        return truncated("Juniper header", erdiag_cursor_remaining(c), JUNIPER_HEADER_LEN);
    guint8 magic[JUNIPER_MAGIC_LEN];
    erdiag_cursor_get_bytes(c, magic, sizeof magic);
    if (memcmp(magic, juniper_magic, sizeof magic) != 0)
        return undecodable("Juniper header without its \"MGC\" magic");
    guint8 flags = erdiag_cursor_get_u8(c);
    if (flags & JUNIPER_FLAG_EXT) {
        gsize left = erdiag_cursor_remaining(c);
        guint16 ext_len = erdiag_cursor_get_u16be(c);
        if (c->err)
            return truncated("Juniper extension length", left, JUNIPER_EXT_LEN_LEN);
        left = erdiag_cursor_remaining(c);
        if (!erdiag_cursor_skip(c, ext_len))
            return truncated("Juniper extensions", left, ext_len);
    }
    if (flags & JUNIPER_FLAG_NO_L2) {
        gsize left = erdiag_cursor_remaining(c);
        if (!erdiag_cursor_skip(c, JUNIPER_NO_L2_WORD))
            return truncated("Juniper no-L2 header", left, JUNIPER_NO_L2_WORD);
        return decode_raw_ip(c);
    }
    return decode_ethernet(c, meta);
}

erdiag_link_result erdiag_link_decode(int linktype, const guint8 *data, gsize cap_len,
                                      erdiag_packet_meta *meta)
{
    erdiag_cursor c = erdiag_cursor_make(data, cap_len);
    switch (linktype) {
    case ERDIAG_LINKTYPE_ETHERNET:
        return decode_ethernet(&c, meta);
    case ERDIAG_LINKTYPE_RAW:
    case ERDIAG_LINKTYPE_DLT_RAW:
    case ERDIAG_LINKTYPE_DLT_RAW_OPENBSD:
        return decode_raw_ip(&c);
    case ERDIAG_LINKTYPE_IPV4:
        return ip_payload(&c, ERDIAG_ETHERTYPE_IPV4); /* the IP decoder checks the version */
    case ERDIAG_LINKTYPE_IPV6:
        return ip_payload(&c, ERDIAG_ETHERTYPE_IPV6);
    case ERDIAG_LINKTYPE_JUNIPER_ETHER:
        return decode_juniper_ether(&c, meta);
    case ERDIAG_LINKTYPE_LINUX_SLL:
        return decode_sll(&c, meta);
    case ERDIAG_LINKTYPE_LINUX_SLL2:
        return decode_sll2(&c, meta);
    default: {
        erdiag_link_result r = { .status = ERDIAG_LINK_UNKNOWN_TYPE };
        return r;
    }
    }
}
