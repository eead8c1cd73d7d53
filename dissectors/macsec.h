/* The SecTAG of a MACsec (IEEE 802.1AE) frame: all that can be read of it
 * without the keys. */
#ifndef ERDIAG_MACSEC_H
#define ERDIAG_MACSEC_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

enum { ERDIAG_MACSEC_TCI_SC = 0x20, ERDIAG_MACSEC_TCI_E = 0x08, ERDIAG_MACSEC_TCI_C = 0x04 };

/* Reads the SecTAG after the 0x88E5 EtherType (p, len captured bytes).
 * FALSE when the capture cut it short (6 bytes, 14 with an SCI). */
gboolean erdiag_macsec_decode(const guint8 *p, gsize len, erdiag_macsec_ev *out);

G_END_DECLS

#endif
