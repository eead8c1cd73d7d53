/* One run: inputs, streaming output, report, evidence captures (run.h).
 *
 * Streaming: text streams for stdin and live runs (a file is read faster
 * than anyone reads along); jsonl streams in every mode, so a script sees
 * the same lines whether the capture is live, piped or a file. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "pcapng_annotate.h"
#include "run_inputs.h"

typedef enum { MODE_FILES, MODE_STDIN, MODE_LIVE } run_mode;

typedef struct {
    const cli_options *o;
    run_mode mode;
    run_context ctx;
    live_capture *live;
    FILE *out;               /* jsonl destination (stdout or -o FILE) */
    char *spool_path;        /* -w FILE, or a temporary copy for --annotate */
    gboolean spool_is_temp;
} run_state;

static run_mode mode_of(const cli_options *o)
{
    if (o->interfaces && o->interfaces[0])
        return MODE_LIVE;
    if (o->inputs && o->inputs[0] && strcmp(o->inputs[0], "-") == 0 && !o->inputs[1])
        return MODE_STDIN;
    return MODE_FILES;
}

static gboolean to_stdout(const cli_options *o)
{
    return !o->output || strcmp(o->output, "-") == 0;
}

static guint terminal_width(const cli_options *o)
{
    if (o->width)
        return (guint)o->width;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    return 80;
}

/* -o FILE is written in place, not through a temporary file renamed over
 * it (g_file_set_contents): that would replace /dev/null or a FIFO with a
 * regular file, and as root it does. */
static gboolean write_output(const cli_options *o, const GString *text)
{
    if (to_stdout(o)) {
        fwrite(text->str, 1, text->len, stdout);
        return fflush(stdout) == 0;
    }
    FILE *f = fopen(o->output, "w");
    if (!f) {
        fprintf(stderr, "erdiag: %s: %s\n", o->output, g_strerror(errno));
        return FALSE;
    }
    gboolean ok = fwrite(text->str, 1, text->len, f) == text->len;
    int err = ok ? 0 : errno;
    if (fclose(f) != 0 && ok) {
        ok = FALSE;
        err = errno;
    }
    if (!ok)
        fprintf(stderr, "erdiag: %s: %s\n", o->output, g_strerror(err ? err : EIO));
    return ok;
}

/* Checks that need no packet; FALSE after printing the error. */
static gboolean check_usage(const run_state *s)
{
    if (s->mode == MODE_FILES && s->o->annotate)
        for (guint i = 0; s->o->inputs[i]; i++)
            if (strcmp(s->o->inputs[i], "-") == 0) {
                fprintf(stderr, "erdiag: --annotate: standard input can be read only once: give '-' as the "
                                "only capture, or save it to a file first\n");
                return FALSE;
            }
    return TRUE;
}

static gboolean open_spool(run_state *s)
{
    const cli_options *o = s->o;
    if (o->write_file && s->mode == MODE_LIVE) {
        s->spool_path = g_strdup(o->write_file);
    } else if (o->annotate && s->mode != MODE_FILES) {
        g_autoptr(GError) err = NULL;
        int fd = g_file_open_tmp("erdiag-spool-XXXXXX.pcapng", &s->spool_path, &err);
        if (fd < 0) {
            fprintf(stderr, "erdiag: --annotate: cannot create a temporary file: %s\n", err->message);
            return FALSE;
        }
        close(fd);
        s->spool_is_temp = TRUE;
    } else {
        return TRUE;
    }
    g_autoptr(GError) err = NULL;
    pcapng_writer *w = pcapng_writer_create(s->spool_path, NULL, &err);
    if (!w) {
        fprintf(stderr, "erdiag: %s%s\n", s->spool_is_temp ? "--annotate: " : "-w ", err->message);
        return FALSE;
    }
    run_context_set_spool(&s->ctx, w);
    for (guint i = 0; s->live && i < live_capture_count(s->live); i++)
        run_context_spool_interface(&s->ctx, i, live_capture_linktype(s->live, i), live_capture_snaplen(s->live, i),
                                    live_capture_name(s->live, i));
    return TRUE;
}

static gboolean close_spool(run_state *s)
{
    if (!s->ctx.spool)
        return TRUE;
    g_autoptr(GError) err = NULL;
    gboolean ok = pcapng_writer_close(s->ctx.spool, &err);
    s->ctx.spool = NULL;
    if (!ok)
        fprintf(stderr, "erdiag: %s%s\n", s->spool_is_temp ? "--annotate: " : "-w ", err->message);
    return ok;
}

static gboolean start_stream(run_state *s)
{
    const cli_options *o = s->o;
    gboolean text_stream = o->format == ERDIAG_FORMAT_TEXT && !o->jsonl && s->mode != MODE_FILES;
    if (!o->jsonl && !text_stream)
        return TRUE;
    s->out = stdout;
    if (o->jsonl && !to_stdout(o)) {
        s->out = fopen(o->output, "w");
        if (!s->out) {
            fprintf(stderr, "erdiag: %s: %s\n", o->output, g_strerror(errno));
            return FALSE;
        }
    }
    gboolean terminal = text_stream && isatty(STDOUT_FILENO);
    s->ctx.stream = stream_output_new(s->ctx.engine, o->jsonl ? STREAM_JSONL : STREAM_TEXT, s->out, terminal,
                                      terminal_width(o));
    stream_output_update(s->ctx.stream, 0, TRUE);
    return TRUE;
}

static gboolean annotate(run_state *s)
{
    const cli_options *o = s->o;
    if (!o->annotate)
        return TRUE;
    g_autoptr(GError) err = NULL;
    gboolean ok;
    if (s->mode == MODE_FILES) {
        ok = pcapng_annotate_write(s->ctx.engine, (const char *const *)o->inputs, NULL, s->ctx.frames, NULL, 0,
                                   o->annotate, &err);
    } else {
        guint n = s->live ? live_capture_count(s->live) : 0;
        g_autofree annotate_iface *ifaces = g_new0(annotate_iface, MAX(n, 1u));
        for (guint i = 0; i < n; i++)
            ifaces[i] = (annotate_iface){live_capture_name(s->live, i), live_capture_snaplen(s->live, i)};
        const char *inputs[] = {s->spool_path, NULL};
        const char *names[] = {"stdin", NULL};
        ok = pcapng_annotate_write(s->ctx.engine, inputs, names, s->ctx.frames, ifaces, n, o->annotate, &err);
    }
    if (!ok)
        fprintf(stderr, "erdiag: %s\n", err->message);
    return ok;
}

static input_status read_input(run_state *s)
{
    switch (s->mode) {
    case MODE_LIVE:
        return run_inputs_live(s->o, s->live, &s->ctx);
    case MODE_STDIN:
        return run_inputs_stdin(&s->ctx);
    default:
        return run_inputs_files(s->o, &s->ctx);
    }
}

/* The report after the input: streamed runs end with it too. */
static gboolean report(run_state *s, const erdiag_report_options *ropt)
{
    stream_output *st = s->ctx.stream;
    if (st && s->o->jsonl) {
        stream_output_report(st, ropt);
        return stream_output_ok(st);
    }
    if (st)
        stream_output_report(st, ropt);
    GString *text = g_string_new(NULL);
    erdiag_report_write(s->ctx.engine, ropt, text);
    gboolean ok = write_output(s->o, text);
    g_string_free(text, TRUE);
    return ok && (!st || stream_output_ok(st));
}

static void run_state_clear(run_state *s)
{
    stream_output_free(s->ctx.stream);
    s->ctx.stream = NULL;
    close_spool(s);
    if (s->spool_is_temp)
        g_unlink(s->spool_path);
    g_free(s->spool_path);
    live_capture_close(s->live);
    run_context_clear(&s->ctx);
    if (s->out && s->out != stdout)
        fclose(s->out);
}

int cli_run(const cli_options *o, erdiag_engine *engine, const erdiag_report_options *ropt)
{
    run_state s = {.o = o, .mode = mode_of(o)};
    run_context_init(&s.ctx, engine);
    s.ctx.max_frames = (guint64)o->at_frame;
    if (!check_usage(&s)) {
        run_state_clear(&s);
        return 2;
    }
    if (s.mode == MODE_LIVE) {
        g_autoptr(GError) err = NULL;
        s.live = live_capture_open(o->interfaces, o->filter, &err);
        if (!s.live) {
            fprintf(stderr, "erdiag: %s\n", err->message);
            run_state_clear(&s);
            return 2;
        }
    }
    if (!open_spool(&s) || !start_stream(&s)) {
        run_state_clear(&s);
        return 2;
    }
    input_status in = read_input(&s);
    if (in == INPUT_FAILED) {
        run_state_clear(&s);
        return 2;
    }
    run_context_finish(&s.ctx);
    gboolean ok = close_spool(&s);
    ok = report(&s, ropt) && ok;
    ok = annotate(&s) && ok;
    run_state_clear(&s);
    return !ok || in != INPUT_OK ? 2 : erdiag_report_exit_status(engine);
}
