/* The article's last check, per conversation: every TCP, UDP and ICMP echo
 * flow across the peering, in either direction, gets one verdict. Answered;
 * refused (a TCP reset from the destination); unreachable (an ICMP error
 * about it, read from the packet the error quotes); unanswered (silence:
 * the only verdict that points at a filtering NSG, since NSGs drop
 * silently); uncovered (silence explained by a source with no route back);
 * asymmetric (the reply came back over the other link, or the flow moved:
 * stateful firewalls on-prem drop such flows). Each flow leaves a row in
 * its link's flows table (flow_rows.c). */
#include "azure_exports.h"
#include "dataplane_internal.h"
#include "flow_table.h"

/* Failed flows written into a link's session timeline (the first ones: a
 * timeline is for reading, the flows table has them all). */
#define FLOW_TIMELINE_MARKS 16

struct flows_state {
    erdiag_engine *engine;
    flow_table *table;
    /* flows whose request (SYN, echo request) waits for an answer, oldest
     * first: the time checks visit these, not the whole table */
    GQueue pending;
    gint64 idle_us;
};

static void flow_retired(flow *f, gpointer user);

flows_state *flows_new(erdiag_engine *e, const erdiag_thresholds *t)
{
    flows_state *fs = g_new0(flows_state, 1);
    fs->engine = e;
    fs->table = flow_table_new(t->max_flows, flow_retired, fs);
    g_queue_init(&fs->pending);
    fs->idle_us = (gint64)t->flow_idle_ms * 1000;
    return fs;
}

void flows_free(flows_state *fs)
{
    if (!fs)
        return;
    flow_table_free(fs->table);
    g_free(fs);
}

static void settle(flow *f)
{
    if (f->pending_queue) {
        g_queue_unlink(f->pending_queue, &f->pending);
        f->pending_queue = NULL;
    }
}

static const erdiag_peering *any_peering(erdiag_engine *e, const erdiag_link *l)
{
    return l ? NULL : (e->peerings->len ? g_ptr_array_index(e->peerings, 0) : NULL);
}

static const char *proto_name(guint8 proto)
{
    switch (proto) {
    case 6: return "TCP";
    case 17: return "UDP";
    case 1: return "ICMP";
    case 58: return "ICMPv6";
    default: return "IP";
    }
}

/* "172.16.1.10 -> 10.1.0.4 TCP port 3389", "... ICMP echo" */
static char *flow_text(const erdiag_flow_row *r)
{
    char s[ERDIAG_ADDR_STRLEN], d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&r->src, s);
    erdiag_addr_to_string(&r->dst, d);
    if (r->proto == 1 || r->proto == 58)
        return g_strdup_printf("%s -> %s %s echo (id %u)", s, d, proto_name(r->proto), r->sport);
    if (r->proto == 6) /* TCP is the default reading of "port" */
        return g_strdup_printf("%s -> %s port %u", s, d, r->dport);
    return g_strdup_printf("%s -> %s %s port %u", s, d, proto_name(r->proto), r->dport);
}

/* The finding key of a flow: stable, one finding per flow and kind. */
static char *flow_key_text(const erdiag_flow_row *r)
{
    char s[ERDIAG_ADDR_STRLEN], d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&r->src, s);
    erdiag_addr_to_string(&r->dst, d);
    if (r->proto == 6)
        return g_strdup_printf("%s>%s:%u", s, d, r->dport); /* the key unanswered-connection always had */
    return g_strdup_printf("%s>%s:%s/%u", s, d, proto_name(r->proto), r->dport);
}

/* Who an address is, seen from the peering: "the MSEE", "the on-prem
 * router", "Azure", "on-prem". */
static const char *who(erdiag_engine *e, const erdiag_addr *a)
{
    link_impl *l = peering_map_link_for_addr(e, a);
    if (l)
        return erdiag_addr_equal(a, &l->pub.addr[ERDIAG_MSFT]) ? "the MSEE" : "the on-prem router";
    return dataplane_is_azure_addr(e, a) ? "Azure" : "on-prem";
}

static void mark_timeline(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt, erdiag_side by,
                          const char *what)
{
    (void)e;
    if (!l || l->flow_marks >= FLOW_TIMELINE_MARKS)
        return;
    l->flow_marks++;
    bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, by, "data plane: %s", what);
}

/* ---- silence ---------------------------------------------------------- */

static const char *const advice_unanswered =
    "The MSEE's route table covers both ends (the destination is Azure's, the source inside an "
    "on-prem prefix) but nothing answers: the packets are dropped on the way. Microsoft's "
    "verification guide: if a matching prefix is in the route table, check whether firewalls, "
    "NSGs or ACLs on the path permit the traffic. In the article's order: the on-prem firewall, the "
    "NSG on the VM's subnet and NIC, then the VM's OS firewall or antivirus; NSG flow logs and the "
    "portal's connection troubleshoot show which.";

static const char *const advice_unanswered_from_azure =
    "A connection opened from Azure toward on-prem crossed the peering and nothing on-prem "
    "answered: no reset, no ICMP error, silence. Something on-prem drops it: the on-prem "
    "firewall or router ACL in front of the host, or the host's own firewall. Microsoft's "
    "verification guide: if a matching prefix is in the route table, check whether firewalls, "
    "NSGs or ACLs on the path permit the traffic.";

static erdiag_finding *raise_unanswered(erdiag_engine *e, const flow *f)
{
    const erdiag_flow_row *r = &f->row;
    g_autofree char *key = flow_key_text(r);
    g_autofree char *what = flow_text(r);
    const char *unit = r->proto == 6 ? "SYN" : "echo request";
    return finding_raise(e, ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, ERDIAG_SEV_WARNING, r->link[0],
                         any_peering(e, r->link[0]), key,
                         r->from_azure ? advice_unanswered_from_azure : advice_unanswered,
                         "%s: %u %s%s got no answer (silently dropped)%s%s%s", what, f->requests, unit,
                         f->requests == 1 ? "" : "s", r->from_azure ? ", opened from Azure" : "",
                         f->azure ? "; " : "", f->azure ? f->azure : "");
}

/* A flow whose requests got no answer within syn-timeout (or by capture
 * end). From an uncovered source the missing return route is the
 * explanation: its uncovered-source finding says the connection went
 * unanswered, and no unanswered-connection finding sends the reader to the
 * NSGs. */
static void judge(erdiag_engine *e, flow *f)
{
    erdiag_flow_row *r = &f->row;
    f->judged = TRUE;
    settle(f);
    if (!r->from_azure) {
        /* Azure's exports (--azure-nsg, --azure-effective-routes) name what dropped it, if given */
        erdiag_azure_flow af = {r->proto, r->src, r->dst, r->sport, r->dport, ERDIAG_AZURE_INBOUND};
        f->azure = erdiag_azure_explain_silent(e, r->link[0], &af, f->request_frame, f->request_ts_us);
    }
    if (f->uncovered && dataplane_uncovered_silence(e, r->link[0], &r->src, 1, f->requests)) {
        r->verdict = ERDIAG_FLOW_UNCOVERED;
        return;
    }
    r->verdict = ERDIAG_FLOW_UNANSWERED;
    f->finding = raise_unanswered(e, f);
    guint kept = MIN(f->requests, FLOW_REQUEST_FRAMES);
    for (guint i = 0; i < kept; i++)
        finding_evidence(e, f->finding, f->request_frames[i], f->request_ts[i]);
    if (f->requests > kept)
        f->finding->frame_count += f->requests - kept;
    r->verdict_frame = f->request_frames[kept - 1];
    g_autofree char *what = flow_text(r);
    erdiag_packet_meta at = {.frame = f->request_frame, .ts_us = f->request_ts_us};
    mark_timeline(e, r->link[0] ? LINK_IMPL(r->link[0]) : NULL, &at,
                  r->from_azure ? ERDIAG_SIDE_MICROSOFT : ERDIAG_SIDE_CUSTOMER, what);
}

/* One more request of a flow already judged unanswered. */
static void judge_again(erdiag_engine *e, flow *f, const erdiag_packet_meta *pkt)
{
    erdiag_flow_row *r = &f->row;
    if (r->verdict == ERDIAG_FLOW_UNCOVERED) {
        dataplane_uncovered_silence(e, r->link[0], &r->src, 0, 1);
        return;
    }
    if (!f->finding)
        return;
    /* its own finding gets the new count; past the per-link bound the
     * flow's verdict is in the "more" finding, which only counts frames */
    g_autofree char *key = flow_key_text(r);
    if (finding_lookup(e, ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, r->link[0], any_peering(e, r->link[0]), key)
        == f->finding)
        raise_unanswered(e, f);
    finding_evidence(e, f->finding, pkt->frame, pkt->ts_us);
    r->verdict_frame = pkt->frame;
}

/* ---- answers ------------------------------------------------------------ */

static const char *const advice_refused =
    "The destination answered with a TCP reset: the packets crossed the peering and reached a "
    "host (or a firewall that rejects rather than drops), so routes, the MSEE and the NSGs (which "
    "drop silently) let it through. Nothing listens on the port, or the host's firewall rejects "
    "it: check the service on the destination and its OS firewall. Microsoft's verification "
    "guide: if a matching prefix is in the route table, check whether firewalls, NSGs or ACLs on "
    "the path permit the traffic.";

static void refused(erdiag_engine *e, flow *f, link_impl *l, const erdiag_packet_meta *pkt)
{
    erdiag_flow_row *r = &f->row;
    settle(f);
    r->verdict = ERDIAG_FLOW_REFUSED;
    r->verdict_frame = pkt->frame;
    char d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&r->dst, d);
    const char *side = r->from_azure ? "on-prem" : "Azure";
    g_free(r->detail);
    r->detail = g_strdup_printf("reset by %s (%s) in frame %" G_GUINT64_FORMAT, d, side, pkt->frame);
    g_autofree char *key = flow_key_text(r);
    g_autofree char *what = flow_text(r);
    erdiag_finding *fi = finding_raise(e, ERDIAG_F_DATAPLANE_REFUSED, ERDIAG_SEV_WARNING, &l->pub, NULL, key,
                                       advice_refused,
                                       "%s: refused, the %s host %s answered the connection with a TCP reset "
                                       "(nothing listens on port %u, or its firewall rejects)",
                                       what, side, d, r->dport);
    finding_evidence(e, fi, r->first_frame, r->first_ts_us);
    finding_evidence(e, fi, pkt->frame, pkt->ts_us);
    g_autofree char *mark = g_strdup_printf("%s refused (reset)", what);
    mark_timeline(e, l, pkt, r->from_azure ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT, mark);
}

static const char *const advice_asymmetric =
    "The request crossed one link of the peering and the reply the other (or the flow moved "
    "between links): stateful firewalls on-prem, which saw only one direction, drop such flows, "
    "the classic surprise after an ExpressRoute failover (Microsoft's 'Asymmetric routing with "
    "multiple network paths', an architecture Microsoft does not recommend or support). Make both "
    "directions prefer the same link: on-prem, AS-path prepend or a lower MED on the secondary for "
    "the prefixes you advertise, and local preference for the routes you receive ('Optimize "
    "ExpressRoute routing'), or make the firewall tolerate asymmetric routing.";

static void asymmetric(erdiag_engine *e, flow *f, link_impl *l, const erdiag_packet_meta *pkt)
{
    erdiag_flow_row *r = &f->row;
    if (f->asymmetry_reported)
        return;
    f->asymmetry_reported = TRUE;
    g_autofree char *key = flow_key_text(r);
    g_autofree char *what = flow_text(r);
    const char *out = r->link[0] ? r->link[0]->label : "-", *back = r->link[1] ? r->link[1]->label : "-";
    erdiag_finding *fi = finding_raise(
        e, ERDIAG_F_DATAPLANE_ASYMMETRIC_RETURN, ERDIAG_SEV_WARNING, r->link[0] ? r->link[0] : &l->pub, NULL, key,
        advice_asymmetric,
        r->link_moved ? "%s: the flow changed link midway (out over %s, back over %s, then frame %" G_GUINT64_FORMAT
                        " over %s)"
                      : "%s: out over %s, back over %s (frame %" G_GUINT64_FORMAT " on %s)",
        what, out, back, pkt->frame, l->pub.label);
    finding_evidence(e, fi, r->first_frame, r->first_ts_us);
    finding_evidence(e, fi, pkt->frame, pkt->ts_us);
    g_autofree char *mark = g_strdup_printf("%s returns over the other link", what);
    mark_timeline(e, l, pkt, ERDIAG_SIDE_UNKNOWN, mark);
}

/* ---- per packet ------------------------------------------------------- */

static gboolean opens_flow(const flows_packet *p)
{
    if (p->proto == 6)
        return (p->tcp_flags & ERDIAG_TCP_SYN) && !(p->tcp_flags & ERDIAG_TCP_ACK);
    if (p->proto == 17)
        return TRUE;
    return p->echo_request;
}

static gboolean is_request(const flows_packet *p)
{
    return p->proto == 6 ? opens_flow(p) : p->echo_request;
}

static void request(flows_state *fs, flow *f, const flows_packet *p, const erdiag_packet_meta *pkt)
{
    if (f->requests < FLOW_REQUEST_FRAMES) {
        f->request_frames[f->requests] = pkt->frame;
        f->request_ts[f->requests] = pkt->ts_us;
    }
    if (f->requests == 0) {
        f->request_frame = pkt->frame;
        f->request_ts_us = pkt->ts_us;
    }
    f->requests++;
    f->uncovered = p->uncovered;
    if (!f->answered && !f->judged && !f->pending_queue && f->row.verdict == ERDIAG_FLOW_ANSWERED) {
        f->pending_queue = &fs->pending;
        g_queue_push_tail_link(&fs->pending, &f->pending);
    }
}

/* The first answer from the responder (a flow answered is never queued
 * again, see request()). */
static void answered(flow *f)
{
    f->answered = TRUE;
    settle(f);
}

flows_hit flows_find(erdiag_engine *e, guint8 proto, const erdiag_addr *src, const erdiag_addr *dst,
                     guint16 sport, guint16 dport)
{
    flows_hit hit = {NULL, 0};
    hit.flow = flow_table_find(dataplane_flows(e)->table, proto, src, dst, sport, dport, &hit.dir);
    return hit;
}

void flows_packet_seen(erdiag_engine *e, link_impl *l, const flows_packet *p, const erdiag_packet_meta *pkt,
                       flows_hit hit)
{
    flows_state *fs = dataplane_flows(e);
    if (!l)
        return;
    int dir = hit.dir;
    flow *f = hit.flow;
    if (!f) {
        /* a stray reset or reply of a flow the table no longer holds opens nothing */
        if (p->proto == 6 && (p->tcp_flags & ERDIAG_TCP_RST))
            return;
        /* An answer seen before its request (two interfaces whose frames
         * arrive a few microseconds out of order): the flow is still the
         * requester's. */
        gboolean answer = p->proto == 6 ? (p->tcp_flags & (ERDIAG_TCP_SYN | ERDIAG_TCP_ACK)) == (ERDIAG_TCP_SYN | ERDIAG_TCP_ACK)
                                        : p->echo_reply;
        if (answer)
            f = flow_table_add(fs->table, p->proto, p->dst, p->src, p->dport, p->sport, pkt->frame, pkt->ts_us);
        else
            f = flow_table_add(fs->table, p->proto, p->src, p->dst, p->sport, p->dport, pkt->frame, pkt->ts_us);
        dir = answer ? 1 : 0;
        f->started = answer || opens_flow(p);
        f->row.from_azure = answer ? p->to_azure : !p->to_azure;
    } else {
        flow_table_touch(fs->table, f, pkt->ts_us);
    }
    erdiag_flow_row *r = &f->row;
    /* the counts' low words on the flow's first line, carries in the row */
    if (G_UNLIKELY(++f->packets[dir] == 0))
        r->packets[dir] += G_GUINT64_CONSTANT(1) << 32;
    guint32 before = f->bytes[dir];
    f->bytes[dir] += p->ip_len;
    if (G_UNLIKELY(f->bytes[dir] < before))
        r->bytes[dir] += G_GUINT64_CONSTANT(1) << 32;
    if (!f->link_no[dir]) {
        f->link_no[dir] = l->no;
        r->link[dir] = &l->pub;
        if (r->link[1 - dir] && r->link[1 - dir] != &l->pub)
            asymmetric(e, f, l, pkt);
    } else if (f->link_no[dir] != l->no) {
        r->link_moved = TRUE;
        asymmetric(e, f, l, pkt);
    }

    if (dir == 0) {
        if (is_request(p)) {
            request(fs, f, p, pkt);
            /* a retransmission after the verdict: the finding counts it too */
            if (f->judged && !f->answered)
                judge_again(e, f, pkt);
        }
        return;
    }
    /* from the responder */
    if (p->proto == 6 && (p->tcp_flags & ERDIAG_TCP_RST) && f->started && !f->answered
        && r->verdict == ERDIAG_FLOW_ANSWERED) {
        refused(e, f, l, pkt);
        return;
    }
    /* answered first: nearly every packet from a responder is one more
     * answer, and it reads no more than the flow's first line */
    if (!f->answered && (p->proto == 6 || p->proto == 17 || p->echo_reply))
        if (r->verdict == ERDIAG_FLOW_ANSWERED) /* a late answer does not undo a verdict given */
            answered(f);
}

/* ---- ICMP errors -------------------------------------------------------- */

/* "administratively prohibited (a firewall)" */
static const char *unreachable_text(const erdiag_ip_ev *ip)
{
    if (ip->proto == ERDIAG_IPPROTO_ICMP) {
        switch (ip->icmp_code) {
        case 0: return "network unreachable (no route)";
        case 1: return "host unreachable (no ARP answer or no route)";
        case 2: return "protocol unreachable";
        case 3: return "port unreachable (nothing listens on the port)";
        case 4: return "fragmentation needed";
        case 9: case 10: case 13: return "administratively prohibited (a firewall or ACL rejects it)";
        default: return "unreachable";
        }
    }
    if (ip->icmp_type == ERDIAG_ICMP6_TOO_BIG)
        return "packet too big";
    switch (ip->icmp_code) {
    case 0: return "no route to destination";
    case 1: return "administratively prohibited (a firewall or ACL rejects it)";
    case 3: return "address unreachable (no neighbour answer)";
    case 4: return "port unreachable (nothing listens on the port)";
    case 5: case 6: return "rejected by a source address policy";
    default: return "unreachable";
    }
}

static const char *const advice_unreachable =
    "A router or host on the path answered with ICMP destination unreachable: the packets were "
    "rejected, not lost. The sender and the code say where and why: 'administratively "
    "prohibited' is a firewall or ACL (on-prem, or a network virtual appliance in Azure), 'port "
    "unreachable' is a host where nothing listens on that UDP port, 'host' or 'network "
    "unreachable' a missing route or neighbour. NSGs never send ICMP: they drop silently. "
    "Microsoft's verification guide: check whether firewalls, NSGs or ACLs on the path permit the "
    "traffic.";

void flows_icmp_error(erdiag_engine *e, link_impl *l, const erdiag_ip_ev *ip, const erdiag_packet_meta *pkt)
{
    gboolean unreachable = ip->proto == ERDIAG_IPPROTO_ICMP ? ip->icmp_type == ERDIAG_ICMP4_UNREACHABLE
                                                            : ip->icmp_type == ERDIAG_ICMP6_UNREACHABLE
                                                                  || ip->icmp_type == ERDIAG_ICMP6_TOO_BIG;
    if (!unreachable || !l)
        return;
    /* fragmentation needed / packet too big is about size: dataplane.pmtu
     * (dataplane_size.c) says it; the flow's row still shows it */
    gboolean too_big = ip->proto == ERDIAG_IPPROTO_ICMP ? ip->icmp_code == ERDIAG_ICMP4_CODE_FRAG_NEEDED
                                                        : ip->icmp_type == ERDIAG_ICMP6_TOO_BIG;
    flows_state *fs = dataplane_flows(e);
    const erdiag_icmp_quote *q = &ip->quote;
    int dir;
    flow *f = flow_table_find(fs->table, q->proto, &q->src, &q->dst, q->sport, q->dport, &dir);
    erdiag_flow_row quoted = {.src = q->src, .dst = q->dst, .sport = q->sport, .dport = q->dport, .proto = q->proto};
    const erdiag_flow_row *r = f ? &f->row : &quoted;
    char from[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&ip->src, from);
    const char *text = unreachable_text(ip);
    g_autofree char *what = flow_text(r);
    if (!too_big) {
        const char *sender = erdiag_addr_equal(&ip->src, dir == 0 ? &r->dst : &r->src) ? "the destination host"
                                                                                        : who(e, &ip->src);
        g_autofree char *key = flow_key_text(r);
        erdiag_finding *fi = finding_raise(
            e, ERDIAG_F_DATAPLANE_ICMP_UNREACHABLE, ERDIAG_SEV_WARNING, &l->pub, NULL, key, advice_unreachable,
            "%s: %s sent ICMP%s destination unreachable, type %u code %u: %s, from %s (%s)", what, sender,
            ip->proto == ERDIAG_IPPROTO_ICMPV6 ? "v6" : "", ip->icmp_type, ip->icmp_code, text, from, who(e, &ip->src));
        if (f)
            finding_evidence(e, fi, r->first_frame, r->first_ts_us);
        finding_evidence(e, fi, pkt->frame, pkt->ts_us);
    }
    if (!f || f->answered || f->row.verdict != ERDIAG_FLOW_ANSWERED)
        return;
    settle(f);
    f->row.verdict = ERDIAG_FLOW_ICMP_UNREACHABLE;
    f->row.verdict_frame = pkt->frame;
    g_free(f->row.detail);
    if (too_big)
        f->row.detail = g_strdup_printf("ICMP%s type %u code %u (%s, MTU %u) from %s (%s)",
                                        ip->proto == ERDIAG_IPPROTO_ICMPV6 ? "v6" : "", ip->icmp_type, ip->icmp_code,
                                        text, ip->icmp_mtu, from, who(e, &ip->src));
    else
        f->row.detail = g_strdup_printf("ICMP%s type %u code %u (%s) from %s (%s)",
                                        ip->proto == ERDIAG_IPPROTO_ICMPV6 ? "v6" : "", ip->icmp_type, ip->icmp_code,
                                        text, from, who(e, &ip->src));
    g_autofree char *mark = g_strdup_printf("%s: ICMP %s from %s", what, too_big ? "fragmentation needed" : "unreachable", from);
    mark_timeline(e, l, pkt, ERDIAG_SIDE_UNKNOWN, mark);
}

/* ---- time and the table's end ---------------------------------------- */

static void flow_retired(flow *f, gpointer user)
{
    flows_state *fs = user;
    erdiag_flow_row *r = &f->row;
    for (int d = 0; d < 2; d++) {
        r->packets[d] += f->packets[d];
        r->bytes[d] += f->bytes[d];
    }
    if (f->pending_queue) {
        /* evicted (or at the end) while its request waits: judged now if
         * it waited long enough, else it had no chance to be answered */
        gint64 timeout = (gint64)fs->engine->cfg->thresholds.syn_timeout_ms * 1000;
        if (fs->engine->now_us - f->request_ts_us >= timeout || f->requests > 1)
            judge(fs->engine, f);
        settle(f);
    }
    if (r->verdict == ERDIAG_FLOW_ANSWERED) {
        gboolean both = r->packets[0] && r->packets[1];
        gboolean split = r->link_moved || (r->link[0] && r->link[1] && r->link[0] != r->link[1]);
        if (!f->started)
            r->verdict = both ? ERDIAG_FLOW_OPEN : ERDIAG_FLOW_ONE_WAY;
        else if (!f->answered)
            r->verdict = ERDIAG_FLOW_NO_REPLY;
        if (both && split)
            r->verdict = ERDIAG_FLOW_ASYMMETRIC;
    }
    if (r->verdict == ERDIAG_FLOW_UNANSWERED || r->verdict == ERDIAG_FLOW_UNCOVERED) {
        const char *unit = r->proto == 6 ? "SYN" : "echo request";
        g_free(r->detail);
        r->detail = r->verdict == ERDIAG_FLOW_UNCOVERED
            ? g_strdup_printf("%u %s%s without answer: no advertised prefix covers the source", f->requests, unit,
                              f->requests == 1 ? "" : "s")
            : g_strdup_printf("%u %s%s without answer (silently dropped)%s%s", f->requests, unit,
                              f->requests == 1 ? "" : "s", f->azure ? "; " : "", f->azure ? f->azure : "");
    }
    if (r->verdict == ERDIAG_FLOW_NO_REPLY && r->proto != 17 && !r->detail)
        r->detail = g_strdup("no answer before the capture's end (too soon to judge)");
    if (r->link[0])
        flow_rows_add((erdiag_link *)r->link[0], r);
}

void flows_forget_routes(erdiag_engine *e)
{
    flow_table_forget_routes(dataplane_flows(e)->table);
}

void flows_check_time(erdiag_engine *e, gboolean at_end)
{
    flows_state *fs = dataplane_flows(e);
    gint64 timeout = (gint64)e->cfg->thresholds.syn_timeout_ms * 1000;
    for (GList *it = fs->pending.head, *next; it; it = next) {
        next = it->next;
        flow *f = it->data;
        if (e->now_us - f->request_ts_us < timeout && !(at_end && f->requests > 1))
            continue;
        judge(e, f);
    }
    if (!at_end) {
        flow_table_expire(fs->table, e->now_us - fs->idle_us);
        return;
    }
    flow_table_retire_all(fs->table);
    for (guint i = 0; i < e->links->len; i++)
        flow_rows_finish(g_ptr_array_index(e->links, i));
}
