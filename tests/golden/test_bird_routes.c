/* Route tables at capture end equal the Microsoft-side BIRD's own view, in
 * both directions. `birdc show route all`, taken on each MSEE right before
 * the capture stopped (captures/<scenario>/birdc-show-route.txt), lists
 *  - the routes learned from the on-prem router: erdiag's "from_onprem"
 *    table of the same link must hold the same networks, next hops and AS
 *    paths;
 *  - the MSEE's own routes, of which it exports to on-prem those of the
 *    protocol its BIRD configuration names (msee-<role>-bird.conf:
 *    `export where proto = "vnet4";`), eBGP-style: next hop its `local`
 *    address of the route's family, AS path its own AS. erdiag's
 *    "from_microsoft" must be that export while the session is up at the
 *    end of the capture, and empty when it is not (a session that died took
 *    its routes with it, as it did on BIRD's side).
 * When the session predates the capture (bgp.routes_partial), erdiag saw
 * only what changed during it: each of its routes must be BIRD's, and at
 * least one from on-prem must be there (the changes the scenario makes). */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include "capture_dirs.h"

/* What one MSEE's BIRD configuration says it exports: the protocols named
 * in `export where proto = "..."` and its `local ADDR as ASN` lines. */
typedef struct {
    GPtrArray *protos;
    GPtrArray *prepends;   /* per protocol: " 65020" for an export filter's bgp_path.prepend(65020), or "" */
    char *local4, *local6;
    char *as;
} msee_export;

static void msee_export_free(msee_export *x)
{
    g_ptr_array_unref(x->protos);
    g_ptr_array_unref(x->prepends);
    g_free(x->local4);
    g_free(x->local6);
    g_free(x->as);
    g_free(x);
}

static msee_export *read_msee_conf(const char *path)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    msee_export *x = g_new0(msee_export, 1);
    x->protos = g_ptr_array_new_with_free_func(g_free);
    x->prepends = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *t = g_strstrip(*l);
        char addr[64], as[16], proto[64];
        if (sscanf(t, "local %63s as %15[0-9];", addr, as) == 2) {
            char **slot = strchr(addr, ':') ? &x->local6 : &x->local4;
            g_free(*slot);
            *slot = g_strdup(addr);
            g_free(x->as);
            x->as = g_strdup(as);
        } else if (sscanf(t, "export where proto = \"%63[^\"]\";", proto) == 1) {
            g_ptr_array_add(x->protos, g_strdup(proto));
            g_ptr_array_add(x->prepends, g_strdup(""));
        } else if (g_str_has_prefix(t, "export filter {")) {
            /* `export filter { if proto = "P" then accept; if proto = "Q" then { bgp_path.prepend(N); accept; }
             * reject; };`: each prepend goes in front of the path, then the session's own AS */
            g_autoptr(GRegex) branch = g_regex_new("if proto = \"([^\"]+)\" then (\\{[^}]*\\}|accept)", 0, 0, NULL);
            g_autoptr(GRegex) prepend = g_regex_new("bgp_path\\.prepend\\(([0-9]+)\\)", 0, 0, NULL);
            g_autoptr(GMatchInfo) m = NULL;
            for (g_regex_match(branch, t, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
                g_autofree char *name = g_match_info_fetch(m, 1), *body = g_match_info_fetch(m, 2);
                GString *path = g_string_new(NULL);
                g_autoptr(GMatchInfo) pm = NULL;
                for (g_regex_match(prepend, body, 0, &pm); g_match_info_matches(pm); g_match_info_next(pm, NULL)) {
                    g_autofree char *as = g_match_info_fetch(pm, 1);
                    g_string_prepend(path, as);
                    g_string_prepend_c(path, ' ');
                }
                g_ptr_array_add(x->protos, g_strdup(name));
                g_ptr_array_add(x->prepends, g_string_free(path, FALSE));
            }
        }
    }
    return x;
}

/* "network|nexthop|path" per link label, from BIRD's output: the BGP routes
 * learned from on-prem, and (key "<label>/export") the routes of the MSEE's
 * exported protocols as on-prem receives them. */
static GHashTable *bird_routes(const char *path, const char *dir)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    GHashTable *links = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    const char *role = NULL;
    gboolean v6 = FALSE, bgp = FALSE;
    g_autofree char *prefix = NULL, *path_attr = NULL, *next_hop = NULL;
    GPtrArray *current = NULL, *exported = NULL;
    msee_export *conf = NULL;
#define FLUSH()                                                                                        \
    do {                                                                                               \
        if (current && prefix && bgp)                                                                  \
            g_ptr_array_add(current, g_strdup_printf("%s|%s|%s", prefix, next_hop ? next_hop : "",     \
                                                     path_attr ? path_attr : ""));                     \
        bgp = FALSE;                                                                                   \
        g_clear_pointer(&path_attr, g_free);                                                           \
        g_clear_pointer(&next_hop, g_free);                                                            \
    } while (0)
    for (char **l = lines; *l; l++) {
        char *line = *l;
        if (g_str_has_prefix(line, "### ")) {
            FLUSH();
            role = strstr(line, "-p:") ? "primary" : strstr(line, "-s:") ? "secondary" : NULL;
            current = exported = NULL;
            g_clear_pointer(&conf, msee_export_free);
            if (role) {
                g_autofree char *name = g_strdup_printf("msee-%s-bird.conf", role);
                g_autofree char *conf_path = g_build_filename(dir, name, NULL);
                conf = read_msee_conf(conf_path);
                if (!conf)
                    g_error("%s: no %s for the export direction", dir, name);
            }
            continue;
        }
        if (g_str_has_prefix(line, "Table ")) {
            FLUSH();
            v6 = strstr(line, "master6") != NULL;
            g_autofree char *label = role ? g_strdup_printf("%s%s", role, v6 ? "-v6" : "") : NULL;
            current = label ? g_hash_table_lookup(links, label) : NULL;
            if (label && !current) {
                current = g_ptr_array_new_with_free_func(g_free);
                g_hash_table_insert(links, g_strdup(label), current);
                exported = g_ptr_array_new_with_free_func(g_free);
                g_hash_table_insert(links, g_strdup_printf("%s/export", label), exported);
            }
            continue;
        }
        if (strstr(line, " [") && (strstr(line, "unicast") || strstr(line, "blackhole") || strstr(line, "unreachable"))) {
            FLUSH();
            if (!g_ascii_isspace(line[0])) {
                g_free(prefix);
                prefix = g_strndup(line, strcspn(line, " \t"));
            }
            /* "10.1.0.0/16  blackhole [vnet4 12:56:25.941] * (200)" */
            const char *proto = strstr(line, " [") + 2;
            g_autofree char *proto_name = g_strndup(proto, strcspn(proto, " ]"));
            guint at;
            if (exported && conf && prefix &&
                g_ptr_array_find_with_equal_func(conf->protos, proto_name, g_str_equal, &at)) {
                const char *self = strchr(prefix, ':') ? conf->local6 : conf->local4;
                g_ptr_array_add(exported, g_strdup_printf("%s|%s|%s%s", prefix, self ? self : "",
                                                          conf->as ? conf->as : "",
                                                          (const char *)g_ptr_array_index(conf->prepends, at)));
            }
            continue;
        }
        char *t = g_strstrip(g_strdup(line));
        if (g_str_has_prefix(t, "Type: BGP"))
            bgp = TRUE;
        else if (g_str_has_prefix(t, "BGP.as_path:")) {
            g_free(path_attr);
            path_attr = g_strdup(g_strstrip(t + strlen("BGP.as_path:")));
        } else if (g_str_has_prefix(t, "BGP.next_hop:")) {
            g_free(next_hop);
            const char *v = t + strlen("BGP.next_hop:");
            while (*v == ' ')
                v++;
            next_hop = g_strndup(v, strcspn(v, " ")); /* the global next hop; a link-local one may follow */
        }
        g_free(t);
    }
    FLUSH();
#undef FLUSH
    g_clear_pointer(&conf, msee_export_free);
    return links;
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *joined(GPtrArray *a)
{
    g_ptr_array_sort(a, cmp_str);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < a->len; i++)
        g_string_append_printf(s, "  %s\n", (char *)g_ptr_array_index(a, i));
    return g_string_free(s, FALSE);
}

/* erdiag's table of one direction against BIRD's ("network|nexthop|path"
 * lines). Partial tables: a subset, non-empty when need_some. */
static void compare_table(const char *dir, const char *label, const char *direction,
                          GPtrArray *w, JsonArray *routes, gboolean partial, gboolean need_some)
{
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func(g_free);
    for (guint r = 0; r < json_array_get_length(routes); r++) {
        JsonObject *rt = json_array_get_object_element(routes, r);
        g_ptr_array_add(got, g_strdup_printf("%s|%s|%s", json_object_get_string_member(rt, "network"),
                                             json_object_get_string_member(rt, "nextHop"),
                                             json_object_get_string_member(rt, "path")));
    }
    g_autofree char *ws = joined(w), *gs = joined(got);
    if (partial) {
        if (need_some && got->len == 0)
            g_error("%s / %s %s: erdiag's partial route table is empty\nBIRD:\n%s", dir, label,
                    direction, ws);
        for (guint r = 0; r < got->len; r++)
            if (!g_ptr_array_find_with_equal_func(w, g_ptr_array_index(got, r), g_str_equal, NULL))
                g_error("%s / %s %s: erdiag's partial route table holds a route BIRD does not\n"
                        "BIRD:\n%serdiag:\n%s", dir, label, direction, ws, gs);
    } else if (strcmp(ws, gs) != 0) {
        g_error("%s / %s %s: erdiag's route table differs from BIRD's\nBIRD:\n%serdiag:\n%s", dir,
                label, direction, ws, gs);
    }
}

static void test_dir(gconstpointer data)
{
    const char *dir = data;
    g_autofree char *bird = g_build_filename(dir, "birdc-show-route.txt", NULL);
    g_autoptr(GHashTable) want = bird_routes(bird, dir);
    g_assert_nonnull(want);
    g_autofree char *cap = capture_dirs_capture(dir);
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    const char *args[] = {"--format", "json", "--config", ini, cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(capture_dirs_run(args, &out, &err), <=, 1);
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, out, -1, NULL));
    JsonArray *peerings = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "peerings");
    guint compared = 0;
    g_autoptr(GPtrArray) none = g_ptr_array_new();
    for (guint i = 0; i < json_array_get_length(peerings); i++) {
        JsonArray *links = json_object_get_array_member(json_array_get_object_element(peerings, i), "links");
        for (guint k = 0; k < json_array_get_length(links); k++) {
            JsonObject *l = json_array_get_object_element(links, k);
            const char *label = json_object_get_string_member(l, "link");
            GPtrArray *w = g_hash_table_lookup(want, label);
            if (!w)
                continue;
            g_autofree char *export_key = g_strdup_printf("%s/export", label);
            GPtrArray *w_export = g_hash_table_lookup(want, export_key);
            g_assert_nonnull(w_export);
            JsonObject *routes = json_object_get_object_member(l, "routes");
            JsonObject *bgp = json_object_get_object_member(l, "bgp");
            gboolean partial = json_object_get_boolean_member(bgp, "routes_partial");
            /* BIRD exports only over an Established session. */
            gboolean up = g_strcmp0(json_object_get_string_member_with_default(bgp, "state", ""),
                                    "Established") == 0;
            compare_table(dir, label, "from on-prem", w, json_object_get_array_member(routes, "from_onprem"),
                          partial, TRUE);
            compare_table(dir, label, "from Microsoft", up ? w_export : none,
                          json_object_get_array_member(routes, "from_microsoft"), partial, FALSE);
            compared += 2;
        }
    }
    g_assert_cmpuint(compared, ==, g_hash_table_size(want));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    GPtrArray *dirs = capture_dirs_list();
    guint n = 0;
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *bird = g_build_filename(dir, "birdc-show-route.txt", NULL);
        if (!g_file_test(bird, G_FILE_TEST_EXISTS))
            continue;
        g_autofree char *base = g_path_get_basename(dir);
        g_autofree char *path = g_strdup_printf("/bird-routes/%s", base);
        g_test_add_data_func(path, dir, test_dir);
        n++;
    }
    if (n == 0)
        g_error("no birdc-show-route.txt under captures/");
    int rc = g_test_run();
    g_ptr_array_unref(dirs);
    return rc;
}
