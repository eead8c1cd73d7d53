/* Step "dataplane": the article's last checks. With ARP and BGP fine, does an
 * on-prem host's connection to Azure get answered, is its source covered by
 * an advertised prefix, do packets fit the MSEE's MTU, and is there an FHRP
 * on the peering VLAN? Flows live in a bounded table (idle ones evicted). */
#include <string.h>
#include "azure_exports.h"
#include "engine_internal.h"
#include "dataplane_internal.h"
#include "flow_table.h"
#include "rib.h"

#define MSEE_IP_MTU 1500u

/* What the routes say about one address. A data-plane packet would
 * otherwise walk every link's RIB for its addresses; each answer is kept
 * with the generation of the routes it was computed from (see
 * route_changes). The cache is two-way set-associative (a busy address
 * seldom loses its slot to another one); a miss costs the walk it
 * replaces. */
typedef struct {
    guint64 azure_gen, onprem_gen; /* generation + 1 when computed; 0 = not yet */
    gboolean azure;        /* inside Azure's address space: depends on the routes from Microsoft */
    gboolean onprem;       /* covered by an on-prem prefix: depends on the routes from on-prem */
} route_verdict;

typedef struct {
    erdiag_addr addr;
    route_verdict v;
} addr_verdict;

#define VERDICT_SET_BITS 13
#define VERDICT_SLOTS (2u << VERDICT_SET_BITS)

/* The recent changes to one direction's RIBs, so that a cached answer about
 * an address outside every changed prefix (an address of ongoing traffic,
 * while routes flap elsewhere) is confirmed by a glance at the few prefixes
 * changed since, not by walking the RIBs again. */
#define ROUTE_CHANGES_KEPT 256u

typedef struct {
    guint64 gen;           /* changes so far (UPDATEs and resets) */
    guint64 wiped_at;      /* generation of the last change that may touch any address */
    guint64 kept_after;    /* every change of a later generation is in log[] */
    guint64 logged;        /* prefixes ever appended to log[] */
    struct {
        guint64 gen;
        erdiag_prefix prefix;
    } log[ROUTE_CHANGES_KEPT];
} route_changes;

/* The uncovered-source finding raised for a source on a link. A source
 * that keeps sending (every packet of its flows is evidence) then adds to
 * it without the finding being looked up by key, and its message
 * formatted, per packet. Fixed size (8,192 slots, 320 KiB), direct-mapped:
 * a miss only costs the lookup it saves. */
#define UNCOVERED_MEMO_BITS 13

typedef struct {
    erdiag_addr src;
    const link_impl *link;
    erdiag_finding *finding; /* NULL: empty slot */
    erdiag_addr dst;         /* the first destination, quoted in the message */
    guint32 unanswered_flows, unanswered_syns; /* its connections judged unanswered */
} uncovered_memo;

/* The links the last data-plane packets' MAC pairs named: forwarded
 * packets carry the routers' MACs, one pair per link, so a packet's pair is
 * nearly always one of the last two, and the walk over every link's MACs is
 * skipped. Either order of a pair names the same link. Valid while
 * e->link_macs_gen is unchanged. */
typedef struct {
    guint8 a[6], b[6];
    guint64 gen;              /* e->link_macs_gen + 1 when found; 0: empty */
    link_impl *link;
} link_memo;

#define LINK_MEMOS 2

struct dataplane_state {
    flows_state *flows;
    link_memo link_memo[LINK_MEMOS];
    guint link_memo_next;     /* the one to replace */
    addr_verdict verdicts[VERDICT_SLOTS];
    route_changes changes[2];  /* [ERDIAG_CUST], [ERDIAG_MSFT] */
    uncovered_memo uncovered[1u << UNCOVERED_MEMO_BITS];
};

dataplane_state *dataplane_new(erdiag_engine *e, const erdiag_thresholds *t)
{
    dataplane_state *d = g_new0(dataplane_state, 1);
    d->flows = flows_new(e, t);
    return d;
}

void dataplane_free(dataplane_state *d)
{
    if (!d)
        return;
    flows_free(d->flows);
    g_free(d);
}

flows_state *dataplane_flows(erdiag_engine *e)
{
    return e->dataplane->flows;
}

/* Azure's address space: the configured VNets, or what the MSEE advertises. */
static gboolean azure_space_holds(erdiag_engine *e, const erdiag_addr *a)
{
    for (guint i = 0; i < e->cfg->peerings->len; i++) {
        const erdiag_peering_config *pc = g_ptr_array_index(e->cfg->peerings, i);
        for (guint k = 0; k < pc->vnet_prefixes->len; k++)
            if (erdiag_prefix_contains_addr(&g_array_index(pc->vnet_prefixes, erdiag_prefix, k), a))
                return TRUE;
    }
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        /* echoes of on-prem's own routes are not Azure's (rib.h), nor another
         * circuit's on-prem routes (global_reach.c), nor a layer-3
         * provider's other sites (topology.c) */
        const erdiag_route *rt = erdiag_rib_covering_addr_except(l->pub.rib[ERDIAG_MSFT], a, erdiag_link_onprem_as(&l->pub));
        if (rt && azure_route(&l->pub, rt))
            return TRUE;
    }
    return FALSE;
}

/* Whether the on-prem routes in the capture can tell a source is not
 * covered: a session has been up, and no link's view is partial (a session
 * that predates the capture may have advertised the covering prefix before
 * it). */
static gboolean onprem_routes_known(erdiag_engine *e)
{
    gboolean up = FALSE;
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (l->pub.routes_partial)
            return FALSE;
        up = up || l->pub.bgp.ever_established || l->midstream;
    }
    return up;
}

static gboolean onprem_routes_cover(erdiag_engine *e, const erdiag_addr *a)
{
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (erdiag_rib_covering_addr(l->pub.rib[ERDIAG_CUST], a))
            return TRUE;
    }
    return FALSE;
}

/* The cache entry for a: found in its set and made the set's most recent,
 * or made there in place of the least recent one. */
static addr_verdict *verdict_for(erdiag_engine *e, const erdiag_addr *a)
{
    guint set = (flow_addr_word(a) * 2654435761u) >> (32 - VERDICT_SET_BITS); /* Fibonacci hashing */
    addr_verdict *way = &e->dataplane->verdicts[2 * set];
    if (flow_same_addr(&way[0].addr, a))
        return &way[0];
    addr_verdict older = way[0];
    if (flow_same_addr(&way[1].addr, a)) {
        way[0] = way[1];
    } else {
        way[0].addr = *a;
        way[0].v.azure_gen = way[0].v.onprem_gen = 0;
    }
    way[1] = older;
    return &way[0];
}

/* erdiag_prefix_contains_addr() without the call for IPv4. */
static gboolean prefix_holds(const erdiag_prefix *p, const erdiag_addr *a)
{
    if (p->addr.family != 4 || a->family != 4 || p->len > 32)
        return erdiag_prefix_contains_addr(p, a);
    guint32 x, y;
    memcpy(&x, p->addr.bytes, 4);
    memcpy(&y, a->bytes, 4);
    guint32 mask = p->len ? GUINT32_TO_BE(0xffffffffu << (32 - p->len)) : 0;
    return ((x ^ y) & mask) == 0;
}

/* Whether an answer about a computed at generation+1 `stored`, before the
 * latest change, still holds (and if so, marks it current). */
static gboolean still_holds_after_changes(route_changes *c, guint64 *stored, const erdiag_addr *a)
{
    if (*stored == 0)
        return FALSE;
    guint64 g = *stored - 1;
    if (g < c->wiped_at || g < c->kept_after)
        return FALSE;
    for (guint64 i = c->logged; i > 0; i--) {
        if (c->log[(i - 1) % ROUTE_CHANGES_KEPT].gen <= g)
            break;
        if (prefix_holds(&c->log[(i - 1) % ROUTE_CHANGES_KEPT].prefix, a))
            return FALSE;
    }
    *stored = c->gen + 1;
    return TRUE;
}

typedef gboolean (*route_question)(erdiag_engine *e, const erdiag_addr *a);

/* The answer kept in *answer when the routes of direction dir have not
 * changed it since *gen, else ask()'s, kept for next time. Inline: nearly
 * every packet takes the first return, one comparison. */
static inline gboolean kept_answer(erdiag_engine *e, int dir, guint64 *gen, gboolean *answer, const erdiag_addr *a,
                                   route_question ask)
{
    route_changes *c = &e->dataplane->changes[dir];
    if (*gen == c->gen + 1)
        return *answer;
    if (!still_holds_after_changes(c, gen, a)) {
        *answer = ask(e, a);
        *gen = c->gen + 1;
    }
    return *answer;
}

gboolean dataplane_is_azure_addr(erdiag_engine *e, const erdiag_addr *a)
{
    route_verdict *v = &verdict_for(e, a)->v;
    return kept_answer(e, ERDIAG_MSFT, &v->azure_gen, &v->azure, a, azure_space_holds);
}

static gboolean onprem_covered(erdiag_engine *e, const erdiag_addr *a)
{
    route_verdict *v = &verdict_for(e, a)->v;
    return kept_answer(e, ERDIAG_CUST, &v->onprem_gen, &v->onprem, a, onprem_routes_cover);
}

/* The same answers about an end of the packet's flow: the flow keeps its
 * own copy, valid while the routes of that direction do not change (most
 * packets look neither address up; after a change the per-address cache
 * answers). */
static inline guint8 flow_routes(erdiag_engine *e, flow *f, int dir, guint8 bits)
{
    guint32 now = (guint32)(e->dataplane->changes[dir].gen + 1);
    if (f->route_stamp[dir] != now) {
        f->route_stamp[dir] = now;
        f->routes &= (guint8)~bits;
    }
    return f->routes;
}

static inline gboolean end_is_azure(erdiag_engine *e, flows_hit hit, int end, const erdiag_addr *a)
{
    flow *f = hit.flow;
    if (!f)
        return dataplane_is_azure_addr(e, a);
    if (!(flow_routes(e, f, ERDIAG_MSFT, FLOW_AZURE_BITS) & FLOW_AZURE_KNOWN(end)))
        f->routes |= FLOW_AZURE_KNOWN(end) | (dataplane_is_azure_addr(e, a) ? FLOW_AZURE(end) : 0);
    return (f->routes & FLOW_AZURE(end)) != 0;
}

static inline gboolean end_onprem_covered(erdiag_engine *e, flows_hit hit, int end, const erdiag_addr *a)
{
    flow *f = hit.flow;
    if (!f)
        return onprem_covered(e, a);
    if (!(flow_routes(e, f, ERDIAG_CUST, FLOW_ONPREM_BITS) & FLOW_ONPREM_KNOWN(end)))
        f->routes |= FLOW_ONPREM_KNOWN(end) | (onprem_covered(e, a) ? FLOW_ONPREM(end) : 0);
    return (f->routes & FLOW_ONPREM(end)) != 0;
}

/* A change of the routes of direction dir (the generation counted up):
 * when the low 32 bits the flows keep wrap around, a flow's stamp from
 * 2^32 changes ago would pass for current. */
static void routes_generation_moved(erdiag_engine *e, int dir)
{
    if ((guint32)(e->dataplane->changes[dir].gen + 1) == 0)
        flows_forget_routes(e);
}

/* The ends of a packet of the flow (flow_sender_end()); without a flow
 * both answers come from the per-address cache and the ends do not matter. */
static int sender_end(flows_hit hit)
{
    return hit.flow ? flow_sender_end(hit.flow, hit.dir) : 0;
}

/* The link a forwarded packet crossed: by the routers' MACs, else by the
 * capture interface, else by tags. */
static link_impl *link_for_packet(erdiag_engine *e, const erdiag_packet_meta *pkt)
{
    if (pkt->has_macs) {
        dataplane_state *d = e->dataplane;
        for (guint i = 0; i < LINK_MEMOS; i++) {
            link_memo *m = &d->link_memo[i];
            if (m->gen == e->link_macs_gen + 1
                && ((memcmp(m->a, pkt->src_mac, 6) == 0 && memcmp(m->b, pkt->dst_mac, 6) == 0)
                    || (memcmp(m->a, pkt->dst_mac, 6) == 0 && memcmp(m->b, pkt->src_mac, 6) == 0)))
                return m->link;
        }
        for (guint i = 0; i < e->links->len; i++) {
            link_impl *l = g_ptr_array_index(e->links, i);
            for (int s = 0; s < 2; s++)
                if (l->mac_known[s] && (memcmp(l->owner_mac[s], pkt->src_mac, 6) == 0
                                        || memcmp(l->owner_mac[s], pkt->dst_mac, 6) == 0)) {
                    link_memo *m = &d->link_memo[d->link_memo_next];
                    d->link_memo_next = (d->link_memo_next + 1) % LINK_MEMOS;
                    memcpy(m->a, pkt->src_mac, 6);
                    memcpy(m->b, pkt->dst_mac, 6);
                    m->gen = e->link_macs_gen + 1;
                    m->link = l;
                    return l;
                }
        }
    }
    erdiag_peering *pe = peering_map_peering_for_tags(e, pkt);
    if (!pe || !pe->links->len)
        return NULL;
    /* a capture per link tells by its interface; else (a trunk, or
     * nothing seen on the interface yet) the peering's first link */
    link_impl *alone = link_alone_on_iface(e, pe, pkt->iface);
    return alone ? alone : g_ptr_array_index(pe->links, 0);
}

static void classify(erdiag_packet_class *cls, link_impl *l, erdiag_side side)
{
    if (!l)
        return;
    if (side != ERDIAG_SIDE_UNKNOWN)
        l->pub.dataplane_frames++;
    if (!cls)
        return;
    cls->peering = l->pub.peering;
    cls->link = &l->pub;
    cls->side = side;
    cls->step = ERDIAG_STEP_DATAPLANE;
}

static const char *const advice_uncovered =
    "Azure has no route back to this source: the MSEE only returns traffic to addresses inside "
    "prefixes on-prem advertises, so its connections go unanswered whatever the NSGs allow. "
    "Advertise a prefix that covers it (or NAT it into an advertised range) on both links. This is "
    "the article's 'is the on-prem source IP inside the advertised routes' check.";

static uncovered_memo *uncovered_slot(erdiag_engine *e, const link_impl *l, const erdiag_addr *src)
{
    /* a source seen on both links has a slot per link */
    guint32 h = (flow_addr_word(src) ^ (guint32)GPOINTER_TO_UINT(l)) * 2654435761u;
    return &e->dataplane->uncovered[h >> (32 - UNCOVERED_MEMO_BITS)];
}

/* Raises (or rewrites the message of) the uncovered-source finding of the
 * memo's source and link. */
static void raise_uncovered(erdiag_engine *e, uncovered_memo *m)
{
    char s[ERDIAG_ADDR_STRLEN], d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&m->src, s);
    erdiag_addr_to_string(&m->dst, d);
    g_autofree char *silence = m->unanswered_flows == 0 ? g_strdup("")
        : g_strdup_printf("; %u connection%s from it got no answer (%u SYN%s), as none can without a route back",
                          m->unanswered_flows, m->unanswered_flows == 1 ? "" : "s", m->unanswered_syns,
                          m->unanswered_syns == 1 ? "" : "s");
    const link_impl *l = m->link;
    m->finding = finding_raise(
        e, ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE, ERDIAG_SEV_ERROR, l ? &l->pub : NULL,
        l ? NULL : (e->peerings->len ? g_ptr_array_index(e->peerings, 0) : NULL), s, advice_uncovered,
        "traffic from on-prem source %s to Azure (%s) but no prefix the on-prem side advertises covers %s%s", s, d,
        s, silence);
}

/* TRUE when src (the sender's end of hit) is an on-prem source no
 * advertised prefix covers (the packet is then evidence of
 * dataplane.uncovered-source). */
static gboolean check_source(erdiag_engine *e, link_impl *l, flows_hit hit, const erdiag_addr *src,
                             const erdiag_addr *dst, const erdiag_packet_meta *pkt)
{
    /* covered first: the usual answer, and one comparison for a known flow
     * (the order does not change the result, only what it costs) */
    if (end_onprem_covered(e, hit, sender_end(hit), src) || !onprem_routes_known(e)
        || peering_map_link_for_addr(e, src))
        return FALSE;
    uncovered_memo *m = uncovered_slot(e, l, src);
    if (!m->finding || m->link != l || !flow_same_addr(&m->src, src)) {
        *m = (uncovered_memo){.src = *src, .dst = *dst, .link = l};
        raise_uncovered(e, m);
    }
    finding_evidence(e, m->finding, pkt->frame, pkt->ts_us);
    return TRUE;
}

gboolean dataplane_uncovered_silence(erdiag_engine *e, const erdiag_link *l, const erdiag_addr *src,
                                     guint32 flows, guint32 requests)
{
    const link_impl *li = l ? LINK_IMPL(l) : NULL;
    uncovered_memo *m = uncovered_slot(e, li, src);
    if (!m->finding || m->link != li || !flow_same_addr(&m->src, src) || (flows == 0 && m->unanswered_flows == 0))
        return FALSE;
    m->unanswered_flows += flows;
    m->unanswered_syns += requests;
    raise_uncovered(e, m);
    return TRUE;
}

/* Router configuration samples: MTU 1500, no MSS needed; the gateway's
 * limits (About ExpressRoute gateways): 1,400-byte TCP/UDP packets, no
 * fragments. docs/findings.md quotes both. */
static const char *const advice_oversize =
    "The ExpressRoute interface's MTU is 1,500 bytes (Microsoft's router configuration samples; "
    "unlike a VPN gateway, no TCP MSS setting is needed): set the router's sub-interface MTU to "
    "1,500 and find what sends larger packets (jumbo frames, an MTU set on a tunnel or host). "
    "Behind the MSEE, the ExpressRoute virtual network gateway supports TCP and UDP packets of up "
    "to 1,400 bytes and does not forward fragmented packets: keep applications below that and "
    "avoid IP fragmentation, or use FastPath, which bypasses the gateway.";

static void check_size(erdiag_engine *e, link_impl *l, guint32 ip_len, const erdiag_packet_meta *pkt)
{
    if (ip_len <= MSEE_IP_MTU || !l)
        return;
    if (!l->oversize || ip_len > l->oversize_max) {
        l->oversize = finding_raise(e, ERDIAG_F_DATAPLANE_OVERSIZE, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                                    advice_oversize,
                                    "%s: IP packets of up to %u bytes on the peering, above the MSEE's 1500-byte "
                                    "IP MTU", l->pub.label, ip_len);
        l->oversize_max = ip_len;
    }
    finding_evidence(e, l->oversize, pkt->frame, pkt->ts_us);
}

void dataplane_ip(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_ip_ev *ip = &ev->u.ip;
    gboolean fhrp = ip->proto == ERDIAG_IPPROTO_VRRP
                 || (ip->proto == ERDIAG_IPPROTO_UDP && (ip->dport == 1985 || ip->dport == 2029));
    if (fhrp) {
        link_impl *l = peering_map_link_for_addr(e, &ip->src);
        erdiag_peering *pe = l ? l->pub.peering : peering_map_peering_for_tags(e, &ev->pkt);
        if (!pe)
            return;
        classify(cls, l, ERDIAG_SIDE_UNKNOWN);
        char s[ERDIAG_ADDR_STRLEN];
        erdiag_finding *f = finding_raise(e, ERDIAG_F_L2_FHRP_ON_PEERING, ERDIAG_SEV_WARNING, l ? &l->pub : NULL,
                                          pe, ip->proto == ERDIAG_IPPROTO_VRRP ? "vrrp" : "hsrp",
                                          "Azure supports neither HSRP nor VRRP on the peering links: each link "
                                          "is a point-to-point /30 to one MSEE. Use two routers, one per link, "
                                          "with BGP for redundancy.",
                                          "%s hellos from %s on peering %s's VLAN",
                                          ip->proto == ERDIAG_IPPROTO_VRRP ? "VRRP" : "HSRP",
                                          erdiag_addr_to_string(&ip->src, s), pe->name);
        finding_evidence(e, f, ev->pkt.frame, ev->pkt.ts_us);
        return;
    }
    /* the flow first, for the routes' verdicts on its ends; a later
     * fragment has no ports, hence no flow */
    flows_hit hit = {NULL, 0};
    if (!ip->later_fragment
        && (ip->proto == ERDIAG_IPPROTO_UDP || ip->proto == ERDIAG_IPPROTO_ICMP || ip->proto == ERDIAG_IPPROTO_ICMPV6))
        hit = flows_find(e, ip->proto, &ip->src, &ip->dst, ip->sport, ip->dport);
    int src_end = sender_end(hit);
    gboolean to_azure = end_is_azure(e, hit, 1 - src_end, &ip->dst);
    /* an ICMP error crosses the peering for the packet it quotes: the MSEE
     * or the on-prem router sends it from its own address */
    if (!to_azure && !end_is_azure(e, hit, src_end, &ip->src)
        && !(ip->has_quote && (dataplane_is_azure_addr(e, &ip->quote.dst) || dataplane_is_azure_addr(e, &ip->quote.src))))
        return;
    link_impl *l = link_for_packet(e, &ev->pkt);
    classify(cls, l, to_azure ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT);
    check_size(e, l, ip->ip_len, &ev->pkt);
    gboolean uncovered = to_azure && check_source(e, l, hit, &ip->src, &ip->dst, &ev->pkt);
    if (ip->fragment && to_azure)
        size_fragment(e, l, ip, &ev->pkt);
    if (ip->later_fragment)
        return; /* no ports: the first fragment counted for its flow */
    gboolean icmp = ip->proto == ERDIAG_IPPROTO_ICMP || ip->proto == ERDIAG_IPPROTO_ICMPV6;
    if (icmp && ip->icmp && ip->has_quote) {
        size_path_mtu(e, l, ip, &ev->pkt);
        flows_icmp_error(e, l, ip, &ev->pkt);
        return;
    }
    flows_packet p = {.proto = ip->proto, .src = &ip->src, .dst = &ip->dst, .sport = ip->sport, .dport = ip->dport,
                      .ip_len = ip->ip_len, .to_azure = to_azure, .uncovered = uncovered};
    if (icmp) {
        if (!ip->icmp)
            return;
        p.echo_request = ip->icmp_type == ERDIAG_ICMP4_ECHO_REQUEST || ip->icmp_type == ERDIAG_ICMP6_ECHO_REQUEST;
        p.echo_reply = ip->icmp_type == ERDIAG_ICMP4_ECHO_REPLY || ip->icmp_type == ERDIAG_ICMP6_ECHO_REPLY;
        /* the v4 and v6 numbers do not overlap: 0/8 are v4, 128/129 v6 */
        if (!p.echo_request && !p.echo_reply)
            return;
        if ((ip->proto == ERDIAG_IPPROTO_ICMP) != (ip->icmp_type < 128))
            return;
    } else if (ip->proto != ERDIAG_IPPROTO_UDP) {
        return;
    }
    flows_packet_seen(e, l, &p, &ev->pkt, hit);
}

void dataplane_tcp(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_tcp_ev *t = &ev->u.tcp;
    flows_hit hit = flows_find(e, 6, &t->src, &t->dst, t->sport, t->dport);
    int src_end = sender_end(hit);
    gboolean to_azure = end_is_azure(e, hit, 1 - src_end, &t->dst);
    if (!to_azure && !end_is_azure(e, hit, src_end, &t->src))
        return;
    link_impl *l = link_for_packet(e, &ev->pkt);
    classify(cls, l, to_azure ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT);
    check_size(e, l, t->ip_len, &ev->pkt);
    gboolean uncovered = to_azure && check_source(e, l, hit, &t->src, &t->dst, &ev->pkt);
    if (t->mss && (t->flags & ERDIAG_TCP_SYN))
        size_syn_mss(e, l, t, &ev->pkt);
    flows_packet p = {.proto = 6, .src = &t->src, .dst = &t->dst, .sport = t->sport, .dport = t->dport,
                      .tcp_flags = t->flags, .mss = t->mss, .ip_len = t->ip_len, .to_azure = to_azure,
                      .uncovered = uncovered};
    flows_packet_seen(e, l, &p, &ev->pkt, hit);
}

static void log_change(route_changes *c, const erdiag_prefix *p)
{
    guint slot = (guint)(c->logged++ % ROUTE_CHANGES_KEPT);
    /* overwriting: changes of that generation are no longer all here */
    if (c->logged > ROUTE_CHANGES_KEPT)
        c->kept_after = MAX(c->kept_after, c->log[slot].gen);
    c->log[slot].gen = c->gen;
    c->log[slot].prefix = *p;
}

/* An UPDATE with more prefixes than this (a table rather than churn) makes
 * every cached answer of its direction stale at once. */
#define ROUTE_CHANGES_LOGGED_MAX (ROUTE_CHANGES_KEPT / 4)

void dataplane_routes_changed(erdiag_engine *e, int dir, const erdiag_bgp_update *u)
{
    route_changes *c = &e->dataplane->changes[dir];
    guint n_ann = u->announced ? u->n_announced : 0, n_wd = u->withdrawn ? u->n_withdrawn : 0;
    c->gen++;
    routes_generation_moved(e, dir);
    if (n_ann + n_wd > ROUTE_CHANGES_LOGGED_MAX) {
        c->wiped_at = c->gen;
        return;
    }
    for (guint i = 0; i < n_ann; i++)
        log_change(c, &u->announced[i].prefix);
    for (guint i = 0; i < n_wd; i++)
        log_change(c, &u->withdrawn[i].prefix);
}

void dataplane_routes_reset(erdiag_engine *e)
{
    for (int dir = 0; dir < 2; dir++) {
        route_changes *c = &e->dataplane->changes[dir];
        c->wiped_at = ++c->gen;
        routes_generation_moved(e, dir);
    }
}

void dataplane_check_time(erdiag_engine *e, gboolean at_end)
{
    flows_check_time(e, at_end);
}
