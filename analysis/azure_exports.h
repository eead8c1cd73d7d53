/* Azure's side of the path, from its own exports: network security groups
 * (az network nic list-effective-nsg, az network nsg show), a NIC's
 * effective routes (az network nic show-effective-route-table), and the
 * state of the peering and circuit (az network express-route peering show,
 * az network express-route show). Read beside the capture, they say what
 * the wire cannot: which rule drops a silent flow, where the VNet sends its
 * replies, whether the peering is switched off. See docs/reports.md. */
#ifndef ERDIAG_AZURE_EXPORTS_H
#define ERDIAG_AZURE_EXPORTS_H

#include <glib.h>
#include "erdiag/addr.h"
#include "erdiag/config.h"
#include "erdiag/engine.h"

G_BEGIN_DECLS

typedef enum {
    ERDIAG_AZURE_INBOUND = 0,      /* toward the VM: on-prem -> Azure */
    ERDIAG_AZURE_OUTBOUND,         /* from the VM: Azure -> on-prem */
} erdiag_azure_direction;

/* What an NSG is attached to: Azure evaluates a subnet's NSG first for
 * inbound traffic and a NIC's first for outbound; both must allow. */
typedef enum {
    ERDIAG_AZURE_AT_UNKNOWN = 0,
    ERDIAG_AZURE_AT_SUBNET,
    ERDIAG_AZURE_AT_NIC,
} erdiag_azure_attachment;

/* One address term of a rule. Service tags are kept as tags when the export
 * does not expand them (nsg show): VirtualNetwork then matches both ends of
 * a flow across the peering (Azure counts the on-prem space the gateway
 * learns in it); Internet, AzureLoadBalancer and the other tags match none. */
typedef enum {
    ERDIAG_AZURE_TERM_ANY = 0,     /* "*" */
    ERDIAG_AZURE_TERM_PREFIX,
    ERDIAG_AZURE_TERM_VNET,        /* VirtualNetwork (unexpanded) */
    ERDIAG_AZURE_TERM_OTHER_TAG,   /* Internet, AzureLoadBalancer, Sql.WestEurope, an ASG ... */
} erdiag_azure_term_kind;

typedef struct {
    erdiag_azure_term_kind kind;
    erdiag_prefix prefix;          /* ERDIAG_AZURE_TERM_PREFIX */
} erdiag_azure_term;

typedef struct {
    guint16 lo, hi;                /* inclusive */
} erdiag_azure_ports;

/* Protocol numbers as on the wire; 0 for "*" / "All". Icmp matches ICMPv6 too. */
#define ERDIAG_AZURE_PROTO_ANY 0

typedef struct {
    char *name;                    /* "DenyRdp", "AllowVnetInBound" (the "securityRules/" part dropped) */
    gboolean is_default;           /* one of Azure's default rules */
    guint32 priority;
    gboolean allow;
    erdiag_azure_direction direction;
    guint8 protocol;               /* ERDIAG_AZURE_PROTO_ANY, 6, 17, 1, 50, 51 */
    GArray *src, *dst;             /* erdiag_azure_term; empty never matches */
    GArray *sports, *dports;       /* erdiag_azure_ports */
    char *dports_text;             /* "3389", "80-90, 443", "*" as given */
} erdiag_azure_nsg_rule;

typedef struct {
    char *source;                  /* the file */
    char *nsg_name;                /* from the NSG's id or name; "" when unknown */
    char *applies_to;              /* "NIC vm1-nic", "subnet default", "NSG vm1-nsg" */
    erdiag_azure_attachment attachment;
    gboolean scoped;               /* ADDRESS=FILE: the NSG protects these addresses only */
    erdiag_prefix scope;
    GPtrArray *rules;              /* erdiag_azure_nsg_rule*, by priority */
} erdiag_azure_nsg;

/* One route of a NIC's effective route table. */
typedef struct {
    char *name;                    /* the UDR's name, or NULL */
    char *origin;                  /* "source": Default, User, VirtualNetworkGateway */
    char *next_hop_type;           /* VirtualNetworkGateway, VirtualAppliance, VnetLocal, Internet, None ... */
    char *next_hop_ip;             /* "10.0.2.4" (joined with ", "), or "" */
    gboolean active;               /* state Active (Invalid routes never win) */
    GArray *prefixes;              /* erdiag_prefix */
} erdiag_azure_route;

typedef struct {
    char *source;
    gboolean propagation_disabled; /* some route says disableBgpRoutePropagation */
    GPtrArray *routes;             /* erdiag_azure_route* */
} erdiag_azure_route_table;

/* The peering's or the circuit's state. */
typedef struct {
    char *source;
    char *circuit;                 /* from the resource id, or NULL */
    char *what;                    /* "peering AzurePrivatePeering", "circuit er-x" */
    char *state;                   /* the peering's "state"; NULL for a circuit */
    char *provider_state;          /* the circuit's serviceProviderProvisioningState; NULL for a peering */
    gboolean microsoft;            /* a MicrosoftPeering */
    int route_filter;              /* Microsoft peering's routeFilter: 1 attached, 0 null, -1 not in the export */
} erdiag_azure_state;

typedef struct erdiag_azure_exports {
    GPtrArray *nsgs;               /* erdiag_azure_nsg* */
    GPtrArray *route_tables;       /* erdiag_azure_route_table* */
    GPtrArray *states;             /* erdiag_azure_state* */
} erdiag_azure_exports;

erdiag_azure_exports *erdiag_azure_exports_new(void);
void erdiag_azure_exports_free(erdiag_azure_exports *x);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(erdiag_azure_exports, erdiag_azure_exports_free)

/* Each adds one file's content; FALSE with a one-line error naming the file
 * and the JSON path that is wrong ("nsg.json: value[0].effectiveSecurityRules[2].
 * priority: expected ..."). A file of another shape is such an error. */
gboolean erdiag_azure_nsg_add_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                   GError **error);
gboolean erdiag_azure_routes_add_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                      GError **error);
/* A peering (show/list, as --azure-peering reads) or a circuit
 * (az network express-route show): its state and its private peering's.
 * want_circuit: anything but a circuit is an error (--azure-circuit). */
gboolean erdiag_azure_state_add_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                     gboolean want_circuit, GError **error);
/* The same from files. nsg_spec is "[ADDRESS-OR-PREFIX=]FILE": the NSG then
 * protects those addresses only (the VM it was exported for). */
gboolean erdiag_azure_nsg_add_file(erdiag_azure_exports *x, const char *nsg_spec, GError **error);
gboolean erdiag_azure_routes_add_file(erdiag_azure_exports *x, const char *path, GError **error);
gboolean erdiag_azure_state_add_file(erdiag_azure_exports *x, const char *path, gboolean want_circuit,
                                     GError **error);

/* --- evaluation (azure_nsg.c, azure_eroutes.c) ----------------------------- */

/* One flow as the NSG sees it; ports are ignored unless proto is TCP or UDP. */
typedef struct {
    guint8 proto;
    erdiag_addr src, dst;
    guint16 sport, dport;
    erdiag_azure_direction direction;
} erdiag_azure_flow;

typedef struct {
    gboolean evaluated;            /* some NSG applies to the flow's VM */
    gboolean allowed;
    const erdiag_azure_nsg *nsg;   /* the NSG that denied (or the last that allowed) */
    const erdiag_azure_nsg_rule *rule; /* its deciding rule */
} erdiag_azure_nsg_result;

/* The first matching rule of one NSG, lowest priority number first; NULL when
 * none matches (an export of user rules only then allows). */
const erdiag_azure_nsg_rule *erdiag_azure_nsg_first_match(const erdiag_azure_nsg *nsg, const erdiag_azure_flow *f);
/* Every NSG that applies (scope, direction), in Azure's order: subnet then
 * NIC inbound, NIC then subnet outbound; the first that denies decides. */
gboolean erdiag_azure_nsg_verdict(const erdiag_azure_exports *x, const erdiag_azure_flow *f,
                                  erdiag_azure_nsg_result *out);

/* The port sets one source address is denied toward a destination prefix,
 * rule by rule ("any port" unless probes limits them): walking the rules in
 * priority order, each denying rule takes the part of what is still open
 * that it matches. One entry per denying rule. */
typedef struct {
    const erdiag_azure_nsg *nsg;
    const erdiag_azure_nsg_rule *rule;
    char *ports;                   /* "tcp/3389", "icmp, tcp/0-3388, udp/" + "*" (every port) */
    erdiag_prefix dst;             /* the destination judged: dst, or the NSG's scope inside it */
    gboolean partial_dst;          /* the rule covers part of the destination only */
} erdiag_azure_denial;

/* A (protocol, port range) a check asks about; icmp ignores the ports
 * (the configuration's test-ports). */
typedef erdiag_port_probe erdiag_azure_probe;

/* A new array of erdiag_azure_denial* (freed with the array). probes may be
 * NULL for every TCP and UDP port and ICMP. */
GPtrArray *erdiag_azure_nsg_denials(const erdiag_azure_exports *x, const erdiag_addr *src, const erdiag_prefix *dst,
                                    erdiag_azure_direction dir, const GArray *probes);

/* The Active route of a table that wins for a (longest prefix; equal
 * lengths: User, then VirtualNetworkGateway, then Default). NULL when none. */
const erdiag_azure_route *erdiag_azure_route_lookup(const erdiag_azure_route_table *t, const erdiag_addr *a);
gboolean erdiag_azure_route_via_gateway(const erdiag_azure_route *r);
/* "0.0.0.0/0 -> VirtualAppliance 10.0.2.4 (User route fw-default)" */
char *erdiag_azure_route_describe(const erdiag_azure_route *r, const erdiag_addr *a);
/* Whether the table holds any VirtualNetworkGateway route (none: gateway
 * route propagation is disabled, or the gateway learned nothing). */
gboolean erdiag_azure_routes_have_gateway(const erdiag_azure_route_table *t);
const char *erdiag_azure_proto_name(guint8 proto); /* "tcp", "udp", "icmp", "any", ... */

/* --- the engine (azure_findings.c) ----------------------------------------- */

/* Gives the engine the exports (they must outlive it) and raises what needs
 * no packet: azure.peering-disabled, and azure.nsg-deny /
 * azure.no-route-to-onprem for every configured onprem-sources address
 * toward the configured vnet-prefixes. Call once, before feeding packets. */
void erdiag_azure_exports_attach(erdiag_engine *e, const erdiag_azure_exports *x);

/* For the data plane, when it finds a flow silent: what the exports say
 * about it. Raises azure.nsg-deny (the rule that drops it) and
 * azure.no-route-to-onprem (the route the replies take instead of the
 * gateway) with frame as evidence, and returns a clause for the silent
 * flow's message ("NSG rule X ... denies it", or "Azure's NSG exports allow
 * it ...: the VM's OS firewall or antivirus is what remains to check");
 * NULL when no export was given. link may be NULL. */
char *erdiag_azure_explain_silent(erdiag_engine *e, const erdiag_link *link, const erdiag_azure_flow *f,
                                  guint64 frame, gint64 ts_us);

G_END_DECLS

#endif
