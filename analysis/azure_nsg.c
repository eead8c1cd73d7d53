/* Network security groups evaluated as Azure does ("Network security
 * groups", Microsoft Learn): rules in priority order, lower numbers first,
 * the first rule that matches decides; inbound traffic meets the subnet's
 * NSG and then the NIC's, outbound the NIC's and then the subnet's, and
 * each of them must allow it. */
#include <string.h>
#include "azure_exports.h"

const char *erdiag_azure_proto_name(guint8 proto)
{
    switch (proto) {
    case ERDIAG_AZURE_PROTO_ANY: return "any";
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "icmpv6";
    default: return "ip";
    }
}

static gboolean has_ports(guint8 proto)
{
    return proto == 6 || proto == 17;
}

static gboolean proto_matches(guint8 rule, guint8 flow)
{
    return rule == ERDIAG_AZURE_PROTO_ANY || rule == flow || (rule == 1 && flow == 58);
}

static gboolean ports_match(const GArray *ranges, guint16 port)
{
    for (guint i = 0; i < ranges->len; i++) {
        const erdiag_azure_ports *r = &g_array_index(ranges, erdiag_azure_ports, i);
        if (port >= r->lo && port <= r->hi)
            return TRUE;
    }
    return FALSE;
}

/* Both ends of a flow we judge cross the ExpressRoute gateway: one is in the
 * VNet, the other in the on-prem space the gateway learns. Azure's
 * VirtualNetwork tag covers both; Internet, AzureLoadBalancer and the
 * others cover neither. */
static gboolean term_matches(const erdiag_azure_term *t, const erdiag_addr *a)
{
    switch (t->kind) {
    case ERDIAG_AZURE_TERM_ANY:
    case ERDIAG_AZURE_TERM_VNET:
        return TRUE;
    case ERDIAG_AZURE_TERM_PREFIX:
        return erdiag_prefix_contains_addr(&t->prefix, a);
    default:
        return FALSE;
    }
}

static gboolean terms_match(const GArray *terms, const erdiag_addr *a)
{
    for (guint i = 0; i < terms->len; i++)
        if (term_matches(&g_array_index(terms, erdiag_azure_term, i), a))
            return TRUE;
    return FALSE;
}

static gboolean rule_matches(const erdiag_azure_nsg_rule *r, const erdiag_azure_flow *f)
{
    if (r->direction != f->direction || !proto_matches(r->protocol, f->proto))
        return FALSE;
    if (!terms_match(r->src, &f->src) || !terms_match(r->dst, &f->dst))
        return FALSE;
    if (has_ports(f->proto) && (!ports_match(r->sports, f->sport) || !ports_match(r->dports, f->dport)))
        return FALSE;
    return TRUE;
}

const erdiag_azure_nsg_rule *erdiag_azure_nsg_first_match(const erdiag_azure_nsg *nsg, const erdiag_azure_flow *f)
{
    for (guint i = 0; i < nsg->rules->len; i++) {
        const erdiag_azure_nsg_rule *r = g_ptr_array_index(nsg->rules, i);
        if (rule_matches(r, f))
            return r;
    }
    return NULL;
}

/* The VM's address: the destination inbound, the source outbound. */
static const erdiag_addr *vm_side(const erdiag_azure_flow *f)
{
    return f->direction == ERDIAG_AZURE_INBOUND ? &f->dst : &f->src;
}

/* Azure's order of the NSGs for a direction: rank 0 goes first. */
static int nsg_rank(const erdiag_azure_nsg *n, erdiag_azure_direction dir)
{
    int r = n->attachment == ERDIAG_AZURE_AT_SUBNET ? 0 : n->attachment == ERDIAG_AZURE_AT_UNKNOWN ? 1 : 2;
    return dir == ERDIAG_AZURE_INBOUND ? r : 2 - r;
}

/* The NSGs in the order a flow of direction dir meets them (borrowed). */
static GPtrArray *ordered_nsgs(const erdiag_azure_exports *x, erdiag_azure_direction dir)
{
    GPtrArray *out = g_ptr_array_new();
    for (int rank = 0; rank < 3; rank++)
        for (guint i = 0; x && i < x->nsgs->len; i++) {
            erdiag_azure_nsg *n = g_ptr_array_index(x->nsgs, i);
            if (nsg_rank(n, dir) == rank)
                g_ptr_array_add(out, n);
        }
    return out;
}

gboolean erdiag_azure_nsg_verdict(const erdiag_azure_exports *x, const erdiag_azure_flow *f,
                                  erdiag_azure_nsg_result *out)
{
    memset(out, 0, sizeof *out);
    out->allowed = TRUE;
    g_autoptr(GPtrArray) nsgs = ordered_nsgs(x, f->direction);
    for (guint i = 0; i < nsgs->len; i++) {
        const erdiag_azure_nsg *n = g_ptr_array_index(nsgs, i);
        if (n->scoped && !erdiag_prefix_contains_addr(&n->scope, vm_side(f)))
            continue;
        out->evaluated = TRUE;
        const erdiag_azure_nsg_rule *r = erdiag_azure_nsg_first_match(n, f);
        if (r && !r->allow) {
            out->allowed = FALSE;
            out->nsg = n;
            out->rule = r;
            return TRUE;
        }
        if (r) {
            out->nsg = n;
            out->rule = r;
        }
    }
    return out->evaluated;
}

/* --- port sets -------------------------------------------------------------- */

static gint probe_cmp(gconstpointer a, gconstpointer b)
{
    const erdiag_azure_probe *x = a, *y = b;
    if (x->proto != y->proto)
        return x->proto < y->proto ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorted, with overlapping and adjacent ranges of a protocol merged. */
static void normalize(GArray *set)
{
    g_array_sort(set, probe_cmp);
    guint w = 0;
    for (guint i = 0; i < set->len; i++) {
        erdiag_azure_probe p = g_array_index(set, erdiag_azure_probe, i);
        erdiag_azure_probe *last = w ? &g_array_index(set, erdiag_azure_probe, w - 1) : NULL;
        if (last && last->proto == p.proto && (!has_ports(p.proto) || (guint)p.lo <= (guint)last->hi + 1)) {
            last->hi = MAX(last->hi, p.hi);
            continue;
        }
        g_array_index(set, erdiag_azure_probe, w++) = p;
    }
    g_array_set_size(set, w);
}

/* The part of set a rule's protocol and destination ports take (when
 * take_out is NULL), or what is left of set without it (into take_out). */
static GArray *split(const GArray *set, const erdiag_azure_nsg_rule *r, GArray *take_out)
{
    GArray *taken = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
    for (guint i = 0; i < set->len; i++) {
        erdiag_azure_probe p = g_array_index(set, erdiag_azure_probe, i);
        if (!proto_matches(r->protocol, p.proto)) {
            if (take_out)
                g_array_append_val(take_out, p);
            continue;
        }
        if (!has_ports(p.proto)) {
            g_array_append_val(taken, p);
            continue;
        }
        /* walk p's range against the rule's ranges */
        guint lo = p.lo;
        while (lo <= p.hi) {
            /* the rule range holding lo, or the next one starting after it */
            guint in_hi = 0, next_lo = 65536;
            gboolean inside = FALSE;
            for (guint k = 0; k < r->dports->len; k++) {
                const erdiag_azure_ports *rr = &g_array_index(r->dports, erdiag_azure_ports, k);
                if (rr->lo <= lo && rr->hi >= lo) {
                    inside = TRUE;
                    in_hi = MAX(in_hi, rr->hi);
                } else if (rr->lo > lo) {
                    next_lo = MIN(next_lo, rr->lo);
                }
            }
            guint end = inside ? MIN(in_hi, (guint)p.hi) : MIN(next_lo - 1, (guint)p.hi);
            erdiag_azure_probe piece = {p.proto, (guint16)lo, (guint16)end};
            if (inside)
                g_array_append_val(taken, piece);
            else if (take_out)
                g_array_append_val(take_out, piece);
            lo = end + 1;
        }
    }
    normalize(taken);
    if (take_out)
        normalize(take_out);
    return taken;
}

/* a without b's (protocol, port) pairs. */
static GArray *set_minus(const GArray *a, const GArray *b)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
    for (guint i = 0; i < a->len; i++) {
        erdiag_azure_probe p = g_array_index(a, erdiag_azure_probe, i);
        guint lo = p.lo;
        gboolean gone = FALSE;
        for (guint k = 0; k < b->len && !gone; k++) {
            const erdiag_azure_probe *q = &g_array_index(b, erdiag_azure_probe, k); /* sorted by lo */
            if (q->proto != p.proto)
                continue;
            if (!has_ports(p.proto) || (q->lo <= lo && q->hi >= p.hi)) {
                gone = TRUE;
            } else if (q->hi >= lo && q->lo <= p.hi) {
                if (q->lo > lo) {
                    erdiag_azure_probe piece = {p.proto, (guint16)lo, (guint16)(q->lo - 1)};
                    g_array_append_val(out, piece);
                }
                lo = (guint)q->hi + 1;
            }
        }
        if (!gone && lo <= p.hi) {
            erdiag_azure_probe piece = {p.proto, (guint16)lo, p.hi};
            g_array_append_val(out, piece);
        }
    }
    normalize(out);
    return out;
}

static char *set_text(const GArray *set)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < set->len; i++) {
        const erdiag_azure_probe *p = &g_array_index(set, erdiag_azure_probe, i);
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", erdiag_azure_proto_name(p->proto));
        if (!has_ports(p->proto))
            continue;
        if (p->lo == 0 && p->hi == 65535)
            g_string_append(s, "/*");
        else if (p->lo == p->hi)
            g_string_append_printf(s, "/%u", p->lo);
        else
            g_string_append_printf(s, "/%u-%u", p->lo, p->hi);
    }
    return g_string_free(s, FALSE);
}

/* How a rule's side covers the destination prefix: 2 all of it, 1 part, 0 none. */
static int terms_cover(const GArray *terms, const erdiag_prefix *d)
{
    int best = 0;
    for (guint i = 0; i < terms->len; i++) {
        const erdiag_azure_term *t = &g_array_index(terms, erdiag_azure_term, i);
        if (t->kind == ERDIAG_AZURE_TERM_ANY || t->kind == ERDIAG_AZURE_TERM_VNET)
            return 2;
        if (t->kind != ERDIAG_AZURE_TERM_PREFIX)
            continue;
        if (erdiag_prefix_covers(&t->prefix, d))
            return 2;
        if (erdiag_prefix_overlaps(&t->prefix, d))
            best = 1;
    }
    return best;
}

static gboolean any_source_port(const erdiag_azure_nsg_rule *r)
{
    for (guint i = 0; i < r->sports->len; i++) {
        const erdiag_azure_ports *p = &g_array_index(r->sports, erdiag_azure_ports, i);
        if (p->lo == 0 && p->hi == 65535)
            return TRUE;
    }
    return FALSE;
}

static void denial_free(gpointer p)
{
    erdiag_azure_denial *d = p;
    g_free(d->ports);
    g_free(d);
}

static void add_denial(GPtrArray *out, const erdiag_azure_nsg *n, const erdiag_azure_nsg_rule *r, const GArray *ports,
                       gboolean partial, const erdiag_prefix *dst)
{
    if (!ports->len)
        return;
    erdiag_azure_denial *den = g_new0(erdiag_azure_denial, 1);
    den->nsg = n;
    den->rule = r;
    den->ports = set_text(ports);
    den->partial_dst = partial;
    den->dst = *dst;
    g_ptr_array_add(out, den);
}

static void replace(GArray **set, GArray *with)
{
    g_array_unref(*set);
    *set = with;
}

GPtrArray *erdiag_azure_nsg_denials(const erdiag_azure_exports *x, const erdiag_addr *src, const erdiag_prefix *dst,
                                    erdiag_azure_direction dir, const GArray *probes)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(denial_free);
    GArray *open = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
    if (probes && probes->len) {
        g_array_append_vals(open, probes->data, probes->len);
    } else {
        erdiag_azure_probe all[] = {{6, 0, 65535}, {17, 0, 65535}, {src->family == 6 ? 58 : 1, 0, 0}};
        g_array_append_vals(open, all, G_N_ELEMENTS(all));
    }
    normalize(open);
    g_autoptr(GPtrArray) nsgs = ordered_nsgs(x, dir);
    for (guint i = 0; i < nsgs->len && open->len; i++) {
        const erdiag_azure_nsg *n = g_ptr_array_index(nsgs, i);
        /* the VM side is the prefix: narrowed to the NSG's scope */
        erdiag_prefix d = *dst;
        if (n->scoped) {
            if (!erdiag_prefix_overlaps(&n->scope, dst))
                continue;
            if (erdiag_prefix_covers(dst, &n->scope))
                d = n->scope;
        }
        GArray *undecided = g_array_copy(open);
        /* ports an Allow rule took for part of the destination: a later
         * denial of them holds for the rest of it only */
        GArray *shadowed = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
        for (guint k = 0; k < n->rules->len && undecided->len; k++) {
            const erdiag_azure_nsg_rule *r = g_ptr_array_index(n->rules, k);
            const GArray *addr_terms = dir == ERDIAG_AZURE_INBOUND ? r->src : r->dst;
            const GArray *vm_terms = dir == ERDIAG_AZURE_INBOUND ? r->dst : r->src;
            /* a rule on the client's source ports cannot be judged without a flow */
            if (r->direction != dir || !terms_match(addr_terms, src) || !any_source_port(r))
                continue;
            int cover = terms_cover(vm_terms, &d);
            if (!cover)
                continue;
            GArray *rest = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
            GArray *taken = split(undecided, r, rest);
            if (taken->len && !r->allow) {
                GArray *whole = cover == 2 ? set_minus(taken, shadowed) : g_array_new(FALSE, FALSE, sizeof(erdiag_azure_probe));
                GArray *part = set_minus(taken, whole);
                add_denial(out, n, r, whole, FALSE, &d);
                add_denial(out, n, r, part, TRUE, &d);
                g_array_unref(whole);
                g_array_unref(part);
                if (cover == 2)
                    replace(&open, set_minus(open, taken));
            } else if (taken->len && cover == 1) {
                g_array_append_vals(shadowed, taken->data, taken->len);
                normalize(shadowed);
            }
            if (cover == 2)
                replace(&undecided, rest);
            else
                g_array_unref(rest);
            g_array_unref(taken);
        }
        g_array_unref(shadowed);
        g_array_unref(undecided);
    }
    g_array_unref(open);
    return out;
}
