/* A link's state at a glance, as the streaming output shows it: ARP on each
 * side, the BGP state and uptime, the prefixes each way. */
#ifndef ERDIAG_CLI_LINK_STATUS_H
#define ERDIAG_CLI_LINK_STATUS_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "erdiag/engine.h"

G_BEGIN_DECLS

typedef enum { ARP_NOT_SEEN = 0, ARP_UNANSWERED, ARP_RESOLVED } link_arp_state;

typedef struct {
    const erdiag_link *link;     /* identity only: compared, never read from an old snapshot */
    char *name;                  /* "contoso/primary" */
    gboolean seen;
    link_arp_state arp[2];       /* [ERDIAG_CUST] the on-prem address, [ERDIAG_MSFT] the MSEE's */
    erdiag_bgp_state bgp;
    gint64 established_at_us;    /* 0 when not Established */
    guint32 prefixes[2];         /* [ERDIAG_CUST] advertised by on-prem, [ERDIAG_MSFT] by Microsoft */
} link_status;

/* Every link of every peering, in the engine's order: a GArray of
 * link_status (free with link_status_array_free). */
GArray *link_status_collect(erdiag_engine *e);
void link_status_array_free(GArray *a);

/* TRUE when the states differ in anything shown. major: in something other
 * than the prefix counts (those change with every UPDATE and are coalesced). */
gboolean link_status_differs(const link_status *a, const link_status *b, gboolean *major);

/* "ARP on-prem ok, MSEE ok | BGP Established 00:05:12 | prefixes from on-prem 3, from Azure 2" */
char *link_status_text(const link_status *s, gint64 now_us);

/* The same as three short cells for the terminal's status table:
 * "ok/unresolved", "Established 00:05:12", "3/2" (on-prem/Azure each). */
void link_status_cells(const link_status *s, gint64 now_us, char **arp, char **bgp, char **prefixes);

/* The members of a {"type":"state"} line (without "type" and "time"). */
void link_status_json(const link_status *s, gint64 now_us, JsonBuilder *b);

G_END_DECLS

#endif
