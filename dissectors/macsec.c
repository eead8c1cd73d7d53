/* MACsec SecTAG (IEEE 802.1AE-2018 9.3): TCI/AN, SL, PN, optional SCI. */
#include "macsec.h"

#include <string.h>
#include "cursor.h"

gboolean erdiag_macsec_decode(const guint8 *p, gsize len, erdiag_macsec_ev *out)
{
    memset(out, 0, sizeof *out);
    erdiag_cursor c = erdiag_cursor_make(p, len);
    out->tci_an = erdiag_cursor_get_u8(&c);
    out->short_length = erdiag_cursor_get_u8(&c) & 0x3f;
    out->pn = erdiag_cursor_get_u32be(&c);
    if (!c.err && (out->tci_an & ERDIAG_MACSEC_TCI_SC)) {
        out->has_sci = TRUE;
        erdiag_cursor_get_bytes(&c, out->sci, sizeof out->sci);
    }
    return !c.err;
}
