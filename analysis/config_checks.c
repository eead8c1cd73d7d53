/* Step "config": what the configuration itself says is wrong, before any
 * packet (subnets that overlap each other, VNets or on-prem space; a small
 * GatewaySubnet). Syntax and value errors stop at load time instead. */
#include "engine_internal.h"

static const char *const advice_overlap =
    "Peering subnets must not overlap any VNet address space (Azure refuses the VNet connection "
    "later) and should be space used nowhere on-prem: pick two unused /30s (or one /29).";

static void overlap(erdiag_engine *e, const erdiag_peering *pe, const char *what, const erdiag_prefix *a,
                    const char *other, const erdiag_prefix *b)
{
    char x[ERDIAG_PREFIX_STRLEN], y[ERDIAG_PREFIX_STRLEN];
    erdiag_prefix_to_string(a, x);
    erdiag_prefix_to_string(b, y);
    g_autofree char *key = g_strdup_printf("%s~%s", x, y);
    finding_raise(e, ERDIAG_F_CONFIG_SUBNET_OVERLAP, ERDIAG_SEV_ERROR, NULL, pe, key, advice_overlap,
                  "peering %s: %s %s overlaps %s %s", pe->name, what, x, other, y);
}

void config_checks_run(erdiag_engine *e)
{
    for (guint i = 0; i < e->peerings->len; i++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, i);
        const erdiag_peering_config *pc = pe->cfg;
        if (!pc)
            continue;
        for (guint a = 0; a < pe->links->len; a++) {
            erdiag_link *la = g_ptr_array_index(pe->links, a);
            for (guint b = a + 1; b < pe->links->len; b++) {
                erdiag_link *lb = g_ptr_array_index(pe->links, b);
                if (erdiag_prefix_overlaps(&la->subnet, &lb->subnet))
                    overlap(e, pe, la->label, &la->subnet, lb->label, &lb->subnet);
            }
            for (guint k = 0; k < pc->vnet_prefixes->len; k++) {
                const erdiag_prefix *v = &g_array_index(pc->vnet_prefixes, erdiag_prefix, k);
                if (erdiag_prefix_overlaps(&la->subnet, v))
                    overlap(e, pe, la->label, &la->subnet, "VNet address space", v);
            }
            for (guint k = 0; k < pc->expected_onprem->len; k++) {
                const erdiag_prefix *o = &g_array_index(pc->expected_onprem, erdiag_prefix, k);
                if (erdiag_prefix_overlaps(&la->subnet, o))
                    overlap(e, pe, la->label, &la->subnet, "on-prem prefix", o);
            }
        }
        /* other peerings' subnets */
        for (guint j = i + 1; j < e->peerings->len; j++) {
            erdiag_peering *po = g_ptr_array_index(e->peerings, j);
            for (guint a = 0; a < pe->links->len; a++)
                for (guint b = 0; b < po->links->len; b++) {
                    erdiag_link *la = g_ptr_array_index(pe->links, a), *lb = g_ptr_array_index(po->links, b);
                    if (erdiag_prefix_overlaps(&la->subnet, &lb->subnet))
                        overlap(e, pe, la->label, &la->subnet, po->name, &lb->subnet);
                }
        }
        if (pc->has_gateway_subnet && pc->vnet_prefixes->len) {
            gboolean inside = FALSE;
            for (guint k = 0; k < pc->vnet_prefixes->len && !inside; k++) {
                const erdiag_prefix *v = &g_array_index(pc->vnet_prefixes, erdiag_prefix, k);
                inside = v->len <= pc->gateway_subnet.len && erdiag_prefix_contains_addr(v, &pc->gateway_subnet.addr);
            }
            if (!inside) {
                char g[ERDIAG_PREFIX_STRLEN];
                erdiag_prefix_to_string(&pc->gateway_subnet, g);
                finding_raise(e, ERDIAG_F_CONFIG_GATEWAY_SUBNET_OUTSIDE_VNET, ERDIAG_SEV_ERROR, NULL, pe, NULL,
                              "The GatewaySubnet is a subnet of the virtual network that holds the ExpressRoute "
                              "gateway: it must lie inside one of the VNet's address spaces. Correct "
                              "gateway-subnet or vnet-prefixes (or add the address space to the VNet).",
                              "peering %s: GatewaySubnet %s lies inside none of the configured vnet-prefixes",
                              pe->name, g);
            }
        }
        if (pc->has_gateway_subnet && pc->gateway_subnet.addr.family == 4 && pc->gateway_subnet.len > 27) {
            char g[ERDIAG_PREFIX_STRLEN];
            erdiag_prefix_to_string(&pc->gateway_subnet, g);
            gboolean below_min = pc->gateway_subnet.len > 29;
            finding_raise(e, ERDIAG_F_CONFIG_GATEWAY_SUBNET, below_min ? ERDIAG_SEV_WARNING : ERDIAG_SEV_NOTE, NULL, pe,
                          NULL, below_min ? "Azure needs at least a /29 GatewaySubnet; /27 or larger is recommended "
                                            "(a /26 for 16 circuits). Resize it before creating the gateway."
                                          : "A /27 or larger GatewaySubnet is recommended (room for VPN coexistence "
                                            "and more circuits).",
                          "peering %s: GatewaySubnet %s is smaller than %s", pe->name, g,
                          below_min ? "Azure's minimum /29" : "the recommended /27");
        }
    }
}
