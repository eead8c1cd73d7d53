/* IPv4 / IPv6 headers (fragments, extension headers, lengths) and TCP
 * headers with their options. */
#include <string.h>
#include <glib.h>

#include "ip.h"
#include "link.h"
#include "tcp.h"
#include "unit/frame_builder.h"

static void assert_ip(const erdiag_addr *a, const char *want)
{
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(a, buf), ==, want);
}

static void test_ipv4(void)
{
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 6, "192.168.15.17", "192.168.15.18", 20);
    fb_tcp(a, 50000, 179, 1, 0, ERDIAG_TCP_SYN, NULL, 0);
    fb_zeros(a, 6); /* Ethernet padding: not part of the packet */
    erdiag_ip_info ip;
    char *note = NULL;
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_null(note);
    g_assert_cmpuint(ip.version, ==, 4);
    assert_ip(&ip.src, "192.168.15.17");
    assert_ip(&ip.dst, "192.168.15.18");
    g_assert_cmpuint(ip.proto, ==, 6);
    g_assert_cmpuint(ip.ttl, ==, 1);
    g_assert_cmpuint(ip.ip_len, ==, 40);
    g_assert_true(ip.has_l4);
    g_assert_false(ip.fragment);
    g_assert_true(ip.l4 == a->data + 20);
    g_assert_cmpuint(ip.l4_captured, ==, 20); /* padding dropped */
    g_assert_cmpuint(ip.l4_len, ==, 20);
    g_byte_array_free(a, TRUE);
}

static void test_ipv4_bad(void)
{
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 20);
    fb_zeros(a, 20);
    erdiag_ip_info ip;
    char *note = NULL;

    a->data[0] = 0x44; /* IHL 4 */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, &ip, &note), ==, ERDIAG_IP_BAD);
    g_assert_nonnull(strstr(note, "header length 16 bytes"));
    g_free(note);

    a->data[0] = 0x65; /* version 6 under the IPv4 ethertype */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, &ip, &note), ==, ERDIAG_IP_BAD);
    g_assert_nonnull(strstr(note, "version 6"));
    g_free(note);

    a->data[0] = 0x45;
    fb_put16(a, 2, 12); /* total length below the header */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, &ip, &note), ==, ERDIAG_IP_BAD);
    g_assert_nonnull(strstr(note, "total length 12"));
    g_free(note);

    /* Header with options longer than what was captured. */
    a->data[0] = 0x4f;
    fb_put16(a, 2, 60);
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, 30, &ip, &note), ==, ERDIAG_IP_TRUNCATED);
    g_assert_cmpstr(note, ==, "IPv4 header truncated at 30 of 60 bytes");
    g_free(note);
    g_byte_array_free(a, TRUE);
}

static void test_ipv4_truncated_prefixes(void)
{
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 17, "10.0.0.1", "10.0.0.2", 8);
    fb_zeros(a, 8);
    for (gsize n = 0; n < 20; n++) {
        guint8 *copy = g_malloc(n ? n : 1);
        memcpy(copy, a->data, n);
        erdiag_ip_info ip;
        char *note = NULL;
        g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, copy, n, &ip, &note), ==, ERDIAG_IP_TRUNCATED);
        char *want = g_strdup_printf("IPv4 header truncated at %" G_GSIZE_FORMAT " of 20 bytes", n);
        g_assert_cmpstr(note, ==, want);
        g_free(want);
        g_free(note);
        g_free(copy);
    }
    /* Cut after the header: the upper layer is clamped to what is there. */
    erdiag_ip_info ip;
    char *note = NULL;
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, 24, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_cmpuint(ip.l4_captured, ==, 4);
    g_assert_cmpuint(ip.l4_len, ==, 8);
    g_byte_array_free(a, TRUE);
}

static void test_ipv4_fragments(void)
{
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 24);
    fb_tcp(a, 179, 50000, 1, 1, ERDIAG_TCP_ACK, NULL, 0);
    fb_zeros(a, 4);
    erdiag_ip_info ip;
    char *note = NULL;

    fb_put16(a, 6, 0x2000); /* first fragment: more fragments, offset 0 */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_true(ip.fragment);
    g_assert_true(ip.has_l4);

    fb_put16(a, 6, 0x0003); /* last fragment at offset 24 */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_true(ip.fragment);
    g_assert_false(ip.has_l4);
    g_assert_null(ip.l4);
    g_byte_array_free(a, TRUE);
}

/* IPv6 with hop-by-hop, routing and destination options before TCP. */
static void test_ipv6_ext_headers(void)
{
    GByteArray *a = g_byte_array_new();
    gsize ip_off = fb_ipv6(a, 0, "fd00:15::1", "fd00:15::2", 0, 255);
    fb_u8(a, 43); fb_u8(a, 0); fb_zeros(a, 6);              /* hop-by-hop, 8 bytes */
    fb_u8(a, 60); fb_u8(a, 2); fb_u8(a, 0); fb_u8(a, 0); fb_zeros(a, 20); /* routing, 24 bytes */
    fb_u8(a, 6); fb_u8(a, 0); fb_zeros(a, 6);               /* destination options, 8 bytes */
    gsize tcp_off = a->len;
    fb_tcp(a, 179, 40000, 7, 9, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, NULL, 0);
    fb_put16(a, ip_off + 4, (guint16)(a->len - 40));
    erdiag_ip_info ip;
    char *note = NULL;
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV6, a->data, a->len, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_null(note);
    g_assert_cmpuint(ip.version, ==, 6);
    g_assert_cmpuint(ip.proto, ==, 6);
    g_assert_cmpuint(ip.ttl, ==, 255);
    g_assert_true(ip.l4 == a->data + tcp_off);
    g_assert_cmpuint(ip.l4_len, ==, 20);
    g_assert_cmpuint(ip.ip_len, ==, a->len);
    assert_ip(&ip.dst, "fd00:15::2");

    /* Cut inside the routing header by snaplen. */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV6, a->data, 60, &ip, &note), ==, ERDIAG_IP_TRUNCATED);
    g_assert_cmpstr(note, ==, "IPv6 routing header truncated at 12 of 24 bytes");
    g_free(note);
    g_byte_array_free(a, TRUE);
}

static void test_ipv6_fragment(void)
{
    GByteArray *a = g_byte_array_new();
    gsize ip_off = fb_ipv6(a, 44, "fd00::1", "fd00::2", 0, 64);
    fb_u8(a, 17); fb_u8(a, 0); fb_u16(a, 0x0001); fb_u32(a, 42); /* offset 0, more fragments */
    fb_u16(a, 3784); fb_u16(a, 3784); fb_u16(a, 8); fb_u16(a, 0);
    fb_put16(a, ip_off + 4, (guint16)(a->len - 40));
    erdiag_ip_info ip;
    char *note = NULL;
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV6, a->data, a->len, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_true(ip.fragment);
    g_assert_true(ip.has_l4);
    g_assert_cmpuint(ip.proto, ==, 17);
    g_assert_cmpuint(ip.l4_captured, ==, 8);

    fb_put16(a, 42, 0x0010); /* offset 2 (x 8 bytes): a later fragment */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV6, a->data, a->len, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_false(ip.has_l4);
    g_assert_cmpuint(ip.proto, ==, 17);
    g_byte_array_free(a, TRUE);
}

static void test_ipv6_ext_chain_bounded(void)
{
    GByteArray *a = g_byte_array_new();
    gsize ip_off = fb_ipv6(a, 60, "fd00::1", "fd00::2", 0, 64);
    for (int i = 0; i < 40; i++) {
        fb_u8(a, 60); /* destination options, again and again */
        fb_u8(a, 0);
        fb_zeros(a, 6);
    }
    fb_put16(a, ip_off + 4, (guint16)(a->len - 40));
    erdiag_ip_info ip;
    char *note = NULL;
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV6, a->data, a->len, &ip, &note), ==, ERDIAG_IP_BAD);
    g_assert_nonnull(strstr(note, "more than 8 extension headers"));
    g_free(note);

    /* An extension header claiming more than the packet holds. */
    a->data[41] = 200;
    g_byte_array_set_size(a, 48);
    fb_put16(a, ip_off + 4, 8);
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV6, a->data, a->len, &ip, &note), ==, ERDIAG_IP_BAD);
    g_assert_nonnull(strstr(note, "runs past the packet's end"));
    g_free(note);
    g_byte_array_free(a, TRUE);
}

static erdiag_ip_status ip_of(GByteArray *a, erdiag_ip_info *ip)
{
    char *note = NULL;
    erdiag_ip_status st = erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len, ip, &note);
    g_free(note);
    return st;
}

static void test_tcp_md5(void)
{
    guint8 opts[20] = { 19, 18 }; /* MD5 signature: kind 19, length 18, 16-byte digest */
    opts[18] = 1;                 /* NOP */
    opts[19] = 0;                 /* end of options */
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 6, "192.168.15.18", "192.168.15.17", 40 + 5);
    fb_tcp(a, 33000, 179, 1000, 0, ERDIAG_TCP_SYN, opts, sizeof opts);
    fb_bytes(a, (const guint8 *)"hello", 5);
    erdiag_ip_info ip;
    g_assert_cmpint(ip_of(a, &ip), ==, ERDIAG_IP_OK);
    erdiag_tcp_ev tcp;
    const guint8 *payload;
    guint32 captured;
    char *note = NULL;
    g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_DECODED);
    g_assert_null(note);
    g_assert_true(tcp.md5_option);
    g_assert_false(tcp.ao_option);
    g_assert_cmpuint(tcp.sport, ==, 33000);
    g_assert_cmpuint(tcp.dport, ==, 179);
    g_assert_cmpuint(tcp.seq, ==, 1000);
    g_assert_cmpuint(tcp.flags, ==, ERDIAG_TCP_SYN);
    g_assert_cmpuint(tcp.payload_len, ==, 5);
    g_assert_cmpuint(captured, ==, 5);
    g_assert_cmpmem(payload, 5, "hello", 5);
    g_assert_cmpuint(tcp.ttl, ==, 1);
    g_assert_cmpuint(tcp.ip_len, ==, 65);
    assert_ip(&tcp.src, "192.168.15.18");

    /* The same segment cut by snaplen two bytes into its payload. */
    g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, a->len - 3, &ip, &note), ==, ERDIAG_IP_OK);
    g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_DECODED);
    g_assert_cmpuint(tcp.payload_len, ==, 5);
    g_assert_cmpuint(captured, ==, 2);
    g_byte_array_free(a, TRUE);
}

static void test_tcp_ao(void)
{
    guint8 opts[16] = { 1, 1, 29, 14, 7, 9 }; /* NOP NOP, TCP-AO with key ids and MAC */
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 36);
    fb_tcp(a, 179, 33000, 5, 6, ERDIAG_TCP_ACK, opts, sizeof opts);
    erdiag_ip_info ip;
    g_assert_cmpint(ip_of(a, &ip), ==, ERDIAG_IP_OK);
    erdiag_tcp_ev tcp;
    const guint8 *payload;
    guint32 captured;
    char *note = NULL;
    g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_DECODED);
    g_assert_true(tcp.ao_option);
    g_assert_false(tcp.md5_option);
    g_assert_cmpuint(tcp.payload_len, ==, 0);
    g_byte_array_free(a, TRUE);
}

/* Option lengths that would loop or overrun: the walk stops with a note
 * and the segment is still reported. */
static void test_tcp_bad_options(void)
{
    static const struct {
        guint8 opts[8];
        const char *in_note;
    } cases[] = {
        { { 2, 0, 0, 0, 0, 0, 0, 0 }, "kind 2 at byte 20 has length 0" },
        { { 1, 8, 1, 0, 0, 0, 0, 0 }, "kind 8 at byte 21 has length 1" },
        { { 19, 18, 0, 0, 0, 0, 0, 0 }, "kind 19 at byte 20 has length 18, past the end" },
        { { 1, 1, 1, 1, 1, 1, 1, 5 }, "kind 5 at byte 27 has no length byte" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        GByteArray *a = g_byte_array_new();
        fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 28);
        fb_tcp(a, 179, 33000, 5, 6, ERDIAG_TCP_SYN, cases[i].opts, 8);
        erdiag_ip_info ip;
        g_assert_cmpint(ip_of(a, &ip), ==, ERDIAG_IP_OK);
        erdiag_tcp_ev tcp;
        const guint8 *payload;
        guint32 captured;
        char *note = NULL;
        g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_DECODED_WITH_NOTE);
        g_assert_nonnull(note);
        g_assert_nonnull(strstr(note, cases[i].in_note));
        g_assert_false(tcp.md5_option); /* a cut-off MD5 option is not counted */
        g_assert_cmpuint(tcp.dport, ==, 33000);
        g_free(note);
        g_byte_array_free(a, TRUE);
    }
}

static void test_tcp_bad_header(void)
{
    GByteArray *a = g_byte_array_new();
    fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 20);
    fb_tcp(a, 179, 33000, 5, 6, ERDIAG_TCP_SYN, NULL, 0);
    erdiag_ip_info ip;
    erdiag_tcp_ev tcp;
    const guint8 *payload;
    guint32 captured;
    char *note = NULL;

    a->data[20 + 12] = 0x40; /* data offset 16 bytes */
    g_assert_cmpint(ip_of(a, &ip), ==, ERDIAG_IP_OK);
    g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_BAD);
    g_assert_nonnull(strstr(note, "below the minimum"));
    g_free(note);

    a->data[20 + 12] = 0xf0; /* 60-byte header in a 20-byte segment */
    g_assert_cmpint(ip_of(a, &ip), ==, ERDIAG_IP_OK);
    g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_BAD);
    g_assert_nonnull(strstr(note, "longer than the 20-byte segment"));
    g_free(note);

    a->data[20 + 12] = 0x50;
    for (gsize n = 20; n < 40; n++) {
        g_assert_cmpint(erdiag_ip_decode(ERDIAG_ETHERTYPE_IPV4, a->data, n, &ip, &note), ==, ERDIAG_IP_OK);
        g_assert_cmpint(erdiag_tcp_decode(&ip, &tcp, &payload, &captured, &note), ==, ERDIAG_TCP_TRUNCATED);
        char *want = g_strdup_printf("TCP header truncated at %" G_GSIZE_FORMAT " of 20 bytes", n - 20);
        g_assert_cmpstr(note, ==, want);
        g_free(want);
        g_free(note);
    }
    g_byte_array_free(a, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ip/v4", test_ipv4);
    g_test_add_func("/ip/v4-bad", test_ipv4_bad);
    g_test_add_func("/ip/v4-truncated", test_ipv4_truncated_prefixes);
    g_test_add_func("/ip/v4-fragments", test_ipv4_fragments);
    g_test_add_func("/ip/v6-ext-headers", test_ipv6_ext_headers);
    g_test_add_func("/ip/v6-fragment", test_ipv6_fragment);
    g_test_add_func("/ip/v6-ext-chain-bounded", test_ipv6_ext_chain_bounded);
    g_test_add_func("/tcp/md5", test_tcp_md5);
    g_test_add_func("/tcp/ao", test_tcp_ao);
    g_test_add_func("/tcp/bad-options", test_tcp_bad_options);
    g_test_add_func("/tcp/bad-header", test_tcp_bad_header);
    return g_test_run();
}
