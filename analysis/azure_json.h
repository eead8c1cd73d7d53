/* The JSON reading Azure's exports share (azure_import.c, azure_exports.c):
 * members looked up without regard to case, because az, the REST API and Az
 * PowerShell spell keys differently (peerASN / peerAsn, ipAddress / IpAddress),
 * and one-line errors naming the file. Errors use ERDIAG_AZURE_ERROR. */
#ifndef ERDIAG_AZURE_JSON_H
#define ERDIAG_AZURE_JSON_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member named by any of names (case-insensitive); *found (may be NULL)
 * gets its spelling. NULL when o is NULL or has none of them. */
JsonNode *azure_json_member(JsonObject *o, const char *const *names, const char **found);
JsonObject *azure_json_object(JsonObject *o, const char *const *names);
JsonArray *azure_json_array(JsonObject *o, const char *const *names);
/* A scalar as text (numbers without a fraction print as integers); NULL for
 * null, objects, arrays and absent members. */
char *azure_json_scalar_text(JsonNode *n);
char *azure_json_text(JsonObject *o, const char *const *names, const char **found);
/* The document's root (owned by parser), or NULL with "FILE: not valid JSON: ...". */
JsonNode *azure_json_parse(const char *data, gsize len, const char *source, JsonParser *parser, GError **error);
gboolean azure_json_read_file(const char *path, char **data, gsize *len, GError **error);

G_END_DECLS

#endif
