/* erdiag: diagnose an ExpressRoute private peering from a packet capture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "capture_reader.h"
#include "cli_options.h"
#include "decoder.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"

typedef struct {
    erdiag_engine *engine;
} feed_ctx;

static void feed_event(const erdiag_event *ev, gpointer user)
{
    feed_ctx *c = user;
    erdiag_engine_feed(c->engine, ev, NULL);
}

/* Reads every input in turn. Returns FALSE when an input could not be read
 * fully (the error has been printed); what was read is analysed anyway. */
static gboolean read_files(const cli_options *o, erdiag_engine *engine, erdiag_decoder *dec)
{
    guint64 frame = 0;
    gboolean ok = TRUE;
    for (guint f = 0; o->inputs[f]; f++) {
        const char *path = o->inputs[f];
        g_autoptr(GError) err = NULL;
        erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
        if (!r) {
            fprintf(stderr, "erdiag: %s\n", err->message);
            return FALSE;
        }
        erdiag_engine_add_file(engine, strcmp(path, "-") == 0 ? "(standard input)" : path);
        int linktype;
        erdiag_packet_meta meta;
        const guint8 *data;
        while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
            frame++;
            if (o->at_frame && frame > (guint64)o->at_frame)
                break;
            meta.frame = frame;
            /* interfaces of different files are different interfaces */
            meta.iface += f << 16;
            erdiag_decoder_packet(dec, linktype, data, &meta);
        }
        if (err) {
            fprintf(stderr, "erdiag: %s\n", err->message);
            erdiag_engine_note(engine, "%s", err->message);
            erdiag_engine_set_truncated(engine);
            ok = FALSE;
        }
        erdiag_capture_reader_close(r);
        if (o->at_frame && frame > (guint64)o->at_frame)
            break;
    }
    return ok;
}

static gboolean write_output(const cli_options *o, const GString *text)
{
    if (!o->output || strcmp(o->output, "-") == 0) {
        fwrite(text->str, 1, text->len, stdout);
        return fflush(stdout) == 0;
    }
    g_autoptr(GError) err = NULL;
    if (!g_file_set_contents(o->output, text->str, text->len, &err)) {
        fprintf(stderr, "erdiag: %s\n", err->message);
        return FALSE;
    }
    return TRUE;
}

int main(int argc, char **argv)
{
    cli_options o;
    if (!cli_options_parse(&o, &argc, &argv)) {
        cli_options_clear(&o);
        return 2;
    }
    if (o.version) {
        printf("erdiag %s\n", ERDIAG_VERSION_STRING);
        cli_options_clear(&o);
        return 0;
    }
    erdiag_config *cfg = NULL;
    if (o.config_file) {
        g_autoptr(GError) err = NULL;
        GPtrArray *problems = NULL;
        cfg = erdiag_config_load_file(o.config_file, &problems, &err);
        if (!cfg) {
            fprintf(stderr, "erdiag: config.invalid: %s\n", err->message);
            if (problems) {
                for (guint i = 1; i < problems->len; i++) {
                    erdiag_config_problem *p = g_ptr_array_index(problems, i);
                    fprintf(stderr, "erdiag: config.invalid: %s: %s%s%s: expected %s\n", o.config_file, p->key,
                            *p->value ? " = " : "", p->value, p->expected);
                }
                g_ptr_array_unref(problems);
            }
            cli_options_clear(&o);
            return 2;
        }
    }
    erdiag_engine *engine = erdiag_engine_new(cfg);
    feed_ctx ctx = {engine};
    erdiag_decoder *dec = erdiag_decoder_new(feed_event, &ctx);
    int status;
    gboolean read_ok = read_files(&o, engine, dec);
    if (!read_ok && erdiag_engine_capture_info(engine)->frames == 0 && !erdiag_engine_capture_info(engine)->truncated) {
        status = 2; /* nothing could be read at all */
    } else {
        erdiag_decoder_finish(dec);
        erdiag_engine_finish(engine);
        erdiag_report_options ropt = {.format = o.format, .redact = o.redact, .width = (guint)o.width,
                                      .at_frame = (guint64)o.at_frame};
        GString *text = g_string_new(NULL);
        erdiag_report_write(engine, &ropt, text);
        gboolean written = write_output(&o, text);
        g_string_free(text, TRUE);
        status = !written || !read_ok ? 2 : erdiag_report_exit_status(engine);
    }
    erdiag_decoder_free(dec);
    erdiag_engine_free(engine);
    erdiag_config_free(cfg);
    cli_options_clear(&o);
    return status;
}
