/* Adj-RIB-In for one direction of one BGP session: the routes one side
 * advertised, keyed by (prefix, ADD-PATH id), with their history.
 *
 * A withdrawn route is kept as a record (present = FALSE) so reports can tell
 * "never advertised" from "advertised, then withdrawn"; there is one record
 * per (prefix, path id) ever announced, never one per UPDATE, so memory grows
 * with distinct prefixes only. Withdrawals of unknown routes leave no trace. */
#ifndef ERDIAG_RIB_H
#define ERDIAG_RIB_H

#include <glib.h>
#include "erdiag/model.h"

G_BEGIN_DECLS

/* Route records one RIB keeps: five times Azure's largest limit (10,000
 * IPv4 prefixes on Premium, past which the MSEE drops the session), so a
 * real table always fits, while a crafted capture (4 bytes per /24
 * announced) cannot turn into gigabytes. Announcements of further new
 * routes are counted, not kept; known routes still change. */
#define ERDIAG_RIB_MAX_RECORDS 50000u

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
/* Announcements of new routes not kept: the RIB was full; *first_frame
 * (if given) is the frame of the first one. */
guint64 erdiag_rib_not_kept(const erdiag_rib *r, guint64 *first_frame);

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

/* Visits present routes that overlap p (cover it, equal it, or lie inside
 * it) in ascending prefix order. cb must not modify the RIB. */
void erdiag_rib_foreach_overlapping(const erdiag_rib *r, const erdiag_prefix *p,
                                    void (*cb)(const erdiag_route *rt, gpointer user), gpointer user);

G_END_DECLS

#endif
