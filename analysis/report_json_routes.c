/* The JSON report's route tables as text (see report_json_routes.h). */
#include "report_json_routes.h"

#include <string.h>
#include "rib.h"

static void add_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_string_value(b, v);
}

static void add_int(JsonBuilder *b, const char *key, gint64 v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, v);
}

static void add_bool(JsonBuilder *b, const char *key, gboolean v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_boolean_value(b, v);
}

struct report_json_routes {
    char *marker;          /* "erdiag-routes-<random>-", unique to this report */
    GPtrArray *tables;     /* const erdiag_link* per placeholder: [2k] on-prem's table, [2k+1] Microsoft's */
};

report_json_routes *report_json_routes_new(void)
{
    report_json_routes *t = g_new0(report_json_routes, 1);
    t->marker = g_strdup_printf("erdiag-routes-%08x%08x-", g_random_int(), g_random_int());
    t->tables = g_ptr_array_new();
    return t;
}

void report_json_routes_free(report_json_routes *t)
{
    if (t == NULL)
        return;
    g_free(t->marker);
    g_ptr_array_unref(t->tables);
    g_free(t);
}

static void route_object(JsonBuilder *b, const erdiag_link *l, int dir, const erdiag_route *rt)
{
    char p[ERDIAG_PREFIX_STRLEN], nh[ERDIAG_ADDR_STRLEN] = "";
    json_builder_begin_object(b);
    add_str(b, "network", erdiag_prefix_to_string(&rt->prefix, p));
    if (rt->next_hop.family)
        erdiag_addr_to_string(&rt->next_hop, nh);
    add_str(b, "nextHop", nh);
    if (rt->has_local_pref)
        add_int(b, "locPrf", rt->local_pref);
    else
        add_str(b, "locPrf", "");
    add_int(b, "weight", 0);
    add_str(b, "path", rt->as_path ? rt->as_path : "");
    if (rt->path_id)
        add_int(b, "path_id", rt->path_id);
    if (rt->has_med)
        add_int(b, "med", rt->med);
    add_int(b, "first_frame", (gint64)rt->first_frame);
    add_int(b, "last_change_frame", (gint64)rt->change_frame);
    add_int(b, "announcements", rt->announcements);
    add_int(b, "withdrawals", rt->withdrawals);
    if (erdiag_route_is_echo(l, dir, rt))
        add_bool(b, "echo", TRUE); /* on-prem's own route sent back: its loop detection rejects it */
    json_builder_end_object(b);
}

void report_json_routes_member(report_json_routes *t, JsonBuilder *b, const char *key, const erdiag_link *l,
                               int dir)
{
    g_assert((t->tables->len & 1u) == (guint)dir);
    g_autofree char *ph = g_strdup_printf("%s%u", t->marker, t->tables->len);
    g_ptr_array_add(t->tables, (gpointer)l);
    add_str(b, key, ph);
}

/* The table as the pretty generator lays out an array nested `indent`
 * spaces deep. */
static void routes_text(GString *out, const erdiag_link *l, int dir, gsize indent)
{
    GPtrArray *routes = erdiag_rib_routes(l->rib[dir], FALSE);
    if (routes->len == 0) {
        g_string_append(out, "[]");
        g_ptr_array_unref(routes);
        return;
    }
    g_string_append(out, "[\n");
    g_autoptr(JsonGenerator) gen = json_generator_new();
    json_generator_set_pretty(gen, TRUE);
    GString *one = g_string_new(NULL);
    for (guint i = 0; i < routes->len; i++) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        route_object(b, l, dir, g_ptr_array_index(routes, i));
        g_autoptr(JsonNode) node = json_builder_get_root(b);
        json_generator_set_root(gen, node);
        g_string_truncate(one, 0);
        json_generator_to_gstring(gen, one);
        for (const char *line = one->str; *line;) {
            const char *nl = strchr(line, '\n');
            gsize n = nl ? (gsize)(nl - line) : strlen(line);
            for (gsize k = 0; k < indent + 2; k++)
                g_string_append_c(out, ' ');
            g_string_append_len(out, line, (gssize)n);
            if (!nl)
                break;
            g_string_append_c(out, '\n');
            line = nl + 1;
        }
        g_string_append(out, i + 1 < routes->len ? ",\n" : "\n");
    }
    for (gsize k = 0; k < indent; k++)
        g_string_append_c(out, ' ');
    g_string_append_c(out, ']');
    g_string_free(one, TRUE);
    g_ptr_array_unref(routes);
}

void report_json_routes_splice(const report_json_routes *t, const char *text, GString *out)
{
    g_autofree char *quoted = g_strdup_printf("\"%s", t->marker);
    gsize qlen = strlen(quoted);
    const char *at = text;
    /* Room for it all at once, from a generous bound per route (indented
     * members, the longest address, ERDIAG_RIB_PATH_SHOWN): growing by
     * doubling would copy tens of megabytes at the peak. Untouched room
     * costs no memory. */
    gsize routes = 0;
    for (guint i = 0; i < t->tables->len; i++) {
        const erdiag_link *l = g_ptr_array_index(t->tables, i);
        routes += erdiag_rib_count(l->rib[i & 1u], 0);
    }
    gsize len0 = out->len;
    g_string_set_size(out, len0 + strlen(text) + routes * (600 + ERDIAG_RIB_PATH_SHOWN));
    g_string_truncate(out, len0);
    for (const char *hit = strstr(at, quoted); hit; hit = strstr(at, quoted)) {
        char *end = NULL;
        guint64 idx = g_ascii_strtoull(hit + qlen, &end, 10);
        if (end == NULL || *end != '"' || idx >= t->tables->len) {
            g_string_append_len(out, at, hit + qlen - at);
            at = hit + qlen;
            continue;
        }
        const char *line = hit;
        while (line > text && line[-1] != '\n')
            line--;
        gsize indent = 0;
        while (line[indent] == ' ')
            indent++;
        g_string_append_len(out, at, hit - at);
        routes_text(out, g_ptr_array_index(t->tables, idx), (int)(idx & 1u), indent);
        at = end + 1;
    }
    g_string_append(out, at);
}
