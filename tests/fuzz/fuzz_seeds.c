/* Cuts captures into seed inputs for the fuzz targets, in each target's
 * input format (see the comment at the top of each fuzz_<target>.c).
 *
 * Usage: fuzz_seeds OUTDIR CAPTURE...
 * Writes OUTDIR/<target>/<sha1 of the input>, so repeated frames collapse
 * into one file. Per capture: the whole file (pipeline), each frame (link),
 * its ARP or ND message (arp), IP packet (ip), TCP segment (tcp), every BGP
 * message found whole inside a port-179 segment (bgp_decode), and the
 * port-179 segments of its first two connections as one record sequence
 * (bgp_stream). A development tool: not built into the default tree. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "capture_reader.h"
#include "decoder.h"
#include "fuzz_bgp_stream.h"
#include "ip.h"
#include "link.h"
#include "tcp.h"

#define MAX_PIPELINE_SEED (1024 * 1024)
#define MAX_STREAM_SEED (256 * 1024)

static const char *outdir;
static guint written;

static void write_seed(const char *target, const guint8 *data, gsize len)
{
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1, data, len);
    char *dir = g_build_filename(outdir, target, NULL);
    g_mkdir_with_parents(dir, 0755);
    char *path = g_build_filename(dir, sum, NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        GError *err = NULL;
        if (!g_file_set_contents(path, (const char *)data, (gssize)len, &err)) {
            fprintf(stderr, "fuzz_seeds: %s\n", err->message);
            g_error_free(err);
        } else {
            written++;
        }
    }
    g_free(path);
    g_free(dir);
    g_free(sum);
}

/* One selector byte (or two) in front of a payload. */
static void write_prefixed(const char *target, const guint8 *prefix, gsize plen, const guint8 *p, gsize len)
{
    GByteArray *a = g_byte_array_new();
    g_byte_array_append(a, prefix, (guint)plen);
    g_byte_array_append(a, p, (guint)len);
    write_seed(target, a->data, a->len);
    g_byte_array_free(a, TRUE);
}

/* Whole BGP messages inside one segment's payload. */
static void bgp_messages(const guint8 *p, gsize len)
{
    static const guint8 marker[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    gsize off = 0;
    while (len - off >= 19) {
        if (memcmp(p + off, marker, 16) != 0) {
            off++;
            continue;
        }
        gsize mlen = (gsize)(p[off + 16] << 8 | p[off + 17]);
        if (mlen < 19 || mlen > len - off) {
            off++;
            continue;
        }
        guint8 hints = 0x03; /* 4-byte ASNs, known: what the captures negotiate */
        write_prefixed("bgp_decode", &hints, 1, p + off, mlen);
        off += mlen;
    }
}

/* Port-179 segments as bgp_stream records, mirroring the target's sequence
 * bookkeeping so the offsets come out as in the capture. */
typedef struct {
    erdiag_addr a, b;
    guint16 pa, pb;
} conn_id;

typedef struct {
    conn_id conns[2];
    guint n_conns;
    gboolean started[8];
    guint32 base[8];   /* first sequence number seen, per direction */
    guint32 next[8];   /* the target's idea of the next byte */
    gint64 last_ts;
    GByteArray *out;
} stream_seed;

static int conn_index(stream_seed *s, const erdiag_tcp_ev *t)
{
    for (guint i = 0; i < s->n_conns; i++) {
        const conn_id *c = &s->conns[i];
        if ((erdiag_addr_equal(&c->a, &t->src) && erdiag_addr_equal(&c->b, &t->dst) && c->pa == t->sport &&
             c->pb == t->dport) ||
            (erdiag_addr_equal(&c->a, &t->dst) && erdiag_addr_equal(&c->b, &t->src) && c->pa == t->dport &&
             c->pb == t->sport))
            return (int)i;
    }
    if (s->n_conns == 2)
        return -1;
    conn_id *c = &s->conns[s->n_conns];
    c->a = t->src, c->b = t->dst, c->pa = t->sport, c->pb = t->dport;
    return (int)s->n_conns++;
}

static void stream_record(stream_seed *s, const erdiag_tcp_ev *t, const guint8 *payload, guint32 captured,
                          gint64 ts)
{
    int conn = conn_index(s, t);
    if (conn < 0 || s->out->len > MAX_STREAM_SEED)
        return;
    gboolean reverse = t->sport != 179, v6 = t->src.family == 6;
    guint flags = (reverse ? FUZZ_SEG_REVERSE : 0) | (conn ? FUZZ_SEG_CONN2 : 0) | (v6 ? FUZZ_SEG_IPV6 : 0);
    if (t->flags & ERDIAG_TCP_SYN)
        flags |= FUZZ_SEG_SYN;
    if (t->flags & ERDIAG_TCP_FIN)
        flags |= FUZZ_SEG_FIN;
    if (t->flags & ERDIAG_TCP_RST)
        flags |= FUZZ_SEG_RST;
    if (!(t->flags & ERDIAG_TCP_ACK))
        flags |= FUZZ_SEG_NO_ACK;
    guint i = (v6 ? 4 : 0) + (guint)conn * 2 + (reverse ? 1 : 0);
    if (!s->started[i]) {
        s->started[i] = TRUE;
        s->base[i] = t->seq;
        s->next[i] = reverse ? 0xfffff000u : 0xffffff00u;
    }
    guint32 start = reverse ? 0xfffff000u : 0xffffff00u;
    guint32 target_seq = start + (t->seq - s->base[i]);
    gint32 diff = (gint32)(target_seq - s->next[i]);
    gint16 seq_off = (gint16)CLAMP(diff, G_MININT16, G_MAXINT16);
    guint32 claimed = MIN(t->payload_len, 65535u);
    guint32 cap = MIN(captured, claimed);
    gint64 dt = s->last_ts ? (ts - s->last_ts) / 1000 : 0;
    s->last_ts = ts;
    guint8 h[FUZZ_SEG_HEADER] = { (guint8)flags, (guint8)((guint16)seq_off >> 8), (guint8)seq_off,
                                  (guint8)(claimed >> 8), (guint8)claimed, (guint8)CLAMP(dt, 0, 255) };
    g_byte_array_append(s->out, h, sizeof h);
    g_byte_array_append(s->out, payload, cap);
    /* The target advances by the sequence offset it was given. */
    guint32 end = s->next[i] + (guint32)(gint32)seq_off + claimed + ((t->flags & ERDIAG_TCP_SYN) ? 1 : 0) +
          ((t->flags & ERDIAG_TCP_FIN) ? 1 : 0);
    if ((gint32)(end - s->next[i]) > 0)
        s->next[i] = end;
}

static void frame_seeds(stream_seed *ss, int linktype, const guint8 *data, const erdiag_packet_meta *in)
{
    guint8 sel = linktype == ERDIAG_LINKTYPE_ETHERNET ? 0 : linktype == ERDIAG_LINKTYPE_LINUX_SLL ? 1 : 2;
    guint8 link_prefix[2] = { sel, in->cap_len < in->wire_len };
    write_prefixed("link", link_prefix, 2, data, in->cap_len);

    erdiag_packet_meta meta = *in;
    erdiag_link_result lr = erdiag_link_decode(linktype, data, in->cap_len, &meta);
    if (lr.status != ERDIAG_LINK_OK)
        return;
    const guint8 *p = data + lr.payload_off;
    gsize len = in->cap_len - lr.payload_off;
    if (lr.ethertype == ERDIAG_ETHERTYPE_ARP) {
        guint8 mode = 0;
        write_prefixed("arp", &mode, 1, p, len);
        return;
    }
    if (lr.ethertype != ERDIAG_ETHERTYPE_IPV4 && lr.ethertype != ERDIAG_ETHERTYPE_IPV6)
        return;
    guint8 v6 = lr.ethertype == ERDIAG_ETHERTYPE_IPV6;
    write_prefixed("ip", &v6, 1, p, len);
    erdiag_ip_info ip;
    char *note = NULL;
    if (erdiag_ip_decode(lr.ethertype, p, len, &ip, &note) != ERDIAG_IP_OK || !ip.has_l4) {
        g_free(note);
        return;
    }
    if (ip.proto == 58 && ip.l4_captured > 0 && (ip.l4[0] == 135 || ip.l4[0] == 136)) {
        guint8 mode = 1 | 2;
        write_prefixed("arp", &mode, 1, ip.l4, ip.l4_captured);
    }
    if (ip.proto != ERDIAG_IPPROTO_TCP)
        return;
    guint8 l4_len[2] = { (guint8)(MIN(ip.l4_len, 65535u) >> 8), (guint8)MIN(ip.l4_len, 65535u) };
    write_prefixed("tcp", l4_len, 2, ip.l4, ip.l4_captured);
    erdiag_tcp_ev t;
    const guint8 *payload;
    guint32 captured;
    erdiag_tcp_status st = erdiag_tcp_decode(&ip, &t, &payload, &captured, &note);
    g_free(note);
    if (st != ERDIAG_TCP_DECODED && st != ERDIAG_TCP_DECODED_WITH_NOTE)
        return;
    if (t.sport != 179 && t.dport != 179)
        return;
    bgp_messages(payload, captured);
    stream_record(ss, &t, payload, captured, in->ts_us);
}

static void capture_seeds(const char *path)
{
    gchar *contents = NULL;
    gsize len = 0;
    if (g_file_get_contents(path, &contents, &len, NULL) && len <= MAX_PIPELINE_SEED)
        write_seed("pipeline", (const guint8 *)contents, len);
    g_free(contents);

    GError *err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
    if (r == NULL) {
        fprintf(stderr, "fuzz_seeds: %s\n", err->message);
        g_error_free(err);
        return;
    }
    stream_seed ss;
    memset(&ss, 0, sizeof ss);
    ss.out = g_byte_array_new();
    int linktype;
    erdiag_packet_meta meta;
    const guint8 *data;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err))
        if (erdiag_decoder_linktype_supported(linktype))
            frame_seeds(&ss, linktype, data, &meta);
    g_clear_error(&err);
    erdiag_capture_reader_close(r);
    if (ss.out->len > 0)
        write_seed("bgp_stream", ss.out->data, ss.out->len);
    g_byte_array_free(ss.out, TRUE);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fuzz_seeds OUTDIR CAPTURE...\n");
        return 2;
    }
    outdir = argv[1];
    for (int i = 2; i < argc; i++)
        capture_seeds(argv[i]);
    printf("%u seed files written under %s\n", written, outdir);
    return 0;
}
