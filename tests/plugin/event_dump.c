/* Prints the events the CLI's decoders make of one capture, one line each,
 * in the format the plugin writes to ERDIAG_PLUGIN_EVENT_LOG: the reference
 * the plugin's field extraction is compared with.
 *
 * usage: erdiag_event_dump CAPTURE */
#include <stdio.h>
#include "capture_reader.h"
#include "decoder.h"
#include "event_text.h"

static void print_event(const erdiag_event *ev, gpointer user)
{
    GString *line = user;
    g_string_truncate(line, 0);
    er_event_to_text(ev, line);
    fwrite(line->str, 1, line->len, stdout);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
        return 2;
    }
    GError *err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(argv[1], &err);
    if (!r) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
        return 2;
    }
    GString *line = g_string_new(NULL);
    erdiag_decoder *dec = erdiag_decoder_new(print_event, line);
    int linktype;
    erdiag_packet_meta meta;
    const guint8 *data;
    guint64 frame = 0;
    /* Numbered as the CLI numbers the frames of its first input. */
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
        meta.frame = ++frame;
        erdiag_decoder_packet(dec, linktype, data, &meta);
    }
    int status = 0;
    if (err) {
        fprintf(stderr, "%s\n", err->message);
        g_clear_error(&err);
        status = 1;
    }
    erdiag_decoder_finish(dec);
    erdiag_decoder_free(dec);
    erdiag_capture_reader_close(r);
    g_string_free(line, TRUE);
    return status;
}
