/* The engine of the capture file being dissected, and what the first pass
 * records about each frame.
 *
 * epan calls the init routine when a file is opened and on every
 * redissection, and the cleanup routine when it is closed: one engine lives
 * exactly as long as the frames' wmem_file_scope records that point into it.
 *
 * Late verdicts (an ARP request never answered, a prefix never advertised)
 * need the whole file, and the engine ignores what it is fed after
 * erdiag_engine_finish(). So finishing waits until the first pass is over:
 *   - epan's post-sequential hook: tshark -2, the GUI after loading a file or
 *     when a live capture stops;
 *   - the GUI's redissection (a preference changed) has no such hook: the
 *     first revisited frame finishes, but only once the GUI says the file
 *     is completely read, so a live capture is never cut short;
 *   - single-pass tshark: when the -z expressroute,report tap is drawn.
 * Single-pass tshark therefore shows late verdicts only in the report, not
 * in per-frame trees (-V, -Y): use -2 for those. */
#include "expressroute.h"

#include <stdio.h>
#include <epan/plugin_if.h>
#include <epan/proto_data.h>
#include <wiretap/wtap.h>

#include "event_text.h"

static erdiag_engine *engine;
static erdiag_config *config;
static char *config_error;
static char *last_reported_error; /* print each distinct error once, not per redissection */
static gboolean finished;
/* Peering names and link labels the frame records point at: one copy each,
 * not one per frame, and independent of the engine's own objects. */
static GStringChunk *names;
/* ERDIAG_PLUGIN_EVENT_LOG=<file>: every event fed, one line each (see event_text.h). */
static FILE *event_log;

static void drop_engine(void)
{
    erdiag_engine_free(engine);
    engine = NULL;
    erdiag_config_free(config);
    config = NULL;
    er_bgp_connections_reset();
    er_extract_reset();
    g_clear_pointer(&names, g_string_chunk_free);
    g_clear_pointer(&config_error, g_free);
    finished = FALSE;
    er_gui_refresh_reset();
    if (event_log) {
        fclose(event_log);
        event_log = NULL;
    }
}

void er_capture_init(void)
{
    drop_engine();
    if (!er_pref_enabled) {
        set_postdissector_wanted_hfids(er_handle, NULL);
        return;
    }
    config = er_prefs_build_config(&config_error);
    if (config_error && g_strcmp0(config_error, last_reported_error) != 0) {
        g_printerr("expressroute: %s (analysing without a configuration)\n", config_error);
        g_free(last_reported_error);
        last_reported_error = g_strdup(config_error);
    }
    engine = erdiag_engine_new(config);
    names = g_string_chunk_new(256);
    const char *log_path = g_getenv("ERDIAG_PLUGIN_EVENT_LOG");
    if (log_path && *log_path && !(event_log = fopen(log_path, "w")))
        g_printerr("expressroute: cannot write the event log %s\n", log_path);
    /* epan owns the array and frees it when replaced. */
    set_postdissector_wanted_hfids(er_handle, er_wanted_fields_array());
}

void er_capture_cleanup(void)
{
    drop_engine();
    set_postdissector_wanted_hfids(er_handle, NULL);
}

void er_capture_ensure_finished(void)
{
    if (engine && !finished) {
        erdiag_engine_finish(engine);
        finished = TRUE;
    }
}

void er_capture_first_pass_done(void)
{
    er_capture_ensure_finished();
    er_gui_refresh_schedule();
}

gboolean er_capture_finished(void)
{
    return engine && finished;
}

void er_capture_revisited(void)
{
    if (!engine || finished)
        return;
    /* Only the GUI answers this; it fills cf_state from its capture file. */
    ws_info_t *info = NULL;
    plugin_if_get_ws_info(&info);
    if (info && info->cf_state == FILE_READ_DONE)
        er_capture_ensure_finished();
}

erdiag_engine *er_capture_engine(void)
{
    return engine;
}

const char *er_capture_config_error(void)
{
    return config_error;
}

typedef struct {
    er_frame_record *rec;
} feed_ctx;

/* The class points into the engine's model; take it only when the peering
 * and link are still among the engine's current ones (inferred peerings can
 * be merged away while a packet is being fed). */
static gboolean class_is_current(const erdiag_packet_class *cls)
{
    const GPtrArray *peerings = erdiag_engine_peerings(engine);
    for (guint i = 0; peerings && i < peerings->len; i++) {
        const erdiag_peering *p = g_ptr_array_index((GPtrArray *)peerings, i);
        if (p != cls->peering)
            continue;
        if (!cls->link)
            return TRUE;
        for (guint j = 0; p->links && j < p->links->len; j++)
            if (g_ptr_array_index(p->links, j) == cls->link)
                return TRUE;
        return FALSE;
    }
    return FALSE;
}

static void feed_event(const erdiag_event *ev, gpointer user)
{
    feed_ctx *ctx = user;
    erdiag_packet_class cls;
    memset(&cls, 0, sizeof cls);
    erdiag_engine_feed(engine, ev, &cls);
    if (event_log) {
        GString *line = g_string_new(NULL);
        er_event_to_text(ev, line);
        fwrite(line->str, 1, line->len, event_log);
        g_string_free(line, TRUE);
    }
    ctx->rec->n_events++;
    /* A frame carrying several events (a TCP segment and its BGP messages)
     * is described by the first one the engine could place. */
    if (ctx->rec->mapped || !cls.peering || !class_is_current(&cls))
        return;
    ctx->rec->mapped = TRUE;
    ctx->rec->peering = g_string_chunk_insert_const(names, cls.peering->name ? cls.peering->name : "");
    ctx->rec->link = cls.link && cls.link->label ? g_string_chunk_insert_const(names, cls.link->label) : NULL;
    ctx->rec->side = cls.side;
    ctx->rec->step = cls.step;
}

er_frame_record *er_capture_first_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (!engine)
        return NULL;
    er_frame_record *rec = wmem_new0(wmem_file_scope(), er_frame_record);
    feed_ctx ctx = { rec };
    /* every frame counts in the summary, whatever it holds (as in the CLI) */
    erdiag_engine_frame(engine, pinfo->num,
                        (gint64)pinfo->abs_ts.secs * G_USEC_PER_SEC + pinfo->abs_ts.nsecs / 1000);
    er_extract_frame(tvb, pinfo, tree, feed_event, &ctx);
    p_add_proto_data(wmem_file_scope(), pinfo, er_proto, 0, rec);
    return rec;
}
