#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>
#include "capture_dirs.h"

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(GPtrArray *a)
{
    g_ptr_array_sort(a, cmp_str);
    for (guint i = 1; i < a->len;)
        if (strcmp(g_ptr_array_index(a, i), g_ptr_array_index(a, i - 1)) == 0)
            g_ptr_array_remove_index(a, i);
        else
            i++;
}

char *capture_dirs_capture(const char *dir)
{
    static const char *const names[] = {"capture.pcapng", "capture.pcap"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        char *p = g_build_filename(dir, names[i], NULL);
        if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
            return p;
        g_free(p);
    }
    return NULL;
}

GPtrArray *capture_dirs_list(void)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *root = g_build_filename(ERDIAG_SOURCE_DIR, "captures", NULL);
    GDir *d = g_dir_open(root, 0, NULL);
    if (!d)
        return out;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *dir = g_build_filename(root, name, NULL);
        g_autofree char *cap = capture_dirs_capture(dir);
        if (cap)
            g_ptr_array_add(out, dir);
        else
            g_free(dir);
    }
    g_dir_close(d);
    sort_unique(out);
    return out;
}

int capture_dirs_run(const char *const *args, char **out, char **err)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)ERDIAG_BIN);
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    int status = -1;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &e))
        g_error("cannot run %s: %s", ERDIAG_BIN, e->message);
    g_ptr_array_unref(argv);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

GPtrArray *capture_dirs_finding_lines(const char *json_text, GError **error)
{
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, json_text, -1, error))
        return NULL;
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    JsonArray *findings = json_object_get_array_member(root, "findings");
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonObject *f = json_array_get_object_element(findings, i);
        const char *link = json_object_get_null_member(f, "link") ? "-" : json_object_get_string_member(f, "link");
        g_ptr_array_add(out, g_strdup_printf("%s %s", json_object_get_string_member(f, "id"), link));
    }
    sort_unique(out);
    return out;
}

GPtrArray *capture_dirs_finding_counts(const char *json_text, GError **error)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, json_text, -1, error))
        return NULL;
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    JsonArray *findings = json_object_get_array_member(root, "findings");
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonObject *f = json_array_get_object_element(findings, i);
        const char *link = json_object_get_null_member(f, "link") ? "-" : json_object_get_string_member(f, "link");
        g_ptr_array_add(lines, g_strdup_printf("%s %s", json_object_get_string_member(f, "id"), link));
    }
    g_ptr_array_sort(lines, cmp_str);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < lines->len;) {
        guint j = i;
        while (j < lines->len && strcmp(g_ptr_array_index(lines, j), g_ptr_array_index(lines, i)) == 0)
            j++;
        g_ptr_array_add(out, g_strdup_printf("%s %u", (char *)g_ptr_array_index(lines, i), j - i));
        i = j;
    }
    return out;
}

GPtrArray *capture_dirs_read_counts(const char *path)
{
    g_autoptr(GPtrArray) lines = capture_dirs_read_lines(path);
    if (!lines)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < lines->len; i++) {
        g_auto(GStrv) w = g_strsplit(g_ptr_array_index(lines, i), " ", -1);
        guint n = g_strv_length(w);
        guint64 count = 1;
        if (n < 2 || n > 3 || (n == 3 && (!g_ascii_string_to_unsigned(w[2], 10, 1, 10000, &count, NULL))))
            g_error("%s: \"%s\" is not \"<finding-id> <link> [count >= 1]\"", path,
                    (char *)g_ptr_array_index(lines, i));
        char *key = g_strdup_printf("%s %s", w[0], w[1]);
        if (!g_hash_table_add(keys, key))
            g_error("%s: %s listed twice: give one line with a count", path, key);
        g_ptr_array_add(out, g_strdup_printf("%s %s %" G_GUINT64_FORMAT, w[0], w[1], count));
    }
    g_ptr_array_sort(out, cmp_str);
    return out;
}

GPtrArray *capture_dirs_read_lines(const char *path)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_strstrip(*l);
        if (**l && **l != '#') {
            /* "id link" with any spacing */
            g_auto(GStrv) parts = g_strsplit_set(*l, " \t", -1);
            GPtrArray *words = g_ptr_array_new();
            for (char **w = parts; *w; w++)
                if (**w)
                    g_ptr_array_add(words, *w);
            GString *s = g_string_new(NULL);
            for (guint i = 0; i < words->len; i++)
                g_string_append_printf(s, "%s%s", i ? " " : "", (char *)g_ptr_array_index(words, i));
            g_ptr_array_unref(words);
            g_ptr_array_add(out, g_string_free(s, FALSE));
        }
    }
    sort_unique(out);
    return out;
}
