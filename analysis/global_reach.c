/* Routes of other circuits: with ExpressRoute Global Reach (or a circuit's
 * VNets reaching another circuit), the MSEE advertises another on-prem
 * network's prefixes with that network's AS after 12076 in the path. They
 * are not VNet address space: routes.global-reach (a note) lists them, the
 * overlap checks leave them out, and `global-reach-prefixes` in the
 * configuration says which are expected (one listed but not advertised is
 * a warning). */
#include <string.h>
#include "engine_internal.h"
#include "rib.h"

#define MSEE_AS 12076u
#define LISTED_MAX 5

gboolean global_reach_route(const erdiag_link *l, const erdiag_route *rt)
{
    if (!rt->as_path || erdiag_route_is_echo(l, ERDIAG_MSFT, rt))
        return FALSE;
    /* "12076 65020", "12076 12076 65020", "12076 {65020,65021}"; behind a
     * layer-3 provider's PE its own AS comes first: "65100 12076 65020" */
    gboolean layer3 = erdiag_link_layer3(l), msee_seen = FALSE;
    guint32 as;
    for (const char *p = rt->as_path; erdiag_as_path_next(&p, &as);) {
        if (as == MSEE_AS)
            msee_seen = TRUE;
        else if (msee_seen)
            return TRUE;
        else if (!layer3)
            return FALSE; /* not the MSEE's path */
    }
    return FALSE;
}

static const char *const advice_global_reach =
    "These prefixes come from the Microsoft side with another AS after 12076: another circuit's "
    "on-prem network reached through ExpressRoute Global Reach (or a circuit linked to the same "
    "VNets), not VNet address space. Make sure they do not overlap your own on-prem prefixes, and "
    "list the ones you expect in global-reach-prefixes.";

void global_reach_check(erdiag_engine *e, link_impl *l)
{
    const erdiag_peering_config *pc = l->pub.peering->cfg;
    GPtrArray *ms = erdiag_rib_routes(l->pub.rib[ERDIAG_MSFT], FALSE);
    GString *listed = g_string_new(NULL);
    guint n = 0;
    guint64 frame = 0;
    gint64 ts = 0;
    char p[ERDIAG_PREFIX_STRLEN];
    for (guint i = 0; i < ms->len; i++) {
        const erdiag_route *rt = g_ptr_array_index(ms, i);
        if (!global_reach_route(&l->pub, rt))
            continue;
        if (n++ < LISTED_MAX)
            g_string_append_printf(listed, "%s%s (%s)", listed->len ? ", " : "", erdiag_prefix_to_string(&rt->prefix, p),
                                   rt->as_path);
        if (!frame || rt->first_frame < frame) {
            frame = rt->first_frame;
            ts = rt->first_ts_us;
        }
    }
    g_ptr_array_unref(ms);
    /* expected ones not advertised, once the whole table is in the capture */
    GString *missing = g_string_new(NULL);
    for (guint k = 0; pc && !l->pub.routes_partial && l->pub.bgp.ever_established && k < pc->global_reach_prefixes->len; k++) {
        const erdiag_prefix *want = &g_array_index(pc->global_reach_prefixes, erdiag_prefix, k);
        const erdiag_route *rt = erdiag_rib_lookup(l->pub.rib[ERDIAG_MSFT], want);
        if (!rt || !rt->present)
            g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", erdiag_prefix_to_string(want, p));
    }
    if (n || missing->len) {
        g_autofree char *more = n > LISTED_MAX ? g_strdup_printf(" and %u more", n - LISTED_MAX) : g_strdup("");
        g_autofree char *seen = n ? g_strdup_printf("%u prefix%s from the Microsoft side carr%s another AS after 12076 "
                                                    "(another circuit's on-prem network, Global Reach): %s%s",
                                                    n, n == 1 ? "" : "es", n == 1 ? "ies" : "y", listed->str, more)
                                  : g_strdup("no prefix from the Microsoft side carries another AS after 12076");
        erdiag_finding *f = finding_raise(e, ERDIAG_F_ROUTES_GLOBAL_REACH,
                                          missing->len ? ERDIAG_SEV_WARNING : ERDIAG_SEV_NOTE, &l->pub, NULL, NULL,
                                          advice_global_reach, "%s: %s%s%s", l->pub.label, seen,
                                          missing->len ? "; expected by global-reach-prefixes but not advertised: " : "",
                                          missing->str);
        if (frame)
            finding_evidence(e, f, frame, ts);
    }
    g_string_free(listed, TRUE);
    g_string_free(missing, TRUE);
}
