/* Step "dataplane": the article's last checks. With ARP and BGP fine, does an
 * on-prem host's connection to Azure get answered, is its source covered by
 * an advertised prefix, do packets fit the MSEE's MTU, and is there an FHRP
 * on the peering VLAN? Flows live in a bounded table (idle ones evicted). */
#include <string.h>
#include "azure_exports.h"
#include "engine_internal.h"
#include "rib.h"

#define MSEE_IP_MTU 1500u

/* SYN frames a flow keeps until it is judged (retransmissions within
 * syn-timeout are a handful); later ones go straight to its finding. */
#define FLOW_SYN_FRAMES 8

typedef struct {
    erdiag_addr src, dst;
    guint16 sport, dport;
} flow_key;

typedef struct {
    flow_key key;
    GList pending;         /* link in dataplane_state.pending while neither answered nor judged */
    GQueue *pending_queue;
    guint64 syn_frame;
    gint64 syn_ts_us;
    gint64 last_ts_us;
    guint32 syns;
    guint64 syn_frames[FLOW_SYN_FRAMES]; /* the first SYNs, evidence once judged */
    gint64 syn_ts[FLOW_SYN_FRAMES];
    gboolean answered;
    gboolean judged;
    /* its source is covered by no on-prem prefix (as of its last SYN): the
     * missing return route explains the silence, not a filter */
    gboolean uncovered;
    erdiag_finding *finding; /* once judged: the finding its later SYNs add to */
    char *azure;             /* once judged: what Azure's exports say of it (NULL without exports) */
    const erdiag_link *link;
} flow;

/* What the routes say about one address. A data-plane packet would
 * otherwise walk every link's RIB for its addresses; each answer is kept
 * with the generation of the routes it was computed from (see
 * route_changes). The cache is two-way set-associative (a busy address
 * seldom loses its slot to another one); a miss costs the walk it
 * replaces. */
typedef struct {
    erdiag_addr addr;
    guint64 azure_gen, onprem_gen; /* generation + 1 when computed; 0 = not yet */
    gboolean azure;        /* is_azure_addr(): depends on the routes from Microsoft */
    gboolean onprem;       /* onprem_covered(): depends on the routes from on-prem */
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

struct dataplane_state {
    GHashTable *flows;     /* flow_key* -> flow* (key inside the flow) */
    /* Flows still waiting for an answer, oldest SYN first: the time checks
     * visit these, not the whole table, four times per capture second. */
    GQueue pending;
    guint max_flows;
    gint64 idle_us;
    addr_verdict verdicts[VERDICT_SLOTS];
    route_changes changes[2];  /* [ERDIAG_CUST], [ERDIAG_MSFT] */
    uncovered_memo uncovered[1u << UNCOVERED_MEMO_BITS];
};

static guint flow_hash(gconstpointer p)
{
    const flow_key *k = p;
    return erdiag_addr_hash(&k->src) ^ (erdiag_addr_hash(&k->dst) * 31u) ^ ((guint)k->sport << 16) ^ k->dport;
}

static gboolean flow_equal(gconstpointer a, gconstpointer b)
{
    const flow_key *x = a, *y = b;
    return x->sport == y->sport && x->dport == y->dport && erdiag_addr_equal(&x->src, &y->src)
        && erdiag_addr_equal(&x->dst, &y->dst);
}

static void flow_settled(flow *f)
{
    if (f->pending_queue) {
        g_queue_unlink(f->pending_queue, &f->pending);
        f->pending_queue = NULL;
    }
}

static void flow_free(gpointer p)
{
    flow_settled(p);
    g_free(((flow *)p)->azure);
    g_free(p);
}

dataplane_state *dataplane_new(const erdiag_thresholds *t)
{
    dataplane_state *d = g_new0(dataplane_state, 1);
    d->flows = g_hash_table_new_full(flow_hash, flow_equal, NULL, flow_free);
    g_queue_init(&d->pending);
    d->max_flows = t->max_flows;
    d->idle_us = (gint64)t->flow_idle_ms * 1000;
    return d;
}

void dataplane_free(dataplane_state *d)
{
    if (!d)
        return;
    g_hash_table_destroy(d->flows);
    g_free(d);
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
        /* echoes of on-prem's own routes are not Azure's (rib.h) */
        if (erdiag_rib_covering_addr_except(l->pub.rib[ERDIAG_MSFT], a, erdiag_link_onprem_as(&l->pub)))
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

/* The significant bytes of a folded into one word (erdiag_addr_hash() goes
 * byte by byte, too slow for twice per packet). */
static guint32 addr_word(const erdiag_addr *a)
{
    guint32 w[4];
    memcpy(w, a->bytes, sizeof w);
    return a->family == 6 ? w[0] ^ w[1] ^ w[2] ^ w[3] : a->family == 4 ? w[0] : 0;
}

/* erdiag_addr_equal() without the call: the bytes past the family's width do not count. */
static gboolean same_addr(const erdiag_addr *x, const erdiag_addr *y)
{
    if (x->family != y->family)
        return FALSE;
    if (x->family == 4)
        return memcmp(x->bytes, y->bytes, 4) == 0;
    return x->family != 6 || memcmp(x->bytes, y->bytes, 16) == 0;
}

/* The cache entry for a: found in its set and made the set's most recent,
 * or made there in place of the least recent one. */
static addr_verdict *verdict_for(erdiag_engine *e, const erdiag_addr *a)
{
    guint set = (addr_word(a) * 2654435761u) >> (32 - VERDICT_SET_BITS); /* Fibonacci hashing */
    addr_verdict *way = &e->dataplane->verdicts[2 * set];
    if (same_addr(&way[0].addr, a))
        return &way[0];
    addr_verdict older = way[0];
    if (same_addr(&way[1].addr, a)) {
        way[0] = way[1];
    } else {
        way[0].addr = *a;
        way[0].azure_gen = way[0].onprem_gen = 0;
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

/* Whether an answer about a computed at generation+1 `stored` still holds
 * (and if so, marks it current). */
static gboolean still_holds(route_changes *c, guint64 *stored, const erdiag_addr *a)
{
    if (*stored == c->gen + 1)
        return TRUE;
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

static gboolean is_azure_addr(erdiag_engine *e, const erdiag_addr *a)
{
    addr_verdict *v = verdict_for(e, a);
    route_changes *c = &e->dataplane->changes[ERDIAG_MSFT];
    if (!still_holds(c, &v->azure_gen, a)) {
        v->azure = azure_space_holds(e, a);
        v->azure_gen = c->gen + 1;
    }
    return v->azure;
}

static gboolean onprem_covered(erdiag_engine *e, const erdiag_addr *a)
{
    addr_verdict *v = verdict_for(e, a);
    route_changes *c = &e->dataplane->changes[ERDIAG_CUST];
    if (!still_holds(c, &v->onprem_gen, a)) {
        v->onprem = onprem_routes_cover(e, a);
        v->onprem_gen = c->gen + 1;
    }
    return v->onprem;
}

/* The link a forwarded packet crossed: by the routers' MACs, else by the
 * capture interface, else by tags. */
static link_impl *link_for_packet(erdiag_engine *e, const erdiag_packet_meta *pkt)
{
    if (pkt->has_macs)
        for (guint i = 0; i < e->links->len; i++) {
            link_impl *l = g_ptr_array_index(e->links, i);
            for (int s = 0; s < 2; s++)
                if (l->mac_known[s] && (memcmp(l->owner_mac[s], pkt->src_mac, 6) == 0
                                        || memcmp(l->owner_mac[s], pkt->dst_mac, 6) == 0))
                    return l;
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
    guint32 h = (addr_word(src) ^ (guint32)GPOINTER_TO_UINT(l)) * 2654435761u;
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

/* TRUE when src is an on-prem source no advertised prefix covers (the
 * packet is then evidence of dataplane.uncovered-source). */
static gboolean check_source(erdiag_engine *e, link_impl *l, const erdiag_addr *src, const erdiag_addr *dst,
                             const erdiag_packet_meta *pkt)
{
    if (!onprem_routes_known(e) || onprem_covered(e, src) || peering_map_link_for_addr(e, src))
        return FALSE;
    uncovered_memo *m = uncovered_slot(e, l, src);
    if (!m->finding || m->link != l || !same_addr(&m->src, src)) {
        *m = (uncovered_memo){.src = *src, .dst = *dst, .link = l};
        raise_uncovered(e, m);
    }
    finding_evidence(e, m->finding, pkt->frame, pkt->ts_us);
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

static void evict(dataplane_state *d, gint64 now)
{
    GHashTableIter it;
    gpointer k, v;
    flow *oldest = NULL;
    g_hash_table_iter_init(&it, d->flows);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        flow *f = v;
        if (now - f->last_ts_us > d->idle_us && (f->answered || f->judged))
            g_hash_table_iter_remove(&it);
        else if (!oldest || f->last_ts_us < oldest->last_ts_us)
            oldest = f;
    }
    if (g_hash_table_size(d->flows) >= d->max_flows && oldest)
        g_hash_table_remove(d->flows, &oldest->key);
}

static const char *const advice_unanswered =
    "The MSEE's route table covers both ends (the destination is Azure's, the source inside an "
    "on-prem prefix) but nothing answers: the packets are dropped on the way. Microsoft's "
    "verification guide: if a matching prefix is in the route table, check whether firewalls, "
    "NSGs or ACLs on the path permit the traffic. In the article's order: the on-prem firewall, the "
    "NSG on the VM's subnet and NIC, then the VM's OS firewall or antivirus; NSG flow logs and the "
    "portal's connection troubleshoot show which.";

static char *flow_key_text(const flow *f, char *s, char *dd)
{
    erdiag_addr_to_string(&f->key.src, s);
    erdiag_addr_to_string(&f->key.dst, dd);
    return g_strdup_printf("%s>%s:%u", s, dd, f->key.dport);
}

static erdiag_finding *raise_unanswered(erdiag_engine *e, const flow *f)
{
    char s[ERDIAG_ADDR_STRLEN], dd[ERDIAG_ADDR_STRLEN];
    g_autofree char *key = flow_key_text(f, s, dd);
    return finding_raise(e, ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, ERDIAG_SEV_WARNING, f->link,
                         f->link ? NULL : (e->peerings->len ? g_ptr_array_index(e->peerings, 0) : NULL), key,
                         advice_unanswered, "%s -> %s port %u: %u SYN%s got no answer (silently dropped)%s%s", s,
                         dd, f->key.dport, f->syns, f->syns == 1 ? "" : "s", f->azure ? "; " : "",
                         f->azure ? f->azure : "");
}

/* The uncovered-source memo of a flow's source, if it still holds it. */
static uncovered_memo *flow_memo(erdiag_engine *e, const flow *f)
{
    const link_impl *l = f->link ? LINK_IMPL(f->link) : NULL;
    uncovered_memo *m = uncovered_slot(e, l, &f->key.src);
    return m->finding && m->link == l && same_addr(&m->src, &f->key.src) ? m : NULL;
}

/* A flow whose SYNs got no answer within syn-timeout (or by capture end).
 * From an uncovered source the missing return route is the explanation:
 * its uncovered-source finding says the connection went unanswered, and
 * no unanswered-connection finding sends the reader to the NSGs. */
static void judge(erdiag_engine *e, flow *f)
{
    /* Azure's exports (--azure-nsg, --azure-effective-routes) name what dropped it, if given */
    erdiag_azure_flow af = {6 /* TCP */, f->key.src, f->key.dst, f->key.sport, f->key.dport, ERDIAG_AZURE_INBOUND};
    f->azure = erdiag_azure_explain_silent(e, f->link, &af, f->syn_frame, f->syn_ts_us);
    if (f->uncovered) {
        uncovered_memo *m = flow_memo(e, f);
        if (m) {
            m->unanswered_flows++;
            m->unanswered_syns += f->syns;
            raise_uncovered(e, m);
        }
        return;
    }
    f->finding = raise_unanswered(e, f);
    guint kept = MIN(f->syns, FLOW_SYN_FRAMES);
    for (guint i = 0; i < kept; i++)
        finding_evidence(e, f->finding, f->syn_frames[i], f->syn_ts[i]);
    if (f->syns > kept)
        f->finding->frame_count += f->syns - kept;
}

/* One more SYN of a flow already judged unanswered. */
static void judge_again(erdiag_engine *e, flow *f, const erdiag_packet_meta *pkt)
{
    if (f->uncovered) {
        uncovered_memo *m = flow_memo(e, f);
        if (m && m->unanswered_flows) {
            m->unanswered_syns++;
            raise_uncovered(e, m);
        }
        return;
    }
    if (!f->finding)
        return;
    /* its own finding gets the new count; past the per-link bound the
     * flow's verdict is in the "more" finding, which only counts frames */
    char s[ERDIAG_ADDR_STRLEN], dd[ERDIAG_ADDR_STRLEN];
    g_autofree char *key = flow_key_text(f, s, dd);
    if (finding_lookup(e, ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, f->link,
                       f->link ? NULL : (e->peerings->len ? g_ptr_array_index(e->peerings, 0) : NULL), key)
        == f->finding)
        raise_unanswered(e, f);
    finding_evidence(e, f->finding, pkt->frame, pkt->ts_us);
}

void dataplane_tcp(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_tcp_ev *t = &ev->u.tcp;
    dataplane_state *d = e->dataplane;
    gboolean to_azure = is_azure_addr(e, &t->dst), from_azure = !to_azure && is_azure_addr(e, &t->src);
    if (!to_azure && !from_azure)
        return;
    link_impl *l = link_for_packet(e, &ev->pkt);
    classify(cls, l, to_azure ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT);
    check_size(e, l, t->ip_len, &ev->pkt);
    gboolean uncovered = to_azure && check_source(e, l, &t->src, &t->dst, &ev->pkt);

    if (to_azure && (t->flags & ERDIAG_TCP_SYN) && !(t->flags & ERDIAG_TCP_ACK)) {
        flow_key k = {t->src, t->dst, t->sport, t->dport};
        flow *f = g_hash_table_lookup(d->flows, &k);
        if (!f) {
            if (g_hash_table_size(d->flows) >= d->max_flows)
                evict(d, ev->pkt.ts_us);
            f = g_new0(flow, 1);
            f->key = k;
            f->syn_frame = ev->pkt.frame;
            f->syn_ts_us = ev->pkt.ts_us;
            f->link = l ? &l->pub : NULL;
            g_hash_table_insert(d->flows, &f->key, f);
            f->pending.data = f;
            f->pending_queue = &d->pending;
            g_queue_push_tail_link(&d->pending, &f->pending);
        }
        if (f->syns < FLOW_SYN_FRAMES) {
            f->syn_frames[f->syns] = ev->pkt.frame;
            f->syn_ts[f->syns] = ev->pkt.ts_us;
        }
        f->syns++;
        f->last_ts_us = ev->pkt.ts_us;
        f->uncovered = uncovered;
        /* a retransmission after the verdict: the finding counts it too */
        if (f->judged && !f->answered)
            judge_again(e, f, &ev->pkt);
    } else if (from_azure && (t->flags & (ERDIAG_TCP_SYN | ERDIAG_TCP_RST))) {
        flow_key k = {t->dst, t->src, t->dport, t->sport};
        flow *f = g_hash_table_lookup(d->flows, &k);
        if (f) {
            f->answered = TRUE;
            flow_settled(f);
            f->last_ts_us = ev->pkt.ts_us;
        }
    }
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
    gboolean to_azure = is_azure_addr(e, &ip->dst);
    if (!to_azure && !is_azure_addr(e, &ip->src))
        return;
    link_impl *l = link_for_packet(e, &ev->pkt);
    classify(cls, l, to_azure ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT);
    check_size(e, l, ip->ip_len, &ev->pkt);
    if (to_azure)
        check_source(e, l, &ip->src, &ip->dst, &ev->pkt);
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
    }
}

void dataplane_check_time(erdiag_engine *e, gboolean at_end)
{
    dataplane_state *d = e->dataplane;
    gint64 timeout = (gint64)e->cfg->thresholds.syn_timeout_ms * 1000;
    for (GList *it = d->pending.head, *next; it; it = next) {
        next = it->next;
        flow *f = it->data;
        if (e->now_us - f->syn_ts_us < timeout && !(at_end && f->syns > 1))
            continue;
        f->judged = TRUE;
        flow_settled(f);
        judge(e, f);
    }
    if (!at_end && g_hash_table_size(d->flows) > d->max_flows / 2)
        evict(d, e->now_us);
}
