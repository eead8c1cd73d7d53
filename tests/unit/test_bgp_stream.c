/* BGP over TCP reassembly: what the engine sees for split, coalesced,
 * retransmitted, overlapping, reordered and lost segments, mid-stream starts,
 * and streams built to exhaust memory. */
#include <string.h>
#include "bgp_stream.h"
#include "bgp_stream_limits.h"
#include "bgp_decode.h"
#include "unit/bgp_msg_build.h"

/* One event as the sink saw it (copies: the originals are borrowed). */
typedef struct {
    erdiag_event_type type;
    guint64 frame, first_frame;
    guint8 msg_type;
    char *error;
    guint n_announced;
    char *first_prefix;
    guint32 first_path_id;
    char *as_path;
    char *note;
    char src[ERDIAG_ADDR_STRLEN];
    guint16 sport, dport;
} record;

static void record_free(gpointer p)
{
    record *r = p;
    g_free(r->error);
    g_free(r->first_prefix);
    g_free(r->as_path);
    g_free(r->note);
    g_free(r);
}

typedef struct {
    erdiag_bgp_streams *s;
    GPtrArray *events;
    guint64 frame;
    erdiag_addr a, b;       /* a:40123 is the client, b:179 the server */
    guint16 port_a, port_b;
} fixture;

static void sink(const erdiag_event *ev, gpointer user)
{
    fixture *f = user;
    record *r = g_new0(record, 1);
    r->type = ev->type;
    r->frame = ev->pkt.frame;
    if (ev->type == ERDIAG_EV_DECODE_NOTE) {
        r->note = g_strdup(ev->u.note.text);
    } else if (ev->type == ERDIAG_EV_BGP) {
        const erdiag_bgp_ev *b = &ev->u.bgp;
        r->first_frame = b->first_frame;
        r->msg_type = b->msg.type;
        r->error = g_strdup(b->msg.error);
        erdiag_addr_to_string(&b->src, r->src);
        r->sport = b->sport;
        r->dport = b->dport;
        if (b->msg.type == ERDIAG_BGP_UPDATE && !b->msg.error) {
            const erdiag_bgp_update *u = &b->msg.u.update;
            r->n_announced = u->n_announced;
            r->as_path = g_strdup(u->as_path);
            if (u->n_announced) {
                char buf[ERDIAG_PREFIX_STRLEN];
                r->first_prefix = g_strdup(erdiag_prefix_to_string(&u->announced[0].prefix, buf));
                r->first_path_id = u->announced[0].path_id;
            }
        }
    }
    g_ptr_array_add(f->events, r);
}

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->s = erdiag_bgp_streams_new();
    f->events = g_ptr_array_new_with_free_func(record_free);
    erdiag_addr_parse("192.168.15.17", &f->a);
    erdiag_addr_parse("192.168.15.18", &f->b);
    f->port_a = 40123;
    f->port_b = 179;
}

static void fixture_clear(fixture *f)
{
    erdiag_bgp_streams_free(f->s);
    g_ptr_array_free(f->events, TRUE);
}

/* A segment of `claimed` payload bytes of which `captured` were captured;
 * dir 0 is a -> b. Returns its frame number. */
static guint64 seg_cut(fixture *f, guint dir, guint8 flags, guint32 seq, const guint8 *data,
                       guint captured, guint claimed)
{
    erdiag_packet_meta pkt;
    memset(&pkt, 0, sizeof pkt);
    pkt.frame = ++f->frame;
    pkt.ts_us = (gint64)f->frame * 1000;
    erdiag_tcp_ev tcp;
    memset(&tcp, 0, sizeof tcp);
    tcp.src = dir ? f->b : f->a;
    tcp.dst = dir ? f->a : f->b;
    tcp.sport = dir ? f->port_b : f->port_a;
    tcp.dport = dir ? f->port_a : f->port_b;
    tcp.flags = flags;
    tcp.seq = seq;
    tcp.payload_len = claimed;
    erdiag_bgp_streams_segment(f->s, &pkt, &tcp, data, captured, sink, f);
    return pkt.frame;
}

static guint64 seg(fixture *f, guint dir, guint8 flags, guint32 seq, const guint8 *data, guint len)
{
    return seg_cut(f, dir, flags, seq, data, len, len);
}

#define ACK ERDIAG_TCP_ACK
#define PSH_ACK (ERDIAG_TCP_PSH | ERDIAG_TCP_ACK)
enum { ISN_A = 1000, ISN_B = 0xfffffff0u /* wraps soon: sequence arithmetic is modular */ };

static void handshake(fixture *f)
{
    seg(f, 0, ERDIAG_TCP_SYN, ISN_A, NULL, 0);
    seg(f, 1, ERDIAG_TCP_SYN | ACK, ISN_B, NULL, 0);
    seg(f, 0, ACK, ISN_A + 1, NULL, 0);
}

static GByteArray *keepalive(void)
{
    GByteArray *m = msg_new(ERDIAG_BGP_KEEPALIVE);
    msg_done(m);
    return m;
}

/* UPDATE announcing 10.<i>.0.0/16 (and `extra` more /24s to make it bigger). */
static GByteArray *update_v4(guint i, guint extra)
{
    GByteArray *a = g_byte_array_new(), *n = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x01\x00\x00\x2f\x2c", 6);
    put_attr(a, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x12", 4);
    put_prefix4(n, 10, (guint8)i, 0, 0, 16);
    for (guint k = 0; k < extra; k++)
        put_prefix4(n, 11, (guint8)(k >> 8), (guint8)k, 0, 24);
    GByteArray *m = update_new(NULL, a, n);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    return m;
}

static void append_msg(GByteArray *stream, GByteArray *m)
{
    g_byte_array_append(stream, m->data, m->len);
    g_byte_array_free(m, TRUE);
}

static guint count(const fixture *f, erdiag_event_type type)
{
    guint n = 0;
    for (guint i = 0; i < f->events->len; i++)
        n += ((record *)g_ptr_array_index(f->events, i))->type == type;
    return n;
}

static const record *nth(const fixture *f, erdiag_event_type type, guint k)
{
    for (guint i = 0; i < f->events->len; i++) {
        const record *r = g_ptr_array_index(f->events, i);
        if (r->type == type && k-- == 0)
            return r;
    }
    g_error("no event %u of type %d (%u events)", k, type, f->events->len);
    return NULL;
}

static void dump(const fixture *f)
{
    for (guint i = 0; i < f->events->len; i++) {
        const record *r = g_ptr_array_index(f->events, i);
        if (r->type == ERDIAG_EV_BGP)
            g_test_message("frame %" G_GUINT64_FORMAT ": BGP type %u first %" G_GUINT64_FORMAT
                           " %s %s", r->frame, r->msg_type, r->first_frame,
                           r->first_prefix ? r->first_prefix : "", r->error ? r->error : "");
        else
            g_test_message("frame %" G_GUINT64_FORMAT ": %s", r->frame, r->note);
    }
}

static void assert_note(const fixture *f, guint k, const char *fragment)
{
    const record *r = nth(f, ERDIAG_EV_DECODE_NOTE, k);
    if (!strstr(r->note, fragment))
        g_error("note %u \"%s\" lacks \"%s\"", k, r->note, fragment);
}

/* ---- tests ---- */

static void test_split_message(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *caps = g_byte_array_new();
    put_cap(caps, ERDIAG_CAP_AS4, (const guint8 *)"\x00\x00\xfd\xe9", 4);
    GByteArray *open = open_new(65001, 180, 1, caps);
    guint32 seq = ISN_A + 1;
    guint64 first = seg(&f, 0, PSH_ACK, seq, open->data, 5);
    seg(&f, 0, PSH_ACK, seq + 5, open->data + 5, 20);
    guint64 last = seg(&f, 0, PSH_ACK, seq + 25, open->data + 25, open->len - 25);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    const record *r = nth(&f, ERDIAG_EV_BGP, 0);
    g_assert_cmpuint(r->msg_type, ==, ERDIAG_BGP_OPEN);
    g_assert_null(r->error);
    g_assert_cmpuint(r->frame, ==, last);
    g_assert_cmpuint(r->first_frame, ==, first);
    g_assert_cmpstr(r->src, ==, "192.168.15.17");
    g_assert_cmpuint(r->sport, ==, 40123);
    g_assert_cmpuint(r->dport, ==, 179);
    g_byte_array_free(open, TRUE);
    g_byte_array_free(caps, TRUE);
    fixture_clear(&f);
}

static void test_coalesced_messages(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, keepalive());
    append_msg(stream, update_v4(1, 0));
    append_msg(stream, keepalive());
    /* The server's direction, across the sequence-number wrap. */
    guint64 frame = seg(&f, 1, PSH_ACK, ISN_B + 1, stream->data, stream->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 3);
    const record *u = nth(&f, ERDIAG_EV_BGP, 1);
    g_assert_cmpuint(u->msg_type, ==, ERDIAG_BGP_UPDATE);
    g_assert_cmpstr(u->first_prefix, ==, "10.1.0.0/16");
    g_assert_cmpstr(u->src, ==, "192.168.15.18");
    g_assert_cmpuint(u->sport, ==, 179);
    for (guint i = 0; i < 3; i++) {
        g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, i)->frame, ==, frame);
        g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, i)->first_frame, ==, frame);
    }
    /* A message split across the wrap too. */
    GByteArray *m = update_v4(2, 0);
    guint32 seq = ISN_B + 1 + stream->len;
    seg(&f, 1, PSH_ACK, seq, m->data, 10);
    seg(&f, 1, PSH_ACK, seq + 10, m->data + 10, m->len - 10);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 4);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 3)->first_prefix, ==, "10.2.0.0/16");
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

static void test_retransmission_and_overlap(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, update_v4(1, 0));
    append_msg(stream, update_v4(2, 0));
    append_msg(stream, update_v4(3, 0));
    guint32 base = ISN_A + 1;
    guint len = stream->len;
    /* Whole first part twice, then a segment overlapping it and the rest. */
    seg(&f, 0, PSH_ACK, base, stream->data, 30);
    seg(&f, 0, PSH_ACK, base, stream->data, 30);
    seg(&f, 0, PSH_ACK, base + 10, stream->data + 10, 50);
    seg(&f, 0, PSH_ACK, base + 60, stream->data + 60, len - 60);
    /* Full retransmission of everything, and of a middle slice. */
    seg(&f, 0, PSH_ACK, base, stream->data, len);
    seg(&f, 0, PSH_ACK, base + 40, stream->data + 40, 40);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 3);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    for (guint i = 0; i < 3; i++) {
        char *want = g_strdup_printf("10.%u.0.0/16", i + 1);
        g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, i)->first_prefix, ==, want);
        g_free(want);
    }
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

static void test_reordering(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, update_v4(1, 20));
    append_msg(stream, keepalive());
    guint32 base = ISN_A + 1;
    guint len = stream->len;
    /* Three pieces arrive 3, 1, 2. */
    seg(&f, 0, PSH_ACK, base + 60, stream->data + 60, len - 60);
    guint64 f1 = seg(&f, 0, PSH_ACK, base, stream->data, 25);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 0);
    guint64 f2 = seg(&f, 0, PSH_ACK, base + 25, stream->data + 25, 35);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    const record *u = nth(&f, ERDIAG_EV_BGP, 0);
    g_assert_cmpuint(u->msg_type, ==, ERDIAG_BGP_UPDATE);
    g_assert_cmpuint(u->n_announced, ==, 21);
    g_assert_cmpuint(u->first_frame, ==, f1);
    g_assert_cmpuint(u->frame, ==, f2); /* completed when the hole filled */
    g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, 1)->msg_type, ==, ERDIAG_BGP_KEEPALIVE);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 0);
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

/* Four UPDATEs; a segment lost; the rest waits until the end of input gives
 * up the hole. */
static void test_gap_given_up_at_end(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    guint bounds[5] = { 0 };
    for (guint i = 0; i < 4; i++) {
        append_msg(stream, update_v4(i + 1, 0));
        bounds[i + 1] = stream->len;
    }
    guint32 base = ISN_A + 1;
    seg(&f, 0, PSH_ACK, base, stream->data, bounds[1]);
    /* bounds[1]..bounds[2] lost */
    guint64 f3 = seg(&f, 0, PSH_ACK, base + bounds[2], stream->data + bounds[2],
                     bounds[3] - bounds[2]);
    seg(&f, 0, PSH_ACK, base + bounds[3], stream->data + bounds[3], bounds[4] - bounds[3]);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, bounds[4] - bounds[2]);
    erdiag_bgp_streams_finish(f.s, sink, &f);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 3);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    assert_note(&f, 0, "BGP 192.168.15.17:40123 -> 192.168.15.18:179: ");
    char *want = g_strdup_printf("%u bytes missing before frame %" G_GUINT64_FORMAT,
                                 bounds[2] - bounds[1], f3);
    assert_note(&f, 0, want);
    g_free(want);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 1)->first_prefix, ==, "10.3.0.0/16");
    g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, 1)->frame, ==, f3);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 2)->first_prefix, ==, "10.4.0.0/16");
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

/* The lost bytes fall inside a message whose header arrived: skip exactly to
 * its end, no scanning. */
static void test_gap_inside_known_message(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, update_v4(1, 50));
    guint end1 = stream->len;
    /* The next message starts with bytes that look like a header inside
     * garbage would not: resync would also work, but must not be needed. */
    append_msg(stream, update_v4(2, 0));
    guint32 base = ISN_A + 1;
    seg(&f, 0, PSH_ACK, base, stream->data, 40);
    /* 40..100 lost */
    seg(&f, 0, PSH_ACK, base + 100, stream->data + 100, stream->len - 100);
    seg(&f, 0, ERDIAG_TCP_FIN | ACK, base + stream->len, NULL, 0);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 0);
    seg(&f, 1, ERDIAG_TCP_FIN | ACK, ISN_B + 1, NULL, 0);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 0)->first_prefix, ==, "10.2.0.0/16");
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    char *want = g_strdup_printf("60 bytes missing before frame 5 (connection closed); the "
                                 "UPDATE of %u bytes begun in frame 4 is lost, continuing at "
                                 "the next message", end1);
    assert_note(&f, 0, want);
    g_free(want);
    /* Closed both ways: a late retransmission is ignored, nothing is held. */
    seg(&f, 0, PSH_ACK, base, stream->data, stream->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 0);
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

/* A hole that never fills while later segments keep coming: the waiting list
 * fills and the hole is given up without waiting for the end. */
static void test_gap_by_full_waiting_list(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *ka = keepalive();
    guint32 seq = ISN_A + 1;
    const guint total = 200;
    for (guint i = 0; i < total; i++, seq += ka->len)
        if (i != 5)
            seg(&f, 0, PSH_ACK, seq, ka->data, ka->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    assert_note(&f, 0, "19 bytes missing before frame 9");
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, total - 1);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 0);
    g_byte_array_free(ka, TRUE);
    fixture_clear(&f);
}

/* Data further ahead than any window could bring: the hole is given up at
 * once instead of waiting in the out-of-order list. */
static void test_far_ahead(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *ka = keepalive();
    seg(&f, 0, PSH_ACK, ISN_A + 1, ka->data, ka->len);
    guint32 jump = ERDIAG_BGP_MAX_AHEAD + 1000;
    guint64 frame = seg(&f, 0, PSH_ACK, ISN_A + 1 + ka->len + jump, ka->data, ka->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, 1)->frame, ==, frame);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    char *want = g_strdup_printf("%u bytes missing before frame %" G_GUINT64_FORMAT
                                 " (lost by the capture); resynchronising", jump, frame);
    assert_note(&f, 0, want);
    g_free(want);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 0);
    g_byte_array_free(ka, TRUE);
    fixture_clear(&f);
}

static void test_snaplen_cut(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, keepalive());
    append_msg(stream, update_v4(1, 30));
    guint cut_len = stream->len;
    append_msg(stream, update_v4(2, 0));
    guint32 base = ISN_A + 1;
    guint64 frame = seg_cut(&f, 0, PSH_ACK, base, stream->data, 60, cut_len);
    seg(&f, 0, PSH_ACK, base + cut_len, stream->data + cut_len, stream->len - cut_len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, 0)->msg_type, ==, ERDIAG_BGP_KEEPALIVE);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 1)->first_prefix, ==, "10.2.0.0/16");
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    char *want = g_strdup_printf("(frame %" G_GUINT64_FORMAT " captured 60 of %u payload bytes)",
                                 frame, cut_len);
    assert_note(&f, 0, want);
    g_free(want);
    assert_note(&f, 0, "continuing at the next message");
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

/* No SYN: the first segment starts inside a message. */
static void test_mid_stream_start(void)
{
    fixture f;
    fixture_init(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, update_v4(1, 0));
    guint first_end = stream->len;
    append_msg(stream, keepalive());
    append_msg(stream, update_v4(2, 0));
    guint skip = first_end - 7;
    guint64 frame = seg(&f, 1, PSH_ACK, 777777, stream->data + skip, stream->len - skip);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, 0)->msg_type, ==, ERDIAG_BGP_KEEPALIVE);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 1)->first_prefix, ==, "10.2.0.0/16");
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    char *want = g_strdup_printf("BGP 192.168.15.18:179 -> 192.168.15.17:40123: capture starts "
                                 "mid-connection: skipped 7 bytes to the first BGP header "
                                 "(frame %" G_GUINT64_FORMAT ")", frame);
    assert_note(&f, 0, want);
    g_free(want);

    /* Starting on a boundary needs no note. */
    fixture_clear(&f);
    fixture_init(&f);
    seg(&f, 0, PSH_ACK, 5, stream->data + first_end, stream->len - first_end);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

/* A message that never completes, and a stream with no header at all:
 * memory stays bounded, the end says what was left. */
static void test_never_completes(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *hdr = msg_new(ERDIAG_BGP_UPDATE);
    set16(hdr, 16, 65535);
    guint32 seq = ISN_A + 1;
    seg(&f, 0, PSH_ACK, seq, hdr->data, hdr->len);
    seq += hdr->len;
    guint8 chunk[1000];
    memset(chunk, 0x41, sizeof chunk);
    for (int i = 0; i < 60; i++, seq += sizeof chunk)
        seg(&f, 0, PSH_ACK, seq, chunk, sizeof chunk);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 60019);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 0);
    erdiag_bgp_streams_finish(f.s, sink, &f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    assert_note(&f, 0, "capture ends inside an UPDATE: 60019 of 65535 bytes, begun in frame 4");
    fixture_clear(&f);

    /* Ten megabytes without a marker, mid-connection: a few bytes held. */
    fixture_init(&f);
    seq = 1;
    for (int i = 0; i < 10000; i++, seq += sizeof chunk) {
        seg(&f, 0, PSH_ACK, seq, chunk, sizeof chunk);
        g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), <=, 18);
    }
    GByteArray *ka = keepalive();
    seg(&f, 0, PSH_ACK, seq, ka->data, ka->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    assert_note(&f, 0, "skipped 10000000 bytes to the first BGP header");
    g_byte_array_free(ka, TRUE);
    g_byte_array_free(hdr, TRUE);
    fixture_clear(&f);
}

static void test_endless_retransmissions(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *u = update_v4(1, 0);
    GByteArray *ka = keepalive();
    guint32 seq = ISN_A + 1;
    for (int i = 0; i < 100000; i++)
        seg(&f, 0, PSH_ACK, seq, u->data, u->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    /* A future segment retransmitted forever waits once. */
    guint32 ahead = seq + u->len + 19;
    for (int i = 0; i < 100000; i++)
        seg(&f, 0, PSH_ACK, ahead, ka->data, ka->len);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 19);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    seg(&f, 0, PSH_ACK, seq + u->len, ka->data, ka->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 3);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 0);
    g_byte_array_free(u, TRUE);
    g_byte_array_free(ka, TRUE);
    fixture_clear(&f);
}

static void test_invalid_header_resync(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *stream = g_byte_array_new();
    append_msg(stream, keepalive());
    for (int i = 0; i < 23; i++)
        put8(stream, 0x20 + i);
    append_msg(stream, keepalive());
    seg(&f, 0, PSH_ACK, ISN_A + 1, stream->data, stream->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 2);
    assert_note(&f, 0, "invalid BGP header in frame 4 (marker not all ones); resynchronising");
    assert_note(&f, 1, "resynchronised: skipped 23 bytes to the next BGP header (frame 4)");
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

static void test_malformed_message_delivered(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *u = update_v4(1, 0);
    set16(u, 19, 500); /* withdrawn length lies */
    GByteArray *stream = g_byte_array_new();
    g_byte_array_append(stream, u->data, u->len);
    append_msg(stream, keepalive());
    seg(&f, 0, PSH_ACK, ISN_A + 1, stream->data, stream->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    const record *r = nth(&f, ERDIAG_EV_BGP, 0);
    g_assert_cmpuint(r->msg_type, ==, ERDIAG_BGP_UPDATE);
    g_assert_nonnull(r->error);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 1);
    assert_note(&f, 0, "malformed UPDATE (frames 4..4): UPDATE: withdrawn routes length 500");
    g_assert_cmpuint(nth(&f, ERDIAG_EV_BGP, 1)->msg_type, ==, ERDIAG_BGP_KEEPALIVE);
    g_byte_array_free(u, TRUE);
    g_byte_array_free(stream, TRUE);
    fixture_clear(&f);
}

/* An UPDATE whose NLRI reads two ways: ADD-PATH id 0x080a080b + 12.0.0.0/8,
 * or plain 10.0.0.0/8, 11.0.0.0/8, 12.0.0.0/8. Only the OPENs can tell. */
static GByteArray *addpath_update(void)
{
    GByteArray *a = g_byte_array_new(), *n = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x01\xfa\x56\xea\x00", 6); /* 4200000000 */
    put_attr(a, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x12", 4);
    put32(n, 0x080a080b);
    put_prefix4(n, 12, 0, 0, 0, 8);
    GByteArray *m = update_new(NULL, a, n);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    return m;
}

static void test_session_hints_from_opens(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *caps = g_byte_array_new();
    put_cap(caps, ERDIAG_CAP_AS4, (const guint8 *)"\xfa\x56\xea\x00", 4);
    put_cap(caps, ERDIAG_CAP_ADD_PATH, (const guint8 *)"\x00\x01\x01\x03", 4);
    GByteArray *oa = open_new(ERDIAG_BGP_AS_TRANS, 180, 1, caps);
    GByteArray *ob = open_new(ERDIAG_BGP_AS_TRANS, 180, 2, caps);
    GByteArray *u = addpath_update();
    guint32 sa = ISN_A + 1, sb = ISN_B + 1;
    seg(&f, 0, PSH_ACK, sa, oa->data, oa->len);
    sa += oa->len;
    /* Before the peer's OPEN nothing is known: the plain reading wins. */
    seg(&f, 0, PSH_ACK, sa, u->data, u->len);
    sa += u->len;
    seg(&f, 1, PSH_ACK, sb, ob->data, ob->len);
    seg(&f, 0, PSH_ACK, sa, u->data, u->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 4);
    const record *guess = nth(&f, ERDIAG_EV_BGP, 1);
    g_assert_cmpuint(guess->n_announced, ==, 3);
    g_assert_cmpstr(guess->first_prefix, ==, "10.0.0.0/8");
    const record *known = nth(&f, ERDIAG_EV_BGP, 3);
    g_assert_cmpuint(known->n_announced, ==, 1);
    g_assert_cmpstr(known->first_prefix, ==, "12.0.0.0/8");
    g_assert_cmpuint(known->first_path_id, ==, 0x080a080b);
    g_assert_cmpstr(known->as_path, ==, "4200000000");
    g_byte_array_free(oa, TRUE);
    g_byte_array_free(ob, TRUE);
    g_byte_array_free(u, TRUE);
    g_byte_array_free(caps, TRUE);
    fixture_clear(&f);
}

/* A reset does not erase the sequence state: a misdirected or spoofed RST
 * (a duplicate address on the link) leaves the real peers talking on, and
 * their in-sequence bytes are still BGP (tshark reads them too). */
static void test_reset_keeps_sequence(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    GByteArray *u = update_v4(1, 0);
    seg(&f, 0, PSH_ACK, ISN_A + 1, u->data, 30);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 30);
    seg(&f, 1, ERDIAG_TCP_RST, ISN_B + 1, NULL, 0);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 30);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    seg(&f, 0, PSH_ACK, ISN_A + 31, u->data + 30, u->len - 30);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    /* old bytes again are a retransmission, not a new message */
    seg(&f, 0, PSH_ACK, ISN_A + 1, u->data, u->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    /* a new connection on the same ports starts over */
    seg(&f, 0, ERDIAG_TCP_SYN, 5000, NULL, 0);
    seg(&f, 0, PSH_ACK, 5001, u->data, u->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    g_byte_array_free(u, TRUE);
    fixture_clear(&f);
}

static void test_many_connections_evicted(void)
{
    fixture f;
    fixture_init(&f);
    GByteArray *u = update_v4(1, 0);
    for (guint i = 0; i < ERDIAG_BGP_MAX_STREAMS + 500; i++) {
        f.port_a = (guint16)(10000 + i);
        seg(&f, 0, PSH_ACK, 1, u->data, 30);
        g_assert_cmpuint(erdiag_bgp_streams_count(f.s), <=, ERDIAG_BGP_MAX_STREAMS);
    }
    g_assert_cmpuint(erdiag_bgp_streams_count(f.s), ==, ERDIAG_BGP_MAX_STREAMS);
    g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 30u * ERDIAG_BGP_MAX_STREAMS);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 500);
    assert_note(&f, 0, "BGP 192.168.15.17:10000 -> 192.168.15.18:179: dropped (too many BGP "
                "connections tracked) inside an UPDATE");
    g_byte_array_free(u, TRUE);
    fixture_clear(&f);
}

static void test_ipv6_and_directions(void)
{
    fixture f;
    fixture_init(&f);
    erdiag_addr_parse("2001:db8::1", &f.a);
    erdiag_addr_parse("2001:db8::2", &f.b);
    GByteArray *u1 = update_v4(1, 0), *u2 = update_v4(2, 0);
    /* Partial messages interleaved in both directions. */
    seg(&f, 0, PSH_ACK, 100, u1->data, 20);
    seg(&f, 1, PSH_ACK, 900, u2->data, 25);
    seg(&f, 0, PSH_ACK, 120, u1->data + 20, u1->len - 20);
    seg(&f, 1, PSH_ACK, 925, u2->data + 25, u2->len - 25);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 0)->first_prefix, ==, "10.1.0.0/16");
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 0)->src, ==, "2001:db8::1");
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 1)->first_prefix, ==, "10.2.0.0/16");
    g_assert_cmpstr(nth(&f, ERDIAG_EV_BGP, 1)->src, ==, "2001:db8::2");
    seg(&f, 0, PSH_ACK, 100 + u1->len, u1->data, 7);
    erdiag_bgp_streams_finish(f.s, sink, &f);
    assert_note(&f, 0, "BGP [2001:db8::1]:40123 -> [2001:db8::2]:179: capture ends inside a BGP "
                "header: 7 of 19 bytes");
    g_byte_array_free(u1, TRUE);
    g_byte_array_free(u2, TRUE);
    fixture_clear(&f);
}

/* Data on a SYN (TCP Fast Open, or a crafted capture): the message follows
 * the SYN's sequence number and keeps its direction; the same SYN again,
 * even with other bytes, is a retransmission. */
static void test_syn_with_data(void)
{
    fixture f;
    fixture_init(&f);
    GByteArray *n1 = msg_new(ERDIAG_BGP_NOTIFICATION);
    put8(n1, 6);
    put8(n1, 2);
    msg_done(n1);
    GByteArray *n2 = msg_new(ERDIAG_BGP_NOTIFICATION);
    put8(n2, 6);
    put8(n2, 4);
    put8(n2, 0);
    msg_done(n2);
    /* n2 (22 bytes) then n1 (21): the second is wholly old. */
    seg(&f, 0, ERDIAG_TCP_SYN, 0, n2->data, n2->len);
    seg(&f, 0, ERDIAG_TCP_SYN, 0, n1->data, n1->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    const record *r = nth(&f, ERDIAG_EV_BGP, 0);
    g_assert_cmpuint(r->msg_type, ==, ERDIAG_BGP_NOTIFICATION);
    g_assert_cmpstr(r->src, ==, "192.168.15.17");
    g_assert_cmpuint(r->sport, ==, 40123);

    /* A SYN with another ISN is a new connection: its data counts, in the
     * right direction, and the old connection's unfinished bytes are noted. */
    GByteArray *ka = keepalive();
    seg(&f, 0, PSH_ACK, 1 + n2->len, ka->data, 5);
    seg(&f, 0, ERDIAG_TCP_SYN, 5000, n1->data, n1->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 2);
    r = nth(&f, ERDIAG_EV_BGP, 1);
    g_assert_cmpuint(r->msg_type, ==, ERDIAG_BGP_NOTIFICATION);
    g_assert_cmpstr(r->src, ==, "192.168.15.17");
    assert_note(&f, 0, "BGP 192.168.15.17:40123 -> 192.168.15.18:179: connection replaced by a "
                "new SYN inside a BGP header: 5 of 19 bytes");
    g_byte_array_free(ka, TRUE);
    g_byte_array_free(n1, TRUE);
    g_byte_array_free(n2, TRUE);
    fixture_clear(&f);
}

/* A retransmitted SYN after the SYN-ACK must not forget the server's side. */
static void test_syn_retransmitted_after_syn_ack(void)
{
    fixture f;
    fixture_init(&f);
    handshake(&f);
    seg(&f, 0, ERDIAG_TCP_SYN, ISN_A, NULL, 0);
    GByteArray *ka = keepalive();
    seg(&f, 1, PSH_ACK, ISN_B + 1, ka->data, ka->len);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
    g_byte_array_free(ka, TRUE);
    fixture_clear(&f);
}

/* Mid-connection, the first bytes are a header whose length is impossible
 * for its type (an UPDATE of 19 bytes): reported as a malformed message, not
 * skipped; the garbage after it is noticed before 19 bytes of it arrive. */
static void test_first_header_malformed(void)
{
    fixture f;
    fixture_init(&f);
    GByteArray *m = msg_new(ERDIAG_BGP_UPDATE);
    msg_done(m);
    for (int i = 0; i < 10; i++)
        put8(m, i);
    seg(&f, 0, PSH_ACK, 42, m->data, m->len);
    dump(&f);
    g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, 1);
    assert_note(&f, 0, "malformed UPDATE (frames 1..1): UPDATE: length 19 below the minimum 23");
    assert_note(&f, 1, "invalid BGP header in frame 1 (marker not all ones)");
    erdiag_bgp_streams_finish(f.s, sink, &f);
    assert_note(&f, 2, "capture ends: no BGP header in the last 10 bytes");
    g_byte_array_free(m, TRUE);
    fixture_clear(&f);
}

/* Any segmentation, duplication and local reordering of a stream, without
 * loss, yields exactly its messages, in order, and no note. */
static void test_random_segmentation(void)
{
    GRand *rand = g_rand_new_with_seed(179);
    GByteArray *stream = g_byte_array_new();
    guint n_msgs = 0;
    for (guint i = 0; i < 60; i++, n_msgs++)
        append_msg(stream, i % 3 ? update_v4(i, i * 7 % 300) : keepalive());
    for (int round = 0; round < 150; round++) {
        fixture f;
        fixture_init(&f);
        guint32 isn = g_rand_int(rand);
        seg(&f, 0, ERDIAG_TCP_SYN, isn, NULL, 0);
        /* Cut into segments, then shuffle within windows of a few segments. */
        GArray *cuts = g_array_new(FALSE, FALSE, sizeof(guint));
        for (guint off = 0; off < stream->len;) {
            g_array_append_val(cuts, off);
            off += (guint)g_rand_int_range(rand, 1, 1500);
        }
        guint n = cuts->len;
        for (guint i = 0; i + 1 < n; i++) {
            guint step = (guint)g_rand_int_range(rand, 0, 4);
            guint j = MIN(n - 1, i + step);
            guint t = g_array_index(cuts, guint, i);
            g_array_index(cuts, guint, i) = g_array_index(cuts, guint, j);
            g_array_index(cuts, guint, j) = t;
        }
        for (guint i = 0; i < n; i++) {
            guint off = g_array_index(cuts, guint, i);
            guint end = off;
            /* Segment end: the next cut point above off (segments of the original cut). */
            end = stream->len;
            for (guint k = 0; k < n; k++) {
                guint c = g_array_index(cuts, guint, k);
                if (c > off && c < end)
                    end = c;
            }
            /* Sometimes extend into the next segment (overlap), sometimes send twice. */
            if (g_rand_int_range(rand, 0, 5) == 0) {
                guint more = (guint)g_rand_int_range(rand, 1, 200);
                end = MIN(stream->len, end + more);
            }
            seg(&f, 0, PSH_ACK, isn + 1 + off, stream->data + off, end - off);
            if (g_rand_int_range(rand, 0, 7) == 0)
                seg(&f, 0, PSH_ACK, isn + 1 + off, stream->data + off, end - off);
        }
        if (count(&f, ERDIAG_EV_DECODE_NOTE) || count(&f, ERDIAG_EV_BGP) != n_msgs)
            dump(&f);
        g_assert_cmpuint(count(&f, ERDIAG_EV_DECODE_NOTE), ==, 0);
        g_assert_cmpuint(count(&f, ERDIAG_EV_BGP), ==, n_msgs);
        for (guint i = 0; i < n_msgs; i++) {
            const record *r = nth(&f, ERDIAG_EV_BGP, i);
            g_assert_null(r->error);
            g_assert_cmpuint(r->msg_type, ==, i % 3 ? ERDIAG_BGP_UPDATE : ERDIAG_BGP_KEEPALIVE);
            g_assert_cmpuint(r->first_frame, <=, r->frame);
            if (i % 3) {
                char *want = g_strdup_printf("10.%u.0.0/16", i);
                g_assert_cmpstr(r->first_prefix, ==, want);
                g_free(want);
            }
        }
        g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), ==, 0);
        g_array_free(cuts, TRUE);
        fixture_clear(&f);
    }
    g_byte_array_free(stream, TRUE);
    g_rand_free(rand);
}

/* Loss, garbage, random flags and sequence numbers: no crash, memory within
 * the bounds, and some messages still come through. */
static void test_random_abuse(void)
{
    GRand *rand = g_rand_new_with_seed(8654);
    GByteArray *stream = g_byte_array_new();
    for (guint i = 0; i < 200; i++)
        append_msg(stream, i % 2 ? update_v4(i, i % 50) : keepalive());
    guint delivered = 0;
    for (int round = 0; round < 40; round++) {
        fixture f;
        fixture_init(&f);
        guint32 isn = g_rand_int(rand);
        for (guint off = 0; off < stream->len;) {
            guint want = (guint)g_rand_int_range(rand, 1, 3000);
            guint len = MIN(want, stream->len - off);
            int what = g_rand_int_range(rand, 0, 20);
            guint8 flags = PSH_ACK;
            if (what == 0)
                flags |= ERDIAG_TCP_SYN;
            if (what == 1)
                flags = ERDIAG_TCP_RST;
            if (what == 2)
                flags |= ERDIAG_TCP_FIN;
            guint32 seq = isn + off;
            if (what == 3)
                seq = g_rand_int(rand);
            guint captured = what == 4 ? len / 2 : len;
            if (what != 5) /* 5: lost */
                seg_cut(&f, (guint)g_rand_int_range(rand, 0, 2), flags, seq, stream->data + off,
                        captured, len);
            g_assert_cmpuint(erdiag_bgp_streams_bytes_held(f.s), <=,
                             2 * (65535 + 3000 + ERDIAG_BGP_MAX_PENDING_BYTES));
            off += len;
        }
        erdiag_bgp_streams_finish(f.s, sink, &f);
        delivered += count(&f, ERDIAG_EV_BGP);
        fixture_clear(&f);
    }
    g_test_message("%u messages delivered", delivered);
    g_assert_cmpuint(delivered, >, 40 * 20);
    g_byte_array_free(stream, TRUE);
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bgp_stream/split_message", test_split_message);
    g_test_add_func("/bgp_stream/coalesced_messages", test_coalesced_messages);
    g_test_add_func("/bgp_stream/retransmission_and_overlap", test_retransmission_and_overlap);
    g_test_add_func("/bgp_stream/reordering", test_reordering);
    g_test_add_func("/bgp_stream/gap_given_up_at_end", test_gap_given_up_at_end);
    g_test_add_func("/bgp_stream/gap_inside_known_message", test_gap_inside_known_message);
    g_test_add_func("/bgp_stream/gap_by_full_waiting_list", test_gap_by_full_waiting_list);
    g_test_add_func("/bgp_stream/far_ahead", test_far_ahead);
    g_test_add_func("/bgp_stream/snaplen_cut", test_snaplen_cut);
    g_test_add_func("/bgp_stream/mid_stream_start", test_mid_stream_start);
    g_test_add_func("/bgp_stream/never_completes", test_never_completes);
    g_test_add_func("/bgp_stream/endless_retransmissions", test_endless_retransmissions);
    g_test_add_func("/bgp_stream/invalid_header_resync", test_invalid_header_resync);
    g_test_add_func("/bgp_stream/malformed_message_delivered", test_malformed_message_delivered);
    g_test_add_func("/bgp_stream/session_hints_from_opens", test_session_hints_from_opens);
    g_test_add_func("/bgp_stream/reset_keeps_sequence", test_reset_keeps_sequence);
    g_test_add_func("/bgp_stream/many_connections_evicted", test_many_connections_evicted);
    g_test_add_func("/bgp_stream/ipv6_and_directions", test_ipv6_and_directions);
    g_test_add_func("/bgp_stream/syn_with_data", test_syn_with_data);
    g_test_add_func("/bgp_stream/syn_retransmitted_after_syn_ack",
                    test_syn_retransmitted_after_syn_ack);
    g_test_add_func("/bgp_stream/first_header_malformed", test_first_header_malformed);
    g_test_add_func("/bgp_stream/random_segmentation", test_random_segmentation);
    g_test_add_func("/bgp_stream/random_abuse", test_random_abuse);
    return g_test_run();
}
