/* Runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs without
 * libFuzzer, so the regression corpus replays in every build (gcc, plain
 * and sanitized) as an ordinary test.
 *
 * Usage: fuzz_replay_<target> PATH...: each PATH is a file or a directory,
 * read recursively in name order. A missing path counts as empty (the
 * public captures are optional), but no input at all fails: a corpus
 * moved, renamed or emptied must not turn the test into one that cannot
 * fail. Each
 * input is handed over in a buffer of exactly its size, so a read one byte
 * past the end is caught under ASan. A crash or failed invariant aborts:
 * the test fails and the last "replaying" line names the input. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static guint replay_file(const char *path)
{
    gchar *contents = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &contents, &len, &err)) {
        fprintf(stderr, "cannot read %s: %s\n", path, err->message);
        g_error_free(err);
        exit(1);
    }
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL)
        abort();
    memcpy(exact, contents, len);
    g_free(contents);
    fprintf(stderr, "replaying %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 1;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static guint replay_path(const char *path)
{
    if (!g_file_test(path, G_FILE_TEST_IS_DIR))
        return g_file_test(path, G_FILE_TEST_IS_REGULAR) ? replay_file(path) : 0;
    GDir *dir = g_dir_open(path, 0, NULL);
    if (dir == NULL)
        return 0;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL)
        if (name[0] != '.') /* .gitkeep and the like */
            g_ptr_array_add(names, g_build_filename(path, name, NULL));
    g_dir_close(dir);
    g_ptr_array_sort(names, by_name);
    guint n = 0;
    for (guint i = 0; i < names->len; i++)
        n += replay_path(g_ptr_array_index(names, i));
    g_ptr_array_unref(names);
    return n;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    guint n = 0;
    for (int i = 1; i < argc; i++)
        n += replay_path(argv[i]);
    if (n == 0) {
        fprintf(stderr, "no input to replay: the corpus paths are missing or empty\n");
        return 1;
    }
    printf("%u inputs replayed without a failure\n", n);
    return 0;
}
