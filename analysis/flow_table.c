/* The data plane's flow table (flow_table.h). */
#include "flow_table.h"

struct flow_table {
    GHashTable *flows;        /* flow_key* -> flow* (the key inside the flow) */
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
    const flow_key *k = p;
    guint32 h = flow_addr_word(&k->lo) * 2654435761u;
    h ^= flow_addr_word(&k->hi) + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h ^ ((guint32)k->lo_port << 16 | k->hi_port) ^ k->proto;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const flow_key *x = a, *y = b;
    return x->lo_port == y->lo_port && x->hi_port == y->hi_port && x->proto == y->proto
        && flow_same_addr(&x->lo, &y->lo) && flow_same_addr(&x->hi, &y->hi);
}

/* The key of a packet a:ap -> b:bp; *a_is_lo says which end came first. */
static flow_key make_key(guint8 proto, const erdiag_addr *a, const erdiag_addr *b, guint16 ap, guint16 bp,
                         gboolean *a_is_lo)
{
    /* only the family's own bytes count, as in flow_same_addr(); IPv4 as
     * one big-endian word (a memcmp call per packet shows in profiles) */
    int c;
    if (a->family != b->family) {
        c = a->family < b->family ? -1 : 1;
    } else if (a->family == 4) {
        guint32 x, y;
        memcpy(&x, a->bytes, 4);
        memcpy(&y, b->bytes, 4);
        x = GUINT32_FROM_BE(x);
        y = GUINT32_FROM_BE(y);
        c = x < y ? -1 : x > y;
    } else {
        c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
    }
    *a_is_lo = c < 0 || (c == 0 && ap <= bp);
    return *a_is_lo ? (flow_key){*a, *b, ap, bp, proto} : (flow_key){*b, *a, bp, ap, proto};
}

static void flow_free(gpointer p)
{
    flow *f = p;
    if (f->pending_queue)
        g_queue_unlink(f->pending_queue, &f->pending);
    g_free(f->azure);
    g_free(f->row.detail);
    g_free(f);
}

flow_table *flow_table_new(guint max_flows, flow_retire_fn retire, gpointer user)
{
    flow_table *t = g_new0(flow_table, 1);
    t->flows = g_hash_table_new_full(key_hash, key_equal, NULL, flow_free);
    g_queue_init(&t->lru);
    t->max_flows = MAX(max_flows, 1u);
    t->retire = retire;
    t->user = user;
    return t;
}

void flow_table_free(flow_table *t)
{
    if (!t)
        return;
    g_hash_table_destroy(t->flows);
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
    flow_key k = make_key(proto, src, dst, sport, dport, &src_is_lo);
    flow *f = g_hash_table_lookup(t->flows, &k);
    if (f)
        *dir = src_is_lo == f->initiator_is_lo ? 0 : 1;
    return f;
}

static void retire(flow_table *t, flow *f)
{
    g_queue_unlink(&t->lru, &f->lru);
    t->retire(f, t->user);
    g_hash_table_remove(t->flows, &f->key);
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
    flow *f = g_new0(flow, 1);
    f->key = make_key(proto, src, dst, sport, dport, &f->initiator_is_lo);
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
