/* The annotated evidence capture (see pcapng_annotate.h).
 *
 * A regular output file is written as a temporary file beside it and
 * renamed at the end: a failed run leaves no half-written capture, and
 * annotating a file onto itself reads the original to the end before
 * replacing it. Anything else (a FIFO, /dev/null) is written in place. */
#include "pcapng_annotate.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "capture_reader.h"
#include "pcapng_writer.h"
#include "report_util.h"

static char *finding_comment(const erdiag_finding *f)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    GString *s = g_string_new("erdiag ");
    g_string_append(s, d->id);
    if (f->link)
        g_string_append_printf(s, " [%s/%s]", f->peering ? f->peering : "?", f->link);
    else if (f->peering)
        g_string_append_printf(s, " [%s]", f->peering);
    g_string_append_printf(s, " %s: %s", erdiag_severity_name(f->severity), f->message ? f->message : d->title);
    return g_string_free(s, FALSE);
}

GPtrArray *pcapng_annotate_frame_comments(erdiag_engine *e, guint64 frame)
{
    const GPtrArray *list = erdiag_engine_frame_findings(e, frame);
    if (!list || list->len == 0)
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < list->len; i++)
        g_ptr_array_add(out, finding_comment(g_ptr_array_index(list, i)));
    return out;
}

char *pcapng_annotate_section_comment(erdiag_engine *e)
{
    g_autofree char *summary = report_summary(e);
    GString *s = g_string_new("erdiag " ERDIAG_VERSION_STRING " evidence capture. ");
    g_string_append(s, summary);
    GPtrArray *all = erdiag_engine_findings(e);
    if (all->len)
        g_string_append(s, "\nFindings (frames carrying evidence have a comment each):");
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        g_autofree char *c = finding_comment(f);
        g_autofree char *frames = report_frames(f);
        g_string_append_printf(s, "\n- %s", c + strlen("erdiag "));
        if (f->n_frames)
            g_string_append_printf(s, " (frame%s %s)", f->frame_count > 1 ? "s" : "", frames);
    }
    return g_string_free(s, FALSE);
}

typedef struct {
    pcapng_writer *w;
    GHashTable *ids;       /* source interface key -> output interface id + 1 */
    const annotate_iface *ifaces;
    guint n_ifaces;
} output_ifaces;

static guint output_iface(output_ifaces *o, const char *name, guint file, guint32 iface, int linktype)
{
    guint key = (file << 16) + iface;
    guint id = GPOINTER_TO_UINT(g_hash_table_lookup(o->ids, GUINT_TO_POINTER(key)));
    if (id)
        return id - 1;
    guint new_id;
    if (o->n_ifaces && file == 0 && iface < o->n_ifaces) {
        new_id = pcapng_writer_add_interface(o->w, linktype, o->ifaces[iface].snaplen, o->ifaces[iface].name);
    } else {
        g_autofree char *label = iface ? g_strdup_printf("%s:%u", name, iface) : g_strdup(name);
        new_id = pcapng_writer_add_interface(o->w, linktype, 0, label);
    }
    g_hash_table_insert(o->ids, GUINT_TO_POINTER(key), GUINT_TO_POINTER(new_id + 1));
    return new_id;
}

/* Reads the inputs again, writing every frame with its comments. */
static gboolean copy_frames(erdiag_engine *e, const char *const *inputs, const char *const *names,
                            guint64 frames, output_ifaces *o, GError **error)
{
    guint64 frame = 0;
    for (guint f = 0; inputs[f] && frame < frames; f++) {
        erdiag_capture_reader *r = erdiag_capture_reader_open(inputs[f], error);
        if (!r)
            return FALSE;
        int linktype;
        erdiag_packet_meta meta = {0};
        const guint8 *data;
        g_autoptr(GError) err = NULL;
        while (frame < frames && erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
            frame++;
            guint id = output_iface(o, names ? names[f] : inputs[f], f, meta.iface, linktype);
            g_autoptr(GPtrArray) comments = pcapng_annotate_frame_comments(e, frame);
            pcapng_writer_packet(o->w, id, meta.ts_us, meta.wire_len, data, meta.cap_len,
                                 comments ? (const char *const *)comments->pdata : NULL,
                                 comments ? comments->len : 0);
        }
        erdiag_capture_reader_close(r);
        /* a damaged input stops the second pass where it stopped the first */
        if (err && frame < frames) {
            g_propagate_error(error, g_steal_pointer(&err));
            return FALSE;
        }
        if (err)
            break;
    }
    if (frame < frames) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    "the input holds %" G_GUINT64_FORMAT " frames now, %" G_GUINT64_FORMAT
                    " when it was analysed: did it change?", frame, frames);
        return FALSE;
    }
    return TRUE;
}

/* Writes straight into out_path (a FIFO, /dev/null: never replaced). */
static gboolean write_in_place(erdiag_engine *e, const char *const *inputs, const char *const *names,
                               guint64 frames, output_ifaces *o, const char *out_path, GError **error)
{
    g_autofree char *comment = pcapng_annotate_section_comment(e);
    o->w = pcapng_writer_create(out_path, comment, error);
    if (!o->w) {
        g_prefix_error(error, "--annotate: ");
        return FALSE;
    }
    gboolean ok = copy_frames(e, inputs, names, frames, o, error);
    if (!pcapng_writer_close(o->w, ok ? error : NULL) && ok) {
        g_prefix_error(error, "--annotate: ");
        ok = FALSE;
    }
    return ok;
}

/* Writes a temporary file beside out_path and renames it over out_path. */
static gboolean write_and_rename(erdiag_engine *e, const char *const *inputs, const char *const *names,
                                 guint64 frames, output_ifaces *o, const char *out_path, GError **error)
{
    g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", out_path);
    int fd = g_mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "--annotate %s: %s", out_path,
                    g_strerror(err));
        return FALSE;
    }
    close(fd);
    /* mkstemp makes the file private; give it the mode a new file gets */
    mode_t mask = umask(0);
    umask(mask);
    g_chmod(tmp, 0666 & ~mask);
    gboolean ok = write_in_place(e, inputs, names, frames, o, tmp, error);
    if (ok && g_rename(tmp, out_path) != 0) {
        int err = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "--annotate %s: %s", out_path,
                    g_strerror(err));
        ok = FALSE;
    }
    if (!ok)
        g_unlink(tmp);
    return ok;
}

gboolean pcapng_annotate_write(erdiag_engine *e, const char *const *inputs, const char *const *names,
                               guint64 frames, const annotate_iface *ifaces, guint n_ifaces,
                               const char *out_path, GError **error)
{
    for (guint f = 0; inputs[f]; f++)
        if (strcmp(inputs[f], "-") == 0) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "--annotate: standard input cannot be read a second time");
            return FALSE;
        }
    output_ifaces o = {NULL, g_hash_table_new(g_direct_hash, g_direct_equal), ifaces, n_ifaces};
    GStatBuf st;
    gboolean special = g_stat(out_path, &st) == 0 && !S_ISREG(st.st_mode);
    gboolean ok = special ? write_in_place(e, inputs, names, frames, &o, out_path, error)
                          : write_and_rename(e, inputs, names, frames, &o, out_path, error);
    g_hash_table_destroy(o.ids);
    return ok;
}
