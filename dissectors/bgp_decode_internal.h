/* Shared by the files of the BGP message decoder; not for other users. */
#ifndef ERDIAG_BGP_DECODE_INTERNAL_H
#define ERDIAG_BGP_DECODE_INTERNAL_H

#include "bgp_decode.h"
#include "bgp_as_path.h"
#include "cursor.h"

#define ERDIAG_BGP_REASON_LEN 112

struct erdiag_bgp_decoded {
    erdiag_bgp_msg msg;
    GString *error;           /* msg.error points here once set */
    GArray *announced;        /* erdiag_bgp_nlri */
    GArray *withdrawn;        /* erdiag_bgp_nlri */
    GArray *communities;      /* guint32 */
    GString *as_path_text;
    erdiag_as_path as_path, as4_path, merged;
    GString *shutdown_text;
    GString *notification_text;
    erdiag_bgp_open_caps open_caps;
    /* RFC 7606 problems of the UPDATE: the reasons live here */
    erdiag_bgp_update_error update_errors[ERDIAG_BGP_MAX_UPDATE_ERRORS];
    char reasons[ERDIAG_BGP_MAX_UPDATE_ERRORS][ERDIAG_BGP_REASON_LEN];
    erdiag_bgp_afi_count other_afi[ERDIAG_BGP_MAX_OTHER_AFI];
};

/* Records the first problem of the message; later ones are dropped. */
void erdiag_bgp_fail(erdiag_bgp_decoded *d, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* The UPDATE body (after the 19-byte header). */
void erdiag_bgp_decode_update(erdiag_bgp_decoded *d, erdiag_cursor body,
                              const erdiag_bgp_session_hints *h);

/* The NOTIFICATION body: code, subcode, data and its text (bgp_decode_notification.c). */
void erdiag_bgp_decode_notification(erdiag_bgp_decoded *d, erdiag_cursor body);

#endif
