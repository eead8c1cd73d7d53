/* The data plane's flow table: every conversation crossing the peering
 * (TCP, UDP, ICMP echo), found by its 5-tuple from either direction, kept
 * in least-recently-used order and bounded by max-flows. A flow leaves the
 * table (idle, evicted, or at the capture's end) as a row of its first
 * link's flows table. */
#ifndef ERDIAG_FLOW_TABLE_H
#define ERDIAG_FLOW_TABLE_H

#include <string.h>
#include "engine_internal.h"

/* Requests (SYNs, echo requests) a flow keeps as evidence until judged;
 * later ones only count. */
#define FLOW_REQUEST_FRAMES 8

/* The two ends in a fixed order (the lower address, then port, first), so
 * that a packet finds its flow from either direction with one lookup. */
typedef struct {
    erdiag_addr lo, hi;
    guint16 lo_port, hi_port;
    guint8 proto;
    guint32 hash;             /* of the above, computed once as the key is made */
} flow_key;

/* flow.routes: the routes' answers about the flow's ends (0: key.lo, 1:
 * key.hi), each with a bit saying it is known. */
#define FLOW_AZURE_KNOWN(end) (0x01u << (end))
#define FLOW_AZURE(end) (0x04u << (end))
#define FLOW_ONPREM_KNOWN(end) (0x10u << (end))
#define FLOW_ONPREM(end) (0x40u << (end))
#define FLOW_AZURE_BITS 0x0fu
#define FLOW_ONPREM_BITS 0xf0u

typedef struct flow {
    /* The first cache line holds all that a packet of a known flow reads
     * or writes: a busy peering interleaves thousands of flows, and each
     * line a packet touches is a likely cache miss (flows are allocated on
     * a line's boundary, the cold part below stays out of the cache). The
     * ends' addresses are here for IPv4; an IPv6 key is compared in key. */
    guint32 hash;             /* key.hash */
    guint16 lo_port, hi_port; /* key's */
    guint8 proto, family;     /* key's: family of both ends */
    guint8 initiator_is_lo;   /* the initiator is key.lo (row.src) */
    guint8 answered;          /* the responder answered (SYN-ACK, echo reply, any UDP back) */
    guint8 routes;            /* FLOW_AZURE... bits, valid for route_stamp[] */
    guint32 link_no[2];       /* link_impl.no of row.link[] (0: none yet) */
    guint32 lo_v4, hi_v4;     /* IPv4 ends as in the packet (family 4 only) */
    /* The low 32 bits of row.packets[] and row.bytes[]: a carry goes
     * there, flows_fold() adds them up. */
    guint32 packets[2], bytes[2];
    /* The generations (+ 1, low 32 bits) of the routes from on-prem
     * [ERDIAG_CUST] and from Microsoft [ERDIAG_MSFT] that routes' answers
     * hold for; dataplane.c clears every flow's answers when they wrap. */
    guint32 route_stamp[2];
    gint64 last_ts_us;

    flow_key key;
    gboolean started;         /* its first packet opened it (SYN, echo request, UDP) */
    gboolean judged;          /* its requests timed out and its verdict was given */
    gboolean uncovered;       /* source inside no on-prem prefix (as of its last request) */
    gboolean asymmetry_reported;
    erdiag_flow_row row;      /* counts (see packets), links, verdict: what the flows table shows */
    GList lru;                /* node in the table's queue (flow_table.c) */
    gint64 queued_ts_us;      /* last_ts_us when it was (re)queued */
    GList pending;            /* node in the pending queue while a request waits */
    GQueue *pending_queue;
    gint64 request_ts_us;     /* first request: the answer's deadline runs from it */
    guint64 request_frame;
    guint32 requests;         /* SYNs / echo requests sent */
    guint64 request_frames[FLOW_REQUEST_FRAMES];
    gint64 request_ts[FLOW_REQUEST_FRAMES];
    erdiag_finding *finding;  /* the finding of its failed verdict, later requests add to it */
    char *azure;              /* what Azure's exports say of its silence (NULL without exports) */
} flow;

G_STATIC_ASSERT(G_STRUCT_OFFSET(flow, key) == 64);

typedef struct flow_table flow_table;

/* Called as a flow leaves the table, before it is freed. */
typedef void (*flow_retire_fn)(flow *f, gpointer user);

flow_table *flow_table_new(guint max_flows, flow_retire_fn retire, gpointer user);
void flow_table_free(flow_table *t);  /* without retiring */
guint flow_table_size(const flow_table *t);

/* The flow of a packet src:sport -> dst:dport; *dir = 0 when src is its
 * initiator, 1 when its responder. NULL when none. */
flow *flow_table_find(flow_table *t, guint8 proto, const erdiag_addr *src, const erdiag_addr *dst,
                      guint16 sport, guint16 dport, int *dir);

/* Which of f's ends (0: key.lo, 1: key.hi) sent a packet that
 * flow_table_find() found in direction dir. */
static inline int flow_sender_end(const flow *f, int dir)
{
    gboolean sender_is_lo = dir == 0 ? f->initiator_is_lo : !f->initiator_is_lo;
    return sender_is_lo ? 0 : 1;
}

/* A new flow opened by src (the table full: its least recently used flow
 * is retired first). */
flow *flow_table_add(flow_table *t, guint8 proto, const erdiag_addr *src, const erdiag_addr *dst, guint16 sport,
                     guint16 dport, guint64 frame, gint64 ts_us);

/* f saw a packet at ts_us: it becomes the most recently used. */
void flow_table_touch(flow_table *t, flow *f, gint64 ts_us);

/* Retires the flows idle since before `before` (oldest first). */
void flow_table_expire(flow_table *t, gint64 before);

/* Retires every flow, in first-frame order (the capture's end). */
void flow_table_retire_all(flow_table *t);

/* Forgets every flow's routes' answers (flow.routes). */
void flow_table_forget_routes(flow_table *t);

/* The significant bytes of a folded into one word (erdiag_addr_hash() goes
 * byte by byte, too slow for every packet). */
static inline guint32 flow_addr_word(const erdiag_addr *a)
{
    guint32 w[4];
    memcpy(w, a->bytes, sizeof w);
    return a->family == 6 ? w[0] ^ w[1] ^ w[2] ^ w[3] : a->family == 4 ? w[0] : 0;
}

/* erdiag_addr_equal() without the call: the bytes past the family's width do not count. */
static inline gboolean flow_same_addr(const erdiag_addr *x, const erdiag_addr *y)
{
    if (x->family != y->family)
        return FALSE;
    if (x->family == 4)
        return memcmp(x->bytes, y->bytes, 4) == 0;
    return x->family != 6 || memcmp(x->bytes, y->bytes, 16) == 0;
}

#endif
