/* Addresses, prefixes and the name tables. */
#include <string.h>
#include <glib.h>

#include "erdiag/addr.h"
#include "erdiag/bgp.h"
#include "erdiag/model.h"

static erdiag_addr A(const char *s)
{
    erdiag_addr a;
    g_assert_true(erdiag_addr_parse(s, &a));
    return a;
}

static erdiag_prefix P(const char *s)
{
    erdiag_prefix p;
    gboolean host = TRUE;
    g_assert_true(erdiag_prefix_parse(s, &p, &host));
    g_assert_false(host);
    return p;
}

static void assert_addr_str(const erdiag_addr *a, const char *want)
{
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(a, buf), ==, want);
}

static void test_parse_print(void)
{
    erdiag_addr a = A("192.168.10.1");
    g_assert_cmpuint(a.family, ==, 4);
    g_assert_cmpuint(erdiag_addr_bits(&a), ==, 32);
    g_assert_cmpuint(a.bytes[0], ==, 192);
    g_assert_cmpuint(a.bytes[3], ==, 1);
    assert_addr_str(&a, "192.168.10.1");

    erdiag_addr b = A("2001:DB8:0:0::1");
    g_assert_cmpuint(b.family, ==, 6);
    g_assert_cmpuint(erdiag_addr_bits(&b), ==, 128);
    assert_addr_str(&b, "2001:db8::1");

    erdiag_addr bad;
    g_assert_false(erdiag_addr_parse("", &bad));
    g_assert_false(erdiag_addr_parse("10.0.0", &bad));
    g_assert_false(erdiag_addr_parse("10.0.0.256", &bad));
    g_assert_false(erdiag_addr_parse("10.0.0.1 ", &bad));
    g_assert_false(erdiag_addr_parse("2001:db8:::1", &bad));
    g_assert_false(erdiag_addr_parse("10.0.0.0/24", &bad));

    erdiag_addr none;
    memset(&none, 0, sizeof none);
    g_assert_cmpuint(erdiag_addr_bits(&none), ==, 0);
    assert_addr_str(&none, "-");

    const guint8 raw4[4] = {10, 1, 2, 3};
    erdiag_addr c = erdiag_addr_v4(raw4);
    assert_addr_str(&c, "10.1.2.3");
    guint8 raw6[16] = {0xfe, 0x80};
    raw6[15] = 9;
    erdiag_addr d = erdiag_addr_v6(raw6);
    assert_addr_str(&d, "fe80::9");
}

static void test_compare_hash(void)
{
    erdiag_addr a = A("10.0.0.1"), b = A("10.0.0.2"), c = A("::1"), a2 = A("10.0.0.1");
    g_assert_true(erdiag_addr_equal(&a, &a2));
    g_assert_false(erdiag_addr_equal(&a, &b));
    g_assert_cmpint(erdiag_addr_compare(&a, &b), <, 0);
    g_assert_cmpint(erdiag_addr_compare(&b, &a), >, 0);
    g_assert_cmpint(erdiag_addr_compare(&a, &a2), ==, 0);
    /* Every IPv4 address sorts before every IPv6 one. */
    erdiag_addr top4 = A("255.255.255.255");
    g_assert_cmpint(erdiag_addr_compare(&top4, &c), <, 0);
    g_assert_cmpuint(erdiag_addr_hash(&a), ==, erdiag_addr_hash(&a2));
    g_assert_cmpuint(erdiag_addr_hash(&a), !=, erdiag_addr_hash(&b));

    /* ::a.b.c.d is not the IPv4 address a.b.c.d. */
    erdiag_addr mapped = A("::10.0.0.1");
    g_assert_false(erdiag_addr_equal(&mapped, &a));

    erdiag_prefix p1 = P("10.0.0.0/8"), p2 = P("10.0.0.0/16"), p3 = P("10.1.0.0/16");
    g_assert_cmpint(erdiag_prefix_compare(&p1, &p2), <, 0);
    g_assert_cmpint(erdiag_prefix_compare(&p2, &p3), <, 0);
    g_assert_cmpint(erdiag_prefix_compare(&p1, &p1), ==, 0);
    g_assert_false(erdiag_prefix_equal(&p1, &p2));
    erdiag_prefix p1b = P("10.0.0.0/8");
    g_assert_true(erdiag_prefix_equal(&p1, &p1b));
    g_assert_cmpuint(erdiag_prefix_hash(&p1), ==, erdiag_prefix_hash(&p1b));
    g_assert_cmpuint(erdiag_prefix_hash(&p1), !=, erdiag_prefix_hash(&p2));
}

static void test_add(void)
{
    erdiag_addr a = A("10.0.0.0");
    erdiag_addr r = erdiag_addr_add(&a, 2);
    assert_addr_str(&r, "10.0.0.2");
    r = erdiag_addr_add(&a, -1);
    assert_addr_str(&r, "9.255.255.255");
    r = erdiag_addr_add(&a, 256 + 5);
    assert_addr_str(&r, "10.0.1.5");

    /* Wraps inside the family in both directions. */
    erdiag_addr top = A("255.255.255.255");
    r = erdiag_addr_add(&top, 1);
    assert_addr_str(&r, "0.0.0.0");
    erdiag_addr zero = A("0.0.0.0");
    r = erdiag_addr_add(&zero, -2);
    assert_addr_str(&r, "255.255.255.254");
    r = erdiag_addr_add(&a, G_GINT64_CONSTANT(1) << 32);
    assert_addr_str(&r, "10.0.0.0");

    erdiag_addr v6 = A("2001:db8::ffff:ffff:ffff:ffff");
    r = erdiag_addr_add(&v6, 1);
    assert_addr_str(&r, "2001:db8:0:1::");
    r = erdiag_addr_add(&r, -1);
    assert_addr_str(&r, "2001:db8::ffff:ffff:ffff:ffff");
    erdiag_addr v6top = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    r = erdiag_addr_add(&v6top, 3);
    assert_addr_str(&r, "::2");
    erdiag_addr v6zero = A("::");
    r = erdiag_addr_add(&v6zero, -1);
    assert_addr_str(&r, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    erdiag_addr sub = A("2001:db8:c::");
    r = erdiag_addr_add(&sub, 2);
    assert_addr_str(&r, "2001:db8:c::2");
}

static void test_prefix_parse(void)
{
    char buf[ERDIAG_PREFIX_STRLEN];
    erdiag_prefix p = P("192.168.10.0/30");
    g_assert_cmpuint(p.len, ==, 30);
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "192.168.10.0/30");
    p = P("0.0.0.0/0");
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "0.0.0.0/0");
    p = P("10.1.2.3/32");
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "10.1.2.3/32");
    p = P("2001:DB8:C::/126");
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "2001:db8:c::/126");
    p = P("::/0");
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "::/0");

    erdiag_prefix out;
    gboolean host = FALSE;
    g_assert_false(erdiag_prefix_parse("192.168.10.1/30", &out, &host));
    g_assert_true(host);
    g_assert_false(erdiag_prefix_parse("2001:db8::1/64", &out, &host));
    g_assert_true(host);
    g_assert_false(erdiag_prefix_parse("0.0.0.1/0", &out, &host));
    g_assert_true(host);

    const char *bad[] = {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1",
                         "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8x", "/8", "x/8",
                         "10.0.0.0/0008", "10.0.0.0/8/8",
                         "1111:2222:3333:4444:5555:6666:7777:8888:9999/64"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        host = TRUE;
        g_assert_false(erdiag_prefix_parse(bad[i], &out, &host));
        g_assert_false(host);
    }
    /* NULL host_bits is allowed. */
    g_assert_false(erdiag_prefix_parse("10.0.0.1/8", &out, NULL));
    g_assert_true(erdiag_prefix_parse("10.0.0.0/8", &out, NULL));

    /* prefix_make zeroes host bits and clamps the length. */
    erdiag_addr a = A("10.1.2.3");
    p = erdiag_prefix_make(&a, 20);
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "10.1.0.0/20");
    p = erdiag_prefix_make(&a, 40);
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "10.1.2.3/32");
    p = erdiag_prefix_make(&a, 0);
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "0.0.0.0/0");
    erdiag_addr b = A("2001:db8:abcd:1234::77");
    p = erdiag_prefix_make(&b, 37);
    g_assert_cmpstr(erdiag_prefix_to_string(&p, buf), ==, "2001:db8:a800::/37");
}

static void test_covers(void)
{
    erdiag_prefix p8 = P("10.0.0.0/8"), p16 = P("10.1.0.0/16"), other = P("11.0.0.0/8");
    erdiag_prefix all4 = P("0.0.0.0/0"), all6 = P("::/0"), v6 = P("2001:db8::/32");
    erdiag_prefix host = P("10.1.2.3/32");

    g_assert_true(erdiag_prefix_covers(&p8, &p16));
    g_assert_false(erdiag_prefix_covers(&p16, &p8));
    g_assert_true(erdiag_prefix_covers(&p8, &p8));
    g_assert_false(erdiag_prefix_covers(&p8, &other));
    g_assert_true(erdiag_prefix_covers(&all4, &host));
    g_assert_true(erdiag_prefix_covers(&p16, &host));
    g_assert_false(erdiag_prefix_covers(&all4, &v6));
    g_assert_true(erdiag_prefix_covers(&all6, &v6));
    g_assert_false(erdiag_prefix_covers(&all6, &p8));

    g_assert_true(erdiag_prefix_overlaps(&p8, &p16));
    g_assert_true(erdiag_prefix_overlaps(&p16, &p8));
    g_assert_false(erdiag_prefix_overlaps(&p8, &other));
    g_assert_false(erdiag_prefix_overlaps(&all4, &all6));

    /* Boundary inside a byte: 10.0.0.0/30 holds .0-.3 only. */
    erdiag_prefix p30 = P("192.168.10.0/30");
    erdiag_addr in = A("192.168.10.3"), out = A("192.168.10.4"), v6a = A("::1");
    g_assert_true(erdiag_prefix_contains_addr(&p30, &in));
    g_assert_false(erdiag_prefix_contains_addr(&p30, &out));
    g_assert_false(erdiag_prefix_contains_addr(&all4, &v6a));
    g_assert_true(erdiag_prefix_contains_addr(&all6, &v6a));
    erdiag_prefix p29 = P("192.168.10.0/29");
    erdiag_prefix p30b = P("192.168.10.4/30");
    g_assert_true(erdiag_prefix_covers(&p29, &p30b));
    g_assert_false(erdiag_prefix_overlaps(&p30, &p30b));
}

/* Each special-purpose block at its edges; documentation ranges, just
 * outside a block, and supernets of one, as erdiag_prefix_private_block()
 * judges them. */
static void test_private_blocks(void)
{
    static const struct {
        const char *prefix, *block; /* NULL: public */
    } cases[] = {
        {"10.50.0.0/16", "10.0.0.0/8 (RFC 1918)"},
        {"11.0.0.0/8", NULL},
        {"100.63.255.0/24", NULL},
        {"100.64.0.0/24", "100.64.0.0/10 (shared address space, RFC 6598)"},
        {"100.127.255.0/24", "100.64.0.0/10 (shared address space, RFC 6598)"},
        {"100.128.0.0/24", NULL},
        {"172.15.0.0/16", NULL},
        {"172.31.0.0/16", "172.16.0.0/12 (RFC 1918)"},
        {"172.32.0.0/16", NULL},
        {"192.168.15.16/30", "192.168.0.0/16 (RFC 1918)"},
        {"198.19.0.0/16", "198.18.0.0/15 (benchmarking, RFC 2544)"},
        {"198.51.100.0/27", NULL},
        {"203.0.113.0/30", NULL},
        {"239.1.0.0/16", "224.0.0.0/3 (multicast and reserved)"},
        {"8.0.0.0/5", "10.0.0.0/8 (RFC 1918)"},
        {"0.0.0.0/0", NULL},
        {"fd00:15::/126", "fc00::/7 (unique local, RFC 4193)"},
        {"febf::/16", "fe80::/10 (link local)"},
        {"fec0::/10", NULL},
        {"2001:db8::/32", NULL},
        {"ff02::/16", "ff00::/8 (multicast)"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        erdiag_prefix p;
        g_assert_true(erdiag_prefix_parse(cases[i].prefix, &p, NULL));
        const char *got = erdiag_prefix_private_block(&p);
        if (g_strcmp0(got, cases[i].block) != 0)
            g_error("%s: got %s, want %s", cases[i].prefix, got ? got : "public", cases[i].block ? cases[i].block : "public");
    }
}

static void test_names(void)
{
    g_assert_cmpstr(erdiag_bgp_type_name(ERDIAG_BGP_OPEN), ==, "OPEN");
    g_assert_cmpstr(erdiag_bgp_type_name(ERDIAG_BGP_KEEPALIVE), ==, "KEEPALIVE");
    g_assert_cmpstr(erdiag_bgp_type_name(ERDIAG_BGP_ROUTE_REFRESH), ==, "ROUTE-REFRESH");
    g_assert_cmpstr(erdiag_bgp_type_name(0), ==, "Unknown");
    g_assert_cmpstr(erdiag_bgp_type_name(200), ==, "Unknown");

    g_assert_cmpstr(erdiag_bgp_notification_code_name(6), ==, "Cease");
    g_assert_cmpstr(erdiag_bgp_notification_code_name(4), ==, "Hold Timer Expired");
    g_assert_cmpstr(erdiag_bgp_notification_code_name(99), ==, "Unknown");

    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(6, 1), ==, "Maximum Number of Prefixes Reached");
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(6, 2), ==, "Administrative Shutdown");
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(6, 9), ==, "Hard Reset");
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(6, 10), ==, "BFD Down");
    g_assert_null(erdiag_bgp_notification_subcode_name(6, 11));
    g_assert_null(erdiag_bgp_notification_subcode_name(6, 0));
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(2, 2), ==, "Bad Peer AS");
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(2, 7), ==, "Unsupported Capability");
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(2, 11), ==, "Role Mismatch");
    g_assert_null(erdiag_bgp_notification_subcode_name(2, 9));
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(3, 11), ==, "Malformed AS_PATH");
    g_assert_cmpstr(erdiag_bgp_notification_subcode_name(1, 2), ==, "Bad Message Length");
    g_assert_null(erdiag_bgp_notification_subcode_name(4, 0));
    g_assert_null(erdiag_bgp_notification_subcode_name(99, 1));
    g_assert_null(erdiag_bgp_notification_subcode_name(6, 255));

    g_assert_cmpstr(erdiag_bgp_capability_name(ERDIAG_CAP_AS4), ==, "4-octet AS Number");
    g_assert_cmpstr(erdiag_bgp_capability_name(ERDIAG_CAP_ADD_PATH), ==, "ADD-PATH");
    g_assert_cmpstr(erdiag_bgp_capability_name(ERDIAG_CAP_MP), ==, "Multiprotocol Extensions");
    g_assert_cmpstr(erdiag_bgp_capability_name(250), ==, "Unknown");

    erdiag_bgp_open o;
    memset(&o, 0, sizeof o);
    o.my_as = ERDIAG_BGP_AS_TRANS;
    o.has_as4 = TRUE;
    o.as4 = 4200000001u;
    g_assert_cmpuint(erdiag_bgp_open_asn(&o), ==, 4200000001u);
    o.has_as4 = FALSE;
    o.my_as = 65010;
    g_assert_cmpuint(erdiag_bgp_open_asn(&o), ==, 65010);

    g_assert_cmpstr(erdiag_side_name(ERDIAG_SIDE_CUSTOMER), ==, "customer");
    g_assert_cmpstr(erdiag_side_name(ERDIAG_SIDE_MICROSOFT), ==, "microsoft");
    g_assert_cmpstr(erdiag_side_name(ERDIAG_SIDE_UNKNOWN), ==, "unknown");
    g_assert_cmpstr(erdiag_side_azure_name(ERDIAG_SIDE_CUSTOMER), ==, "On-Prem");
    g_assert_cmpstr(erdiag_side_azure_name(ERDIAG_SIDE_MICROSOFT), ==, "Microsoft");

    g_assert_cmpstr(erdiag_bgp_state_name(ERDIAG_BGPS_IDLE), ==, "Idle");
    g_assert_cmpstr(erdiag_bgp_state_name(ERDIAG_BGPS_OPENCONFIRM), ==, "OpenConfirm");
    g_assert_cmpstr(erdiag_bgp_state_name(ERDIAG_BGPS_ESTABLISHED), ==, "Established");
    g_assert_cmpstr(erdiag_bgp_state_name((erdiag_bgp_state)42), ==, "Unknown");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/addr/parse-print", test_parse_print);
    g_test_add_func("/addr/compare-hash", test_compare_hash);
    g_test_add_func("/addr/add-wraps", test_add);
    g_test_add_func("/addr/prefix-parse", test_prefix_parse);
    g_test_add_func("/addr/covers", test_covers);
    g_test_add_func("/addr/names", test_names);
    g_test_add_func("/addr/private-blocks", test_private_blocks);
    return g_test_run();
}
