/* --redact: a report that can be posted where the customer's network must not
 * be seen. Customer MACs, on-prem addresses and prefixes, the peering
 * subnets, configured peering names and input file names become tokens
 * ("mac-1", "onprem-addr-2", "onprem-net-1", "link-1-onprem", "peering-1",
 * "capture-1"); Microsoft's MACs, VNet (Azure-side) addresses, AS numbers,
 * VLAN IDs, link roles and finding ids stay readable.
 *
 * The map is built from the engine state in a fixed order before the report
 * is rewritten, so one capture gives the same tokens in every format. The
 * rewrite works on whole tokens of the finished text: an address is only
 * replaced where it stands alone, never inside a longer address or word. */
#ifndef ERDIAG_REDACT_H
#define ERDIAG_REDACT_H

#include <glib.h>
#include "erdiag/engine.h"
#include "erdiag/report.h"

G_BEGIN_DECLS

typedef struct erdiag_redactor erdiag_redactor;

/* ev (may be NULL) adds Azure's exported rows and file names to the map. */
erdiag_redactor *erdiag_redactor_new(erdiag_engine *e, const erdiag_azure_evidence *ev);
/* Rewrites text in place. Addresses not met while building the map get the
 * next free numbers, in the order they appear. */
void erdiag_redactor_rewrite(erdiag_redactor *r, GString *text);
void erdiag_redactor_free(erdiag_redactor *r);

/* A configured peering name that is also a word of the report ("routes",
 * "dataplane", "primary" ...) or shorter than three characters is left as
 * it is: replacing it would garble the report, and it says nothing. */
gboolean erdiag_redact_keeps_name(const char *name);

/* The three above in one call (what erdiag_report_write does for opt->redact). */
void erdiag_redact_apply(erdiag_engine *e, const erdiag_azure_evidence *ev, GString *report);

G_END_DECLS

#endif
