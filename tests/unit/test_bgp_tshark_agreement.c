/* The CLI's decoders (libpcap bytes -> link/IP/TCP -> BGP stream -> BGP
 * messages) against tshark, over every public capture holding BGP and every
 * capture under captures/. Per frame: message types, OPEN ASNs, NOTIFICATION
 * codes, announced and withdrawn prefixes. Where a frame differs, the file's
 * totals must still agree (tshark may place a message in another frame), or
 * the difference must be one of the documented exceptions below.
 * Skipped (77) when tshark is not installed. */
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/wait.h>
#include "decoder.h"

/* What is compared; one multiset of strings each, per frame. */
enum {
    F_TYPE,      /* bgp.type */
    F_MY_AS,     /* bgp.open.myas */
    F_AS4,       /* bgp.cap.4as */
    F_MAJOR,     /* bgp.notify.major_error */
    F_MINOR,     /* bgp.notify.minor_error* (one field per major code) */
    F_WITHDRAWN, /* bgp.withdrawn_prefix + bgp.mp_unreach_nlri_ipv{4,6}_prefix */
    F_ANNOUNCED, /* bgp.nlri_prefix + bgp.mp_reach_nlri_ipv{4,6}_prefix */
    N_FIELDS
};

static const char *const field_names[N_FIELDS] = {
    "type", "open my AS", "4-octet AS", "notification code", "notification subcode",
    "withdrawn prefixes", "announced prefixes",
};

/* A difference we accept, and why. */
typedef struct {
    const char *file;
    int field;
    const char *reason;
} exception;

static const exception exceptions[] = {
    { NULL, 0, NULL },
};

typedef struct {
    GPtrArray *v[N_FIELDS];
} frame_values;

static void frame_values_free(gpointer p)
{
    frame_values *f = p;
    for (int i = 0; i < N_FIELDS; i++)
        g_ptr_array_free(f->v[i], TRUE);
    g_free(f);
}

/* frame number -> frame_values */
static GHashTable *view_new(void)
{
    return g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, frame_values_free);
}

static frame_values *view_frame(GHashTable *view, guint64 frame)
{
    frame_values *f = g_hash_table_lookup(view, &frame);
    if (!f) {
        f = g_new0(frame_values, 1);
        for (int i = 0; i < N_FIELDS; i++)
            f->v[i] = g_ptr_array_new_with_free_func(g_free);
        gint64 *key = g_new(gint64, 1);
        *key = (gint64)frame;
        g_hash_table_insert(view, key, f);
    }
    return f;
}

static void add(GHashTable *view, guint64 frame, int field, char *value)
{
    g_ptr_array_add(view_frame(view, frame)->v[field], value);
}

/* ---- our side ---- */

static void add_prefixes(GHashTable *view, guint64 frame, int field, const erdiag_bgp_nlri *n,
                         guint count)
{
    for (guint i = 0; i < count; i++) {
        char buf[ERDIAG_ADDR_STRLEN];
        add(view, frame, field, g_strdup(erdiag_addr_to_string(&n[i].prefix.addr, buf)));
    }
}

static void our_sink(const erdiag_event *ev, gpointer user)
{
    GHashTable *view = user;
    if (ev->type != ERDIAG_EV_BGP)
        return;
    guint64 frame = ev->pkt.frame;
    const erdiag_bgp_msg *m = &ev->u.bgp.msg;
    add(view, frame, F_TYPE, g_strdup_printf("%u", m->type));
    switch (m->type) {
    case ERDIAG_BGP_OPEN:
        add(view, frame, F_MY_AS, g_strdup_printf("%u", m->u.open.my_as));
        if (m->u.open.has_as4)
            add(view, frame, F_AS4, g_strdup_printf("%u", m->u.open.as4));
        break;
    case ERDIAG_BGP_NOTIFICATION:
        add(view, frame, F_MAJOR, g_strdup_printf("%u", m->u.notification.code));
        add(view, frame, F_MINOR, g_strdup_printf("%u", m->u.notification.subcode));
        break;
    case ERDIAG_BGP_UPDATE:
        add_prefixes(view, frame, F_WITHDRAWN, m->u.update.withdrawn, m->u.update.n_withdrawn);
        add_prefixes(view, frame, F_ANNOUNCED, m->u.update.announced, m->u.update.n_announced);
        break;
    default:
        break;
    }
}

/* Returns NULL (and *why) when the file cannot be read by the CLI. */
static GHashTable *decode_ours(const char *path, char **why)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_open_offline(path, errbuf);
    if (!p) {
        *why = g_strdup_printf("libpcap: %s", errbuf);
        return NULL;
    }
    int linktype = pcap_datalink(p);
    if (!erdiag_decoder_linktype_supported(linktype)) {
        *why = g_strdup_printf("link type %d (%s) is not one the CLI decodes", linktype,
                               erdiag_decoder_linktype_name(linktype));
        pcap_close(p);
        return NULL;
    }
    GHashTable *view = view_new();
    erdiag_decoder *d = erdiag_decoder_new(our_sink, view);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    guint64 frame = 0;
    while (pcap_next_ex(p, &hdr, &data) == 1) {
        erdiag_packet_meta meta;
        memset(&meta, 0, sizeof meta);
        meta.frame = ++frame;
        meta.ts_us = (gint64)hdr->ts.tv_sec * G_USEC_PER_SEC + hdr->ts.tv_usec;
        meta.wire_len = hdr->len;
        meta.cap_len = hdr->caplen;
        erdiag_decoder_packet(d, linktype, data, &meta);
    }
    erdiag_decoder_finish(d);
    erdiag_decoder_free(d);
    pcap_close(p);
    return view;
}

/* ---- tshark's side ---- */

enum {
    T_FRAME, T_TYPE, T_MY_AS, T_AS4, T_MAJOR,
    T_MINOR, T_MINOR_OPEN, T_MINOR_UPDATE, T_MINOR_EXPIRED, T_MINOR_STATE, T_MINOR_CEASE,
    T_MINOR_CAPABILITY, T_MINOR_UNKNOWN,
    T_WITHDRAWN, T_NLRI, T_MP_REACH4, T_MP_REACH6, T_MP_UNREACH4, T_MP_UNREACH6,
    T_MP_REACH_SAFI, T_MP_UNREACH_SAFI,
    T_COLUMNS
};

static const char *const tshark_fields[T_COLUMNS] = {
    "frame.number", "bgp.type", "bgp.open.myas", "bgp.cap.4as", "bgp.notify.major_error",
    "bgp.notify.minor_error", "bgp.notify.minor_error_open", "bgp.notify.minor_error_update",
    "bgp.notify.minor_error_expired", "bgp.notify.minor_error_state",
    "bgp.notify.minor_error_cease", "bgp.notify.minor_error_capability",
    "bgp.notify.minor_error_unknown",
    "bgp.withdrawn_prefix", "bgp.nlri_prefix", "bgp.mp_reach_nlri_ipv4_prefix",
    "bgp.mp_reach_nlri_ipv6_prefix", "bgp.mp_unreach_nlri_ipv4_prefix",
    "bgp.mp_unreach_nlri_ipv6_prefix", "bgp.update.path_attribute.mp_reach_nlri.safi",
    "bgp.update.path_attribute.mp_unreach_nlri.safi",
};

static void add_list(GHashTable *view, guint64 frame, int field, const char *list)
{
    if (!*list)
        return;
    char **items = g_strsplit(list, ",", -1);
    for (char **i = items; *i; i++)
        add(view, frame, field, g_strdup(*i));
    g_strfreev(items);
}

/* Only unicast (SAFI 1) MP prefixes reach erdiag's events; tshark also lists
 * labeled-unicast and VPN prefixes under the same field names. */
static gboolean only_unicast(const char *safis)
{
    if (!*safis)
        return TRUE;
    char **items = g_strsplit(safis, ",", -1);
    gboolean ok = TRUE;
    for (char **i = items; *i; i++)
        ok = ok && strcmp(*i, "1") == 0;
    g_strfreev(items);
    return ok;
}

static char *scratch_dir;

static GHashTable *decode_tshark(const char *path, char **why)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, "tshark");
    g_ptr_array_add(argv, "-n");
    g_ptr_array_add(argv, "-r");
    g_ptr_array_add(argv, (char *)path);
    g_ptr_array_add(argv, "-T");
    g_ptr_array_add(argv, "fields");
    g_ptr_array_add(argv, "-E");
    g_ptr_array_add(argv, "occurrence=a");
    g_ptr_array_add(argv, "-E");
    g_ptr_array_add(argv, "separator=/t");
    g_ptr_array_add(argv, "-E");
    g_ptr_array_add(argv, "aggregator=,");
    for (int i = 0; i < T_COLUMNS; i++) {
        g_ptr_array_add(argv, "-e");
        g_ptr_array_add(argv, (char *)tshark_fields[i]);
    }
    g_ptr_array_add(argv, NULL);
    /* An empty configuration directory keeps the user's preferences out. */
    char **env = g_environ_setenv(g_get_environ(), "WIRESHARK_CONFIG_DIR", scratch_dir, TRUE);
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *error = NULL;
    gboolean ran = g_spawn_sync(NULL, (char **)argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                &out, &err, &status, &error);
    g_strfreev(env);
    g_ptr_array_free(argv, TRUE);
    if (!ran || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *why = g_strdup_printf("tshark failed: %s", error ? error->message : err);
        g_clear_error(&error);
        g_free(out);
        g_free(err);
        return NULL;
    }
    GHashTable *view = view_new();
    char **lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        char **col = g_strsplit(*l, "\t", -1);
        if (g_strv_length(col) == T_COLUMNS && *col[T_TYPE]) {
            guint64 frame = g_ascii_strtoull(col[T_FRAME], NULL, 10);
            add_list(view, frame, F_TYPE, col[T_TYPE]);
            add_list(view, frame, F_MY_AS, col[T_MY_AS]);
            add_list(view, frame, F_AS4, col[T_AS4]);
            add_list(view, frame, F_MAJOR, col[T_MAJOR]);
            for (int c = T_MINOR; c <= T_MINOR_UNKNOWN; c++)
                add_list(view, frame, F_MINOR, col[c]);
            add_list(view, frame, F_WITHDRAWN, col[T_WITHDRAWN]);
            add_list(view, frame, F_ANNOUNCED, col[T_NLRI]);
            if (only_unicast(col[T_MP_REACH_SAFI])) {
                add_list(view, frame, F_ANNOUNCED, col[T_MP_REACH4]);
                add_list(view, frame, F_ANNOUNCED, col[T_MP_REACH6]);
            }
            if (only_unicast(col[T_MP_UNREACH_SAFI])) {
                add_list(view, frame, F_WITHDRAWN, col[T_MP_UNREACH4]);
                add_list(view, frame, F_WITHDRAWN, col[T_MP_UNREACH6]);
            }
        }
        g_strfreev(col);
    }
    g_strfreev(lines);
    g_free(out);
    g_free(err);
    return view;
}

/* ---- comparing ---- */

/* g_test_fail_printf / g_test_skip_printf need GLib 2.70; the build asks
 * for 2.66. */
static void fail_with(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void fail_with(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_test_message("FAIL: %s", text);
    g_test_fail();
    g_free(text);
}

static void skip_with(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void skip_with(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_test_skip(text);
    g_free(text);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted multiset as one string. */
static char *multiset_text(GPtrArray *values)
{
    /* Not g_ptr_array_copy: the copy would inherit the free function. */
    GPtrArray *sorted = g_ptr_array_sized_new(values->len + 1);
    for (guint i = 0; i < values->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(values, i));
    g_ptr_array_sort(sorted, compare_strings);
    g_ptr_array_add(sorted, NULL);
    char *text = g_strjoinv(" ", (char **)sorted->pdata);
    g_ptr_array_free(sorted, TRUE);
    return text;
}

static GPtrArray *empty_values(void)
{
    static GPtrArray *empty;
    if (!empty)
        empty = g_ptr_array_new();
    return empty;
}

static GPtrArray *values_of(GHashTable *view, guint64 frame, int field)
{
    frame_values *f = g_hash_table_lookup(view, &frame);
    return f ? f->v[field] : empty_values();
}

/* All frames' values of one field. */
static GPtrArray *file_values(GHashTable *view, int field)
{
    GPtrArray *all = g_ptr_array_new();
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, view);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        frame_values *f = value;
        for (guint i = 0; i < f->v[field]->len; i++)
            g_ptr_array_add(all, g_ptr_array_index(f->v[field], i));
    }
    return all;
}

static const char *exception_for(const char *file, int field)
{
    for (gsize i = 0; i < G_N_ELEMENTS(exceptions); i++)
        if (exceptions[i].file && strcmp(exceptions[i].file, file) == 0 &&
            exceptions[i].field == field)
            return exceptions[i].reason;
    return NULL;
}

static gboolean has_bgp(GHashTable *view)
{
    GPtrArray *types = file_values(view, F_TYPE);
    gboolean any = types->len > 0;
    g_ptr_array_free(types, TRUE);
    return any;
}

static void compare_file(gconstpointer data)
{
    const char *path = data;
    char *base = g_path_get_basename(path);
    char *why = NULL;
    GHashTable *theirs = decode_tshark(path, &why);
    if (!theirs) {
        fail_with("%s", why);
        g_free(why);
        g_free(base);
        return;
    }
    GHashTable *ours = decode_ours(path, &why);
    if (!ours) {
        if (has_bgp(theirs))
            skip_with("%s holds BGP but %s", base, why);
        else
            skip_with("no BGP (and %s)", why);
        g_free(why);
        g_hash_table_destroy(theirs);
        g_free(base);
        return;
    }
    if (!has_bgp(theirs) && !has_bgp(ours)) {
        g_test_skip("no BGP in this capture");
        goto out;
    }
    /* Every frame either side has. */
    GHashTable *frames = g_hash_table_new(g_int64_hash, g_int64_equal);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, theirs);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_hash_table_add(frames, key);
    g_hash_table_iter_init(&it, ours);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_hash_table_add(frames, key);

    for (int field = 0; field < N_FIELDS; field++) {
        GString *frame_diffs = g_string_new(NULL);
        guint n_frame_diffs = 0;
        g_hash_table_iter_init(&it, frames);
        while (g_hash_table_iter_next(&it, &key, NULL)) {
            guint64 frame = (guint64) * (gint64 *)key;
            char *a = multiset_text(values_of(ours, frame, field));
            char *b = multiset_text(values_of(theirs, frame, field));
            if (strcmp(a, b) != 0) {
                n_frame_diffs++;
                if (n_frame_diffs <= 5)
                    g_string_append_printf(frame_diffs, "\n  frame %" G_GUINT64_FORMAT
                                           ": erdiag [%.300s] tshark [%.300s]", frame, a, b);
            }
            g_free(a);
            g_free(b);
        }
        if (n_frame_diffs) {
            GPtrArray *fa = file_values(ours, field), *fb = file_values(theirs, field);
            char *a = multiset_text(fa), *b = multiset_text(fb);
            const char *reason = exception_for(base, field);
            if (strcmp(a, b) == 0)
                g_test_message("%s: %s agree over the file but %u frame(s) differ (reassembly "
                               "places them elsewhere):%s", base, field_names[field],
                               n_frame_diffs, frame_diffs->str);
            else if (reason)
                g_test_message("%s: %s differ, accepted: %s:%s", base, field_names[field], reason,
                               frame_diffs->str);
            else
                fail_with("%s: %s differ in %u frame(s):%s", base, field_names[field],
                                   n_frame_diffs, frame_diffs->str);
            g_free(a);
            g_free(b);
            g_ptr_array_free(fa, TRUE);
            g_ptr_array_free(fb, TRUE);
        }
        g_string_free(frame_diffs, TRUE);
    }
    g_hash_table_destroy(frames);
out:
    g_hash_table_destroy(ours);
    g_hash_table_destroy(theirs);
    g_free(base);
}

static void add_glob(GPtrArray *paths, const char *dir, gboolean recurse_one)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        if (recurse_one && g_file_test(path, G_FILE_TEST_IS_DIR))
            add_glob(paths, path, FALSE);
        else if (!recurse_one && (g_str_has_suffix(name, ".pcap") || g_str_has_suffix(name, ".pcapng")))
            g_ptr_array_add(paths, g_steal_pointer(&path));
        g_free(path);
    }
    g_dir_close(d);
}

static gint compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    char *tshark = g_find_program_in_path("tshark");
    if (!tshark) {
        g_printerr("tshark not installed: skipping\n");
        return 77;
    }
    g_free(tshark);
    scratch_dir = g_dir_make_tmp("erdiag-tshark-XXXXXX", NULL);
    g_assert_nonnull(scratch_dir);

    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    add_glob(paths, ERDIAG_SHARED_DIR "/public-pcaps", FALSE);
    /* captures/NAME/FILE.pcap and .pcapng */
    add_glob(paths, ERDIAG_SOURCE_DIR "/captures", TRUE);
    g_ptr_array_sort(paths, compare_paths);
    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        const char *parent = strstr(path, "/captures/") ? "captures" : "public";
        char *dir = g_path_get_dirname(path);
        char *dir_base = g_path_get_basename(dir);
        char *file = g_path_get_basename(path);
        char *name = g_strdup_printf("/bgp_tshark_agreement/%s/%s%s%s", parent,
                                     strcmp(parent, "captures") == 0 ? dir_base : "",
                                     strcmp(parent, "captures") == 0 ? "/" : "", file);
        g_test_add_data_func(name, path, compare_file);
        g_free(name);
        g_free(file);
        g_free(dir_base);
        g_free(dir);
    }
    int rc = g_test_run();
    g_rmdir(scratch_dir);
    g_free(scratch_dir);
    g_ptr_array_free(paths, TRUE);
    return rc;
}
