/* The three ways packets come in, all fed through a run_context. */
#ifndef ERDIAG_CLI_RUN_INPUTS_H
#define ERDIAG_CLI_RUN_INPUTS_H

#include "cli_options.h"
#include "live_capture.h"
#include "run_context.h"

typedef enum {
    INPUT_OK,        /* read to the end (or stopped by --duration, a signal, --at) */
    INPUT_DAMAGED,   /* an input ended in damage after some packets: report, then exit 2 */
    INPUT_FAILED,    /* nothing could be read (the error was printed): exit 2, no report */
} input_status;

/* Capture files in turn; frames are numbered on across them and the
 * interfaces of file f become f << 16 + its own ids. */
input_status run_inputs_files(const cli_options *o, run_context *c);

/* A capture stream on standard input, analysed as it arrives. */
input_status run_inputs_stdin(run_context *c);

/* Live capture on lc until --duration, SIGINT/SIGTERM or --at. */
input_status run_inputs_live(const cli_options *o, live_capture *lc, run_context *c);

#endif
