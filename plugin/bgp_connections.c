/* What the CLI's BGP stream (dissectors/bgp_stream.c) remembers about each
 * TCP connection on port 179, apart from the bytes themselves, which epan
 * reassembles: whether the connection is open, and the OPEN each side sent.
 *
 * - The open/closed life cycle decides which messages count: nothing after
 *   FINs both ways until a new SYN, exactly as in the CLI (epan would still
 *   show such messages); a reset alone does not close it.
 * - The two OPENs give the hints (4-byte ASNs, ADD-PATH, extended messages)
 *   the shared decoder needs to judge the later messages the way the CLI's
 *   stream does; its message is the event's. */
#include "expressroute.h"

#include <string.h>

#include "bgp_decode.h"

typedef struct {
    gboolean started;          /* a SYN was seen */
    guint32 syn_seq;           /* ... with this sequence number */
    gboolean fin;
    gboolean have_open;
    erdiag_bgp_open_caps caps; /* from this direction's OPEN */
} direction;

struct er_bgp_conn {
    gboolean closed;
    direction dir[2];          /* [0] from the endpoint whose key sorts first */
};

static GHashTable *conns;      /* "a:port|b:port" (sorted) -> er_bgp_conn */
static erdiag_bgp_decoded *decoded;

void er_bgp_connections_reset(void)
{
    g_clear_pointer(&conns, g_hash_table_destroy);
    g_clear_pointer(&decoded, erdiag_bgp_decoded_free);
}

static char *endpoint(const erdiag_addr *a, guint16 port)
{
    char text[ERDIAG_ADDR_STRLEN];
    return g_strdup_printf("%s:%u", erdiag_addr_to_string(a, text), port);
}

static void direction_reset(direction *d)
{
    memset(d, 0, sizeof *d);
}

er_bgp_conn *er_bgp_conn_segment_start(const erdiag_tcp_ev *t, guint *dir)
{
    if (!conns)
        conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *src = endpoint(&t->src, t->sport);
    g_autofree char *dst = endpoint(&t->dst, t->dport);
    gboolean src_first = strcmp(src, dst) <= 0;
    g_autofree char *key = src_first ? g_strdup_printf("%s|%s", src, dst) : g_strdup_printf("%s|%s", dst, src);
    *dir = src_first ? 0 : 1;

    er_bgp_conn *c = g_hash_table_lookup(conns, key);
    if (!c) {
        c = g_new0(er_bgp_conn, 1);
        g_hash_table_insert(conns, g_steal_pointer(&key), c);
    }
    direction *d = &c->dir[*dir];
    /* A reset does not close it, as in the CLI's stream: a misdirected or
     * spoofed RST leaves the real peers talking on. */
    if (t->flags & ERDIAG_TCP_SYN) {
        gboolean new_isn = !d->started || d->syn_seq != t->seq;
        if (c->closed || (!(t->flags & ERDIAG_TCP_ACK) && new_isn)) {
            /* A new connection on this 4-tuple (an active open). */
            direction_reset(&c->dir[0]);
            direction_reset(&c->dir[1]);
            c->closed = FALSE;
        } else if (new_isn) {
            direction_reset(d);
        }
        d->started = TRUE;
        d->syn_seq = t->seq;
    }
    return c->closed ? NULL : c;
}

void er_bgp_conn_segment_end(er_bgp_conn *c, guint dir, const erdiag_tcp_ev *t)
{
    if (!c || !(t->flags & ERDIAG_TCP_FIN))
        return;
    c->dir[dir].fin = TRUE;
    if (c->dir[1 - dir].fin) {
        direction_reset(&c->dir[0]);
        direction_reset(&c->dir[1]);
        c->closed = TRUE;
    }
}

const erdiag_bgp_msg *er_bgp_conn_decode(er_bgp_conn *c, guint dir, const guint8 *bytes, guint16 len)
{
    if (!decoded)
        decoded = erdiag_bgp_decoded_new();
    direction *mine = &c->dir[dir], *theirs = &c->dir[1 - dir];
    erdiag_bgp_session_hints hints;
    memset(&hints, 0, sizeof hints);
    if (mine->have_open && theirs->have_open)
        erdiag_bgp_session_hints_from_opens(&mine->caps, &theirs->caps, &hints);
    const erdiag_bgp_msg *msg = erdiag_bgp_decode(decoded, bytes, len, &hints);
    if (msg->type == ERDIAG_BGP_OPEN) {
        mine->have_open = TRUE;
        mine->caps = *erdiag_bgp_decoded_open_caps(decoded);
    }
    return msg;
}
