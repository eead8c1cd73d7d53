/* Ending a live or stdin run cleanly: SIGINT (Ctrl-C) and SIGTERM set a flag
 * the read loops check, so the report is still written. A second signal
 * ends the program at once, in case the input is stuck. */
#ifndef ERDIAG_CLI_STOP_SIGNAL_H
#define ERDIAG_CLI_STOP_SIGNAL_H

#include <signal.h>
#include <glib.h>

G_BEGIN_DECLS

void stop_signal_install(void);
gboolean stop_signal_requested(void);
/* Blocks SIGINT and SIGTERM in the calling thread (and in the threads it
 * starts afterwards); old receives the previous mask for restoring. */
void stop_signal_block(sigset_t *old);
void stop_signal_restore(const sigset_t *old);

G_END_DECLS

#endif
