/* The engine's private state, shared by the analysis/ sources only. */
#ifndef ERDIAG_ENGINE_INTERNAL_H
#define ERDIAG_ENGINE_INTERNAL_H

#include "erdiag/engine.h"

#define ERDIAG_MAX_SYNS 64        /* pending port-179 SYNs remembered per link */

/* A link's ARP requests in one direction (indexed by the side asked for). */
typedef struct {
    gboolean pending;             /* requests since the last reply */
    guint64 pending_frame;        /* first request still waiting */
    gint64 pending_ts_us;
    guint32 pending_count;
    gboolean ever_answered;
    guint32 unanswered_total;     /* requests that timed out; their frames wait in finding_pending_evidence() */
    erdiag_side asker;            /* side of the last request's sender */
} arp_direction;

/* One port-179 connection attempt (a SYN without SYN-ACK yet). */
typedef struct {
    gboolean used;
    erdiag_side from;             /* side that sent the SYN */
    guint16 sport, dport;
    guint32 isn;
    guint64 frame;                /* first SYN */
    gint64 ts_us;
    guint32 retries;
    gboolean md5;
    gboolean answered;            /* SYN-ACK seen */
    gboolean judged;              /* timed out and reported */
} syn_attempt;

typedef struct {
    erdiag_link pub;              /* must stay first: erdiag_link* <-> link_impl* */
    guint32 no;                   /* 1 + its index in e->links: a flow names its links by it */

    /* l2 */
    arp_direction arp_dir[2];     /* [side asked for] */
    gboolean tags_known[2];       /* per sender side, the tag stack first seen */
    guint8 n_side_tags[2];
    erdiag_vlan_tag side_tags[2][ERDIAG_MAX_TAGS];
    gboolean mac_known[2];        /* the MAC that owns each address */
    guint8 owner_mac[2][6];
    /* capture interfaces (pcapng interface or file) its ARP/BGP came in on:
     * bit i for interface i < 64; iface_high for any other */
    guint64 iface_mask;
    gboolean iface_high;

    /* bgp */
    syn_attempt syns[ERDIAG_MAX_SYNS];
    gboolean md5_syn[2];          /* a side sent SYNs with the MD5 option */
    gboolean plain_syn[2];        /* ... or without it */
    gboolean tcp_up;              /* handshake completed on the current connection */
    guint16 conn_port[2];         /* ports of the current connection per side */
    gboolean keepalive_after_open[2];
    gint64 first_tcp_us;
    guint64 first_tcp_frame;
    gboolean midstream;           /* session was up before the capture started */
    gboolean start_unknown;       /* the capture starts within a connection (no SYN first) */
    gboolean first_msg_seen;
    gboolean attempt_seen;        /* a SYN or an OPEN: a start the verdict can judge from */
    /* each side's TCP stream on port 179: a hole is bytes never captured */
    gboolean seq_known[2];
    guint16 seq_port[2];
    guint32 seq_next[2];
    gboolean hole[2];
    guint32 hole_seq[2];
    /* dataplane.oversize on this link and the largest size it quotes: a
     * larger packet rewrites it, the others only add evidence */
    erdiag_finding *oversize;
    guint32 oversize_max;
    /* dataplane.fragmented / dataplane.pmtu on this link (one each; later
     * packets add evidence) and the failed flows marked in its timeline */
    erdiag_finding *fragmented, *pmtu;
    guint32 fragments, fragmented_max, pmtu_min;
    guint32 flow_marks;
    /* BFD (bfd_tracker.c): the first Up -> Down, and its finding */
    guint64 bfd_first_frame[2];
    gint64 bfd_first_ts[2];
    guint64 bfd_down_frame;
    gint64 bfd_down_ts;
    int bfd_down_side;
    guint8 bfd_down_diag;
    erdiag_finding *bfd_down;
    /* KEEPALIVE cadence per side in the current Established period (reset
     * when it starts and ends): intervals from the side's last KEEPALIVE or
     * UPDATE (either restarts its KeepaliveTimer) to its next KEEPALIVE */
    gint64 ka_ref_us[2];          /* last KEEPALIVE or UPDATE (0 = none yet) */
    guint32 ka_intervals[2];
    gint64 ka_min_us[2], ka_max_us[2];
    gboolean silence_reported[2];
    erdiag_bgp_state state_before_down;
    gboolean opens_checked;       /* the OPENs of the current connection were judged */
    gboolean fin_pending;         /* a FIN seen in the frame being processed */
    int fin_side;
    erdiag_packet_meta fin_pkt;
    /* connection failures after the session had been up: reported at the end
     * only if it did not come back (a flap's restarts are not a failure) */
    struct {
        gboolean pending;
        guint64 frames[2];
        gint64 ts_us;
        char *message;
    } deferred_failure[3];

    /* routes */
    gboolean eor_seen[2];
    guint64 eor_frame[2], last_update_frame[2]; /* per sender: where its table is complete */
    gint64 eor_ts_us[2], last_update_ts_us[2];
    guint32 max_prefixes[2][2];   /* [sender][0 v4, 1 v6] highest distinct count seen */
    guint64 max_prefixes_frame[2][2];
    /* per sender side: NLRI of address families not analysed, and prefixes
     * withdrawn by RFC 7606 treat-as-withdraw (bgp_update_checks.c) */
    erdiag_bgp_afi_count other_afi[2][ERDIAG_BGP_MAX_OTHER_AFI];
    guint n_other_afi[2];
    guint32 treated_as_withdrawn[2];
} link_impl;

#define LINK_IMPL(l) ((link_impl *)(l))

typedef struct {
    guint8 n_tags;
    erdiag_vlan_tag tags[ERDIAG_MAX_TAGS];
    erdiag_addr sender, target;
    guint64 frame;
    gint64 ts_us;
    guint32 iface;
} unmapped_arp;

typedef struct dataplane_state dataplane_state;
typedef struct macsec_state macsec_state;

struct erdiag_engine {
    const erdiag_config *cfg;     /* never NULL: the caller's or default_cfg */
    erdiag_config *default_cfg;
    gboolean zero_config;
    GPtrArray *peerings;          /* erdiag_peering* (owned) */
    GPtrArray *links;             /* link_impl* (borrowed from peerings) */
    guint64 link_macs_gen;        /* counts links added and routers' MACs learnt (dataplane.c's memo) */
    erdiag_capture_info info;
    guint64 last_frame;
    guint64 max_frame;            /* highest frame number counted in info */
    guint64 first_frame;          /* the first frame read (capture-wide findings' anchor) */
    gboolean frames_reported;     /* the front end calls erdiag_engine_frame() */

    GPtrArray *findings;          /* erdiag_finding* (owned) */
    GHashTable *finding_by_key;   /* key -> erdiag_finding* */
    /* Evidence frame index (finding_store.c): every evidence frame of every
     * finding, bounded in total; see docs/architecture.md, Memory. */
    GArray *evidence;             /* evidence_entry, sorted by frame */
    GArray *evidence_late;        /* entries older than the last indexed frame, merged in batches */
    guint64 evidence_unindexed;   /* evidence frames past the bound: counted, not indexed */
    GPtrArray *frame_answer;      /* erdiag_engine_frame_findings' answer (reused) */
    GHashTable *pending_evidence; /* finding key -> frames that become evidence if it is raised */
    guint pending_frames;         /* frames held in pending_evidence */
    GHashTable *finding_groups;   /* kind + link (or peering) -> findings raised in it (finding_store.c) */
    guint64 next_seq;
    gboolean findings_sorted;
    erdiag_finding_cb cb;
    gpointer cb_user;

    gint64 now_us;
    gint64 next_check_us;
    gboolean fin_pending_any;     /* some link waits for its frame to end (bgp_session_frame_done) */
    gboolean finished;

    GArray *unmapped_arps;        /* unmapped_arp, bounded */
    dataplane_state *dataplane;
    macsec_state *macsec;         /* MACsec frames seen (macsec_check.c), NULL until the first */
    const struct erdiag_azure_exports *azure_exports; /* --azure-nsg ... (azure_findings.c), NULL when none */
    guint64 inferred_links_refused; /* zero-config pairs past the link bound (peering_map.c) */
    struct erdiag_rib_store *rib_store; /* attribute sets and route budget of all links' RIBs (rib.h) */
};

/* finding_store.c */
void finding_store_init(erdiag_engine *e);
void finding_store_free(erdiag_engine *e);
/* Create the finding (key = kind + peering + link + extra) or update its
 * message and severity; the callback fires on creation only. */
erdiag_finding *finding_raise(erdiag_engine *e, erdiag_finding_kind kind, erdiag_severity sev,
                              const erdiag_link *link, const erdiag_peering *peering,
                              const char *extra, const char *advice, const char *fmt, ...)
    G_GNUC_PRINTF(8, 9);
erdiag_finding *finding_lookup(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link,
                               const erdiag_peering *peering, const char *extra);
void finding_evidence(erdiag_engine *e, erdiag_finding *f, guint64 frame, gint64 ts_us);
/* A frame that is evidence only if the finding (kind, link, peering, extra)
 * is raised later (an ARP request until it times out, a withdrawal before a
 * prefix counts as flapping): kept until the next finding_raise() with that
 * identity, which takes it as evidence, or finding_pending_drop(). Bounded
 * in total; past the bound it is only counted (or, for a new identity, not
 * at all). */
void finding_pending_evidence(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link,
                              const erdiag_peering *peering, const char *extra, guint64 frame, gint64 ts_us);
void finding_pending_drop(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link,
                          const erdiag_peering *peering, const char *extra);
/* End of capture: every finding still without a frame is anchored on the
 * frame that best shows it (its link's failing evidence or first frame, the
 * capture's first frame), so every finding reaches a packet. */
void finding_store_anchor(erdiag_engine *e);
/* Findings with evidence in this frame, in the order they became known. */
const GPtrArray *finding_store_frame_findings(erdiag_engine *e, guint64 frame);
gboolean finding_exists_for_link(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link);

/* peering_map.c */
void peering_map_init(erdiag_engine *e);
void peering_map_free(erdiag_engine *e);
/* The link whose subnet holds a (NULL when none). */
link_impl *peering_map_link_for_addr(erdiag_engine *e, const erdiag_addr *a);
/* The tag stack the configuration gives a link (its own S-tag, else the
 * peering's outer-vlan; then vlan), outer first; 0 without configuration. */
guint8 peering_map_config_tags(const erdiag_link *l, erdiag_vlan_tag out[ERDIAG_MAX_TAGS]);
/* The link for a packet between a and b: an existing one, or (zero-config)
 * a new one when a and b are the two peering addresses of one /30 or /126. */
link_impl *peering_map_link_for_pair(erdiag_engine *e, const erdiag_addr *a, const erdiag_addr *b,
                                     const erdiag_packet_meta *pkt);
erdiag_side link_side_of(const erdiag_link *l, const erdiag_addr *a);
/* The peering whose tag stack equals the packet's (NULL when none). */
erdiag_peering *peering_map_peering_for_tags(erdiag_engine *e, const erdiag_packet_meta *pkt);
gboolean tags_equal(guint8 na, const erdiag_vlan_tag *a, guint8 nb, const erdiag_vlan_tag *b);
/* Everything known per side changes hands (the AS 12076 speaker is Microsoft). */
void link_swap_roles(link_impl *l);
/* zero-config: move a link to the peering of Microsoft's tag stack */
void peering_map_regroup(erdiag_engine *e, link_impl *l, guint8 n, const erdiag_vlan_tag *tags);
/* zero-config: the link's ASes became known; it may leave or join a peering */
void peering_map_recheck(erdiag_engine *e, link_impl *l);
const char *link_name(const erdiag_link *l);   /* "contoso/primary" */
void link_touch(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt);
/* The one link of pe seen on capture interface iface when no other link
 * was seen there (a capture per link), else NULL (a trunk capture, or
 * nothing known): the link of traffic that names none by its addresses. */
link_impl *link_alone_on_iface(erdiag_engine *e, const erdiag_peering *pe, guint32 iface);

/* arp_tracker.c */
void arp_tracker_feed(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);
void arp_tracker_check_time(erdiag_engine *e, gboolean at_end);
void arp_tracker_finish(erdiag_engine *e);

/* bgp_session.c */
void bgp_session_tcp(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);
void bgp_session_msg(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);
void bgp_session_check_time(erdiag_engine *e, gboolean at_end);
void bgp_session_finish(erdiag_engine *e);
/* the events of one frame are all fed: apply what waited for them */
void bgp_session_frame_done(erdiag_engine *e);
void bgp_session_free(erdiag_bgp_session *s);
/* one timeline entry (a session's, an unmapped session's), unless max are kept already */
void timeline_append_v(GPtrArray *timeline, guint max, guint64 *dropped, gint64 ts_us, guint64 frame,
                       erdiag_side by, erdiag_bgp_state state, const char *fmt, va_list ap) G_GNUC_PRINTF(8, 0);
void bgp_timeline_add(erdiag_link *l, gint64 ts_us, guint64 frame, erdiag_side by, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);

/* bgp_update_checks.c: an UPDATE's RFC 7606 errors (bgp.update-error) and
 * what the route table does with it; other address families' NLRI counted */
void bgp_update_errors(erdiag_engine *e, link_impl *l, int side, const erdiag_bgp_update *u,
                       const erdiag_packet_meta *pkt);
void bgp_update_apply(erdiag_engine *e, link_impl *l, erdiag_side from, const erdiag_bgp_update *u,
                      const erdiag_packet_meta *pkt);
/* "12 IPv4 labeled unicast (AFI 1/SAFI 4) NLRI, ..." that side sent, NULL if none (g_free) */
char *bgp_other_afi_text(const link_impl *l, int side);
/* capture notes on the other address families seen */
void bgp_update_finish(erdiag_engine *e);

/* unmapped_bgp.c: BGP sessions outside the peering links (capture.unmapped-bgp) */
void unmapped_bgp_init(erdiag_engine *e);
void unmapped_bgp_free(erdiag_engine *e);
void unmapped_bgp_tcp(erdiag_engine *e, const erdiag_event *ev);
void unmapped_bgp_msg(erdiag_engine *e, const erdiag_event *ev);
void unmapped_bgp_finish(erdiag_engine *e);

/* route_checks.c: RIB upkeep and the "routes"/"redundancy" findings */
void routes_update(erdiag_engine *e, link_impl *l, erdiag_side from, const erdiag_bgp_update *u,
                   const erdiag_packet_meta *pkt);
void routes_session_down(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt);
void routes_finish(erdiag_engine *e);
void redundancy_finish(erdiag_engine *e);

/* route_checks.c: routes.prefix-limit for n on-prem prefixes of a family (seen at frame) */
void routes_judge_limit(erdiag_engine *e, link_impl *l, int family, guint n, guint64 frame, gint64 ts_us);

/* topology.c: layer-3 providers and Microsoft peering */
/* A route from the far side that is Azure's: not an echo of on-prem's own,
 * not another circuit's (Global Reach), and behind a layer-3 provider's PE
 * one that reaches AS 12076 (the others are the provider's other sites). */
gboolean azure_route(const erdiag_link *l, const erdiag_route *rt);
/* An UPDATE from side *dir: notes service communities, and in zero-config
 * recognises a layer-3 provider's PE by its paths (swapping the link's
 * roles, and *dir, when the PE holds network + 1). */
void topology_update(erdiag_engine *e, link_impl *l, int *dir, const erdiag_bgp_update *u,
                     const erdiag_packet_meta *pkt);
void topology_finish(erdiag_engine *e);

/* global_reach.c: other circuits' on-prem routes from the Microsoft side */
gboolean global_reach_route(const erdiag_link *l, const erdiag_route *rt);
void global_reach_check(erdiag_engine *e, link_impl *l);

/* msee_prepend.c: the Microsoft side's paths longer on one link of the pair */
void msee_prepend_check(erdiag_engine *e, erdiag_peering *pe, link_impl *pri, link_impl *sec, int family);

/* bfd_tracker.c: BFD per link (bfd.*) */
void bfd_feed(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);
void bfd_finish(erdiag_engine *e);

/* macsec_check.c: encrypted frames (capture.macsec) */
void macsec_feed(erdiag_engine *e, const erdiag_event *ev);
void macsec_finish(erdiag_engine *e);
void macsec_free(erdiag_engine *e);
gboolean macsec_seen(const erdiag_engine *e);

/* flow_rows.c: a link's flows table */
void erdiag_flow_row_free(gpointer p);
void flow_rows_add(erdiag_link *l, const erdiag_flow_row *row);
void flow_rows_finish(erdiag_link *l);

/* dataplane.c */
dataplane_state *dataplane_new(erdiag_engine *e, const erdiag_thresholds *t);
void dataplane_free(dataplane_state *d);
void dataplane_tcp(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);
void dataplane_ip(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);
void dataplane_check_time(erdiag_engine *e, gboolean at_end);
/* Route changes, for the data plane's cached route lookups: a RIB of
 * direction dir (ERDIAG_CUST / ERDIAG_MSFT) changed with u; any RIB changed
 * in any way (a session went down). */
void dataplane_routes_changed(erdiag_engine *e, int dir, const erdiag_bgp_update *u);
void dataplane_routes_reset(erdiag_engine *e);

/* config_checks.c: config.* findings, before any packet */
void config_checks_run(erdiag_engine *e);

#endif
