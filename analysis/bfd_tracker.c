/* BFD on the peering links (RFC 5880). Azure runs BFD on the MSEE for
 * private peering and asks the customer's router to run it too: it decides
 * how fast a failed link fails over to the other one. Per link: what each
 * side sends, its state changes (into the session timeline), a session that
 * goes down after it was up and whether BGP followed (bfd.down), a side
 * that sends while the other never answers (bfd.not-answered), and timers
 * other than the MSEE's 300 ms x 3 (bfd.timers). */
#include "engine_internal.h"
#include "bfd.h"

/* The MSEE's BFD timers (Configure BFD over ExpressRoute). */
#define MSEE_BFD_INTERVAL_US 300000u
#define MSEE_BFD_MULTIPLIER 3u

enum { BFD_ADMIN_DOWN = 0, BFD_DOWN = 1, BFD_UP = 3 };

static const char *who(int side)
{
    return side == ERDIAG_CUST ? "on-prem" : "MSEE";
}

static const char *const advice_down =
    "BFD on this link went down after it was up: the peers stopped hearing each other within the "
    "detection time (diagnostic 1), or one side signalled the session down. BFD takes the BGP "
    "session down with it, so traffic fails over to the other link in about a second instead of "
    "the BGP hold time. Check the link (interface errors, the provider's circuit) and the router "
    "at the side that stopped sending; Azure runs BFD on the MSEE for private peering.";

static void transition(erdiag_engine *e, link_impl *l, int side, const erdiag_bfd_ev *b, const erdiag_packet_meta *pkt)
{
    erdiag_bfd_view *v = &l->pub.bfd;
    guint8 before = v->state[side];
    gboolean known = v->state_known[side];
    v->state_known[side] = TRUE;
    v->state[side] = b->state;
    if (known && before == b->state)
        return;
    bgp_timeline_add(&l->pub, pkt->ts_us, pkt->frame, side == ERDIAG_CUST ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT,
                     "BFD %s: %s%s%s%s%s%s", who(side), known ? erdiag_bfd_state_name(before) : "",
                     known ? " -> " : "", erdiag_bfd_state_name(b->state), b->diag ? " (" : "",
                     b->diag ? erdiag_bfd_diag_name(b->diag) : "", b->diag ? ")" : "");
    if (b->state == BFD_UP) {
        v->up[side] = TRUE;
        return;
    }
    if (!known || before != BFD_UP || (b->state != BFD_DOWN && b->state != BFD_ADMIN_DOWN))
        return;
    v->downs++;
    v->last_diag = b->diag;
    if (l->bfd_down)
        return; /* the first one is the finding; later ones count */
    l->bfd_down_frame = pkt->frame;
    l->bfd_down_ts = pkt->ts_us;
    l->bfd_down_side = side;
    l->bfd_down_diag = b->diag;
    l->bfd_down = finding_raise(e, ERDIAG_F_BFD_DOWN, ERDIAG_SEV_WARNING, &l->pub, NULL, "down", advice_down,
                                "%s: BFD went %s, the %s side reporting diagnostic %u (%s)", l->pub.label,
                                erdiag_bfd_state_name(b->state), who(side), b->diag, erdiag_bfd_diag_name(b->diag));
    finding_evidence(e, l->bfd_down, pkt->frame, pkt->ts_us);
}

void bfd_feed(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_bfd_ev *b = &ev->u.bfd;
    link_impl *l = peering_map_link_for_pair(e, &b->src, &b->dst, &ev->pkt);
    if (!l)
        return;
    int side = erdiag_addr_equal(&b->src, &l->pub.addr[ERDIAG_CUST]) ? ERDIAG_CUST
             : erdiag_addr_equal(&b->src, &l->pub.addr[ERDIAG_MSFT]) ? ERDIAG_MSFT : -1;
    if (side < 0)
        return;
    link_touch(e, l, &ev->pkt);
    if (cls) {
        cls->peering = l->pub.peering;
        cls->link = &l->pub;
        cls->side = side == ERDIAG_CUST ? ERDIAG_SIDE_CUSTOMER : ERDIAG_SIDE_MICROSOFT;
        cls->step = ERDIAG_STEP_REDUNDANCY;
    }
    erdiag_bfd_view *v = &l->pub.bfd;
    if (v->packets[side]++ == 0) {
        l->bfd_first_frame[side] = ev->pkt.frame;
        l->bfd_first_ts[side] = ev->pkt.ts_us;
    }
    if (b->state == BFD_UP) {
        /* the values that count: while Down, RFC 5880 6.8.3 has a side send no faster than once a second */
        v->desired_min_tx_us[side] = b->desired_min_tx_us;
        v->required_min_rx_us[side] = b->required_min_rx_us;
        v->multiplier[side] = b->multiplier;
    }
    transition(e, l, side, b, &ev->pkt);
}

/* Whether BGP left Established after the BFD down: the first timeline
 * entry after it that is not Established. */
static const erdiag_timeline_entry *bgp_followed(const link_impl *l)
{
    const GPtrArray *t = l->pub.bgp.timeline;
    for (guint i = 0; i < t->len; i++) {
        const erdiag_timeline_entry *te = g_ptr_array_index(t, i);
        if (te->frame > l->bfd_down_frame && te->state != ERDIAG_BGPS_ESTABLISHED)
            return te;
    }
    return NULL;
}

static const char *const advice_not_answered =
    "Only one side of this link runs BFD. Azure enables BFD on the MSEE for private peering; "
    "configure BFD on the on-prem router's peering interface and enable it for the BGP neighbour "
    "(Configure BFD over ExpressRoute), so that a failed link is detected in about a second rather "
    "than after the BGP hold time.";

static const char *const advice_timers =
    "The MSEE's BFD runs with a 300 ms interval and a multiplier of 3 (a link failure is detected "
    "after 900 ms); the slower side's values win. Microsoft's guide configures the on-prem router "
    "with the same 300 ms x 3; longer intervals only delay failover.";

static guint32 max_u32(guint32 a, guint32 b)
{
    return a > b ? a : b;
}

static void finish_link(erdiag_engine *e, link_impl *l)
{
    const erdiag_bfd_view *v = &l->pub.bfd;
    for (int s = 0; s < 2; s++) {
        int o = 1 - s;
        if (v->packets[s] == 0 || v->packets[o] != 0)
            continue;
        erdiag_finding *f = finding_raise(
            e, ERDIAG_F_BFD_NOT_ANSWERED, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL, advice_not_answered,
            "%s: the %s side sent %" G_GUINT64_FORMAT " BFD packet%s, the %s side none: BFD never came up on this link",
            l->pub.label, who(s), v->packets[s], v->packets[s] == 1 ? "" : "s", who(o));
        finding_evidence(e, f, l->bfd_first_frame[s], l->bfd_first_ts[s]);
    }
    if (l->bfd_down) {
        const erdiag_timeline_entry *te = bgp_followed(l);
        g_autofree char *bgp = te ? g_strdup_printf("BGP followed: %s %.3f s later (frame %" G_GUINT64_FORMAT ")",
                                                    erdiag_bgp_state_name(te->state),
                                                    (te->ts_us - l->bfd_down_ts) / 1e6, te->frame)
                                  : g_strdup(l->pub.bgp.ever_established ? "the BGP session stayed Established"
                                                                         : "no BGP session to follow");
        g_autofree char *more = v->downs > 1 ? g_strdup_printf("; %u times in all", v->downs) : g_strdup("");
        l->bfd_down = finding_raise(e, ERDIAG_F_BFD_DOWN, ERDIAG_SEV_WARNING, &l->pub, NULL, "down", advice_down,
                                    "%s: BFD went Down, the %s side reporting diagnostic %u (%s); %s%s", l->pub.label,
                                    who(l->bfd_down_side), l->bfd_down_diag, erdiag_bfd_diag_name(l->bfd_down_diag), bgp,
                                    more);
        if (te)
            finding_evidence(e, l->bfd_down, te->frame, te->ts_us);
    }
    /* timers: as negotiated once both sides were Up (RFC 5880 6.8.2, 6.8.4);
     * a layer-3 provider's PE is not the MSEE, its timers are the provider's */
    if (erdiag_link_layer3(&l->pub))
        return;
    if (!v->up[ERDIAG_CUST] || !v->up[ERDIAG_MSFT] || !v->multiplier[ERDIAG_CUST] || !v->multiplier[ERDIAG_MSFT])
        return;
    guint32 to_msee = max_u32(v->desired_min_tx_us[ERDIAG_CUST], v->required_min_rx_us[ERDIAG_MSFT]);
    guint32 to_cust = max_u32(v->desired_min_tx_us[ERDIAG_MSFT], v->required_min_rx_us[ERDIAG_CUST]);
    guint32 detect_at_msee = v->multiplier[ERDIAG_CUST] * to_msee, detect_at_cust = v->multiplier[ERDIAG_MSFT] * to_cust;
    if (to_msee == MSEE_BFD_INTERVAL_US && to_cust == MSEE_BFD_INTERVAL_US
        && v->multiplier[ERDIAG_CUST] == MSEE_BFD_MULTIPLIER && v->multiplier[ERDIAG_MSFT] == MSEE_BFD_MULTIPLIER)
        return;
    erdiag_finding *f = finding_raise(
        e, ERDIAG_F_BFD_TIMERS, ERDIAG_SEV_NOTE, &l->pub, NULL, NULL, advice_timers,
        "%s: BFD runs at %u ms on-prem -> MSEE and %u ms MSEE -> on-prem, multipliers %u (on-prem) and %u (MSEE): "
        "a failure is detected after %u ms at the MSEE and %u ms on-prem (the MSEE's 300 ms x 3: 900 ms)",
        l->pub.label, to_msee / 1000, to_cust / 1000, v->multiplier[ERDIAG_CUST], v->multiplier[ERDIAG_MSFT],
        detect_at_msee / 1000, detect_at_cust / 1000);
    finding_evidence(e, f, l->bfd_first_frame[ERDIAG_CUST], l->bfd_first_ts[ERDIAG_CUST]);
}

void bfd_finish(erdiag_engine *e)
{
    for (guint i = 0; i < e->links->len; i++)
        finish_link(e, g_ptr_array_index(e->links, i));
}
