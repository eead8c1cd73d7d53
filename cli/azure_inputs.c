/* --azure-peering, --azure-arp, --azure-routes, --azure-nsg,
 * --azure-effective-routes, --azure-circuit: see azure_inputs.h. */
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
    {"peering-type", "peeringType"},
};
enum { FIELD_PEERING_TYPE = 6 };

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
    case FIELD_PEERING_TYPE: return pc->has_peering_type ? g_strdup(erdiag_peering_type_name(pc->peering_type)) : NULL;
    default: return NULL;
    }
}

/* The INI's section the Azure peering completes: the only [peering ...], or
 * the one with Azure's name; a new section otherwise. */
static char *target_group(GKeyFile *kf, const char *azure_name)
{
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
    g_autofree char *named = g_strdup_printf("peering %s", azure_name);
    char *only = NULL;
    guint n = 0;
    for (char **g = groups; *g; g++) {
        if (strcmp(*g, named) == 0) {
            g_free(only);
            return g_strdup(*g);
        }
        if (g_strcmp0(*g, "peering") != 0 && !g_str_has_prefix(*g, "peering "))
            continue;
        n++;
        g_free(only);
        only = g_strdup(*g);
    }
    if (n == 1)
        return only;
    g_free(only);
    return g_steal_pointer(&named);
}

/* "AS65010", "65010" and asdot "0.65010" as one number; prefixes by value. */
static gboolean same_value(guint field, const char *azure, const char *ini)
{
    if (field == FIELD_PEERING_TYPE) {
        /* "microsoft" / "MicrosoftPeering", "private" / "AzurePrivatePeering" */
        gboolean az_ms = g_ascii_strncasecmp(azure, "microsoft", 9) == 0;
        gboolean ini_ms = g_ascii_strncasecmp(ini, "microsoft", 9) == 0;
        return az_ms == ini_ms;
    }
    if (field >= 2) {
        erdiag_prefix a, b;
        gboolean hb = FALSE;
        return erdiag_prefix_parse(azure, &a, &hb) && erdiag_prefix_parse(ini, &b, &hb) && erdiag_prefix_equal(&a, &b);
    }
    if (g_ascii_strncasecmp(ini, "AS", 2) == 0)
        ini += 2;
    guint64 v = 0;
    const char *dot = strchr(ini, '.');
    if (dot)
        v = g_ascii_strtoull(ini, NULL, 10) << 16 | g_ascii_strtoull(dot + 1, NULL, 10);
    else
        v = g_ascii_strtoull(ini, NULL, 10);
    return v == g_ascii_strtoull(azure, NULL, 10);
}

/* The INI file with the Azure peering's values added where it leaves them
 * out, then loaded and validated like any INI. */
static erdiag_config *merge(const char *ini_path, const char *json_path, const erdiag_config *azure_cfg, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_key_file_set_list_separator(kf, ';');
    g_autoptr(GError) kerr = NULL;
    if (!g_key_file_load_from_file(kf, ini_path, G_KEY_FILE_KEEP_COMMENTS, &kerr)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "config.invalid: %s: %s", ini_path, kerr->message);
        return NULL;
    }
    const erdiag_peering_config *az = g_ptr_array_index(azure_cfg->peerings, 0);
    g_autofree char *group = target_group(kf, az->name);
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *a = field_text(az, i);
        g_autofree char *m = g_key_file_get_value(kf, group, fields[i].ini, NULL);
        if (!a)
            continue;
        if (m && !same_value(i, a, g_strstrip(m))) {
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
    g_autoptr(GError) cerr = NULL;
    erdiag_config *cfg = erdiag_config_load_data(data, len, source, NULL, &cerr);
    if (!cfg)
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "config.invalid: %s", cerr->message);
    return cfg;
}

gboolean cli_azure_inputs_load(const cli_options *o, erdiag_config **cfg_inout, erdiag_azure_evidence **out,
                               GError **error)
{
    *out = NULL;
    if (o->azure_peering) {
        erdiag_config *azure_cfg = erdiag_azure_peering_load(o->azure_peering, error);
        if (!azure_cfg)
            return FALSE;
        erdiag_config *cfg = azure_cfg;
        if (o->config_file) {
            cfg = merge(o->config_file, o->azure_peering, azure_cfg, error);
            erdiag_config_free(azure_cfg);
            if (!cfg)
                return FALSE;
        }
        erdiag_config_free(*cfg_inout);
        *cfg_inout = cfg;
    }
    if (o->azure_arp || o->azure_routes) {
        *out = erdiag_azure_evidence_load(o->azure_arp, o->azure_routes, error);
        if (!*out)
            return FALSE;
    }
    return TRUE;
}

gboolean cli_azure_exports_load(const cli_options *o, erdiag_azure_exports **out, GError **error)
{
    *out = NULL;
    gboolean any = (o->azure_nsg && o->azure_nsg[0]) || (o->azure_eroutes && o->azure_eroutes[0]) || o->azure_circuit
                || o->azure_peering;
    if (!any)
        return TRUE;
    g_autoptr(erdiag_azure_exports) x = erdiag_azure_exports_new();
    for (guint i = 0; o->azure_nsg && o->azure_nsg[i]; i++)
        if (!erdiag_azure_nsg_add_file(x, o->azure_nsg[i], error))
            return FALSE;
    for (guint i = 0; o->azure_eroutes && o->azure_eroutes[i]; i++)
        if (!erdiag_azure_routes_add_file(x, o->azure_eroutes[i], error))
            return FALSE;
    /* the peering file was validated as a configuration already; only its state is read here */
    if (o->azure_peering && !erdiag_azure_state_add_file(x, o->azure_peering, FALSE, error))
        return FALSE;
    if (o->azure_circuit && !erdiag_azure_state_add_file(x, o->azure_circuit, TRUE, error))
        return FALSE;
    *out = g_steal_pointer(&x);
    return TRUE;
}
