/* Adj-RIB-In on top of the prefix index (see rib.h).
 *
 * The index maps each prefix to an entry holding that prefix's route records
 * sorted by path id (almost always one). Present counts are kept up to date
 * on every change so the count queries are O(1). */
#include "rib.h"

#include <string.h>

#include "prefix_index.h"

typedef struct {
    erdiag_route pub;            /* first, so callers get a plain erdiag_route* */
    gboolean lost_with_session;  /* not present because the session dropped */
} rib_route;

typedef struct {
    GPtrArray *routes;  /* rib_route*, ascending path id */
    guint n_present;
} rib_entry;

struct erdiag_rib {
    erdiag_prefix_index *index; /* prefix -> rib_entry */
    guint present_routes[2];    /* [0] IPv4, [1] IPv6 */
    guint present_prefixes[2];
    guint records;
    guint64 not_kept;           /* announcements of new routes past ERDIAG_RIB_MAX_RECORDS */
    guint64 first_not_kept_frame;
};

static int family_slot(guint8 family)
{
    return family == 4 ? 0 : (family == 6 ? 1 : -1);
}

static void route_free(gpointer p)
{
    rib_route *rt = p;
    g_free(rt->pub.as_path);
    g_free(rt);
}

static void entry_free(gpointer p)
{
    rib_entry *e = p;
    g_ptr_array_free(e->routes, TRUE);
    g_free(e);
}

erdiag_rib *erdiag_rib_new(void)
{
    erdiag_rib *r = g_new0(erdiag_rib, 1);
    r->index = erdiag_prefix_index_new(entry_free);
    return r;
}

void erdiag_rib_free(erdiag_rib *r)
{
    if (r == NULL)
        return;
    erdiag_prefix_index_free(r->index);
    g_free(r);
}

/* Position of path_id in e->routes, or where it would be inserted. */
static guint find_path(const rib_entry *e, guint32 path_id, gboolean *found)
{
    guint lo = 0, hi = e->routes->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        guint32 id = ((const rib_route *)g_ptr_array_index(e->routes, mid))->pub.path_id;
        if (id == path_id) {
            *found = TRUE;
            return mid;
        }
        if (id < path_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = FALSE;
    return lo;
}

/* The prefix as a key, or FALSE when it is not a usable prefix. */
static gboolean usable_prefix(const erdiag_prefix *p, erdiag_prefix *key)
{
    if (p == NULL || family_slot(p->addr.family) < 0 || p->len > erdiag_addr_bits(&p->addr))
        return FALSE;
    *key = erdiag_prefix_make(&p->addr, p->len);
    return TRUE;
}

static void set_present(erdiag_rib *r, rib_entry *e, rib_route *rt, gboolean present)
{
    if (rt->pub.present == present)
        return;
    int f = family_slot(rt->pub.prefix.addr.family);
    rt->pub.present = present;
    if (present) {
        r->present_routes[f]++;
        if (e->n_present++ == 0)
            r->present_prefixes[f]++;
    } else {
        r->present_routes[f]--;
        if (--e->n_present == 0)
            r->present_prefixes[f]--;
    }
}

/* Copies the UPDATE's attributes into rt; TRUE if any of them differed.
 * Absent attributes read as empty/zero so a route never keeps a stale value
 * from an earlier announcement. */
static gboolean set_attributes(erdiag_route *rt, const erdiag_bgp_update *u)
{
    gboolean changed = FALSE;
    erdiag_addr nh;
    memset(&nh, 0, sizeof nh);
    if (u->has_next_hop)
        nh = u->next_hop;
    if (!erdiag_addr_equal(&rt->next_hop, &nh)) {
        rt->next_hop = nh;
        changed = TRUE;
    }
    const char *path = u->has_as_path && u->as_path != NULL ? u->as_path : "";
    guint path_len = u->has_as_path ? u->as_path_length : 0;
    if (rt->as_path == NULL || strcmp(rt->as_path, path) != 0) {
        g_free(rt->as_path);
        rt->as_path = g_strdup(path);
        changed = TRUE;
    }
    if (rt->as_path_length != path_len) {
        rt->as_path_length = path_len;
        changed = TRUE;
    }
    guint32 lp = u->has_local_pref ? u->local_pref : 0;
    if (rt->has_local_pref != u->has_local_pref || rt->local_pref != lp) {
        rt->has_local_pref = u->has_local_pref;
        rt->local_pref = lp;
        changed = TRUE;
    }
    guint32 med = u->has_med ? u->med : 0;
    if (rt->has_med != u->has_med || rt->med != med) {
        rt->has_med = u->has_med;
        rt->med = med;
        changed = TRUE;
    }
    if (rt->n_communities != u->n_communities) {
        rt->n_communities = u->n_communities;
        changed = TRUE;
    }
    return changed;
}

static gboolean apply_withdraw(erdiag_rib *r, const erdiag_bgp_nlri *n, guint64 frame, gint64 ts_us)
{
    erdiag_prefix key;
    if (!usable_prefix(&n->prefix, &key))
        return FALSE;
    rib_entry *e = erdiag_prefix_index_lookup(r->index, &key);
    if (e == NULL)
        return FALSE;
    gboolean found;
    guint i = find_path(e, n->path_id, &found);
    if (!found)
        return FALSE;
    rib_route *rt = g_ptr_array_index(e->routes, i);
    if (!rt->pub.present)
        return FALSE;
    set_present(r, e, rt, FALSE);
    rt->pub.withdrawals++;
    rt->pub.change_frame = frame;
    rt->pub.change_ts_us = ts_us;
    return TRUE;
}

static gboolean apply_announce(erdiag_rib *r, const erdiag_bgp_nlri *n, const erdiag_bgp_update *u,
                               guint64 frame, gint64 ts_us)
{
    erdiag_prefix key;
    if (!usable_prefix(&n->prefix, &key))
        return FALSE;
    rib_entry *e = erdiag_prefix_index_lookup(r->index, &key);
    gboolean found = FALSE;
    guint i = e ? find_path(e, n->path_id, &found) : 0;
    if (!found && r->records >= ERDIAG_RIB_MAX_RECORDS) {
        if (r->not_kept++ == 0)
            r->first_not_kept_frame = frame;
        return FALSE;
    }
    if (e == NULL) {
        e = g_new0(rib_entry, 1);
        e->routes = g_ptr_array_new_with_free_func(route_free);
        erdiag_prefix_index_insert(r->index, &key, e);
    }
    rib_route *rt;
    gboolean changed;
    if (!found) {
        rt = g_new0(rib_route, 1);
        rt->pub.prefix = key;
        rt->pub.path_id = n->path_id;
        rt->pub.first_frame = frame;
        rt->pub.first_ts_us = ts_us;
        g_ptr_array_insert(e->routes, (gint)i, rt);
        r->records++;
        set_attributes(&rt->pub, u);
        changed = TRUE;
    } else {
        rt = g_ptr_array_index(e->routes, i);
        changed = set_attributes(&rt->pub, u);
        if (!rt->pub.present) {
            /* Back after the peer withdrew it; a return after a session drop is
             * just the new session's initial table. */
            if (!rt->lost_with_session)
                rt->pub.readvertisements++;
            changed = TRUE;
        }
    }
    rt->lost_with_session = FALSE;
    set_present(r, e, rt, TRUE);
    rt->pub.announcements++;
    rt->pub.change_frame = frame;
    rt->pub.change_ts_us = ts_us;
    return changed;
}

gboolean erdiag_rib_apply_update(erdiag_rib *r, const erdiag_bgp_update *u, guint64 frame, gint64 ts_us)
{
    if (r == NULL || u == NULL)
        return FALSE;
    gboolean changed = FALSE;
    if (u->withdrawn != NULL) {
        for (guint i = 0; i < u->n_withdrawn; i++)
            changed |= apply_withdraw(r, &u->withdrawn[i], frame, ts_us);
    }
    if (u->announced != NULL) {
        for (guint i = 0; i < u->n_announced; i++)
            changed |= apply_announce(r, &u->announced[i], u, frame, ts_us);
    }
    return changed;
}

typedef struct {
    erdiag_rib *rib;
    guint64 frame;
    gint64 ts_us;
} down_state;

static gboolean drop_entry(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)p;
    down_state *st = user;
    rib_entry *e = value;
    for (guint i = 0; i < e->routes->len && e->n_present > 0; i++) {
        rib_route *rt = g_ptr_array_index(e->routes, i);
        if (!rt->pub.present)
            continue;
        set_present(st->rib, e, rt, FALSE);
        rt->lost_with_session = TRUE;
        rt->pub.change_frame = st->frame;
        rt->pub.change_ts_us = st->ts_us;
    }
    return TRUE;
}

void erdiag_rib_session_down(erdiag_rib *r, guint64 frame, gint64 ts_us)
{
    if (r == NULL)
        return;
    down_state st = {r, frame, ts_us};
    erdiag_prefix_index_foreach(r->index, drop_entry, &st);
}

static guint per_family(const guint counts[2], int family)
{
    switch (family) {
    case 0: return counts[0] + counts[1];
    case 4: return counts[0];
    case 6: return counts[1];
    default: return 0;
    }
}

guint64 erdiag_rib_not_kept(const erdiag_rib *r, guint64 *first_frame)
{
    if (first_frame)
        *first_frame = r != NULL ? r->first_not_kept_frame : 0;
    return r != NULL ? r->not_kept : 0;
}

guint erdiag_rib_count(const erdiag_rib *r, int family)
{
    return r != NULL ? per_family(r->present_routes, family) : 0;
}

guint erdiag_rib_distinct_prefixes(const erdiag_rib *r, int family)
{
    return r != NULL ? per_family(r->present_prefixes, family) : 0;
}

guint erdiag_rib_records(const erdiag_rib *r)
{
    return r != NULL ? r->records : 0;
}

typedef struct {
    GPtrArray *out;
    gboolean include_withdrawn;
} list_state;

static gboolean list_entry(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)p;
    list_state *st = user;
    rib_entry *e = value;
    for (guint i = 0; i < e->routes->len; i++) {
        rib_route *rt = g_ptr_array_index(e->routes, i);
        if (rt->pub.present || st->include_withdrawn)
            g_ptr_array_add(st->out, &rt->pub);
    }
    return TRUE;
}

GPtrArray *erdiag_rib_routes(const erdiag_rib *r, gboolean include_withdrawn)
{
    GPtrArray *out = g_ptr_array_new();
    if (r == NULL)
        return out;
    list_state st = {out, include_withdrawn};
    erdiag_prefix_index_foreach(r->index, list_entry, &st);
    return out;
}

/* The entry's present route with the lowest path id, NULL when none. */
static const erdiag_route *first_present(const rib_entry *e)
{
    for (guint i = 0; i < e->routes->len && e->n_present > 0; i++) {
        const rib_route *rt = g_ptr_array_index(e->routes, i);
        if (rt->pub.present)
            return &rt->pub;
    }
    return NULL;
}

const erdiag_route *erdiag_rib_lookup(const erdiag_rib *r, const erdiag_prefix *p)
{
    erdiag_prefix key;
    if (r == NULL || !usable_prefix(p, &key))
        return NULL;
    const rib_entry *e = erdiag_prefix_index_lookup(r->index, &key);
    if (e == NULL || e->routes->len == 0)
        return NULL;
    const erdiag_route *rt = first_present(e);
    return rt != NULL ? rt : &((const rib_route *)g_ptr_array_index(e->routes, 0))->pub;
}

const erdiag_route *erdiag_rib_lookup_path(const erdiag_rib *r, const erdiag_prefix *p, guint32 path_id)
{
    erdiag_prefix key;
    if (r == NULL || !usable_prefix(p, &key))
        return NULL;
    const rib_entry *e = erdiag_prefix_index_lookup(r->index, &key);
    if (e == NULL)
        return NULL;
    gboolean found;
    guint i = find_path(e, path_id, &found);
    return found ? &((const rib_route *)g_ptr_array_index(e->routes, i))->pub : NULL;
}

static gboolean remember_present(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)p;
    const erdiag_route **best = user;
    const erdiag_route *rt = first_present(value);
    /* Covering prefixes arrive shortest first: the last present one wins. */
    if (rt != NULL)
        *best = rt;
    return TRUE;
}

const erdiag_route *erdiag_rib_covering_addr(const erdiag_rib *r, const erdiag_addr *a)
{
    if (r == NULL || a == NULL || family_slot(a->family) < 0)
        return NULL;
    /* Not longest_match: the longest stored prefix may be withdrawn history. */
    erdiag_prefix host = erdiag_prefix_make(a, erdiag_addr_bits(a));
    const erdiag_route *best = NULL;
    erdiag_prefix_index_foreach_covering(r->index, &host, remember_present, &best);
    return best;
}

typedef struct {
    void (*cb)(const erdiag_route *rt, gpointer user);
    gpointer user;
    guint skip_len; /* covering walk: skip the prefix itself (the covered walk has it) */
    gboolean skip;
} overlap_state;

static gboolean visit_present(const erdiag_prefix *p, gpointer value, gpointer user)
{
    overlap_state *st = user;
    rib_entry *e = value;
    if (st->skip && p->len == st->skip_len)
        return TRUE;
    for (guint i = 0; i < e->routes->len; i++) {
        rib_route *rt = g_ptr_array_index(e->routes, i);
        if (rt->pub.present)
            st->cb(&rt->pub, st->user);
    }
    return TRUE;
}

void erdiag_rib_foreach_overlapping(const erdiag_rib *r, const erdiag_prefix *p,
                                    void (*cb)(const erdiag_route *rt, gpointer user), gpointer user)
{
    erdiag_prefix key;
    if (r == NULL || cb == NULL || !usable_prefix(p, &key))
        return;
    /* Strict supernets first (shorter, so earlier in prefix order), then p
     * and everything inside it. */
    overlap_state st = {cb, user, key.len, TRUE};
    erdiag_prefix_index_foreach_covering(r->index, &key, visit_present, &st);
    st.skip = FALSE;
    erdiag_prefix_index_foreach_covered(r->index, &key, visit_present, &st);
}
