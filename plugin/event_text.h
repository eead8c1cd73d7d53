/* One line of text per erdiag_event, every field the engine reads.
 *
 * A diagnostic for the seam between the front ends: the plugin writes these
 * lines when ERDIAG_PLUGIN_EVENT_LOG names a file, and the plugin tests
 * print the CLI decoders' events the same way, so any difference between
 * what epan's fields gave and what the CLI decoded shows up as a diff.
 * Plain GLib: no epan here, so the tests can build it without Wireshark. */
#ifndef ER_PLUGIN_EVENT_TEXT_H
#define ER_PLUGIN_EVENT_TEXT_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

/* Appends the event's line, newline included. */
void er_event_to_text(const erdiag_event *ev, GString *out);

G_END_DECLS

#endif
