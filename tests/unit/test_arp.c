/* ARP and IPv6 Neighbour Discovery decoding. */
#include <string.h>
#include <glib.h>

#include "arp.h"
#include "unit/frame_builder.h"

static void assert_ip(const erdiag_addr *a, const char *want)
{
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(a, buf), ==, want);
}

static erdiag_addr A(const char *s)
{
    erdiag_addr a;
    g_assert_true(erdiag_addr_parse(s, &a));
    return a;
}

static void test_request_reply(void)
{
    GByteArray *a = g_byte_array_new();
    fb_arp(a, 1, FB_MAC_A, "172.21.79.97", FB_MAC_ZERO, "172.21.79.100");
    erdiag_arp_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_arp_decode(a->data, a->len, &ev, &note), ==, ERDIAG_ARP_DECODED);
    g_assert_null(note);
    g_assert_cmpuint(ev.opcode, ==, ERDIAG_ARP_REQUEST);
    g_assert_false(ev.nd);
    g_assert_cmpmem(ev.sender_mac, 6, FB_MAC_A, 6);
    assert_ip(&ev.sender_ip, "172.21.79.97");
    g_assert_cmpmem(ev.target_mac, 6, FB_MAC_ZERO, 6);
    assert_ip(&ev.target_ip, "172.21.79.100");
    g_byte_array_free(a, TRUE);

    a = g_byte_array_new();
    fb_arp(a, 2, FB_MAC_B, "172.21.79.100", FB_MAC_A, "172.21.79.97");
    fb_zeros(a, 18); /* Ethernet padding after the ARP body is fine */
    g_assert_cmpint(erdiag_arp_decode(a->data, a->len, &ev, &note), ==, ERDIAG_ARP_DECODED);
    g_assert_cmpuint(ev.opcode, ==, ERDIAG_ARP_REPLY);
    g_assert_cmpmem(ev.sender_mac, 6, FB_MAC_B, 6);
    assert_ip(&ev.sender_ip, "172.21.79.100");
    g_assert_cmpmem(ev.target_mac, 6, FB_MAC_A, 6);
    assert_ip(&ev.target_ip, "172.21.79.97");
    g_byte_array_free(a, TRUE);
}

/* hlen/plen other than 6/4 move every later field: a note, not a guess. */
static void test_odd_lengths(void)
{
    static const struct {
        guint16 htype, ptype;
        guint8 hlen, plen;
        const char *in_note;
    } cases[] = {
        { 1, 0x0800, 14, 4, "address lengths 14/4" },  /* arp-too-long-tha.pcap's shape */
        { 1, 0x0800, 6, 255, "address lengths 6/255" },
        { 1, 0x0800, 255, 255, "address lengths 255/255" },
        { 1, 0x0800, 0, 0, "address lengths 0/0" },
        { 6, 0x0800, 6, 4, "hardware type 6" },
        { 1, 0x86dd, 6, 16, "protocol type 0x86dd" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        GByteArray *a = g_byte_array_new();
        fb_u16(a, cases[i].htype);
        fb_u16(a, cases[i].ptype);
        fb_u8(a, cases[i].hlen);
        fb_u8(a, cases[i].plen);
        fb_u16(a, 1);
        fb_zeros(a, 20); /* fewer bytes than the lengths claim, for most cases */
        erdiag_arp_ev ev;
        char *note = NULL;
        g_assert_cmpint(erdiag_arp_decode(a->data, a->len, &ev, &note), ==, ERDIAG_ARP_UNSUPPORTED);
        g_assert_nonnull(note);
        g_assert_nonnull(strstr(note, cases[i].in_note));
        g_assert_nonnull(strstr(note, "not Ethernet/IPv4"));
        g_free(note);
        g_byte_array_free(a, TRUE);
    }
}

static void test_other_opcode(void)
{
    GByteArray *a = g_byte_array_new();
    fb_arp(a, 3, FB_MAC_A, "10.0.0.1", FB_MAC_ZERO, "10.0.0.2");
    erdiag_arp_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_arp_decode(a->data, a->len, &ev, &note), ==, ERDIAG_ARP_UNSUPPORTED);
    g_assert_nonnull(strstr(note, "opcode 3 (RARP request)"));
    g_free(note);
    g_byte_array_free(a, TRUE);
}

static void test_truncated(void)
{
    GByteArray *a = g_byte_array_new();
    fb_arp(a, 1, FB_MAC_A, "10.0.0.1", FB_MAC_ZERO, "10.0.0.2");
    for (gsize n = 0; n < a->len; n++) {
        guint8 *copy = g_malloc(n ? n : 1);
        memcpy(copy, a->data, n);
        erdiag_arp_ev ev;
        char *note = NULL;
        g_assert_cmpint(erdiag_arp_decode(copy, n, &ev, &note), ==, ERDIAG_ARP_TRUNCATED);
        char *want = g_strdup_printf("truncated at %" G_GSIZE_FORMAT " of", n);
        g_assert_nonnull(strstr(note, want));
        g_free(want);
        g_free(note);
        g_free(copy);
    }
    g_byte_array_free(a, TRUE);
}

static erdiag_packet_meta eth_meta(const guint8 src[6], const guint8 dst[6])
{
    erdiag_packet_meta m;
    memset(&m, 0, sizeof m);
    m.has_macs = TRUE;
    memcpy(m.src_mac, src, 6);
    memcpy(m.dst_mac, dst, 6);
    return m;
}

static void test_nd_ns(void)
{
    static const guint8 opt_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
    GByteArray *a = g_byte_array_new();
    fb_nd(a, 135, "fd00:15::2", opt_mac);
    erdiag_addr src = A("fd00:15::1"), dst = A("ff02::1:ff00:2");
    erdiag_packet_meta m = eth_meta(FB_MAC_A, FB_MAC_BCAST);
    erdiag_arp_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_nd_decode(a->data, a->len, &src, &dst, &m, &ev, &note), ==, ERDIAG_ARP_DECODED);
    g_assert_null(note);
    g_assert_true(ev.nd);
    g_assert_cmpuint(ev.opcode, ==, ERDIAG_ARP_REQUEST);
    assert_ip(&ev.sender_ip, "fd00:15::1");
    g_assert_cmpmem(ev.sender_mac, 6, opt_mac, 6); /* the option wins over the Ethernet source */
    assert_ip(&ev.target_ip, "fd00:15::2");
    g_assert_cmpmem(ev.target_mac, 6, FB_MAC_ZERO, 6);
    g_byte_array_free(a, TRUE);

    /* Duplicate address detection: source ::, no option. */
    a = g_byte_array_new();
    fb_nd(a, 135, "fd00:15::2", NULL);
    src = A("::");
    g_assert_cmpint(erdiag_nd_decode(a->data, a->len, &src, &dst, &m, &ev, &note), ==, ERDIAG_ARP_DECODED);
    g_assert_cmpuint(ev.sender_ip.family, ==, 0);
    g_assert_cmpmem(ev.sender_mac, 6, FB_MAC_A, 6);
    g_byte_array_free(a, TRUE);
}

static void test_nd_na(void)
{
    static const guint8 opt_mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
    GByteArray *a = g_byte_array_new();
    fb_nd(a, 136, "fd00:15::2", opt_mac);
    erdiag_addr src = A("fe80::2"), dst = A("fd00:15::1");
    erdiag_packet_meta m = eth_meta(FB_MAC_B, FB_MAC_A);
    erdiag_arp_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_nd_decode(a->data, a->len, &src, &dst, &m, &ev, &note), ==, ERDIAG_ARP_DECODED);
    g_assert_null(note);
    g_assert_true(ev.nd);
    g_assert_cmpuint(ev.opcode, ==, ERDIAG_ARP_REPLY);
    assert_ip(&ev.sender_ip, "fd00:15::2"); /* the target address, not the IPv6 source */
    g_assert_cmpmem(ev.sender_mac, 6, opt_mac, 6);
    assert_ip(&ev.target_ip, "fd00:15::1");
    g_assert_cmpmem(ev.target_mac, 6, FB_MAC_A, 6);
    g_byte_array_free(a, TRUE);

    /* Without the option the Ethernet source stands in. */
    a = g_byte_array_new();
    fb_nd(a, 136, "fd00:15::2", NULL);
    g_assert_cmpint(erdiag_nd_decode(a->data, a->len, &src, &dst, &m, &ev, &note), ==, ERDIAG_ARP_DECODED);
    g_assert_cmpmem(ev.sender_mac, 6, FB_MAC_B, 6);
    g_byte_array_free(a, TRUE);
}

static void test_nd_bad_option(void)
{
    GByteArray *a = g_byte_array_new();
    fb_nd(a, 136, "fd00:15::2", NULL);
    fb_u8(a, 2);
    fb_u8(a, 0); /* length 0: would never advance */
    fb_zeros(a, 6);
    erdiag_addr src = A("fe80::2"), dst = A("fd00:15::1");
    erdiag_packet_meta m = eth_meta(FB_MAC_B, FB_MAC_A);
    erdiag_arp_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_nd_decode(a->data, a->len, &src, &dst, &m, &ev, &note), ==, ERDIAG_ARP_MALFORMED);
    g_assert_nonnull(strstr(note, "length 0"));
    g_free(note);
    g_byte_array_free(a, TRUE);
}

static void test_nd_other_icmpv6(void)
{
    guint8 echo[8] = { 128, 0, 0, 0, 0, 1, 0, 1 };
    erdiag_addr src = A("fe80::2"), dst = A("fd00:15::1");
    erdiag_packet_meta m = eth_meta(FB_MAC_B, FB_MAC_A);
    erdiag_arp_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_nd_decode(echo, sizeof echo, &src, &dst, &m, &ev, &note), ==, ERDIAG_ARP_NOT_ND);
    g_assert_null(note);
}

static void test_nd_truncated(void)
{
    static const guint8 opt_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
    GByteArray *a = g_byte_array_new();
    fb_nd(a, 135, "fd00:15::2", opt_mac);
    erdiag_addr src = A("fd00:15::1"), dst = A("ff02::1:ff00:2");
    erdiag_packet_meta m = eth_meta(FB_MAC_A, FB_MAC_BCAST);
    for (gsize n = 1; n < a->len; n++) {
        guint8 *copy = g_malloc(n);
        memcpy(copy, a->data, n);
        erdiag_arp_ev ev;
        char *note = NULL;
        erdiag_arp_status st = erdiag_nd_decode(copy, n, &src, &dst, &m, &ev, &note);
        if (n < 24) {
            g_assert_cmpint(st, ==, ERDIAG_ARP_TRUNCATED);
            g_assert_nonnull(note);
        } else {
            /* The fixed part is there: decoded, and the Ethernet source stands in. */
            g_assert_cmpint(st, ==, ERDIAG_ARP_DECODED);
            g_assert_cmpmem(ev.sender_mac, 6, FB_MAC_A, 6);
            if (n > 24)
                g_assert_nonnull(note);
        }
        g_free(note);
        g_free(copy);
    }
    g_byte_array_free(a, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arp/request-reply", test_request_reply);
    g_test_add_func("/arp/odd-lengths", test_odd_lengths);
    g_test_add_func("/arp/other-opcode", test_other_opcode);
    g_test_add_func("/arp/truncated", test_truncated);
    g_test_add_func("/arp/nd/ns", test_nd_ns);
    g_test_add_func("/arp/nd/na", test_nd_na);
    g_test_add_func("/arp/nd/bad-option", test_nd_bad_option);
    g_test_add_func("/arp/nd/other-icmpv6", test_nd_other_icmpv6);
    g_test_add_func("/arp/nd/truncated", test_nd_truncated);
    return g_test_run();
}
