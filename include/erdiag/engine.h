/* The analysis engine: events in, findings and peering state out. Shared by
 * the CLI and the Wireshark plugin; knows ExpressRoute, not packets. */
#ifndef ERDIAG_ENGINE_H
#define ERDIAG_ENGINE_H

#include <glib.h>
#include "erdiag/config.h"
#include "erdiag/event.h"
#include "erdiag/finding.h"
#include "erdiag/model.h"

G_BEGIN_DECLS

typedef struct erdiag_engine erdiag_engine;

/* How one packet maps onto the peerings (for the plugin's tree, the annotator). */
typedef struct {
    const erdiag_peering *peering;   /* NULL: not peering traffic */
    const erdiag_link *link;
    erdiag_side side;                /* the sender's side */
    erdiag_step step;                /* l2 for ARP, bgp for port 179, dataplane otherwise */
} erdiag_packet_class;

typedef void (*erdiag_finding_cb)(const erdiag_finding *f, gpointer user);

/* cfg may be NULL (zero-config inference); it must outlive the engine. */
erdiag_engine *erdiag_engine_new(const erdiag_config *cfg);
void erdiag_engine_free(erdiag_engine *e);

/* Called once per finding, when it first becomes known (streaming output). */
void erdiag_engine_set_finding_callback(erdiag_engine *e, erdiag_finding_cb cb, gpointer user);

/* One frame was read, whatever it holds (ARP, IP, or nothing the engine
 * uses): the capture summary counts these (frames, first and last
 * timestamp), not events. Front ends call it for every frame, before the
 * frame's events. A caller that never calls it gets each new frame number
 * among the events counted instead. */
void erdiag_engine_frame(erdiag_engine *e, guint64 frame, gint64 ts_us);

/* Feed events in capture order. cls (may be NULL) receives the packet's mapping. */
void erdiag_engine_feed(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *cls);

/* Advance the clock without a packet (live mode); time-based findings fire. */
void erdiag_engine_tick(erdiag_engine *e, gint64 now_us);

/* End of capture: late verdicts (never answered, never advertised ...). Idempotent. */
void erdiag_engine_finish(erdiag_engine *e);

/* Input bookkeeping for the report. */
void erdiag_engine_add_file(erdiag_engine *e, const char *name);
void erdiag_engine_note(erdiag_engine *e, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void erdiag_engine_set_truncated(erdiag_engine *e);

/* Findings so far, in report order (step, peering, link, severity, id). */
GPtrArray *erdiag_engine_findings(erdiag_engine *e);       /* erdiag_finding*, engine-owned */
/* Findings for which this frame is evidence (every evidence frame a finding
 * counts, up to a bound: docs/architecture.md); NULL when none. Engine-owned,
 * valid until the next call. */
const GPtrArray *erdiag_engine_frame_findings(erdiag_engine *e, guint64 frame);
const GPtrArray *erdiag_engine_peerings(const erdiag_engine *e); /* erdiag_peering* */
const erdiag_capture_info *erdiag_engine_capture_info(const erdiag_engine *e);
const erdiag_config *erdiag_engine_config(const erdiag_engine *e);
/* Worst severity among the findings; -1 when there is none. */
int erdiag_engine_worst_severity(erdiag_engine *e);

G_END_DECLS

#endif
