/* Step "l2": the ARP table of each link as Azure shows it, and the VLAN/ARP
 * findings. IPv6 Neighbour Discovery is handled the same way. */
#include <string.h>
#include "engine_internal.h"

#define UNMAPPED_ARP_MAX 256

/* Azure's "Getting ARP tables" page: an On-Prem entry that is Incomplete
 * or missing is an on-prem or connectivity provider problem (a support
 * request with the provider); only a missing table points to Microsoft. */
static const char *const advice_unanswered_msee =
    "The on-prem router's requests for the MSEE address (network + 2) got no reply. Compare the "
    "VLAN ID (C-tag, and S-tag with QinQ) on the router's sub-interface with the peering's VLAN ID "
    "in Azure and with what the connectivity provider hands over; primary and secondary use the "
    "same VLAN ID. Then read this path's ARP table in Azure (Get-AzExpressRouteCircuitARPTable "
    "-DevicePath Primary or Secondary): an On-Prem entry that is Incomplete, or only the Microsoft "
    "entry, is an on-prem or connectivity provider problem: open a support request with your "
    "connectivity provider. Only when Azure shows no ARP table at all for the peering is "
    "Microsoft's side at fault: then open a support ticket with Microsoft support for a layer 2 "
    "connectivity issue.";
static const char *const advice_unanswered_customer =
    "The MSEE's requests for the on-prem address (network + 1) got no reply: the on-prem router is "
    "not on the first usable address of the /30, or its VLAN tag differs from the peering's. Azure's "
    "ARP table for this path then shows the On-Prem entry Incomplete (or only the Microsoft entry): "
    "check the sub-interface address and tag, then open a support request with your connectivity "
    "provider to check that the C-tag and S-tag match on both sides of the hand-off.";
/* Behind a layer-3 provider the far side is its PE: Azure's ARP tables
 * show the PE's link to the MSEE, not this one. */
static const char *const advice_unanswered_pe =
    "Your router's requests for the provider's PE got no reply. Compare the VLAN ID (C-tag, and "
    "S-tag with QinQ) and the address of your sub-interface with what the layer-3 provider hands "
    "over, and open a support request with your connectivity provider: Azure's ARP tables show the "
    "provider's link to the MSEE, not this one.";
static const char *const advice_unanswered_customer_pe =
    "The provider's PE's requests for your router's address got no reply: check the sub-interface's "
    "address and VLAN tag against the layer-3 provider's hand-off, then ask the provider to check "
    "its side.";
static const char *const advice_vlan =
    "Set the router's sub-interface VLAN ID (and S-tag with QinQ) to the peering's VLAN ID, or "
    "correct the peering in Azure; ask the connectivity provider how it maps tags on the hand-off. "
    "A VLAN mismatch shows in Azure's ARP table as an On-Prem entry that is Incomplete, or as only "
    "the Microsoft entry; if the tags match on your side, open a support request with your "
    "connectivity provider.";
static const char *const advice_wrong_subnet =
    "Each link uses one /30 (/126): the on-prem router must use the first usable address and "
    "Microsoft uses the second. Check the sub-interface address and the BGP neighbour address "
    "against the peering's primary and secondary subnets.";
static const char *const advice_duplicate =
    "Two devices answer for one peering address. Find the second device by its MAC address "
    "(a second router, a VRRP/HSRP pair, a misconfigured host on the VLAN) and remove the "
    "address from it.";

static gboolean is_link_local(const erdiag_addr *a)
{
    return a->family == 6 && a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
}

static char *mac_str(const guint8 m[6])
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const char *side_word(const link_impl *l, int side)
{
    return side == ERDIAG_CUST ? "on-prem" : erdiag_link_layer3(&l->pub) ? "provider's PE" : "Microsoft";
}

/* Config: the packet's tags must carry the peering's VLAN (and S-tag). An
 * untagged capture (a router sub-interface, -i any) cannot be checked. */
/* The identity of an unanswered-ARP finding: who was asked. */
static const char *unanswered_key(int asked)
{
    return asked == ERDIAG_MSFT ? "to-msft" : "to-cust";
}

static gboolean tags_match_config(const erdiag_link *l, const erdiag_packet_meta *pkt)
{
    const erdiag_peering *pe = l->peering;
    if (!pe->configured || pkt->n_tags == 0 || !pe->cfg)
        return TRUE;
    erdiag_vlan_tag want[ERDIAG_MAX_TAGS];
    guint8 n = peering_map_config_tags(l, want);
    /* the configured tags are the innermost ones seen (an outer tag the
     * configuration does not name is the capture's own trunk) */
    /* an S-tag without a VLAN ID is still the second tag from the inside */
    guint8 span = pe->cfg->has_vlan ? n : (guint8)(n + 1);
    if (span > pkt->n_tags)
        return FALSE;
    for (guint8 i = 0; i < n; i++)
        if (pkt->tags[pkt->n_tags - span + i].vid != want[i].vid)
            return FALSE;
    return TRUE;
}

/* With one outer-vlan for the peering, a link that matches on its C-tag but
 * not on its S-tag may be one of the two links of a circuit tagged
 * differently: say which keys describe that. */
static const char *per_link_hint(const erdiag_link *l, const erdiag_packet_meta *pkt)
{
    const erdiag_peering_config *pc = l->peering->cfg;
    if (!pc || !pc->has_outer_vlan || pc->has_primary_outer_vlan || pc->has_secondary_outer_vlan || pkt->n_tags < 2)
        return "";
    if (pc->has_vlan && pkt->tags[pkt->n_tags - 1].vid != pc->vlan)
        return "";
    return l->role == ERDIAG_ROLE_SECONDARY
               ? " (the two links of a circuit may carry different S-tags: set secondary-outer-vlan for this link's)"
               : " (the two links of a circuit may carry different S-tags: set primary-outer-vlan for this link's)";
}

static void check_tags(erdiag_engine *e, link_impl *l, int side, const erdiag_event *ev)
{
    const erdiag_packet_meta *pkt = &ev->pkt;
    char ip[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&l->pub.addr[side], ip);
    if (!tags_match_config(&l->pub, pkt)) {
        g_autofree char *seen = erdiag_tags_to_string(pkt->n_tags, pkt->tags);
        erdiag_vlan_tag want_tags[ERDIAG_MAX_TAGS];
        guint8 n_want = peering_map_config_tags(&l->pub, want_tags);
        g_autofree char *want = erdiag_tags_to_string(n_want, want_tags);
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ARP_VLAN_MISMATCH, ERDIAG_SEV_ERROR, &l->pub, NULL,
                                          side == ERDIAG_CUST ? "cust" : "msft", advice_vlan,
                                          "%s side %s sends on %s, but peering %s is configured for %s on its %s "
                                          "link%s", side_word(l, side), ip, seen, l->pub.peering->name, want,
                                          l->pub.label, per_link_hint(&l->pub, pkt));
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
    }
    if (!l->tags_known[side]) {
        l->tags_known[side] = TRUE;
        l->n_side_tags[side] = pkt->n_tags;
        memcpy(l->side_tags[side], pkt->tags, sizeof(l->side_tags[side]));
        if (side == ERDIAG_MSFT && e->zero_config)
            peering_map_regroup(e, l, pkt->n_tags, pkt->tags);
        if (side == ERDIAG_MSFT || !l->tags_known[ERDIAG_MSFT]) {
            l->pub.n_tags = pkt->n_tags;
            memcpy(l->pub.tags, pkt->tags, sizeof(l->pub.tags));
        }
    }
    int other = 1 - side;
    if (l->tags_known[other]
        && !tags_equal(l->n_side_tags[side], l->side_tags[side], l->n_side_tags[other], l->side_tags[other])) {
        g_autofree char *mine = erdiag_tags_to_string(l->n_side_tags[ERDIAG_CUST], l->side_tags[ERDIAG_CUST]);
        g_autofree char *theirs = erdiag_tags_to_string(l->n_side_tags[ERDIAG_MSFT], l->side_tags[ERDIAG_MSFT]);
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ARP_VLAN_MISMATCH, ERDIAG_SEV_ERROR, &l->pub, NULL,
                                          "sides", advice_vlan,
                                          "the two sides of %s use different tags: on-prem %s, %s %s",
                                          l->pub.label, mine, side_word(l, ERDIAG_MSFT), theirs);
        finding_evidence(e, f, pkt->frame, pkt->ts_us);
    }
}

static void check_owner(erdiag_engine *e, link_impl *l, int side, const guint8 mac[6], const erdiag_event *ev)
{
    if (!l->mac_known[side]) {
        l->mac_known[side] = TRUE;
        memcpy(l->owner_mac[side], mac, 6);
        e->link_macs_gen++;
        return;
    }
    if (memcmp(l->owner_mac[side], mac, 6) == 0)
        return;
    char ip[ERDIAG_ADDR_STRLEN];
    g_autofree char *m1 = mac_str(l->owner_mac[side]);
    g_autofree char *m2 = mac_str(mac);
    erdiag_finding *f = finding_raise(e, ERDIAG_F_ARP_DUPLICATE_IP, ERDIAG_SEV_ERROR, &l->pub, NULL, m2,
                                      advice_duplicate, "%s (%s side of %s) is claimed by %s and by %s",
                                      erdiag_addr_to_string(&l->pub.addr[side], ip), side_word(l, side),
                                      l->pub.label, m1, m2);
    finding_evidence(e, f, ev->pkt.frame, ev->pkt.ts_us);
}

/* l: the link the ARP names by one of its addresses, or (by_iface) the
 * link alone on the capture interface it came in on. */
static void note_wrong_subnet(erdiag_engine *e, link_impl *l, const erdiag_peering *pe, const erdiag_arp_ev *a,
                              const erdiag_packet_meta *pkt, gboolean by_iface)
{
    char s[ERDIAG_ADDR_STRLEN], t[ERDIAG_ADDR_STRLEN], sub[ERDIAG_PREFIX_STRLEN] = "";
    erdiag_addr_to_string(&a->sender_ip, s);
    erdiag_addr_to_string(&a->target_ip, t);
    g_autofree char *extra = g_strdup_printf("%s>%s", s, t);
    erdiag_finding *f;
    if (l && by_iface)
        f = finding_raise(e, ERDIAG_F_ARP_WRONG_SUBNET, ERDIAG_SEV_WARNING, &l->pub, NULL, extra,
                          advice_wrong_subnet, "ARP from %s for %s on %s (its capture interface carries only "
                          "that link): neither address is in %s's subnet %s", s, t, l->pub.label, l->pub.label,
                          erdiag_prefix_to_string(&l->pub.subnet, sub));
    else if (l)
        f = finding_raise(e, ERDIAG_F_ARP_WRONG_SUBNET, ERDIAG_SEV_WARNING, &l->pub, NULL, extra,
                          advice_wrong_subnet, "%s from %s for %s: %s is not one of %s's two peering addresses",
                          a->nd ? "Neighbour Solicitation/Advertisement" : "ARP", s, t,
                          link_side_of(&l->pub, &a->sender_ip) ? t : s,
                          erdiag_prefix_to_string(&l->pub.subnet, sub));
    else
        f = finding_raise(e, ERDIAG_F_ARP_WRONG_SUBNET, ERDIAG_SEV_WARNING, NULL, pe, extra, advice_wrong_subnet,
                          "ARP from %s for %s on peering %s's VLAN, outside every peering subnet", s, t,
                          pe->name);
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

void arp_tracker_feed(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls)
{
    const erdiag_arp_ev *a = &ev->u.arp;
    const erdiag_packet_meta *pkt = &ev->pkt;
    gboolean sender_ll = a->sender_ip.family == 0 || is_link_local(&a->sender_ip);
    if (is_link_local(&a->target_ip))
        return;
    link_impl *l = sender_ll ? peering_map_link_for_addr(e, &a->target_ip)
                             : peering_map_link_for_pair(e, &a->sender_ip, &a->target_ip, pkt);
    if (!l) {
        if (!sender_ll && e->unmapped_arps->len < UNMAPPED_ARP_MAX) {
            unmapped_arp u = {.n_tags = pkt->n_tags, .sender = a->sender_ip, .target = a->target_ip,
                              .frame = pkt->frame, .ts_us = pkt->ts_us, .iface = pkt->iface};
            memcpy(u.tags, pkt->tags, sizeof(u.tags));
            g_array_append_val(e->unmapped_arps, u);
        }
        return;
    }
    link_touch(e, l, pkt);
    erdiag_side ss = sender_ll ? ERDIAG_SIDE_UNKNOWN : link_side_of(&l->pub, &a->sender_ip);
    erdiag_side ts = link_side_of(&l->pub, &a->target_ip);
    /* an NA names the advertised address as its "sender" */
    if (cls) {
        cls->peering = l->pub.peering;
        cls->link = &l->pub;
        cls->side = ss;
        cls->step = ERDIAG_STEP_L2;
    }
    if (!sender_ll && (ss == ERDIAG_SIDE_UNKNOWN || (a->opcode == ERDIAG_ARP_REQUEST && ts == ERDIAG_SIDE_UNKNOWN
                                                     && !erdiag_addr_equal(&a->sender_ip, &a->target_ip))))
        note_wrong_subnet(e, l, l->pub.peering, a, pkt, FALSE);
    if (ss == ERDIAG_SIDE_UNKNOWN)
        return;
    int side = ss == ERDIAG_SIDE_CUSTOMER ? ERDIAG_CUST : ERDIAG_MSFT;
    check_tags(e, l, side, ev);
    /* check_tags may have moved the link to another peering (and freed the
     * one it left): the class must name the one it is in now */
    if (cls)
        cls->peering = l->pub.peering;
    if (!(a->opcode == ERDIAG_ARP_REPLY && memcmp(a->sender_mac, "\0\0\0\0\0\0", 6) == 0))
        check_owner(e, l, side, a->sender_mac, ev);

    erdiag_arp_row *row = &l->pub.arp[side];
    row->last_seen_us = pkt->ts_us;
    /* Azure always knows its own interface: the Microsoft row shows the
     * MSEE's MAC as soon as it speaks; the On-Prem row needs an exchange
     * that reached the MSEE (below). */
    if (side == ERDIAG_MSFT && !row->resolved && l->mac_known[ERDIAG_MSFT]) {
        row->resolved = TRUE;
        memcpy(row->mac, l->owner_mac[ERDIAG_MSFT], 6);
    }
    if (!row->first_frame)
        row->first_frame = pkt->frame;
    row->last_frame = pkt->frame;

    if (a->opcode == ERDIAG_ARP_REQUEST) {
        if (ts == ERDIAG_SIDE_UNKNOWN || ts == ss)
            return; /* gratuitous, or outside the link (reported above) */
        int tside = ts == ERDIAG_SIDE_CUSTOMER ? ERDIAG_CUST : ERDIAG_MSFT;
        arp_direction *d = &l->arp_dir[tside];
        l->pub.arp[tside].requests_for++;
        if (!d->pending) {
            d->pending = TRUE;
            d->pending_frame = pkt->frame;
            d->pending_ts_us = pkt->ts_us;
            d->pending_count = 0;
        }
        d->asker = ss;
        d->pending_count++;
        /* every request is evidence if the wait times out (report_unanswered) */
        finding_pending_evidence(e, ERDIAG_F_ARP_UNANSWERED, &l->pub, NULL, unanswered_key(tside), pkt->frame,
                                 pkt->ts_us);
    } else if (a->opcode == ERDIAG_ARP_REPLY) {
        arp_direction *d = &l->arp_dir[side];
        row->replies_from++;
        row->resolved = TRUE;
        memcpy(row->mac, a->sender_mac, 6);
        if (d->pending)
            row->requests_answered += d->pending_count;
        finding_pending_drop(e, ERDIAG_F_ARP_UNANSWERED, &l->pub, NULL, unanswered_key(side));
        d->pending = FALSE;
        d->ever_answered = TRUE;
        /* the asker's own MAC is now in the replier's cache */
        int other = 1 - side;
        if (l->mac_known[other] && !l->pub.arp[other].resolved) {
            l->pub.arp[other].resolved = TRUE;
            memcpy(l->pub.arp[other].mac, l->owner_mac[other], 6);
        }
    }
}

static void report_unanswered(erdiag_engine *e, link_impl *l, int tside)
{
    arp_direction *d = &l->arp_dir[tside];
    int asker = 1 - tside;
    char tip[ERDIAG_ADDR_STRLEN], aip[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&l->pub.addr[tside], tip);
    erdiag_addr_to_string(&l->pub.addr[asker], aip);
    d->unanswered_total += d->pending_count;
    g_autofree char *tags = erdiag_tags_to_string(l->n_side_tags[asker], l->side_tags[asker]);
    /* the finding takes the requests that waited as its evidence */
    finding_raise(
        e, ERDIAG_F_ARP_UNANSWERED, ERDIAG_SEV_ERROR, &l->pub, NULL, unanswered_key(tside),
        erdiag_link_layer3(&l->pub) ? (tside == ERDIAG_MSFT ? advice_unanswered_pe : advice_unanswered_customer_pe)
                                    : tside == ERDIAG_MSFT ? advice_unanswered_msee : advice_unanswered_customer,
        "%s: %u %s request%s from %s (%s, on %s) for %s (%s) got no reply",
        l->pub.label, d->unanswered_total, l->pub.family == 6 ? "Neighbour Solicitation" : "ARP",
        d->unanswered_total == 1 ? "" : "s", aip, side_word(l, asker), tags, tip, side_word(l, tside));
    d->pending = FALSE;
}

void arp_tracker_check_time(erdiag_engine *e, gboolean at_end)
{
    gint64 timeout = (gint64)e->cfg->thresholds.arp_timeout_ms * 1000;
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        for (int side = 0; side < 2; side++) {
            arp_direction *d = &l->arp_dir[side];
            if (!d->pending)
                continue;
            /* At capture end a fresh request on a link that answered before is
             * a refresh cut short, not a failure. */
            if (e->now_us - d->pending_ts_us >= timeout || (at_end && !d->ever_answered))
                report_unanswered(e, l, side);
        }
    }
}

void arp_tracker_finish(erdiag_engine *e)
{
    arp_tracker_check_time(e, TRUE);
    /* ARP on a peering's VLAN that fits no link */
    for (guint i = 0; i < e->unmapped_arps->len; i++) {
        unmapped_arp *u = &g_array_index(e->unmapped_arps, unmapped_arp, i);
        if (peering_map_link_for_addr(e, &u->sender) || peering_map_link_for_addr(e, &u->target))
            continue;
        erdiag_packet_meta pkt = {.frame = u->frame, .ts_us = u->ts_us, .n_tags = u->n_tags};
        memcpy(pkt.tags, u->tags, sizeof(pkt.tags));
        erdiag_peering *pe = peering_map_peering_for_tags(e, &pkt);
        if (!pe || erdiag_addr_equal(&u->sender, &u->target))
            continue;
        erdiag_arp_ev a = {.opcode = ERDIAG_ARP_REQUEST, .sender_ip = u->sender, .target_ip = u->target};
        /* its addresses name no link; the capture interface may */
        link_impl *l = link_alone_on_iface(e, pe, u->iface);
        note_wrong_subnet(e, l, pe, &a, &pkt, l != NULL);
    }
}
