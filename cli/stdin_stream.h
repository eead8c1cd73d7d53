/* A capture read from a pipe (erdiag -, e.g. tcpdump -U -w - | erdiag -),
 * analysed as it arrives.
 *
 * A read from a pipe blocks until the writer sends more, and while it
 * blocks the engine's clock must still move, or an ARP request that is
 * never answered would only be reported at the end. So a worker thread does
 * the blocking reads and hands the packets over through a bounded queue;
 * this thread feeds them and, when none arrives for a moment, ticks the
 * clock from the wall clock. */
#ifndef ERDIAG_CLI_STDIN_STREAM_H
#define ERDIAG_CLI_STDIN_STREAM_H

#include <glib.h>
#include "capture_reader.h"
#include "run_context.h"

G_BEGIN_DECLS

/* Takes ownership of r (opened on "-"). Returns at the end of the stream,
 * when SIGINT/SIGTERM was received (stop_signal.h) or --at was reached: TRUE,
 * or FALSE with the reader's error (truncated or damaged stream; the packets
 * before it were fed). */
gboolean stdin_stream_run(erdiag_capture_reader *r, run_context *c, GError **error);

G_END_DECLS

#endif
