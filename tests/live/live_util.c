#include "live_util.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>
#include "capture_dirs.h"
#include "capture_reader.h"

static void frame_free(gpointer p)
{
    lt_frame *f = p;
    g_bytes_unref(f->data);
    g_free(f);
}

GPtrArray *lt_read_frames(const char *path, GError **error)
{
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, error);
    if (!r)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(frame_free);
    int linktype;
    erdiag_packet_meta meta = {0};
    const guint8 *data;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, error)) {
        lt_frame *f = g_new0(lt_frame, 1);
        *f = (lt_frame){linktype, meta.iface, meta.ts_us, meta.wire_len, g_bytes_new(data, meta.cap_len)};
        g_ptr_array_add(out, f);
    }
    erdiag_capture_reader_close(r);
    if (error && *error) {
        g_ptr_array_unref(out);
        return NULL;
    }
    return out;
}

int lt_run_piped(const char *input, const char *const *args, char **out, char **err)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer) "/bin/sh");
    g_ptr_array_add(argv, (gpointer) "-c");
    g_ptr_array_add(argv, (gpointer) "f=$1; shift; cat \"$f\" | \"$@\"");
    g_ptr_array_add(argv, (gpointer) "sh");
    g_ptr_array_add(argv, (gpointer)input);
    g_ptr_array_add(argv, (gpointer)ERDIAG_BIN);
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    int status = -1;
    g_autoptr(GError) e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &e))
        g_error("cannot run sh: %s", e->message);
    g_ptr_array_unref(argv);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

GPtrArray *lt_jsonl_report_ids(const char *jsonl)
{
    g_auto(GStrv) lines = g_strsplit(jsonl, "\n", -1);
    for (gint i = (gint)g_strv_length(lines) - 1; i >= 0; i--) {
        if (!*lines[i])
            continue;
        g_autoptr(JsonParser) p = json_parser_new();
        if (!json_parser_load_from_data(p, lines[i], -1, NULL))
            return NULL;
        JsonObject *o = json_node_get_object(json_parser_get_root(p));
        if (g_strcmp0(json_object_get_string_member(o, "type"), "report") != 0)
            return NULL;
        JsonNode *rep = json_object_get_member(o, "report");
        g_autofree char *text = json_to_string(rep, FALSE);
        return capture_dirs_finding_lines(text, NULL);
    }
    return NULL;
}

char *lt_join(GPtrArray *lines)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; lines && i < lines->len; i++)
        g_string_append_printf(s, "  %s\n", (char *)g_ptr_array_index(lines, i));
    return g_string_free(s, FALSE);
}

gboolean lt_have_program(const char *name)
{
    g_autofree char *p = g_find_program_in_path(name);
    return p != NULL;
}

GByteArray *lt_pcap_new(guint32 linktype)
{
    GByteArray *b = g_byte_array_new();
    guint32 h[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 262144, linktype ? linktype : 1};
    g_byte_array_append(b, (guint8 *)h, sizeof h);
    return b;
}

void lt_pcap_add(GByteArray *b, gint64 ts_us, const guint8 *frame, guint32 len)
{
    guint32 rh[4] = {(guint32)(ts_us / G_USEC_PER_SEC), (guint32)(ts_us % G_USEC_PER_SEC), len, len};
    g_byte_array_append(b, (guint8 *)rh, sizeof rh);
    g_byte_array_append(b, frame, len);
}

void lt_arp_request(guint8 out[46], guint16 vid, const guint8 sender_mac[6], const guint8 sender_ip[4],
                    const guint8 target_ip[4])
{
    guint8 *p = out;
    memset(p, 0xff, 6);                       /* broadcast */
    memcpy(p + 6, sender_mac, 6);
    p[12] = 0x81, p[13] = 0x00;               /* 802.1Q */
    p[14] = (guint8)(vid >> 8), p[15] = (guint8)vid;
    p[16] = 0x08, p[17] = 0x06;               /* ARP */
    static const guint8 arp_head[8] = {0, 1, 8, 0, 6, 4, 0, 1};
    memcpy(p + 18, arp_head, 8);
    memcpy(p + 26, sender_mac, 6);
    memcpy(p + 32, sender_ip, 4);
    memset(p + 36, 0, 6);
    memcpy(p + 42, target_ip, 4);
}

#include <errno.h>
#include <poll.h>
#include <unistd.h>

void lt_spawn(const char *const *argv, lt_child *c)
{
    *c = (lt_child){0};
    g_autoptr(GError) e = NULL;
    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH, NULL,
                                  NULL, &c->pid, &c->in, &c->out, &c->err, &e))
        g_error("cannot run %s: %s", argv[0], e->message);
    c->out_text = g_string_new(NULL);
    c->err_text = g_string_new(NULL);
}

/* Reads what is available on fd into s; FALSE at end of file. */
static gboolean read_some(int fd, GString *s)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
        g_string_append_len(s, buf, n);
        return TRUE;
    }
    return n < 0 && errno == EINTR;
}

gboolean lt_wait_output(lt_child *c, const char *needle, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    while (!strstr(c->out_text->str, needle)) {
        gint64 left = (end - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            return FALSE;
        struct pollfd p[2] = {{c->out, POLLIN, 0}, {c->err, POLLIN, 0}};
        if (poll(p, 2, (int)left) <= 0)
            continue;
        if (p[1].revents)
            read_some(c->err, c->err_text);
        if (p[0].revents && !read_some(c->out, c->out_text))
            return strstr(c->out_text->str, needle) != NULL;
    }
    return TRUE;
}

int lt_finish(lt_child *c)
{
    if (c->in >= 0)
        close(c->in);
    c->in = -1;
    gboolean out_open = TRUE, err_open = TRUE;
    while (out_open || err_open) {
        struct pollfd p[2] = {{out_open ? c->out : -1, POLLIN, 0}, {err_open ? c->err : -1, POLLIN, 0}};
        if (poll(p, 2, -1) < 0)
            continue;
        if (p[0].revents)
            out_open = read_some(c->out, c->out_text);
        if (p[1].revents)
            err_open = read_some(c->err, c->err_text);
    }
    int status = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(c->pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void lt_child_clear(lt_child *c)
{
    if (c->in >= 0)
        close(c->in);
    close(c->out);
    close(c->err);
    g_string_free(c->out_text, TRUE);
    g_string_free(c->err_text, TRUE);
}
