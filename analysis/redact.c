/* --redact: see redact.h for what is replaced and what stays readable.
 *
 * Two passes over the finished report: configured peering names and input
 * file names as literal strings (in each format's escaped spellings), then
 * every address-, prefix- or MAC-shaped token. Classification decides what a
 * token becomes:
 *   - the peering subnets and their two addresses: link-N-net, link-N-onprem,
 *     link-N-msee (the MSEE's address would give the customer's away: it is
 *     the next one);
 *   - addresses and prefixes inside what Microsoft advertised, the configured
 *     VNets or the GatewaySubnet (Azure's side): kept, except a prefix
 *     on-prem advertises or is configured to (an overlap stays hidden);
 *   - other prefixes: onprem-net-N; addresses inside on-prem prefixes or
 *     configured as on-prem sources: onprem-addr-N; any other address (BGP
 *     identifiers, strays): addr-N;
 *   - MACs Microsoft's side answered with: kept; every other MAC: mac-N.
 * Anything not known to be Azure's is replaced: an unknown is treated as
 * sensitive. */
#include <string.h>
#include <json-glib/json-glib.h>
#include "prefix_index.h"
#include "redact.h"
#include "azure_import.h"
#include "report_markup.h"
#include "rib.h"

/* A map value meaning "leave this one as it is". */
static char KEEP[] = "";

struct erdiag_redactor {
    GHashTable *addrs;            /* erdiag_addr* -> token or KEEP */
    GHashTable *prefixes;         /* erdiag_prefix* -> token or KEEP */
    GHashTable *macs;             /* "02c0000001 01" hex string -> token or KEEP */
    /* what each side's addresses are: indexed, since a large table asks
     * once per route (a list would cost routes x routes) */
    erdiag_prefix_index *azure_side;  /* prefixes, no values */
    erdiag_prefix_index *onprem_side;
    GHashTable *onprem_hosts;         /* erdiag_addr* set */
    guint n_mac, n_onprem_addr, n_addr, n_net;
    GPtrArray *literals;          /* literal*, longest first once built */
};

typedef struct {
    char *text;
    char *token;
} literal;

static void literal_free(gpointer p)
{
    literal *l = p;
    g_free(l->text);
    g_free(l->token);
    g_free(l);
}

static guint addr_hash(gconstpointer a) { return erdiag_addr_hash(a); }
static gboolean addr_eq(gconstpointer a, gconstpointer b) { return erdiag_addr_equal(a, b); }
static guint prefix_hash(gconstpointer p) { return erdiag_prefix_hash(p); }
static gboolean prefix_eq(gconstpointer a, gconstpointer b) { return erdiag_prefix_equal(a, b); }

static gpointer dup_bytes(gconstpointer p, gsize n)
{
    gpointer d = g_malloc(n);
    memcpy(d, p, n);
    return d;
}

static void value_free(gpointer v)
{
    if (v != KEEP)
        g_free(v);
}

/* --- classification --------------------------------------------------------- */

static gboolean in_index(const erdiag_prefix_index *idx, const erdiag_addr *a)
{
    return erdiag_prefix_index_longest_match(idx, a, NULL, NULL);
}

static gboolean found_one(const erdiag_prefix *p, gpointer value, gpointer user)
{
    (void)p;
    (void)value;
    *(gboolean *)user = TRUE;
    return FALSE; /* one is enough */
}

/* Some stored prefix covers p (p itself included). */
static gboolean covered_in_index(const erdiag_prefix_index *idx, const erdiag_prefix *p)
{
    gboolean found = FALSE;
    erdiag_prefix_index_foreach_covering(idx, p, found_one, &found);
    return found;
}

static gboolean is_unspecified(const erdiag_addr *a)
{
    for (guint i = 0; i < (a->family == 4 ? 4u : 16u); i++)
        if (a->bytes[i])
            return FALSE;
    return TRUE;
}

static const char *addr_token(erdiag_redactor *r, const erdiag_addr *a)
{
    const char *t = g_hash_table_lookup(r->addrs, a);
    if (t)
        return t;
    char *tok;
    if (is_unspecified(a) || in_index(r->azure_side, a)) {
        tok = KEEP;
    } else {
        gboolean onprem = in_index(r->onprem_side, a) || g_hash_table_contains(r->onprem_hosts, a);
        tok = onprem ? g_strdup_printf("onprem-addr-%u", ++r->n_onprem_addr) : g_strdup_printf("addr-%u", ++r->n_addr);
    }
    g_hash_table_insert(r->addrs, dup_bytes(a, sizeof *a), tok);
    return tok;
}

static const char *prefix_token(erdiag_redactor *r, const erdiag_prefix *p)
{
    const char *t = g_hash_table_lookup(r->prefixes, p);
    if (t)
        return t;
    /* what on-prem advertises is redacted even where it lies inside a VNet (an overlap) */
    gboolean onprem = erdiag_prefix_index_contains(r->onprem_side, p);
    char *tok = p->len == 0 || (!onprem && covered_in_index(r->azure_side, p))
                    ? KEEP : g_strdup_printf("onprem-net-%u", ++r->n_net);
    g_hash_table_insert(r->prefixes, dup_bytes(p, sizeof *p), tok);
    return tok;
}

static char *mac_key(const guint8 m[6])
{
    return g_strdup_printf("%02x%02x%02x%02x%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static const char *mac_token(erdiag_redactor *r, const guint8 m[6])
{
    g_autofree char *k = mac_key(m);
    const char *t = g_hash_table_lookup(r->macs, k);
    if (t)
        return t;
    char *tok = g_strdup_printf("mac-%u", ++r->n_mac);
    g_hash_table_insert(r->macs, g_steal_pointer(&k), tok);
    return tok;
}

/* --- tokens in text --------------------------------------------------------- */

/* "aa:bb:cc:dd:ee:ff" or Azure's "aaaa.bbbb.cccc". */
static gboolean parse_mac_token(const char *s, gsize n, guint8 m[6])
{
    guint sep_every;
    char sep;
    if (n == 17) {
        sep_every = 3, sep = ':';
    } else if (n == 14) {
        sep_every = 5, sep = '.';
    } else {
        return FALSE;
    }
    guint nib = 0;
    memset(m, 0, 6);
    for (gsize i = 0; i < n; i++) {
        if ((i + 1) % sep_every == 0) {
            if (s[i] != sep)
                return FALSE;
            continue;
        }
        if (!g_ascii_isxdigit(s[i]))
            return FALSE;
        m[nib / 2] = (guint8)(m[nib / 2] << 4 | g_ascii_xdigit_value(s[i]));
        nib++;
    }
    return nib == 12;
}

static gboolean parse_addr_n(const char *s, gsize n, erdiag_addr *a)
{
    if (n == 0 || n >= ERDIAG_ADDR_STRLEN)
        return FALSE;
    char buf[ERDIAG_ADDR_STRLEN];
    memcpy(buf, s, n);
    buf[n] = '\0';
    return erdiag_addr_parse(buf, a);
}

/* Appends the replacement of s[0..n) (an address, MAC, "addr:port"), or
 * returns FALSE when it is none of those. out may be NULL (map building). */
static gboolean replace_core(erdiag_redactor *r, const char *s, gsize n, GString *out)
{
    guint8 m[6];
    erdiag_addr a;
    if (parse_mac_token(s, n, m)) {
        const char *t = mac_token(r, m);
        if (out)
            t == KEEP ? g_string_append_len(out, s, n) : g_string_append(out, t);
        return TRUE;
    }
    if (parse_addr_n(s, n, &a)) {
        const char *t = addr_token(r, &a);
        if (out)
            t == KEEP ? g_string_append_len(out, s, n) : g_string_append(out, t);
        return TRUE;
    }
    /* "192.0.2.1:179" */
    const char *colon = memchr(s, '.', n) ? g_strrstr_len(s, n, ":") : NULL;
    if (colon && parse_addr_n(s, colon - s, &a)) {
        const char *t = addr_token(r, &a);
        if (out) {
            t == KEEP ? g_string_append_len(out, s, colon - s) : g_string_append(out, t);
            g_string_append_len(out, colon, n - (colon - s));
        }
        return TRUE;
    }
    return FALSE;
}

static gboolean run_char(char c)
{
    return g_ascii_isalnum(c) || c == ':' || c == '.';
}

/* Only hex digits, ':' and '.' can make an address or a MAC. */
static gboolean maybe_address(const char *s, gsize n)
{
    gboolean sep = FALSE;
    if (n < 3 || n > 64)
        return FALSE;
    for (gsize i = 0; i < n; i++) {
        if (s[i] == ':' || s[i] == '.')
            sep = TRUE;
        else if (!g_ascii_isxdigit(s[i]))
            return FALSE;
    }
    return sep;
}

/* Replaces one run (and a "/len" right after it); returns FALSE to copy it. */
static gboolean replace_run(erdiag_redactor *r, const char *s, gsize n, const char *plen, gsize plen_n, GString *out)
{
    if (!maybe_address(s, n))
        return FALSE;
    if (plen_n) {
        g_autofree char *text = g_strndup(s, n + plen_n);
        erdiag_prefix p;
        gboolean host_bits = FALSE;
        if (erdiag_prefix_parse(text, &p, &host_bits)) {
            const char *t = prefix_token(r, &p);
            if (out)
                t == KEEP ? g_string_append(out, text) : g_string_append(out, t);
            return TRUE;
        }
        /* an address with a length (host bits set): the address, then the length */
        if (!replace_core(r, s, n, out))
            return FALSE;
        if (out)
            g_string_append_len(out, plen, plen_n);
        return TRUE;
    }
    if (replace_core(r, s, n, out))
        return TRUE;
    /* sentence punctuation after an address: "... to 10.0.0.1." */
    gsize m = n;
    while (m > 0 && (s[m - 1] == '.' || s[m - 1] == ':')) {
        m--;
        if (replace_core(r, s, m, NULL)) {
            if (out) {
                replace_core(r, s, m, out);
                g_string_append_len(out, s + m, n - m);
            }
            return TRUE;
        }
    }
    return FALSE;
}

/* Text tables align columns with runs of spaces: after a replacement that
 * is longer or shorter than the original, the run of spaces that follows
 * (two or more, before more text on the line) grows or shrinks so the next
 * column stays where it was, keeping at least one space. Returns where the
 * input continues. */
static gsize keep_column(const char *s, gsize len, gsize k, gssize delta, GString *out)
{
    gsize m = k;
    while (m < len && s[m] == ' ')
        m++;
    gsize spaces = m - k;
    if (delta == 0 || spaces < 2 || m >= len || s[m] == '\n' || s[m] == '\r')
        return k;
    gssize want = (gssize)spaces - delta;
    for (gssize n = 0; n < MAX(want, 1); n++)
        g_string_append_c(out, ' ');
    return m;
}

/* Walks text; with out, writes the rewritten text, without, only fills the map. */
static void rewrite_tokens(erdiag_redactor *r, const char *s, gsize len, GString *out)
{
    gsize i = 0;
    while (i < len) {
        if (!run_char(s[i])) {
            if (out)
                g_string_append_c(out, s[i]);
            i++;
            continue;
        }
        gsize j = i;
        while (j < len && run_char(s[j]))
            j++;
        /* "/len" after it: up to three digits, then no more of the run */
        gsize k = j;
        if (k + 1 < len && s[k] == '/' && g_ascii_isdigit(s[k + 1])) {
            gsize m = k + 1;
            while (m < len && g_ascii_isdigit(s[m]) && m - k <= 3)
                m++;
            if (m >= len || !run_char(s[m]))
                k = m;
        }
        gsize out_before = out ? out->len : 0;
        gboolean done = k != j && replace_run(r, s + i, j - i, s + j, k - j, out);
        if (!done) {
            k = j; /* a "/len" that is not part of a prefix is copied on the next turn */
            done = replace_run(r, s + i, j - i, NULL, 0, out);
        }
        if (!done && out)
            g_string_append_len(out, s + i, j - i);
        if (done && out)
            k = keep_column(s, len, k, (gssize)(out->len - out_before) - (gssize)(k - i), out);
        i = k;
    }
}

static void scan(erdiag_redactor *r, const char *text)
{
    if (text)
        rewrite_tokens(r, text, strlen(text), NULL);
}

/* --- names ------------------------------------------------------------------- */

static void add_literal_variant(erdiag_redactor *r, char *text, const char *token)
{
    if (!text || !*text) {
        g_free(text);
        return;
    }
    for (guint i = 0; i < r->literals->len; i++)
        if (strcmp(((literal *)g_ptr_array_index(r->literals, i))->text, text) == 0) {
            g_free(text);
            return;
        }
    literal *l = g_new0(literal, 1);
    l->text = text;
    l->token = g_strdup(token);
    g_ptr_array_add(r->literals, l);
}

static char *json_escape(const char *s)
{
    g_autoptr(JsonNode) n = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(n, s);
    g_autofree char *quoted = json_to_string(n, FALSE);
    gsize len = strlen(quoted);
    return len >= 2 ? g_strndup(quoted + 1, len - 2) : g_strdup(s);
}

/* The name as each format writes it: plain, Markdown, HTML and JSON escaped. */
static void add_literal(erdiag_redactor *r, const char *text, const char *token)
{
    if (!text || !*text)
        return;
    add_literal_variant(r, g_strdup(text), token);
    add_literal_variant(r, report_md_escape(text), token);
    add_literal_variant(r, report_html_escape(text), token);
    add_literal_variant(r, json_escape(text), token);
}

gboolean erdiag_redact_keeps_name(const char *name)
{
    static const char *const words[] = {"peering", "azureprivatepeering", "primary", "secondary", "untagged",
                                        "microsoft", "customer", "on-prem", "onprem", "link", "capture", "arp",
                                        "vlan", "routes", "route", "finding", "findings", "checklist", NULL};
    if (!name || strlen(name) < 3)
        return TRUE;
    for (const char *const *w = words; *w; w++)
        if (g_ascii_strcasecmp(name, *w) == 0)
            return TRUE;
    for (erdiag_step st = ERDIAG_STEP_CONFIG; st < ERDIAG_STEP_COUNT; st++)
        if (g_ascii_strcasecmp(name, erdiag_step_name(st)) == 0)
            return TRUE;
    return FALSE;
}

static gboolean name_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '-';
}

static void replace_literal(GString *text, const literal *l)
{
    gsize n = strlen(l->text);
    GString *out = g_string_sized_new(text->len);
    const char *s = text->str, *end = text->str + text->len;
    while (s < end) {
        const char *hit = g_strstr_len(s, end - s, l->text);
        if (!hit) {
            g_string_append_len(out, s, end - s);
            break;
        }
        const char *after = hit + n;
        gboolean left_ok = hit == text->str || !(name_char(hit[-1]) || hit[-1] == '.' || hit[-1] == '/');
        gboolean right_ok = after >= end || !(name_char(*after) || (*after == '.' && after + 1 < end && g_ascii_isalnum(after[1])));
        g_string_append_len(out, s, hit - s);
        if (left_ok && right_ok)
            g_string_append(out, l->token);
        else
            g_string_append_len(out, hit, n);
        s = after;
    }
    g_string_assign(text, out->str);
    g_string_free(out, TRUE);
}

static gint longest_first(gconstpointer a, gconstpointer b)
{
    const literal *x = *(literal *const *)a, *y = *(literal *const *)b;
    gsize lx = strlen(x->text), ly = strlen(y->text);
    return lx > ly ? -1 : lx < ly ? 1 : strcmp(x->text, y->text);
}

/* --- building the map -------------------------------------------------------- */

static void collect_sides(erdiag_redactor *r, erdiag_engine *e)
{
    const erdiag_config *cfg = erdiag_engine_config(e);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            for (int dir = 0; dir < 2; dir++) {
                GPtrArray *routes = erdiag_rib_routes(l->rib[dir], TRUE);
                for (guint k = 0; k < routes->len; k++) {
                    const erdiag_route *rt = g_ptr_array_index(routes, k);
                    /* a default or very short route from Microsoft must not make everything "Azure's" */
                    guint min = rt->prefix.addr.family == 4 ? 8 : 16;
                    /* nor does on-prem's own route echoed back (rib.h) */
                    if (dir == ERDIAG_MSFT && rt->prefix.len >= min && !erdiag_route_is_echo(l, dir, rt))
                        erdiag_prefix_index_insert(r->azure_side, &rt->prefix, NULL);
                    else if (dir == ERDIAG_CUST && rt->prefix.len > 0)
                        erdiag_prefix_index_insert(r->onprem_side, &rt->prefix, NULL);
                }
                g_ptr_array_unref(routes);
            }
        }
    }
    for (guint p = 0; cfg && p < cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(cfg->peerings, p);
        for (guint i = 0; i < pc->vnet_prefixes->len; i++)
            erdiag_prefix_index_insert(r->azure_side, &g_array_index(pc->vnet_prefixes, erdiag_prefix, i), NULL);
        if (pc->has_gateway_subnet)
            erdiag_prefix_index_insert(r->azure_side, &pc->gateway_subnet, NULL);
        for (guint i = 0; i < pc->expected_onprem->len; i++)
            erdiag_prefix_index_insert(r->onprem_side, &g_array_index(pc->expected_onprem, erdiag_prefix, i), NULL);
        for (guint i = 0; i < pc->onprem_sources->len; i++)
            g_hash_table_add(r->onprem_hosts, &g_array_index(pc->onprem_sources, erdiag_addr, i));
    }
}

static void map_links(erdiag_redactor *r, erdiag_engine *e)
{
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    guint n = 0;
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            n++;
            if (!g_hash_table_contains(r->prefixes, &l->subnet))
                g_hash_table_insert(r->prefixes, dup_bytes(&l->subnet, sizeof l->subnet),
                                    g_strdup_printf("link-%u-net", n));
            if (!g_hash_table_contains(r->addrs, &l->subnet.addr))
                g_hash_table_insert(r->addrs, dup_bytes(&l->subnet.addr, sizeof l->subnet.addr),
                                    g_strdup_printf("link-%u-net", n));
            static const char *const side[2] = {"onprem", "msee"};
            for (int s = 0; s < 2; s++)
                if (!g_hash_table_contains(r->addrs, &l->addr[s]))
                    g_hash_table_insert(r->addrs, dup_bytes(&l->addr[s], sizeof l->addr[s]),
                                        g_strdup_printf("link-%u-%s", n, side[s]));
            /* Microsoft's MAC stays: it is not the customer's */
            if (l->arp[ERDIAG_MSFT].resolved) {
                char *k = mac_key(l->arp[ERDIAG_MSFT].mac);
                if (!g_hash_table_contains(r->macs, k))
                    g_hash_table_insert(r->macs, k, KEEP);
                else
                    g_free(k);
            }
        }
    }
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            if (l->arp[ERDIAG_CUST].resolved)
                mac_token(r, l->arp[ERDIAG_CUST].mac);
        }
    }
}

static void map_routes_and_text(erdiag_redactor *r, erdiag_engine *e)
{
    const erdiag_config *cfg = erdiag_engine_config(e);
    for (guint p = 0; cfg && p < cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(cfg->peerings, p);
        for (guint i = 0; i < pc->expected_onprem->len; i++)
            prefix_token(r, &g_array_index(pc->expected_onprem, erdiag_prefix, i));
        for (guint i = 0; i < pc->onprem_sources->len; i++)
            addr_token(r, &g_array_index(pc->onprem_sources, erdiag_addr, i));
    }
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            GPtrArray *routes = erdiag_rib_routes(l->rib[ERDIAG_CUST], TRUE);
            for (guint k = 0; k < routes->len; k++) {
                const erdiag_route *rt = g_ptr_array_index(routes, k);
                prefix_token(r, &rt->prefix);
                if (rt->next_hop.family)
                    addr_token(r, &rt->next_hop);
            }
            g_ptr_array_unref(routes);
        }
    }
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        scan(r, f->message);
        scan(r, f->advice);
    }
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            for (guint k = 0; k < l->bgp.timeline->len; k++)
                scan(r, ((erdiag_timeline_entry *)g_ptr_array_index(l->bgp.timeline, k))->text);
        }
    }
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    for (guint i = 0; i < info->notes->len; i++)
        scan(r, g_ptr_array_index(info->notes, i));
}

static void map_azure(erdiag_redactor *r, const erdiag_azure_evidence *ev)
{
    for (guint i = 0; ev && i < ev->tables->len; i++) {
        const erdiag_azure_table *t = g_ptr_array_index(ev->tables, i);
        for (guint k = 0; k < t->rows->len; k++) {
            gpointer row = g_ptr_array_index(t->rows, k);
            if (t->kind == ERDIAG_AZURE_TABLE_ARP) {
                scan(r, ((erdiag_azure_arp_row *)row)->ip_text);
                scan(r, ((erdiag_azure_arp_row *)row)->mac_text);
            } else if (t->kind == ERDIAG_AZURE_TABLE_ROUTES) {
                scan(r, ((erdiag_azure_route_row *)row)->network);
                scan(r, ((erdiag_azure_route_row *)row)->next_hop);
            } else {
                scan(r, ((erdiag_azure_summary_row *)row)->neighbor);
            }
        }
    }
}

static void map_names(erdiag_redactor *r, erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    const erdiag_config *cfg = erdiag_engine_config(e);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    guint n = 0;
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        if (!pe->configured || erdiag_redact_keeps_name(pe->name))
            continue;
        g_autofree char *tok = g_strdup_printf("peering-%u", ++n);
        add_literal(r, pe->name, tok);
    }
    for (guint p = 0; cfg && p < cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(cfg->peerings, p);
        if (erdiag_redact_keeps_name(pc->name))
            continue;
        g_autofree char *tok = g_strdup_printf("peering-%u", ++n);
        add_literal(r, pc->name, tok); /* a no-op when already mapped above */
    }
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    for (guint i = 0; i < info->files->len; i++) {
        const char *f = g_ptr_array_index(info->files, i);
        if (strcmp(f, "(standard input)") == 0)
            continue;
        g_autofree char *tok = g_strdup_printf("capture-%u", i + 1);
        add_literal(r, f, tok);
    }
    if (cfg && cfg->source)
        add_literal(r, cfg->source, "config-1");
    for (guint i = 0; ev && i < ev->tables->len; i++) {
        const erdiag_azure_table *t = g_ptr_array_index(ev->tables, i);
        g_autofree char *tok = g_strdup_printf("azure-export-%u", i + 1);
        add_literal(r, t->source, tok);
    }
    g_ptr_array_sort(r->literals, longest_first);
}

erdiag_redactor *erdiag_redactor_new(erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    erdiag_redactor *r = g_new0(erdiag_redactor, 1);
    r->addrs = g_hash_table_new_full(addr_hash, addr_eq, g_free, value_free);
    r->prefixes = g_hash_table_new_full(prefix_hash, prefix_eq, g_free, value_free);
    r->macs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, value_free);
    r->azure_side = erdiag_prefix_index_new(NULL);
    r->onprem_side = erdiag_prefix_index_new(NULL);
    r->onprem_hosts = g_hash_table_new(addr_hash, addr_eq); /* the configuration's addresses, not copied */
    r->literals = g_ptr_array_new_with_free_func(literal_free);
    collect_sides(r, e);
    map_links(r, e);
    map_routes_and_text(r, e);
    map_azure(r, ev);
    map_names(r, e, ev);
    return r;
}

void erdiag_redactor_rewrite(erdiag_redactor *r, GString *text)
{
    for (guint i = 0; i < r->literals->len; i++)
        replace_literal(text, g_ptr_array_index(r->literals, i));
    GString *out = g_string_sized_new(text->len + 64);
    rewrite_tokens(r, text->str, text->len, out);
    g_string_assign(text, out->str);
    g_string_free(out, TRUE);
}

void erdiag_redactor_free(erdiag_redactor *r)
{
    if (!r)
        return;
    g_hash_table_unref(r->addrs);
    g_hash_table_unref(r->prefixes);
    g_hash_table_unref(r->macs);
    erdiag_prefix_index_free(r->azure_side);
    erdiag_prefix_index_free(r->onprem_side);
    g_hash_table_unref(r->onprem_hosts);
    g_ptr_array_unref(r->literals);
    g_free(r);
}

void erdiag_redact_apply(erdiag_engine *e, const erdiag_azure_evidence *ev, GString *report)
{
    erdiag_redactor *r = erdiag_redactor_new(e, ev);
    erdiag_redactor_rewrite(r, report);
    erdiag_redactor_free(r);
}
