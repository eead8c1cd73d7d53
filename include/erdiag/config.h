/* What the customer meant: the peering definition (INI, see docs/config.md). */
#ifndef ERDIAG_CONFIG_H
#define ERDIAG_CONFIG_H

#include <glib.h>
#include "erdiag/addr.h"

G_BEGIN_DECLS

typedef enum { ERDIAG_SKU_STANDARD = 0, ERDIAG_SKU_LOCAL, ERDIAG_SKU_PREMIUM } erdiag_sku;

/* Who runs BGP with the MSEE: the customer's router (a layer-2 provider or
 * ExpressRoute Direct), or a layer-3 (IPVPN) provider's PE, in which case a
 * capture on the customer's link shows the provider's AS on the far side. */
typedef enum { ERDIAG_PROVIDER_L2 = 0, ERDIAG_PROVIDER_L3 } erdiag_provider_kind;

/* Which peering of the circuit: private (VNets) or Microsoft (public
 * services, route filters, public addresses only). */
typedef enum { ERDIAG_PEERING_PRIVATE = 0, ERDIAG_PEERING_MICROSOFT } erdiag_peering_type;

/* One entry of test-ports: a protocol (6 tcp, 17 udp, 1 icmp) and a port range. */
typedef struct {
    guint8 proto;
    guint16 lo, hi;
} erdiag_port_probe;

typedef struct {
    char *name;
    gboolean has_vlan;        guint16 vlan;
    gboolean has_outer_vlan;  guint16 outer_vlan;
    /* per-link S-tags, when the two links' outer tags differ (else outer_vlan) */
    gboolean has_primary_outer_vlan;   guint16 primary_outer_vlan;
    gboolean has_secondary_outer_vlan; guint16 secondary_outer_vlan;
    gboolean has_peer_asn;    guint32 peer_asn;
    gboolean has_primary;     erdiag_prefix primary;      /* /30 */
    gboolean has_secondary;   erdiag_prefix secondary;    /* /30 */
    gboolean has_primary_v6;  erdiag_prefix primary_v6;   /* /126 */
    gboolean has_secondary_v6; erdiag_prefix secondary_v6;
    gboolean has_sku;         erdiag_sku sku;
    GArray *vnet_prefixes;    /* erdiag_prefix */
    GArray *expected_onprem;  /* erdiag_prefix */
    GArray *onprem_sources;   /* erdiag_addr */
    GArray *global_reach_prefixes; /* erdiag_prefix: other circuits' on-prem prefixes expected via Global Reach */
    GArray *test_ports;       /* erdiag_port_probe: what the NSG checks ask for the onprem-sources; empty: every port */
    gboolean has_gateway_subnet; erdiag_prefix gateway_subnet;
    gboolean has_md5;         gboolean md5;
    /* FastPath on the connection: traffic bypasses the ExpressRoute gateway
     * (and its no-fragments, 1,400-byte limits) */
    gboolean has_fastpath;    gboolean fastpath;
    gboolean has_provider;    erdiag_provider_kind provider;
    gboolean has_provider_asn; guint32 provider_asn;  /* the layer-3 provider's AS (its PE) */
    gboolean has_peering_type; erdiag_peering_type peering_type;
} erdiag_peering_config;

/* Timing thresholds ([erdiag] section); every one has a default. */
typedef struct {
    guint arp_timeout_ms;       /* an ARP request unanswered this long counts (default 3000) */
    guint syn_timeout_ms;       /* a SYN unanswered this long counts (default 3000) */
    guint establish_timeout_ms; /* live: a session not Established this long after first TCP (default 60000) */
    guint flap_threshold;       /* routes.flap: withdraw+re-announce cycles (default 3) */
    guint flow_idle_ms;         /* data-plane flows idle this long are forgotten (default 60000) */
    guint max_flows;            /* data-plane flow table size (default 65536) */
} erdiag_thresholds;

typedef struct {
    char *source;               /* file name, for messages */
    GPtrArray *peerings;        /* erdiag_peering_config* */
    erdiag_thresholds thresholds;
} erdiag_config;

/* A problem with a config value: "<file>: [peering x] vlan = 5000: not a VLAN ID (1-4094)". */
typedef struct {
    char *key;                  /* "[peering x] vlan" */
    char *value;
    char *expected;
} erdiag_config_problem;

erdiag_config *erdiag_config_new_default(void);
/* Returns NULL and fills *problems (erdiag_config_problem*, caller frees with
 * g_ptr_array_unref) and *error (one line naming file and key) when invalid. */
erdiag_config *erdiag_config_load_file(const char *path, GPtrArray **problems, GError **error);
erdiag_config *erdiag_config_load_data(const char *data, gsize len, const char *source,
                                       GPtrArray **problems, GError **error);
void erdiag_config_free(erdiag_config *cfg);
guint erdiag_sku_ipv4_limit(erdiag_sku sku);
guint erdiag_sku_ipv6_limit(erdiag_sku sku);
const char *erdiag_sku_name(erdiag_sku sku);
const char *erdiag_peering_type_name(erdiag_peering_type t);  /* "private", "microsoft" */

G_END_DECLS

#endif
