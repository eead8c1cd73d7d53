/* Adj-RIB-In for one direction of one BGP session: the routes one side
 * advertised, keyed by (prefix, ADD-PATH id), with their history.
 *
 * A withdrawn route is kept as a record (present = FALSE) so reports can tell
 * "never advertised" from "advertised, then withdrawn"; there is one record
 * per (prefix, path id) ever announced, never one per UPDATE, so memory grows
 * with distinct prefixes only. Withdrawals of unknown routes leave no trace.
 *
 * Attributes are shared, not copied: the RIBs of one capture intern each
 * distinct attribute set (next hop, AS path, LOCAL_PREF, MED, communities)
 * once in their store, reference-counted, as BIRD shares its rta/ea sets;
 * every route and withdrawn record refers to one. One UPDATE with a
 * 10,000-ASN path and 8,000 prefixes costs one path, not 8,000 copies. The
 * store also holds the route budget of the whole capture. */
#ifndef ERDIAG_RIB_H
#define ERDIAG_RIB_H

#include <glib.h>
#include "erdiag/model.h"

G_BEGIN_DECLS

/* Route records one RIB keeps: five times Azure's largest limit (10,000
 * IPv4 prefixes on Premium, past which the MSEE drops the session), so a
 * real table always fits. Announcements of further new routes are counted,
 * not kept; known routes still change. */
#define ERDIAG_RIB_MAX_RECORDS 50000u
/* Route records all the RIBs of a store (one capture) keep together: full
 * Premium tables (10,000 on-prem IPv4 prefixes, 100 IPv6, and the VNet
 * routes back) on both links of two circuits fit. Per table alone, 1,024
 * inferred links could hold 50 million; this bounds a capture's routes, and
 * so its reports, whatever the link count (docs/robustness.md: 64 MiB for
 * any capture under 1 MB, JSON report included). */
#define ERDIAG_RIB_MAX_TOTAL_RECORDS 50000u
/* An AS path's text as routes show it: longer ones are cut after this many
 * bytes at an ASN boundary and end in " ... (+N more)". The whole path is
 * kept (once) for what is computed from it (erdiag_rib_route_path_has_as). */
#define ERDIAG_RIB_PATH_SHOWN 120u

/* The attribute sets and the route budget shared by the RIBs of a capture. */
typedef struct erdiag_rib_store erdiag_rib_store;
/* max_records: route records all its RIBs keep together (0: ERDIAG_RIB_MAX_TOTAL_RECORDS). */
erdiag_rib_store *erdiag_rib_store_new(guint max_records);
/* Each RIB holds a reference: the store lives until it and its RIBs are freed. */
void erdiag_rib_store_unref(erdiag_rib_store *s);
/* Distinct attribute sets / AS paths held (for tests). */
guint erdiag_rib_store_attr_sets(const erdiag_rib_store *s);
/* Route records kept across the store's RIBs. */
guint erdiag_rib_store_records(const erdiag_rib_store *s);

/* A RIB in the store (a reference is taken). */
erdiag_rib *erdiag_rib_new_in(erdiag_rib_store *s);
/* A RIB with a store of its own. */
erdiag_rib *erdiag_rib_new(void);
void erdiag_rib_free(erdiag_rib *r);

/* Applies one UPDATE: withdrawals first, then announcements.
 * - announcing a present route replaces its attributes (implicit withdraw);
 * - announcing a route the peer had withdrawn counts a re-advertisement;
 * - withdrawing a route that is not present changes nothing.
 * Prefixes with no family or an impossible length are skipped.
 * Returns TRUE if the set of present routes or any attribute changed. */
gboolean erdiag_rib_apply_update(erdiag_rib *r, const erdiag_bgp_update *u, guint64 frame, gint64 ts_us);

/* Session dropped: every route becomes not present (history kept). This is
 * not counted as a withdrawal, and announcing such a route again on the next
 * session is not a re-advertisement: a session flap is reported on its own and
 * must not make every prefix look like it flapped. */
void erdiag_rib_session_down(erdiag_rib *r, guint64 frame, gint64 ts_us);

/* Present routes; family 4 or 6, 0 = both. */
guint erdiag_rib_count(const erdiag_rib *r, int family);
/* Present prefixes, ignoring path ids; family 4 or 6, 0 = both. */
guint erdiag_rib_distinct_prefixes(const erdiag_rib *r, int family);
/* Route records kept, withdrawn ones included. */
guint erdiag_rib_records(const erdiag_rib *r);
/* Announcements of new routes not kept: this RIB or its store was full;
 * *first_frame (if given) is the frame of the first one, *store_full (if
 * given) TRUE when the store's budget was what stopped them. */
guint64 erdiag_rib_not_kept(const erdiag_rib *r, guint64 *first_frame);
gboolean erdiag_rib_store_was_full(const erdiag_rib *r);

/* Whether the route's whole AS path (not only the text shown) holds asn in
 * any segment: a route that carries its receiver's AS is one the receiver's
 * loop detection rejects (RFC 4271 9.1.2). Cached per attribute set. */
gboolean erdiag_rib_route_path_has_as(const erdiag_route *rt, guint32 asn);
/* The next ASN of an AS path as text ("65100 {65001,65002} 12076"),
 * skipping the set and confederation brackets; FALSE at its end. An ASN
 * past 32 bits reads as 0, which no real AS is. */
gboolean erdiag_as_path_next(const char **p, guint32 *as);

/* Routes sorted by prefix, then path id: a new GPtrArray of borrowed
 * erdiag_route* (free the array only). Present ones, plus the withdrawn
 * records when include_withdrawn. */
GPtrArray *erdiag_rib_routes(const erdiag_rib *r, gboolean include_withdrawn);

/* The route for p under any path id, present or not (a present one is
 * preferred, then the lowest path id); NULL when p was never announced. */
const erdiag_route *erdiag_rib_lookup(const erdiag_rib *r, const erdiag_prefix *p);
/* The route for exactly (p, path_id), present or not; NULL when never announced. */
const erdiag_route *erdiag_rib_lookup_path(const erdiag_rib *r, const erdiag_prefix *p, guint32 path_id);

/* Longest present route covering the address (lowest path id among that
 * prefix's present ones), NULL if none. */
const erdiag_route *erdiag_rib_covering_addr(const erdiag_rib *r, const erdiag_addr *a);

/* Like erdiag_rib_covering_addr, but passing over routes whose path holds
 * except_as (0: none passed over). */
const erdiag_route *erdiag_rib_covering_addr_except(const erdiag_rib *r, const erdiag_addr *a, guint32 except_as);

/* A route the Microsoft side advertised whose AS path holds the link's
 * on-prem AS: the MSEE echoing on-prem's own routes back (or one learnt from
 * another site using the same AS). The on-prem router's loop detection
 * rejects it (RFC 4271 9.1.2), so it is no VNet address space: it is left
 * out of the zero-config VNet space and the overlap checks, and reports
 * mark it. */
/* The first AS of the first path announced into r (the neighbour's own, on
 * eBGP), 0 when none: the on-prem AS of a session whose OPEN is not in the
 * capture. */
guint32 erdiag_rib_first_as(const erdiag_rib *r);

/* The link's on-prem AS: its OPEN's, else the first of its paths; 0 when unknown. */
static inline guint32 erdiag_link_onprem_as(const erdiag_link *l)
{
    return l->bgp.asn[ERDIAG_CUST] ? l->bgp.asn[ERDIAG_CUST] : erdiag_rib_first_as(l->rib[ERDIAG_CUST]);
}

static inline gboolean erdiag_route_is_echo(const erdiag_link *l, int dir, const erdiag_route *rt)
{
    guint32 onprem = dir == ERDIAG_MSFT ? erdiag_link_onprem_as(l) : 0;
    return onprem != 0 && erdiag_rib_route_path_has_as(rt, onprem);
}

/* Visits present routes that overlap p (cover it, equal it, or lie inside
 * it) in ascending prefix order. cb must not modify the RIB. */
void erdiag_rib_foreach_overlapping(const erdiag_rib *r, const erdiag_prefix *p,
                                    void (*cb)(const erdiag_route *rt, gpointer user), gpointer user);

G_END_DECLS

#endif
