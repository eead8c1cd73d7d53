/* Report writers: the same engine state as text, JSON, Markdown or HTML. */
#ifndef ERDIAG_REPORT_H
#define ERDIAG_REPORT_H

#include <glib.h>
#include "erdiag/engine.h"

G_BEGIN_DECLS

typedef enum {
    ERDIAG_FORMAT_TEXT = 0,
    ERDIAG_FORMAT_JSON,
    ERDIAG_FORMAT_MARKDOWN,
    ERDIAG_FORMAT_HTML,
} erdiag_format;

/* Azure's own ARP/route tables set beside the capture (analysis/azure_import.h). */
typedef struct erdiag_azure_evidence erdiag_azure_evidence;

typedef struct {
    erdiag_format format;
    gboolean redact;        /* replace customer MACs, on-prem addresses and names */
    guint width;            /* text: terminal width (default 80) */
    guint64 at_frame;       /* 0: capture end; else the state as of this frame (informational) */
    const erdiag_azure_evidence *azure; /* NULL when no Azure export was given */
} erdiag_report_options;

gboolean erdiag_format_parse(const char *name, erdiag_format *out);
/* Append the whole report to out. */
void erdiag_report_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out);

/* Exit status the CLI uses: 0 nothing above note, 1 warnings or errors. */
int erdiag_report_exit_status(erdiag_engine *e);

G_END_DECLS

#endif
