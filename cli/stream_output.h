/* Streaming output: each finding once, when it becomes known, and the links'
 * state as it changes, while the capture is still being read.
 *
 * text: a finding is two lines (time, severity, id, link / the message).
 * The link states are a status block that a terminal redraws in place; on a
 * pipe or file a link's state is printed as one line when it changes.
 * jsonl: one JSON object per line, {"type":"finding"} and {"type":"state"},
 * and the whole report as {"type":"report"} on the last line. */
#ifndef ERDIAG_CLI_STREAM_OUTPUT_H
#define ERDIAG_CLI_STREAM_OUTPUT_H

#include <stdio.h>
#include <glib.h>
#include "erdiag/engine.h"
#include "erdiag/report.h"

G_BEGIN_DECLS

typedef enum { STREAM_TEXT, STREAM_JSONL } stream_kind;

typedef struct stream_output stream_output;

/* Takes over the engine's finding callback. terminal: out is a terminal
 * (status block redrawn in place with ANSI cursor movement); width: columns
 * a status line may use there. */
stream_output *stream_output_new(erdiag_engine *e, stream_kind kind, FILE *out, gboolean terminal, guint width);

/* Prints what became known since the last call (findings first, then state
 * changes). now_us: the engine's capture time. flush: also print prefix
 * count changes held back to coalesce an UPDATE burst, and redraw the
 * terminal's status block if a second has passed. */
void stream_output_update(stream_output *s, gint64 now_us, gboolean flush);

/* jsonl: the final report as the last line, {"type":"report","report":{...}}.
 * text: a separator before the report that follows. */
void stream_output_report(stream_output *s, const erdiag_report_options *ropt);

/* FALSE when writing failed (closed pipe, full disk). */
gboolean stream_output_ok(const stream_output *s);

void stream_output_free(stream_output *s);

G_END_DECLS

#endif
