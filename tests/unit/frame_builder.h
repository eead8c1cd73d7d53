/* Building test frames byte by byte: Ethernet, VLAN tags, SLL/SLL2, ARP,
 * IPv4/IPv6, TCP, ICMPv6 ND. Header-only, for the decoder unit tests. */
#ifndef ERDIAG_TEST_FRAME_BUILDER_H
#define ERDIAG_TEST_FRAME_BUILDER_H

#include <glib.h>
#include <string.h>
#include "erdiag/event.h"

static const guint8 FB_MAC_A[6] = { 0x00, 0x20, 0xd2, 0x5a, 0xfb, 0x3f };
static const guint8 FB_MAC_B[6] = { 0x00, 0x80, 0xea, 0x81, 0x88, 0x63 };
static const guint8 FB_MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const guint8 FB_MAC_ZERO[6] = { 0 };

static inline void fb_u8(GByteArray *a, guint8 v)
{
    g_byte_array_append(a, &v, 1);
}

static inline void fb_u16(GByteArray *a, guint16 v)
{
    guint8 b[2] = { (guint8)(v >> 8), (guint8)v };
    g_byte_array_append(a, b, 2);
}

static inline void fb_u32(GByteArray *a, guint32 v)
{
    guint8 b[4] = { (guint8)(v >> 24), (guint8)(v >> 16), (guint8)(v >> 8), (guint8)v };
    g_byte_array_append(a, b, 4);
}

static inline void fb_bytes(GByteArray *a, const guint8 *b, gsize n)
{
    g_byte_array_append(a, b, (guint)n);
}

static inline void fb_zeros(GByteArray *a, gsize n)
{
    for (gsize i = 0; i < n; i++)
        fb_u8(a, 0);
}

/* Overwrite a big-endian 16-bit field (lengths known only at the end). */
static inline void fb_put16(GByteArray *a, gsize off, guint16 v)
{
    a->data[off] = (guint8)(v >> 8);
    a->data[off + 1] = (guint8)v;
}

static inline void fb_eth(GByteArray *a, const guint8 dst[6], const guint8 src[6], guint16 type)
{
    fb_bytes(a, dst, 6);
    fb_bytes(a, src, 6);
    fb_u16(a, type);
}

/* A VLAN tag's TCI and the type field after it (the TPID was the previous type). */
static inline void fb_tag(GByteArray *a, guint8 pcp, guint16 vid, guint16 next_type)
{
    fb_u16(a, (guint16)((pcp << 13) | (vid & 0x0fff)));
    fb_u16(a, next_type);
}

static inline void fb_sll(GByteArray *a, guint16 pkttype, const guint8 *mac, guint16 protocol)
{
    fb_u16(a, pkttype);
    fb_u16(a, 1); /* ARPHRD_ETHER */
    fb_u16(a, mac ? 6 : 0);
    guint8 addr[8] = { 0 };
    if (mac)
        memcpy(addr, mac, 6);
    fb_bytes(a, addr, 8);
    fb_u16(a, protocol);
}

static inline void fb_sll2(GByteArray *a, guint16 protocol, guint8 pkttype, const guint8 *mac)
{
    fb_u16(a, protocol);
    fb_u16(a, 0);
    fb_u32(a, 3); /* interface index */
    fb_u16(a, 1); /* ARPHRD_ETHER */
    fb_u8(a, pkttype);
    fb_u8(a, mac ? 6 : 0);
    guint8 addr[8] = { 0 };
    if (mac)
        memcpy(addr, mac, 6);
    fb_bytes(a, addr, 8);
}

static inline void fb_arp(GByteArray *a, guint16 op, const guint8 sha[6], const char *spa,
                          const guint8 tha[6], const char *tpa)
{
    erdiag_addr s, t;
    g_assert_true(erdiag_addr_parse(spa, &s));
    g_assert_true(erdiag_addr_parse(tpa, &t));
    fb_u16(a, 1);
    fb_u16(a, 0x0800);
    fb_u8(a, 6);
    fb_u8(a, 4);
    fb_u16(a, op);
    fb_bytes(a, sha, 6);
    fb_bytes(a, s.bytes, 4);
    fb_bytes(a, tha, 6);
    fb_bytes(a, t.bytes, 4);
}

/* IPv4 header (20 bytes, no options) for payload_len bytes of payload.
 * Returns the header's offset. */
static inline gsize fb_ipv4(GByteArray *a, guint8 proto, const char *src, const char *dst, guint16 payload_len)
{
    erdiag_addr s, d;
    g_assert_true(erdiag_addr_parse(src, &s));
    g_assert_true(erdiag_addr_parse(dst, &d));
    gsize off = a->len;
    fb_u8(a, 0x45);
    fb_u8(a, 0);
    fb_u16(a, (guint16)(20 + payload_len));
    fb_u16(a, 0x1234);
    fb_u16(a, 0x4000); /* don't fragment */
    fb_u8(a, 1);       /* TTL: eBGP's usual 1 */
    fb_u8(a, proto);
    fb_u16(a, 0);
    fb_bytes(a, s.bytes, 4);
    fb_bytes(a, d.bytes, 4);
    return off;
}

static inline gsize fb_ipv6(GByteArray *a, guint8 next_header, const char *src, const char *dst,
                            guint16 payload_len, guint8 hop_limit)
{
    erdiag_addr s, d;
    g_assert_true(erdiag_addr_parse(src, &s));
    g_assert_true(erdiag_addr_parse(dst, &d));
    gsize off = a->len;
    fb_u32(a, 0x60000000);
    fb_u16(a, payload_len);
    fb_u8(a, next_header);
    fb_u8(a, hop_limit);
    fb_bytes(a, s.bytes, 16);
    fb_bytes(a, d.bytes, 16);
    return off;
}

/* TCP header with options (opts_len a multiple of 4). */
static inline void fb_tcp(GByteArray *a, guint16 sport, guint16 dport, guint32 seq, guint32 ack,
                          guint8 flags, const guint8 *opts, gsize opts_len)
{
    fb_u16(a, sport);
    fb_u16(a, dport);
    fb_u32(a, seq);
    fb_u32(a, ack);
    fb_u8(a, (guint8)(((20 + opts_len) / 4) << 4));
    fb_u8(a, flags);
    fb_u16(a, 65535);
    fb_u16(a, 0);
    fb_u16(a, 0);
    if (opts_len)
        fb_bytes(a, opts, opts_len);
}

/* ICMPv6 NS (135) or NA (136) with an optional link-layer address option
 * (type 1 for NS, 2 for NA). 24 bytes, or 32 with the option. */
static inline void fb_nd(GByteArray *a, guint8 type, const char *target, const guint8 *ll_mac)
{
    erdiag_addr t;
    g_assert_true(erdiag_addr_parse(target, &t));
    fb_u8(a, type);
    fb_u8(a, 0);
    fb_u16(a, 0);
    fb_u32(a, type == 136 ? 0x60000000 : 0); /* NA: solicited + override */
    fb_bytes(a, t.bytes, 16);
    if (ll_mac) {
        fb_u8(a, type == 135 ? 1 : 2);
        fb_u8(a, 1);
        fb_bytes(a, ll_mac, 6);
    }
}

static inline erdiag_packet_meta fb_meta(guint64 frame, gsize cap_len, gsize wire_len)
{
    erdiag_packet_meta m;
    memset(&m, 0, sizeof m);
    m.frame = frame;
    m.ts_us = 1700000000000000;
    m.cap_len = (guint32)cap_len;
    m.wire_len = (guint32)wire_len;
    return m;
}

#endif
