/* The decoder as the CLI uses it: whole frames in, events and decode notes out. */
#include <string.h>
#include <glib.h>

#include "decoder.h"
#include "link.h"
#include "unit/frame_builder.h"

typedef struct {
    GArray *events; /* erdiag_event copies; note texts moved to notes */
    GPtrArray *notes;
} collector;

static void collect(const erdiag_event *ev, gpointer user)
{
    collector *c = user;
    erdiag_event copy = *ev;
    if (ev->type == ERDIAG_EV_DECODE_NOTE) {
        g_ptr_array_add(c->notes, g_strdup(ev->u.note.text));
        copy.u.note.text = NULL;
    }
    if (ev->type == ERDIAG_EV_BGP) {
        /* The message's pointers are borrowed: keep only its type. */
        memset(&copy.u.bgp.msg, 0, sizeof copy.u.bgp.msg);
        copy.u.bgp.msg.type = ev->u.bgp.msg.type;
    }
    g_array_append_val(c->events, copy);
}

static collector *collector_new(void)
{
    collector *c = g_new0(collector, 1);
    c->events = g_array_new(FALSE, TRUE, sizeof(erdiag_event));
    c->notes = g_ptr_array_new_with_free_func(g_free);
    return c;
}

static void collector_clear(collector *c)
{
    g_array_set_size(c->events, 0);
    g_ptr_array_set_size(c->notes, 0);
}

static void collector_free(collector *c)
{
    g_array_free(c->events, TRUE);
    g_ptr_array_free(c->notes, TRUE);
    g_free(c);
}

static guint count(const collector *c, erdiag_event_type type)
{
    guint n = 0;
    for (guint i = 0; i < c->events->len; i++)
        n += g_array_index(c->events, erdiag_event, i).type == type;
    return n;
}

static const erdiag_event *first(const collector *c, erdiag_event_type type)
{
    for (guint i = 0; i < c->events->len; i++)
        if (g_array_index(c->events, erdiag_event, i).type == type)
            return &g_array_index(c->events, erdiag_event, i);
    g_assert_not_reached();
    return NULL;
}

/* Decode a frame from a buffer of exactly cap_len bytes (so ASan sees any
 * overread) with the given wire length. */
static void feed(erdiag_decoder *d, int linktype, const guint8 *bytes, gsize cap_len, gsize wire_len, guint64 frame)
{
    guint8 *copy = g_malloc(cap_len ? cap_len : 1);
    memcpy(copy, bytes, cap_len);
    erdiag_packet_meta m = fb_meta(frame, cap_len, wire_len);
    m.iface = 3;
    erdiag_decoder_packet(d, linktype, copy, &m);
    g_free(copy);
}

static void assert_ip(const erdiag_addr *a, const char *want)
{
    char buf[ERDIAG_ADDR_STRLEN];
    g_assert_cmpstr(erdiag_addr_to_string(a, buf), ==, want);
}

static GByteArray *qinq_arp_frame(void)
{
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_BCAST, FB_MAC_A, 0x88a8);
    fb_tag(a, 0, 200, 0x8100);
    fb_tag(a, 0, 2001, 0x0806);
    fb_arp(a, 1, FB_MAC_A, "172.21.79.97", FB_MAC_ZERO, "172.21.79.100");
    return a;
}

static GByteArray *bgp_syn_frame(void)
{
    guint8 opts[20] = { 19, 18 };
    opts[18] = 1;
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x8100);
    fb_tag(a, 0, 100, 0x0800);
    fb_ipv4(a, 6, "192.168.15.17", "192.168.15.18", 40);
    fb_tcp(a, 41000, 179, 1000, 0, ERDIAG_TCP_SYN, opts, sizeof opts);
    return a;
}

static GByteArray *nd_ns_frame(void)
{
    static const guint8 mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_BCAST, mac, 0x8100);
    fb_tag(a, 0, 100, 0x86dd);
    fb_ipv6(a, 58, "fd00:15::1", "ff02::1:ff00:2", 32, 255);
    fb_nd(a, 135, "fd00:15::2", mac);
    return a;
}

static void test_qinq_arp(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = qinq_arp_frame();
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 42);
    g_assert_cmpuint(c->events->len, ==, 1);
    const erdiag_event *ev = first(c, ERDIAG_EV_ARP);
    g_assert_cmpuint(ev->pkt.frame, ==, 42);
    g_assert_cmpuint(ev->pkt.iface, ==, 3);
    g_assert_cmpint(ev->pkt.ts_us, ==, 1700000000000000);
    g_assert_cmpuint(ev->pkt.wire_len, ==, a->len);
    g_assert_cmpuint(ev->pkt.n_tags, ==, 2);
    g_assert_cmphex(ev->pkt.tags[0].tpid, ==, 0x88a8);
    g_assert_cmpuint(ev->pkt.tags[0].vid, ==, 200);
    g_assert_cmphex(ev->pkt.tags[1].tpid, ==, 0x8100);
    g_assert_cmpuint(ev->pkt.tags[1].vid, ==, 2001);
    g_assert_true(ev->pkt.has_macs);
    g_assert_cmpmem(ev->pkt.src_mac, 6, FB_MAC_A, 6);
    g_assert_cmpuint(ev->u.arp.opcode, ==, ERDIAG_ARP_REQUEST);
    assert_ip(&ev->u.arp.sender_ip, "172.21.79.97");
    assert_ip(&ev->u.arp.target_ip, "172.21.79.100");
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_arp_odd_lengths_note(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_BCAST, FB_MAC_A, 0x88a8);
    fb_tag(a, 0, 48, 0x0806);
    fb_u16(a, 1);
    fb_u16(a, 0x0800);
    fb_u8(a, 14);
    fb_u8(a, 4);
    fb_u16(a, 1);
    fb_zeros(a, 42);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 7);
    g_assert_cmpuint(count(c, ERDIAG_EV_ARP), ==, 0);
    g_assert_cmpuint(c->notes->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(c->notes, 0), ==,
                    "frame 7: ARP with hardware type 1, protocol type 0x0800, address lengths 14/4 "
                    "is not Ethernet/IPv4: not decoded");
    const erdiag_event *ev = first(c, ERDIAG_EV_DECODE_NOTE);
    g_assert_cmpuint(ev->pkt.n_tags, ==, 1); /* notes carry the frame's tags too */
    g_assert_cmpuint(ev->pkt.tags[0].vid, ==, 48);
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

/* Every strict prefix of a good frame, as snaplen would cut it: no crash,
 * no event of the frame's kind built from missing bytes, and a note naming
 * the frame and the snaplen. Only ND, whose fixed part suffices, may still
 * produce its event (with a note saying the options were cut). */
static void check_every_prefix(int linktype, GByteArray *a, erdiag_event_type kind, gsize event_from)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    for (gsize n = 0; n < a->len; n++) {
        collector_clear(c);
        feed(d, linktype, a->data, n, a->len, 5);
        g_assert_cmpuint(c->notes->len, >=, 1);
        for (guint i = 0; i < c->notes->len; i++) {
            const char *note = g_ptr_array_index(c->notes, i);
            g_assert_true(g_str_has_prefix(note, "frame 5: "));
            g_assert_nonnull(strstr(note, "cut by snaplen"));
        }
        g_assert_cmpuint(count(c, kind), ==, n >= event_from ? 1 : 0);
    }
    collector_clear(c);
    feed(d, linktype, a->data, a->len, a->len, 6);
    g_assert_cmpuint(c->notes->len, ==, 0);
    g_assert_cmpuint(count(c, kind), ==, 1);
    erdiag_decoder_finish(d);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_prefixes_arp(void)
{
    GByteArray *a = qinq_arp_frame();
    check_every_prefix(ERDIAG_LINKTYPE_ETHERNET, a, ERDIAG_EV_ARP, G_MAXSIZE);
    g_byte_array_free(a, TRUE);

    a = g_byte_array_new();
    fb_sll2(a, 0x0806, 1, FB_MAC_A);
    fb_arp(a, 1, FB_MAC_A, "10.1.10.100", FB_MAC_ZERO, "10.1.10.1");
    check_every_prefix(ERDIAG_LINKTYPE_LINUX_SLL2, a, ERDIAG_EV_ARP, G_MAXSIZE);
    g_byte_array_free(a, TRUE);
}

static void test_prefixes_tcp(void)
{
    GByteArray *a = bgp_syn_frame();
    check_every_prefix(ERDIAG_LINKTYPE_ETHERNET, a, ERDIAG_EV_TCP, G_MAXSIZE);
    g_byte_array_free(a, TRUE);
}

static void test_prefixes_nd(void)
{
    GByteArray *a = nd_ns_frame();
    check_every_prefix(ERDIAG_LINKTYPE_ETHERNET, a, ERDIAG_EV_ARP, 18 + 40 + 24);
    g_byte_array_free(a, TRUE);
}

static void test_snaplen_note_text(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0800);
    fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 20);
    fb_tcp(a, 179, 40000, 1, 1, ERDIAG_TCP_ACK, NULL, 0);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, 28, a->len, 12);
    g_assert_cmpuint(c->notes->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(c->notes, 0), ==,
                    "frame 12: IPv4 header truncated at 14 of 20 bytes (frame cut by snaplen: 28 of 54 bytes captured)");

    /* The same cut without snaplen to blame: the packet itself is short. */
    collector_clear(c);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, 28, 28, 13);
    g_assert_cmpstr(g_ptr_array_index(c->notes, 0), ==, "frame 13: IPv4 header truncated at 14 of 20 bytes");
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_too_many_tags(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_BCAST, FB_MAC_A, 0x8100);
    for (int i = 0; i < 9; i++)
        fb_tag(a, 0, (guint16)(10 + i), i < 8 ? 0x8100 : 0x0806);
    fb_arp(a, 1, FB_MAC_A, "10.0.0.1", FB_MAC_ZERO, "10.0.0.2");
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 3);
    g_assert_cmpuint(count(c, ERDIAG_EV_ARP), ==, 0);
    g_assert_cmpuint(c->notes->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(c->notes, 0), ==, "frame 3: more than 8 VLAN tags: not decoded further");
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_unknown_linktype_once(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    guint8 frame[40] = { 0 };
    feed(d, 105, frame, sizeof frame, sizeof frame, 1);
    feed(d, 105, frame, sizeof frame, sizeof frame, 2);
    feed(d, 220, frame, sizeof frame, sizeof frame, 3);
    g_assert_cmpuint(c->events->len, ==, 2);
    g_assert_true(g_str_has_prefix(g_ptr_array_index(c->notes, 0), "frame 1: link type 105 (IEEE802_11) is not decoded"));
    g_assert_true(g_str_has_prefix(g_ptr_array_index(c->notes, 1), "frame 3: link type 220 (USB_LINUX_MMAPPED)"));
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_tcp_event(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = bgp_syn_frame();
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 9);
    g_assert_cmpuint(count(c, ERDIAG_EV_TCP), ==, 1);
    g_assert_cmpuint(c->notes->len, ==, 0);
    const erdiag_event *ev = first(c, ERDIAG_EV_TCP);
    g_assert_cmpuint(ev->pkt.n_tags, ==, 1);
    g_assert_cmpuint(ev->pkt.tags[0].vid, ==, 100);
    g_assert_true(ev->u.tcp.md5_option);
    g_assert_cmpuint(ev->u.tcp.flags, ==, ERDIAG_TCP_SYN);
    g_assert_cmpuint(ev->u.tcp.dport, ==, 179);
    g_assert_cmpuint(ev->u.tcp.ttl, ==, 1);
    g_assert_cmpuint(ev->u.tcp.ip_len, ==, 60);
    assert_ip(&ev->u.tcp.src, "192.168.15.17");
    g_byte_array_free(a, TRUE);

    /* A zero-length option: the segment is still reported, with a note. */
    collector_clear(c);
    guint8 opts[4] = { 3, 0, 0, 0 };
    a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0800);
    fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 24);
    fb_tcp(a, 443, 40000, 1, 1, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, opts, sizeof opts);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 10);
    g_assert_cmpuint(count(c, ERDIAG_EV_TCP), ==, 1);
    g_assert_cmpuint(c->notes->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(c->notes, 0), ==,
                    "frame 10: TCP option kind 3 at byte 20 has length 0: options not read further");
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

/* A port-179 handshake and a KEEPALIVE reach the BGP reassembler, which
 * turns the KEEPALIVE into a BGP event; with reassembly off (the plugin,
 * which takes BGP from epan) the same segments give the TCP events only. */
static void bgp_handoff(gboolean reassembly)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    if (!reassembly)
        erdiag_decoder_set_bgp_reassembly(d, FALSE);
    static const struct {
        const char *src, *dst;
        guint16 sport, dport;
        guint32 seq, ack;
        guint8 flags;
        gboolean keepalive;
    } segs[] = {
        { "192.168.15.17", "192.168.15.18", 41000, 179, 1000, 0, ERDIAG_TCP_SYN, FALSE },
        { "192.168.15.18", "192.168.15.17", 179, 41000, 5000, 1001, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, FALSE },
        { "192.168.15.17", "192.168.15.18", 41000, 179, 1001, 5001, ERDIAG_TCP_ACK, FALSE },
        { "192.168.15.17", "192.168.15.18", 41000, 179, 1001, 5001, ERDIAG_TCP_ACK | ERDIAG_TCP_PSH, TRUE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(segs); i++) {
        GByteArray *a = g_byte_array_new();
        fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0800);
        fb_ipv4(a, 6, segs[i].src, segs[i].dst, segs[i].keepalive ? 39 : 20);
        fb_tcp(a, segs[i].sport, segs[i].dport, segs[i].seq, segs[i].ack, segs[i].flags, NULL, 0);
        if (segs[i].keepalive) {
            for (int k = 0; k < 16; k++)
                fb_u8(a, 0xff);
            fb_u16(a, 19);
            fb_u8(a, 4);
        }
        feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, i + 1);
        g_byte_array_free(a, TRUE);
    }
    erdiag_decoder_finish(d);
    g_assert_cmpuint(count(c, ERDIAG_EV_TCP), ==, 4);
    g_assert_cmpuint(count(c, ERDIAG_EV_DECODE_NOTE), ==, 0);
    if (!reassembly) {
        g_assert_cmpuint(count(c, ERDIAG_EV_BGP), ==, 0);
    } else {
        g_assert_cmpuint(count(c, ERDIAG_EV_BGP), ==, 1);
        const erdiag_event *ev = first(c, ERDIAG_EV_BGP);
        g_assert_cmpuint(ev->u.bgp.msg.type, ==, ERDIAG_BGP_KEEPALIVE);
        g_assert_cmpuint(ev->pkt.frame, ==, 4);
    }
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_bgp_handoff(void)
{
    bgp_handoff(TRUE);
}

static void test_bgp_reassembly_off(void)
{
    bgp_handoff(FALSE);
}

static void test_other_ip(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    static const struct {
        guint8 proto;
        guint16 sport, dport;
    } cases[] = {
        { ERDIAG_IPPROTO_UDP, 49152, 3784 }, /* BFD single hop */
        { ERDIAG_IPPROTO_UDP, 49153, 4784 }, /* BFD multihop */
        { ERDIAG_IPPROTO_UDP, 1985, 1985 },  /* HSRPv1 */
        { ERDIAG_IPPROTO_UDP, 2029, 2029 },  /* HSRPv2 */
        { ERDIAG_IPPROTO_VRRP, 0, 0 },
        { ERDIAG_IPPROTO_ICMP, 0, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        collector_clear(c);
        GByteArray *a = g_byte_array_new();
        fb_eth(a, FB_MAC_B, FB_MAC_A, 0x8100);
        fb_tag(a, 0, 100, 0x0800);
        fb_ipv4(a, cases[i].proto, "192.168.15.17", "224.0.0.18", 24);
        if (cases[i].proto == ERDIAG_IPPROTO_UDP) {
            fb_u16(a, cases[i].sport);
            fb_u16(a, cases[i].dport);
            fb_u16(a, 24);
            fb_u16(a, 0);
            fb_zeros(a, 16);
        } else {
            fb_zeros(a, 24);
        }
        feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, i + 1);
        /* to a BFD port, 16 zero bytes are no BFD control packet: a note says so */
        gboolean bfd = cases[i].dport == 3784 || cases[i].dport == 4784;
        g_assert_cmpuint(c->events->len, ==, bfd ? 2 : 1);
        if (bfd)
            g_assert_nonnull(strstr(g_ptr_array_index(c->notes, 0), "BFD control packet truncated at 16"));
        const erdiag_event *ev = first(c, ERDIAG_EV_IP);
        g_assert_cmpuint(ev->u.ip.proto, ==, cases[i].proto);
        g_assert_cmpuint(ev->u.ip.sport, ==, cases[i].sport);
        g_assert_cmpuint(ev->u.ip.dport, ==, cases[i].dport);
        g_assert_cmpuint(ev->u.ip.ip_len, ==, 44);
        g_assert_cmpuint(ev->u.ip.ttl, ==, 1);
        g_assert_cmpuint(ev->pkt.tags[0].vid, ==, 100);
        g_byte_array_free(a, TRUE);
    }

    /* A later TCP fragment: no ports, but still IP traffic. */
    collector_clear(c);
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0800);
    gsize ip = fb_ipv4(a, 6, "10.0.0.1", "10.0.0.2", 100);
    fb_put16(a, ip + 6, 0x00b9);
    fb_zeros(a, 100);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 20);
    g_assert_cmpuint(c->events->len, ==, 1);
    g_assert_cmpuint(first(c, ERDIAG_EV_IP)->u.ip.proto, ==, 6);
    g_assert_cmpuint(first(c, ERDIAG_EV_IP)->u.ip.dport, ==, 0);
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_nd_events(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = nd_ns_frame();
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 1);
    g_byte_array_free(a, TRUE);

    a = g_byte_array_new();
    fb_eth(a, FB_MAC_A, FB_MAC_B, 0x8100);
    fb_tag(a, 0, 100, 0x86dd);
    fb_ipv6(a, 58, "fd00:15::2", "fd00:15::1", 24, 255);
    fb_nd(a, 136, "fd00:15::2", NULL);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 2);
    g_byte_array_free(a, TRUE);

    /* Echo request: other ICMPv6, an IP event. */
    a = g_byte_array_new();
    fb_eth(a, FB_MAC_A, FB_MAC_B, 0x86dd);
    fb_ipv6(a, 58, "fd00:15::2", "fd00:15::1", 8, 64);
    fb_u8(a, 128);
    fb_zeros(a, 7);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 3);
    g_byte_array_free(a, TRUE);

    g_assert_cmpuint(c->notes->len, ==, 0);
    g_assert_cmpuint(c->events->len, ==, 3);
    const erdiag_event *ns = &g_array_index(c->events, erdiag_event, 0);
    const erdiag_event *na = &g_array_index(c->events, erdiag_event, 1);
    const erdiag_event *echo = &g_array_index(c->events, erdiag_event, 2);
    g_assert_cmpint(ns->type, ==, ERDIAG_EV_ARP);
    g_assert_true(ns->u.arp.nd);
    g_assert_cmpuint(ns->u.arp.opcode, ==, ERDIAG_ARP_REQUEST);
    assert_ip(&ns->u.arp.sender_ip, "fd00:15::1");
    assert_ip(&ns->u.arp.target_ip, "fd00:15::2");
    g_assert_cmpint(na->type, ==, ERDIAG_EV_ARP);
    g_assert_cmpuint(na->u.arp.opcode, ==, ERDIAG_ARP_REPLY);
    assert_ip(&na->u.arp.sender_ip, "fd00:15::2");
    g_assert_cmpmem(na->u.arp.sender_mac, 6, FB_MAC_B, 6);
    g_assert_cmpmem(na->u.arp.target_mac, 6, FB_MAC_A, 6);
    g_assert_cmpuint(na->pkt.tags[0].vid, ==, 100);
    g_assert_cmpint(echo->type, ==, ERDIAG_EV_IP);
    g_assert_cmpuint(echo->u.ip.proto, ==, ERDIAG_IPPROTO_ICMPV6);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_llc_and_others_silent(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 38);
    fb_zeros(a, 46);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 1);
    g_byte_array_free(a, TRUE);
    a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x88cc); /* LLDP */
    fb_zeros(a, 46);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 2);
    g_byte_array_free(a, TRUE);
    g_assert_cmpuint(c->events->len, ==, 0);
    erdiag_decoder_free(d);
    collector_free(c);
}

static void test_lying_ip_length(void)
{
    collector *c = collector_new();
    erdiag_decoder *d = erdiag_decoder_new(collect, c);
    GByteArray *a = g_byte_array_new();
    fb_eth(a, FB_MAC_B, FB_MAC_A, 0x0800);
    fb_ipv4(a, ERDIAG_IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 1000);
    fb_u16(a, 49152);
    fb_u16(a, 5000); /* not BFD's port: no BFD decode note besides */
    fb_u16(a, 1008);
    fb_u16(a, 0);
    feed(d, ERDIAG_LINKTYPE_ETHERNET, a->data, a->len, a->len, 4);
    g_assert_cmpuint(count(c, ERDIAG_EV_IP), ==, 1);
    g_assert_cmpuint(c->notes->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(c->notes, 0), ==, "frame 4: IPv4 length 1020 exceeds the 28 bytes the frame holds");
    g_byte_array_free(a, TRUE);
    erdiag_decoder_free(d);
    collector_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/decoder/qinq-arp", test_qinq_arp);
    g_test_add_func("/decoder/arp-odd-lengths-note", test_arp_odd_lengths_note);
    g_test_add_func("/decoder/prefixes/arp", test_prefixes_arp);
    g_test_add_func("/decoder/prefixes/tcp", test_prefixes_tcp);
    g_test_add_func("/decoder/prefixes/nd", test_prefixes_nd);
    g_test_add_func("/decoder/snaplen-note-text", test_snaplen_note_text);
    g_test_add_func("/decoder/too-many-tags", test_too_many_tags);
    g_test_add_func("/decoder/unknown-linktype-once", test_unknown_linktype_once);
    g_test_add_func("/decoder/tcp-event", test_tcp_event);
    g_test_add_func("/decoder/bgp-handoff", test_bgp_handoff);
    g_test_add_func("/decoder/bgp-reassembly-off", test_bgp_reassembly_off);
    g_test_add_func("/decoder/other-ip", test_other_ip);
    g_test_add_func("/decoder/nd-events", test_nd_events);
    g_test_add_func("/decoder/llc-and-others-silent", test_llc_and_others_silent);
    g_test_add_func("/decoder/lying-ip-length", test_lying_ip_length);
    return g_test_run();
}
