/* --annotate OUT.pcapng: the analysed frames, unchanged, with a packet
 * comment on every frame that is evidence for a finding ("arp.unanswered
 * [contoso/primary] error: ...", one comment per finding) and the report's
 * summary as the section comment. Wireshark shows them as frame.comment and
 * in its Expert Information, without the erdiag plugin.
 *
 * Some findings are known only after their frames went by (an ARP request
 * never answered), so this is a second pass after erdiag_engine_finish():
 * the inputs are read again and numbered exactly as in the first pass. */
#ifndef ERDIAG_CLI_PCAPNG_ANNOTATE_H
#define ERDIAG_CLI_PCAPNG_ANNOTATE_H

#include <glib.h>
#include "erdiag/engine.h"

G_BEGIN_DECLS

/* How a spooled live interface is described in the output. */
typedef struct {
    const char *name;
    guint32 snaplen;
} annotate_iface;

/* inputs: the files the first pass read, in the same order ("-" is not
 * allowed: standard input cannot be read twice; a live or stdin run passes
 * its spool). names (may be NULL) names the inputs in the output's
 * interface descriptions instead of their paths (a spool of standard input:
 * "stdin"). frames: how many frames the first pass fed (the rest of the
 * inputs, beyond --at, is not written). ifaces (n_ifaces, may be 0)
 * describes the interfaces of a single spooled live input by interface id;
 * otherwise snaplen is 0 (no limit). */
gboolean pcapng_annotate_write(erdiag_engine *e, const char *const *inputs, const char *const *names,
                               guint64 frames, const annotate_iface *ifaces, guint n_ifaces,
                               const char *out_path, GError **error);

/* The comments for one frame: a new array of strings, NULL when the frame
 * is evidence for nothing. */
GPtrArray *pcapng_annotate_frame_comments(erdiag_engine *e, guint64 frame);

/* The section comment: the report summary and every finding. */
char *pcapng_annotate_section_comment(erdiag_engine *e);

G_END_DECLS

#endif
