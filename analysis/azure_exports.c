/* Reading Azure's NSG, effective-route and circuit exports (azure_exports.h)
 * in the shapes the az CLI prints (properties flattened), the REST API
 * returns (under "properties") and Az PowerShell's ConvertTo-Json writes
 * (keys capitalised: members are matched without regard to case).
 * Every error is one line naming the file and the JSON path. */
#include <string.h>
#include "azure_exports.h"
#include "azure_import.h"
#include "azure_json.h"

static const char *const k_value[] = {"value", NULL};
static const char *const k_properties[] = {"properties", NULL};
static const char *const k_id[] = {"id", NULL};
static const char *const k_name[] = {"name", NULL};

/* --- freeing ---------------------------------------------------------------- */

static void rule_free(gpointer p)
{
    erdiag_azure_nsg_rule *r = p;
    g_free(r->name);
    g_array_unref(r->src);
    g_array_unref(r->dst);
    g_array_unref(r->sports);
    g_array_unref(r->dports);
    g_free(r->dports_text);
    g_free(r);
}

static void nsg_free(gpointer p)
{
    erdiag_azure_nsg *n = p;
    g_free(n->source);
    g_free(n->nsg_name);
    g_free(n->applies_to);
    g_ptr_array_unref(n->rules);
    g_free(n);
}

static void route_free(gpointer p)
{
    erdiag_azure_route *r = p;
    g_free(r->name);
    g_free(r->origin);
    g_free(r->next_hop_type);
    g_free(r->next_hop_ip);
    g_array_unref(r->prefixes);
    g_free(r);
}

static void route_table_free(gpointer p)
{
    erdiag_azure_route_table *t = p;
    g_free(t->source);
    g_ptr_array_unref(t->routes);
    g_free(t);
}

static void state_free(gpointer p)
{
    erdiag_azure_state *s = p;
    g_free(s->source);
    g_free(s->circuit);
    g_free(s->what);
    g_free(s->state);
    g_free(s->provider_state);
    g_free(s);
}

erdiag_azure_exports *erdiag_azure_exports_new(void)
{
    erdiag_azure_exports *x = g_new0(erdiag_azure_exports, 1);
    x->nsgs = g_ptr_array_new_with_free_func(nsg_free);
    x->route_tables = g_ptr_array_new_with_free_func(route_table_free);
    x->states = g_ptr_array_new_with_free_func(state_free);
    return x;
}

void erdiag_azure_exports_free(erdiag_azure_exports *x)
{
    if (!x)
        return;
    g_ptr_array_unref(x->nsgs);
    g_ptr_array_unref(x->route_tables);
    g_ptr_array_unref(x->states);
    g_free(x);
}

/* --- shared pieces ---------------------------------------------------------- */

static gboolean fail(GError **error, const char *source, const char *path, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static gboolean fail(GError **error, const char *source, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: %s: %s", source, path, what);
    return FALSE;
}

/* Errors quote the file's values: a control character in one (a newline
 * inside a JSON string) must not break the one-line message. */
static gboolean one_line(gboolean ok, GError **error)
{
    if (!ok && error && *error)
        for (char *p = (*error)->message; *p; p++)
            if ((guchar)*p < 0x20 || *p == 0x7f)
                *p = ' ';
    return ok;
}

/* The object's own members, or those under "properties" (REST) when the
 * object has it. */
static JsonObject *props_of(JsonObject *o)
{
    JsonObject *p = azure_json_object(o, k_properties);
    return p ? p : o;
}

/* A member of o itself or of its "properties". */
static JsonNode *prop(JsonObject *o, const char *const *names, const char **found)
{
    JsonNode *n = azure_json_member(o, names, found);
    if (!n || JSON_NODE_HOLDS_NULL(n))
        n = azure_json_member(azure_json_object(o, k_properties), names, found);
    return n && !JSON_NODE_HOLDS_NULL(n) ? n : NULL;
}

/* The last segment of a resource id: ".../networkInterfaces/vm1-nic" -> "vm1-nic". */
static char *id_tail(const char *id)
{
    if (!id || !*id)
        return NULL;
    const char *slash = strrchr(id, '/');
    return g_strdup(slash ? slash + 1 : id);
}

/* "vnet1/default" from ".../virtualNetworks/vnet1/subnets/default". */
static char *subnet_name(const char *id)
{
    if (!id)
        return NULL;
    const char *v = strstr(id, "/virtualNetworks/");
    if (v) {
        v += strlen("/virtualNetworks/");
        const char *s = strstr(v, "/subnets/");
        if (s && s > v)
            return g_strdup_printf("%.*s/%s", (int)(s - v), v, s + strlen("/subnets/"));
    }
    return id_tail(id);
}

static char *object_id(JsonObject *o, const char *const *names)
{
    JsonNode *n = prop(o, names, NULL);
    if (!n)
        return NULL;
    if (JSON_NODE_HOLDS_OBJECT(n))
        return azure_json_text(json_node_get_object(n), k_id, NULL);
    return azure_json_scalar_text(n);
}

/* The rows of a list export: a bare array, or {"value": [...]}; NULL otherwise. */
static JsonArray *rows_of(JsonNode *root)
{
    if (JSON_NODE_HOLDS_ARRAY(root))
        return json_node_get_array(root);
    if (JSON_NODE_HOLDS_OBJECT(root))
        return azure_json_array(json_node_get_object(root), k_value);
    return NULL;
}

/* A string or an array of strings as a list of strings (NULL: absent or null). */
static GPtrArray *string_list(JsonNode *n, gboolean *bad)
{
    *bad = FALSE;
    if (!n || JSON_NODE_HOLDS_NULL(n))
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    if (JSON_NODE_HOLDS_ARRAY(n)) {
        JsonArray *a = json_node_get_array(n);
        for (guint i = 0; i < json_array_get_length(a); i++) {
            char *t = azure_json_scalar_text(json_array_get_element(a, i));
            if (!t) {
                *bad = TRUE;
                break;
            }
            g_ptr_array_add(out, t);
        }
    } else {
        char *t = azure_json_scalar_text(n);
        if (t)
            g_ptr_array_add(out, t);
        else
            *bad = TRUE;
    }
    if (*bad) {
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}

/* "10.0.0.0/16", "10.0.0.4" (a host), "2001:db8::/64"; host bits are cleared
 * (Azure's own prefixes have none, a hand-edited file may). */
static gboolean parse_prefix_loose(const char *text, erdiag_prefix *out)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    char *slash = strchr(t, '/');
    guint64 len;
    if (slash) {
        *slash = '\0';
        char *end = NULL;
        if (!slash[1] || !g_ascii_isdigit(slash[1]))
            return FALSE;
        len = g_ascii_strtoull(slash + 1, &end, 10);
        if (*end)
            return FALSE;
    }
    erdiag_addr a;
    if (!erdiag_addr_parse(t, &a))
        return FALSE;
    if (!slash)
        len = erdiag_addr_bits(&a);
    if (len > erdiag_addr_bits(&a))
        return FALSE;
    *out = erdiag_prefix_make(&a, (guint)len);
    return TRUE;
}

/* --- NSG rules ------------------------------------------------------------- */

static gboolean parse_protocol(const char *t, guint8 *out)
{
    static const struct {
        const char *name;
        guint8 proto;
    } names[] = {{"*", 0}, {"All", 0}, {"Any", 0}, {"Tcp", 6}, {"Udp", 17}, {"Icmp", 1}, {"Esp", 50}, {"Ah", 51}};
    for (guint i = 0; t && i < G_N_ELEMENTS(names); i++)
        if (g_ascii_strcasecmp(t, names[i].name) == 0) {
            *out = names[i].proto;
            return TRUE;
        }
    return FALSE;
}

/* "*", "3389", "80-90" (effective rules say "0-65535" and "3389-3389"). */
static gboolean parse_ports(const char *text, erdiag_azure_ports *out)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    if (strcmp(t, "*") == 0 || g_ascii_strcasecmp(t, "Any") == 0) {
        *out = (erdiag_azure_ports){0, 65535};
        return TRUE;
    }
    guint64 lo, hi;
    char *end = NULL;
    if (!g_ascii_isdigit(*t))
        return FALSE;
    lo = g_ascii_strtoull(t, &end, 10);
    hi = lo;
    if (*end == '-') {
        if (!g_ascii_isdigit(end[1]))
            return FALSE;
        hi = g_ascii_strtoull(end + 1, &end, 10);
    }
    if (*end || lo > hi || hi > 65535)
        return FALSE;
    *out = (erdiag_azure_ports){(guint16)lo, (guint16)hi};
    return TRUE;
}

/* One address token: "*", a prefix or address, or a tag. */
static gboolean parse_term(const char *text, erdiag_azure_term *out)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    memset(out, 0, sizeof *out);
    if (strcmp(t, "*") == 0 || g_ascii_strcasecmp(t, "Any") == 0) {
        out->kind = ERDIAG_AZURE_TERM_ANY;
        return TRUE;
    }
    if (g_ascii_isdigit(*t) || strchr(t, ':')) {
        out->kind = ERDIAG_AZURE_TERM_PREFIX;
        return parse_prefix_loose(t, &out->prefix);
    }
    if (!g_ascii_isalpha(*t))
        return FALSE;
    for (const char *p = t; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr(".-_", *p))
            return FALSE;
    out->kind = g_ascii_strcasecmp(t, "VirtualNetwork") == 0 ? ERDIAG_AZURE_TERM_VNET : ERDIAG_AZURE_TERM_OTHER_TAG;
    return TRUE;
}

typedef struct {
    const char *source;
    const char *path;               /* "value[0].effectiveSecurityRules[2]" */
    GError **error;
} rule_ctx;

/* The addresses of one side: the expanded list when the export has one, else
 * the prefixes (plural, when non-empty) or the prefix, plus the application
 * security groups (which match no flow: membership is not in the export). */
static gboolean read_terms(rule_ctx *c, JsonObject *o, const char *side, GArray *out)
{
    g_autofree char *k_exp = g_strdup_printf("expanded%sAddressPrefix", side);
    g_autofree char *k_plural = g_strdup_printf("%sAddressPrefixes", side);
    g_autofree char *k_single = g_strdup_printf("%sAddressPrefix", side);
    g_autofree char *k_asg = g_strdup_printf("%sApplicationSecurityGroups", side);
    const char *const try[][2] = {{k_exp, NULL}, {k_plural, NULL}, {k_single, NULL}};
    GPtrArray *items = NULL;
    const char *used = NULL;
    for (guint i = 0; i < G_N_ELEMENTS(try) && !items; i++) {
        gboolean bad = FALSE;
        const char *found = NULL;
        items = string_list(prop(o, try[i], &found), &bad);
        if (bad)
            return fail(c->error, c->source, c->path, "%s: expected a string or a list of strings", try[i][0]);
        if (items && items->len == 0)
            g_clear_pointer(&items, g_ptr_array_unref);
        used = try[i][0];
    }
    const char *const asg_key[] = {k_asg, NULL};
    JsonNode *asg = prop(o, asg_key, NULL);
    gboolean has_asg = asg && JSON_NODE_HOLDS_ARRAY(asg) && json_array_get_length(json_node_get_array(asg)) > 0;
    if (!items && !has_asg)
        return fail(c->error, c->source, c->path, "%s: missing: expected an address prefix, a service tag or \"*\"",
                    k_single);
    for (guint i = 0; items && i < items->len; i++) {
        /* "0.0.0.0/0,0.0.0.0/0" and "a, b" hold several */
        g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(items, i), ",", -1);
        for (char **p = parts; *p; p++) {
            erdiag_azure_term t;
            if (!*g_strstrip(*p))
                continue;
            if (!parse_term(*p, &t)) {
                g_set_error(c->error, ERDIAG_AZURE_ERROR, 2, "%s: %s.%s = %s: expected an address prefix, a "
                            "service tag or \"*\"", c->source, c->path, used, *p);
                g_ptr_array_unref(items);
                return FALSE;
            }
            g_array_append_val(out, t);
        }
    }
    if (has_asg) {
        erdiag_azure_term t = {.kind = ERDIAG_AZURE_TERM_OTHER_TAG};
        g_array_append_val(out, t);
    }
    if (items)
        g_ptr_array_unref(items);
    return TRUE;
}

static gboolean read_port_list(rule_ctx *c, JsonObject *o, const char *side, GArray *out, char **text)
{
    g_autofree char *k_plural = g_strdup_printf("%sPortRanges", side);
    g_autofree char *k_single = g_strdup_printf("%sPortRange", side);
    const char *const try[][2] = {{k_plural, NULL}, {k_single, NULL}};
    GPtrArray *items = NULL;
    const char *used = k_single;
    for (guint i = 0; i < G_N_ELEMENTS(try) && !items; i++) {
        gboolean bad = FALSE;
        items = string_list(prop(o, try[i], NULL), &bad);
        if (bad)
            return fail(c->error, c->source, c->path, "%s: expected a string or a list of strings", try[i][0]);
        if (items && items->len == 0)
            g_clear_pointer(&items, g_ptr_array_unref);
        if (items)
            used = try[i][0];
    }
    if (!items) {
        /* ICMP rules and hand-written files may leave the ports out: any port */
        erdiag_azure_ports any = {0, 65535};
        g_array_append_val(out, any);
        if (text)
            *text = g_strdup("*");
        return TRUE;
    }
    GString *joined = g_string_new(NULL);
    for (guint i = 0; i < items->len; i++) {
        g_auto(GStrv) parts = g_strsplit(g_ptr_array_index(items, i), ",", -1);
        for (char **p = parts; *p; p++) {
            erdiag_azure_ports r;
            if (!*g_strstrip(*p))
                continue;
            if (!parse_ports(*p, &r)) {
                g_set_error(c->error, ERDIAG_AZURE_ERROR, 2, "%s: %s.%s = %s: expected a port, a range such as "
                            "80-90, or \"*\"", c->source, c->path, used, *p);
                g_ptr_array_unref(items);
                g_string_free(joined, TRUE);
                return FALSE;
            }
            g_array_append_val(out, r);
            g_string_append_printf(joined, "%s%s", joined->len ? ", " : "", *p);
        }
    }
    g_ptr_array_unref(items);
    if (text)
        *text = g_string_free(joined, FALSE);
    else
        g_string_free(joined, TRUE);
    return TRUE;
}

static erdiag_azure_nsg_rule *read_rule(rule_ctx *c, JsonNode *node, gboolean is_default)
{
    static const char *const k_priority[] = {"priority", NULL};
    static const char *const k_access[] = {"access", NULL};
    static const char *const k_direction[] = {"direction", NULL};
    static const char *const k_protocol[] = {"protocol", NULL};
    if (!JSON_NODE_HOLDS_OBJECT(node)) {
        fail(c->error, c->source, c->path, "expected a security rule (an object)");
        return NULL;
    }
    JsonObject *o = json_node_get_object(node);
    g_autofree char *prio = azure_json_scalar_text(prop(o, k_priority, NULL));
    g_autofree char *access = azure_json_scalar_text(prop(o, k_access, NULL));
    g_autofree char *dir = azure_json_scalar_text(prop(o, k_direction, NULL));
    g_autofree char *proto = azure_json_scalar_text(prop(o, k_protocol, NULL));
    guint64 p = 0;
    char *end = NULL;
    if (prio)
        p = g_ascii_strtoull(prio, &end, 10);
    if (!prio || !g_ascii_isdigit(*prio) || *end || p > 65535) {
        fail(c->error, c->source, c->path, "priority%s%s: expected a number (100-4096, 65000-65500 for the defaults)",
             prio ? " = " : ": missing", prio ? prio : "");
        return NULL;
    }
    gboolean allow = access && g_ascii_strcasecmp(access, "Allow") == 0;
    if (!access || (!allow && g_ascii_strcasecmp(access, "Deny") != 0)) {
        fail(c->error, c->source, c->path, "access%s%s: expected Allow or Deny", access ? " = " : ": missing",
             access ? access : "");
        return NULL;
    }
    gboolean in = dir && g_ascii_strcasecmp(dir, "Inbound") == 0;
    if (!dir || (!in && g_ascii_strcasecmp(dir, "Outbound") != 0)) {
        fail(c->error, c->source, c->path, "direction%s%s: expected Inbound or Outbound", dir ? " = " : ": missing",
             dir ? dir : "");
        return NULL;
    }
    guint8 pr = 0;
    if (!proto || !parse_protocol(proto, &pr)) {
        fail(c->error, c->source, c->path, "protocol%s%s: expected Tcp, Udp, Icmp, Esp, Ah, * or All",
             proto ? " = " : ": missing", proto ? proto : "");
        return NULL;
    }
    erdiag_azure_nsg_rule *r = g_new0(erdiag_azure_nsg_rule, 1);
    g_autofree char *name = azure_json_text(o, k_name, NULL);
    /* effective rules are named "securityRules/x" and "defaultSecurityRules/y" */
    const char *slash = name ? strrchr(name, '/') : NULL;
    r->is_default = is_default || (name && g_str_has_prefix(name, "defaultSecurityRules/"));
    r->name = g_strdup(slash ? slash + 1 : name ? name : "(unnamed)");
    r->priority = (guint32)p;
    r->allow = allow;
    r->direction = in ? ERDIAG_AZURE_INBOUND : ERDIAG_AZURE_OUTBOUND;
    r->protocol = pr;
    r->src = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_term));
    r->dst = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_term));
    r->sports = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_ports));
    r->dports = g_array_new(FALSE, FALSE, sizeof(erdiag_azure_ports));
    if (!read_terms(c, o, "source", r->src) || !read_terms(c, o, "destination", r->dst)
        || !read_port_list(c, o, "source", r->sports, NULL)
        || !read_port_list(c, o, "destination", r->dports, &r->dports_text)) {
        rule_free(r);
        return NULL;
    }
    return r;
}

static gint rule_cmp(gconstpointer a, gconstpointer b)
{
    const erdiag_azure_nsg_rule *x = *(erdiag_azure_nsg_rule *const *)a, *y = *(erdiag_azure_nsg_rule *const *)b;
    return x->priority < y->priority ? -1 : x->priority > y->priority;
}

/* Rules of one list ("effectiveSecurityRules", "securityRules", ...) into nsg. */
static gboolean read_rules(erdiag_azure_nsg *nsg, JsonArray *a, const char *source, const char *path,
                           gboolean is_default, GError **error)
{
    for (guint i = 0; a && i < json_array_get_length(a); i++) {
        g_autofree char *p = g_strdup_printf("%s[%u]", path, i);
        rule_ctx c = {source, p, error};
        erdiag_azure_nsg_rule *r = read_rule(&c, json_array_get_element(a, i), is_default);
        if (!r)
            return FALSE;
        g_ptr_array_add(nsg->rules, r);
    }
    return TRUE;
}

static erdiag_azure_nsg *nsg_new(const char *source)
{
    erdiag_azure_nsg *n = g_new0(erdiag_azure_nsg, 1);
    n->source = g_strdup(source);
    n->rules = g_ptr_array_new_with_free_func(rule_free);
    return n;
}

static const char *const k_effective[] = {"effectiveSecurityRules", NULL};
static const char *const k_rules[] = {"securityRules", NULL};
static const char *const k_default_rules[] = {"defaultSecurityRules", NULL};

/* One entry of list-effective-nsg: {networkSecurityGroup, association, effectiveSecurityRules}. */
static erdiag_azure_nsg *read_effective(JsonObject *o, const char *source, const char *path, GError **error)
{
    static const char *const k_nsg[] = {"networkSecurityGroup", NULL};
    static const char *const k_assoc[] = {"association", NULL};
    static const char *const k_nic[] = {"networkInterface", NULL};
    static const char *const k_subnet[] = {"subnet", NULL};
    erdiag_azure_nsg *n = nsg_new(source);
    g_autofree char *nsg_id = object_id(o, k_nsg);
    n->nsg_name = nsg_id ? id_tail(nsg_id) : g_strdup("");
    JsonObject *assoc = azure_json_object(o, k_assoc);
    g_autofree char *nic = object_id(assoc, k_nic);
    g_autofree char *subnet = object_id(assoc, k_subnet);
    if (subnet) {
        g_autofree char *s = subnet_name(subnet);
        n->applies_to = g_strdup_printf("subnet %s", s);
        n->attachment = ERDIAG_AZURE_AT_SUBNET;
    } else if (nic) {
        g_autofree char *s = id_tail(nic);
        n->applies_to = g_strdup_printf("NIC %s", s);
        n->attachment = ERDIAG_AZURE_AT_NIC;
    } else {
        n->applies_to = g_strdup("");
    }
    g_autofree char *rp = g_strdup_printf("%s.effectiveSecurityRules", path);
    if (!read_rules(n, azure_json_array(o, k_effective), source, rp, FALSE, error)) {
        nsg_free(n);
        return NULL;
    }
    return n;
}

/* az network nsg show: securityRules and defaultSecurityRules, flattened or under "properties". */
static erdiag_azure_nsg *read_nsg_show(JsonObject *o, const char *source, const char *path, GError **error)
{
    static const char *const k_subnets[] = {"subnets", NULL};
    static const char *const k_nics[] = {"networkInterfaces", NULL};
    erdiag_azure_nsg *n = nsg_new(source);
    g_autofree char *name = azure_json_text(o, k_name, NULL);
    g_autofree char *id = azure_json_text(o, k_id, NULL);
    n->nsg_name = name ? g_strdup(name) : id ? id_tail(id) : g_strdup("");
    JsonObject *p = props_of(o);
    GString *on = g_string_new(NULL);
    guint subnets = 0, nics = 0;
    const char *const *const lists[] = {k_subnets, k_nics};
    for (guint l = 0; l < 2; l++) {
        JsonNode *ln = prop(o, lists[l], NULL);
        JsonArray *a = ln && JSON_NODE_HOLDS_ARRAY(ln) ? json_node_get_array(ln) : NULL;
        for (guint i = 0; a && i < json_array_get_length(a); i++) {
            JsonNode *el = json_array_get_element(a, i);
            g_autofree char *eid = JSON_NODE_HOLDS_OBJECT(el) ? azure_json_text(json_node_get_object(el), k_id, NULL)
                                                              : NULL;
            if (!eid)
                continue;
            g_autofree char *nm = l == 0 ? subnet_name(eid) : id_tail(eid);
            g_string_append_printf(on, "%s%s %s", on->len ? ", " : "", l == 0 ? "subnet" : "NIC", nm);
            *(l == 0 ? &subnets : &nics) += 1;
        }
    }
    n->applies_to = g_string_free(on, FALSE);
    n->attachment = subnets && !nics ? ERDIAG_AZURE_AT_SUBNET : nics && !subnets ? ERDIAG_AZURE_AT_NIC
                                                                                 : ERDIAG_AZURE_AT_UNKNOWN;
    g_autofree char *rp = g_strdup_printf("%s%ssecurityRules", path, *path ? "." : "");
    g_autofree char *dp = g_strdup_printf("%s%sdefaultSecurityRules", path, *path ? "." : "");
    if (!read_rules(n, azure_json_array(p, k_rules), source, rp, FALSE, error)
        || !read_rules(n, azure_json_array(p, k_default_rules), source, dp, TRUE, error)) {
        nsg_free(n);
        return NULL;
    }
    return n;
}

static gboolean is_effective(JsonObject *o)
{
    return azure_json_member(o, k_effective, NULL) != NULL;
}

static gboolean is_nsg(JsonObject *o)
{
    JsonObject *p = props_of(o);
    return azure_json_member(p, k_rules, NULL) || azure_json_member(p, k_default_rules, NULL);
}

static const char *const nsg_shape =
    "expected the JSON of 'az network nic list-effective-nsg' (value[].effectiveSecurityRules) or of "
    "'az network nsg show' (securityRules, defaultSecurityRules)";

static gboolean add_nsg_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                             const erdiag_prefix *scope, GError **error)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root = azure_json_parse(data, len, source, parser, error);
    if (!root)
        return FALSE;
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(nsg_free);
    JsonObject *top = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    if (top && (is_effective(top) || is_nsg(top))) {
        erdiag_azure_nsg *n = is_effective(top) ? read_effective(top, source, "", error)
                                                : read_nsg_show(top, source, "", error);
        if (!n)
            return FALSE;
        g_ptr_array_add(got, n);
    } else {
        JsonArray *rows = rows_of(root);
        if (!rows || json_array_get_length(rows) == 0)
            return fail(error, source, JSON_NODE_HOLDS_ARRAY(root) ? "[]" : "value", "%s", nsg_shape);
        gboolean in_value = !JSON_NODE_HOLDS_ARRAY(root);
        for (guint i = 0; i < json_array_get_length(rows); i++) {
            g_autofree char *path = g_strdup_printf("%s[%u]", in_value ? "value" : "", i);
            JsonNode *el = json_array_get_element(rows, i);
            JsonObject *o = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
            erdiag_azure_nsg *n = NULL;
            if (o && is_effective(o))
                n = read_effective(o, source, path, error);
            else if (o && is_nsg(o))
                n = read_nsg_show(o, source, path, error);
            else
                return fail(error, source, path, "%s", nsg_shape);
            if (!n)
                return FALSE;
            g_ptr_array_add(got, n);
        }
    }
    for (guint i = 0; i < got->len; i++) {
        erdiag_azure_nsg *n = g_ptr_array_index(got, i);
        g_ptr_array_sort(n->rules, rule_cmp);
        if (scope) {
            n->scoped = TRUE;
            n->scope = *scope;
        }
        g_ptr_array_add(x->nsgs, g_ptr_array_steal_index(got, i--));
    }
    return TRUE;
}

gboolean erdiag_azure_nsg_add_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                   GError **error)
{
    return one_line(add_nsg_data(x, data, len, source, NULL, error), error);
}

gboolean erdiag_azure_nsg_add_file(erdiag_azure_exports *x, const char *nsg_spec, GError **error)
{
    /* "10.1.0.4=nsg.json": a scope when what precedes '=' is an address or prefix */
    const char *file = nsg_spec;
    erdiag_prefix scope;
    gboolean scoped = FALSE;
    const char *eq = strchr(nsg_spec, '=');
    if (eq && eq > nsg_spec) {
        g_autofree char *head = g_strndup(nsg_spec, eq - nsg_spec);
        if (parse_prefix_loose(head, &scope)) {
            scoped = TRUE;
            file = eq + 1;
        }
    }
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!azure_json_read_file(file, &data, &len, error))
        return FALSE;
    return one_line(add_nsg_data(x, data, len, file, scoped ? &scope : NULL, error), error);
}

/* --- effective routes ------------------------------------------------------ */

static const char *const k_prefix[] = {"addressPrefix", "addressPrefixes", NULL};
static const char *const k_nh_type[] = {"nextHopType", NULL};

static gboolean add_routes_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                GError **error)
{
    static const char *const k_nh_ip[] = {"nextHopIpAddress", NULL};
    static const char *const k_source[] = {"source", NULL};
    static const char *const k_state[] = {"state", NULL};
    static const char *const k_disable[] = {"disableBgpRoutePropagation", NULL};
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root = azure_json_parse(data, len, source, parser, error);
    if (!root)
        return FALSE;
    JsonArray *rows = rows_of(root);
    const char *base = JSON_NODE_HOLDS_ARRAY(root) ? "" : "value";
    if (!rows)
        return fail(error, source, "value", "expected the JSON of 'az network nic show-effective-route-table' "
                    "(value[] with addressPrefix, nextHopType)");
    erdiag_azure_route_table *t = g_new0(erdiag_azure_route_table, 1);
    t->source = g_strdup(source);
    t->routes = g_ptr_array_new_with_free_func(route_free);
    for (guint i = 0; i < json_array_get_length(rows); i++) {
        g_autofree char *path = g_strdup_printf("%s[%u]", base, i);
        JsonNode *el = json_array_get_element(rows, i);
        JsonObject *o = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
        gboolean bad = FALSE;
        g_autoptr(GPtrArray) prefixes = o ? string_list(prop(o, k_prefix, NULL), &bad) : NULL;
        g_autofree char *type = o ? azure_json_scalar_text(prop(o, k_nh_type, NULL)) : NULL;
        if (!o || !prefixes || !type) {
            route_table_free(t);
            return fail(error, source, path, "%s: expected a route of 'az network nic show-effective-route-table' "
                        "(addressPrefix, nextHopType)", !o ? "not an object" : !prefixes ? "addressPrefix" : "nextHopType");
        }
        erdiag_azure_route *r = g_new0(erdiag_azure_route, 1);
        g_ptr_array_add(t->routes, r);
        r->prefixes = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
        for (guint k = 0; k < prefixes->len; k++) {
            erdiag_prefix p;
            const char *text = g_ptr_array_index(prefixes, k);
            if (!parse_prefix_loose(text, &p)) {
                route_table_free(t);
                return fail(error, source, path, "addressPrefix = %s: expected a prefix such as 10.1.0.0/16", text);
            }
            g_array_append_val(r->prefixes, p);
        }
        r->name = azure_json_scalar_text(prop(o, k_name, NULL));
        r->next_hop_type = g_steal_pointer(&type);
        r->origin = azure_json_scalar_text(prop(o, k_source, NULL));
        g_autofree char *state = azure_json_scalar_text(prop(o, k_state, NULL));
        if (state && g_ascii_strcasecmp(state, "Active") != 0 && g_ascii_strcasecmp(state, "Invalid") != 0) {
            route_table_free(t);
            return fail(error, source, path, "state = %s: expected Active or Invalid", state);
        }
        r->active = !state || g_ascii_strcasecmp(state, "Active") == 0;
        g_autoptr(GPtrArray) ips = string_list(prop(o, k_nh_ip, NULL), &bad);
        if (bad) {
            route_table_free(t);
            return fail(error, source, path, "nextHopIpAddress: expected a list of addresses");
        }
        GString *j = g_string_new(NULL);
        for (guint k = 0; ips && k < ips->len; k++)
            g_string_append_printf(j, "%s%s", k ? ", " : "", (char *)g_ptr_array_index(ips, k));
        r->next_hop_ip = g_string_free(j, FALSE);
        g_autofree char *dis = azure_json_scalar_text(prop(o, k_disable, NULL));
        if (dis && g_ascii_strcasecmp(dis, "true") == 0)
            t->propagation_disabled = TRUE;
    }
    g_ptr_array_add(x->route_tables, t);
    return TRUE;
}

gboolean erdiag_azure_routes_add_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                      GError **error)
{
    return one_line(add_routes_data(x, data, len, source, error), error);
}

gboolean erdiag_azure_routes_add_file(erdiag_azure_exports *x, const char *path, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!azure_json_read_file(path, &data, &len, error))
        return FALSE;
    return erdiag_azure_routes_add_data(x, data, len, path, error);
}

/* --- peering and circuit state --------------------------------------------- */

static const char *const k_provider_state[] = {"serviceProviderProvisioningState", NULL};
static const char *const k_peerings[] = {"peerings", NULL};
static const char *const k_state_key[] = {"state", NULL};
static const char *const k_type[] = {"peeringType", NULL};

/* "er-x" from ".../expressRouteCircuits/er-x[/...]". */
static char *circuit_of(const char *id)
{
    const char *p = id ? strstr(id, "/expressRouteCircuits/") : NULL;
    if (!p)
        return NULL;
    p += strlen("/expressRouteCircuits/");
    const char *end = strchr(p, '/');
    return end ? g_strndup(p, end - p) : g_strdup(p);
}

static gboolean is_type(JsonObject *o, const char *want)
{
    g_autofree char *t = azure_json_scalar_text(prop(o, k_type, NULL));
    g_autofree char *n = azure_json_text(o, k_name, NULL);
    return (t && g_ascii_strcasecmp(t, want) == 0) || (!t && n && g_ascii_strcasecmp(n, want) == 0);
}

static gboolean is_private(JsonObject *o)
{
    return is_type(o, "AzurePrivatePeering");
}

/* Microsoft peering's route filter as the export shows it: 1 attached, 0
 * the key is there and null (none attached), -1 not in the export. */
static int route_filter_state(JsonObject *o)
{
    static const char *const k_route_filter[] = {"routeFilter", NULL};
    JsonNode *n = azure_json_member(o, k_route_filter, NULL);
    if (!n)
        n = azure_json_member(azure_json_object(o, k_properties), k_route_filter, NULL);
    return !n ? -1 : JSON_NODE_HOLDS_NULL(n) ? 0 : 1;
}

static void add_peering_state(erdiag_azure_exports *x, JsonObject *o, const char *source, const char *circuit)
{
    g_autofree char *state = azure_json_scalar_text(prop(o, k_state_key, NULL));
    if (!state)
        return;
    erdiag_azure_state *s = g_new0(erdiag_azure_state, 1);
    g_autofree char *id = azure_json_text(o, k_id, NULL);
    g_autofree char *name = azure_json_text(o, k_name, NULL);
    s->source = g_strdup(source);
    s->circuit = circuit ? g_strdup(circuit) : circuit_of(id);
    s->what = g_strdup_printf("peering %s%s%s", name ? name : "AzurePrivatePeering", s->circuit ? " of circuit " : "",
                              s->circuit ? s->circuit : "");
    s->state = g_steal_pointer(&state);
    s->microsoft = is_type(o, "MicrosoftPeering");
    s->route_filter = s->microsoft ? route_filter_state(o) : -1;
    g_ptr_array_add(x->states, s);
}

static gboolean add_state_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                               gboolean want_circuit, GError **error)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root = azure_json_parse(data, len, source, parser, error);
    if (!root)
        return FALSE;
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    g_autofree char *provider = o ? azure_json_scalar_text(prop(o, k_provider_state, NULL)) : NULL;
    if (provider) {
        /* a circuit: its provider state, and its private peering's state */
        g_autofree char *id = azure_json_text(o, k_id, NULL);
        g_autofree char *name = azure_json_text(o, k_name, NULL);
        erdiag_azure_state *s = g_new0(erdiag_azure_state, 1);
        s->source = g_strdup(source);
        s->circuit = name ? g_strdup(name) : circuit_of(id);
        s->what = g_strdup_printf("circuit %s", s->circuit ? s->circuit : "(unnamed)");
        s->provider_state = g_steal_pointer(&provider);
        s->route_filter = -1;
        g_ptr_array_add(x->states, s);
        JsonNode *pn = prop(o, k_peerings, NULL);
        JsonArray *a = pn && JSON_NODE_HOLDS_ARRAY(pn) ? json_node_get_array(pn) : NULL;
        for (guint i = 0; a && i < json_array_get_length(a); i++) {
            JsonNode *el = json_array_get_element(a, i);
            if (JSON_NODE_HOLDS_OBJECT(el) && is_private(json_node_get_object(el)))
                add_peering_state(x, json_node_get_object(el), source, s->circuit);
        }
        return TRUE;
    }
    if (want_circuit)
        return fail(error, source, "serviceProviderProvisioningState",
                    "missing: expected the JSON of 'az network express-route show'");
    /* a peering, or a list of them: the private one's state (the peering's
     * own validation is erdiag_azure_peering_load's) */
    JsonArray *rows = rows_of(root);
    if (!rows && o) {
        JsonNode *pn = prop(o, k_peerings, NULL);
        rows = pn && JSON_NODE_HOLDS_ARRAY(pn) ? json_node_get_array(pn) : NULL;
    }
    if (!rows) {
        if (o)
            add_peering_state(x, o, source, NULL);
        return TRUE;
    }
    /* the peering the configuration was made from: private, else Microsoft (azure_import.c) */
    JsonObject *chosen = NULL;
    for (guint i = 0; i < json_array_get_length(rows); i++) {
        JsonNode *el = json_array_get_element(rows, i);
        JsonObject *po = JSON_NODE_HOLDS_OBJECT(el) ? json_node_get_object(el) : NULL;
        if (po && (is_private(po) || json_array_get_length(rows) == 1)) {
            chosen = po;
            break;
        }
        if (po && !chosen && is_type(po, "MicrosoftPeering"))
            chosen = po;
    }
    if (chosen)
        add_peering_state(x, chosen, source, NULL);
    return TRUE;
}

gboolean erdiag_azure_state_add_data(erdiag_azure_exports *x, const char *data, gsize len, const char *source,
                                     gboolean want_circuit, GError **error)
{
    return one_line(add_state_data(x, data, len, source, want_circuit, error), error);
}

gboolean erdiag_azure_state_add_file(erdiag_azure_exports *x, const char *path, gboolean want_circuit,
                                     GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!azure_json_read_file(path, &data, &len, error))
        return FALSE;
    return erdiag_azure_state_add_data(x, data, len, path, want_circuit, error);
}
