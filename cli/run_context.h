/* One packet's way through the CLI, the same for files, stdin and live
 * capture: number it, decode it into the engine, save it to the spool
 * (-w, or the copy --annotate reads again), then let the streaming output
 * report what became known. Also the clock for time-driven findings when
 * no packet arrives. */
#ifndef ERDIAG_CLI_RUN_CONTEXT_H
#define ERDIAG_CLI_RUN_CONTEXT_H

#include <glib.h>
#include "decoder.h"
#include "erdiag/engine.h"
#include "pcapng_writer.h"
#include "stream_output.h"

G_BEGIN_DECLS

typedef struct {
    erdiag_engine *engine;
    erdiag_decoder *decoder;
    stream_output *stream;       /* NULL: no streaming output */
    pcapng_writer *spool;        /* NULL: frames are not saved */
    GHashTable *spool_ifaces;    /* source iface -> spool interface id */
    guint64 frames;              /* frames fed so far (the last frame's number) */
    guint64 max_frames;          /* --at N: read no further than frame N (0: no limit) */
    gint64 last_ts_us;           /* capture time of the latest frame (0: none yet) */
    gint64 last_wall_us;         /* monotonic time when that frame was read */
} run_context;

void run_context_init(run_context *c, erdiag_engine *engine);
void run_context_clear(run_context *c);

/* Saves frames to spool from now on; source interfaces declared with
 * run_context_spool_interface() keep their names, others get one on first use. */
void run_context_set_spool(run_context *c, pcapng_writer *spool);
void run_context_spool_interface(run_context *c, guint32 iface, int linktype, guint32 snaplen, const char *name);

/* TRUE while more frames may be fed (--at not reached). */
gboolean run_context_wants_more(const run_context *c);

/* Feeds one packet; meta->frame is set here. wall_us: g_get_monotonic_time()
 * when the packet was read (live and stdin), 0 for files. */
void run_context_packet(run_context *c, int linktype, erdiag_packet_meta *meta, const guint8 *data,
                        gint64 wall_us);

/* No packet for a while: advance the engine's clock to the capture time the
 * wall clock stands for (the last frame's time plus the wall time since it
 * was read, less a margin for delivery delay), so time-based findings fire
 * while the capture runs. Does nothing before the first frame. */
void run_context_tick(run_context *c, gint64 wall_now_us);

/* End of input: decoder and engine verdicts, last streaming output. */
void run_context_finish(run_context *c);

G_END_DECLS

#endif
