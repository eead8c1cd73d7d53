/* Fuzz target: the whole CLI pipeline on a capture file's bytes. The input
 * is written to a memory file and opened by path, exactly as the CLI opens
 * a capture; every frame goes through the decoder into the engine, and the
 * report is written in every format, plain and redacted.
 *
 * The engine runs twice: without a configuration (zero-config inference
 * from the addresses on the wire) and with one that declares peerings like
 * the captures' (plain VLAN, QinQ, dual stack), since the two map packets
 * onto peerings by different code. */
#include "fuzz_common.h"
#include <sys/mman.h>
#include <unistd.h>
#include <json-glib/json-glib.h>
#include "capture_reader.h"
#include "decoder.h"
#include "erdiag/config.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"

/* A frame count no fuzz input reaches in practice; it bounds a run should
 * the reader ever loop. */
#define MAX_FRAMES 200000

static const char CONFIG_INI[] =
    "[peering plain]\n"
    "vlan = 100\n"
    "peer-asn = 65010\n"
    "primary-subnet = 192.168.15.16/30\n"
    "secondary-subnet = 192.168.15.20/30\n"
    "primary-subnet-v6 = fd00:15::/126\n"
    "secondary-subnet-v6 = fd00:15::4/126\n"
    "sku = standard\n"
    "vnet-prefixes = 10.1.0.0/16, 10.2.0.0/24\n"
    "expected-onprem-prefixes = 172.16.0.0/16, 10.50.0.0/16\n"
    "[peering qinq]\n"
    "vlan = 200\n"
    "outer-vlan = 20\n"
    "peer-asn = 65020\n"
    "primary-subnet = 192.168.50.8/30\n"
    "secondary-subnet = 192.168.50.12/30\n"
    "sku = premium\n"
    "vnet-prefixes = 10.3.0.0/16\n"
    "expected-onprem-prefixes = 172.17.0.0/16\n";

static erdiag_config *config;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    GPtrArray *problems = NULL;
    GError *err = NULL;
    config = erdiag_config_load_data(CONFIG_INI, sizeof CONFIG_INI - 1, "fuzz.ini", &problems, &err);
    if (config == NULL) {
        fprintf(stderr, "fuzz_pipeline: built-in configuration rejected: %s\n", err ? err->message : "?");
        abort();
    }
    if (problems)
        g_ptr_array_unref(problems);
    return 0;
}

static void feed(const erdiag_event *ev, gpointer user)
{
    fuzz_walk_event(ev);
    erdiag_engine_feed(user, ev, NULL);
}

static void check_report(erdiag_engine *e, erdiag_format format, gboolean redact)
{
    erdiag_report_options opt = { .format = format, .redact = redact };
    GString *out = g_string_new(NULL);
    erdiag_report_write(e, &opt, out);
    FUZZ_CHECK(out->len > 0);
    /* Packet bytes must never reach a report as anything but text. */
    FUZZ_CHECK(g_utf8_validate(out->str, (gssize)out->len, NULL));
    FUZZ_CHECK(strlen(out->str) == out->len);
    if (format == ERDIAG_FORMAT_JSON) {
        JsonParser *parser = json_parser_new();
        GError *err = NULL;
        gboolean ok = json_parser_load_from_data(parser, out->str, (gssize)out->len, &err);
        if (!ok)
            fprintf(stderr, "JSON report does not parse: %s\n", err->message);
        FUZZ_CHECK(ok);
        g_object_unref(parser);
    }
    g_string_free(out, TRUE);
}

/* Reads the capture at path into a new engine, the way the CLI does. */
static erdiag_engine *run(const char *path, const erdiag_config *cfg)
{
    GError *err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
    if (r == NULL) {
        /* A refusal always says why. */
        FUZZ_CHECK(err != NULL && err->message[0] != '\0');
        g_error_free(err);
        return NULL;
    }
    FUZZ_CHECK(err == NULL);
    erdiag_engine *e = erdiag_engine_new(cfg);
    erdiag_engine_add_file(e, "fuzz.pcap");
    erdiag_decoder *dec = erdiag_decoder_new(feed, e);
    int linktype;
    erdiag_packet_meta meta;
    const guint8 *data;
    guint64 frames = 0;
    while (frames < MAX_FRAMES && erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
        meta.frame = ++frames;
        FUZZ_CHECK(meta.cap_len == 0 || data != NULL);
        erdiag_engine_frame(e, meta.frame, meta.ts_us); /* as the CLI does */
        erdiag_decoder_packet(dec, linktype, data, &meta);
    }
    FUZZ_CHECK(frames < MAX_FRAMES);
    FUZZ_CHECK(erdiag_capture_reader_frames(r) == frames);
    if (err) {
        FUZZ_CHECK(err->message[0] != '\0');
        erdiag_engine_note(e, "%s", err->message);
        erdiag_engine_set_truncated(e);
        g_error_free(err);
    }
    erdiag_capture_reader_close(r);
    erdiag_decoder_finish(dec);
    erdiag_decoder_free(dec);
    erdiag_engine_finish(e);
    for (guint64 f = 1; f <= frames; f++) {
        const GPtrArray *fs = erdiag_engine_frame_findings(e, f);
        FUZZ_CHECK(fs == NULL || fs->len > 0);
    }
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-capture", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0);
    gsize done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        FUZZ_CHECK(n > 0);
        done += (gsize)n;
    }
    char path[64];
    g_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

    erdiag_engine *e = run(path, NULL);
    if (e != NULL) {
        check_report(e, ERDIAG_FORMAT_TEXT, FALSE);
        check_report(e, ERDIAG_FORMAT_JSON, FALSE);
        check_report(e, ERDIAG_FORMAT_MARKDOWN, FALSE);
        check_report(e, ERDIAG_FORMAT_HTML, FALSE);
        check_report(e, ERDIAG_FORMAT_JSON, TRUE);
        (void)erdiag_report_exit_status(e);
        erdiag_engine_free(e);

        e = run(path, config);
        FUZZ_CHECK(e != NULL);
        check_report(e, ERDIAG_FORMAT_TEXT, FALSE);
        check_report(e, ERDIAG_FORMAT_JSON, FALSE);
        check_report(e, ERDIAG_FORMAT_HTML, TRUE);
        erdiag_engine_free(e);
    }
    close(fd);
    return 0;
}
