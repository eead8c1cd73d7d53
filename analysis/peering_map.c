/* Which peering and link a packet belongs to: from the configuration, or,
 * with none, inferred from the addresses on the wire (the customer holds
 * network + 1 of each /30 or /126, Microsoft network + 2). */
#include <string.h>
#include "engine_internal.h"
#include "rib.h"

/* Zero-config infers a link from every /30 (/126) pair that talks like a
 * peering. A real capture holds a handful; a crafted one can hold millions,
 * and each packet's lookup, each new link's sort and each report's scan
 * over the links would grow with them (quadratic time overall). Beyond this
 * many, new pairs are reported once and left out. */
#define MAX_INFERRED_LINKS 1024

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
    if (l->pub.flows)
        g_ptr_array_unref(l->pub.flows);
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
    pub->rib[ERDIAG_CUST] = erdiag_rib_new_in(e->rib_store);
    pub->rib[ERDIAG_MSFT] = erdiag_rib_new_in(e->rib_store);
    pub->counts = g_array_new(FALSE, FALSE, sizeof(erdiag_count_sample));
    pub->flows = g_ptr_array_new_with_free_func(erdiag_flow_row_free);
    pub->n_tags = pe->n_tags;
    memcpy(pub->tags, pe->tags, sizeof(pub->tags));
    g_ptr_array_add(pe->links, l);
    g_ptr_array_sort(pe->links, link_order);
    g_ptr_array_add(e->links, l);
    l->no = e->links->len;
    e->link_macs_gen++;
    return l;
}

/* The S-tag configured for a link of this role (its own key, else
 * outer-vlan); FALSE when none. */
static gboolean link_outer(const erdiag_peering_config *pc, erdiag_link_role role, guint16 *vid)
{
    if (role == ERDIAG_ROLE_PRIMARY && pc->has_primary_outer_vlan)
        *vid = pc->primary_outer_vlan;
    else if (role == ERDIAG_ROLE_SECONDARY && pc->has_secondary_outer_vlan)
        *vid = pc->secondary_outer_vlan;
    else if (pc->has_outer_vlan)
        *vid = pc->outer_vlan;
    else
        return FALSE;
    return TRUE;
}

guint8 peering_map_config_tags(const erdiag_link *l, erdiag_vlan_tag out[ERDIAG_MAX_TAGS])
{
    const erdiag_peering_config *pc = l->peering ? l->peering->cfg : NULL;
    guint8 n = 0;
    guint16 outer;
    if (!pc)
        return 0;
    if (link_outer(pc, l->role, &outer))
        out[n++] = (erdiag_vlan_tag){0, outer, 0};
    if (pc->has_vlan)
        out[n++] = (erdiag_vlan_tag){0, pc->vlan, 0};
    return n;
}

void peering_map_init(erdiag_engine *e)
{
    e->peerings = g_ptr_array_new_with_free_func(peering_free);
    e->links = g_ptr_array_new();
    e->rib_store = erdiag_rib_store_new(0);
    for (guint i = 0; i < e->cfg->peerings->len; i++) {
        const erdiag_peering_config *pc = g_ptr_array_index(e->cfg->peerings, i);
        erdiag_peering *pe = peering_new(e, pc->name);
        pe->configured = TRUE;
        pe->cfg = pc;
        /* the peering's stack: its S-tag when both links share one (per-link
         * S-tags are on the links: peering_map_config_tags) */
        guint16 p_outer = 0, s_outer = 0;
        gboolean one_outer = link_outer(pc, ERDIAG_ROLE_PRIMARY, &p_outer) == link_outer(pc, ERDIAG_ROLE_SECONDARY, &s_outer)
                             && p_outer == s_outer;
        if (one_outer && p_outer)
            pe->tags[pe->n_tags++] = (erdiag_vlan_tag){0, p_outer, 0};
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
                l->pub.msft_evidence = ERDIAG_MSFT_BY_CONFIG;
            }
    }
}

void peering_map_free(erdiag_engine *e)
{
    g_ptr_array_unref(e->links);
    g_ptr_array_unref(e->peerings);
    erdiag_rib_store_unref(e->rib_store);
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

/* Two inferred links are one peering (its primary and secondary) only
 * when something shows it and nothing contradicts it. Azure gives both
 * links of a peering its one VLAN ID and AS 12076 on both MSEEs, and the
 * two /30s are usually the halves of one /29; both on-prem routers should
 * speak the peering's one peer ASN. So:
 *  - shown by: one VLAN tag, two /30s (/126s) of one /29 (/125), or AS
 *    12076 facing the same on-prem AS on both links (untagged links share
 *    no VLAN, so being untagged proves nothing);
 *  - contradicted by: two different ASes where Microsoft should be, or two
 *    different on-prem ASes on links that are not shaped like one peering
 *    (one VLAN or one /29) with AS 12076 (or no OPEN) on the far side: a
 *    router with the wrong ASN is a fault in the peering, two unrelated
 *    routers are two peerings. */
#define MSEE_ASN 12076u

static gboolean subnets_adjacent(const erdiag_prefix *a, const erdiag_prefix *b)
{
    if (a->addr.family != b->addr.family)
        return FALSE;
    erdiag_prefix pair = erdiag_prefix_make(&a->addr, a->addr.family == 4 ? 29 : 125);
    return erdiag_prefix_contains_addr(&pair, &b->addr);
}

static gboolean same_msee_pair(const link_impl *a, const link_impl *b)
{
    return a->pub.bgp.asn[ERDIAG_MSFT] == MSEE_ASN && b->pub.bgp.asn[ERDIAG_MSFT] == MSEE_ASN
        && a->pub.bgp.asn[ERDIAG_CUST] && a->pub.bgp.asn[ERDIAG_CUST] == b->pub.bgp.asn[ERDIAG_CUST];
}

static gboolean msft_not_msee(const link_impl *a)
{
    return a->pub.bgp.asn[ERDIAG_MSFT] && a->pub.bgp.asn[ERDIAG_MSFT] != MSEE_ASN;
}

/* Can the link on subnet (l once it exists, with its ASes) and m be one
 * peering? tagged: both carry the same VLAN tag. */
static gboolean pair_fits(const erdiag_prefix *subnet, const link_impl *l, const link_impl *m, gboolean tagged)
{
    gboolean shaped = tagged || subnets_adjacent(subnet, &m->pub.subnet);
    if (l) {
        guint32 lm = l->pub.bgp.asn[ERDIAG_MSFT], mm = m->pub.bgp.asn[ERDIAG_MSFT];
        guint32 lc = l->pub.bgp.asn[ERDIAG_CUST], mc = m->pub.bgp.asn[ERDIAG_CUST];
        if (lm && mm && lm != mm)
            return FALSE;
        if (lc && mc && lc != mc)
            return shaped && !msft_not_msee(l) && !msft_not_msee(m);
    }
    return shaped || (l && same_msee_pair(l, m));
}

/* May a link (subnet; l when it exists already) on tags join pe? A peering
 * with no other link takes it. */
static gboolean can_join(const erdiag_peering *pe, const erdiag_prefix *subnet, const link_impl *l, guint8 n,
                         const erdiag_vlan_tag *tags)
{
    if (pe->configured || (pe->n_tags > 0) != (n > 0) || inner_vid(pe->n_tags, pe->tags) != inner_vid(n, tags))
        return FALSE;
    for (guint i = 0; i < pe->links->len; i++) {
        const link_impl *m = g_ptr_array_index(pe->links, i);
        if (m != l && !pair_fits(subnet, l, m, n > 0))
            return FALSE;
    }
    return TRUE;
}

static gboolean name_taken(erdiag_engine *e, const char *name)
{
    for (guint i = 0; i < e->peerings->len; i++)
        if (g_strcmp0(((erdiag_peering *)g_ptr_array_index(e->peerings, i))->name, name) == 0)
            return TRUE;
    return FALSE;
}

static erdiag_peering *new_inferred_peering(erdiag_engine *e, guint8 n, const erdiag_vlan_tag *tags)
{
    g_autofree char *base = n == 0 ? g_strdup("untagged")
                          : n == 1 ? g_strdup_printf("vlan%u", tags[0].vid)
                                   : g_strdup_printf("vlan%u.%u", tags[n - 2].vid, tags[n - 1].vid);
    /* a second peering on the same tags (links that cannot be one) gets a number */
    g_autofree char *name = g_strdup(base);
    for (guint k = 2; name_taken(e, name); k++) {
        g_free(name);
        name = g_strdup_printf("%s-%u", base, k);
    }
    erdiag_peering *pe = peering_new(e, name);
    pe->n_tags = n;
    memcpy(pe->tags, tags, n * sizeof(*tags));
    return pe;
}

/* The inferred peering a link on these tags belongs to (new if none fits);
 * skip: a peering not to choose (the one the link leaves). */
static erdiag_peering *inferred_peering(erdiag_engine *e, guint8 n, const erdiag_vlan_tag *tags,
                                        const erdiag_prefix *subnet, const link_impl *l, const erdiag_peering *skip)
{
    for (guint i = 0; i < e->peerings->len; i++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, i);
        if (pe != skip && can_join(pe, subnet, l, n, tags))
            return pe;
    }
    return new_inferred_peering(e, n, tags);
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
    if (e->links->len >= MAX_INFERRED_LINKS) {
        if (e->inferred_links_refused++ == 0)
            erdiag_engine_note(e, "frame %" G_GUINT64_FORMAT ": more than %d peering links inferred from the "
                               "addresses on the wire; address pairs seen from here on are not analysed",
                               pkt->frame, MAX_INFERRED_LINKS);
        return NULL;
    }
    erdiag_peering *pe = inferred_peering(e, pkt->n_tags, pkt->tags, &subnet, NULL, NULL);
    return link_new(e, pe, &subnet, free_role(pe, &subnet));
}

/* Findings raised on a link before it moved name its old peering and
 * label: they follow it (a link's findings are keyed by its subnet). */
static void relabel_findings(erdiag_engine *e, const link_impl *l)
{
    char sub[ERDIAG_PREFIX_STRLEN];
    erdiag_prefix_to_string(&l->pub.subnet, sub);
    g_autofree char *needle = g_strdup_printf("||%s|", sub);
    for (guint i = 0; i < e->findings->len; i++) {
        erdiag_finding *f = g_ptr_array_index(e->findings, i);
        const char *bar = f->key ? strchr(f->key, '|') : NULL;
        if (!bar || !g_str_has_prefix(bar, needle))
            continue;
        g_free(f->peering);
        f->peering = g_strdup(l->pub.peering->name);
        g_free(f->link);
        f->link = g_strdup(l->pub.label);
    }
    e->findings_sorted = FALSE;
}

static void move_link(erdiag_engine *e, link_impl *l, erdiag_peering *to)
{
    erdiag_peering *from = l->pub.peering;
    if (from == to)
        return;
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
    relabel_findings(e, l);
}

/* Zero-config: a link found on the customer's tags moves to the peering of
 * Microsoft's tags, which are what Azure has configured. */
void peering_map_regroup(erdiag_engine *e, link_impl *l, guint8 n, const erdiag_vlan_tag *tags)
{
    erdiag_peering *from = l->pub.peering;
    if (from->configured || inner_vid(from->n_tags, from->tags) == inner_vid(n, tags))
        return;
    move_link(e, l, inferred_peering(e, n, tags, &l->pub.subnet, l, from));
}

/* Zero-config, once a link's ASes are known: leave a peering whose other
 * link speaks other ASes (two unrelated routers), or join the peering of a
 * link with the same MSEE and on-prem ASes when alone. */
void peering_map_recheck(erdiag_engine *e, link_impl *l)
{
    erdiag_peering *from = l->pub.peering;
    if (from->configured || l->pub.configured)
        return;
    gboolean fits = can_join(from, &l->pub.subnet, l, from->n_tags, from->tags);
    if (fits && from->links->len > 1)
        return;
    for (guint i = 0; i < e->peerings->len; i++) {
        erdiag_peering *pe = g_ptr_array_index(e->peerings, i);
        if (pe != from && pe->links->len > 0 && can_join(pe, &l->pub.subnet, l, from->n_tags, from->tags)) {
            move_link(e, l, pe);
            return;
        }
    }
    if (!fits)
        move_link(e, l, new_inferred_peering(e, from->n_tags, from->tags));
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
    if (pkt->iface < 64)
        l->iface_mask |= G_GUINT64_CONSTANT(1) << pkt->iface;
    else
        l->iface_high = TRUE;
}

link_impl *link_alone_on_iface(erdiag_engine *e, const erdiag_peering *pe, guint32 iface)
{
    if (iface >= 64)
        return NULL;
    link_impl *found = NULL;
    for (guint i = 0; i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (!(l->iface_mask & (G_GUINT64_CONSTANT(1) << iface)))
            continue;
        if (found)
            return NULL;
        found = l;
    }
    return found && found->pub.peering == pe ? found : NULL;
}

#define SWAP(a, b)                                                                                     \
    do {                                                                                               \
        __typeof__(a) tmp_ = (a);                                                                      \
        (a) = (b);                                                                                     \
        (b) = tmp_;                                                                                    \
    } while (0)

static erdiag_side other_side(erdiag_side s)
{
    return s == ERDIAG_SIDE_CUSTOMER ? ERDIAG_SIDE_MICROSOFT : s == ERDIAG_SIDE_MICROSOFT ? ERDIAG_SIDE_CUSTOMER : s;
}

/* "on-prem" <-> "Microsoft" in a timeline text written before the roles
 * were known. */
static char *swap_words(const char *text)
{
    g_auto(GStrv) parts = g_strsplit(text, "on-prem", -1);
    for (char **p = parts; *p; p++) {
        g_auto(GStrv) pieces = g_strsplit(*p, "Microsoft", -1);
        char *swapped = g_strjoinv("\x01", pieces);
        g_free(*p);
        *p = swapped;
    }
    g_autofree char *joined = g_strjoinv("Microsoft", parts);
    g_auto(GStrv) back = g_strsplit(joined, "\x01", -1);
    return g_strjoinv("on-prem", back);
}

void link_swap_roles(link_impl *l)
{
    erdiag_link *p = &l->pub;
    erdiag_bgp_session *s = &p->bgp;
    SWAP(p->addr[0], p->addr[1]);
    SWAP(p->arp[0], p->arp[1]);
    p->arp[ERDIAG_CUST].side = ERDIAG_SIDE_CUSTOMER;
    p->arp[ERDIAG_MSFT].side = ERDIAG_SIDE_MICROSOFT;
    SWAP(p->rib[0], p->rib[1]);
    SWAP(l->arp_dir[0], l->arp_dir[1]);
    SWAP(l->tags_known[0], l->tags_known[1]);
    SWAP(l->n_side_tags[0], l->n_side_tags[1]);
    erdiag_vlan_tag tags[ERDIAG_MAX_TAGS];
    memcpy(tags, l->side_tags[0], sizeof(tags));
    memcpy(l->side_tags[0], l->side_tags[1], sizeof(tags));
    memcpy(l->side_tags[1], tags, sizeof(tags));
    SWAP(l->mac_known[0], l->mac_known[1]);
    guint8 mac[6];
    memcpy(mac, l->owner_mac[0], 6);
    memcpy(l->owner_mac[0], l->owner_mac[1], 6);
    memcpy(l->owner_mac[1], mac, 6);
    SWAP(l->md5_syn[0], l->md5_syn[1]);
    SWAP(l->plain_syn[0], l->plain_syn[1]);
    SWAP(l->conn_port[0], l->conn_port[1]);
    SWAP(l->keepalive_after_open[0], l->keepalive_after_open[1]);
    SWAP(l->seq_known[0], l->seq_known[1]);
    SWAP(l->seq_port[0], l->seq_port[1]);
    SWAP(l->seq_next[0], l->seq_next[1]);
    SWAP(l->hole[0], l->hole[1]);
    SWAP(l->hole_seq[0], l->hole_seq[1]);
    SWAP(l->ka_ref_us[0], l->ka_ref_us[1]);
    SWAP(l->ka_intervals[0], l->ka_intervals[1]);
    SWAP(l->ka_min_us[0], l->ka_min_us[1]);
    SWAP(l->ka_max_us[0], l->ka_max_us[1]);
    SWAP(l->silence_reported[0], l->silence_reported[1]);
    SWAP(l->eor_seen[0], l->eor_seen[1]);
    for (int f = 0; f < 2; f++) {
        SWAP(l->max_prefixes[0][f], l->max_prefixes[1][f]);
        SWAP(l->max_prefixes_frame[0][f], l->max_prefixes_frame[1][f]);
    }
    SWAP(s->open_seen[0], s->open_seen[1]);
    SWAP(s->open[0], s->open[1]);
    SWAP(s->open_frame[0], s->open_frame[1]);
    SWAP(s->asn[0], s->asn[1]);
    SWAP(s->last_msg_us[0], s->last_msg_us[1]);
    SWAP(s->last_msg_frame[0], s->last_msg_frame[1]);
    SWAP(s->max_gap_us[0], s->max_gap_us[1]);
    SWAP(s->notifications[0], s->notifications[1]);
    for (int t = 0; t < 6; t++)
        SWAP(s->msgs[0][t], s->msgs[1][t]);
    s->initiator = other_side(s->initiator);
    for (guint i = 0; i < ERDIAG_MAX_SYNS; i++)
        l->syns[i].from = other_side(l->syns[i].from);
    for (guint i = 0; i < s->timeline->len; i++) {
        erdiag_timeline_entry *t = g_ptr_array_index(s->timeline, i);
        t->by = other_side(t->by);
        char *text = swap_words(t->text);
        g_free(t->text);
        t->text = text;
    }
}
