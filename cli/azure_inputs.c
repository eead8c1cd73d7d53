/* --azure-peering, --azure-arp, --azure-routes: see azure_inputs.h. */
#include <string.h>
#include "azure_inputs.h"

/* One peering value both inputs may carry: its INI key, its JSON key. */
typedef struct {
    const char *ini, *json;
} field_names;

static const field_names fields[] = {
    {"vlan", "vlanId"},
    {"peer-asn", "peerASN"},
    {"primary-subnet", "primaryPeerAddressPrefix"},
    {"secondary-subnet", "secondaryPeerAddressPrefix"},
    {"primary-subnet-v6", "ipv6PeeringConfig.primaryPeerAddressPrefix"},
    {"secondary-subnet-v6", "ipv6PeeringConfig.secondaryPeerAddressPrefix"},
};

/* Field i of a peering as INI text; NULL when the peering leaves it out. */
static char *field_text(const erdiag_peering_config *pc, guint i)
{
    char buf[ERDIAG_PREFIX_STRLEN];
    switch (i) {
    case 0: return pc->has_vlan ? g_strdup_printf("%u", pc->vlan) : NULL;
    case 1: return pc->has_peer_asn ? g_strdup_printf("%u", pc->peer_asn) : NULL;
    case 2: return pc->has_primary ? g_strdup(erdiag_prefix_to_string(&pc->primary, buf)) : NULL;
    case 3: return pc->has_secondary ? g_strdup(erdiag_prefix_to_string(&pc->secondary, buf)) : NULL;
    case 4: return pc->has_primary_v6 ? g_strdup(erdiag_prefix_to_string(&pc->primary_v6, buf)) : NULL;
    case 5: return pc->has_secondary_v6 ? g_strdup(erdiag_prefix_to_string(&pc->secondary_v6, buf)) : NULL;
    default: return NULL;
    }
}

/* The INI's section the Azure peering completes: the only [peering ...], or
 * the one with Azure's name; NULL when the Azure peering is a new one. */
static char *target_group(GKeyFile *kf, const erdiag_config *ini_cfg, const char *azure_name)
{
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
    char *only = NULL;
    guint n = 0;
    for (char **g = groups; *g; g++) {
        if (g_strcmp0(*g, "peering") != 0 && !g_str_has_prefix(*g, "peering "))
            continue;
        n++;
        g_free(only);
        only = g_strdup(*g);
    }
    if (n == 1)
        return only;
    g_free(only);
    for (guint p = 0; p < ini_cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(ini_cfg->peerings, p);
        if (g_strcmp0(pc->name, azure_name) == 0)
            return g_strdup_printf("peering %s", pc->name);
    }
    return NULL;
}

static const erdiag_peering_config *peering_named(const erdiag_config *cfg, const char *group)
{
    const char *name = strcmp(group, "peering") == 0 ? "peering" : group + strlen("peering ");
    while (*name == ' ')
        name++;
    for (guint p = 0; p < cfg->peerings->len; p++) {
        const erdiag_peering_config *pc = g_ptr_array_index(cfg->peerings, p);
        if (g_strcmp0(pc->name, name) == 0)
            return pc;
    }
    return NULL;
}

/* The INI file with the Azure peering's values added, loaded like any INI. */
static erdiag_config *merge(const char *ini_path, const erdiag_config *ini_cfg, const char *json_path,
                            const erdiag_config *azure_cfg, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_key_file_set_list_separator(kf, ';');
    g_autoptr(GError) kerr = NULL;
    if (!g_key_file_load_from_file(kf, ini_path, G_KEY_FILE_KEEP_COMMENTS, &kerr)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", ini_path, kerr->message);
        return NULL;
    }
    const erdiag_peering_config *az = g_ptr_array_index(azure_cfg->peerings, 0);
    g_autofree char *group = target_group(kf, ini_cfg, az->name);
    const erdiag_peering_config *mine = group ? peering_named(ini_cfg, group) : NULL;
    if (!group)
        group = g_strdup_printf("peering %s", az->name);
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *a = field_text(az, i);
        g_autofree char *m = mine ? field_text(mine, i) : NULL;
        if (!a)
            continue;
        if (m && strcmp(a, m) != 0) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                        "%s: %s = %s disagrees with %s: [%s] %s = %s (give one of them, or make them agree)",
                        json_path, fields[i].json, a, ini_path, group, fields[i].ini, m);
            return NULL;
        }
        if (!m)
            g_key_file_set_value(kf, group, fields[i].ini, a);
    }
    gsize len = 0;
    g_autofree char *data = g_key_file_to_data(kf, &len, NULL);
    g_autofree char *source = g_strdup_printf("%s + %s", ini_path, json_path);
    return erdiag_config_load_data(data, len, source, NULL, error);
}

gboolean cli_azure_inputs_load(const cli_options *o, erdiag_config **cfg_inout, erdiag_azure_evidence **out,
                               GError **error)
{
    *out = NULL;
    if (o->azure_peering) {
        erdiag_config *azure_cfg = erdiag_azure_peering_load(o->azure_peering, error);
        if (!azure_cfg)
            return FALSE;
        if (*cfg_inout && o->config_file) {
            erdiag_config *merged = merge(o->config_file, *cfg_inout, o->azure_peering, azure_cfg, error);
            erdiag_config_free(azure_cfg);
            if (!merged)
                return FALSE;
            erdiag_config_free(*cfg_inout);
            *cfg_inout = merged;
        } else {
            erdiag_config_free(*cfg_inout);
            *cfg_inout = azure_cfg;
        }
    }
    if (o->azure_arp || o->azure_routes) {
        *out = erdiag_azure_evidence_load(o->azure_arp, o->azure_routes, error);
        if (!*out)
            return FALSE;
    }
    return TRUE;
}
