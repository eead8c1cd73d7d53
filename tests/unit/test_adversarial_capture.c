/* Hostile capture files and frames: pcapng blocks with bogus lengths, a
 * capture that ends mid-frame, VLAN tag stacks deeper than two and deeper
 * than ERDIAG_MAX_TAGS, ARP with odd hardware or protocol lengths. Each case
 * runs in its own process within a CPU and memory budget
 * (tests/adversarial/adversarial.h), and the report must say what could
 * not be read. */
#include "adversarial/adversarial.h"

/* ---- pcapng, little endian ------------------------------------------------ */

static GByteArray *ng_new(void)
{
    GByteArray *a = g_byte_array_new();
    adv_le32(a, 0x0A0D0D0A); /* section header */
    adv_le32(a, 28);
    adv_le32(a, 0x1A2B3C4D);
    adv_le16(a, 1);
    adv_le16(a, 0);
    adv_le32(a, 0xffffffff); /* section length unknown */
    adv_le32(a, 0xffffffff);
    adv_le32(a, 28);
    adv_le32(a, 1); /* interface description: Ethernet */
    adv_le32(a, 20);
    adv_le16(a, ERDIAG_LINKTYPE_ETHERNET);
    adv_le16(a, 0);
    adv_le32(a, 262144);
    adv_le32(a, 20);
    return a;
}

static void ng_epb(GByteArray *a, const guint8 *frame, guint32 len)
{
    guint32 padded = (len + 3) & ~3u;
    adv_le32(a, 6);
    adv_le32(a, 32 + padded);
    adv_le32(a, 0);
    adv_le32(a, 0x00060000);
    adv_le32(a, 0x12345678);
    adv_le32(a, len);
    adv_le32(a, len);
    g_byte_array_append(a, frame, len);
    for (guint32 i = len; i < padded; i++)
        put8(a, 0);
    adv_le32(a, 32 + padded);
}

/* A broadcast ARP request from the customer's primary address. */
static GByteArray *arp_frame(void)
{
    GByteArray *f = g_byte_array_new();
    fb_eth(f, FB_MAC_BCAST, FB_MAC_A, 0x8100);
    fb_tag(f, 0, 100, 0x0806);
    fb_arp(f, 1, FB_MAC_A, "192.168.15.17", FB_MAC_ZERO, "192.168.15.18");
    return f;
}

/* A good capture of one ARP frame, then `bad` appended. */
static adv_report *run_ng_with(const guint8 *bad, gsize bad_len)
{
    GByteArray *a = ng_new();
    GByteArray *f = arp_frame();
    ng_epb(a, f->data, f->len);
    g_byte_array_free(f, TRUE);
    g_byte_array_append(a, bad, (guint)bad_len);
    adv_report *r = adv_run_bytes(a->data, a->len, TRUE);
    g_byte_array_free(a, TRUE);
    return r;
}

/* The frame before the damage is analysed, the capture is marked
 * truncated, and a note says where and what. */
static void assert_damage_reported(adv_report *r, const char *what)
{
    g_assert_cmpint(adv_frames(r), ==, 1);
    g_assert_true(adv_truncated(r));
    g_assert_nonnull(adv_find_note(r, "after frame 1", what, NULL));
}

static void case_pcapng_bogus_lengths(void)
{
    struct {
        guint32 type, len;
        const char *what;
    } bogus[] = {
        { 6, 13, "impossible length 13" },          /* not a multiple of 4 */
        { 6, 8, "impossible length 8" },            /* shorter than any block */
        { 6, 0xfffffff0u, "impossible length" },    /* 4 GiB: must not be allocated */
        { 6, 32 * 1024 * 1024, "impossible length" }, /* above the 16 MiB block bound */
        { 6, 1024 * 1024, "cut after" },            /* plausible, but the file ends */
        { 0x0badcafe, 0, "impossible length 0" },   /* an unknown block, length 0 */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bogus); i++) {
        GByteArray *b = g_byte_array_new();
        adv_le32(b, bogus[i].type);
        adv_le32(b, bogus[i].len);
        for (guint k = 0; k < 64; k++)
            adv_le32(b, 0);
        adv_report *r = run_ng_with(b->data, b->len);
        assert_damage_reported(r, bogus[i].what);
        adv_report_free(r);
        g_byte_array_free(b, TRUE);
    }

    /* the trailing copy of the length disagrees with the leading one */
    GByteArray *b = g_byte_array_new();
    GByteArray *f = arp_frame();
    ng_epb(b, f->data, f->len);
    b->data[b->len - 4] ^= 0x40;
    adv_report *r = run_ng_with(b->data, b->len);
    assert_damage_reported(r, "at its end");
    adv_report_free(r);

    /* a packet block claiming more captured bytes than it holds */
    g_byte_array_set_size(b, 0);
    ng_epb(b, f->data, f->len);
    b->data[20] = 0xff; /* captured length, low byte */
    b->data[21] = 0xff;
    r = run_ng_with(b->data, b->len);
    assert_damage_reported(r, "claims 65535 captured bytes");
    adv_report_free(r);

    /* a packet naming an interface the section never declared */
    g_byte_array_set_size(b, 0);
    ng_epb(b, f->data, f->len);
    b->data[8] = 7;
    r = run_ng_with(b->data, b->len);
    assert_damage_reported(r, "interface 7");
    adv_report_free(r);
    g_byte_array_free(f, TRUE);
    g_byte_array_free(b, TRUE);
}

static void case_pcapng_interface_options(void)
{
    /* an interface block whose option lengths overrun it, and one with a
     * huge option list: the walk stays inside the block */
    GByteArray *b = g_byte_array_new();
    adv_le32(b, 1);
    adv_le32(b, 32);
    adv_le16(b, ERDIAG_LINKTYPE_ETHERNET);
    adv_le16(b, 0);
    adv_le32(b, 0);
    adv_le16(b, 2);      /* if_name */
    adv_le16(b, 0xfff0); /* far past the block */
    adv_le32(b, 0);
    adv_le32(b, 0);
    adv_le32(b, 32);
    GByteArray *many = g_byte_array_new();
    for (guint i = 0; i < 200000; i++) {
        adv_le16(many, 2);
        adv_le16(many, 0);
    }
    adv_le32(b, 1);
    adv_le32(b, 16 + many->len + 4);
    adv_le16(b, ERDIAG_LINKTYPE_ETHERNET);
    adv_le16(b, 0);
    adv_le32(b, 0);
    g_byte_array_append(b, many->data, many->len);
    adv_le32(b, 16 + many->len + 4);
    g_byte_array_free(many, TRUE);
    /* then a frame on the new interface (id 2) */
    GByteArray *f = arp_frame();
    ng_epb(b, f->data, f->len);
    b->data[b->len - (32 + ((f->len + 3) & ~3u)) + 8] = 2;
    g_byte_array_free(f, TRUE);
    adv_report *r = run_ng_with(b->data, b->len);
    g_assert_cmpint(adv_frames(r), ==, 2);
    g_assert_false(adv_truncated(r));
    adv_report_free(r);
    g_byte_array_free(b, TRUE);
}

/* ---- a capture that ends mid-frame ---------------------------------------- */

static void case_ends_mid_frame(void)
{
    GByteArray *f = arp_frame();
    /* classic pcap: the record promises 1000 bytes, 100 are there */
    adv_capture *c = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    for (int i = 0; i < 3; i++)
        adv_capture_frame(c, f->data, f->len, f->len);
    GByteArray *big = g_byte_array_new();
    g_byte_array_append(big, f->data, f->len);
    while (big->len < 1000)
        put8(big, 0);
    adv_capture_frame(c, big->data, big->len, big->len);
    g_byte_array_set_size(c->bytes, c->bytes->len - 900);
    adv_report *r = adv_run_capture(c, TRUE);
    g_assert_cmpint(adv_frames(r), ==, 3);
    g_assert_true(adv_truncated(r));
    g_assert_nonnull(adv_find_note(r, "truncated after frame 3", NULL));
    adv_report_free(r);

    /* ... and cut inside the record header */
    g_byte_array_set_size(c->bytes, c->bytes->len - 100 - 10);
    r = adv_run_capture(c, TRUE);
    g_assert_cmpint(adv_frames(r), ==, 3);
    g_assert_true(adv_truncated(r));
    g_assert_nonnull(adv_find_note(r, "truncated after frame 3", "record header", NULL));
    adv_report_free(r);
    adv_capture_free(c);
    g_byte_array_free(big, TRUE);

    /* pcapng: the second packet block is cut half-way */
    GByteArray *a = ng_new();
    ng_epb(a, f->data, f->len);
    ng_epb(a, f->data, f->len);
    g_byte_array_set_size(a, a->len - 30);
    r = adv_run_bytes(a->data, a->len, TRUE);
    g_assert_cmpint(adv_frames(r), ==, 1);
    g_assert_true(adv_truncated(r));
    g_assert_nonnull(adv_find_note(r, "truncated after frame 1", NULL));
    adv_report_free(r);
    g_byte_array_free(a, TRUE);

    /* a frame cut by snaplen inside its ARP body: the frame is read, and
     * the note blames the capture, not the packet */
    c = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    adv_capture_frame(c, f->data, f->len - 10, f->len);
    r = adv_run_capture(c, TRUE);
    g_assert_cmpint(adv_frames(r), ==, 1);
    g_assert_nonnull(adv_find_note(r, "ARP truncated", "snaplen", NULL));
    adv_report_free(r);
    adv_capture_free(c);
    g_byte_array_free(f, TRUE);
}

/* ---- VLAN tag stacks ------------------------------------------------------- */

/* An ARP request from the customer behind n tags (outermost S-tag 0x88a8,
 * then 0x8100s); the innermost is VLAN 100. */
static GByteArray *tagged_arp(guint n)
{
    GByteArray *f = g_byte_array_new();
    fb_eth(f, FB_MAC_BCAST, FB_MAC_A, n ? 0x88a8 : 0x0806);
    for (guint i = 0; i < n; i++)
        fb_tag(f, 0, i + 1 == n ? 100 : (guint16)(10 + i % 4000), i + 1 == n ? 0x0806 : 0x8100);
    fb_arp(f, 1, FB_MAC_A, "192.168.15.17", FB_MAC_ZERO, "192.168.15.18");
    return f;
}

static void case_deep_vlan_stacks(void)
{
    adv_capture *c = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    guint depths[] = { 3, 5, ERDIAG_MAX_TAGS, ERDIAG_MAX_TAGS + 1, 100, 3000 };
    for (gsize i = 0; i < G_N_ELEMENTS(depths); i++) {
        GByteArray *f = tagged_arp(depths[i]);
        adv_capture_frame(c, f->data, f->len, f->len);
        g_byte_array_free(f, TRUE);
    }
    /* five tags, cut by snaplen in the middle of the fourth */
    GByteArray *f = tagged_arp(5);
    adv_capture_frame(c, f->data, 14 + 4 * 3 + 2, f->len);
    g_byte_array_free(f, TRUE);
    adv_report *r = adv_run_capture(c, FALSE);
    g_assert_cmpint(adv_frames(r), ==, G_N_ELEMENTS(depths) + 1);
    /* frames 1-3 are decoded; 4-6 are refused with a reason */
    g_assert_null(adv_find_note(r, "frame 1:", NULL));
    g_assert_null(adv_find_note(r, "frame 3:", NULL));
    g_assert_nonnull(adv_find_note(r, "frame 4:", "more than 8 VLAN tags", NULL));
    g_assert_nonnull(adv_find_note(r, "frame 6:", "more than 8 VLAN tags", NULL));
    g_assert_nonnull(adv_find_note(r, "frame 7:", "VLAN tag truncated at 2 of 4 bytes", "snaplen", NULL));
    /* the decoded ones reach the analysis with their whole stack */
    g_assert_nonnull(strstr(r->json, "10/11/100"));
    adv_report_free(r);
    adv_capture_free(c);
}

/* ---- ARP with odd hardware or protocol lengths ---------------------------- */

static void case_odd_arp(void)
{
    struct {
        guint16 htype, ptype;
        guint8 hlen, plen;
        guint16 op;
        guint body;          /* bytes after the 8-byte header */
        const char *note;
    } odd[] = {
        { 1, 0x0800, 255, 255, 1, 2 * 255 + 2 * 255, "address lengths 255/255" },
        { 1, 0x0800, 0, 0, 1, 0, "address lengths 0/0" },
        { 1, 0x0800, 6, 16, 1, 44, "address lengths 6/16" },
        { 6, 0x86dd, 6, 16, 1, 44, "hardware type 6, protocol type 0x86dd" },
        { 1, 0x0800, 6, 4, 3, 20, "RARP request" },
        { 1, 0x0800, 6, 4, 1, 10, "ARP truncated" },
        { 1, 0x0800, 255, 4, 2, 3, "address lengths 255/4" }, /* says 255, holds 3 */
    };
    adv_capture *c = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    for (gsize i = 0; i < G_N_ELEMENTS(odd); i++) {
        GByteArray *f = g_byte_array_new();
        fb_eth(f, FB_MAC_BCAST, FB_MAC_A, 0x8100);
        fb_tag(f, 0, 100, 0x0806);
        fb_u16(f, odd[i].htype);
        fb_u16(f, odd[i].ptype);
        fb_u8(f, odd[i].hlen);
        fb_u8(f, odd[i].plen);
        fb_u16(f, odd[i].op);
        for (guint k = 0; k < odd[i].body; k++)
            fb_u8(f, (guint8)(k * 7));
        adv_capture_frame(c, f->data, f->len, f->len);
        g_byte_array_free(f, TRUE);
    }
    /* and the header itself cut short */
    static const guint8 short_arp[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, 0x08, 0x06, 0, 1, 8 };
    adv_capture_frame(c, short_arp, sizeof short_arp, sizeof short_arp);
    adv_report *r = adv_run_capture(c, TRUE);
    for (gsize i = 0; i < G_N_ELEMENTS(odd); i++) {
        char frame[32];
        g_snprintf(frame, sizeof frame, "frame %" G_GSIZE_FORMAT ":", i + 1);
        g_assert_nonnull(adv_find_note(r, frame, odd[i].note, NULL));
    }
    g_assert_nonnull(adv_find_note(r, "ARP header truncated at 3 of 8 bytes", NULL));
    /* none of them is taken for an ARP request: nothing goes unanswered */
    g_assert_null(adv_find_finding(r, "arp.unanswered", NULL));
    adv_report_free(r);
    adv_capture_free(c);
}

/* ---- more peering links than any capture holds ---------------------------- */

static void case_many_inferred_links(void)
{
    /* Without a configuration every /30 whose first two hosts talk is taken
     * for a peering link: 20,000 of them in 1.3 MB of ARP requests. */
    adv_capture *c = adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    for (guint i = 0; i < 20000; i++) {
        guint32 net = (10u << 24) + i * 4;
        char a[16], b[16];
        g_snprintf(a, sizeof a, "10.%u.%u.%u", (net >> 16) & 255, (net >> 8) & 255, (net & 255) + 1);
        g_snprintf(b, sizeof b, "10.%u.%u.%u", (net >> 16) & 255, (net >> 8) & 255, (net & 255) + 2);
        GByteArray *f = g_byte_array_new();
        fb_eth(f, FB_MAC_BCAST, FB_MAC_A, 0x8100);
        fb_tag(f, 0, 100, 0x0806);
        fb_arp(f, 1, FB_MAC_A, a, FB_MAC_ZERO, b);
        adv_capture_frame(c, f->data, f->len, f->len);
        g_byte_array_free(f, TRUE);
    }
    adv_report *r = adv_run_capture(c, FALSE);
    g_assert_cmpint(adv_frames(r), ==, 20000);
    g_assert_nonnull(adv_find_note(r, "more than 1024 peering links inferred", NULL));
    JsonArray *peerings = json_object_get_array_member(r->root, "peerings");
    guint links = 0;
    for (guint i = 0; i < json_array_get_length(peerings); i++)
        links += json_array_get_length(
            json_object_get_array_member(json_array_get_object_element(peerings, i), "links"));
    g_assert_cmpuint(links, ==, 1024);
    adv_report_free(r);
    adv_capture_free(c);
}

/* ---- a SYN scan toward Azure --------------------------------------------- */

static void case_syn_scan(void)
{
    /* Established, Microsoft advertising 10.1.0.0/16, then 100,000 SYNs
     * from as many on-prem addresses to a VNet address, none answered:
     * each would be its own unanswered-connection finding. */
    adv_session *s = adv_session_new(FALSE);
    GByteArray *attrs = g_byte_array_new();
    static const guint8 igp = 0, path[] = { 2, 1, 0, 0, 0x2f, 0x2c }; /* AS 12076 */
    static const guint8 nh[] = { 192, 168, 15, 18 };
    put_attr(attrs, 0x40, 1, &igp, 1);
    put_attr(attrs, 0x40, 2, path, sizeof path);
    put_attr(attrs, 0x40, 3, nh, sizeof nh);
    GByteArray *nlri = g_byte_array_new();
    put_prefix4(nlri, 10, 1, 0, 0, 16);
    adv_send_msg(s, ADV_MSFT, update_new(NULL, attrs, nlri));
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    /* on-prem advertises 172.16.0.0/12, so the scanning sources are covered
     * (an uncovered source's silence is dataplane.uncovered-source's) */
    attrs = g_byte_array_new();
    static const guint8 cpath[] = { 2, 1, 0, 0, 0xfd, 0xf2 }; /* AS 65010 */
    static const guint8 cnh[] = { 192, 168, 15, 17 };
    put_attr(attrs, 0x40, 1, &igp, 1);
    put_attr(attrs, 0x40, 2, cpath, sizeof cpath);
    put_attr(attrs, 0x40, 3, cnh, sizeof cnh);
    nlri = g_byte_array_new();
    put_prefix4(nlri, 172, 16, 0, 0, 12);
    adv_send_msg(s, ADV_CUST, update_new(NULL, attrs, nlri));
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    for (guint i = 0; i < 100000; i++) {
        char src[16];
        g_snprintf(src, sizeof src, "172.%u.%u.%u", 16 + (i >> 16), (i >> 8) & 255, i & 255);
        GByteArray *f = g_byte_array_new();
        fb_eth(f, FB_MAC_B, FB_MAC_A, 0x8100);
        fb_tag(f, 0, 100, 0x0800);
        fb_ipv4(f, 6, src, "10.1.0.5", 20);
        fb_tcp(f, 40000, 443, i, 0, 0x02, NULL, 0);
        s->cap->ts_us += 10000;
        adv_capture_frame(s->cap, f->data, f->len, f->len);
        g_byte_array_free(f, TRUE);
    }
    adv_report *r = adv_run_capture(s->cap, TRUE);
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    guint unanswered = 0;
    for (guint i = 0; i < json_array_get_length(fs); i++)
        if (g_strcmp0(json_object_get_string_member(json_array_get_object_element(fs, i), "id"),
                      "dataplane.unanswered-connection") == 0)
            unanswered++;
    /* the first ones one by one, the rest counted in one more */
    g_assert_cmpuint(unanswered, >, 100);
    g_assert_cmpuint(unanswered, <=, 201);
    g_assert_nonnull(adv_find_finding(r, "dataplane.unanswered-connection", "cases here, not listed one by one"));
    adv_report_free(r);
    adv_session_free(s);
}

static const adv_case cases[] = {
    { "/adversarial/capture/pcapng-bogus-lengths", case_pcapng_bogus_lengths, 1, 16 },
    { "/adversarial/capture/pcapng-interface-options", case_pcapng_interface_options, 1, 16 },
    { "/adversarial/capture/ends-mid-frame", case_ends_mid_frame, 1, 16 },
    { "/adversarial/capture/deep-vlan-stacks", case_deep_vlan_stacks, 1, 16 },
    { "/adversarial/capture/odd-arp", case_odd_arp, 1, 16 },
    /* before the bound: 68 s and 414 MiB for 16,000 links (quadratic) */
    { "/adversarial/capture/many-inferred-links", case_many_inferred_links, 3, 128 },
    /* before the bound on findings per kind: 7.5 s and 717 MiB (2.8 GiB for 300,000) */
    { "/adversarial/capture/syn-scan", case_syn_scan, 3, 64 },
};

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    adv_add_cases(cases, G_N_ELEMENTS(cases));
    return g_test_run();
}
