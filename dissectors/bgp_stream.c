/* Per-connection, per-direction reassembly of BGP over TCP.
 *
 * Each direction delivers every stream byte once, in sequence order: old
 * bytes (retransmissions, overlaps) are trimmed, future segments wait in a
 * small sorted list until the hole before them fills. A hole that cannot fill
 * (the list is full, data far ahead, the connection closed, snaplen cut the
 * payload, the capture ended) becomes a gap: a note, then either a precise
 * skip to the end of the message the gap fell into, or a scan for the next
 * plausible BGP header. Delivered bytes collect in a buffer until they make a
 * whole message, which is decoded and emitted. Memory is bounded per
 * direction (one partial message plus the waiting list), per process (a
 * budget for all waiting lists), and in the number of connections (the least
 * recently used beyond ERDIAG_BGP_MAX_STREAMS is dropped). */
#include <string.h>
#include "bgp_stream.h"
#include "bgp_stream_limits.h"
#include "bgp_decode.h"
#include "cursor.h"

#define RESYNC_KEEP (ERDIAG_BGP_HEADER_LEN - 1)
/* A buffer that once held a big message is given back when it empties, so
 * an idle connection does not keep 64 KiB. */
#define BUF_SHRINK_ABOVE (16u * 1024u)

typedef struct {
    guint32 seq;
    guint32 claimed;             /* payload length per the IP header */
    guint32 len;                 /* bytes captured (<= claimed) */
    guint8 *data;
    erdiag_packet_meta meta;
} pending_segment;

typedef struct {
    erdiag_addr src, dst;
    guint16 sport, dport;
    gboolean started;            /* next_seq means something */
    gboolean syn_seen;
    guint32 isn;                 /* the SYN's sequence number */
    guint32 next_seq;            /* first stream byte not yet delivered */
    gboolean resync;             /* not at a message boundary: scanning for a header */
    gboolean mid_start;          /* the scan is for the first header of a mid-connection capture */
    guint64 skipped;             /* bytes thrown away by the current scan */
    guint32 discard;             /* bytes still to drop of a message a gap broke */
    GByteArray *buf;             /* delivered bytes not yet a whole message */
    guint buf_peak;              /* largest buf->len since buf was made */
    guint64 buf_first_frame;     /* frame of buf's first byte */
    GArray *pending;             /* pending_segment, sorted by seq */
    guint32 pending_bytes;
    gboolean fin;
    erdiag_packet_meta last_meta;/* of the last segment seen, for notes at the end */
    gboolean have_open;
    erdiag_bgp_open_caps caps;   /* from this side's OPEN */
} direction;

typedef struct {
    /* Endpoints ordered so both directions find the same connection; no
     * padding (two 17-byte addresses then two guint16) so memcmp and a byte
     * hash are exact. */
    erdiag_addr a, b;
    guint16 port_a, port_b;
} conn_key;

G_STATIC_ASSERT(sizeof(conn_key) == 2 * sizeof(erdiag_addr) + 2 * sizeof(guint16));

typedef struct {
    conn_key key;
    direction dir[2];            /* [0]: a -> b, [1]: b -> a */
    gboolean closed;             /* RST, or FIN both ways: only a SYN revives it */
    GList *lru_link;
} connection;

struct erdiag_bgp_streams {
    GHashTable *conns;           /* conn_key* -> connection* (key inside the value) */
    GQueue lru;                  /* connection*, most recently used first */
    erdiag_bgp_decoded *decoded;
    GString *note;
    guint64 pending_total;
};

/* What one call is working on. */
typedef struct {
    erdiag_bgp_streams *s;
    connection *c;
    direction *d;
    direction *other;
    const erdiag_packet_meta *cur; /* the packet being processed, or at the end the segment's own */
    erdiag_event_sink sink;
    gpointer user;
} ctx;

static gint32 seq_diff(guint32 a, guint32 b)
{
    return (gint32)(a - b);
}

/* ---- notes and events ---- */

static void append_endpoint(GString *out, const erdiag_addr *a, guint16 port)
{
    char text[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(a, text);
    if (a->family == 6)
        g_string_append_printf(out, "[%s]:%u", text, port);
    else
        g_string_append_printf(out, "%s:%u", text, port);
}

static void note(ctx *x, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(ctx *x, const char *fmt, ...)
{
    GString *n = x->s->note;
    g_string_assign(n, "BGP ");
    append_endpoint(n, &x->d->src, x->d->sport);
    g_string_append(n, " -> ");
    append_endpoint(n, &x->d->dst, x->d->dport);
    g_string_append(n, ": ");
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(n, fmt, ap);
    va_end(ap);
    erdiag_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = ERDIAG_EV_DECODE_NOTE;
    ev.pkt = *x->cur;
    ev.u.note.text = n->str;
    if (x->sink)
        x->sink(&ev, x->user);
}

static const char *type_label(guint type)
{
    static const char *const names[] = { "message", "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE",
                                         "ROUTE-REFRESH" };
    return type <= 5 ? names[type] : "message";
}

static void emit_message(ctx *x, const guint8 *bytes, guint len, guint64 first_frame)
{
    direction *d = x->d;
    erdiag_bgp_session_hints hints;
    memset(&hints, 0, sizeof hints);
    if (d->have_open && x->other->have_open)
        erdiag_bgp_session_hints_from_opens(&d->caps, &x->other->caps, &hints);
    const erdiag_bgp_msg *msg = erdiag_bgp_decode(x->s->decoded, bytes, len, &hints);
    if (msg->type == ERDIAG_BGP_OPEN) {
        d->have_open = TRUE;
        d->caps = *erdiag_bgp_decoded_open_caps(x->s->decoded);
    }
    erdiag_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = ERDIAG_EV_BGP;
    ev.pkt = *x->cur;
    ev.u.bgp.src = d->src;
    ev.u.bgp.dst = d->dst;
    ev.u.bgp.sport = d->sport;
    ev.u.bgp.dport = d->dport;
    ev.u.bgp.first_frame = first_frame;
    ev.u.bgp.msg = *msg;
    if (x->sink)
        x->sink(&ev, x->user);
    if (msg->error)
        note(x, "malformed %s (frames %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT "): %s",
             type_label(msg->type), first_frame, x->cur->frame, msg->error);
}

/* ---- turning delivered bytes into messages ---- */

/* The largest length a resynchronising scan believes in. */
static guint resync_max_len(const ctx *x)
{
    const direction *d = x->d;
    if (d->have_open && x->other->have_open &&
        !(d->caps.extended_message && x->other->caps.extended_message))
        return ERDIAG_BGP_MAX_LEN;
    return ERDIAG_BGP_MAX_EXT_LEN;
}

/* The length and type fields of the header at m (avail bytes there); FALSE
 * when the header is not all in. */
static gboolean header_fields(const guint8 *m, gsize avail, guint *len, guint8 *type)
{
    erdiag_cursor c = erdiag_cursor_make(m, avail);
    erdiag_cursor_skip(&c, ERDIAG_BGP_MARKER_LEN);
    *len = erdiag_cursor_get_u16be(&c);
    *type = erdiag_cursor_get_u8(&c);
    return !c.err;
}

static gboolean loose_header(const guint8 *m, gsize avail)
{
    guint len;
    guint8 type;
    if (!header_fields(m, avail, &len, &type))
        return FALSE;
    for (guint i = 0; i < ERDIAG_BGP_MARKER_LEN; i++)
        if (m[i] != 0xff)
            return FALSE;
    return len >= ERDIAG_BGP_HEADER_LEN && type >= ERDIAG_BGP_OPEN && type <= ERDIAG_BGP_ROUTE_REFRESH;
}

/* Scans buf[from..] for a plausible header; returns its offset or -1. */
static gssize find_header(const ctx *x, const GByteArray *buf, guint from)
{
    guint max = resync_max_len(x);
    const guint8 *p = buf->data;
    guint n = buf->len;
    guint i = from;
    while (i + ERDIAG_BGP_HEADER_LEN <= n) {
        const guint8 *ff = memchr(p + i, 0xff, n - ERDIAG_BGP_HEADER_LEN + 1 - i);
        if (!ff)
            return -1;
        i = (guint)(ff - p);
        guint16 len;
        if (erdiag_bgp_header_plausible(p + i, n - i, max, &len))
            return i;
        i++;
    }
    return -1;
}

/* bytes at buf offsets >= old_len came in frame `frame`, earlier ones (as
 * far as we track) in d->buf_first_frame. */
static guint64 frame_at(const direction *d, guint off, guint old_len, guint64 frame)
{
    return off < old_len ? d->buf_first_frame : frame;
}

static void process(ctx *x, guint old_len, guint64 frame)
{
    direction *d = x->d;
    GByteArray *buf = d->buf;
    guint rd = 0;
    for (;;) {
        guint avail = buf->len - rd;
        if (avail == 0)
            break;
        if (d->discard) {
            guint take = MIN(d->discard, avail);
            rd += take;
            d->discard -= take;
            continue;
        }
        if (d->resync) {
            /* Right where the scan starts (first byte after a gap or of a
             * mid-connection capture) a marker is evidence enough: take a
             * header there even when its length is wrong for its type, so
             * the malformed message is reported rather than skipped. */
            gssize at = d->skipped == 0 && avail >= ERDIAG_BGP_HEADER_LEN &&
                        loose_header(buf->data + rd, avail) ? (gssize)rd : find_header(x, buf, rd);
            if (at < 0) {
                /* Keep a tail that may be the start of a header. */
                if (avail > RESYNC_KEEP) {
                    d->skipped += avail - RESYNC_KEEP;
                    rd = buf->len - RESYNC_KEEP;
                }
                break;
            }
            d->skipped += (guint)at - rd;
            rd = (guint)at;
            guint64 f = frame_at(d, rd, old_len, frame);
            if (d->skipped && d->mid_start)
                note(x, "capture starts mid-connection: skipped %" G_GUINT64_FORMAT
                     " bytes to the first BGP header (frame %" G_GUINT64_FORMAT ")",
                     d->skipped, f);
            else if (d->skipped)
                note(x, "resynchronised: skipped %" G_GUINT64_FORMAT
                     " bytes to the next BGP header (frame %" G_GUINT64_FORMAT ")", d->skipped, f);
            d->resync = d->mid_start = FALSE;
            d->skipped = 0;
            continue;
        }
        const guint8 *m = buf->data + rd;
        /* A broken marker shows before the whole header is in. */
        gboolean marker = TRUE;
        for (guint i = 0; i < MIN(avail, (guint)ERDIAG_BGP_MARKER_LEN); i++)
            marker = marker && m[i] == 0xff;
        if (marker && avail < ERDIAG_BGP_HEADER_LEN)
            break;
        guint msg_len = 0;
        guint8 type;
        if (!header_fields(m, avail, &msg_len, &type))
            msg_len = 0;
        if (!marker || msg_len < ERDIAG_BGP_HEADER_LEN) {
            note(x, "invalid BGP header in frame %" G_GUINT64_FORMAT " (%s); resynchronising",
                 frame_at(d, rd, old_len, frame),
                 marker ? "length below 19" : "marker not all ones");
            d->resync = TRUE;
            d->skipped = 1;
            rd++;
            continue;
        }
        if (avail < msg_len)
            break;
        emit_message(x, m, msg_len, frame_at(d, rd, old_len, frame));
        rd += msg_len;
    }
    if (rd >= old_len)
        d->buf_first_frame = frame;
    g_byte_array_remove_range(buf, 0, rd);
    if (buf->len == 0 && d->buf_peak > BUF_SHRINK_ABOVE) {
        g_byte_array_unref(buf);
        d->buf = g_byte_array_new();
        d->buf_peak = 0;
    }
}

static void deliver(ctx *x, const guint8 *data, guint32 len, guint64 frame)
{
    direction *d = x->d;
    guint old_len = d->buf->len;
    if (old_len == 0)
        d->buf_first_frame = frame;
    g_byte_array_append(d->buf, data, len);
    d->buf_peak = MAX(d->buf_peak, d->buf->len);
    d->next_seq += len;
    process(x, old_len, frame);
}

/* The bytes up to new_seq will never come: say so, drop what they break,
 * and carry on from new_seq. */
static void skip_to(ctx *x, guint32 new_seq, const char *why)
{
    direction *d = x->d;
    guint32 gap = (guint32)seq_diff(new_seq, d->next_seq);
    guint have = d->buf->len;
    const guint8 *m = d->buf->data;
    guint msg_len;
    guint8 type;
    if (!d->resync && !d->discard && header_fields(m, have, &msg_len, &type)) {
        if ((guint64)have + gap <= msg_len) {
            /* The gap falls inside a message whose length we know. */
            d->discard = msg_len - have - gap;
            note(x, "%u bytes missing %s; the %s of %u bytes begun in frame %" G_GUINT64_FORMAT
                 " is lost, continuing at the next message", gap, why, type_label(type), msg_len,
                 d->buf_first_frame);
        } else {
            d->resync = TRUE;
            note(x, "%u bytes missing %s; an unfinished %s (%u of %u bytes, begun in frame %"
                 G_GUINT64_FORMAT ") is lost; resynchronising on the next BGP header", gap, why,
                 type_label(type), have, msg_len, d->buf_first_frame);
        }
    } else if (d->discard && gap <= d->discard) {
        d->discard -= gap;
        note(x, "%u bytes missing %s, inside a message already lost", gap, why);
    } else {
        gboolean partial = !d->resync && !d->discard && have > 0;
        d->discard = 0;
        if (!d->resync)
            note(x, "%u bytes missing %s%s; resynchronising on the next BGP header", gap, why,
                 partial ? ", after the start of a message" : "");
        else
            note(x, "%u bytes missing %s while resynchronising", gap, why);
        d->resync = TRUE;
    }
    if (d->resync) {
        d->skipped = 0;
        d->mid_start = FALSE;
    }
    /* What was buffered belongs to the message the gap broke. */
    g_byte_array_set_size(d->buf, 0);
    d->next_seq = new_seq;
}

/* A segment that starts at or before next_seq. */
static void in_order(ctx *x, guint32 seq, const guint8 *data, guint32 len, guint32 claimed,
                     guint64 frame)
{
    direction *d = x->d;
    guint32 end = seq + claimed;
    if (seq_diff(end, d->next_seq) <= 0)
        return; /* all old: a retransmission */
    guint32 trim = (guint32)seq_diff(d->next_seq, seq);
    if (trim < len)
        deliver(x, data + trim, len - trim, frame);
    if (seq_diff(end, d->next_seq) > 0) {
        char why[96];
        g_snprintf(why, sizeof why, "(frame %" G_GUINT64_FORMAT " captured %u of %u payload bytes)",
                   frame, len, claimed);
        skip_to(x, end, why);
    }
}

static void pending_free(pending_segment *p)
{
    g_free(p->data);
}

static void pending_remove(ctx *x, guint i)
{
    pending_segment *p = &g_array_index(x->d->pending, pending_segment, i);
    x->d->pending_bytes -= p->len;
    x->s->pending_total -= p->len;
    pending_free(p);
    g_array_remove_index(x->d->pending, i);
}

/* Delivers waiting segments the stream has reached. */
static void drain(ctx *x, gboolean own_meta)
{
    direction *d = x->d;
    while (d->pending->len) {
        pending_segment p = g_array_index(d->pending, pending_segment, 0);
        if (seq_diff(p.seq, d->next_seq) > 0)
            break;
        /* Detach before delivering: delivery may emit events. */
        p.data = g_steal_pointer(&g_array_index(d->pending, pending_segment, 0).data);
        pending_remove(x, 0);
        const erdiag_packet_meta *saved = x->cur;
        if (own_meta)
            x->cur = &p.meta;
        in_order(x, p.seq, p.data, p.len, p.claimed, p.meta.frame);
        x->cur = saved;
        g_free(p.data);
    }
}

/* Gives up the hole before the first waiting segment. */
static void skip_to_pending(ctx *x, const char *why, gboolean own_meta)
{
    pending_segment *p = &g_array_index(x->d->pending, pending_segment, 0);
    char text[128];
    g_snprintf(text, sizeof text, "before frame %" G_GUINT64_FORMAT " (%s)", p->meta.frame, why);
    skip_to(x, p->seq, text);
    drain(x, own_meta);
}

static void hold(ctx *x, guint32 seq, const guint8 *data, guint32 len, guint32 claimed)
{
    direction *d = x->d;
    guint i = 0;
    for (; i < d->pending->len; i++) {
        pending_segment *p = &g_array_index(d->pending, pending_segment, i);
        if (p->seq == seq && p->claimed >= claimed && p->len >= len)
            return; /* a retransmission of a segment already waiting */
        if (p->seq == seq) {
            pending_remove(x, i);
            break;
        }
        if (seq_diff(p->seq, seq) > 0)
            break;
    }
    pending_segment p = { seq, claimed, len, NULL, *x->cur };
    p.data = g_malloc(MAX(len, 1));
    if (len)
        memcpy(p.data, data, len);
    g_array_insert_val(d->pending, i, p);
    d->pending_bytes += len;
    x->s->pending_total += len;
    while (d->pending->len > ERDIAG_BGP_MAX_PENDING_SEGMENTS ||
           d->pending_bytes > ERDIAG_BGP_MAX_PENDING_BYTES ||
           x->s->pending_total > ERDIAG_BGP_MAX_PENDING_BYTES_TOTAL) {
        skip_to_pending(x, "lost by the capture: the hole did not fill while later data "
                        "arrived", FALSE);
    }
}

/* ---- connections ---- */

static guint key_hash(gconstpointer k)
{
    const guint8 *b = k;
    guint32 h = 2166136261u; /* FNV-1a */
    for (gsize i = 0; i < sizeof(conn_key); i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(conn_key)) == 0;
}

static erdiag_addr clean_addr(const erdiag_addr *a)
{
    erdiag_addr c;
    memset(&c, 0, sizeof c);
    c.family = a->family;
    memcpy(c.bytes, a->bytes, a->family == 4 ? 4 : 16);
    return c;
}

/* Fills the key; returns the direction index of src -> dst. */
static guint make_key(const erdiag_tcp_ev *t, conn_key *k)
{
    memset(k, 0, sizeof *k);
    erdiag_addr s = clean_addr(&t->src), d = clean_addr(&t->dst);
    int cmp = memcmp(&s, &d, sizeof s);
    if (cmp < 0 || (cmp == 0 && t->sport <= t->dport)) {
        k->a = s, k->b = d, k->port_a = t->sport, k->port_b = t->dport;
        return 0;
    }
    k->a = d, k->b = s, k->port_a = t->dport, k->port_b = t->sport;
    return 1;
}

static void direction_reset(direction *d, erdiag_bgp_streams *s)
{
    if (d->pending) {
        for (guint i = 0; i < d->pending->len; i++)
            pending_free(&g_array_index(d->pending, pending_segment, i));
        g_array_set_size(d->pending, 0);
    }
    s->pending_total -= d->pending_bytes;
    d->pending_bytes = 0;
    if (d->buf) {
        g_byte_array_unref(d->buf);
        d->buf = g_byte_array_new();
    }
    d->buf_peak = 0;
    d->started = d->syn_seen = d->resync = d->mid_start = d->fin = d->have_open = FALSE;
    d->skipped = 0;
    d->discard = 0;
}

static void direction_init(direction *d, const conn_key *k, guint index)
{
    d->src = index ? k->b : k->a;
    d->dst = index ? k->a : k->b;
    d->sport = index ? k->port_b : k->port_a;
    d->dport = index ? k->port_a : k->port_b;
    d->buf = g_byte_array_new();
    d->pending = g_array_new(FALSE, FALSE, sizeof(pending_segment));
}

static void connection_free(gpointer p)
{
    connection *c = p;
    for (guint i = 0; i < 2; i++) {
        if (c->dir[i].pending) {
            for (guint j = 0; j < c->dir[i].pending->len; j++)
                pending_free(&g_array_index(c->dir[i].pending, pending_segment, j));
            g_array_free(c->dir[i].pending, TRUE);
        }
        if (c->dir[i].buf)
            g_byte_array_free(c->dir[i].buf, TRUE);
    }
    g_free(c);
}

/* Everything still held becomes notes (and messages, where waiting segments
 * complete some); then the direction is empty. */
static void flush(ctx *x, const char *why, gboolean own_meta)
{
    direction *d = x->d;
    const erdiag_packet_meta *saved = x->cur;
    if (own_meta)
        x->cur = &d->last_meta;
    while (d->pending->len)
        skip_to_pending(x, why, own_meta);
    guint have = d->buf->len;
    if (d->discard) {
        note(x, "%s inside a message already lost", why);
    } else if (d->resync && (d->skipped || have)) {
        note(x, "%s: no BGP header in the last %" G_GUINT64_FORMAT " bytes", why,
             d->skipped + have);
    } else if (!d->resync && have) {
        guint msg_len;
        guint8 type;
        if (header_fields(d->buf->data, have, &msg_len, &type))
            note(x, "%s inside %s %s: %u of %u bytes, begun in frame %" G_GUINT64_FORMAT, why,
                 type == ERDIAG_BGP_OPEN || type == ERDIAG_BGP_UPDATE ? "an" : "a",
                 type_label(type), have, msg_len, d->buf_first_frame);
        else
            note(x, "%s inside a BGP header: %u of 19 bytes, begun in frame %" G_GUINT64_FORMAT,
                 why, have, d->buf_first_frame);
    }
    x->cur = saved;
    g_byte_array_set_size(d->buf, 0);
    d->discard = 0;
    d->skipped = 0;
}

/* RST, FIN both ways, eviction, end of input: notes for what is left, then
 * only the tombstone stays (it ignores late retransmissions). A reset alone
 * does not close: see erdiag_bgp_streams_segment(). */
static void close_connection(ctx *x, const char *why, gboolean own_meta)
{
    connection *c = x->c;
    direction *d = x->d, *other = x->other;
    for (guint i = 0; i < 2; i++) {
        x->d = &c->dir[i];
        x->other = &c->dir[1 - i];
        if (x->d->started)
            flush(x, why, own_meta);
    }
    x->d = d;
    x->other = other;
    for (guint i = 0; i < 2; i++)
        direction_reset(&c->dir[i], x->s);
    c->closed = TRUE;
}

static connection *lookup(erdiag_bgp_streams *s, const conn_key *k, gboolean create,
                          erdiag_event_sink sink, gpointer user)
{
    connection *c = g_hash_table_lookup(s->conns, k);
    if (c) {
        g_queue_unlink(&s->lru, c->lru_link);
        g_queue_push_head_link(&s->lru, c->lru_link);
        return c;
    }
    if (!create)
        return NULL;
    if (s->lru.length >= ERDIAG_BGP_MAX_STREAMS) {
        connection *old = g_queue_peek_tail(&s->lru);
        ctx x = { s, old, &old->dir[0], &old->dir[1], &old->dir[0].last_meta, sink, user };
        if (!old->closed)
            close_connection(&x, "dropped (too many BGP connections tracked)", TRUE);
        g_queue_delete_link(&s->lru, old->lru_link);
        g_hash_table_remove(s->conns, &old->key);
    }
    c = g_new0(connection, 1);
    c->key = *k;
    direction_init(&c->dir[0], k, 0);
    direction_init(&c->dir[1], k, 1);
    g_queue_push_head(&s->lru, c);
    c->lru_link = s->lru.head;
    g_hash_table_insert(s->conns, &c->key, c);
    return c;
}

erdiag_bgp_streams *erdiag_bgp_streams_new(void)
{
    erdiag_bgp_streams *s = g_new0(erdiag_bgp_streams, 1);
    s->conns = g_hash_table_new_full(key_hash, key_equal, NULL, connection_free);
    g_queue_init(&s->lru);
    s->decoded = erdiag_bgp_decoded_new();
    s->note = g_string_new(NULL);
    return s;
}

void erdiag_bgp_streams_free(erdiag_bgp_streams *s)
{
    if (!s)
        return;
    g_queue_clear(&s->lru);
    g_hash_table_destroy(s->conns);
    erdiag_bgp_decoded_free(s->decoded);
    g_string_free(s->note, TRUE);
    g_free(s);
}

void erdiag_bgp_streams_segment(erdiag_bgp_streams *s, const erdiag_packet_meta *pkt,
                                const erdiag_tcp_ev *tcp, const guint8 *payload,
                                guint32 captured_len, erdiag_event_sink sink, gpointer user)
{
    guint8 flags = tcp->flags;
    guint32 claimed = tcp->payload_len;
    guint32 len = MIN(captured_len, claimed);
    if (!payload)
        len = 0;
    /* A bare ACK tells nothing a later data segment will not. */
    gboolean interesting =
        claimed > 0 || (flags & (ERDIAG_TCP_SYN | ERDIAG_TCP_FIN | ERDIAG_TCP_RST));
    conn_key k;
    guint di = make_key(tcp, &k);
    connection *c = lookup(s, &k, interesting, sink, user);
    if (!c || !interesting)
        return;
    ctx x = { s, c, &c->dir[di], &c->dir[1 - di], pkt, sink, user };
    direction *d = x.d;

    if (flags & ERDIAG_TCP_RST) {
        /* A reset ends the connection for its receiver, but not necessarily
         * for the capture: a spoofed or misdirected reset (a duplicate
         * address on the link) leaves the real peers talking on, in
         * sequence. Keep the sequence state, so their messages are read on
         * and old bytes are still recognised as retransmissions; a new SYN
         * or the end of input closes it. */
        return;
    }
    guint32 seq = tcp->seq;
    if (flags & ERDIAG_TCP_SYN) {
        /* The same SYN again (a retransmission, even one carrying other
         * bytes) changes nothing; another initial sequence number starts over. */
        gboolean same_syn = !c->closed && d->syn_seen && d->isn == seq;
        if (!same_syn) {
            if (c->closed || !(flags & ERDIAG_TCP_ACK)) {
                /* An active open: a new connection on this 4-tuple. */
                if (!c->closed && (c->dir[0].started || c->dir[1].started))
                    close_connection(&x, "connection replaced by a new SYN", FALSE);
                direction_reset(&c->dir[0], s);
                direction_reset(&c->dir[1], s);
                c->closed = FALSE;
            } else {
                direction_reset(d, s);
            }
            d->started = d->syn_seen = TRUE;
            d->isn = seq;
            d->next_seq = seq + 1;
        }
        seq += 1; /* data on a SYN (TCP Fast Open) follows the SYN's number */
    }
    if (c->closed)
        return;
    d->last_meta = *pkt;
    if (!d->started) {
        /* Mid-connection start: trust this segment's position, not its
         * content, until a header turns up. */
        d->started = TRUE;
        d->next_seq = seq;
        d->resync = d->mid_start = TRUE;
    }
    if (claimed > 0) {
        gint32 ahead = seq_diff(seq, d->next_seq);
        if (ahead > 0 && (guint32)ahead > ERDIAG_BGP_MAX_AHEAD) {
            char why[96];
            g_snprintf(why, sizeof why, "before frame %" G_GUINT64_FORMAT " (lost by the capture)",
                       pkt->frame);
            skip_to(&x, seq, why);
            ahead = 0;
        }
        if (ahead > 0)
            hold(&x, seq, payload, len, claimed);
        else
            in_order(&x, seq, payload, len, claimed, pkt->frame);
        drain(&x, FALSE);
    }
    if (flags & ERDIAG_TCP_FIN) {
        d->fin = TRUE;
        if (x.other->fin)
            close_connection(&x, "connection closed", FALSE);
    }
}

void erdiag_bgp_streams_finish(erdiag_bgp_streams *s, erdiag_event_sink sink, gpointer user)
{
    /* Oldest first, so the notes come in a stable order. */
    for (GList *l = s->lru.tail; l; l = l->prev) {
        connection *c = l->data;
        if (c->closed)
            continue;
        ctx x = { s, c, &c->dir[0], &c->dir[1], &c->dir[0].last_meta, sink, user };
        close_connection(&x, "capture ends", TRUE);
    }
}

guint erdiag_bgp_streams_count(const erdiag_bgp_streams *s)
{
    return g_hash_table_size(s->conns);
}

gsize erdiag_bgp_streams_bytes_held(const erdiag_bgp_streams *s)
{
    gsize total = 0;
    for (GList *l = s->lru.head; l; l = l->next) {
        const connection *c = l->data;
        for (guint i = 0; i < 2; i++)
            total += c->dir[i].buf->len + c->dir[i].pending_bytes;
    }
    return total;
}
