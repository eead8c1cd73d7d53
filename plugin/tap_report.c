/* tshark -z expressroute,report[,text|json|markdown|html]
 *
 * Prints the engine's report at the end of the file: the same writer the CLI
 * uses (erdiag_report_write), so the text is identical to `erdiag` on the
 * same capture and configuration. Kept apart from the dissector because it
 * writes to stdout, which dissectors must not do. */
#include "expressroute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "erdiag/report.h"

#define REPORT_CLI_STRING "expressroute,report"

typedef struct {
    erdiag_format format;
    guint64 frames; /* frames the dissector queued (diagnostics only) */
} report_tap;

static tap_packet_status report_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *rec _U_, tap_flags_t flags _U_)
{
    report_tap *rt = data;
    rt->frames++;
    return TAP_PACKET_DONT_REDRAW;
}

static void report_draw(void *data)
{
    report_tap *rt = data;
    erdiag_engine *engine = er_capture_engine();
    if (!engine) {
        printf("expressroute: the analysis is disabled (expressroute.enabled is FALSE)\n");
        return;
    }
    /* Single-pass tshark ends here without a first-pass hook having run. */
    er_capture_ensure_finished();
    erdiag_report_options opt;
    memset(&opt, 0, sizeof opt);
    opt.format = rt->format;
    opt.width = 80;
    GString *out = g_string_new(NULL);
    erdiag_report_write(engine, &opt, out);
    fwrite(out->str, 1, out->len, stdout);
    fflush(stdout);
    g_string_free(out, TRUE);
}

static void report_finish(void *data)
{
    g_free(data);
}

static void report_init(const char *opt_arg, void *userdata _U_)
{
    report_tap *rt = g_new0(report_tap, 1);
    rt->format = ERDIAG_FORMAT_TEXT;
    const char *rest = opt_arg + strlen(REPORT_CLI_STRING);
    if (*rest == ',' && !erdiag_format_parse(rest + 1, &rt->format)) {
        g_printerr("tshark: invalid \"-z %s\": expected -z %s[,text|json|markdown|html]\n",
                   opt_arg, REPORT_CLI_STRING);
        g_free(rt);
        exit(1);
    } else if (*rest && *rest != ',') {
        g_printerr("tshark: invalid \"-z %s\": expected -z %s[,text|json|markdown|html]\n",
                   opt_arg, REPORT_CLI_STRING);
        g_free(rt);
        exit(1);
    }
    GString *err = register_tap_listener("expressroute", rt, NULL, TL_REQUIRES_NOTHING, NULL,
                                         report_packet, report_draw, report_finish);
    if (err) {
        g_printerr("tshark: couldn't register the expressroute report: %s\n", err->str);
        g_string_free(err, TRUE);
        g_free(rt);
        exit(1);
    }
}

static stat_tap_ui report_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "ExpressRoute report",
    REPORT_CLI_STRING,
    report_init,
    0,
    NULL,
};

void er_tap_report_register(void)
{
    register_stat_tap_ui(&report_ui, NULL);
}
