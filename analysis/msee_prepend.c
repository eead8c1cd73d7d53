/* Microsoft's prepends: during maintenance the MSEE of one link prepends
 * AS 12076 to what it advertises, so that on-prem routers move their
 * traffic toward Azure to the other link. routes.msee-prepend (a note)
 * names the link whose Microsoft paths are longer, by how much, and which
 * link the capture's flows took. */
#include "engine_internal.h"
#include "rib.h"

static const char *const advice_prepend =
    "The MSEE of this link advertises the same VNet prefixes with a longer AS path (AS 12076 "
    "prepended), as Microsoft does on one link during maintenance so that traffic moves to the "
    "other one. On-prem routers that honour AS path length send their Azure traffic over the "
    "other link meanwhile; a router that ignores it (local preference, static routes) keeps "
    "sending over the link under maintenance. Check Azure Service Health for planned maintenance "
    "on the circuit.";

static guint64 flows_over(const link_impl *l)
{
    guint64 n = 0;
    for (int v = 0; v < ERDIAG_FLOW_VERDICT_COUNT; v++)
        n += l->pub.flow_verdicts[v];
    return n;
}

void msee_prepend_check(erdiag_engine *e, erdiag_peering *pe, link_impl *pri, link_impl *sec, int family)
{
    GPtrArray *a = erdiag_rib_routes(pri->pub.rib[ERDIAG_MSFT], FALSE);
    guint common = 0, longer[2] = {0, 0}, max_len[2] = {0, 0}, min_len[2] = {G_MAXUINT, G_MAXUINT};
    guint64 frame[2] = {0, 0}; /* the first longer route's UPDATE, per link */
    gint64 ts[2] = {0, 0};
    for (guint i = 0; i < a->len; i++) {
        const erdiag_route *ra = g_ptr_array_index(a, i);
        const erdiag_route *rb = erdiag_rib_lookup(sec->pub.rib[ERDIAG_MSFT], &ra->prefix);
        if (!rb || !rb->present)
            continue;
        common++;
        if (ra->as_path_length != rb->as_path_length) {
            int k = ra->as_path_length > rb->as_path_length ? 0 : 1;
            const erdiag_route *r = k == 0 ? ra : rb;
            if (!longer[k]++ || r->first_frame < frame[k]) {
                frame[k] = r->first_frame;
                ts[k] = r->first_ts_us;
            }
        }
        max_len[0] = MAX(max_len[0], ra->as_path_length);
        max_len[1] = MAX(max_len[1], rb->as_path_length);
        min_len[0] = MIN(min_len[0], ra->as_path_length);
        min_len[1] = MIN(min_len[1], rb->as_path_length);
    }
    g_ptr_array_unref(a);
    /* one link longer, never the other */
    if (!common || (longer[0] && longer[1]) || (!longer[0] && !longer[1]))
        return;
    int lo = longer[0] ? 0 : 1;
    link_impl *slow = lo == 0 ? pri : sec, *fast = lo == 0 ? sec : pri;
    guint64 over_slow = flows_over(slow), over_fast = flows_over(fast);
    g_autofree char *traffic = over_slow + over_fast == 0
        ? g_strdup("no flow toward Azure in the capture to tell which link traffic took")
        : g_strdup_printf("in the capture %" G_GUINT64_FORMAT " flow%s opened over %s and %" G_GUINT64_FORMAT
                          " over %s%s", over_fast, over_fast == 1 ? "" : "s", fast->pub.label, over_slow,
                          slow->pub.label, over_slow ? ": not all traffic followed" : ": traffic followed");
    erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_MSEE_PREPEND, ERDIAG_SEV_NOTE, &slow->pub, NULL, family == 6 ? "v6" : "v4",
                  advice_prepend,
                  "peering %s: the Microsoft side's IPv%d paths are longer on %s (up to %u ASes) than on %s (from %u) "
                  "for %u of %u common prefixes: Azure prefers %s; %s", pe->name, family, slow->pub.label,
                  max_len[lo], fast->pub.label, min_len[1 - lo], longer[lo], common, fast->pub.label, traffic);
    if (frame[lo])
        finding_evidence(e, f, frame[lo], ts[lo]);
}
