/* The JSON report's route tables, written as text rather than as json-glib
 * nodes (docs/robustness.md, "The memory bound").
 *
 * A node tree costs about 2.7 kB per route (an object, a hash table and a
 * node per member): 130 MiB for the 50,000 routes a capture may hold. The
 * report's tree gets a placeholder string per table instead; once the
 * generator has printed the tree, each placeholder is replaced by its
 * table, one route object generated at a time and laid out exactly as the
 * pretty generator lays out a nested array, byte for byte. */
#ifndef ERDIAG_REPORT_JSON_ROUTES_H
#define ERDIAG_REPORT_JSON_ROUTES_H

#include <json-glib/json-glib.h>
#include "erdiag/model.h"

G_BEGIN_DECLS

typedef struct report_json_routes report_json_routes;

report_json_routes *report_json_routes_new(void);
void report_json_routes_free(report_json_routes *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(report_json_routes, report_json_routes_free)

/* Adds member `key` holding the placeholder for the link's table in
 * direction dir (ERDIAG_CUST, ERDIAG_MSFT). */
void report_json_routes_member(report_json_routes *t, JsonBuilder *b, const char *key, const erdiag_link *l,
                               int dir);
/* Appends the generated (pretty) document `text` to out, each placeholder
 * replaced by its route table. */
void report_json_routes_splice(const report_json_routes *t, const char *text, GString *out);

G_END_DECLS

#endif
