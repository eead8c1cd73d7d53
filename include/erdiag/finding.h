/* The finding catalog (stable ids, see docs/findings.md) and the finding record. */
#ifndef ERDIAG_FINDING_H
#define ERDIAG_FINDING_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
    ERDIAG_SEV_INFO = 0,
    ERDIAG_SEV_NOTE,
    ERDIAG_SEV_WARNING,
    ERDIAG_SEV_ERROR,
} erdiag_severity;

/* The article's verification order. */
typedef enum {
    ERDIAG_STEP_CONFIG = 0,
    ERDIAG_STEP_L2,
    ERDIAG_STEP_BGP,
    ERDIAG_STEP_ROUTES,
    ERDIAG_STEP_REDUNDANCY,
    ERDIAG_STEP_DATAPLANE,
    ERDIAG_STEP_COUNT,
} erdiag_step;

typedef enum {
    ERDIAG_F_CONFIG_INVALID = 0,
    ERDIAG_F_CONFIG_SUBNET_OVERLAP,
    ERDIAG_F_CONFIG_GATEWAY_SUBNET,
    ERDIAG_F_ARP_UNANSWERED,
    ERDIAG_F_ARP_VLAN_MISMATCH,
    ERDIAG_F_ARP_WRONG_SUBNET,
    ERDIAG_F_ARP_DUPLICATE_IP,
    ERDIAG_F_ARP_MSEE_ADDRESS_MISUSED,
    ERDIAG_F_L2_FHRP_ON_PEERING,
    ERDIAG_F_BGP_TCP_UNANSWERED,
    ERDIAG_F_BGP_TCP_MD5_MISMATCH,
    ERDIAG_F_BGP_TCP_REFUSED,
    ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH,
    ERDIAG_F_BGP_OPEN_RESERVED_ASN,
    ERDIAG_F_BGP_NOTIFICATION,
    ERDIAG_F_BGP_HOLD_TIMER_EXPIRED,
    ERDIAG_F_BGP_NOT_ESTABLISHED,
    ERDIAG_F_BGP_SESSION_FLAP,
    ERDIAG_F_BGP_TIMERS,
    ERDIAG_F_BGP_DECODE_ERROR,
    ERDIAG_F_ROUTES_NONE_FROM_ONPREM,
    ERDIAG_F_ROUTES_NONE_FROM_AZURE,
    ERDIAG_F_ROUTES_EXPECTED_MISSING,
    ERDIAG_F_ROUTES_SOURCE_NOT_COVERED,
    ERDIAG_F_ROUTES_VNET_MISSING,
    ERDIAG_F_ROUTES_PREFIX_LIMIT,
    ERDIAG_F_ROUTES_OVERLAP_VNET,
    ERDIAG_F_ROUTES_OVERLAP_PEERING_SUBNET,
    ERDIAG_F_ROUTES_DEFAULT_ROUTE,
    ERDIAG_F_ROUTES_FLAP,
    ERDIAG_F_ROUTES_ASYMMETRIC,
    ERDIAG_F_REDUNDANCY_LINK_DOWN,
    ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION,
    ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE,
    ERDIAG_F_DATAPLANE_OVERSIZE,
    /* added after the first release: new kinds go at the end, ids never change */
    ERDIAG_F_CAPTURE_NO_EXPRESSROUTE,
    ERDIAG_F_CAPTURE_UNMAPPED_BGP,
    ERDIAG_F_BGP_UPDATE_ERROR,
    /* Azure's exports (--azure-nsg, --azure-effective-routes, --azure-peering / --azure-circuit) */
    ERDIAG_F_AZURE_NSG_DENY,
    ERDIAG_F_AZURE_NO_ROUTE_TO_ONPREM,
    ERDIAG_F_AZURE_PEERING_DISABLED,
    ERDIAG_F_DATAPLANE_REFUSED,
    ERDIAG_F_DATAPLANE_ICMP_UNREACHABLE,
    ERDIAG_F_DATAPLANE_ASYMMETRIC_RETURN,
    ERDIAG_F_DATAPLANE_FRAGMENTED,
    ERDIAG_F_DATAPLANE_PMTU,
    ERDIAG_F_CAPTURE_MACSEC,
    ERDIAG_F_BFD_NOT_ANSWERED,
    ERDIAG_F_BFD_DOWN,
    ERDIAG_F_BFD_TIMERS,
    ERDIAG_F_ROUTES_VNET_LIMIT,
    ERDIAG_F_CONFIG_GATEWAY_SUBNET_OUTSIDE_VNET,
    ERDIAG_F_ROUTES_MSEE_PREPEND,
    ERDIAG_F_ROUTES_GLOBAL_REACH,
    ERDIAG_F_PEERING_LAYER3_PROVIDER,
    ERDIAG_F_PEERING_MICROSOFT,
    ERDIAG_F_ROUTES_NO_ROUTE_FILTER,
    ERDIAG_F_ROUTES_MICROSOFT_PEERING_PRIVATE,
    ERDIAG_F_CONFIG_MICROSOFT_PEERING_SUBNET,
    ERDIAG_F_COUNT,
} erdiag_finding_kind;

typedef struct {
    erdiag_finding_kind kind;
    const char *id;           /* "arp.unanswered" */
    erdiag_step step;
    erdiag_severity severity; /* the usual severity; a finding may raise or lower it */
    const char *title;        /* "ARP request not answered" */
} erdiag_finding_def;

const erdiag_finding_def *erdiag_finding_def_get(erdiag_finding_kind kind);
const erdiag_finding_def *erdiag_finding_def_by_id(const char *id);
const char *erdiag_severity_name(erdiag_severity s);   /* "error" ... */
const char *erdiag_step_name(erdiag_step s);           /* "l2" ... */
const char *erdiag_step_title(erdiag_step s);          /* "VLAN and ARP" ... */

/* Evidence frames kept per finding; the total is always counted. */
#define ERDIAG_FINDING_MAX_FRAMES 16

typedef struct {
    erdiag_finding_kind kind;
    erdiag_severity severity;
    char *peering;            /* peering name, NULL for run-wide findings */
    char *link;               /* "primary", "secondary", "primary-v6", "secondary-v6", or NULL */
    char *message;            /* one line with the concrete values */
    char *advice;             /* what to check next */
    guint64 frames[ERDIAG_FINDING_MAX_FRAMES]; /* first evidence frames, ascending */
    guint n_frames;
    guint64 frame_count;      /* every evidence frame, including those not kept */
    gint64 first_ts_us, last_ts_us; /* 0 when not tied to packets */
    guint64 seq;              /* order in which findings became known */
    char *key;                /* identity used to merge repeated evidence */
    guint64 last_frame;       /* last evidence frame counted (several events share a frame) */
} erdiag_finding;

G_END_DECLS

#endif
