/* --annotate OUT.pcapng: for every capture in captures/, the output holds
 * the same frames byte for byte, Wireshark (tshark) shows a comment on
 * exactly the evidence frames the JSON report lists, each naming the
 * findings that frame is evidence for, and the section comment carries the
 * summary with every finding. Also through standard input and with two
 * captures in one run (frames numbered on across files). */
#include <json-glib/json-glib.h>
#include <string.h>
#include <glib/gstdio.h>
#include "capture_dirs.h"
#include "live_util.h"

static char *tmpdir;

/* frame number -> sorted "id [peering/link]" list, from findings[].frames */
/* frame -> labels of the findings the JSON lists it for (its first 16
 * evidence frames each); counts, when given: label -> how many evidence
 * frames those findings count in all (frame_count) */
static GHashTable *expected_comments_counted(const char *json, GPtrArray *all_ids, GHashTable *counts)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
    JsonArray *findings = json_object_get_array_member(json_node_get_object(json_parser_get_root(p)), "findings");
    GHashTable *map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    for (guint i = 0; i < json_array_get_length(findings); i++) {
        JsonObject *f = json_array_get_object_element(findings, i);
        const char *id = json_object_get_string_member(f, "id");
        const char *peering = json_object_get_null_member(f, "peering") ? NULL : json_object_get_string_member(f, "peering");
        const char *link = json_object_get_null_member(f, "link") ? NULL : json_object_get_string_member(f, "link");
        g_ptr_array_add(all_ids, g_strdup(id));
        char *label = link ? g_strdup_printf("%s [%s/%s]", id, peering ? peering : "?", link)
                           : peering ? g_strdup_printf("%s [%s]", id, peering) : g_strdup(id);
        JsonArray *frames = json_object_get_array_member(f, "frames");
        if (counts) {
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, label));
            n += (guint)json_object_get_int_member(f, "frame_count");
            g_hash_table_replace(counts, g_strdup(label), GUINT_TO_POINTER(n));
        }
        for (guint k = 0; k < json_array_get_length(frames); k++) {
            char *key = g_strdup_printf("%" G_GINT64_FORMAT, json_array_get_int_element(frames, k));
            GPtrArray *list = g_hash_table_lookup(map, key);
            if (!list) {
                list = g_ptr_array_new_with_free_func(g_free);
                g_hash_table_insert(map, g_strdup(key), list);
            }
            g_ptr_array_add(list, g_strdup(label));
            g_free(key);
        }
        g_free(label);
    }
    return map;
}

static GHashTable *expected_comments(const char *json, GPtrArray *all_ids)
{
    return expected_comments_counted(json, all_ids, NULL);
}


/* The frames of out equal those of the inputs, in order, byte for byte. */
static void check_frames_identical(const char *const *inputs, const char *out)
{
    g_autoptr(GError) e = NULL;
    g_autoptr(GPtrArray) got = lt_read_frames(out, &e);
    g_assert_no_error(e);
    g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    guint total = 0;
    for (guint i = 0; inputs[i]; i++) {
        GPtrArray *frames = lt_read_frames(inputs[i], &e);
        g_assert_no_error(e);
        total += frames->len;
        g_ptr_array_add(want, frames);
    }
    g_assert_cmpuint(got->len, ==, total);
    guint n = 0;
    for (guint i = 0; i < want->len; i++) {
        GPtrArray *frames = g_ptr_array_index(want, i);
        for (guint k = 0; k < frames->len; k++, n++) {
            lt_frame *a = g_ptr_array_index(frames, k), *b = g_ptr_array_index(got, n);
            g_assert_cmpint(a->linktype, ==, b->linktype);
            g_assert_cmpint(a->ts_us, ==, b->ts_us);
            g_assert_cmpuint(a->wire_len, ==, b->wire_len);
            g_assert_true(g_bytes_equal(a->data, b->data));
        }
    }
}

/* tshark's view: frame number -> its comments (sorted "id [peering/link]"). */
static GHashTable *tshark_comments(const char *out)
{
    const char *argv[] = {"tshark", "-n", "-r", out, "-Y", "frame.comment", "-T", "fields", "-e", "frame.number",
                          "-e", "frame.comment", "-E", "occurrence=a", "-E", "aggregator=\x1f", NULL};
    g_autofree char *text = NULL, *err = NULL;
    int status;
    g_autoptr(GError) e = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, &err, &status, &e));
    g_assert_no_error(e);
    GHashTable *map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!**l)
            continue;
        g_auto(GStrv) cols = g_strsplit(*l, "\t", 2);
        g_assert_nonnull(cols[1]);
        GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
        g_auto(GStrv) comments = g_strsplit(cols[1], "\x1f", -1);
        for (char **c = comments; *c; c++) {
            /* "erdiag <id> [<peering>/<link>] <severity>: <message>" */
            g_assert_true(g_str_has_prefix(*c, "erdiag "));
            const char *start = *c + strlen("erdiag ");
            const char *sp = strchr(start, ' ');
            const char *close = sp && sp[1] == '[' ? strchr(sp, ']') : NULL;
            if (close)
                g_ptr_array_add(list, g_strndup(start, (gsize)(close - start + 1)));
            else
                g_ptr_array_add(list, sp ? g_strndup(start, (gsize)(sp - start)) : g_strdup(start));
        }
        g_hash_table_insert(map, g_strdup(cols[0]), list);
    }
    return map;
}

static char *section_comment(const char *out)
{
    const char *argv[] = {"capinfos", "-k", out, NULL};
    g_autofree char *err = NULL;
    char *text = NULL;
    int status;
    if (!lt_have_program("capinfos")
        || !g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, &err, &status, NULL))
        return NULL;
    return text;
}

static void check_comments(const char *json, const char *out, const char *what)
{
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) want = expected_comments_counted(json, ids, counts);
    g_autoptr(GHashTable) got = tshark_comments(out);
    GHashTableIter it;
    gpointer k, v;
    /* every frame the report lists carries a comment naming (at least) the
     * findings it is listed for: the report lists 16 frames per finding,
     * the comments mark every evidence frame */
    g_hash_table_iter_init(&it, want);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        GPtrArray *have = g_hash_table_lookup(got, k);
        if (!have)
            g_error("%s: frame %s is evidence in the report but carries no comment", what, (char *)k);
        for (guint i = 0; i < ((GPtrArray *)v)->len; i++) {
            const char *label = g_ptr_array_index((GPtrArray *)v, i);
            if (!g_ptr_array_find_with_equal_func(have, label, g_str_equal, NULL))
                g_error("%s: frame %s: the comment does not name %s", what, (char *)k, label);
        }
    }
    /* ... and as many frames name a finding as the report counts for it,
     * no frame naming one the report does not have */
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_iter_init(&it, got);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        for (guint i = 0; i < ((GPtrArray *)v)->len; i++) {
            const char *label = g_ptr_array_index((GPtrArray *)v, i);
            if (!g_hash_table_contains(counts, label))
                g_error("%s: frame %s names %s, a finding the report does not have", what, (char *)k, label);
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, label)) + 1;
            g_hash_table_replace(seen, g_strdup(label), GUINT_TO_POINTER(n));
        }
    }
    g_hash_table_iter_init(&it, counts);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        guint marked = GPOINTER_TO_UINT(g_hash_table_lookup(seen, k));
        /* a finding with no frame of its own (anchored ones aside) is in the section comment */
        if (marked && marked != GPOINTER_TO_UINT(v))
            g_error("%s: %u frames name %s, the report counts %u", what, marked, (char *)k, GPOINTER_TO_UINT(v));
    }
    /* every finding of the report is in a frame comment or the section comment */
    g_autofree char *shb = section_comment(out);
    for (guint i = 0; i < ids->len; i++) {
        const char *id = g_ptr_array_index(ids, i);
        gboolean in_frames = FALSE;
        g_hash_table_iter_init(&it, got);
        while (!in_frames && g_hash_table_iter_next(&it, &k, &v)) {
            GPtrArray *list = v;
            for (guint n = 0; n < list->len && !in_frames; n++)
                in_frames = g_str_has_prefix(g_ptr_array_index(list, n), id);
        }
        if (!in_frames && shb)
            g_assert_nonnull(strstr(shb, id));
    }
    if (shb)
        g_assert_nonnull(strstr(shb, "evidence capture"));
}

static void annotate_and_check(const char *const *inputs, const char *ini, const char *name)
{
    g_autofree char *out = g_build_filename(tmpdir, name, NULL);
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer) "--format");
    g_ptr_array_add(args, (gpointer) "json");
    g_ptr_array_add(args, (gpointer) "--annotate");
    g_ptr_array_add(args, out);
    if (ini) {
        g_ptr_array_add(args, (gpointer) "-c");
        g_ptr_array_add(args, (gpointer)ini);
    }
    for (guint i = 0; inputs[i]; i++)
        g_ptr_array_add(args, (gpointer)inputs[i]);
    g_ptr_array_add(args, NULL);
    g_autofree char *json = NULL, *err = NULL;
    int status = capture_dirs_run((const char *const *)args->pdata, &json, &err);
    g_ptr_array_unref(args);
    if (status > 1)
        g_error("%s: erdiag exited %d: %s", name, status, err);
    check_frames_identical(inputs, out);
    if (lt_have_program("tshark"))
        check_comments(json, out, name);
    g_unlink(out);
}

static void test_capture(gconstpointer dir)
{
    g_autofree char *cap = capture_dirs_capture(dir);
    if (!cap) {
        g_test_skip("the capture went away (being regenerated?)");
        return;
    }
    g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
    g_autofree char *base = g_path_get_basename(dir);
    g_autofree char *name = g_strdup_printf("%s.pcapng", base);
    const char *inputs[] = {cap, NULL};
    annotate_and_check(inputs, g_file_test(ini, G_FILE_TEST_EXISTS) ? ini : NULL, name);
    if (!lt_have_program("tshark"))
        g_test_message("tshark not found: comments not checked");
}

/* Two captures in one run: frame numbers go on across the files. */
static void test_two_files(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    if (dirs->len < 2) {
        g_test_skip("fewer than two captures");
        return;
    }
    g_autofree char *a = capture_dirs_capture(g_ptr_array_index(dirs, dirs->len - 1));
    g_autofree char *b = capture_dirs_capture(g_ptr_array_index(dirs, dirs->len - 2));
    const char *inputs[] = {a, b, NULL};
    annotate_and_check(inputs, NULL, "two-files.pcapng");
}

static gboolean has_evidence(const char *json)
{
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) frames = expected_comments(json, ids);
    return g_hash_table_size(frames) > 0;
}

/* `cat capture | erdiag --annotate OUT -` spools stdin and annotates it
 * just as the file run does: the frames of every capture; the comments (a
 * tshark run each, slow) of the first few with evidence frames. */
static void test_stdin(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    guint commented = 0;
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *cap = capture_dirs_capture(dir);
        if (!cap)
            continue;
        g_autofree char *out = g_build_filename(tmpdir, "stdin.pcapng", NULL);
        const char *args[] = {"--format", "json", "--annotate", out, "-", NULL};
        g_autofree char *json = NULL, *err = NULL;
        int status = lt_run_piped(cap, args, &json, &err);
        if (status > 1)
            g_error("%s: erdiag exited %d: %s", dir, status, err);
        const char *inputs[] = {cap, NULL};
        check_frames_identical(inputs, out);
        if (commented < 3 && has_evidence(json) && lt_have_program("tshark")) {
            check_comments(json, out, dir);
            commented++;
        }
        g_unlink(out);
    }
}

/* The output replaces a file only when complete: annotating a capture onto
 * itself keeps every frame. */
static void test_onto_itself(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    if (dirs->len == 0) {
        g_test_skip("no captures");
        return;
    }
    g_autofree char *cap = capture_dirs_capture(g_ptr_array_index(dirs, 0));
    g_autofree char *copy = g_build_filename(tmpdir, "self.pcapng", NULL);
    g_autofree char *data = NULL;
    gsize len;
    g_assert_true(g_file_get_contents(cap, &data, &len, NULL));
    g_assert_true(g_file_set_contents(copy, data, (gssize)len, NULL));
    const char *args[] = {"--annotate", copy, copy, NULL};
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint(capture_dirs_run(args, &out, &err), <=, 1);
    const char *inputs[] = {cap, NULL};
    check_frames_identical(inputs, copy);
    g_unlink(copy);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-annotate-XXXXXX", NULL);
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *base = g_path_get_basename(dir);
        g_autofree char *path = g_strdup_printf("/annotate/capture/%s", base);
        g_test_add_data_func(path, dir, test_capture);
    }
    g_test_add_func("/annotate/two-files", test_two_files);
    g_test_add_func("/annotate/stdin", test_stdin);
    g_test_add_func("/annotate/onto-itself", test_onto_itself);
    int rc = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
