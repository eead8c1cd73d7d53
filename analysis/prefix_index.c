/* Path-compressed binary trie over prefixes (see prefix_index.h).
 *
 * Shape, per family:
 *   - every node carries its full key (address with host bits zero + length);
 *   - a child's key is strictly longer than its parent's and lies inside it;
 *     child[b] holds the keys whose bit at position parent->len is b;
 *   - a node either stores a value or is a "glue" node with two children
 *     (glue exists only where two keys part ways).
 * Because lengths strictly grow downwards, the depth is at most 129 and the
 * walks below stay iterative, using parent pointers instead of a stack. */
#include "prefix_index.h"

#include <string.h>

typedef struct pi_node {
    erdiag_prefix key;
    gboolean has_value;
    gpointer value;
    struct pi_node *parent;
    struct pi_node *child[2];
} pi_node;

struct erdiag_prefix_index {
    pi_node *root[2]; /* [0] IPv4, [1] IPv6 */
    guint size;
    guint nodes; /* value and glue nodes, to check that removal merges */
    GDestroyNotify value_free;
};

/* Root slot of a family, -1 for no address. */
static int family_slot(guint8 family)
{
    return family == 4 ? 0 : (family == 6 ? 1 : -1);
}

static guint bit_at(const guint8 *bytes, guint pos)
{
    return (bytes[pos >> 3] >> (7 - (pos & 7))) & 1u;
}

/* Length of the common leading run of a and b, looking only at bits
 * [start, limit): the caller already knows bits before start agree. */
static guint common_bits(const guint8 *a, const guint8 *b, guint start, guint limit)
{
    guint pos = start;
    while (pos < limit) {
        guint byte = pos >> 3;
        guint8 diff = (guint8)((a[byte] ^ b[byte]) & (0xffu >> (pos & 7)));
        if (diff != 0) {
            /* g_bit_storage(diff) - 1 is the index (from bit 0 = LSB) of the
             * top set bit. GLib compiles it to one count-leading-zeros
             * instruction; g_bit_nth_msf(diff, -1) would loop down from bit
             * 63, and this runs at every trie node of every lookup. */
            guint first = byte * 8 + (7 - ((guint)g_bit_storage(diff) - 1));
            return MIN(first, limit);
        }
        pos = (byte + 1) * 8;
    }
    return limit;
}

/* p normalised for use as a key; FALSE when it is not a usable prefix. */
static gboolean make_key(const erdiag_prefix *p, erdiag_prefix *key)
{
    if (p == NULL || family_slot(p->addr.family) < 0 || p->len > erdiag_addr_bits(&p->addr))
        return FALSE;
    *key = erdiag_prefix_make(&p->addr, p->len);
    return TRUE;
}

static pi_node *node_new(erdiag_prefix_index *idx, const erdiag_prefix *key, pi_node *parent)
{
    pi_node *n = g_new0(pi_node, 1);
    idx->nodes++;
    n->key = *key;
    n->parent = parent;
    return n;
}

/* The pointer that holds n: its parent's child slot or the family root. */
static pi_node **link_of(erdiag_prefix_index *idx, pi_node *n)
{
    if (n->parent == NULL)
        return &idx->root[family_slot(n->key.addr.family)];
    return &n->parent->child[n->parent->child[1] == n ? 1 : 0];
}

static void release_value(erdiag_prefix_index *idx, gpointer value)
{
    if (idx->value_free != NULL && value != NULL)
        idx->value_free(value);
}

erdiag_prefix_index *erdiag_prefix_index_new(GDestroyNotify value_free)
{
    erdiag_prefix_index *idx = g_new0(erdiag_prefix_index, 1);
    idx->value_free = value_free;
    return idx;
}

void erdiag_prefix_index_free(erdiag_prefix_index *idx)
{
    if (idx == NULL)
        return;
    for (int f = 0; f < 2; f++) {
        /* Post-order teardown: descend to a leaf, free it, climb. */
        pi_node *n = idx->root[f];
        while (n != NULL) {
            if (n->child[0] != NULL) {
                n = n->child[0];
                continue;
            }
            if (n->child[1] != NULL) {
                n = n->child[1];
                continue;
            }
            pi_node *parent = n->parent;
            if (parent != NULL)
                parent->child[parent->child[1] == n ? 1 : 0] = NULL;
            if (n->has_value)
                release_value(idx, n->value);
            g_free(n);
            n = parent;
        }
        idx->root[f] = NULL;
    }
    g_free(idx);
}

gboolean erdiag_prefix_index_insert(erdiag_prefix_index *idx, const erdiag_prefix *p, gpointer value)
{
    erdiag_prefix key;
    if (!make_key(p, &key)) {
        release_value(idx, value);
        return FALSE;
    }
    const guint8 *kb = key.addr.bytes;
    pi_node **link = &idx->root[family_slot(key.addr.family)];
    pi_node *parent = NULL;
    guint known = 0; /* leading bits already known to match */

    while (*link != NULL) {
        pi_node *n = *link;
        guint limit = MIN(n->key.len, key.len);
        guint common = common_bits(n->key.addr.bytes, kb, known, limit);

        if (common < n->key.len) {
            if (common == key.len) {
                /* The new prefix covers n: it goes between parent and n. */
                pi_node *nn = node_new(idx, &key, parent);
                nn->has_value = TRUE;
                nn->value = value;
                nn->child[bit_at(n->key.addr.bytes, key.len)] = n;
                n->parent = nn;
                *link = nn;
            } else {
                /* The two part ways at bit `common`: a glue node holds both. */
                erdiag_prefix glue_key = erdiag_prefix_make(&key.addr, common);
                pi_node *glue = node_new(idx, &glue_key, parent);
                pi_node *nn = node_new(idx, &key, glue);
                nn->has_value = TRUE;
                nn->value = value;
                glue->child[bit_at(kb, common)] = nn;
                glue->child[bit_at(n->key.addr.bytes, common)] = n;
                n->parent = glue;
                *link = glue;
            }
            idx->size++;
            return TRUE;
        }

        if (n->key.len == key.len) {
            gboolean is_new = !n->has_value;
            if (!is_new && n->value != value)
                release_value(idx, n->value);
            n->has_value = TRUE;
            n->value = value;
            if (is_new)
                idx->size++;
            return is_new;
        }

        /* n covers the key: go down the side the key's next bit says. */
        known = n->key.len;
        parent = n;
        link = &n->child[bit_at(kb, n->key.len)];
    }

    pi_node *nn = node_new(idx, &key, parent);
    nn->has_value = TRUE;
    nn->value = value;
    *link = nn;
    idx->size++;
    return TRUE;
}

/* The node whose key is exactly key (value or glue), NULL when none. */
static pi_node *find_node(const erdiag_prefix_index *idx, const erdiag_prefix *key)
{
    pi_node *n = idx->root[family_slot(key->addr.family)];
    guint known = 0;
    while (n != NULL && n->key.len <= key->len) {
        if (common_bits(n->key.addr.bytes, key->addr.bytes, known, n->key.len) < n->key.len)
            return NULL;
        if (n->key.len == key->len)
            return n;
        known = n->key.len;
        n = n->child[bit_at(key->addr.bytes, n->key.len)];
    }
    return NULL;
}

/* Unlinks a node that has at most one child, lifting that child up. */
static void splice_out(erdiag_prefix_index *idx, pi_node *n)
{
    pi_node *child = n->child[0] != NULL ? n->child[0] : n->child[1];
    *link_of(idx, n) = child;
    if (child != NULL)
        child->parent = n->parent;
    g_free(n);
    idx->nodes--;
}

gboolean erdiag_prefix_index_remove(erdiag_prefix_index *idx, const erdiag_prefix *p)
{
    erdiag_prefix key;
    if (!make_key(p, &key))
        return FALSE;
    pi_node *n = find_node(idx, &key);
    if (n == NULL || !n->has_value)
        return FALSE;

    gpointer old = n->value;
    n->has_value = FALSE;
    n->value = NULL;
    idx->size--;

    if (n->child[0] == NULL || n->child[1] == NULL) {
        pi_node *parent = n->parent;
        gboolean was_leaf = n->child[0] == NULL && n->child[1] == NULL;
        splice_out(idx, n);
        /* A glue parent that lost a leaf is left with one child: it no longer
         * marks a fork, so merge it away too. */
        if (was_leaf && parent != NULL && !parent->has_value)
            splice_out(idx, parent);
    }
    /* With two children n stays as glue. */
    release_value(idx, old);
    return TRUE;
}

gpointer erdiag_prefix_index_lookup(const erdiag_prefix_index *idx, const erdiag_prefix *p)
{
    erdiag_prefix key;
    if (idx == NULL || !make_key(p, &key))
        return NULL;
    pi_node *n = find_node(idx, &key);
    return n != NULL && n->has_value ? n->value : NULL;
}

gboolean erdiag_prefix_index_contains(const erdiag_prefix_index *idx, const erdiag_prefix *p)
{
    erdiag_prefix key;
    if (idx == NULL || !make_key(p, &key))
        return FALSE;
    pi_node *n = find_node(idx, &key);
    return n != NULL && n->has_value;
}

guint erdiag_prefix_index_size(const erdiag_prefix_index *idx)
{
    return idx != NULL ? idx->size : 0;
}

guint erdiag_prefix_index_node_count(const erdiag_prefix_index *idx)
{
    return idx != NULL ? idx->nodes : 0;
}

/* Walks the nodes covering key, shortest first, calling cb on those with a
 * value; stops when cb returns FALSE. */
static void walk_covering(const erdiag_prefix_index *idx, const erdiag_prefix *key,
                          erdiag_prefix_visit cb, gpointer user)
{
    pi_node *n = idx->root[family_slot(key->addr.family)];
    guint known = 0;
    while (n != NULL && n->key.len <= key->len) {
        if (common_bits(n->key.addr.bytes, key->addr.bytes, known, n->key.len) < n->key.len)
            return;
        if (n->has_value && !cb(&n->key, n->value, user))
            return;
        if (n->key.len == key->len)
            return;
        known = n->key.len;
        n = n->child[bit_at(key->addr.bytes, n->key.len)];
    }
}

typedef struct {
    gboolean found;
    erdiag_prefix prefix;
    gpointer value;
} longest_state;

static gboolean remember_longest(const erdiag_prefix *p, gpointer value, gpointer user)
{
    longest_state *st = user;
    st->found = TRUE;
    st->prefix = *p;
    st->value = value;
    return TRUE;
}

gboolean erdiag_prefix_index_longest_match(const erdiag_prefix_index *idx, const erdiag_addr *a,
                                           erdiag_prefix *out, gpointer *value)
{
    if (idx == NULL || a == NULL || family_slot(a->family) < 0)
        return FALSE;
    erdiag_prefix host = erdiag_prefix_make(a, erdiag_addr_bits(a));
    longest_state st = {FALSE, {{0, {0}}, 0}, NULL};
    walk_covering(idx, &host, remember_longest, &st);
    if (!st.found)
        return FALSE;
    if (out != NULL)
        *out = st.prefix;
    if (value != NULL)
        *value = st.value;
    return TRUE;
}

/* Next node in pre-order (node, child[0] subtree, child[1] subtree) without
 * leaving the subtree rooted at top. Pre-order is exactly ascending
 * (address, length) order for this trie. */
static pi_node *next_preorder(pi_node *n, const pi_node *top)
{
    if (n->child[0] != NULL)
        return n->child[0];
    if (n->child[1] != NULL)
        return n->child[1];
    while (n != top) {
        pi_node *parent = n->parent;
        if (parent->child[0] == n && parent->child[1] != NULL)
            return parent->child[1];
        n = parent;
    }
    return NULL;
}

/* Visits the valued nodes of the subtree under top; FALSE if cb stopped. */
static gboolean walk_subtree(pi_node *top, erdiag_prefix_visit cb, gpointer user)
{
    for (pi_node *n = top; n != NULL; n = next_preorder(n, top)) {
        if (n->has_value && !cb(&n->key, n->value, user))
            return FALSE;
    }
    return TRUE;
}

void erdiag_prefix_index_foreach(const erdiag_prefix_index *idx, erdiag_prefix_visit cb, gpointer user)
{
    if (idx == NULL)
        return;
    for (int f = 0; f < 2; f++) {
        if (idx->root[f] != NULL && !walk_subtree(idx->root[f], cb, user))
            return;
    }
}

void erdiag_prefix_index_foreach_covering(const erdiag_prefix_index *idx, const erdiag_prefix *p,
                                          erdiag_prefix_visit cb, gpointer user)
{
    erdiag_prefix key;
    if (idx == NULL || !make_key(p, &key))
        return;
    walk_covering(idx, &key, cb, user);
}

void erdiag_prefix_index_foreach_covered(const erdiag_prefix_index *idx, const erdiag_prefix *p,
                                         erdiag_prefix_visit cb, gpointer user)
{
    erdiag_prefix key;
    if (idx == NULL || !make_key(p, &key))
        return;
    /* Find the highest node lying inside key: everything inside key is in its subtree. */
    pi_node *n = idx->root[family_slot(key.addr.family)];
    guint known = 0;
    while (n != NULL) {
        if (n->key.len >= key.len) {
            if (common_bits(n->key.addr.bytes, key.addr.bytes, known, key.len) == key.len)
                walk_subtree(n, cb, user);
            return;
        }
        if (common_bits(n->key.addr.bytes, key.addr.bytes, known, n->key.len) < n->key.len)
            return;
        known = n->key.len;
        n = n->child[bit_at(key.addr.bytes, n->key.len)];
    }
}
