/* Shared by the files of the BGP message decoder; not for other users. */
#ifndef ERDIAG_BGP_DECODE_INTERNAL_H
#define ERDIAG_BGP_DECODE_INTERNAL_H

#include "bgp_decode.h"
#include "bgp_as_path.h"

struct erdiag_bgp_decoded {
    erdiag_bgp_msg msg;
    GString *error;           /* msg.error points here once set */
    GArray *announced;        /* erdiag_bgp_nlri */
    GArray *withdrawn;        /* erdiag_bgp_nlri */
    GArray *communities;      /* guint32 */
    GString *as_path_text;
    erdiag_as_path as_path, as4_path, merged;
    GString *shutdown_text;
    erdiag_bgp_open_caps open_caps;
};

static inline guint16 erdiag_get16(const guint8 *b)
{
    return (guint16)((b[0] << 8) | b[1]);
}

static inline guint32 erdiag_get32(const guint8 *b)
{
    return ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
}

/* Records the first problem of the message; later ones are dropped. */
void erdiag_bgp_fail(erdiag_bgp_decoded *d, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* The UPDATE body (after the 19-byte header). */
void erdiag_bgp_decode_update(erdiag_bgp_decoded *d, const guint8 *b, gsize len,
                              const erdiag_bgp_session_hints *h);

#endif
