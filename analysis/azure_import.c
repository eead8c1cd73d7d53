/* Reading Azure's JSON exports (az network express-route ..., the REST API,
 * and Az PowerShell's ConvertTo-Json): the peering becomes INI text loaded by
 * the ordinary config loader, the tables become erdiag_azure_evidence.
 * Keys are matched without regard to case because the three tools spell them
 * differently (peerASN / peerAsn, ipAddress / IpAddress). */
#include <string.h>
#include <json-glib/json-glib.h>
#include "azure_import.h"
#include "azure_json.h"

G_DEFINE_QUARK(erdiag-azure-error-quark, erdiag_azure_error)

/* --- the peering ---------------------------------------------------------- */

static const char *const k_properties[] = {"properties", NULL};
static const char *const k_peering_type[] = {"peeringType", NULL};
static const char *const k_name[] = {"name", NULL};
static const char *const k_id[] = {"id", NULL};
static const char *const k_value[] = {"value", NULL};
static const char *const k_peerings[] = {"peerings", NULL};

/* Values copied into the INI must be plain tokens: a newline or a bracket in
 * a hostile file must not add keys or sections of its own. */
static gboolean ini_safe(const char *v)
{
    if (!v || !*v)
        return FALSE;
    for (const char *p = v; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr(".:/_-", *p))
            return FALSE;
    return TRUE;
}

static const char *peering_type(JsonObject *o)
{
    JsonNode *n = azure_json_member(o, k_peering_type, NULL);
    if (!n)
        n = azure_json_member(azure_json_object(o, k_properties), k_peering_type, NULL);
    return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n)
                                                                                          : NULL;
}

/* The peering types erdiag reads: private, and Microsoft peering. */
static gboolean is_type(JsonObject *o, const char *want)
{
    const char *t = peering_type(o);
    g_autofree char *name = azure_json_text(o, k_name, NULL);
    return (t && g_ascii_strcasecmp(t, want) == 0) || (!t && name && g_ascii_strcasecmp(name, want) == 0);
}

/* Picks AzurePrivatePeering from a list (az ... peering list, the REST list,
 * or a circuit's "peerings"), else MicrosoftPeering. */
static JsonObject *pick_private(JsonArray *a, const char *source, GError **error)
{
    guint n = json_array_get_length(a);
    JsonObject *only = NULL, *microsoft = NULL;
    guint objects = 0;
    for (guint i = 0; i < n; i++) {
        JsonNode *el = json_array_get_element(a, i);
        if (!JSON_NODE_HOLDS_OBJECT(el))
            continue;
        JsonObject *o = json_node_get_object(el);
        objects++;
        only = o;
        if (is_type(o, "AzurePrivatePeering"))
            return o;
        if (!microsoft && is_type(o, "MicrosoftPeering"))
            microsoft = o;
    }
    if (microsoft)
        return microsoft;
    if (objects == 1 && !peering_type(only))
        return only;
    g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: peeringType: no AzurePrivatePeering or MicrosoftPeering among the "
                "%u peerings listed", source, objects);
    return NULL;
}

/* The INI key, the JSON keys that feed it (first is the name used in messages). */
typedef struct {
    const char *ini;
    const char *const json[4];
    gboolean in_v6;               /* inside ipv6PeeringConfig */
} key_map;

static const key_map peering_keys[] = {
    {"vlan", {"vlanId", NULL}, FALSE},
    {"peer-asn", {"peerASN", "peerAsn", NULL}, FALSE},
    {"primary-subnet", {"primaryPeerAddressPrefix", NULL}, FALSE},
    {"secondary-subnet", {"secondaryPeerAddressPrefix", NULL}, FALSE},
    {"primary-subnet-v6", {"primaryPeerAddressPrefix", NULL}, TRUE},
    {"secondary-subnet-v6", {"secondaryPeerAddressPrefix", NULL}, TRUE},
};

static const char *const k_v6[] = {"ipv6PeeringConfig", NULL};

/* "circuit" from ".../expressRouteCircuits/circuit/peerings/AzurePrivatePeering". */
static char *circuit_name(JsonObject *o)
{
    g_autofree char *id = azure_json_text(o, k_id, NULL);
    const char *p = id ? strstr(id, "/expressRouteCircuits/") : NULL;
    if (!p)
        return NULL;
    p += strlen("/expressRouteCircuits/");
    const char *end = strchr(p, '/');
    return end && end > p ? g_strndup(p, end - p) : NULL;
}

static char *section_name(JsonObject *o)
{
    g_autofree char *name = circuit_name(o);
    if (!name)
        name = azure_json_text(o, k_name, NULL);
    if (!name || !*name)
        return g_strdup("AzurePrivatePeering");
    char *s = g_strdup(name);
    for (char *p = s; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("._-", *p))
            *p = '-';
    return s;
}

erdiag_config *erdiag_azure_peering_load_data(const char *data, gsize len, const char *source,
                                              char **ini_out, GError **error)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root = azure_json_parse(data, len, source, parser, error);
    if (!root)
        return NULL;
    JsonObject *peering = NULL;
    if (JSON_NODE_HOLDS_ARRAY(root)) {
        peering = pick_private(json_node_get_array(root), source, error);
    } else if (JSON_NODE_HOLDS_OBJECT(root)) {
        JsonObject *o = json_node_get_object(root);
        JsonArray *list = azure_json_array(o, k_value);
        if (!list)
            list = azure_json_array(o, k_peerings);
        if (!list)
            list = azure_json_array(azure_json_object(o, k_properties), k_peerings);
        if (list)
            peering = pick_private(list, source, error);
        else
            peering = o;
    } else {
        g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: expected the JSON object of 'az network express-route "
                    "peering show' (or the array of 'peering list')", source);
    }
    if (!peering)
        return NULL;
    const char *type = peering_type(peering);
    gboolean microsoft = is_type(peering, "MicrosoftPeering");
    if (type && !microsoft && g_ascii_strcasecmp(type, "AzurePrivatePeering") != 0) {
        g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: peeringType = %s: expected AzurePrivatePeering or "
                    "MicrosoftPeering (Azure public peering is retired)", source, type);
        return NULL;
    }
    /* az flattens "properties"; the REST API keeps it. */
    JsonObject *props = azure_json_object(peering, k_properties);
    if (!props)
        props = peering;
    JsonObject *v6 = azure_json_object(props, k_v6);

    g_autofree char *section = section_name(peering);
    GString *ini = g_string_new(NULL);
    g_string_append_printf(ini, "# rendered from %s\n[peering %s]\n", source, section);
    const char *json_key_of[G_N_ELEMENTS(peering_keys)] = {0};
    for (guint i = 0; i < G_N_ELEMENTS(peering_keys); i++) {
        const key_map *k = &peering_keys[i];
        JsonObject *from = k->in_v6 ? v6 : props;
        const char *found = NULL;
        JsonNode *n = azure_json_member(from, k->json, &found);
        json_key_of[i] = k->json[0];
        if (!n || JSON_NODE_HOLDS_NULL(n))
            continue;
        g_autofree char *v = azure_json_scalar_text(n);
        g_autofree char *key = g_strdup_printf("%s%s", k->in_v6 ? "ipv6PeeringConfig." : "", found);
        if (!ini_safe(v)) {
            g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: %s: expected %s", source, key,
                        g_str_has_prefix(k->ini, "vlan") ? "a VLAN ID" : g_str_has_prefix(k->ini, "peer") ? "an AS number"
                                                                                                         : "a prefix");
            g_string_free(ini, TRUE);
            return NULL;
        }
        g_string_append_printf(ini, "%s = %s\n", k->ini, v);
    }
    if (microsoft)
        g_string_append(ini, "peering-type = microsoft\n");
    else if (type)
        g_string_append(ini, "peering-type = private\n");
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GError) cerr = NULL;
    erdiag_config *cfg = erdiag_config_load_data(ini->str, ini->len, source, &problems, &cerr);
    if (!cfg) {
        /* Say it in the JSON's words: "[peering x] vlan = 5000" -> "vlanId = 5000". */
        erdiag_config_problem *pr = problems && problems->len ? g_ptr_array_index(problems, 0) : NULL;
        const char *ini_key = pr ? strrchr(pr->key, ']') : NULL;
        ini_key = ini_key ? ini_key + 2 : "";
        const char *json_key = NULL;
        gboolean in_v6 = FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(peering_keys); i++)
            if (strcmp(peering_keys[i].ini, ini_key) == 0) {
                json_key = json_key_of[i];
                in_v6 = peering_keys[i].in_v6;
            }
        if (pr && json_key)
            g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: %s%s%s%s: expected %s", source, in_v6 ? "ipv6PeeringConfig." : "",
                        json_key, *pr->value ? " = " : "", pr->value, pr->expected);
        else
            g_propagate_error(error, g_steal_pointer(&cerr));
        g_string_free(ini, TRUE);
        return NULL;
    }
    if (ini_out)
        *ini_out = g_string_free(ini, FALSE);
    else
        g_string_free(ini, TRUE);
    return cfg;
}

erdiag_config *erdiag_azure_peering_load(const char *path, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!azure_json_read_file(path, &data, &len, error))
        return NULL;
    return erdiag_azure_peering_load_data(data, len, path, NULL, error);
}

/* --- the tables ----------------------------------------------------------- */

static void arp_row_free(gpointer p)
{
    erdiag_azure_arp_row *r = p;
    g_free(r->age);
    g_free(r->interface);
    g_free(r->ip_text);
    g_free(r->mac_text);
    g_free(r);
}

static void route_row_free(gpointer p)
{
    erdiag_azure_route_row *r = p;
    g_free(r->network);
    g_free(r->next_hop);
    g_free(r->loc_prf);
    g_free(r->weight);
    g_free(r->path);
    g_free(r);
}

static void summary_row_free(gpointer p)
{
    erdiag_azure_summary_row *r = p;
    g_free(r->neighbor);
    g_free(r->v);
    g_free(r->as);
    g_free(r->up_down);
    g_free(r->state_pfx);
    g_free(r);
}

static void table_free(gpointer p)
{
    erdiag_azure_table *t = p;
    g_free(t->source);
    g_ptr_array_unref(t->rows);
    g_free(t);
}

erdiag_azure_evidence *erdiag_azure_evidence_new(void)
{
    erdiag_azure_evidence *ev = g_new0(erdiag_azure_evidence, 1);
    ev->tables = g_ptr_array_new_with_free_func(table_free);
    return ev;
}

void erdiag_azure_evidence_free(erdiag_azure_evidence *ev)
{
    if (!ev)
        return;
    g_ptr_array_unref(ev->tables);
    g_free(ev);
}

/* "aaaa.bbbb.cccc" (Azure's samples), "aa:bb:cc:dd:ee:ff" or "aa-bb-...". */
static gboolean parse_mac(const char *text, guint8 mac[6])
{
    if (!text)
        return FALSE;
    guint nibbles = 0;
    guint8 out[6] = {0};
    for (const char *p = text; *p; p++) {
        if (g_ascii_isxdigit(*p)) {
            if (nibbles >= 12)
                return FALSE;
            out[nibbles / 2] = (guint8)(out[nibbles / 2] << 4 | g_ascii_xdigit_value(*p));
            nibbles++;
        } else if (!strchr(":-.", *p)) {
            return FALSE;
        }
    }
    if (nibbles != 12)
        return FALSE;
    memcpy(mac, out, 6);
    return TRUE;
}

/* A bare address, or one with a trailing '*' (seen on NextHop in Azure's samples). */
static gboolean parse_addr_loose(const char *text, erdiag_addr *out)
{
    if (!text)
        return FALSE;
    g_autofree char *t = g_strstrip(g_strdup(text));
    gsize n = strlen(t);
    while (n && t[n - 1] == '*')
        t[--n] = '\0';
    return n && erdiag_addr_parse(t, out);
}

static const char *const k_ip[] = {"ipAddress", NULL};
static const char *const k_network[] = {"network", NULL};
static const char *const k_neighbor[] = {"neighbor", NULL};

static gpointer read_arp_row(JsonObject *o)
{
    static const char *const k_age[] = {"age", NULL};
    static const char *const k_iface[] = {"interface", "interfaceProperty", NULL};
    static const char *const k_mac[] = {"macAddress", NULL};
    erdiag_azure_arp_row *r = g_new0(erdiag_azure_arp_row, 1);
    r->age = azure_json_text(o, k_age, NULL);
    r->interface = azure_json_text(o, k_iface, NULL);
    r->ip_text = azure_json_text(o, k_ip, NULL);
    r->mac_text = azure_json_text(o, k_mac, NULL);
    r->ip_ok = parse_addr_loose(r->ip_text, &r->ip);
    r->mac_ok = parse_mac(r->mac_text, r->mac);
    return r;
}

static gpointer read_route_row(JsonObject *o)
{
    static const char *const k_nh[] = {"nextHop", NULL};
    static const char *const k_lp[] = {"locPrf", NULL};
    static const char *const k_w[] = {"weight", NULL};
    static const char *const k_path[] = {"path", NULL};
    erdiag_azure_route_row *r = g_new0(erdiag_azure_route_row, 1);
    r->network = azure_json_text(o, k_network, NULL);
    r->next_hop = azure_json_text(o, k_nh, NULL);
    r->loc_prf = azure_json_text(o, k_lp, NULL);
    r->weight = azure_json_text(o, k_w, NULL);
    r->path = azure_json_text(o, k_path, NULL);
    gboolean host_bits = FALSE;
    g_autofree char *net = r->network ? g_strstrip(g_strdup(r->network)) : NULL;
    r->prefix_ok = net && erdiag_prefix_parse(net, &r->prefix, &host_bits);
    r->nh_ok = parse_addr_loose(r->next_hop, &r->nh);
    return r;
}

static gpointer read_summary_row(JsonObject *o)
{
    static const char *const k_v[] = {"v", NULL};
    static const char *const k_as[] = {"as", "asProperty", NULL};
    static const char *const k_ud[] = {"upDown", NULL};
    static const char *const k_sp[] = {"statePfxRcd", "stateOrPrefixesReceived", NULL};
    erdiag_azure_summary_row *r = g_new0(erdiag_azure_summary_row, 1);
    r->neighbor = azure_json_text(o, k_neighbor, NULL);
    r->v = azure_json_text(o, k_v, NULL);
    r->as = azure_json_text(o, k_as, NULL);
    r->up_down = azure_json_text(o, k_ud, NULL);
    r->state_pfx = azure_json_text(o, k_sp, NULL);
    r->nb_ok = parse_addr_loose(r->neighbor, &r->nb);
    return r;
}

static erdiag_azure_path path_from_text(const char *t)
{
    if (!t)
        return ERDIAG_AZURE_PATH_UNKNOWN;
    g_autofree char *low = g_ascii_strdown(t, -1);
    gboolean p = strstr(low, "primary") != NULL, s = strstr(low, "secondary") != NULL;
    return p && !s ? ERDIAG_AZURE_PATH_PRIMARY : s && !p ? ERDIAG_AZURE_PATH_SECONDARY : ERDIAG_AZURE_PATH_UNKNOWN;
}

static const char *const kind_words[] = {
    "an ARP table ('az network express-route list-arp-tables')",
    "a route table ('az network express-route list-route-tables' or 'list-route-tables-summary')",
};

static int row_kind(JsonNode *n)
{
    JsonObject *o = n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    return azure_json_member(o, k_ip, NULL) ? ERDIAG_AZURE_TABLE_ARP
         : azure_json_member(o, k_network, NULL) ? ERDIAG_AZURE_TABLE_ROUTES
         : azure_json_member(o, k_neighbor, NULL) ? ERDIAG_AZURE_TABLE_SUMMARY : -1;
}

gboolean erdiag_azure_evidence_add_data(erdiag_azure_evidence *ev, erdiag_azure_table_kind kind,
                                        erdiag_azure_path path, const char *data, gsize len,
                                        const char *source, GError **error)
{
    static const char *const k_path_hint[] = {"path", "devicePath", NULL};
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root = azure_json_parse(data, len, source, parser, error);
    if (!root)
        return FALSE;
    const char *want = kind_words[kind == ERDIAG_AZURE_TABLE_ARP ? 0 : 1];
    /* The rows: a bare array, {"value": [...]}, or one row on its own. */
    g_autoptr(GPtrArray) rows = g_ptr_array_new();
    if (JSON_NODE_HOLDS_ARRAY(root)) {
        JsonArray *a = json_node_get_array(root);
        for (guint i = 0; i < json_array_get_length(a); i++)
            g_ptr_array_add(rows, json_array_get_element(a, i));
    } else if (JSON_NODE_HOLDS_OBJECT(root)) {
        JsonObject *o = json_node_get_object(root);
        JsonArray *a = azure_json_array(o, k_value);
        if (path == ERDIAG_AZURE_PATH_UNKNOWN) {
            g_autofree char *hint = azure_json_text(o, k_path_hint, NULL);
            path = path_from_text(hint);
        }
        if (a) {
            for (guint i = 0; i < json_array_get_length(a); i++)
                g_ptr_array_add(rows, json_array_get_element(a, i));
        } else if (row_kind(root) >= 0) {
            g_ptr_array_add(rows, root);
        } else {
            root = NULL;
        }
    } else {
        root = NULL;
    }
    if (!root) {
        g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: value: expected %s: an array, or an object with \"value\"",
                    source, want);
        return FALSE;
    }
    /* The first row decides which table this is; every row must agree. An
     * empty table is what the option says (Azure shows no entry at all). */
    int k = rows->len ? row_kind(g_ptr_array_index(rows, 0)) : (int)kind;
    if (k < 0 || (k == ERDIAG_AZURE_TABLE_ARP) != (kind == ERDIAG_AZURE_TABLE_ARP)) {
        g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: value[0]: %s: expected %s", source,
                    k < 0 ? "no ipAddress, network or neighbor key" : "a table of another kind", want);
        return FALSE;
    }
    static const char *const key_words[] = {"ipAddress", "network", "neighbor"};
    erdiag_azure_table *t = g_new0(erdiag_azure_table, 1);
    t->kind = (erdiag_azure_table_kind)k;
    t->path = path;
    t->source = g_strdup(source);
    t->rows = g_ptr_array_new_with_free_func(k == ERDIAG_AZURE_TABLE_ARP ? arp_row_free
                                             : k == ERDIAG_AZURE_TABLE_ROUTES ? route_row_free : summary_row_free);
    for (guint i = 0; i < rows->len; i++) {
        JsonNode *el = g_ptr_array_index(rows, i);
        if (row_kind(el) != k) {
            g_set_error(error, ERDIAG_AZURE_ERROR, 2, "%s: value[%u]: %s: expected a row like value[0] (with %s)",
                        source, i, JSON_NODE_HOLDS_OBJECT(el) ? "a different row" : "not an object", key_words[k]);
            table_free(t);
            return FALSE;
        }
        JsonObject *o = json_node_get_object(el);
        g_ptr_array_add(t->rows, k == ERDIAG_AZURE_TABLE_ARP ? read_arp_row(o)
                                 : k == ERDIAG_AZURE_TABLE_ROUTES ? read_route_row(o) : read_summary_row(o));
    }
    g_ptr_array_add(ev->tables, t);
    return TRUE;
}

/* One "[primary=|secondary=]FILE" item of an option's comma-separated list. */
static gboolean add_spec_item(erdiag_azure_evidence *ev, erdiag_azure_table_kind kind, const char *item, GError **error)
{
    erdiag_azure_path path = ERDIAG_AZURE_PATH_UNKNOWN;
    const char *file = item;
    if (g_ascii_strncasecmp(item, "primary=", 8) == 0) {
        path = ERDIAG_AZURE_PATH_PRIMARY;
        file = item + 8;
    } else if (g_ascii_strncasecmp(item, "secondary=", 10) == 0) {
        path = ERDIAG_AZURE_PATH_SECONDARY;
        file = item + 10;
    } else {
        g_autofree char *base = g_path_get_basename(item);
        path = path_from_text(base);
    }
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!azure_json_read_file(file, &data, &len, error))
        return FALSE;
    return erdiag_azure_evidence_add_data(ev, kind, path, data, len, file, error);
}

static gboolean add_spec(erdiag_azure_evidence *ev, erdiag_azure_table_kind kind, const char *spec, GError **error)
{
    if (!spec)
        return TRUE;
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    for (char **it = items; *it; it++) {
        g_strstrip(*it);
        if (**it && !add_spec_item(ev, kind, *it, error))
            return FALSE;
    }
    return TRUE;
}

erdiag_azure_evidence *erdiag_azure_evidence_load(const char *arp_spec, const char *routes_spec, GError **error)
{
    g_autoptr(erdiag_azure_evidence) ev = erdiag_azure_evidence_new();
    if (!add_spec(ev, ERDIAG_AZURE_TABLE_ARP, arp_spec, error)
        || !add_spec(ev, ERDIAG_AZURE_TABLE_ROUTES, routes_spec, error))
        return NULL;
    return g_steal_pointer(&ev);
}
