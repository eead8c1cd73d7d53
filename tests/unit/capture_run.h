/* Running the engine in-process over a capture file, as the CLI does: for
 * the report tests.  Include once per test program; the CLI's
 * reader comes from the erdiag_cli library. */
#ifndef ERDIAG_TEST_CAPTURE_RUN_H
#define ERDIAG_TEST_CAPTURE_RUN_H

#include <string.h>
#include <glib.h>
#include "azure_exports.h"
#include "capture_reader.h"
#include "decoder.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"

static void capture_run_feed(const erdiag_event *ev, gpointer user)
{
    erdiag_engine_feed(user, ev, NULL);
}

/* Reads the capture into a new engine (cfg and Azure's exports x may be
 * NULL; they must outlive the engine) and finishes it, as the CLI does. NULL
 * when the file cannot be opened. */
G_GNUC_UNUSED static erdiag_engine *capture_run_with(const char *path, const erdiag_config *cfg,
                                                     const erdiag_azure_exports *x)
{
    g_autoptr(GError) err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
    if (!r)
        return NULL;
    erdiag_engine *e = erdiag_engine_new(cfg);
    if (x)
        erdiag_azure_exports_attach(e, x);
    erdiag_decoder *dec = erdiag_decoder_new(capture_run_feed, e);
    erdiag_engine_add_file(e, path);
    int linktype;
    erdiag_packet_meta meta;
    const guint8 *data;
    guint64 frame = 0;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
        meta.frame = ++frame;
        erdiag_engine_frame(e, meta.frame, meta.ts_us); /* as the CLI does */
        erdiag_decoder_packet(dec, linktype, data, &meta);
    }
    if (err)
        erdiag_engine_set_truncated(e);
    erdiag_capture_reader_close(r);
    erdiag_decoder_finish(dec);
    erdiag_decoder_free(dec);
    erdiag_engine_finish(e);
    return e;
}

static erdiag_engine *capture_run(const char *path, const erdiag_config *cfg)
{
    return capture_run_with(path, cfg, NULL);
}

/* "id link: message" of every finding, one per line (newly allocated). */
G_GNUC_UNUSED static char *capture_run_findings_text(erdiag_engine *e)
{
    GPtrArray *fs = erdiag_engine_findings(e);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < fs->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(fs, i);
        g_string_append_printf(s, "%s %s: %s\n", erdiag_finding_def_get(f->kind)->id, f->link ? f->link : "-",
                               f->message);
    }
    return g_string_free(s, FALSE);
}

/* The report in one format (newly allocated). */
G_GNUC_UNUSED static char *capture_run_report(erdiag_engine *e, erdiag_format format, gboolean redact,
                                const erdiag_azure_evidence *azure)
{
    erdiag_report_options opt = {.format = format, .redact = redact, .azure = azure};
    GString *out = g_string_new(NULL);
    erdiag_report_write(e, &opt, out);
    return g_string_free(out, FALSE);
}

static gint capture_run_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scenario directories under captures/ holding a capture file (sorted, full paths). */
G_GNUC_UNUSED static GPtrArray *capture_run_dirs(void)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *root = g_build_filename(ERDIAG_SOURCE_DIR, "captures", NULL);
    GDir *d = g_dir_open(root, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *cap = g_build_filename(root, name, "capture.pcapng", NULL);
        g_autofree char *cap2 = g_build_filename(root, name, "capture.pcap", NULL);
        if (g_file_test(cap, G_FILE_TEST_IS_REGULAR) || g_file_test(cap2, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add(out, g_build_filename(root, name, NULL));
    }
    if (d)
        g_dir_close(d);
    g_ptr_array_sort(out, capture_run_cmp);
    return out;
}

G_GNUC_UNUSED static char *capture_run_file(const char *dir)
{
    char *p = g_build_filename(dir, "capture.pcapng", NULL);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
        return p;
    g_free(p);
    return g_build_filename(dir, "capture.pcap", NULL);
}

#endif
