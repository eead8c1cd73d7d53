/* Loading and validating the peering configuration (docs/config.md).
 * GKeyFile does the INI syntax; every value is checked here, and each problem
 * names the file, the section and the key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "erdiag/config.h"

G_DEFINE_QUARK(erdiag-config-error-quark, erdiag_config_error)
#define ERDIAG_CONFIG_ERROR erdiag_config_error_quark()

static const erdiag_thresholds default_thresholds = {
    .arp_timeout_ms = 3000,
    .syn_timeout_ms = 3000,
    .establish_timeout_ms = 60000,
    .flap_threshold = 3,
    .flow_idle_ms = 120000,
    .max_flows = 65536,
};

static void peering_config_free(gpointer p)
{
    erdiag_peering_config *pc = p;
    g_free(pc->name);
    g_array_unref(pc->vnet_prefixes);
    g_array_unref(pc->expected_onprem);
    g_array_unref(pc->onprem_sources);
    g_array_unref(pc->global_reach_prefixes);
    g_array_unref(pc->test_ports);
    g_free(pc);
}

static void problem_free(gpointer p)
{
    erdiag_config_problem *pr = p;
    g_free(pr->key);
    g_free(pr->value);
    g_free(pr->expected);
    g_free(pr);
}

erdiag_config *erdiag_config_new_default(void)
{
    erdiag_config *cfg = g_new0(erdiag_config, 1);
    cfg->peerings = g_ptr_array_new_with_free_func(peering_config_free);
    cfg->thresholds = default_thresholds;
    return cfg;
}

void erdiag_config_free(erdiag_config *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->source);
    g_ptr_array_unref(cfg->peerings);
    g_free(cfg);
}

guint erdiag_sku_ipv4_limit(erdiag_sku sku)
{
    return sku == ERDIAG_SKU_PREMIUM ? 10000 : 4000;
}

guint erdiag_sku_ipv6_limit(erdiag_sku sku)
{
    (void)sku;
    return 100;
}

const char *erdiag_sku_name(erdiag_sku sku)
{
    switch (sku) {
    case ERDIAG_SKU_LOCAL: return "local";
    case ERDIAG_SKU_PREMIUM: return "premium";
    default: return "standard";
    }
}

const char *erdiag_peering_type_name(erdiag_peering_type t)
{
    return t == ERDIAG_PEERING_MICROSOFT ? "microsoft" : "private";
}

/* Collects problems while a section is read. */
typedef struct {
    GPtrArray *problems;
    const char *section;
} checker;

static void problem(checker *c, const char *key, const char *value, const char *expected)
{
    erdiag_config_problem *pr = g_new0(erdiag_config_problem, 1);
    pr->key = g_strdup_printf("[%s] %s", c->section, key);
    pr->value = g_strdup(value ? value : "");
    pr->expected = g_strdup(expected);
    g_ptr_array_add(c->problems, pr);
}

static gboolean parse_uint(const char *text, guint64 max, guint64 *out)
{
    if (!text || !*text || !g_ascii_isdigit(*text))
        return FALSE;
    char *end = NULL;
    errno = 0;
    guint64 v = g_ascii_strtoull(text, &end, 10);
    if (errno || !end || *end || v > max)
        return FALSE;
    *out = v;
    return TRUE;
}

/* Accepts "65010", "AS65010" and asdot "1.10" (RFC 5396). */
static gboolean parse_asn(const char *text, guint32 *out)
{
    guint64 v;
    if (g_ascii_strncasecmp(text, "AS", 2) == 0)
        text += 2;
    const char *dot = strchr(text, '.');
    if (dot) {
        g_autofree char *hi = g_strndup(text, dot - text);
        guint64 lo;
        if (!parse_uint(hi, 65535, &v) || !parse_uint(dot + 1, 65535, &lo))
            return FALSE;
        v = (v << 16) | lo;
    } else if (!parse_uint(text, G_MAXUINT32, &v)) {
        return FALSE;
    }
    if (v == 0)
        return FALSE;
    *out = (guint32)v;
    return TRUE;
}

static char *get_value(GKeyFile *kf, const char *group, const char *key)
{
    char *v = g_key_file_get_value(kf, group, key, NULL);
    if (v)
        g_strstrip(v);
    return v;
}

static void read_vlan(checker *c, GKeyFile *kf, const char *key, gboolean *has, guint16 *out)
{
    g_autofree char *v = get_value(kf, c->section, key);
    guint64 n;
    if (!v)
        return;
    if (!parse_uint(v, 4094, &n) || n < 1) {
        problem(c, key, v, "a VLAN ID from 1 to 4094");
        return;
    }
    *has = TRUE;
    *out = (guint16)n;
}

static void read_subnet(checker *c, GKeyFile *kf, const char *key, int family, guint len,
                        gboolean *has, erdiag_prefix *out)
{
    g_autofree char *v = get_value(kf, c->section, key);
    gboolean host_bits = FALSE;
    erdiag_prefix p;
    if (!v)
        return;
    g_autofree char *want = g_strdup_printf("an IPv%d /%u network address (e.g. %s)", family, len,
                                            family == 4 ? "192.168.15.16/30" : "fd00:15::/126");
    if (!erdiag_prefix_parse(v, &p, &host_bits) || p.addr.family != family || p.len != len) {
        problem(c, key, v, host_bits ? "a network address without host bits" : want);
        return;
    }
    *has = TRUE;
    *out = p;
}

/* Lists take commas or semicolons. */
static char **split_list(const char *v)
{
    char **parts = g_strsplit_set(v, ",;", -1);
    GPtrArray *out = g_ptr_array_new();
    for (char **p = parts; *p; p++) {
        g_strstrip(*p);
        if (**p)
            g_ptr_array_add(out, g_strdup(*p));
    }
    g_strfreev(parts);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static void read_prefix_list(checker *c, GKeyFile *kf, const char *key, GArray *out)
{
    g_autofree char *v = get_value(kf, c->section, key);
    if (!v)
        return;
    g_auto(GStrv) items = split_list(v);
    for (char **it = items; *it; it++) {
        erdiag_prefix p;
        gboolean host_bits = FALSE;
        if (!erdiag_prefix_parse(*it, &p, &host_bits)) {
            problem(c, key, *it, host_bits ? "network addresses without host bits (e.g. 10.1.0.0/16)"
                                           : "a list of prefixes (e.g. 10.1.0.0/16, 10.2.0.0/24)");
            continue;
        }
        g_array_append_val(out, p);
    }
}

static void read_addr_list(checker *c, GKeyFile *kf, const char *key, GArray *out)
{
    g_autofree char *v = get_value(kf, c->section, key);
    if (!v)
        return;
    g_auto(GStrv) items = split_list(v);
    for (char **it = items; *it; it++) {
        erdiag_addr a;
        if (!erdiag_addr_parse(*it, &a)) {
            problem(c, key, *it, "a list of IP addresses (e.g. 10.50.3.4)");
            continue;
        }
        g_array_append_val(out, a);
    }
}

/* "tcp/3389", "udp/500-501", "icmp" (the ports the NSG checks ask about). */
static gboolean parse_port_probe(const char *t, erdiag_port_probe *out)
{
    const char *slash = strchr(t, '/');
    gsize n = slash ? (gsize)(slash - t) : strlen(t);
    if (n == 4 && g_ascii_strncasecmp(t, "icmp", 4) == 0 && !slash) {
        *out = (erdiag_port_probe){1, 0, 0};
        return TRUE;
    }
    guint8 proto = n == 3 && g_ascii_strncasecmp(t, "tcp", 3) == 0 ? 6
                 : n == 3 && g_ascii_strncasecmp(t, "udp", 3) == 0 ? 17 : 0;
    if (!proto || !slash || !g_ascii_isdigit(slash[1]))
        return FALSE;
    char *end = NULL;
    guint64 lo = g_ascii_strtoull(slash + 1, &end, 10), hi = lo;
    if (*end == '-') {
        if (!g_ascii_isdigit(end[1]))
            return FALSE;
        hi = g_ascii_strtoull(end + 1, &end, 10);
    }
    if (*end || lo > hi || hi > 65535)
        return FALSE;
    *out = (erdiag_port_probe){proto, (guint16)lo, (guint16)hi};
    return TRUE;
}

static void read_port_probes(checker *c, GKeyFile *kf, const char *key, GArray *out)
{
    g_autofree char *v = get_value(kf, c->section, key);
    if (!v)
        return;
    g_auto(GStrv) items = split_list(v);
    for (char **it = items; *it; it++) {
        erdiag_port_probe p;
        if (!parse_port_probe(*it, &p)) {
            problem(c, key, *it, "a list of tcp/PORT, udp/PORT (or PORT-PORT) and icmp (e.g. tcp/3389, tcp/22)");
            continue;
        }
        g_array_append_val(out, p);
    }
}

static const char *const peering_keys[] = {
    "vlan", "outer-vlan", "primary-outer-vlan", "secondary-outer-vlan", "peer-asn", "primary-subnet", "secondary-subnet",
    "primary-subnet-v6", "secondary-subnet-v6", "sku", "vnet-prefixes",
    "expected-onprem-prefixes", "onprem-sources", "gateway-subnet", "md5", "test-ports", "fastpath", "global-reach-prefixes",
    "provider", "provider-asn", "peering-type", NULL,
};

static const char *const erdiag_keys[] = {
    "arp-timeout", "syn-timeout", "establish-timeout", "flap-threshold",
    "flow-idle-timeout", "max-flows", NULL,
};

static void check_unknown_keys(checker *c, GKeyFile *kf, const char *const *known)
{
    g_auto(GStrv) keys = g_key_file_get_keys(kf, c->section, NULL, NULL);
    for (char **k = keys; k && *k; k++)
        if (!g_strv_contains(known, *k)) {
            g_autofree char *v = get_value(kf, c->section, *k);
            g_autofree char *exp = g_strjoinv(", ", (char **)known);
            g_autofree char *msg = g_strdup_printf("one of the known keys: %s", exp);
            problem(c, *k, v, msg);
        }
}

/* yes/true/1 or no/false/0 */
static void read_yes_no(checker *c, GKeyFile *kf, const char *key, gboolean *has, gboolean *out)
{
    g_autofree char *v = get_value(kf, c->section, key);
    if (!v)
        return;
    if (!g_ascii_strcasecmp(v, "yes") || !g_ascii_strcasecmp(v, "true") || !strcmp(v, "1"))
        *has = *out = TRUE;
    else if (!g_ascii_strcasecmp(v, "no") || !g_ascii_strcasecmp(v, "false") || !strcmp(v, "0"))
        *has = TRUE;
    else
        problem(c, key, v, "yes or no");
}

/* provider = l2 | l3, provider-asn, peering-type = private | microsoft */
static void read_topology(checker *c, GKeyFile *kf, erdiag_peering_config *pc)
{
    g_autofree char *prov = get_value(kf, c->section, "provider");
    if (prov) {
        if (!g_ascii_strcasecmp(prov, "l2") || !g_ascii_strcasecmp(prov, "layer2"))
            pc->has_provider = TRUE, pc->provider = ERDIAG_PROVIDER_L2;
        else if (!g_ascii_strcasecmp(prov, "l3") || !g_ascii_strcasecmp(prov, "layer3"))
            pc->has_provider = TRUE, pc->provider = ERDIAG_PROVIDER_L3;
        else
            problem(c, "provider", prov, "l2 (your router peers with the MSEE) or l3 (a provider's PE does)");
    }
    g_autofree char *pasn = get_value(kf, c->section, "provider-asn");
    if (pasn) {
        if (!parse_asn(pasn, &pc->provider_asn))
            problem(c, "provider-asn", pasn, "an AS number from 1 to 4294967295 (e.g. 65100)");
        else if (pc->provider_asn == 12076u)
            problem(c, "provider-asn", pasn, "the layer-3 provider's own AS, not Microsoft's 12076");
        else if (pc->has_provider && pc->provider == ERDIAG_PROVIDER_L2)
            problem(c, "provider-asn", pasn, "no provider-asn with provider = l2 (the far side is the MSEE, AS 12076)");
        else
            pc->has_provider_asn = TRUE;
    }
    /* a provider AS says who is on the far side: that is a layer-3 provider */
    if (pc->has_provider_asn && !pc->has_provider)
        pc->has_provider = TRUE, pc->provider = ERDIAG_PROVIDER_L3;
    g_autofree char *type = get_value(kf, c->section, "peering-type");
    if (type) {
        if (!g_ascii_strcasecmp(type, "private") || !g_ascii_strcasecmp(type, "AzurePrivatePeering"))
            pc->has_peering_type = TRUE, pc->peering_type = ERDIAG_PEERING_PRIVATE;
        else if (!g_ascii_strcasecmp(type, "microsoft") || !g_ascii_strcasecmp(type, "MicrosoftPeering"))
            pc->has_peering_type = TRUE, pc->peering_type = ERDIAG_PEERING_MICROSOFT;
        else
            problem(c, "peering-type", type, "private or microsoft");
    }
}

static erdiag_peering_config *read_peering(checker *c, GKeyFile *kf, const char *name)
{
    erdiag_peering_config *pc = g_new0(erdiag_peering_config, 1);
    pc->name = g_strdup(name);
    pc->vnet_prefixes = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
    pc->expected_onprem = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
    pc->onprem_sources = g_array_new(FALSE, FALSE, sizeof(erdiag_addr));
    pc->global_reach_prefixes = g_array_new(FALSE, FALSE, sizeof(erdiag_prefix));
    pc->test_ports = g_array_new(FALSE, FALSE, sizeof(erdiag_port_probe));

    check_unknown_keys(c, kf, peering_keys);
    read_vlan(c, kf, "vlan", &pc->has_vlan, &pc->vlan);
    read_vlan(c, kf, "outer-vlan", &pc->has_outer_vlan, &pc->outer_vlan);
    read_vlan(c, kf, "primary-outer-vlan", &pc->has_primary_outer_vlan, &pc->primary_outer_vlan);
    read_vlan(c, kf, "secondary-outer-vlan", &pc->has_secondary_outer_vlan, &pc->secondary_outer_vlan);
    g_autofree char *asn = get_value(kf, c->section, "peer-asn");
    if (asn) {
        if (parse_asn(asn, &pc->peer_asn))
            pc->has_peer_asn = TRUE;
        else
            problem(c, "peer-asn", asn, "an AS number from 1 to 4294967295 (e.g. 65010)");
    }
    read_subnet(c, kf, "primary-subnet", 4, 30, &pc->has_primary, &pc->primary);
    read_subnet(c, kf, "secondary-subnet", 4, 30, &pc->has_secondary, &pc->secondary);
    read_subnet(c, kf, "primary-subnet-v6", 6, 126, &pc->has_primary_v6, &pc->primary_v6);
    read_subnet(c, kf, "secondary-subnet-v6", 6, 126, &pc->has_secondary_v6, &pc->secondary_v6);
    g_autofree char *sku = get_value(kf, c->section, "sku");
    if (sku) {
        pc->has_sku = TRUE;
        if (g_ascii_strcasecmp(sku, "standard") == 0)
            pc->sku = ERDIAG_SKU_STANDARD;
        else if (g_ascii_strcasecmp(sku, "local") == 0)
            pc->sku = ERDIAG_SKU_LOCAL;
        else if (g_ascii_strcasecmp(sku, "premium") == 0)
            pc->sku = ERDIAG_SKU_PREMIUM;
        else {
            pc->has_sku = FALSE;
            problem(c, "sku", sku, "local, standard or premium");
        }
    }
    read_prefix_list(c, kf, "vnet-prefixes", pc->vnet_prefixes);
    read_prefix_list(c, kf, "expected-onprem-prefixes", pc->expected_onprem);
    read_prefix_list(c, kf, "global-reach-prefixes", pc->global_reach_prefixes);
    read_addr_list(c, kf, "onprem-sources", pc->onprem_sources);
    read_port_probes(c, kf, "test-ports", pc->test_ports);
    g_autofree char *gw = get_value(kf, c->section, "gateway-subnet");
    if (gw) {
        gboolean host_bits = FALSE;
        if (erdiag_prefix_parse(gw, &pc->gateway_subnet, &host_bits))
            pc->has_gateway_subnet = TRUE;
        else
            problem(c, "gateway-subnet", gw, "a prefix such as 10.1.255.0/27");
    }
    read_yes_no(c, kf, "md5", &pc->has_md5, &pc->md5);
    read_yes_no(c, kf, "fastpath", &pc->has_fastpath, &pc->fastpath);
    read_topology(c, kf, pc);
    if (!pc->has_primary && !pc->has_secondary && !pc->has_primary_v6 && !pc->has_secondary_v6
        && !g_key_file_has_key(kf, c->section, "primary-subnet", NULL)
        && !g_key_file_has_key(kf, c->section, "secondary-subnet", NULL))
        problem(c, "primary-subnet", "", "at least one of primary-subnet, secondary-subnet "
                "(or their -v6 forms) for each peering");
    return pc;
}

static void read_thresholds(checker *c, GKeyFile *kf, erdiag_thresholds *t)
{
    static const struct {
        const char *key;
        gsize offset;
        guint64 min, max;
        gboolean seconds; /* value in seconds, stored in ms */
    } fields[] = {
        {"arp-timeout", G_STRUCT_OFFSET(erdiag_thresholds, arp_timeout_ms), 1, 3600, TRUE},
        {"syn-timeout", G_STRUCT_OFFSET(erdiag_thresholds, syn_timeout_ms), 1, 3600, TRUE},
        {"establish-timeout", G_STRUCT_OFFSET(erdiag_thresholds, establish_timeout_ms), 1, 86400, TRUE},
        {"flap-threshold", G_STRUCT_OFFSET(erdiag_thresholds, flap_threshold), 1, 1000000, FALSE},
        {"flow-idle-timeout", G_STRUCT_OFFSET(erdiag_thresholds, flow_idle_ms), 1, 86400, TRUE},
        {"max-flows", G_STRUCT_OFFSET(erdiag_thresholds, max_flows), 16, 10000000, FALSE},
    };
    check_unknown_keys(c, kf, erdiag_keys);
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *v = get_value(kf, c->section, fields[i].key);
        guint64 n;
        if (!v)
            continue;
        if (!parse_uint(v, fields[i].max, &n) || n < fields[i].min) {
            g_autofree char *exp = g_strdup_printf("a whole number from %" G_GUINT64_FORMAT " to %"
                                                   G_GUINT64_FORMAT "%s", fields[i].min, fields[i].max,
                                                   fields[i].seconds ? " (seconds)" : "");
            problem(c, fields[i].key, v, exp);
            continue;
        }
        *(guint *)((char *)t + fields[i].offset) = (guint)(fields[i].seconds ? n * 1000 : n);
    }
}

erdiag_config *erdiag_config_load_data(const char *data, gsize len, const char *source,
                                       GPtrArray **problems_out, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) kerr = NULL;
    GPtrArray *problems = g_ptr_array_new_with_free_func(problem_free);
    erdiag_config *cfg = erdiag_config_new_default();
    cfg->source = g_strdup(source);

    g_key_file_set_list_separator(kf, ';');
    if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &kerr)) {
        g_set_error(error, ERDIAG_CONFIG_ERROR, 1, "%s: not a valid INI file: %s", source, kerr->message);
        g_ptr_array_unref(problems);
        erdiag_config_free(cfg);
        return NULL;
    }
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
    for (char **g = groups; *g; g++) {
        checker c = {problems, *g};
        if (g_strcmp0(*g, "peering") == 0 || g_str_has_prefix(*g, "peering ")) {
            const char *name = (*g)[7] ? *g + 8 : "peering";
            while (*name == ' ')
                name++;
            g_ptr_array_add(cfg->peerings, read_peering(&c, kf, *name ? name : "peering"));
        } else if (g_strcmp0(*g, "erdiag") == 0) {
            read_thresholds(&c, kf, &cfg->thresholds);
        } else {
            problem(&c, "", "", "sections named [peering], [peering NAME] or [erdiag]");
        }
    }
    if (cfg->peerings->len == 0 && problems->len == 0) {
        checker c = {problems, "peering"};
        problem(&c, "", "", "at least one [peering] or [peering NAME] section");
    }
    if (problems->len > 0) {
        erdiag_config_problem *pr = g_ptr_array_index(problems, 0);
        if (pr->value && *pr->value)
            g_set_error(error, ERDIAG_CONFIG_ERROR, 2, "%s: %s = %s: expected %s", source, pr->key,
                        pr->value, pr->expected);
        else
            g_set_error(error, ERDIAG_CONFIG_ERROR, 2, "%s: %s: expected %s", source, pr->key, pr->expected);
        if (problems_out)
            *problems_out = problems;
        else
            g_ptr_array_unref(problems);
        erdiag_config_free(cfg);
        return NULL;
    }
    g_ptr_array_unref(problems);
    if (problems_out)
        *problems_out = NULL;
    return cfg;
}

erdiag_config *erdiag_config_load_file(const char *path, GPtrArray **problems, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) ferr = NULL;
    if (problems)
        *problems = NULL;
    if (!g_file_get_contents(path, &data, &len, &ferr)) {
        g_set_error(error, ERDIAG_CONFIG_ERROR, 1, "%s: cannot read the configuration: %s", path,
                    ferr->message);
        return NULL;
    }
    if (!g_utf8_validate(data, len, NULL) || memchr(data, '\0', len)) {
        g_set_error(error, ERDIAG_CONFIG_ERROR, 1, "%s: not a text (INI) file", path);
        return NULL;
    }
    return erdiag_config_load_data(data, len, path, problems, error);
}
