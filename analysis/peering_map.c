/* Which peering and link a packet belongs to: from the configuration, or,
 * with none, inferred from the addresses on the wire (the customer holds
 * network + 1 of each /30 or /126, Microsoft network + 2). */
#include <string.h>
#include "engine_internal.h"
#include "rib.h"

static const char *const role_labels[2][2] = {
    {"primary", "secondary"},
    {"primary-v6", "secondary-v6"},
};

char *erdiag_tags_to_string(guint8 n, const erdiag_vlan_tag *tags)
{
    if (n == 0)
        return g_strdup("untagged");
    if (n == 1)
        return g_strdup_printf("VLAN %u", tags[0].vid);
    GString *s = g_string_new(NULL);
    if (n == 2)
        g_string_append_printf(s, "S-tag %u / C-tag %u", tags[0].vid, tags[1].vid);
    else {
        g_string_append(s, "VLAN stack ");
        for (guint i = 0; i < n; i++)
            g_string_append_printf(s, "%s%u", i ? "/" : "", tags[i].vid);
    }
    return g_string_free(s, FALSE);
}

gboolean tags_equal(guint8 na, const erdiag_vlan_tag *a, guint8 nb, const erdiag_vlan_tag *b)
{
    if (na != nb)
        return FALSE;
    for (guint i = 0; i < na; i++)
        if (a[i].vid != b[i].vid)
            return FALSE;
    return TRUE;
}

const char *link_name(const erdiag_link *l)
{
    return l ? l->label : "-";
}

static void link_free(gpointer p)
{
    link_impl *l = p;
    g_free(l->pub.label);
    bgp_session_free(&l->pub.bgp);
    for (guint k = 0; k < G_N_ELEMENTS(l->deferred_failure); k++)
        g_free(l->deferred_failure[k].message);
    for (int i = 0; i < 2; i++)
        if (l->pub.rib[i])
            erdiag_rib_free(l->pub.rib[i]);
    if (l->pub.counts)
        g_array_unref(l->pub.counts);
    g_free(l);
}

static void peering_free(gpointer p)
{
    erdiag_peering *pe = p;
    g_free(pe->name);
    g_ptr_array_unref(pe->links);
    g_free(pe);
}

static erdiag_peering *peering_new(erdiag_engine *e, const char *name)
{
    erdiag_peering *pe = g_new0(erdiag_peering, 1);
    pe->name = g_strdup(name);
    pe->links = g_ptr_array_new_with_free_func(link_free);
    g_ptr_array_add(e->peerings, pe);
    return pe;
}

static int link_order(gconstpointer a, gconstpointer b)
{
    const erdiag_link *x = *(erdiag_link *const *)a, *y = *(erdiag_link *const *)b;
    if (x->family != y->family)
        return x->family - y->family;
    if (x->role != y->role)
        return (int)x->role - (int)y->role;
    return erdiag_prefix_compare(&x->subnet, &y->subnet);
}

static link_impl *link_new(erdiag_engine *e, erdiag_peering *pe, const erdiag_prefix *subnet,
                           erdiag_link_role role)
{
    link_impl *l = g_new0(link_impl, 1);
    erdiag_link *pub = &l->pub;
    pub->peering = pe;
    pub->subnet = *subnet;
    pub->family = subnet->addr.family;
    pub->role = role;
    if (role == ERDIAG_ROLE_UNKNOWN) {
        char buf[ERDIAG_PREFIX_STRLEN];
        pub->label = g_strdup_printf("link-%s", erdiag_prefix_to_string(subnet, buf));
    } else {
        pub->label = g_strdup(role_labels[pub->family == 6][role]);
    }
    pub->addr[ERDIAG_CUST] = erdiag_addr_add(&subnet->addr, 1);
    pub->addr[ERDIAG_MSFT] = erdiag_addr_add(&subnet->addr, 2);
    pub->arp[ERDIAG_CUST].side = ERDIAG_SIDE_CUSTOMER;
    pub->arp[ERDIAG_CUST].ip = pub->addr[ERDIAG_CUST];
    pub->arp[ERDIAG_MSFT].side = ERDIAG_SIDE_MICROSOFT;
    pub->arp[ERDIAG_MSFT].ip = pub->addr[ERDIAG_MSFT];
    pub->bgp.timeline = g_ptr_array_new();
    pub->rib[ERDIAG_CUST] = erdiag_rib_new();
    pub->rib[ERDIAG_MSFT] = erdiag_rib_new();
    pub->counts = g_array_new(FALSE, FALSE, sizeof(erdiag_count_sample));
    pub->n_tags = pe->n_tags;
    memcpy(pub->tags, pe->tags, sizeof(pub->tags));
    g_ptr_array_add(pe->links, l);
    g_ptr_array_sort(pe->links, link_order);
    g_ptr_array_add(e->links, l);
    return l;
}

void peering_map_init(erdiag_engine *e)
{
    e->peerings = g_ptr_array_new_with_free_func(peering_free);
    e->links = g_ptr_array_new();
    for (guint i = 0; i < e->cfg->peerings->len; i++) {
        const erdiag_peering_config *pc = g_ptr_array_index(e->cfg->peerings, i);
        erdiag_peering *pe = peering_new(e, pc->name);
        pe->configured = TRUE;
        pe->cfg = pc;
        if (pc->has_outer_vlan)
            pe->tags[pe->n_tags++] = (erdiag_vlan_tag){0, pc->outer_vlan, 0};
        if (pc->has_vlan)
            pe->tags[pe->n_tags++] = (erdiag_vlan_tag){0, pc->vlan, 0};
        const struct {
            gboolean has;
            const erdiag_prefix *p;
            erdiag_link_role role;
        } subs[] = {
            {pc->has_primary, &pc->primary, ERDIAG_ROLE_PRIMARY},
            {pc->has_secondary, &pc->secondary, ERDIAG_ROLE_SECONDARY},
            {pc->has_primary_v6, &pc->primary_v6, ERDIAG_ROLE_PRIMARY},
            {pc->has_secondary_v6, &pc->secondary_v6, ERDIAG_ROLE_SECONDARY},
        };
        for (guint s = 0; s < G_N_ELEMENTS(subs); s++)
            if (subs[s].has) {
                link_impl *l = link_new(e, pe, subs[s].p, subs[s].role);
                l->pub.configured = TRUE;
            }
    }
}

void peering_map_free(erdiag_engine *e)
{
    g_ptr_array_unref(e->links);
    g_ptr_array_unref(e->peerings);
}

link_impl *peering_map_link_for_addr(erdiag_engine *e, const erdiag_addr *a)
{
    if (!a || !a->family)
        return NULL;
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (erdiag_prefix_contains_addr(&l->pub.subnet, a))
            return l;
    }
    return NULL;
}

erdiag_side link_side_of(const erdiag_link *l, const erdiag_addr *a)
{
    if (!l || !a)
        return ERDIAG_SIDE_UNKNOWN;
    if (erdiag_addr_equal(a, &l->addr[ERDIAG_CUST]))
        return ERDIAG_SIDE_CUSTOMER;
    if (erdiag_addr_equal(a, &l->addr[ERDIAG_MSFT]))
        return ERDIAG_SIDE_MICROSOFT;
    return ERDIAG_SIDE_UNKNOWN;
}

/* Zero-config peerings are keyed by the innermost tag (the C-tag): with
 * provider QinQ the outer tag may differ between primary and secondary. */
static guint16 inner_vid(guint8 n, const erdiag_vlan_tag *tags)
{
    return n ? tags[n - 1].vid : 0;
}

static erdiag_peering *inferred_peering(erdiag_engine *e, guint8 n, const erdiag_vlan_tag *tags)
{
    for (guint i = 0; i < e->peerings->len; i++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, i);
        if (!pe->configured && (pe->n_tags > 0) == (n > 0) && inner_vid(pe->n_tags, pe->tags) == inner_vid(n, tags))
            return pe;
    }
    g_autofree char *name = n == 0 ? g_strdup("untagged")
                          : n == 1 ? g_strdup_printf("vlan%u", tags[0].vid)
                                   : g_strdup_printf("vlan%u.%u", tags[n - 2].vid, tags[n - 1].vid);
    erdiag_peering *pe = peering_new(e, name);
    pe->n_tags = n;
    memcpy(pe->tags, tags, n * sizeof(*tags));
    return pe;
}

/* Primary is the lower /30 of the /29 (the lower /126 of the /125). */
static erdiag_link_role role_for_subnet(const erdiag_prefix *p)
{
    guint last = p->addr.family == 4 ? p->addr.bytes[3] : p->addr.bytes[15];
    return (last >> 2) & 1 ? ERDIAG_ROLE_SECONDARY : ERDIAG_ROLE_PRIMARY;
}

static gboolean role_taken(erdiag_peering *pe, int family, erdiag_link_role role)
{
    for (guint i = 0; i < pe->links->len; i++) {
        erdiag_link *l = g_ptr_array_index(pe->links, i);
        if (l->family == family && l->role == role)
            return TRUE;
    }
    return FALSE;
}

static erdiag_link_role free_role(erdiag_peering *pe, const erdiag_prefix *subnet)
{
    erdiag_link_role role = role_for_subnet(subnet);
    if (role_taken(pe, subnet->addr.family, role)) {
        erdiag_link_role other = role == ERDIAG_ROLE_PRIMARY ? ERDIAG_ROLE_SECONDARY : ERDIAG_ROLE_PRIMARY;
        role = role_taken(pe, subnet->addr.family, other) ? ERDIAG_ROLE_UNKNOWN : other;
    }
    return role;
}

link_impl *peering_map_link_for_pair(erdiag_engine *e, const erdiag_addr *a, const erdiag_addr *b,
                                     const erdiag_packet_meta *pkt)
{
    link_impl *l = peering_map_link_for_addr(e, a);
    if (!l)
        l = peering_map_link_for_addr(e, b);
    if (l || !e->zero_config || !a || !b || a->family == 0 || a->family != b->family)
        return l;
    erdiag_prefix subnet = erdiag_prefix_make(a, a->family == 4 ? 30 : 126);
    if (!erdiag_prefix_contains_addr(&subnet, b))
        return NULL;
    erdiag_addr first = erdiag_addr_add(&subnet.addr, 1), second = erdiag_addr_add(&subnet.addr, 2);
    gboolean pattern = (erdiag_addr_equal(a, &first) && erdiag_addr_equal(b, &second))
                    || (erdiag_addr_equal(a, &second) && erdiag_addr_equal(b, &first));
    if (!pattern)
        return NULL;
    erdiag_peering *pe = inferred_peering(e, pkt->n_tags, pkt->tags);
    return link_new(e, pe, &subnet, free_role(pe, &subnet));
}

/* Zero-config: a link found on the customer's tags moves to the peering of
 * Microsoft's tags, which are what Azure has configured. */
void peering_map_regroup(erdiag_engine *e, link_impl *l, guint8 n, const erdiag_vlan_tag *tags)
{
    erdiag_peering *from = l->pub.peering;
    if (from->configured || inner_vid(from->n_tags, from->tags) == inner_vid(n, tags))
        return;
    erdiag_peering *to = inferred_peering(e, n, tags);
    for (guint i = 0; i < from->links->len; i++)
        if (g_ptr_array_index(from->links, i) == l) {
            g_ptr_array_steal_index(from->links, i);
            break;
        }
    l->pub.peering = to;
    g_free(l->pub.label);
    erdiag_link_role role = free_role(to, &l->pub.subnet);
    l->pub.role = role;
    if (role == ERDIAG_ROLE_UNKNOWN) {
        char buf[ERDIAG_PREFIX_STRLEN];
        l->pub.label = g_strdup_printf("link-%s", erdiag_prefix_to_string(&l->pub.subnet, buf));
    } else {
        l->pub.label = g_strdup(role_labels[l->pub.family == 6][role]);
    }
    g_ptr_array_add(to->links, l);
    g_ptr_array_sort(to->links, link_order);
    if (from->links->len == 0)
        g_ptr_array_remove(e->peerings, from);
}

erdiag_peering *peering_map_peering_for_tags(erdiag_engine *e, const erdiag_packet_meta *pkt)
{
    for (guint i = 0; i < e->peerings->len; i++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, i);
        if (pe->n_tags && pkt->n_tags && inner_vid(pe->n_tags, pe->tags) == inner_vid(pkt->n_tags, pkt->tags))
            return pe;
    }
    return NULL;
}

void peering_map_swap_sides(link_impl *l)
{
    erdiag_addr tmp = l->pub.addr[ERDIAG_CUST];
    l->pub.addr[ERDIAG_CUST] = l->pub.addr[ERDIAG_MSFT];
    l->pub.addr[ERDIAG_MSFT] = tmp;
    l->pub.arp[ERDIAG_CUST].ip = l->pub.addr[ERDIAG_CUST];
    l->pub.arp[ERDIAG_MSFT].ip = l->pub.addr[ERDIAG_MSFT];
}

void link_touch(erdiag_engine *e, link_impl *l, const erdiag_packet_meta *pkt)
{
    (void)e;
    if (!l->pub.seen) {
        l->pub.seen = TRUE;
        l->pub.first_ts_us = pkt->ts_us;
        l->pub.iface = pkt->iface;
    }
    l->pub.last_ts_us = pkt->ts_us;
    l->pub.frames++;
}
