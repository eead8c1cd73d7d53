/* Step "bgp": each link's BGP session, from the first SYN to the capture's
 * end: connection attempts, OPENs, Established, KEEPALIVE cadence,
 * NOTIFICATIONs and every transition, with the findings they show. */
#include <stdarg.h>
#include <string.h>
#include "engine_internal.h"

#define MSEE_ASN 12076u
#define MSEE_HOLD 180u
#define AZURE_MIN_HOLD 10u
#define AZURE_MIN_KEEPALIVE_US (3 * G_USEC_PER_SEC)

static const char *side_word(int side)
{
    return side == ERDIAG_CUST ? "on-prem" : "Microsoft";
}

static erdiag_side side_enum(int side)
{
    return side == ERDIAG_CUST ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT;
}

static void timeline_free(gpointer p)
{
    erdiag_timeline_entry *t = p;
    g_free(t->text);
    g_free(t);
}

void bgp_session_free(erdiag_bgp_session *s)
{

    if (s->timeline) {
        for (guint i = 0; i < s->timeline->len; i++)
            timeline_free(g_ptr_array_index(s->timeline, i));
        g_ptr_array_unref(s->timeline);
        s->timeline = NULL;
    }
}

void timeline_append_v(GPtrArray *timeline, guint max, guint64 *dropped, gint64 ts_us, guint64 frame,
                       erdiag_side by, erdiag_bgp_state state, const char *fmt, va_list ap)
{
    if (timeline->len >= max) {
        (*dropped)++;
        return;
    }
    erdiag_timeline_entry *t = g_new0(erdiag_timeline_entry, 1);
    t->text = g_strdup_vprintf(fmt, ap);
    t->ts_us = ts_us;
    t->frame = frame;
    t->by = by;
    t->state = state;
    g_ptr_array_add(timeline, t);
}

void bgp_timeline_add(erdiag_link *l, gint64 ts_us, guint64 frame, erdiag_side by, const char *fmt, ...)
{
    erdiag_bgp_session *s = &l->bgp;
    va_list ap;
    va_start(ap, fmt);
    timeline_append_v(s->timeline, ERDIAG_TIMELINE_MAX, &s->timeline_dropped, ts_us, frame, by, s->state, fmt, ap);
    va_end(ap);
}

static int side_index(erdiag_side s)
{
    return s == ERDIAG_SIDE_CUSTOMER ? ERDIAG_CUST : ERDIAG_MSFT;
}

static void opens_complete(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt);
static void keepalive_reset(link_impl *l);

static void session_down(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt, int by, const char *why)
{
    erdiag_bgp_session *s = &l->pub.bgp;
    if (s->state == ERDIAG_BGPS_IDLE)
        return;
    gboolean was_up = s->state == ERDIAG_BGPS_ESTABLISHED;
    if (s->open_seen[0] != s->open_seen[1])
        opens_complete(e, l, pkt); /* only one OPEN came: judge it alone */
    l->state_before_down = s->state;
    s->state = ERDIAG_BGPS_IDLE;
    if (was_up) {
        s->times_lost++;
        s->total_up_us += pkt->ts_us - s->established_at_us;
        s->established_at_us = 0;
        routes_session_down(e, l, pkt);
    }
    s->open_seen[0] = s->open_seen[1] = FALSE;
    l->keepalive_after_open[0] = l->keepalive_after_open[1] = FALSE;
    l->tcp_up = FALSE;
    l->silence_reported[0] = l->silence_reported[1] = FALSE;
    keepalive_reset(l);
    bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, by < 0 ? ERDIAG_SIDE_UNKNOWN : side_enum(by), "%s%s", why,
                     was_up ? ": session down" : "");
}

static syn_attempt *find_syn(link_impl *l, int from, guint16 sport, guint16 dport)
{
    for (guint i = 0; i < ERDIAG_MAX_SYNS; i++) {
        syn_attempt *a = &l->syns[i];
        if (a->used && a->from == side_enum(from) && a->sport == sport && a->dport == dport)
            return a;
    }
    return NULL;
}

static syn_attempt *new_syn(link_impl *l)
{
    syn_attempt *oldest = NULL;
    for (guint i = 0; i < ERDIAG_MAX_SYNS; i++) {
        syn_attempt *a = &l->syns[i];
        if (!a->used)
            return a;
        /* reuse settled attempts first, then the oldest */
        if ((a->answered || a->judged) && (!oldest || !(oldest->answered || oldest->judged) || a->ts_us < oldest->ts_us))
            oldest = a;
        else if (!oldest || (!(oldest->answered || oldest->judged) && a->ts_us < oldest->ts_us))
            oldest = a;
    }
    return oldest;
}

static const char *const advice_unanswered =
    "Nothing answered the BGP connection attempts on TCP 179. With ARP working this is usually a "
    "filter (ACL, firewall) on the on-prem router for TCP 179, a neighbour address that is not the "
    "other end of the /30, or a BGP session that is shut down on one side. Azure shows such a "
    "session as Active or Idle: check subnets, VLAN ID, peer ASN and MD5 key against the router.";
static const char *const advice_md5 =
    "The TCP MD5 signature (RFC 2385) differs between the sides: a segment whose signature does "
    "not verify is dropped silently, so SYNs go unanswered. Set the same key on the router and in "
    "the Azure peering (the shared key, up to 25 alphanumerics), or remove it on both.";
static const char *const advice_refused =
    "The other side answered TCP 179 with a reset: no BGP is listening there for this neighbour, "
    "or the neighbour is configured with another address or shut down. Check the BGP neighbour "
    "statement on the on-prem router (neighbour = the MSEE's address, network + 2).";
static const char *const advice_asn =
    "The peer ASN in the Azure peering must equal the on-prem router's own AS, and the router's "
    "neighbour must use remote-as 12076 for the MSEE. Correct the one that is wrong; BGP refuses "
    "the session (OPEN error, Bad Peer AS) until they agree.";
static const char *const advice_reserved_azure =
    "ASNs 65515-65520 are reserved by Azure and cannot be used as the peer ASN on private peering. "
    "Use another private (64512-65514, 65521-65534, 4200000000-4294967294) or a public ASN.";
static const char *const advice_reserved_other =
    "This ASN is reserved elsewhere (documentation, AS_TRANS, Microsoft's own, or Azure VPN/Route "
    "Server lists). Azure's private-peering rules do not name it, but prefer an ordinary private "
    "or public ASN.";
static const char *const advice_hold =
    "One side stopped sending KEEPALIVEs or UPDATEs for longer than the negotiated hold time, so "
    "the session was torn down. Look for a busy or stalled router CPU, a control-plane policer, "
    "packet loss on the link, or an MTU problem that drops full-size UPDATEs. BFD detects such "
    "failures faster.";
static const char *const advice_not_established =
    "The session never reached Established. Follow the exchange above: a refused or unanswered "
    "connection, an OPEN error in a NOTIFICATION, or a peer that went silent. Azure shows the "
    "session as Active or Idle; check subnets, VLAN ID, AzureASN (12076), PeerASN and MD5 key.";
static const char *const advice_flap =
    "Established was lost and regained. Each reset withdraws every route: look for the "
    "NOTIFICATIONs and resets in the timeline, link errors, hold timers too short for the link, "
    "or a prefix limit being crossed.";
static const char *const advice_timers =
    "The MSEE uses keepalive 60 s / hold 180 s; the lower hold time of the two sides wins. Azure "
    "allows down to keepalive 3 s / hold 10 s, but aggressive timers are discouraged: use BFD for "
    "fast failure detection instead.";
static const char *const advice_decode =
    "A BGP message on this session could not be decoded completely. Compare with the router's own "
    "view (debug bgp, show bgp neighbor) and with Wireshark; a capture with a short snap length "
    "also cuts messages.";

/* The three connection failures, in deferred_failure order. */
static const erdiag_finding_kind failure_kinds[3] = {
    ERDIAG_F_BGP_TCP_UNANSWERED, ERDIAG_F_BGP_TCP_MD5_MISMATCH, ERDIAG_F_BGP_TCP_REFUSED,
};

static const char *failure_advice(int i)
{
    return i == 0 ? advice_unanswered : i == 1 ? advice_md5 : advice_refused;
}

static void raise_failure(erdiag_engine *e, link_impl *l, int i, const char *message, const guint64 frames[2],
                          gint64 ts_us)
{
    erdiag_finding *f = finding_raise(e, failure_kinds[i], ERDIAG_SEV_ERROR, &l->pub, NULL, NULL, failure_advice(i),
                                      "%s", message);
    for (int k = 0; k < 2; k++)
        finding_evidence(e, f, frames[k], ts_us);
}

/* A failed connection attempt matters only if no other one succeeds: BGP
 * retries, and a side that is not listening yet at bring-up, a lost
 * collision or a restart during a flap are not failures. So a failure waits
 * until the session has stayed down for establish-timeout (live) or the
 * capture ends, and is dropped once the session is Established. */
static void connect_failure(erdiag_engine *e, link_impl *l, int i, const guint64 frames[2], gint64 ts_us,
                            const char *message)
{
    (void)e;
    if (l->pub.bgp.state == ERDIAG_BGPS_ESTABLISHED || l->deferred_failure[i].pending)
        return;
    l->deferred_failure[i].pending = TRUE;
    l->deferred_failure[i].frames[0] = frames[0];
    l->deferred_failure[i].frames[1] = frames[1];
    l->deferred_failure[i].ts_us = ts_us;
    g_free(l->deferred_failure[i].message);
    l->deferred_failure[i].message = g_strdup(message);
}

static void judge_failures(erdiag_engine *e, link_impl *l, gboolean at_end)
{
    gint64 wait = (gint64)e->cfg->thresholds.establish_timeout_ms * 1000;
    for (int k = 0; k < 3; k++) {
        if (!l->deferred_failure[k].pending)
            continue;
        if (l->pub.bgp.state == ERDIAG_BGPS_ESTABLISHED)
            l->deferred_failure[k].pending = FALSE;
        else if (at_end || e->now_us - l->deferred_failure[k].ts_us >= wait) {
            raise_failure(e, l, k, l->deferred_failure[k].message, l->deferred_failure[k].frames,
                          l->deferred_failure[k].ts_us);
            l->deferred_failure[k].pending = FALSE;
        }
    }
}

static void judge_syn(erdiag_engine *e, link_impl *l, syn_attempt *a)
{
    a->judged = TRUE;
    int from = side_index(a->from), to = 1 - from;
    char src[ERDIAG_ADDR_STRLEN], dst[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&l->pub.addr[from], src);
    erdiag_addr_to_string(&l->pub.addr[to], dst);
    gboolean md5_involved = a->md5 || l->md5_syn[0] || l->md5_syn[1];
    const guint64 frames[2] = {a->frame, 0};
    if (md5_involved) {
        const char *how = l->md5_syn[0] && l->md5_syn[1] ? "both sides sign their SYNs, so the keys differ"
                        : l->md5_syn[ERDIAG_CUST] && l->plain_syn[ERDIAG_MSFT] ? "only the on-prem side signs"
                        : l->md5_syn[ERDIAG_MSFT] && l->plain_syn[ERDIAG_CUST] ? "only the Microsoft side signs"
                        : "the signed SYNs are dropped by the other side";
        g_autofree char *msg = g_strdup_printf("%s: BGP connection attempts with TCP MD5 signatures go unanswered (%s)",
                                               l->pub.label, how);
        connect_failure(e, l, 1, frames, a->ts_us, msg);
    } else {
        g_autofree char *msg = g_strdup_printf("%s: SYN from %s (%s) to %s:179 (%s) got no SYN-ACK (%u retransmission%s)",
                                               l->pub.label, src, side_word(from), dst, side_word(to), a->retries,
                                               a->retries == 1 ? "" : "s");
        connect_failure(e, l, 0, frames, a->ts_us, msg);
    }
    bgp_timeline_add(&l->pub, e->now_us, a->frame, a->from, "SYN from %s to port %u not answered", side_word(from),
                     a->dport);
}

static void check_config_md5(erdiag_engine *e, link_impl *l, int from, gboolean md5, const erdiag_packet_meta *pkt)
{
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    if (!pc || !pc->has_md5 || pc->md5 == md5)
        return;
    erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_TCP_MD5_MISMATCH, ERDIAG_SEV_ERROR, &l->pub, NULL, "config",
                                      advice_md5, "%s: the %s side's SYNs %s a TCP MD5 signature, but the "
                                      "configuration says md5 = %s", l->pub.label, side_word(from),
                                      md5 ? "carry" : "lack", pc->md5 ? "yes" : "no");
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

/* Bytes of a side's stream missing from the capture (a segment beyond the
 * next expected sequence number, never filled in later): a lost message
 * leaves the session's state uncertain. One pending hole per side. */
static void track_stream(link_impl *l, int from, const erdiag_tcp_ev *t, const erdiag_packet_meta *pkt)
{
    (void)pkt;
    guint32 len = t->payload_len + ((t->flags & (ERDIAG_TCP_SYN | ERDIAG_TCP_FIN)) ? 1 : 0);
    if (t->flags & ERDIAG_TCP_SYN) {
        l->seq_known[from] = TRUE;
        l->seq_port[from] = t->sport;
        l->seq_next[from] = t->seq + 1;
        l->hole[from] = FALSE;
        return;
    }
    if (!len)
        return;
    if (!l->seq_known[from] || l->seq_port[from] != t->sport) {
        l->seq_known[from] = TRUE;
        l->seq_port[from] = t->sport;
        l->seq_next[from] = t->seq + len;
        l->hole[from] = FALSE;
        return;
    }
    if (l->hole[from] && (gint32)(t->seq - l->hole_seq[from]) <= 0 && (gint32)(t->seq + len - l->hole_seq[from]) > 0)
        l->hole[from] = FALSE; /* the missing bytes came late (reordered) */
    if ((gint32)(t->seq - l->seq_next[from]) > 0 && !l->hole[from]) {
        l->hole[from] = TRUE;
        l->hole_seq[from] = l->seq_next[from];
    }
    if ((gint32)(t->seq + len - l->seq_next[from]) > 0)
        l->seq_next[from] = t->seq + len;
}

static gboolean stream_gap(const link_impl *l)
{
    return l->hole[0] || l->hole[1];
}

void bgp_session_tcp(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_tcp_ev *t = &ev->u.tcp;
    const erdiag_packet_meta *pkt = &ev->pkt;
    link_impl *l = peering_map_link_for_pair(e, &t->src, &t->dst, pkt);
    if (!l) {
        unmapped_bgp_tcp(e, ev);
        return;
    }
    erdiag_side ss = link_side_of(&l->pub, &t->src), ds = link_side_of(&l->pub, &t->dst);
    link_touch(e, l, pkt);
    if (cls) {
        cls->peering = l->pub.peering;
        cls->link = &l->pub;
        cls->side = ss;
        cls->step = ERDIAG_STEP_BGP;
    }
    if (ss == ERDIAG_SIDE_UNKNOWN || ds == ERDIAG_SIDE_UNKNOWN) {
        unmapped_bgp_tcp(e, ev); /* a neighbour that is not the link's other end */
        return;
    }
    int from = side_index(ss), to = 1 - from;
    erdiag_bgp_session *s = &l->pub.bgp;
    if (!s->seen) {
        s->seen = TRUE;
        l->first_tcp_us = pkt->ts_us;
        l->first_tcp_frame = pkt->frame;
        /* a capture that begins with a connection's handshake saw its start */
        l->start_unknown = !(t->flags & ERDIAG_TCP_SYN);
    }
    track_stream(l, from, t, pkt);

    if ((t->flags & ERDIAG_TCP_SYN) && !(t->flags & ERDIAG_TCP_ACK)) {
        if (t->md5_option)
            l->md5_syn[from] = TRUE;
        else
            l->plain_syn[from] = TRUE;
        check_config_md5(e, l, from, t->md5_option, pkt);
        syn_attempt *a = find_syn(l, from, t->sport, t->dport);
        if (a && a->isn == t->seq) {
            a->retries++;
            return;
        }
        a = new_syn(l);
        *a = (syn_attempt){.used = TRUE, .from = ss, .sport = t->sport, .dport = t->dport, .isn = t->seq,
                           .frame = pkt->frame, .ts_us = pkt->ts_us, .md5 = t->md5_option};
        s->connection_attempts++;
        l->attempt_seen = TRUE;
        if (s->state != ERDIAG_BGPS_ESTABLISHED) {
            s->state = ERDIAG_BGPS_CONNECT;
            s->initiator = ss;
        }
        if (s->connection_attempts <= 8 || s->state == ERDIAG_BGPS_IDLE)
            bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ss, "%s opens TCP %u -> 179%s", side_word(from),
                             t->sport, t->md5_option ? " (MD5 signed)" : "");
        return;
    }
    if ((t->flags & ERDIAG_TCP_SYN) && (t->flags & ERDIAG_TCP_ACK)) {
        syn_attempt *a = find_syn(l, to, t->dport, t->sport);
        if (a && !a->answered) {
            a->answered = TRUE;
            l->tcp_up = TRUE;
            l->conn_port[from] = t->sport;
            l->conn_port[to] = t->dport;
            if (s->state != ERDIAG_BGPS_ESTABLISHED) {
                s->open_seen[0] = s->open_seen[1] = FALSE;
                l->keepalive_after_open[0] = l->keepalive_after_open[1] = FALSE;
            }
            bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ss, "TCP connection up (%s side initiated)",
                             side_word(to));
        }
        return;
    }
    if (t->flags & ERDIAG_TCP_RST) {
        syn_attempt *a = find_syn(l, to, t->dport, t->sport);
        if (a && !a->answered && !a->judged) {
            a->judged = TRUE;
            char dst[ERDIAG_ADDR_STRLEN];
            g_autofree char *msg = g_strdup_printf("%s: %s side %s refused TCP 179 with a reset", l->pub.label,
                                                   side_word(from), erdiag_addr_to_string(&t->src, dst));
            const guint64 frames[2] = {a->frame, pkt->frame};
            connect_failure(e, l, 2, frames, pkt->ts_us, msg);
            bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ss, "%s refuses the connection (RST)",
                             side_word(from));
            if (s->state == ERDIAG_BGPS_CONNECT)
                s->state = ERDIAG_BGPS_ACTIVE;
            return;
        }
        if (l->tcp_up || s->state >= ERDIAG_BGPS_OPENSENT) {
            g_autofree char *why = g_strdup_printf("%s resets the TCP connection", side_word(from));
            session_down(e, l, pkt, from, why);
        }
        return;
    }
    if ((t->flags & ERDIAG_TCP_FIN) && (l->tcp_up || s->state >= ERDIAG_BGPS_OPENSENT)) {
        /* A FIN often rides on the segment carrying the NOTIFICATION, whose
         * BGP event follows this one: close once the frame is done. */
        l->fin_pending = TRUE;
        e->fin_pending_any = TRUE;
        l->fin_side = from;
        l->fin_pkt = *pkt;
    }
}

void bgp_session_frame_done(erdiag_engine *e)
{
    e->fin_pending_any = FALSE;
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (!l->fin_pending)
            continue;
        l->fin_pending = FALSE;
        if (l->pub.bgp.state == ERDIAG_BGPS_IDLE)
            continue; /* the NOTIFICATION already closed it */
        g_autofree char *why = g_strdup_printf("%s closes the TCP connection (FIN)", side_word(l->fin_side));
        session_down(e, l, &l->fin_pkt, l->fin_side, why);
    }
}

/* ---- BGP messages ---- */

static char *caps_text(const erdiag_bgp_open *o)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < o->n_caps; i++) {
        const char *n = erdiag_bgp_capability_name(o->caps[i]);
        g_string_append_printf(s, "%s%s", i ? ", " : "", n ? n : "?");
        if (!n)
            g_string_append_printf(s, "(%u)", o->caps[i]);
    }
    return g_string_free(s, FALSE);
}

static char *ipv4_id(guint32 id)
{
    return g_strdup_printf("%u.%u.%u.%u", id >> 24, (id >> 16) & 255, (id >> 8) & 255, id & 255);
}

static const char *const advice_asn_l3 =
    "Behind a layer-3 provider your router peers with the provider's PE, whose AS the provider gives "
    "you: correct provider-asn, or the neighbour's remote-as on your router. BGP refuses an OPEN from "
    "an unexpected AS (NOTIFICATION 2/2, Bad Peer AS).";

static void check_reserved(erdiag_engine *e, link_impl *l, const erdiag_bgp_open *o, guint32 asn,
                           const erdiag_packet_meta *pkt)
{
    erdiag_severity sev;
    const char *why;
    if (asn >= 65515 && asn <= 65520) {
        sev = ERDIAG_SEV_ERROR;
        why = "reserved by Azure (65515-65520)";
    } else if (asn == 0) {
        sev = ERDIAG_SEV_WARNING;
        why = "invalid in BGP (RFC 7607)";
    } else if (asn == MSEE_ASN) {
        sev = ERDIAG_SEV_WARNING;
        why = "Microsoft's own ASN (the session would be iBGP)";
    } else if (asn == 8074 || asn == 8075) {
        sev = ERDIAG_SEV_WARNING;
        why = "a Microsoft ASN reserved in Azure's VPN Gateway list";
    } else if (asn >= 64496 && asn <= 64511) {
        sev = ERDIAG_SEV_WARNING;
        why = "reserved for documentation (RFC 5398)";
    } else if (asn >= 65535 && asn <= 65551) {
        sev = ERDIAG_SEV_WARNING;
        why = "reserved (RFC 7300, RFC 5398)";
    } else if (asn == ERDIAG_BGP_AS_TRANS && !o->has_as4) {
        sev = ERDIAG_SEV_WARNING;
        why = "AS_TRANS, sent without the 4-octet AS capability that should carry the real ASN";
    } else {
        return;
    }
    erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_OPEN_RESERVED_ASN, sev, &l->pub, NULL, NULL,
                                      sev == ERDIAG_SEV_ERROR ? advice_reserved_azure : advice_reserved_other,
                                      "%s: the on-prem router's OPEN carries AS %u, %s", l->pub.label, asn, why);
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

static void check_open(erdiag_engine *e, link_impl *l, int side, const erdiag_bgp_open *o, const erdiag_packet_meta *pkt)
{
    guint32 asn = erdiag_bgp_open_asn(o);
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    /* zero-config calls network + 2 Microsoft's only by its address: another
     * AS there says the link is not ExpressRoute (capture.no-expressroute),
     * not that Microsoft's ASN is wrong */
    if (side == ERDIAG_MSFT && erdiag_link_layer3(&l->pub)) {
        /* the far side is the provider's PE: its AS is the provider's */
        if (pc && pc->has_provider_asn && asn != pc->provider_asn) {
            erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, ERDIAG_SEV_ERROR, &l->pub, NULL,
                                              "msft", advice_asn_l3, "%s: the provider's PE's OPEN carries AS %u, "
                                              "but provider-asn is %u", l->pub.label, asn, pc->provider_asn);
            finding_evidence(e, f, pkt->frame, pkt->ts_us);
        }
    } else if (side == ERDIAG_MSFT && asn != MSEE_ASN && l->pub.msft_evidence != ERDIAG_MSFT_BY_ADDRESS) {
        erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, ERDIAG_SEV_ERROR, &l->pub, NULL,
                                          "msft", advice_asn, "%s: the Microsoft side's OPEN carries AS %u, "
                                          "not 12076", l->pub.label, asn);
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
    }
    if (side == ERDIAG_CUST) {
        if (pc && pc->has_peer_asn && asn != pc->peer_asn) {
            erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, ERDIAG_SEV_ERROR, &l->pub,
                                              NULL, "cust", advice_asn, "%s: the on-prem router's OPEN carries "
                                              "AS %u, but the peering's peer ASN is %u", l->pub.label, asn,
                                              pc->peer_asn);
            finding_evidence(e, f, pkt->frame, pkt->ts_us);
        }
        check_reserved(e, l, o, asn, pkt);
    }
}

static void check_timers(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt)
{
    erdiag_bgp_session *s = &l->pub.bgp;
    guint hold = s->hold_time;
    /* a layer-3 provider's PE is not the MSEE, nor is a far side that has
     * not shown AS 12076 (zero-config): only a hold time of 0 is a problem */
    if (hold == MSEE_HOLD || (hold != 0 && (erdiag_link_layer3(&l->pub) || l->pub.msft_evidence == ERDIAG_MSFT_BY_ADDRESS)))
        return;
    erdiag_severity sev = hold == 0 || hold < AZURE_MIN_HOLD ? ERDIAG_SEV_WARNING : ERDIAG_SEV_NOTE;
    erdiag_finding *f = finding_raise(
        e, ERDIAG_F_BGP_TIMERS, sev, &l->pub, NULL, NULL, advice_timers,
        hold == 0 ? "%s: negotiated hold time 0 (no KEEPALIVEs, dead peers are never detected); on-prem "
                    "offers %u s, Microsoft %u s"
        : hold < AZURE_MIN_HOLD ? "%s: negotiated hold time %u s is below Azure's floor of 10 s (on-prem offers "
                                  "%u s, Microsoft %u s)"
                                : "%s: negotiated hold time %u s differs from the MSEE's usual 180 s (on-prem "
                                  "offers %u s, Microsoft %u s)",
        l->pub.label, hold == 0 ? s->open[ERDIAG_CUST].hold_time : hold,
        hold == 0 ? s->open[ERDIAG_MSFT].hold_time : s->open[ERDIAG_CUST].hold_time,
        s->open[ERDIAG_MSFT].hold_time);
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

/* RFC 4271 §10 jitters the KeepaliveTimer to 0.75-1.0 of its value: a side
 * configured for keepalive K sends every 0.75 K to K, so one interval says
 * little and the largest of several estimates K. Azure's floor of 3 s
 * therefore shows as intervals of 2.25-3 s; only a side whose every interval
 * (at least KA_MIN_INTERVALS of them, in one Established period) stays below
 * 2.25 s is configured below the floor. */
#define KA_MIN_INTERVALS 3
#define KA_JITTERED_FLOOR_US (AZURE_MIN_KEEPALIVE_US * 3 / 4)

static void keepalive_reset(link_impl *l)
{
    for (int side = 0; side < 2; side++) {
        l->ka_ref_us[side] = 0;
        l->ka_intervals[side] = 0;
        l->ka_min_us[side] = l->ka_max_us[side] = 0;
    }
}

static void check_keepalive_gap(erdiag_engine *e, link_impl *l, int side, const erdiag_packet_meta *pkt)
{
    const erdiag_bgp_session *s = &l->pub.bgp;
    if (s->state != ERDIAG_BGPS_ESTABLISHED)
        return;
    gint64 gap = l->ka_ref_us[side] ? pkt->ts_us - l->ka_ref_us[side] : -1;
    l->ka_ref_us[side] = pkt->ts_us;
    if (gap <= 0)
        return; /* the first of the period, or timestamps out of order */
    if (l->ka_intervals[side]++ == 0 || gap < l->ka_min_us[side])
        l->ka_min_us[side] = gap;
    if (gap > l->ka_max_us[side])
        l->ka_max_us[side] = gap;
    if (l->ka_intervals[side] < KA_MIN_INTERVALS || l->ka_max_us[side] >= KA_JITTERED_FLOOR_US)
        return;
    /* the hold time this side offered, when its OPEN is in the capture */
    g_autofree char *hold = s->open_seen[side] ? g_strdup_printf("; its OPEN offers hold time %u s",
                                                                 s->open[side].hold_time)
                                               : g_strdup("");
    erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_TIMERS, ERDIAG_SEV_WARNING, &l->pub, NULL, "keepalive",
                                      advice_timers, "%s: the %s side sends KEEPALIVEs every %.1f-%.1f s "
                                      "(%u intervals), below Azure's floor of 3 s (a 3 s keepalive, jittered "
                                      "as RFC 4271 says, sends every 2.25-3 s)%s", l->pub.label,
                                      side_word(side), l->ka_min_us[side] / 1e6, l->ka_max_us[side] / 1e6,
                                      l->ka_intervals[side], hold);
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

static void established(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt, gboolean midstream)
{
    erdiag_bgp_session *s = &l->pub.bgp;
    s->state = ERDIAG_BGPS_ESTABLISHED;
    s->ever_established = TRUE;
    s->established_at_us = pkt->ts_us;
    s->established_frame = pkt->frame;
    s->times_established++;
    l->silence_reported[0] = l->silence_reported[1] = FALSE;
    keepalive_reset(l);
    /* a session seen coming up exchanges its whole table in the capture */
    l->pub.routes_partial = midstream;
    if (midstream)
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_UNKNOWN,
                         "session already Established when the capture started");
    else
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_UNKNOWN, "Established (hold time %u s)",
                         s->hold_time);
    if (s->times_established >= 2) {
        erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_SESSION_FLAP, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                                          advice_flap, "%s: the session went down %u time%s and came back %u "
                                          "time%s", l->pub.label, s->times_lost, s->times_lost == 1 ? "" : "s",
                                          s->times_established - 1, s->times_established == 2 ? "" : "s");
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
    }
}

static const char *notification_advice(guint code, guint sub)
{
    switch (code) {
    case 1: return "A message header was rejected: look for a corrupting middlebox or an MTU problem on the link.";
    case 2:
        if (sub == 2)
            return advice_asn;
        if (sub == 3)
            return "The BGP identifier was rejected: it must be a unique, non-zero IPv4 address on each router.";
        if (sub == 6)
            return "The hold time was rejected: use a hold time of 0 or at least 3 s (Azure: at least 10 s).";
        return "The OPEN was rejected: compare AS numbers, BGP identifier, hold time and capabilities of the two "
               "routers.";
    case 3: return "An UPDATE was rejected as malformed: check the router's outbound policy and software version.";
    /* the bgp.hold-timer-expired finding of the same NOTIFICATION carries
     * the advice; saying it twice for one event buries the rest */
    case 4: return "The hold timer expired: see the bgp.hold-timer-expired finding for what to check.";
    case 5: return "A message arrived in the wrong state: usually a side effect of a connection collision or reset.";
    case 6:
        if (sub == 1)
            return "The receiver hit its prefix limit (maximum-prefix). Azure private peering accepts 4,000 IPv4 "
                   "prefixes (10,000 with Premium) and 100 IPv6: summarise on-prem routes.";
        if (sub == 2 || sub == 4)
            return "The session was shut down or reset administratively on the sending router, by hand or by "
                   "automation: ask who changed it, and whether it is maintenance.";
        return "The sender closed the session (Cease): see the subcode and any shutdown text for the reason.";
    default: return "See the NOTIFICATION's code and subcode.";
    }
}

static void notification(erdiag_engine *e, link_impl *l, int side, const erdiag_bgp_notification *n,
                         const erdiag_packet_meta *pkt)
{
    const char *cname = erdiag_bgp_notification_code_name(n->code);
    const char *sname = erdiag_bgp_notification_subcode_name(n->code, n->subcode);
    /* "Cease / Maximum Number of Prefixes Reached (6/1), data ..." */
    GString *what = g_string_new(cname ? cname : "(unknown code)");
    if (sname)
        g_string_append_printf(what, " / %s", sname);
    g_string_append_printf(what, " (%u/%u)", n->code, n->subcode);
    if (n->data_text && *n->data_text)
        g_string_append_printf(what, ", %s", n->data_text);
    if (n->shutdown_text && *n->shutdown_text)
        g_string_append_printf(what, ", shutdown message \"%s\"", n->shutdown_text);
    else if (!n->data_text && n->data_len > 0 && n->data) {
        g_string_append(what, ", data ");
        for (guint i = 0; i < n->data_len && i < 16; i++)
            g_string_append_printf(what, "%02x", n->data[i]);
        if (n->data_len > 16)
            g_string_append(what, "...");
    }
    g_autofree char *key = g_strdup_printf("%d/%u/%u", side, n->code, n->subcode);
    erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_NOTIFICATION, ERDIAG_SEV_ERROR, &l->pub, NULL, key,
                                      notification_advice(n->code, n->subcode), "%s: the %s side sent NOTIFICATION %s",
                                      l->pub.label, side_word(side), what->str);
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
    if (n->code == 4) {
        erdiag_finding *h = finding_raise(e, ERDIAG_F_BGP_HOLD_TIMER_EXPIRED, ERDIAG_SEV_ERROR, &l->pub, NULL, NULL,
                                          advice_hold, "%s: the %s side's hold timer expired: it heard nothing "
                                          "from the %s side for %u s", l->pub.label, side_word(side),
                                          side_word(1 - side), l->pub.bgp.hold_time);
        finding_evidence(e, h, pkt->frame, pkt->ts_us);
    }
    l->pub.bgp.notifications[side]++;
    g_autofree char *why = g_strdup_printf("%s sends NOTIFICATION %s", side_word(side), what->str);
    g_string_free(what, TRUE);
    if (l->pub.bgp.state == ERDIAG_BGPS_IDLE)
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, side_enum(side), "%s", why);
    else
        session_down(e, l, pkt, side, why);
}

/* Behind a layer-3 provider the provider decides who holds which address
 * of the /30: the PE is the side with provider-asn, or the side without
 * peer-asn. No address is wrong. */
static void layer3_roles(link_impl *l)
{
    const erdiag_bgp_session *s = &l->pub.bgp;
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    if (!pc || !s->open_seen[ERDIAG_CUST] || !s->open_seen[ERDIAG_MSFT])
        return;
    gboolean pe_here = pc->has_provider_asn && s->asn[ERDIAG_CUST] == pc->provider_asn
                       && s->asn[ERDIAG_MSFT] != pc->provider_asn;
    gboolean cust_there = pc->has_peer_asn && s->asn[ERDIAG_MSFT] == pc->peer_asn && s->asn[ERDIAG_CUST] != pc->peer_asn;
    if (pe_here || cust_there)
        link_swap_roles(l);
}

/* Which side is Microsoft's: the AS 12076 speaker. By address, the MSEE
 * holds network + 2; when AS 12076 speaks from network + 1 and another AS
 * from network + 2, the roles decide (IPv4: the addresses are misused;
 * IPv6: which host is Microsoft's is not fixed, so nothing is wrong). */
static void opens_complete(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt)
{
    erdiag_bgp_session *s = &l->pub.bgp;
    if (l->opens_checked)
        return;
    l->opens_checked = TRUE;
    if (erdiag_link_layer3(&l->pub)) {
        layer3_roles(l);
    } else if (s->open_seen[ERDIAG_CUST] && s->open_seen[ERDIAG_MSFT] && s->asn[ERDIAG_CUST] == MSEE_ASN
        && s->asn[ERDIAG_MSFT] != MSEE_ASN) {
        link_swap_roles(l);
        l->pub.msft_evidence = ERDIAG_MSFT_BY_ASN;
        if (l->pub.family == 4) {
            char c[ERDIAG_ADDR_STRLEN], m[ERDIAG_ADDR_STRLEN];
            erdiag_finding *f = finding_raise(
                e, ERDIAG_F_ARP_MSEE_ADDRESS_MISUSED, ERDIAG_SEV_ERROR, &l->pub, NULL, NULL,
                "The on-prem router must use the first usable address of each /30 and the MSEE the second: "
                "move the router to network + 1 and point its neighbour at network + 2.",
                "%s: the on-prem router (AS %u) uses %s, the address Microsoft owns, and AS 12076 speaks "
                "from %s, the on-prem address", l->pub.label, s->asn[ERDIAG_CUST],
                erdiag_addr_to_string(&l->pub.addr[ERDIAG_CUST], c), erdiag_addr_to_string(&l->pub.addr[ERDIAG_MSFT], m));
            finding_evidence(e, f, s->open_frame[ERDIAG_CUST], pkt->ts_us);
            finding_evidence(e, f, s->open_frame[ERDIAG_MSFT], pkt->ts_us);
        }
    }
    for (int side = 0; side < 2; side++)
        if (s->open_seen[side]) {
            erdiag_packet_meta at = *pkt;
            at.frame = s->open_frame[side];
            check_open(e, l, side, &s->open[side], &at);
        }
}

/* The session is Established although one OPEN is not in the capture: the
 * missing one was sent before it started. The exchange after the OPEN that
 * is there is complete, so the route tables are. */
static void one_open_missing(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt, const char *shown_by)
{
    erdiag_bgp_session *s = &l->pub.bgp;
    opens_complete(e, l, pkt); /* judge the OPEN that is there */
    int missing = s->open_seen[ERDIAG_CUST] ? ERDIAG_MSFT : ERDIAG_CUST;
    bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_UNKNOWN,
                     "the %s side's OPEN predates the capture; %s show the session up", side_word(missing),
                     shown_by);
    established(e, l, pkt, FALSE);
}

/* Only an Established speaker sends UPDATEs (RFC 4271 §9): one seen while
 * the session is not Established here means the capture missed how it got
 * there. */
static void update_shows_established(erdiag_engine *e, link_impl *l, int side, const erdiag_packet_meta *pkt)
{
    erdiag_bgp_session *s = &l->pub.bgp;
    if (!s->open_seen[0] && !s->open_seen[1]) {
        if (s->state > ERDIAG_BGPS_CONNECT)
            return;
        /* no OPEN of this connection: it predates the capture */
        l->midstream = TRUE;
        established(e, l, pkt, TRUE);
    } else if (s->open_seen[0] && s->open_seen[1]) {
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_UNKNOWN,
                         "the %s side sends an UPDATE: the KEEPALIVEs that completed the session are not in the "
                         "capture", side_word(side));
        established(e, l, pkt, FALSE);
    } else {
        g_autofree char *by = g_strdup_printf("the %s side's UPDATE", side_word(side));
        one_open_missing(e, l, pkt, by);
    }
}

void bgp_session_msg(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_bgp_ev *b = &ev->u.bgp;
    const erdiag_packet_meta *pkt = &ev->pkt;
    link_impl *l = peering_map_link_for_pair(e, &b->src, &b->dst, pkt);
    if (!l) {
        unmapped_bgp_msg(e, ev);
        return;
    }
    erdiag_side ss = link_side_of(&l->pub, &b->src);
    if (cls) {
        cls->peering = l->pub.peering;
        cls->link = &l->pub;
        cls->side = ss;
        cls->step = ERDIAG_STEP_BGP;
    }
    if (ss == ERDIAG_SIDE_UNKNOWN || link_side_of(&l->pub, &b->dst) == ERDIAG_SIDE_UNKNOWN) {
        unmapped_bgp_msg(e, ev); /* a neighbour that is not the link's other end */
        return;
    }
    int side = side_index(ss);
    erdiag_bgp_session *s = &l->pub.bgp;
    const erdiag_bgp_msg *m = &b->msg;
    if (!s->seen) {
        s->seen = TRUE;
        l->first_tcp_us = pkt->ts_us;
        l->first_tcp_frame = pkt->frame;
    }
    if (!l->first_msg_seen) {
        l->first_msg_seen = TRUE;
        /* the BGP exchange began in the capture when its first message is an
         * OPEN, even if the TCP handshake came before it */
        if (m->type == ERDIAG_BGP_OPEN)
            l->start_unknown = FALSE;
        else if (l->start_unknown)
            bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_UNKNOWN,
                             "the capture starts within a connection: the session's state before is unknown");
    }
    if (m->type >= 1 && m->type <= 5)
        s->msgs[side][m->type]++;
    if (s->state == ERDIAG_BGPS_ESTABLISHED && s->last_msg_us[side]) {
        gint64 gap = pkt->ts_us - s->last_msg_us[side];
        if (gap > s->max_gap_us[side])
            s->max_gap_us[side] = gap;
    }
    s->last_msg_us[side] = pkt->ts_us;
    s->last_msg_frame[side] = pkt->frame;
    l->silence_reported[side] = FALSE;

    if (m->type == ERDIAG_BGP_UPDATE) {
        if (s->state == ERDIAG_BGPS_ESTABLISHED)
            l->ka_ref_us[side] = pkt->ts_us; /* an UPDATE restarts the sender's KeepaliveTimer */
        else
            update_shows_established(e, l, side, pkt);
    }

    /* RFC 7606: an UPDATE's errors are bgp.update-error, a session reset
     * among them too; only the other problems are decode errors. */
    gboolean update_reset = m->type == ERDIAG_BGP_UPDATE && m->u.update.action == ERDIAG_BGP_ERR_SESSION_RESET;
    if (m->type == ERDIAG_BGP_UPDATE && m->u.update.n_errors > 0)
        bgp_update_errors(e, l, side, &m->u.update, pkt);
    if (m->error && update_reset)
        return;
    if (m->error) {
        g_autofree char *key = g_strdup_printf("%d/%u", side, m->type);
        erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_DECODE_ERROR, ERDIAG_SEV_WARNING, &l->pub, NULL, key,
                                          advice_decode, "%s: malformed %s from the %s side: %s", l->pub.label,
                                          erdiag_bgp_type_name(m->type), side_word(side), m->error);
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
        if (m->type != ERDIAG_BGP_NOTIFICATION && m->type != ERDIAG_BGP_KEEPALIVE)
            return;
    }

    switch (m->type) {
    case ERDIAG_BGP_OPEN: {
        const erdiag_bgp_open *o = &m->u.open;
        guint32 asn = erdiag_bgp_open_asn(o);
        s->open[side] = *o;
        s->open_seen[side] = TRUE;
        l->attempt_seen = TRUE;
        s->open_frame[side] = pkt->frame;
        s->asn[side] = asn;
        l->keepalive_after_open[side] = FALSE;
        if (s->state < ERDIAG_BGPS_OPENSENT || s->state == ERDIAG_BGPS_ESTABLISHED)
            s->state = ERDIAG_BGPS_OPENSENT;
        g_autofree char *caps = caps_text(o);
        g_autofree char *id = ipv4_id(o->bgp_id);
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ss, "%s OPEN: AS %u%s, hold %u s, id %s%s%s",
                         side_word(side), asn, o->has_as4 && o->my_as == ERDIAG_BGP_AS_TRANS ? " (AS_TRANS + 4-octet)" : "",
                         o->hold_time, id, *caps ? ", capabilities " : "", caps);
        l->opens_checked = FALSE;
        if (s->asn[ERDIAG_MSFT] == MSEE_ASN)
            l->pub.msft_evidence = ERDIAG_MSFT_BY_ASN;
        if (s->open_seen[0] && s->open_seen[1]) {
            s->state = ERDIAG_BGPS_OPENCONFIRM;
            s->hold_time = MIN(s->open[0].hold_time, s->open[1].hold_time);
            opens_complete(e, l, pkt);
            if (s->asn[0] == s->asn[1])
                bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ERDIAG_SIDE_UNKNOWN,
                                 "iBGP session: both sides are AS %u", s->asn[0]);
            if (cls)
                cls->side = link_side_of(&l->pub, &b->src);
            check_timers(e, l, pkt);
        }
        if (s->asn[ERDIAG_MSFT] == MSEE_ASN)
            l->pub.msft_evidence = ERDIAG_MSFT_BY_ASN;
        /* zero-config: a link whose ASes differ from its partner's is another peering */
        peering_map_recheck(e, l);
        if (cls)
            cls->peering = l->pub.peering;
        break;
    }
    case ERDIAG_BGP_KEEPALIVE:
        check_keepalive_gap(e, l, side, pkt);
        /* a KEEPALIVE answers the other side's OPEN; a side whose own OPEN
         * predates the capture answers the one that is in it */
        if (s->open_seen[side] || s->open_seen[1 - side])
            l->keepalive_after_open[side] = TRUE;
        if (s->state == ERDIAG_BGPS_OPENCONFIRM && l->keepalive_after_open[0] && l->keepalive_after_open[1])
            established(e, l, pkt, FALSE);
        else if (s->state == ERDIAG_BGPS_OPENSENT && s->open_seen[0] != s->open_seen[1]
                 && l->keepalive_after_open[0] && l->keepalive_after_open[1])
            one_open_missing(e, l, pkt, "KEEPALIVEs both ways");
        else if (s->state <= ERDIAG_BGPS_CONNECT && !s->open_seen[0] && !s->open_seen[1]
                 && s->msgs[1 - side][ERDIAG_BGP_KEEPALIVE] + s->msgs[1 - side][ERDIAG_BGP_UPDATE] > 0) {
            /* both sides talk but no OPEN was captured: the session predates the capture */
            l->midstream = TRUE;
            established(e, l, pkt, TRUE);
        }
        break;
    case ERDIAG_BGP_UPDATE:
        bgp_update_apply(e, l, ss, &m->u.update, pkt);
        break;
    case ERDIAG_BGP_NOTIFICATION:
        notification(e, l, side, &m->u.notification, pkt);
        break;
    case ERDIAG_BGP_ROUTE_REFRESH:
        bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, ss, "%s asks for a ROUTE-REFRESH (AFI %u, SAFI %u)",
                         side_word(side), m->u.route_refresh.afi, m->u.route_refresh.safi);
        break;
    default:
        break;
    }
}

void bgp_session_check_time(erdiag_engine *e, gboolean at_end)
{
    gint64 establish = (gint64)e->cfg->thresholds.establish_timeout_ms * 1000;
    gint64 syn_timeout = (gint64)e->cfg->thresholds.syn_timeout_ms * 1000;
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        erdiag_bgp_session *s = &l->pub.bgp;
        if (!s->seen)
            continue;
        for (guint k = 0; k < ERDIAG_MAX_SYNS; k++) {
            syn_attempt *a = &l->syns[k];
            if (a->used && !a->answered && !a->judged && (e->now_us - a->ts_us >= syn_timeout || (at_end && a->retries > 0)))
                judge_syn(e, l, a);
        }
        judge_failures(e, l, at_end);
        /* silence longer than the hold time while Established */
        if (s->state == ERDIAG_BGPS_ESTABLISHED && s->hold_time > 0) {
            for (int side = 0; side < 2; side++) {
                gint64 last = MAX(s->last_msg_us[side], s->established_at_us);
                if (l->silence_reported[side] || e->now_us - last <= (gint64)s->hold_time * G_USEC_PER_SEC)
                    continue;
                l->silence_reported[side] = TRUE;
                erdiag_finding *f = finding_raise(e, ERDIAG_F_BGP_HOLD_TIMER_EXPIRED, ERDIAG_SEV_ERROR, &l->pub,
                                                  NULL, NULL, advice_hold, "%s: the %s side was silent for %.0f s, "
                                                  "longer than the negotiated hold time of %u s", l->pub.label,
                                                  side_word(side), (e->now_us - last) / 1e6, s->hold_time);
                finding_evidence(e, f, s->last_msg_frame[side], s->last_msg_us[side]);
            }
        }
        /* "never Established" needs a start to judge from: a SYN or an OPEN,
         * and every byte of the exchange after it (a message missing from
         * the capture may be the KEEPALIVE that completed it) */
        if (!s->ever_established && !l->midstream && l->attempt_seen && !stream_gap(l)
            && (at_end || e->now_us - l->first_tcp_us >= establish)) {
            const char *st = erdiag_bgp_state_name(s->state == ERDIAG_BGPS_CONNECT ? ERDIAG_BGPS_ACTIVE : s->state);
            erdiag_finding *f;
            if (l->start_unknown)
                f = finding_raise(e, ERDIAG_F_BGP_NOT_ESTABLISHED, ERDIAG_SEV_ERROR, &l->pub, NULL, NULL,
                                  advice_not_established, "%s: BGP did not reach Established in the capture (%u "
                                  "connection attempt%s; last state %s); the capture starts within an older "
                                  "connection, whose state is unknown", l->pub.label, s->connection_attempts,
                                  s->connection_attempts == 1 ? "" : "s", st);
            else
                f = finding_raise(e, ERDIAG_F_BGP_NOT_ESTABLISHED, ERDIAG_SEV_ERROR, &l->pub, NULL, NULL,
                                  advice_not_established, "%s: BGP never reached Established "
                                  "(%u connection attempt%s; last state %s)", l->pub.label,
                                  s->connection_attempts, s->connection_attempts == 1 ? "" : "s", st);
            finding_evidence(e, f, l->first_tcp_frame, l->first_tcp_us);
        }
    }
}

void bgp_session_finish(erdiag_engine *e)
{
    bgp_session_frame_done(e);
    bgp_update_finish(e);
    bgp_session_check_time(e, TRUE);
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        erdiag_bgp_session *s = &l->pub.bgp;
        if (s->state == ERDIAG_BGPS_ESTABLISHED)
            s->total_up_us += e->now_us - s->established_at_us;
    }
}
