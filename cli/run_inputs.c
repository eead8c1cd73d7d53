/* Reading files, standard input and live interfaces (see run_inputs.h). */
#include "run_inputs.h"

#include <stdio.h>
#include <string.h>
#include "capture_reader.h"
#include "stdin_stream.h"
#include "stop_signal.h"

/* How long a live poll waits before the clock is ticked. */
#define LIVE_POLL_MS 250
/* The -w file is flushed this often, so it can be read while it grows. */
#define SPOOL_FLUSH_US G_USEC_PER_SEC

static void damaged(run_context *c, const GError *err)
{
    fprintf(stderr, "erdiag: %s\n", err->message);
    erdiag_engine_note(c->engine, "%s", err->message);
    erdiag_engine_set_truncated(c->engine);
}

typedef struct {
    run_context *c;
    guint file;                /* index among the inputs */
} file_input;

static gboolean on_file_frame(int linktype, erdiag_packet_meta *meta, const guint8 *data, gpointer user)
{
    file_input *in = user;
    /* interfaces of different files are different interfaces */
    meta->iface += in->file << 16;
    run_context_packet(in->c, linktype, meta, data, 0);
    return run_context_wants_more(in->c);
}

input_status run_inputs_files(const cli_options *o, run_context *c)
{
    for (guint f = 0; o->inputs[f] && run_context_wants_more(c); f++) {
        const char *path = o->inputs[f];
        g_autoptr(GError) err = NULL;
        erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
        if (!r) {
            fprintf(stderr, "erdiag: %s\n", err->message);
            return c->frames == 0 ? INPUT_FAILED : INPUT_DAMAGED;
        }
        erdiag_engine_add_file(c->engine, strcmp(path, "-") == 0 ? "(standard input)" : path);
        file_input in = {c, f};
        erdiag_capture_reader_each(r, on_file_frame, &in, &err);
        erdiag_capture_reader_close(r);
        if (err) {
            damaged(c, err);
            return INPUT_DAMAGED;
        }
    }
    return INPUT_OK;
}

input_status run_inputs_stdin(run_context *c)
{
    g_autoptr(GError) err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open("-", &err);
    if (!r) {
        fprintf(stderr, "erdiag: %s\n", err->message);
        return INPUT_FAILED;
    }
    erdiag_engine_add_file(c->engine, "(standard input)");
    stop_signal_install();
    if (!stdin_stream_run(r, c, &err)) {
        damaged(c, err);
        return INPUT_DAMAGED;
    }
    return INPUT_OK;
}

static void on_live_packet(guint iface, int linktype, erdiag_packet_meta *meta, const guint8 *data,
                           gpointer user)
{
    (void)iface;
    run_context *c = user;
    if (run_context_wants_more(c))
        run_context_packet(c, linktype, meta, data, g_get_monotonic_time());
}

input_status run_inputs_live(const cli_options *o, live_capture *lc, run_context *c)
{
    GString *names = g_string_new(NULL);
    for (guint i = 0; i < live_capture_count(lc); i++) {
        g_autofree char *name = g_strdup_printf("%s (live)", live_capture_name(lc, i));
        erdiag_engine_add_file(c->engine, name);
        g_string_append_printf(names, "%s%s", i ? ", " : "", live_capture_name(lc, i));
    }
    /* like tcpdump's "listening on": the run has started, and how it ends */
    if (o->duration > 0)
        fprintf(stderr, "erdiag: listening on %s (%s filter) for %d s; Ctrl-C stops earlier\n", names->str,
                o->filter ? "your" : "default", o->duration);
    else
        fprintf(stderr, "erdiag: listening on %s (%s filter); Ctrl-C stops and reports\n", names->str,
                o->filter ? "your" : "default");
    g_string_free(names, TRUE);
    stop_signal_install();
    gint64 start = g_get_monotonic_time(), flushed = start;
    gint64 end = o->duration > 0 ? start + (gint64)o->duration * G_USEC_PER_SEC : 0;
    input_status status = INPUT_OK;
    g_autoptr(GError) err = NULL;
    while (!stop_signal_requested() && run_context_wants_more(c)) {
        gint64 now = g_get_monotonic_time();
        if (end && now >= end)
            break;
        int wait_ms = LIVE_POLL_MS;
        if (end)
            wait_ms = (int)MIN((gint64)wait_ms, (end - now + 999) / 1000);
        if (live_capture_poll(lc, wait_ms, on_live_packet, c, &err) < 0)
            break;
        now = g_get_monotonic_time();
        run_context_tick(c, now);
        if (c->spool && now - flushed >= SPOOL_FLUSH_US) {
            pcapng_writer_flush(c->spool);
            flushed = now;
        }
    }
    /* what the kernel captured before the end still belongs to the run */
    while (!err && run_context_wants_more(c) && live_capture_poll(lc, 0, on_live_packet, c, &err) > 0)
        ;
    if (err) {
        damaged(c, err);
        status = INPUT_DAMAGED;
    }
    g_autoptr(GPtrArray) drops = live_capture_drop_notes(lc);
    for (guint i = 0; drops && i < drops->len; i++) {
        fprintf(stderr, "erdiag: %s\n", (char *)g_ptr_array_index(drops, i));
        erdiag_engine_note(c->engine, "%s", (char *)g_ptr_array_index(drops, i));
    }
    return status;
}
