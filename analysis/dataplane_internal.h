/* Between the data plane's parts: dataplane.c (what the routes say about
 * an address, the uncovered-source and size checks, the dispatch of each
 * packet), dataplane_flows.c (the flows and their verdicts) and
 * dataplane_size.c (fragments and path MTU). */
#ifndef ERDIAG_DATAPLANE_INTERNAL_H
#define ERDIAG_DATAPLANE_INTERNAL_H

#include "engine_internal.h"

typedef struct flows_state flows_state;

/* One data-plane packet as the flows see it. */
typedef struct {
    guint8 proto;             /* 6, 17, 1 or 58 */
    const erdiag_addr *src, *dst; /* the event's, not copied per packet */
    guint16 sport, dport;     /* ICMP echo: the identifier in both */
    guint8 tcp_flags;
    guint16 mss;              /* SYN's MSS option, 0 when absent */
    guint32 ip_len;
    gboolean echo_request, echo_reply;
    gboolean to_azure;        /* toward Azure's address space (else from it) */
    gboolean uncovered;       /* toward Azure from a source no on-prem prefix covers */
} flows_packet;

/* The flow a packet belongs to, looked up once per packet: dataplane.c
 * reads the routes' verdicts on its ends from it, dataplane_flows.c counts
 * the packet in it. */
typedef struct {
    struct flow *flow;        /* NULL: no flow yet */
    int dir;                  /* 0: from its initiator, 1: from its responder */
} flows_hit;

/* dataplane_flows.c */
flows_state *flows_new(erdiag_engine *e, const erdiag_thresholds *t);
void flows_free(flows_state *fs);
flows_hit flows_find(erdiag_engine *e, guint8 proto, const erdiag_addr *src, const erdiag_addr *dst,
                     guint16 sport, guint16 dport);
/* hit: flows_find() for the packet, with nothing added to or removed from
 * the table since */
void flows_packet_seen(erdiag_engine *e, link_impl *l, const flows_packet *p, const erdiag_packet_meta *pkt,
                       flows_hit hit);
/* An ICMP destination unreachable (or packet too big) about a flow. */
void flows_icmp_error(erdiag_engine *e, link_impl *l, const erdiag_ip_ev *ip, const erdiag_packet_meta *pkt);
void flows_check_time(erdiag_engine *e, gboolean at_end);
/* Every flow forgets the routes' answers about its ends. */
void flows_forget_routes(erdiag_engine *e);

/* dataplane.c */
flows_state *dataplane_flows(erdiag_engine *e);
gboolean dataplane_is_azure_addr(erdiag_engine *e, const erdiag_addr *a);
/* The flow from src (on link l) toward Azure, an uncovered source, got no
 * answer: its uncovered-source finding says so (FALSE: that finding is not
 * at hand, the flow is judged on its own). requests: its SYNs / echo
 * requests; flows 0 adds requests to a flow counted already. */
gboolean dataplane_uncovered_silence(erdiag_engine *e, const erdiag_link *l, const erdiag_addr *src,
                                     guint32 flows, guint32 requests);

/* dataplane_size.c */
void size_fragment(erdiag_engine *e, link_impl *l, const erdiag_ip_ev *ip, const erdiag_packet_meta *pkt);
void size_path_mtu(erdiag_engine *e, link_impl *l, const erdiag_ip_ev *ip, const erdiag_packet_meta *pkt);
void size_syn_mss(erdiag_engine *e, link_impl *l, const erdiag_tcp_ev *t, const erdiag_packet_meta *pkt);

#endif
