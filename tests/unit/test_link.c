/* Link layer: Ethernet, VLAN stacks in every order ExpressRoute uses, SLL and
 * SLL2, Juniper Ethernet, bare IP (RAW / DLT_RAW, IPV4, IPV6). */
#include <string.h>
#include <glib.h>

#include "decoder.h"
#include "link.h"
#include "unit/frame_builder.h"

static erdiag_link_result decode(int linktype, GByteArray *a, erdiag_packet_meta *m)
{
    memset(m, 0, sizeof *m);
    return erdiag_link_decode(linktype, a->data, a->len, m);
}

static void assert_tag(const erdiag_packet_meta *m, guint i, guint16 tpid, guint16 vid, guint8 pcp)
{
    g_assert_cmpuint(i, <, m->n_tags);
    g_assert_cmphex(m->tags[i].tpid, ==, tpid);
    g_assert_cmpuint(m->tags[i].vid, ==, vid);
    g_assert_cmpuint(m->tags[i].pcp, ==, pcp);
}

static void test_untagged(void)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_BCAST, FB_MAC_A, 0x0806);
    fb_zeros(a, 28);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0806);
    g_assert_cmpuint(r.payload_off, ==, 14);
    g_assert_cmpuint(m.n_tags, ==, 0);
    g_assert_true(m.has_macs);
    g_assert_cmpmem(m.src_mac, 6, FB_MAC_A, 6);
    g_assert_cmpmem(m.dst_mac, 6, FB_MAC_BCAST, 6);
    g_byte_array_free(a, TRUE);
}

static void test_dot1q(void)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x8100);
    fb_tag(a, 5, 123, 0x0800);
    fb_zeros(a, 20);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0800);
    g_assert_cmpuint(r.payload_off, ==, 18);
    g_assert_cmpuint(m.n_tags, ==, 1);
    assert_tag(&m, 0, 0x8100, 123, 5);
    g_byte_array_free(a, TRUE);
}

/* Outer TPID, outer VID, inner TPID, inner VID, expected. */
static void check_two_tags(guint16 outer_tpid, guint16 inner_tpid)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, outer_tpid);
    fb_tag(a, 0, 200, inner_tpid);
    fb_tag(a, 3, 2001, 0x0806);
    fb_zeros(a, 28);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0806);
    g_assert_cmpuint(r.payload_off, ==, 22);
    g_assert_cmpuint(m.n_tags, ==, 2);
    assert_tag(&m, 0, outer_tpid, 200, 0);
    assert_tag(&m, 1, inner_tpid, 2001, 3);
    g_byte_array_free(a, TRUE);
}

static void test_qinq_88a8_8100(void) { check_two_tags(0x88a8, 0x8100); }
static void test_qinq_9100_8100(void) { check_two_tags(0x9100, 0x8100); }
static void test_qinq_8100_8100(void) { check_two_tags(0x8100, 0x8100); }
static void test_qinq_8100_88a8(void) { check_two_tags(0x8100, 0x88a8); }

static void test_three_deep(void)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x88a8);
    fb_tag(a, 1, 4094, 0x9100);
    fb_u16(a, (2 << 13) | 0x1000 | 20); /* DEI set: not part of the VID */
    fb_u16(a, 0x8100);
    fb_tag(a, 7, 10, 0x86dd);
    fb_zeros(a, 40);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x86dd);
    g_assert_cmpuint(r.payload_off, ==, 26);
    g_assert_cmpuint(m.n_tags, ==, 3);
    assert_tag(&m, 0, 0x88a8, 4094, 1);
    assert_tag(&m, 1, 0x9100, 20, 2);
    assert_tag(&m, 2, 0x8100, 10, 7);
    g_byte_array_free(a, TRUE);
}

static GByteArray *stack_of(guint n)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x8100);
    for (guint i = 0; i < n; i++)
        fb_tag(a, 0, (guint16)(100 + i), i + 1 < n ? 0x8100 : 0x0806);
    fb_zeros(a, 28);
    return a;
}

static void test_max_tags(void)
{
    GByteArray *a = stack_of(ERDIAG_MAX_TAGS);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0806);
    g_assert_cmpuint(m.n_tags, ==, ERDIAG_MAX_TAGS);
    assert_tag(&m, ERDIAG_MAX_TAGS - 1, 0x8100, 100 + ERDIAG_MAX_TAGS - 1, 0);
    g_byte_array_free(a, TRUE);
}

static void test_too_many_tags(void)
{
    GByteArray *a = stack_of(ERDIAG_MAX_TAGS + 1);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_TOO_MANY_TAGS);
    g_assert_cmpuint(m.n_tags, ==, ERDIAG_MAX_TAGS); /* outermost ones kept */
    assert_tag(&m, 0, 0x8100, 100, 0);
    g_byte_array_free(a, TRUE);
}

static void test_llc_skipped(void)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 38); /* 802.3 length: spanning tree BPDU */
    fb_u8(a, 0x42);
    fb_u8(a, 0x42);
    fb_u8(a, 0x03);
    fb_zeros(a, 35);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_ETHERNET, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_NOT_ETHERTYPE);
    g_byte_array_free(a, TRUE);
}

static void test_sll(void)
{
    GByteArray *a = g_byte_array_new();
    fb_sll(a, 1 /* broadcast */, FB_MAC_A, 0x0806);
    fb_zeros(a, 28);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_LINUX_SLL, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0806);
    g_assert_cmpuint(r.payload_off, ==, 16);
    g_assert_true(m.has_macs);
    g_assert_cmpmem(m.src_mac, 6, FB_MAC_A, 6);
    g_assert_cmpmem(m.dst_mac, 6, FB_MAC_BCAST, 6);
    g_byte_array_free(a, TRUE);

    /* No link-layer address (a tunnel, say): no MACs. */
    a = g_byte_array_new();
    fb_sll(a, 0, NULL, 0x0800);
    fb_zeros(a, 20);
    r = decode(ERDIAG_LINKTYPE_LINUX_SLL, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_false(m.has_macs);
    g_byte_array_free(a, TRUE);
}

/* -i any with the tag left in the payload: SLL protocol 0x8100. */
static void test_sll_vlan(void)
{
    GByteArray *a = g_byte_array_new();
    fb_sll(a, 0, FB_MAC_A, 0x8100);
    fb_tag(a, 0, 300, 0x0800);
    fb_zeros(a, 20);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_LINUX_SLL, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0800);
    g_assert_cmpuint(r.payload_off, ==, 20);
    g_assert_cmpuint(m.n_tags, ==, 1);
    assert_tag(&m, 0, 0x8100, 300, 0);
    g_byte_array_free(a, TRUE);
}

static void test_sll2(void)
{
    GByteArray *a = g_byte_array_new();
    fb_sll2(a, 0x88a8, 0, FB_MAC_B);
    fb_tag(a, 0, 200, 0x8100);
    fb_tag(a, 0, 2001, 0x86dd);
    fb_zeros(a, 40);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_LINUX_SLL2, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x86dd);
    g_assert_cmpuint(r.payload_off, ==, 28);
    g_assert_true(m.has_macs);
    g_assert_cmpmem(m.src_mac, 6, FB_MAC_B, 6);
    g_assert_cmpmem(m.dst_mac, 6, FB_MAC_ZERO, 6);
    g_assert_cmpuint(m.n_tags, ==, 2);
    assert_tag(&m, 0, 0x88a8, 200, 0);
    assert_tag(&m, 1, 0x8100, 2001, 0);
    g_byte_array_free(a, TRUE);
}

/* Every prefix that stops inside the link header or a tag is reported as
 * truncated, naming what was cut; none reads past its length (ASan). */
static void check_prefixes(int linktype, GByteArray *a, gsize header_end)
{
    for (gsize n = 0; n <= a->len; n++) {
        /* A copy of exactly n bytes, so any overread hits a redzone. */
        guint8 *copy = g_malloc(n ? n : 1);
        memcpy(copy, a->data, n);
        erdiag_packet_meta m;
        memset(&m, 0, sizeof m);
        erdiag_link_result r = erdiag_link_decode(linktype, copy, n, &m);
        if (n < header_end) {
            g_assert_cmpint(r.status, ==, ERDIAG_LINK_TRUNCATED);
            g_assert_nonnull(r.what);
            g_assert_cmpuint(r.have, <, r.need);
        } else {
            g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
            g_assert_cmpuint(r.payload_off, ==, header_end);
        }
        g_free(copy);
    }
}

static void test_truncated_prefixes(void)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x88a8);
    fb_tag(a, 0, 200, 0x8100);
    fb_tag(a, 0, 2001, 0x0806);
    check_prefixes(ERDIAG_LINKTYPE_ETHERNET, a, 22);
    g_byte_array_free(a, TRUE);

    a = g_byte_array_new();
    fb_sll(a, 0, FB_MAC_A, 0x8100);
    fb_tag(a, 0, 300, 0x0800);
    check_prefixes(ERDIAG_LINKTYPE_LINUX_SLL, a, 20);
    g_byte_array_free(a, TRUE);

    a = g_byte_array_new();
    fb_sll2(a, 0x0806, 0, FB_MAC_A);
    check_prefixes(ERDIAG_LINKTYPE_LINUX_SLL2, a, 20);
    g_byte_array_free(a, TRUE);
}

/* Raw IP: the version nibble picks the ethertype; no MACs, no tags. */
static void test_raw_ip(void)
{
    static const int raw_types[] = { ERDIAG_LINKTYPE_RAW, ERDIAG_LINKTYPE_DLT_RAW,
                                     ERDIAG_LINKTYPE_DLT_RAW_OPENBSD };
    for (gsize i = 0; i < G_N_ELEMENTS(raw_types); i++) {
        guint8 frame[40] = { 0x45 };
        erdiag_packet_meta m;
        memset(&m, 0, sizeof m);
        erdiag_link_result r = erdiag_link_decode(raw_types[i], frame, 20, &m);
        g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
        g_assert_cmphex(r.ethertype, ==, 0x0800);
        g_assert_cmpuint(r.payload_off, ==, 0);
        g_assert_false(m.has_macs);
        g_assert_cmpuint(m.n_tags, ==, 0);

        frame[0] = 0x60;
        r = erdiag_link_decode(raw_types[i], frame, 40, &m);
        g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
        g_assert_cmphex(r.ethertype, ==, 0x86dd);

        frame[0] = 0x20; /* neither 4 nor 6 */
        r = erdiag_link_decode(raw_types[i], frame, 40, &m);
        g_assert_cmpint(r.status, ==, ERDIAG_LINK_UNDECODABLE);
        g_assert_nonnull(r.what);

        r = erdiag_link_decode(raw_types[i], frame, 0, &m);
        g_assert_cmpint(r.status, ==, ERDIAG_LINK_TRUNCATED);
        g_assert_cmpuint(r.have, ==, 0);
        g_assert_cmpuint(r.need, ==, 1);
        g_assert_true(erdiag_decoder_linktype_supported(raw_types[i]));
        g_assert_cmpstr(erdiag_decoder_linktype_name(raw_types[i]), ==, "RAW");
    }

    /* LINKTYPE_IPV4 / IPV6 name the version: the IP decoder checks it. */
    guint8 frame[1] = { 0x60 };
    erdiag_packet_meta m;
    memset(&m, 0, sizeof m);
    erdiag_link_result r = erdiag_link_decode(ERDIAG_LINKTYPE_IPV4, frame, 1, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0800);
    g_assert_cmpuint(r.payload_off, ==, 0);
    r = erdiag_link_decode(ERDIAG_LINKTYPE_IPV6, frame, 0, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x86dd);
    g_assert_true(erdiag_decoder_linktype_supported(228));
    g_assert_true(erdiag_decoder_linktype_supported(229));
}

/* The Juniper Ethernet pseudo-header of tcpdump's bgp-aigp.pcap (an MX's
 * export): "MGC", flags 0x80 (extensions, outgoing, L2 present), 16 bytes of
 * TLVs (media type, encapsulation, ifindex 140, logical ifindex 332). */
static const guint8 juniper_ext_header[] = {
    0x4d, 0x47, 0x43, 0x80, 0x00, 0x10, 0x03, 0x01, 0x01, 0x06, 0x01,
    0x0e, 0x01, 0x02, 0x8c, 0x00, 0x04, 0x04, 0x4c, 0x01, 0x00, 0x00,
};

static void test_juniper_ether(void)
{
    GByteArray *a = g_byte_array_new();
    fb_bytes(a, juniper_ext_header, sizeof juniper_ext_header);
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x8100);
    fb_tag(a, 0, 100, 0x0800);
    fb_zeros(a, 20);
    erdiag_packet_meta m;
    erdiag_link_result r = decode(ERDIAG_LINKTYPE_JUNIPER_ETHER, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0800);
    g_assert_cmpuint(r.payload_off, ==, 22 + 14 + 4);
    g_assert_true(m.has_macs);
    g_assert_cmpmem(m.src_mac, 6, FB_MAC_A, 6);
    g_assert_cmpmem(m.dst_mac, 6, FB_MAC_B, 6);
    g_assert_cmpuint(m.n_tags, ==, 1);
    assert_tag(&m, 0, 0x8100, 100, 0);
    /* Every cut inside the pseudo-header, the Ethernet header or the tag. */
    g_byte_array_set_size(a, 22 + 14 + 4);
    check_prefixes(ERDIAG_LINKTYPE_JUNIPER_ETHER, a, 22 + 14 + 4);
    g_byte_array_free(a, TRUE);

    /* No extensions: Ethernet right after the 4 bytes. */
    a = g_byte_array_new();
    fb_bytes(a, (const guint8 *)"MGC\x01", 4);
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0806);
    fb_zeros(a, 28);
    r = decode(ERDIAG_LINKTYPE_JUNIPER_ETHER, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x0806);
    g_assert_cmpuint(r.payload_off, ==, 18);
    g_byte_array_free(a, TRUE);

    /* No L2 header: a 4-byte word, then bare IP. */
    a = g_byte_array_new();
    fb_bytes(a, (const guint8 *)"MGC\x02", 4);
    fb_u32(a, 2);
    fb_u8(a, 0x60);
    fb_zeros(a, 39);
    r = decode(ERDIAG_LINKTYPE_JUNIPER_ETHER, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_OK);
    g_assert_cmphex(r.ethertype, ==, 0x86dd);
    g_assert_cmpuint(r.payload_off, ==, 8);
    g_assert_false(m.has_macs);
    for (gsize n = 0; n < 9; n++) {
        r = erdiag_link_decode(ERDIAG_LINKTYPE_JUNIPER_ETHER, a->data, n, &m);
        g_assert_cmpint(r.status, ==, ERDIAG_LINK_TRUNCATED);
        g_assert_cmpuint(r.have, <, r.need);
    }
    g_byte_array_free(a, TRUE);

    /* Not a Juniper header at all. */
    a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0800);
    fb_zeros(a, 20);
    r = decode(ERDIAG_LINKTYPE_JUNIPER_ETHER, a, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_UNDECODABLE);
    g_assert_nonnull(r.what);
    g_byte_array_free(a, TRUE);
    g_assert_true(erdiag_decoder_linktype_supported(178));
}

static void test_unknown_linktype(void)
{
    guint8 frame[64] = { 0 };
    erdiag_packet_meta m;
    memset(&m, 0, sizeof m);
    erdiag_link_result r = erdiag_link_decode(105, frame, sizeof frame, &m);
    g_assert_cmpint(r.status, ==, ERDIAG_LINK_UNKNOWN_TYPE);
    g_assert_false(erdiag_decoder_linktype_supported(105));
    g_assert_cmpstr(erdiag_decoder_linktype_name(105), ==, "IEEE802_11");
    g_assert_true(erdiag_decoder_linktype_supported(276));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/link/untagged", test_untagged);
    g_test_add_func("/link/dot1q", test_dot1q);
    g_test_add_func("/link/qinq/88a8-8100", test_qinq_88a8_8100);
    g_test_add_func("/link/qinq/9100-8100", test_qinq_9100_8100);
    g_test_add_func("/link/qinq/8100-8100", test_qinq_8100_8100);
    g_test_add_func("/link/qinq/8100-88a8", test_qinq_8100_88a8);
    g_test_add_func("/link/three-deep", test_three_deep);
    g_test_add_func("/link/max-tags", test_max_tags);
    g_test_add_func("/link/too-many-tags", test_too_many_tags);
    g_test_add_func("/link/llc-skipped", test_llc_skipped);
    g_test_add_func("/link/sll", test_sll);
    g_test_add_func("/link/sll-vlan", test_sll_vlan);
    g_test_add_func("/link/sll2", test_sll2);
    g_test_add_func("/link/truncated-prefixes", test_truncated_prefixes);
    g_test_add_func("/link/raw-ip", test_raw_ip);
    g_test_add_func("/link/juniper-ether", test_juniper_ether);
    g_test_add_func("/link/unknown-linktype", test_unknown_linktype);
    return g_test_run();
}
