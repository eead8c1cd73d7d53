/* What the engine knows about each peering, as the reports and the plugin
 * read it. The engine owns every object here; readers never modify them. */
#ifndef ERDIAG_MODEL_H
#define ERDIAG_MODEL_H

#include <glib.h>
#include "erdiag/addr.h"
#include "erdiag/bgp.h"
#include "erdiag/event.h"
#include "erdiag/config.h"

G_BEGIN_DECLS

typedef enum { ERDIAG_ROLE_PRIMARY = 0, ERDIAG_ROLE_SECONDARY, ERDIAG_ROLE_UNKNOWN } erdiag_link_role;
typedef enum { ERDIAG_SIDE_UNKNOWN = 0, ERDIAG_SIDE_CUSTOMER, ERDIAG_SIDE_MICROSOFT } erdiag_side;
/* Index into per-side arrays: [0] customer (on-prem), [1] Microsoft (MSEE). */
enum { ERDIAG_CUST = 0, ERDIAG_MSFT = 1 };

/* "VLAN 100", "S-tag 20 / C-tag 100", "untagged" (newly allocated) */
char *erdiag_tags_to_string(guint8 n, const erdiag_vlan_tag *tags);
const char *erdiag_side_name(erdiag_side s);           /* "customer", "microsoft", "unknown" */
const char *erdiag_side_azure_name(erdiag_side s);     /* Azure ARP view: "On-Prem", "Microsoft" */

/* One row of Azure's ARP-table view. */
typedef struct {
    erdiag_side side;
    erdiag_addr ip;
    gboolean resolved;          /* a reply (or a request from the owner) showed its MAC */
    guint8 mac[6];
    gint64 last_seen_us;        /* for the Age column, relative to capture end */
    guint64 first_frame, last_frame;
    guint32 requests_for;       /* requests asking for this address */
    guint32 requests_answered;
    guint32 replies_from;
} erdiag_arp_row;

typedef enum {
    ERDIAG_BGPS_IDLE = 0,
    ERDIAG_BGPS_CONNECT,        /* SYN seen */
    ERDIAG_BGPS_ACTIVE,         /* connection attempt failed / no answer */
    ERDIAG_BGPS_OPENSENT,       /* TCP up, one OPEN seen */
    ERDIAG_BGPS_OPENCONFIRM,    /* both OPENs seen */
    ERDIAG_BGPS_ESTABLISHED,    /* both sides sent KEEPALIVE after the OPENs */
} erdiag_bgp_state;
const char *erdiag_bgp_state_name(erdiag_bgp_state s);

typedef struct {
    gint64 ts_us;
    guint64 frame;
    erdiag_side by;             /* who did it (unknown for inferred transitions) */
    erdiag_bgp_state state;     /* state after this entry */
    char *text;                 /* "customer OPEN: AS 65010, hold 90 s, id 1.1.1.1, caps ..." */
} erdiag_timeline_entry;

#define ERDIAG_TIMELINE_MAX 256

typedef struct {
    gboolean seen;              /* any TCP/179 or BGP between the link's two addresses */
    erdiag_bgp_state state;
    erdiag_side initiator;      /* side that sent the SYN of the current/last connection */
    guint32 connection_attempts;/* SYNs without SYN-ACK count once per (port pair) */
    gboolean open_seen[2];
    erdiag_bgp_open open[2];    /* last OPEN by side */
    guint64 open_frame[2];
    guint32 asn[2];             /* real ASN per side (AS4 when present) */
    guint16 hold_time;          /* negotiated, 0 until both OPENs */
    gboolean ever_established;
    gint64 established_at_us;   /* current Established period start (0 when not) */
    guint64 established_frame;
    guint32 times_established;
    guint32 times_lost;
    gint64 total_up_us;
    guint64 msgs[2][6];         /* per side, per BGP type (1..5) */
    gint64 last_msg_us[2];
    guint64 last_msg_frame[2];
    gint64 max_gap_us[2];       /* longest silence between two messages of a side while up */
    guint32 notifications[2];
    GPtrArray *timeline;        /* erdiag_timeline_entry*, first ERDIAG_TIMELINE_MAX kept */
    guint64 timeline_dropped;
} erdiag_bgp_session;

typedef struct {
    erdiag_prefix prefix;
    guint32 path_id;
    erdiag_addr next_hop;
    const char *as_path;        /* as shown: shared by routes with the same attributes (rib.h) */
    guint as_path_length;
    gboolean has_local_pref; guint32 local_pref;
    gboolean has_med;        guint32 med;
    guint32 n_communities;
    guint64 first_frame;  gint64 first_ts_us;
    guint64 change_frame; gint64 change_ts_us;  /* last announce/withdraw */
    guint32 announcements, withdrawals, readvertisements;
    gboolean present;           /* in the RIB now (FALSE = withdrawn, kept for history) */
} erdiag_route;

typedef struct erdiag_rib erdiag_rib; /* analysis/rib.h */

/* A sample of the prefix counts, taken when they change (bounded, coalesced). */
typedef struct {
    gint64 ts_us;
    guint64 frame;
    guint32 count[2];           /* per direction: [ERDIAG_CUST] received from customer, [ERDIAG_MSFT] from Microsoft */
} erdiag_count_sample;

#define ERDIAG_COUNT_SAMPLES_MAX 512

typedef struct erdiag_peering erdiag_peering;
typedef struct erdiag_link erdiag_link;

/* What became of one conversation across the peering (TCP, UDP, ICMP echo),
 * as the flows table shows it. The order is the table's severity order. */
typedef enum {
    ERDIAG_FLOW_ANSWERED = 0,       /* the destination answered */
    ERDIAG_FLOW_OPEN,               /* seen both ways, started before the capture */
    ERDIAG_FLOW_NO_REPLY,           /* UDP with nothing back: no verdict (many UDP protocols never answer) */
    ERDIAG_FLOW_ONE_WAY,            /* mid-connection, one direction only: started before the capture */
    ERDIAG_FLOW_ASYMMETRIC,         /* request over one link, reply over the other (or moved) */
    ERDIAG_FLOW_REFUSED,            /* TCP reset from the destination */
    ERDIAG_FLOW_ICMP_UNREACHABLE,   /* ICMP destination unreachable about it */
    ERDIAG_FLOW_UNANSWERED,         /* silence: SYNs / echo requests without answer */
    ERDIAG_FLOW_UNCOVERED,          /* silence explained: the source has no route back */
    ERDIAG_FLOW_VERDICT_COUNT
} erdiag_flow_verdict;
const char *erdiag_flow_verdict_name(erdiag_flow_verdict v); /* "answered", "refused", ... */
gboolean erdiag_flow_verdict_failed(erdiag_flow_verdict v);  /* asymmetric, refused, unreachable, unanswered, uncovered */

/* One row of a link's flows table. [0] is the initiator's direction. */
typedef struct {
    /* first what every packet of the flow updates: 56 bytes the flow table
     * keeps on the cache lines of the flow's key (flow_table.h) */
    const erdiag_link *link[2];     /* the link each direction crossed first (NULL: none seen) */
    guint64 packets[2], bytes[2];
    gboolean link_moved;            /* a direction changed link midway */
    erdiag_flow_verdict verdict;
    erdiag_addr src, dst;           /* initiator, responder */
    guint16 sport, dport;           /* TCP/UDP ports; ICMP echo: the identifier in both */
    guint8 proto;                   /* 6, 17, 1 or 58 */
    gboolean from_azure;            /* opened from Azure toward on-prem */
    guint64 first_frame, verdict_frame; /* verdict_frame: the reset / ICMP / last unanswered request */
    gint64 first_ts_us;
    char *detail;                   /* "reset by 10.1.0.4 (Azure)", "ICMP type 3 code 13 ... from 192.168.1.1 (on-prem)" */
} erdiag_flow_row;

#define ERDIAG_FLOW_ROWS_MAX 200     /* rows kept per link: failed flows first (the rest counted) */

/* Why a link's network + 2 side is called Microsoft's (zero-config infers
 * the roles; only AS 12076 or a configured subnet is evidence). */
typedef enum {
    ERDIAG_MSFT_BY_ADDRESS = 0,  /* assumed: network + 2, no AS 12076 seen and no configuration */
    ERDIAG_MSFT_BY_CONFIG,       /* the configured subnet's network + 2 */
    ERDIAG_MSFT_BY_ASN,          /* that side's OPEN carries AS 12076 */
    ERDIAG_MSFT_BY_PATH,         /* zero-config: its routes carry AS 12076 behind its own AS (a layer-3 provider's PE) */
} erdiag_msft_evidence;
const char *erdiag_msft_evidence_name(erdiag_msft_evidence ev);  /* "address", "config", "asn" */
const char *erdiag_msft_evidence_text(erdiag_msft_evidence ev);  /* one phrase for reports */

/* BFD on a link as the capture shows it ([ERDIAG_CUST] / [ERDIAG_MSFT]);
 * intervals in microseconds, as each side advertised them while Up. */
typedef struct {
    guint64 packets[2];         /* control packets each side sent */
    gboolean state_known[2];
    guint8 state[2];            /* the last state each side sent: 0 AdminDown, 1 Down, 2 Init, 3 Up */
    gboolean up[2];             /* the side reported Up at some point */
    guint32 downs;              /* Up -> Down / AdminDown transitions */
    guint8 last_diag;           /* the diagnostic of the last such transition */
    guint32 desired_min_tx_us[2], required_min_rx_us[2];
    guint8 multiplier[2];
} erdiag_bfd_view;

struct erdiag_link {
    erdiag_peering *peering;
    erdiag_link_role role;
    int family;                 /* 4 or 6 */
    char *label;                /* "primary", "secondary", "primary-v6", "secondary-v6" */
    gboolean configured;        /* defined by the config (else inferred) */
    erdiag_msft_evidence msft_evidence; /* why addr[ERDIAG_MSFT] is called Microsoft's */
    gboolean seen;              /* any traffic mapped to it */
    erdiag_prefix subnet;       /* /30 or /126 */
    erdiag_addr addr[2];        /* [ERDIAG_CUST] network+1, [ERDIAG_MSFT] network+2 */
    guint8 n_tags;              /* tags seen on the link (first sender's) / configured */
    erdiag_vlan_tag tags[ERDIAG_MAX_TAGS];
    guint32 iface;
    erdiag_arp_row arp[2];
    erdiag_bgp_session bgp;
    erdiag_rib *rib[2];         /* [ERDIAG_CUST] routes the customer advertised, [ERDIAG_MSFT] routes Microsoft advertised */
    /* The session predates the capture and was not re-established in it: the
     * RIBs hold only what was advertised during the capture, so a route's
     * absence proves nothing (missing-route checks are not made). */
    gboolean routes_partial;
    GArray *counts;             /* erdiag_count_sample */
    guint64 frames;             /* packets mapped to this link */
    guint64 dataplane_frames;   /* forwarded traffic seen crossing it */
    gint64 first_ts_us, last_ts_us;
    /* flows whose first packet crossed this link: every flow's verdict
     * counted, rows kept for ERDIAG_FLOW_ROWS_MAX (failed ones first) */
    guint64 flow_verdicts[ERDIAG_FLOW_VERDICT_COUNT];
    GPtrArray *flows;           /* erdiag_flow_row*, in first-frame order once the capture ended */
    guint64 flows_not_listed;   /* flows counted but not kept as rows */
    erdiag_bfd_view bfd;
    /* what the routes tell of the topology (topology.c): the far side's AS
     * before 12076 in its paths (a layer-3 provider), and the first
     * Microsoft-peering service community (12076:5xxx) it tagged a route with */
    guint32 path_provider_asn;
    guint64 path_l3_frame;
    guint32 service_community;
    guint64 service_community_frame;
};

struct erdiag_peering {
    char *name;
    gboolean configured;
    const erdiag_peering_config *cfg;  /* NULL when inferred */
    guint8 n_tags;                     /* the peering's tag stack (outer first) */
    erdiag_vlan_tag tags[ERDIAG_MAX_TAGS];
    GPtrArray *links;                  /* erdiag_link*, primary first */
};

/* A BGP session between two addresses that are not the two ends of a
 * peering link (loopbacks, a subnet that is not a /30 or /126, a neighbour
 * outside the configured subnets): reported as capture.unmapped-bgp with
 * what can be told of it. */
#define ERDIAG_UNMAPPED_TIMELINE_MAX 32
typedef struct {
    erdiag_addr addr[2];        /* [0] the first sender seen */
    guint16 port[2];            /* TCP ports of the first connection seen */
    guint32 asn[2];             /* from the OPENs (0: no OPEN seen) */
    guint8 n_tags;              /* tags of the first frame */
    erdiag_vlan_tag tags[ERDIAG_MAX_TAGS];
    guint64 msgs[2][6];         /* per speaker, per BGP type (1..5) */
    guint32 notifications[2];
    guint32 connections;        /* SYNs of new connections */
    erdiag_bgp_state state;     /* at the capture's end */
    gboolean start_unknown;     /* the capture starts mid-connection: the earlier state is unknown */
    gboolean ever_established;
    gboolean was_up_at_start;   /* Established before the capture (UPDATEs/KEEPALIVEs without OPENs) */
    guint32 times_established, times_lost;
    guint64 first_frame, last_frame;
    gint64 first_ts_us, last_ts_us;
    GPtrArray *timeline;        /* erdiag_timeline_entry*, by = unknown; first ERDIAG_UNMAPPED_TIMELINE_MAX kept */
    guint64 timeline_dropped;
} erdiag_unmapped_bgp;

/* Summary of the capture as a whole. */
typedef struct {
    guint64 frames;
    guint64 frames_unmapped;           /* packets that belong to no peering */
    gint64 first_ts_us, last_ts_us;
    GPtrArray *files;                  /* char*: input names */
    GPtrArray *notes;                  /* char*: decode notes (first 100 kept) */
    guint64 notes_dropped;
    gboolean truncated;                /* a file ended mid-record */
    GPtrArray *unmapped_bgp;           /* erdiag_unmapped_bgp*, bounded (the rest counted) */
    guint64 unmapped_bgp_dropped;      /* messages of sessions beyond the bound, not tracked */
} erdiag_capture_info;

/* The topology of a link or peering (analysis/topology.c): the far side
 * is a layer-3 provider's PE (configured provider = l3, or zero-config
 * evidence in the paths), and its AS (configured, seen in paths, or its
 * OPEN's; 0 when unknown or not layer 3). */
gboolean erdiag_link_layer3(const erdiag_link *l);
guint32 erdiag_link_provider_asn(const erdiag_link *l);
/* Why the far side is where it is, for reports ("its OPEN carries AS 12076",
 * "a layer-3 provider's PE (AS 65100) ..."); newly allocated. */
char *erdiag_link_far_side_text(const erdiag_link *l);
/* Microsoft peering: configured (peering-type, or an Azure export of
 * MicrosoftPeering), or a route tagged with a service community. */
gboolean erdiag_peering_is_microsoft(const erdiag_peering *pe);
/* "config", "service-community" or NULL (private peering) */
const char *erdiag_peering_type_evidence(const erdiag_peering *pe);

G_END_DECLS

#endif
