/* A NIC's effective routes, read as Azure routes ("Virtual network traffic
 * routing", Microsoft Learn): the longest prefix that holds the destination
 * wins among the Active routes; a user-defined route or a BGP route that
 * overrides a system route leaves that one Invalid in the export, so a tie
 * between Active routes is rare (then User, gateway, Default). */
#include <string.h>
#include "azure_exports.h"

static int origin_rank(const erdiag_azure_route *r)
{
    if (!r->origin)
        return 0;
    if (g_ascii_strcasecmp(r->origin, "User") == 0)
        return 3;
    if (g_ascii_strcasecmp(r->origin, "VirtualNetworkGateway") == 0)
        return 2;
    return 1;
}

const erdiag_azure_route *erdiag_azure_route_lookup(const erdiag_azure_route_table *t, const erdiag_addr *a)
{
    const erdiag_azure_route *best = NULL;
    int best_len = -1;
    for (guint i = 0; i < t->routes->len; i++) {
        const erdiag_azure_route *r = g_ptr_array_index(t->routes, i);
        if (!r->active)
            continue;
        for (guint k = 0; k < r->prefixes->len; k++) {
            const erdiag_prefix *p = &g_array_index(r->prefixes, erdiag_prefix, k);
            if (!erdiag_prefix_contains_addr(p, a))
                continue;
            if (p->len > best_len || (p->len == best_len && origin_rank(r) > origin_rank(best))) {
                best = r;
                best_len = p->len;
            }
        }
    }
    return best;
}

gboolean erdiag_azure_route_via_gateway(const erdiag_azure_route *r)
{
    return r && r->next_hop_type && g_ascii_strcasecmp(r->next_hop_type, "VirtualNetworkGateway") == 0;
}

gboolean erdiag_azure_routes_have_gateway(const erdiag_azure_route_table *t)
{
    for (guint i = 0; i < t->routes->len; i++) {
        const erdiag_azure_route *r = g_ptr_array_index(t->routes, i);
        if (r->active && erdiag_azure_route_via_gateway(r))
            return TRUE;
    }
    return FALSE;
}

char *erdiag_azure_route_describe(const erdiag_azure_route *r, const erdiag_addr *a)
{
    /* the prefix of the route that holds a (a route may list several) */
    const erdiag_prefix *held = NULL;
    for (guint k = 0; k < r->prefixes->len && !held; k++)
        if (!a || erdiag_prefix_contains_addr(&g_array_index(r->prefixes, erdiag_prefix, k), a))
            held = &g_array_index(r->prefixes, erdiag_prefix, k);
    char buf[ERDIAG_PREFIX_STRLEN] = "?";
    if (held)
        erdiag_prefix_to_string(held, buf);
    return g_strdup_printf("%s -> %s%s%s (%s route%s%s)", buf, r->next_hop_type, *r->next_hop_ip ? " " : "",
                           r->next_hop_ip, r->origin ? r->origin : "unknown", r->name ? " " : "",
                           r->name ? r->name : "");
}
