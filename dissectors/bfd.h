/* BFD control packets (RFC 5880 4.1) over UDP 3784 (single hop, RFC 5881)
 * and 4784 (multihop, RFC 5883). */
#ifndef ERDIAG_BFD_H
#define ERDIAG_BFD_H

#include <glib.h>
#include "erdiag/event.h"

G_BEGIN_DECLS

enum { ERDIAG_BFD_PORT = 3784, ERDIAG_BFD_ECHO_PORT = 3785, ERDIAG_BFD_MULTIHOP_PORT = 4784 };

typedef enum {
    ERDIAG_BFD_OK,
    ERDIAG_BFD_TRUNCATED, /* fewer than 24 bytes captured */
    ERDIAG_BFD_BAD,       /* version not 1, or a length below 24 or beyond the datagram */
} erdiag_bfd_status;

/* Reads the control packet in p (len captured bytes of the UDP payload,
 * udp_len what the UDP header claims). *note (g_free) says what is wrong
 * when the status is not OK. */
erdiag_bfd_status erdiag_bfd_decode(const guint8 *p, gsize len, gsize udp_len, erdiag_bfd_ev *out, char **note);

/* "Control Detection Time Expired" ... (RFC 5880 4.1), "diagnostic N" beyond */
const char *erdiag_bfd_diag_name(guint8 diag);
/* "AdminDown", "Down", "Init", "Up" */
const char *erdiag_bfd_state_name(guint8 state);

G_END_DECLS

#endif
