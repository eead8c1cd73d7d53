/* Prints the findings of an erdiag JSON report, one "id<TAB>peering<TAB>link
 * <TAB>severity" line each, in report order: what the plugin tests compare
 * between `erdiag --format json` and `tshark -z expressroute,report,json`.
 * With --frames, "id<TAB>message<TAB>frame_count" instead: how many packets
 * Wireshark must mark with each finding; with --advice, "id<TAB>message<TAB>
 * advice"; with --checklist, "peering P, link L<TAB>verdict..." per link, the
 * verdicts in the report's order (as the plugin's stats tree names links).
 *
 * usage: erdiag_json_findings [--frames|--advice|--checklist] REPORT.json
 * (exit 2 when it is not a report) */
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

static void print_checklist(JsonObject *report)
{
    JsonArray *peerings = json_object_has_member(report, "peerings")
                              ? json_object_get_array_member(report, "peerings") : NULL;
    for (guint p = 0; peerings && p < json_array_get_length(peerings); p++) {
        JsonObject *po = json_array_get_object_element(peerings, p);
        JsonArray *links = po && json_object_has_member(po, "links") ? json_object_get_array_member(po, "links") : NULL;
        for (guint k = 0; links && k < json_array_get_length(links); k++) {
            JsonObject *lo = json_array_get_object_element(links, k);
            if (!lo || !json_object_has_member(lo, "checklist"))
                continue;
            printf("peering %s, link %s", member_or_dash(po, "name"), member_or_dash(lo, "link"));
            JsonObject *cl = json_object_get_object_member(lo, "checklist");
            GList *keys = cl ? json_object_get_members(cl) : NULL;
            for (GList *i = keys; i; i = i->next)
                printf("\t%s", member_or_dash(cl, i->data));
            g_list_free(keys);
            printf("\n");
        }
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc == 3 ? argv[1] : "";
    gboolean frames = g_strcmp0(mode, "--frames") == 0, advice = g_strcmp0(mode, "--advice") == 0;
    gboolean checklist = g_strcmp0(mode, "--checklist") == 0;
    if (argc != 2 && !frames && !advice && !checklist) {
        fprintf(stderr, "usage: %s [--frames|--advice|--checklist] REPORT.json\n", argv[0]);
        return 2;
    }
    if (argc == 3)
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
    if (checklist) {
        print_checklist(obj);
        g_object_unref(parser);
        return 0;
    }
    JsonArray *findings = json_node_get_array(fnode);
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonNode *f = json_array_get_element(findings, i);
        if (!JSON_NODE_HOLDS_OBJECT(f))
            continue;
        JsonObject *fo = json_node_get_object(f);
        if (advice)
            printf("%s\t%s\t%s\n", member_or_dash(fo, "id"), member_or_dash(fo, "message"),
                   member_or_dash(fo, "advice"));
        else if (frames)
            printf("%s\t%s\t%" G_GINT64_FORMAT "\n", member_or_dash(fo, "id"), member_or_dash(fo, "message"),
                   json_object_has_member(fo, "frame_count") ? json_object_get_int_member(fo, "frame_count") : 0);
        else
            printf("%s\t%s\t%s\t%s\n", member_or_dash(fo, "id"), member_or_dash(fo, "peering"),
                   member_or_dash(fo, "link"), member_or_dash(fo, "severity"));
    }
    g_object_unref(parser);
    return 0;
}
