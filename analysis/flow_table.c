/* The data plane's flow table (flow_table.h). */
#include "flow_table.h"
#include "flow_pool.h"

/* The flows found last, one per slot by key hash: most packets belong to a
 * flow that sent one a moment ago, and finding it here skips the hash
 * table's lookup (its hashing and comparing through callbacks). Fixed
 * size, direct-mapped: a miss only costs the lookup it would have saved. */
#define RECENT_BITS 14

struct flow_table {
    GHashTable *flows;        /* flow_key* -> flow* (the key inside the flow) */
    flow_pool *pool;          /* their memory */
    flow *recent[1u << RECENT_BITS];
    /* Every flow, in the order it was queued: a packet only stamps its
     * flow's last_ts (moving it in the queue per packet cost more than the
     * lookup); a flow found at the head with packets since it was queued
     * gets a second chance at the tail instead of leaving. */
    GQueue lru;
    guint max_flows;
    flow_retire_fn retire;
    gpointer user;
};

static guint key_hash(gconstpointer p)
{
    return ((const flow_key *)p)->hash;
}

/* A packet's two ends in key order, and the key's hash, without building
 * the key itself: a packet whose flow is in the recent slots is matched
 * against it field by field. */
typedef struct {
    const erdiag_addr *lo, *hi;
    /* words, not the key's narrow fields: narrow stores read back as one
     * wide load stall the pipeline (it showed in profiles) */
    guint32 lo_port, hi_port, proto, hash;
    guint32 family;           /* of both ends, FAMILY_MIXED when they differ */
    guint32 lo_v4, hi_v4;     /* the ends' first four bytes */
} key_view;

/* flow.family of a key whose ends differ in family (never an IP packet's,
 * but a key must not assume it): compared in full, in key. */
#define FAMILY_MIXED 0xffu

static inline gboolean key_matches(const flow_key *k, const key_view *v)
{
    return k->hash == v->hash && k->lo_port == v->lo_port && k->hi_port == v->hi_port && k->proto == v->proto
        && flow_same_addr(&k->lo, v->lo) && flow_same_addr(&k->hi, v->hi);
}

/* key_matches() on the flow's first cache line for IPv4: only an IPv6
 * (or mixed) key reads key. */
static inline gboolean flow_matches(const flow *f, const key_view *v)
{
    if (f->hash != v->hash || f->lo_port != v->lo_port || f->hi_port != v->hi_port || f->proto != v->proto
        || f->family != v->family)
        return FALSE;
    if (v->family == 4)
        return f->lo_v4 == v->lo_v4 && f->hi_v4 == v->hi_v4;
    return flow_same_addr(&f->key.lo, v->lo) && flow_same_addr(&f->key.hi, v->hi);
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const flow_key *y = b;
    key_view v = {&y->lo, &y->hi, y->lo_port, y->hi_port, y->proto, y->hash, 0, 0, 0};
    return key_matches(a, &v);
}

static guint recent_slot(guint32 hash)
{
    return (hash * 2654435761u) >> (32 - RECENT_BITS); /* Fibonacci hashing */
}

#ifndef G_ALWAYS_INLINE /* GLib 2.74 */
#define G_ALWAYS_INLINE
#endif

/* The ends of a packet a:ap -> b:bp in key order; *a_is_lo says which end
 * came first. Always inline: as a call, its result went through memory,
 * which cost more than the rest of the lookup. */
G_ALWAYS_INLINE static inline key_view view_key(guint8 proto, const erdiag_addr *a, const erdiag_addr *b, guint16 ap, guint16 bp,
                                gboolean *a_is_lo)
{
    /* only the family's own bytes count, as in flow_same_addr(); IPv4 as
     * one big-endian word (a memcmp call per packet shows in profiles) */
    int c;
    guint32 x, y;
    memcpy(&x, a->bytes, 4);
    memcpy(&y, b->bytes, 4);
    if (a->family != b->family) {
        c = a->family < b->family ? -1 : 1;
    } else if (a->family == 4) {
        guint32 hx = GUINT32_FROM_BE(x), hy = GUINT32_FROM_BE(y);
        c = hx < hy ? -1 : hx > hy;
    } else {
        c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
    }
    *a_is_lo = c < 0 || (c == 0 && ap <= bp);
    guint32 family = a->family == b->family ? a->family : FAMILY_MIXED;
    key_view v = *a_is_lo ? (key_view){a, b, ap, bp, proto, 0, family, x, y}
                          : (key_view){b, a, bp, ap, proto, 0, family, y, x};
    guint32 h = flow_addr_word(v.lo) * 2654435761u;
    h ^= flow_addr_word(v.hi) + 0x9e3779b9u + (h << 6) + (h >> 2);
    v.hash = h ^ (v.lo_port << 16 | v.hi_port) ^ v.proto;
    return v;
}

static flow_key key_of(const key_view *v)
{
    return (flow_key){*v->lo, *v->hi, (guint16)v->lo_port, (guint16)v->hi_port, (guint8)v->proto, v->hash};
}

static void flow_free(flow_table *t, flow *f)
{
    if (f->pending_queue)
        g_queue_unlink(f->pending_queue, &f->pending);
    g_free(f->azure);
    g_free(f->row.detail);
    flow_pool_release(t->pool, f);
}

flow_table *flow_table_new(guint max_flows, flow_retire_fn retire, gpointer user)
{
    flow_table *t = g_new0(flow_table, 1);
    t->flows = g_hash_table_new(key_hash, key_equal);
    g_queue_init(&t->lru);
    t->max_flows = MAX(max_flows, 1u);
    t->pool = flow_pool_new(sizeof(flow), t->max_flows);
    t->retire = retire;
    t->user = user;
    return t;
}

void flow_table_free(flow_table *t)
{
    if (!t)
        return;
    for (GList *it = t->lru.head, *next; it; it = next) {
        next = it->next;
        flow_free(t, it->data);
    }
    g_hash_table_destroy(t->flows);
    flow_pool_free(t->pool);
    g_free(t);
}

guint flow_table_size(const flow_table *t)
{
    return g_hash_table_size(t->flows);
}

flow *flow_table_find(flow_table *t, guint8 proto, const erdiag_addr *src, const erdiag_addr *dst,
                      guint16 sport, guint16 dport, int *dir)
{
    gboolean src_is_lo;
    key_view v = view_key(proto, src, dst, sport, dport, &src_is_lo);
    flow **recent = &t->recent[recent_slot(v.hash)];
    flow *f = *recent;
    if (!f || !flow_matches(f, &v)) {
        flow_key k = key_of(&v);
        f = g_hash_table_lookup(t->flows, &k);
        if (f)
            *recent = f;
    }
    if (f)
        *dir = src_is_lo == f->initiator_is_lo ? 0 : 1;
    return f;
}

static void retire(flow_table *t, flow *f)
{
    g_queue_unlink(&t->lru, &f->lru);
    t->retire(f, t->user);
    flow **recent = &t->recent[recent_slot(f->key.hash)];
    if (*recent == f)
        *recent = NULL;
    g_hash_table_remove(t->flows, &f->key);
    flow_free(t, f);
}

/* The head, moved to the tail (second chance) while it had packets since
 * it was queued; at most one pass over the queue. */
static flow *oldest(flow_table *t)
{
    for (guint n = t->lru.length; n > 0 && t->lru.head; n--) {
        flow *f = t->lru.head->data;
        if (f->last_ts_us <= f->queued_ts_us)
            return f;
        f->queued_ts_us = f->last_ts_us;
        g_queue_unlink(&t->lru, &f->lru);
        g_queue_push_tail_link(&t->lru, &f->lru);
    }
    return t->lru.head ? t->lru.head->data : NULL;
}

flow *flow_table_add(flow_table *t, guint8 proto, const erdiag_addr *src, const erdiag_addr *dst, guint16 sport,
                     guint16 dport, guint64 frame, gint64 ts_us)
{
    flow *old;
    if (g_hash_table_size(t->flows) >= t->max_flows && (old = oldest(t)))
        retire(t, old);
    flow *f = flow_pool_alloc0(t->pool); /* never NULL: the table holds fewer than max_flows now */
    gboolean src_is_lo;
    key_view v = view_key(proto, src, dst, sport, dport, &src_is_lo);
    f->initiator_is_lo = src_is_lo;
    f->key = key_of(&v);
    f->hash = v.hash;
    f->lo_port = (guint16)v.lo_port;
    f->hi_port = (guint16)v.hi_port;
    f->proto = proto;
    f->family = (guint8)v.family;
    if (v.family == 4) {
        f->lo_v4 = v.lo_v4;
        f->hi_v4 = v.hi_v4;
    }
    f->row.src = *src;
    f->row.dst = *dst;
    f->row.sport = sport;
    f->row.dport = dport;
    f->row.proto = proto;
    f->row.first_frame = frame;
    f->row.first_ts_us = ts_us;
    f->last_ts_us = ts_us;
    f->queued_ts_us = ts_us;
    f->lru.data = f;
    f->pending.data = f;
    g_queue_push_tail_link(&t->lru, &f->lru);
    g_hash_table_insert(t->flows, &f->key, f);
    t->recent[recent_slot(f->key.hash)] = f;
    return f;
}

void flow_table_touch(flow_table *t, flow *f, gint64 ts_us)
{
    (void)t;
    f->last_ts_us = ts_us;
}

void flow_table_expire(flow_table *t, gint64 before)
{
    flow *f;
    while ((f = oldest(t)) && f->last_ts_us < before)
        retire(t, f);
}

static gint by_first_frame(gconstpointer a, gconstpointer b)
{
    const flow *x = *(flow *const *)a, *y = *(flow *const *)b;
    return x->row.first_frame < y->row.first_frame ? -1 : x->row.first_frame > y->row.first_frame;
}

void flow_table_retire_all(flow_table *t)
{
    GPtrArray *all = g_ptr_array_sized_new(g_hash_table_size(t->flows));
    for (GList *it = t->lru.head; it; it = it->next)
        g_ptr_array_add(all, it->data);
    g_ptr_array_sort(all, by_first_frame);
    for (guint i = 0; i < all->len; i++)
        retire(t, g_ptr_array_index(all, i));
    g_ptr_array_free(all, TRUE);
}

void flow_table_forget_routes(flow_table *t)
{
    for (GList *it = t->lru.head; it; it = it->next)
        ((flow *)it->data)->routes = 0;
}
