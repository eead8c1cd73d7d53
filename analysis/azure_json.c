/* JSON helpers for Azure's exports (azure_json.h). */
#include <string.h>
#include "azure_import.h"
#include "azure_json.h"

/* The member named by any of names (case-insensitive); *found gets its spelling. */
JsonNode *azure_json_member(JsonObject *o, const char *const *names, const char **found)
{
    if (!o)
        return NULL;
    g_autoptr(GList) keys = json_object_get_members(o);
    for (const char *const *n = names; *n; n++)
        for (GList *k = keys; k; k = k->next)
            if (g_ascii_strcasecmp(k->data, *n) == 0) {
                if (found)
                    *found = k->data;
                return json_object_get_member(o, k->data);
            }
    return NULL;
}

JsonObject *azure_json_object(JsonObject *o, const char *const *names)
{
    JsonNode *n = azure_json_member(o, names, NULL);
    return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

JsonArray *azure_json_array(JsonObject *o, const char *const *names)
{
    JsonNode *n = azure_json_member(o, names, NULL);
    return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

/* A scalar as text (numbers without a fraction print as integers); NULL for
 * null, objects, arrays and absent members. */
char *azure_json_scalar_text(JsonNode *n)
{
    if (!n || !JSON_NODE_HOLDS_VALUE(n))
        return NULL;
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_STRING)
        return g_strdup(json_node_get_string(n));
    if (t == G_TYPE_INT64)
        return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
    if (t == G_TYPE_DOUBLE) {
        double d = json_node_get_double(n);
        if (d == (double)(gint64)d)
            return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)d);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup(g_ascii_dtostr(buf, sizeof buf, d));
    }
    if (t == G_TYPE_BOOLEAN)
        return g_strdup(json_node_get_boolean(n) ? "true" : "false");
    return NULL;
}

char *azure_json_text(JsonObject *o, const char *const *names, const char **found)
{
    return azure_json_scalar_text(azure_json_member(o, names, found));
}

JsonNode *azure_json_parse(const char *data, gsize len, const char *source, JsonParser *parser, GError **error)
{
    g_autoptr(GError) jerr = NULL;
    if (len > G_MAXSSIZE || !json_parser_load_from_data(parser, data, (gssize)len, &jerr)) {
        g_set_error(error, ERDIAG_AZURE_ERROR, 1, "%s: not valid JSON: %s", source,
                    jerr ? jerr->message : "too large");
        return NULL;
    }
    JsonNode *root = json_parser_get_root(parser);
    if (!root) {
        g_set_error(error, ERDIAG_AZURE_ERROR, 1, "%s: empty JSON document", source);
        return NULL;
    }
    return root;
}

gboolean azure_json_read_file(const char *path, char **data, gsize *len, GError **error)
{
    g_autoptr(GError) ferr = NULL;
    if (!g_file_get_contents(path, data, len, &ferr)) {
        g_set_error(error, ERDIAG_AZURE_ERROR, 1, "%s: cannot read: %s", path, ferr->message);
        return FALSE;
    }
    return TRUE;
}
