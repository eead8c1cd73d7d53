/* Preferences, and the erdiag_config they describe.
 *
 * The inline keys are rendered into the same INI text a user would write
 * (docs/config.md) and parsed by erdiag_config_load_data(), so the plugin
 * validates exactly as the CLI does and reports the same problems. A config
 * file, when set, wins over the inline keys. */
#include "expressroute.h"

#include <string.h>

er_pref_bool er_pref_enabled = TRUE;
static const char *pref_config_file = "";
static const char *pref_name = "";

/* One inline preference: its Wireshark name (underscores) and INI key. */
typedef struct {
    const char *pref;
    const char *ini_key;
    const char *title;
    const char *description;
    const char *value; /* epan replaces it with its own copy */
} inline_key;

static inline_key inline_keys[] = {
    { "vlan", "vlan", "VLAN ID (C-tag)",
      "The peering's VLAN ID, 1-4094 (the inner C-tag with QinQ)", "" },
    { "outer_vlan", "outer-vlan", "Outer VLAN ID (S-tag)",
      "The provider's outer tag for QinQ, 1-4094; empty when single-tagged", "" },
    { "primary_outer_vlan", "primary-outer-vlan", "Primary link's outer VLAN ID (S-tag)",
      "When the two links carry different S-tags: the primary's, 1-4094", "" },
    { "secondary_outer_vlan", "secondary-outer-vlan", "Secondary link's outer VLAN ID (S-tag)",
      "When the two links carry different S-tags: the secondary's, 1-4094", "" },
    { "peer_asn", "peer-asn", "Peer ASN",
      "The customer or provider router's AS number (e.g. 65010)", "" },
    { "primary_subnet", "primary-subnet", "Primary subnet (IPv4 /30)",
      "e.g. 192.168.15.16/30", "" },
    { "secondary_subnet", "secondary-subnet", "Secondary subnet (IPv4 /30)",
      "e.g. 192.168.15.20/30", "" },
    { "primary_subnet_v6", "primary-subnet-v6", "Primary subnet (IPv6 /126)",
      "e.g. fd00:15::/126", "" },
    { "secondary_subnet_v6", "secondary-subnet-v6", "Secondary subnet (IPv6 /126)",
      "e.g. fd00:15::4/126", "" },
    { "sku", "sku", "SKU", "local, standard or premium (sets the prefix limits)", "" },
    { "vnet_prefixes", "vnet-prefixes", "VNet prefixes",
      "VNet address spaces linked to the circuit, comma separated", "" },
    { "expected_onprem_prefixes", "expected-onprem-prefixes", "Expected on-prem prefixes",
      "Prefixes the on-prem router is meant to advertise, comma separated", "" },
    { "onprem_sources", "onprem-sources", "On-prem source addresses",
      "Hosts that must reach Azure, comma separated", "" },
    { "gateway_subnet", "gateway-subnet", "GatewaySubnet",
      "Optional: the VNet's GatewaySubnet, checked against Azure's size advice", "" },
    { "provider", "provider", "Provider type",
      "l2 (default: your router peers with the MSEE) or l3 (a layer-3 provider's PE does)", "" },
    { "provider_asn", "provider-asn", "Layer-3 provider's ASN",
      "With provider l3: the PE's AS number (e.g. 65100)", "" },
    { "peering_type", "peering-type", "Peering type",
      "private (default) or microsoft (Microsoft peering)", "" },
};

void er_prefs_register(module_t *module)
{
    prefs_register_bool_preference(module, "enabled", "Analyse ExpressRoute peerings",
        "Map frames onto ExpressRoute private peerings and report problems found",
        &er_pref_enabled);
    prefs_register_filename_preference(module, "config_file", "Peering configuration file",
        "An erdiag INI file ([peering NAME] sections). When set, the inline keys below are ignored",
        &pref_config_file, FALSE);
    prefs_register_string_preference(module, "name", "Peering name",
        "Name of the peering the inline keys describe (default: peering)", &pref_name);
    for (gsize i = 0; i < G_N_ELEMENTS(inline_keys); i++)
        prefs_register_string_preference(module, inline_keys[i].pref, inline_keys[i].title,
                                          inline_keys[i].description, &inline_keys[i].value);
}

/* A value must stay on its own line; a name also sits inside "[...]". */
static gboolean ini_safe(const char *v)
{
    return strpbrk(v, "\r\n") == NULL;
}

static gboolean name_safe(const char *v)
{
    return strpbrk(v, "\r\n[]") == NULL;
}

char *er_prefs_inline_ini(void)
{
    GString *ini = g_string_new(NULL);
    gboolean any = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(inline_keys); i++) {
        const char *v = inline_keys[i].value;
        if (!v || !*v)
            continue;
        g_autofree char *trimmed = g_strstrip(g_strdup(v));
        if (!*trimmed)
            continue;
        if (!any) {
            const char *name = (pref_name && *pref_name && name_safe(pref_name)) ? pref_name : NULL;
            g_autofree char *n = name ? g_strstrip(g_strdup(name)) : NULL;
            if (n && *n)
                g_string_append_printf(ini, "[peering %s]\n", n);
            else
                g_string_append(ini, "[peering]\n");
            any = TRUE;
        }
        /* An unsafe value is passed on as a visibly invalid one so the
         * loader names the key rather than us silently dropping it. */
        g_string_append_printf(ini, "%s = %s\n", inline_keys[i].ini_key,
                               ini_safe(trimmed) ? trimmed : "(invalid characters)");
    }
    return g_string_free(ini, FALSE);
}

/* "<source>: [peering x] vlan = 5000: expected ..." lines for every problem. */
static char *describe_problems(const GError *err, GPtrArray *problems)
{
    GString *s = g_string_new(err ? err->message : "invalid configuration");
    if (problems) {
        for (guint i = 0; i < problems->len; i++) {
            const erdiag_config_problem *p = g_ptr_array_index(problems, i);
            /* The GError already names the first problem. */
            if (i == 0 && err)
                continue;
            gboolean has_value = p->value && *p->value;
            g_string_append_printf(s, "; %s%s%s: expected %s", p->key ? p->key : "",
                                   has_value ? " = " : "", has_value ? p->value : "",
                                   p->expected ? p->expected : "");
        }
    }
    return g_string_free(s, FALSE);
}

erdiag_config *er_prefs_build_config(char **error)
{
    *error = NULL;
    GPtrArray *problems = NULL;
    GError *err = NULL;
    erdiag_config *cfg = NULL;

    if (pref_config_file && *pref_config_file) {
        cfg = erdiag_config_load_file(pref_config_file, &problems, &err);
    } else {
        g_autofree char *ini = er_prefs_inline_ini();
        if (!*ini)
            return NULL; /* nothing configured: zero-config inference */
        cfg = erdiag_config_load_data(ini, strlen(ini), "expressroute preferences", &problems, &err);
    }
    if (!cfg)
        *error = describe_problems(err, problems);
    if (problems)
        g_ptr_array_unref(problems);
    g_clear_error(&err);
    return cfg;
}
