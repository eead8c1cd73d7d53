/* Adj-RIB-In on top of the prefix index (see rib.h).
 *
 * The index maps each prefix to an entry holding that prefix's route records
 * sorted by path id (almost always one). Present counts are kept up to date
 * on every change so the count queries are O(1).
 *
 * Attributes live in the store, interned: an UPDATE's attribute set is
 * looked up once per UPDATE (hashing its path once), and each of its routes
 * takes a reference. Equal sets are one object, so "did the attributes
 * change" is a pointer comparison. */
#include "rib.h"

#include <string.h>

#include "prefix_index.h"

typedef struct rib_attrs rib_attrs;

typedef struct {
    erdiag_route pub;            /* first, so callers get a plain erdiag_route* */
    rib_attrs *attrs;            /* shared; pub's attribute fields are copies of it */
    gboolean lost_with_session;  /* not present because the session dropped */
} rib_route;

typedef struct {
    rib_route **routes;  /* ascending path id */
    guint len, cap;
    guint n_present;
} rib_entry;

struct erdiag_rib_store {
    grefcount refs;
    GHashTable *attrs;   /* rib_attrs*, key and value */
    guint max_records;
    guint records;       /* route records kept by all the store's RIBs */
};

/* One distinct attribute set, as BIRD's rta: everything but the prefix. */
struct rib_attrs {
    erdiag_rib_store *store;
    guint refs;
    guint hash;
    erdiag_addr next_hop;
    gboolean has_local_pref, has_med;
    guint32 local_pref, med, n_communities;
    guint as_path_length;
    char *path;          /* the whole path text */
    char *shown;         /* path, or its abbreviation (ERDIAG_RIB_PATH_SHOWN) */
    guint32 checked_as;  /* last erdiag_rib_route_path_has_as query and its answer */
    gboolean checked, has_checked_as;
};

struct erdiag_rib {
    erdiag_rib_store *store;
    erdiag_prefix_index *index; /* prefix -> rib_entry */
    guint present_routes[2];    /* [0] IPv4, [1] IPv6 */
    guint present_prefixes[2];
    guint records;
    guint64 not_kept;           /* announcements of new routes past a budget */
    guint64 first_not_kept_frame;
    gboolean store_full;        /* the store's budget, not this RIB's, stopped one */
    guint32 first_as;           /* erdiag_rib_first_as */
};

static int family_slot(guint8 family)
{
    return family == 4 ? 0 : (family == 6 ? 1 : -1);
}

/* ---- attribute sets -------------------------------------------------------- */

static guint attrs_hash(gconstpointer p)
{
    return ((const rib_attrs *)p)->hash;
}

static gboolean attrs_equal(gconstpointer pa, gconstpointer pb)
{
    const rib_attrs *a = pa, *b = pb;
    return a->hash == b->hash && erdiag_addr_equal(&a->next_hop, &b->next_hop)
           && a->has_local_pref == b->has_local_pref && a->local_pref == b->local_pref
           && a->has_med == b->has_med && a->med == b->med && a->n_communities == b->n_communities
           && a->as_path_length == b->as_path_length && strcmp(a->path, b->path) == 0;
}

/* The key of an UPDATE's attributes (path borrowed from u). Absent
 * attributes read as empty/zero so a route never keeps a stale value from
 * an earlier announcement. */
static void attrs_key(const erdiag_bgp_update *u, rib_attrs *k)
{
    memset(k, 0, sizeof *k);
    if (u->has_next_hop)
        k->next_hop = u->next_hop;
    k->has_local_pref = u->has_local_pref;
    k->local_pref = u->has_local_pref ? u->local_pref : 0;
    k->has_med = u->has_med;
    k->med = u->has_med ? u->med : 0;
    k->n_communities = u->n_communities;
    k->as_path_length = u->has_as_path ? u->as_path_length : 0;
    k->path = (char *)(u->has_as_path && u->as_path != NULL ? u->as_path : "");
    guint h = g_str_hash(k->path);
    h = h * 31 + erdiag_addr_hash(&k->next_hop);
    h = h * 31 + (k->has_local_pref ? k->local_pref + 1 : 0);
    h = h * 31 + (k->has_med ? k->med + 1 : 0);
    h = h * 31 + k->n_communities;
    k->hash = h * 31 + k->as_path_length;
}

/* The path as shown: cut at an ASN boundary, the ASNs left out counted.
 * NULL when it is short enough to show whole. */
static char *abbreviate_path(const char *path)
{
    gsize len = strlen(path);
    if (len <= ERDIAG_RIB_PATH_SHOWN)
        return NULL;
    gsize cut = ERDIAG_RIB_PATH_SHOWN;
    while (cut > 0 && path[cut] != ' ' && path[cut] != ',')
        cut--;
    if (cut == 0)
        cut = ERDIAG_RIB_PATH_SHOWN; /* no separator at all: cut anyway */
    guint more = 0;
    gboolean in_number = FALSE;
    for (const char *c = path + cut; *c; c++) {
        gboolean digit = g_ascii_isdigit(*c);
        more += digit && !in_number;
        in_number = digit;
    }
    return g_strdup_printf("%.*s ... (+%u more)", (int)cut, path, more);
}

static rib_attrs *attrs_lookup(erdiag_rib_store *s, const erdiag_bgp_update *u)
{
    rib_attrs key;
    attrs_key(u, &key);
    rib_attrs *a = g_hash_table_lookup(s->attrs, &key);
    if (a != NULL) {
        a->refs++;
        return a;
    }
    a = g_new(rib_attrs, 1);
    *a = key;
    a->store = s;
    a->refs = 1;
    a->path = g_strdup(key.path);
    char *abbr = abbreviate_path(a->path);
    a->shown = abbr != NULL ? abbr : a->path;
    g_hash_table_add(s->attrs, a);
    return a;
}

static void attrs_unref(rib_attrs *a)
{
    if (a == NULL || --a->refs > 0)
        return;
    g_hash_table_remove(a->store->attrs, a);
    if (a->shown != a->path)
        g_free(a->shown);
    g_free(a->path);
    g_free(a);
}

/* Points rt at a (a reference is taken); TRUE if that changed its attributes. */
static gboolean set_attributes(rib_route *rt, rib_attrs *a)
{
    if (rt->attrs == a)
        return FALSE;
    a->refs++;
    attrs_unref(rt->attrs);
    rt->attrs = a;
    erdiag_route *p = &rt->pub;
    p->next_hop = a->next_hop;
    p->as_path = a->shown;
    p->as_path_length = a->as_path_length;
    p->has_local_pref = a->has_local_pref;
    p->local_pref = a->local_pref;
    p->has_med = a->has_med;
    p->med = a->med;
    p->n_communities = a->n_communities;
    return TRUE;
}

/* Whether the digits of asn appear as a whole number in the path text
 * (sequence, set and confederation members alike). */
gboolean erdiag_as_path_next(const char **p, guint32 *as)
{
    const char *s = *p;
    while (*s && !g_ascii_isdigit(*s))
        s++;
    if (!*s) {
        *p = s;
        return FALSE;
    }
    char *end;
    guint64 v = g_ascii_strtoull(s, &end, 10);
    *p = end;
    *as = v > G_MAXUINT32 ? 0 : (guint32)v;
    return TRUE;
}

static gboolean path_text_has_as(const char *path, guint32 asn)
{
    guint32 as;
    while (erdiag_as_path_next(&path, &as))
        if (as == asn)
            return TRUE;
    return FALSE;
}

gboolean erdiag_rib_route_path_has_as(const erdiag_route *rt, guint32 asn)
{
    rib_attrs *a = rt != NULL ? ((const rib_route *)rt)->attrs : NULL;
    if (a == NULL || asn == 0)
        return FALSE;
    if (!a->checked || a->checked_as != asn) {
        a->checked = TRUE;
        a->checked_as = asn;
        a->has_checked_as = path_text_has_as(a->path, asn);
    }
    return a->has_checked_as;
}

/* ---- the store ------------------------------------------------------------- */

erdiag_rib_store *erdiag_rib_store_new(guint max_records)
{
    erdiag_rib_store *s = g_new0(erdiag_rib_store, 1);
    g_ref_count_init(&s->refs);
    s->attrs = g_hash_table_new(attrs_hash, attrs_equal);
    s->max_records = max_records ? max_records : ERDIAG_RIB_MAX_TOTAL_RECORDS;
    return s;
}

void erdiag_rib_store_unref(erdiag_rib_store *s)
{
    if (s == NULL || !g_ref_count_dec(&s->refs))
        return;
    /* every route took its attribute sets with it */
    g_warn_if_fail(g_hash_table_size(s->attrs) == 0);
    g_hash_table_unref(s->attrs);
    g_free(s);
}

guint erdiag_rib_store_attr_sets(const erdiag_rib_store *s)
{
    return s != NULL ? g_hash_table_size(s->attrs) : 0;
}

guint erdiag_rib_store_records(const erdiag_rib_store *s)
{
    return s != NULL ? s->records : 0;
}

/* ---- the RIB --------------------------------------------------------------- */

static void entry_free(gpointer p)
{
    rib_entry *e = p;
    for (guint i = 0; i < e->len; i++) {
        attrs_unref(e->routes[i]->attrs);
        g_free(e->routes[i]);
    }
    g_free(e->routes);
    g_free(e);
}

erdiag_rib *erdiag_rib_new_in(erdiag_rib_store *s)
{
    erdiag_rib *r = g_new0(erdiag_rib, 1);
    g_ref_count_inc(&s->refs);
    r->store = s;
    r->index = erdiag_prefix_index_new(entry_free);
    return r;
}

erdiag_rib *erdiag_rib_new(void)
{
    erdiag_rib_store *s = erdiag_rib_store_new(0);
    erdiag_rib *r = erdiag_rib_new_in(s);
    erdiag_rib_store_unref(s);
    return r;
}

void erdiag_rib_free(erdiag_rib *r)
{
    if (r == NULL)
        return;
    erdiag_prefix_index_free(r->index);
    r->store->records -= r->records;
    erdiag_rib_store_unref(r->store);
    g_free(r);
}

/* Position of path_id in e->routes, or where it would be inserted. */
static guint find_path(const rib_entry *e, guint32 path_id, gboolean *found)
{
    guint lo = 0, hi = e->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        guint32 id = e->routes[mid]->pub.path_id;
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
    rib_route *rt = e->routes[i];
    if (!rt->pub.present)
        return FALSE;
    set_present(r, e, rt, FALSE);
    rt->pub.withdrawals++;
    rt->pub.change_frame = frame;
    rt->pub.change_ts_us = ts_us;
    return TRUE;
}

/* Room for one more route at position i of e. */
static void entry_insert(rib_entry *e, guint i, rib_route *rt)
{
    if (e->len == e->cap) {
        /* doubling: a crafted ADD-PATH stream may put thousands on one prefix */
        e->cap = e->cap ? e->cap * 2 : 1;
        e->routes = g_renew(rib_route *, e->routes, e->cap);
    }
    memmove(e->routes + i + 1, e->routes + i, (e->len - i) * sizeof *e->routes);
    e->routes[i] = rt;
    e->len++;
}

static gboolean apply_announce(erdiag_rib *r, const erdiag_bgp_nlri *n, rib_attrs *attrs,
                               guint64 frame, gint64 ts_us)
{
    erdiag_prefix key;
    if (!usable_prefix(&n->prefix, &key))
        return FALSE;
    rib_entry *e = erdiag_prefix_index_lookup(r->index, &key);
    gboolean found = FALSE;
    guint i = e ? find_path(e, n->path_id, &found) : 0;
    if (!found && (r->records >= ERDIAG_RIB_MAX_RECORDS || r->store->records >= r->store->max_records)) {
        if (r->not_kept++ == 0)
            r->first_not_kept_frame = frame;
        if (r->records < ERDIAG_RIB_MAX_RECORDS)
            r->store_full = TRUE;
        return FALSE;
    }
    if (e == NULL) {
        e = g_new0(rib_entry, 1);
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
        entry_insert(e, i, rt);
        r->records++;
        r->store->records++;
        set_attributes(rt, attrs);
        changed = TRUE;
    } else {
        rt = e->routes[i];
        changed = set_attributes(rt, attrs);
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
    if (r->first_as == 0 && u->n_announced > 0 && u->has_as_path && u->as_path != NULL) {
        /* the leading ASN of an AS_SEQUENCE (a set or confederation segment
         * first says nothing about the neighbour) */
        guint64 v = 0;
        for (const char *c = u->as_path; g_ascii_isdigit(*c) && v <= G_MAXUINT32; c++)
            v = v * 10 + (guint64)(*c - '0');
        if (v <= G_MAXUINT32)
            r->first_as = (guint32)v;
    }
    if (u->announced != NULL && u->n_announced > 0) {
        /* one lookup (one pass over the path) per UPDATE, one reference per route */
        rib_attrs *attrs = attrs_lookup(r->store, u);
        for (guint i = 0; i < u->n_announced; i++)
            changed |= apply_announce(r, &u->announced[i], attrs, frame, ts_us);
        attrs_unref(attrs);
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
    for (guint i = 0; i < e->len && e->n_present > 0; i++) {
        rib_route *rt = e->routes[i];
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

guint32 erdiag_rib_first_as(const erdiag_rib *r)
{
    return r != NULL ? r->first_as : 0;
}

gboolean erdiag_rib_store_was_full(const erdiag_rib *r)
{
    return r != NULL && r->store_full;
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
    for (guint i = 0; i < e->len; i++) {
        rib_route *rt = e->routes[i];
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
    for (guint i = 0; i < e->len && e->n_present > 0; i++) {
        const rib_route *rt = e->routes[i];
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
    if (e == NULL || e->len == 0)
        return NULL;
    const erdiag_route *rt = first_present(e);
    return rt != NULL ? rt : &e->routes[0]->pub;
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
    return found ? &e->routes[i]->pub : NULL;
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

typedef struct {
    const erdiag_route *best;
    guint32 except_as;
} covering_state;

static gboolean remember_present_except(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)p;
    covering_state *st = user;
    const rib_entry *e = value;
    for (guint i = 0; i < e->len && e->n_present > 0; i++) {
        const rib_route *rt = e->routes[i];
        if (rt->pub.present && !erdiag_rib_route_path_has_as(&rt->pub, st->except_as)) {
            st->best = &rt->pub; /* shortest first: the last one wins */
            break;
        }
    }
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

const erdiag_route *erdiag_rib_covering_addr_except(const erdiag_rib *r, const erdiag_addr *a, guint32 except_as)
{
    if (except_as == 0)
        return erdiag_rib_covering_addr(r, a);
    if (r == NULL || a == NULL || family_slot(a->family) < 0)
        return NULL;
    erdiag_prefix host = erdiag_prefix_make(a, erdiag_addr_bits(a));
    covering_state st = {NULL, except_as};
    erdiag_prefix_index_foreach_covering(r->index, &host, remember_present_except, &st);
    return st.best;
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
    for (guint i = 0; i < e->len; i++) {
        rib_route *rt = e->routes[i];
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
