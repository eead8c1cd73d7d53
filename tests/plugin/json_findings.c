/* Prints the findings of an erdiag JSON report, one "id<TAB>peering<TAB>link
 * <TAB>severity" line each, in report order: what the plugin tests compare
 * between `erdiag --format json` and `tshark -z expressroute,report,json`.
 * With --frames, "id<TAB>message<TAB>frame_count" instead: how many packets
 * Wireshark must mark with each finding.
 *
 * usage: erdiag_json_findings [--frames] REPORT.json   (exit 2 when it is not a report) */
#include <stdio.h>
#include <json-glib/json-glib.h>

static const char *member_or_dash(JsonObject *o, const char *name)
{
    if (!json_object_has_member(o, name))
        return "-";
    JsonNode *n = json_object_get_member(o, name);
    if (JSON_NODE_HOLDS_NULL(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return "-";
    return json_node_get_string(n);
}

int main(int argc, char **argv)
{
    gboolean frames = argc == 3 && g_strcmp0(argv[1], "--frames") == 0;
    if (argc != 2 && !frames) {
        fprintf(stderr, "usage: %s [--frames] REPORT.json\n", argv[0]);
        return 2;
    }
    if (frames)
        argv++;
    JsonParser *parser = json_parser_new();
    GError *err = NULL;
    if (!json_parser_load_from_file(parser, argv[1], &err)) {
        fprintf(stderr, "%s: %s\n", argv[1], err->message);
        g_error_free(err);
        g_object_unref(parser);
        return 2;
    }
    JsonNode *root = json_parser_get_root(parser);
    JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
    JsonNode *fnode = obj && json_object_has_member(obj, "findings")
                          ? json_object_get_member(obj, "findings") : NULL;
    if (!fnode || !JSON_NODE_HOLDS_ARRAY(fnode)) {
        fprintf(stderr, "%s: no findings[] array\n", argv[1]);
        g_object_unref(parser);
        return 2;
    }
    JsonArray *findings = json_node_get_array(fnode);
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonNode *f = json_array_get_element(findings, i);
        if (!JSON_NODE_HOLDS_OBJECT(f))
            continue;
        JsonObject *fo = json_node_get_object(f);
        if (frames)
            printf("%s\t%s\t%" G_GINT64_FORMAT "\n", member_or_dash(fo, "id"), member_or_dash(fo, "message"),
                   json_object_has_member(fo, "frame_count") ? json_object_get_int_member(fo, "frame_count") : 0);
        else
            printf("%s\t%s\t%s\t%s\n", member_or_dash(fo, "id"), member_or_dash(fo, "peering"),
                   member_or_dash(fo, "link"), member_or_dash(fo, "severity"));
    }
    g_object_unref(parser);
    return 0;
}
