/* An UPDATE's RFC 7606 errors and the address families the engine does
 * not analyse: the bgp.update-error finding, the route table following the
 * error's action (treat-as-withdraw withdraws the UPDATE's announced
 * prefixes; a discarded attribute is already absent from the decoded
 * message), and the per-link, per-side count of other AFI/SAFI NLRI. */
#include <string.h>
#include "engine_internal.h"

static const char *const advice_update_error =
    "The sending router encoded this UPDATE attribute wrongly. A receiver that follows RFC 7606 "
    "handles it as named: a discarded attribute leaves the routes in place without it; "
    "treat-as-withdraw withdraws the UPDATE's routes; a session reset tears the session down. "
    "Check the sending router's software version and any policy that sets or rewrites this "
    "attribute, and compare with its own view (show bgp neighbor, debug bgp updates).";

static const char *side_word(int side)
{
    return side == ERDIAG_CUST ? "on-prem" : "Microsoft";
}

static void raise_error(erdiag_engine *e, link_impl *l, int side, const erdiag_bgp_update *u,
                        const erdiag_bgp_update_error *err, const erdiag_packet_meta *pkt)
{
    g_autofree char *key = g_strdup_printf("%d/%u/%u/%u", side, err->attr_type, err->action,
                                           err->action == ERDIAG_BGP_ERR_SESSION_RESET ? 0u : 1u);
    erdiag_finding *f = finding_lookup(e, ERDIAG_F_BGP_UPDATE_ERROR, &l->pub, NULL, key);
    if (!f) {
        g_autofree char *what = err->attr_type
            ? g_strdup_printf("attribute %s, type %u", erdiag_bgp_attr_name(err->attr_type), err->attr_type)
            : g_strdup("the UPDATE's layout");
        const char *effect;
        g_autofree char *withdrawn = NULL;
        switch (err->action) {
        case ERDIAG_BGP_ERR_ATTR_DISCARD:
            effect = "the attribute is discarded and the UPDATE's routes stand";
            break;
        case ERDIAG_BGP_ERR_TREAT_AS_WITHDRAW:
            withdrawn = g_strdup_printf("treat-as-withdraw: the UPDATE's %u announced prefix%s count%s as "
                                        "withdrawn", u->n_announced, u->n_announced == 1 ? "" : "es",
                                        u->n_announced == 1 ? "s" : "");
            effect = withdrawn;
            break;
        default:
            effect = "session reset: a receiver drops the session; the UPDATE is ignored here";
            break;
        }
        f = finding_raise(e, ERDIAG_F_BGP_UPDATE_ERROR,
                          err->action == ERDIAG_BGP_ERR_ATTR_DISCARD ? ERDIAG_SEV_WARNING : ERDIAG_SEV_ERROR,
                          &l->pub, NULL, key, advice_update_error,
                          "%s: the %s side's UPDATE in frame %" G_GUINT64_FORMAT ": %s (%s); RFC 7606 "
                          "action: %s", l->pub.label, side_word(side), pkt->frame, err->reason, what, effect);
    }
    finding_evidence(e, f, pkt->frame, pkt->ts_us);
}

static void count_other_afi(link_impl *l, int side, const erdiag_bgp_update *u)
{
    for (guint i = 0; i < u->n_other_afi; i++) {
        const erdiag_bgp_afi_count *c = &u->other_afi[i];
        erdiag_bgp_afi_count *slot = NULL;
        for (guint k = 0; k < l->n_other_afi[side] && !slot; k++)
            if (l->other_afi[side][k].afi == c->afi && l->other_afi[side][k].safi == c->safi)
                slot = &l->other_afi[side][k];
        if (!slot && l->n_other_afi[side] >= ERDIAG_BGP_MAX_OTHER_AFI) {
            /* full: the last entry counts every further family together */
            slot = &l->other_afi[side][ERDIAG_BGP_MAX_OTHER_AFI - 1];
            slot->afi = 0;
            slot->safi = 0;
        }
        if (!slot) {
            slot = &l->other_afi[side][l->n_other_afi[side]++];
            *slot = (erdiag_bgp_afi_count){ .afi = c->afi, .safi = c->safi };
        }
        slot->announced += c->announced;
        slot->withdrawn += c->withdrawn;
    }
}

void bgp_update_errors(erdiag_engine *e, link_impl *l, int side, const erdiag_bgp_update *u,
                       const erdiag_packet_meta *pkt)
{
    for (guint i = 0; i < u->n_errors; i++)
        raise_error(e, l, side, u, &u->errors[i], pkt);
}

void bgp_update_apply(erdiag_engine *e, link_impl *l, erdiag_side from, const erdiag_bgp_update *u,
                      const erdiag_packet_meta *pkt)
{
    int side = from == ERDIAG_SIDE_CUSTOMER ? ERDIAG_CUST : ERDIAG_MSFT;
    count_other_afi(l, side, u);
    if (u->action != ERDIAG_BGP_ERR_TREAT_AS_WITHDRAW || u->n_announced == 0) {
        routes_update(e, l, from, u, pkt);
        return;
    }
    /* RFC 7606 2: the announced prefixes are handled as if withdrawn; the
     * UPDATE's own withdrawals still apply. */
    l->treated_as_withdrawn[side] += u->n_announced;
    GArray *w = g_array_sized_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri), u->n_withdrawn + u->n_announced);
    g_array_append_vals(w, u->withdrawn, u->n_withdrawn);
    g_array_append_vals(w, u->announced, u->n_announced);
    erdiag_bgp_update as_withdraw = *u;
    as_withdraw.announced = NULL;
    as_withdraw.n_announced = 0;
    as_withdraw.withdrawn = (const erdiag_bgp_nlri *)(void *)w->data;
    as_withdraw.n_withdrawn = w->len;
    routes_update(e, l, from, &as_withdraw, pkt);
    g_array_free(w, TRUE);
}

char *bgp_other_afi_text(const link_impl *l, int side)
{
    if (l->n_other_afi[side] == 0 && l->treated_as_withdrawn[side] == 0)
        return NULL;
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < l->n_other_afi[side]; i++) {
        const erdiag_bgp_afi_count *c = &l->other_afi[side][i];
        char fam[64];
        if (c->announced == 0)
            continue;
        g_string_append_printf(s, "%s%u %s NLRI", s->len ? ", " : "", c->announced,
                               erdiag_bgp_afi_safi_text(c->afi, c->safi, fam, sizeof fam));
    }
    if (l->treated_as_withdrawn[side])
        g_string_append_printf(s, "%s%u prefix%s treated as withdrawn under RFC 7606 (bgp.update-error)",
                               s->len ? ", " : "", l->treated_as_withdrawn[side],
                               l->treated_as_withdrawn[side] == 1 ? "" : "es");
    if (s->len == 0) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

void bgp_update_finish(erdiag_engine *e)
{
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        for (int side = 0; side < 2; side++) {
            GString *s = g_string_new(NULL);
            for (guint k = 0; k < l->n_other_afi[side]; k++) {
                const erdiag_bgp_afi_count *c = &l->other_afi[side][k];
                char fam[64];
                g_string_append_printf(s, "%s%s: %u announced, %u withdrawn", s->len ? "; " : "",
                                       erdiag_bgp_afi_safi_text(c->afi, c->safi, fam, sizeof fam), c->announced,
                                       c->withdrawn);
            }
            if (s->len)
                erdiag_engine_note(e, "%s: the %s side sent NLRI of address families erdiag counts but does "
                                   "not analyse (only IPv4/IPv6 unicast matter to private peering): %s",
                                   l->pub.label, side_word(side), s->str);
            g_string_free(s, TRUE);
        }
    }
}
