/* A map from IP prefixes to values with the queries routing needs: exact,
 * longest match, and "what covers / lies inside this prefix".
 *
 * A path-compressed binary trie (one per address family): every lookup walks
 * at most one node per prefix bit, so cost is O(prefix length) whatever the
 * number of stored prefixes. No operation recurses.
 *
 * Callbacks must not insert into or remove from the index they walk. */
#ifndef ERDIAG_PREFIX_INDEX_H
#define ERDIAG_PREFIX_INDEX_H

#include <glib.h>
#include "erdiag/addr.h"

G_BEGIN_DECLS

typedef struct erdiag_prefix_index erdiag_prefix_index;

/* value_free (may be NULL) is called on values that are replaced, removed,
 * rejected, or still stored when the index is freed. */
erdiag_prefix_index *erdiag_prefix_index_new(GDestroyNotify value_free);
void erdiag_prefix_index_free(erdiag_prefix_index *idx);

/* Stores value under p, replacing (and freeing) any previous value.
 * Returns TRUE if p was not stored before. Host bits in p are ignored.
 * A prefix with no family or a length beyond the family's width is rejected:
 * FALSE, and value is handed to value_free (the index always takes ownership). */
gboolean erdiag_prefix_index_insert(erdiag_prefix_index *idx, const erdiag_prefix *p, gpointer value);
/* Removes p (freeing its value); FALSE when p was not stored. */
gboolean erdiag_prefix_index_remove(erdiag_prefix_index *idx, const erdiag_prefix *p);
/* The value stored under exactly p, NULL when none. */
gpointer erdiag_prefix_index_lookup(const erdiag_prefix_index *idx, const erdiag_prefix *p);
/* Like lookup, but tells a stored NULL value from an absent prefix. */
gboolean erdiag_prefix_index_contains(const erdiag_prefix_index *idx, const erdiag_prefix *p);
guint erdiag_prefix_index_size(const erdiag_prefix_index *idx);
/* Trie nodes, glue included: at most 2 * size - 1 per family. */
guint erdiag_prefix_index_node_count(const erdiag_prefix_index *idx);

/* Longest stored prefix covering addr; FALSE when none. out and value may be NULL. */
gboolean erdiag_prefix_index_longest_match(const erdiag_prefix_index *idx, const erdiag_addr *a,
                                           erdiag_prefix *out, gpointer *value);

/* Return FALSE to stop the walk. */
typedef gboolean (*erdiag_prefix_visit)(const erdiag_prefix *p, gpointer value, gpointer user);

/* Every stored prefix in ascending order: IPv4 before IPv6, then address,
 * then length (so a prefix comes right before its more-specifics). */
void erdiag_prefix_index_foreach(const erdiag_prefix_index *idx, erdiag_prefix_visit cb, gpointer user);
/* Stored prefixes that cover p (p itself included), shortest first. */
void erdiag_prefix_index_foreach_covering(const erdiag_prefix_index *idx, const erdiag_prefix *p,
                                          erdiag_prefix_visit cb, gpointer user);
/* Stored prefixes inside p (p itself included), in ascending order. */
void erdiag_prefix_index_foreach_covered(const erdiag_prefix_index *idx, const erdiag_prefix *p,
                                         erdiag_prefix_visit cb, gpointer user);

G_END_DECLS

#endif
