/* One erdiag run after the options and the configuration are known: read
 * the capture files, standard input or live interfaces into the engine,
 * stream what becomes known, write the report and the evidence captures. */
#ifndef ERDIAG_CLI_RUN_H
#define ERDIAG_CLI_RUN_H

#include "cli_options.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"

/* Returns the exit status: 0 nothing above note, 1 warnings or errors,
 * 2 unreadable input, failed capture or output (one line on stderr). */
int cli_run(const cli_options *o, erdiag_engine *engine, const erdiag_report_options *ropt);

#endif
