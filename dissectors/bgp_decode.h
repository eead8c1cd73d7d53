/* One complete BGP message (marker to header length) into an erdiag_bgp_msg.
 * Bounds-checked against the bytes given, whatever the length fields say:
 * malformed content sets msg->error and never crashes. */
#ifndef ERDIAG_BGP_DECODE_H
#define ERDIAG_BGP_DECODE_H

#include <glib.h>
#include "erdiag/bgp.h"

G_BEGIN_DECLS

#define ERDIAG_BGP_HEADER_LEN 19
#define ERDIAG_BGP_MARKER_LEN 16
#define ERDIAG_BGP_MAX_LEN 4096          /* RFC 4271 */
#define ERDIAG_BGP_MAX_EXT_LEN 65535     /* RFC 8654 extended messages */

/* Owns the arrays and strings a decoded message points into. Reusable: after
 * the first few messages, decoding allocates nothing. */
typedef struct erdiag_bgp_decoded erdiag_bgp_decoded;

erdiag_bgp_decoded *erdiag_bgp_decoded_new(void);
void erdiag_bgp_decoded_free(erdiag_bgp_decoded *d);

/* What the two OPENs of a connection negotiated, for the messages one side
 * sends. When as4_known is FALSE (both OPENs were not seen: the capture
 * started mid-session) the decoder guesses from the bytes instead: 2- vs
 * 4-byte AS_PATH by which parse is consistent (4-byte when both are),
 * ADD-PATH identifiers when only that parse is consistent, and lengths up to
 * 65535 are accepted. */
typedef struct {
    gboolean as4;              /* both OPENs carry capability 65 */
    gboolean as4_known;        /* both OPENs seen: every field here is a fact */
    gboolean add_path_v4;      /* this direction sends path ids for IPv4 unicast */
    gboolean add_path_v6;      /* ... and for IPv6 unicast */
    gboolean extended_message; /* RFC 8654 negotiated: lengths up to 65535 */
} erdiag_bgp_session_hints;

/* RFC 7911 Send/Receive field values. */
enum { ERDIAG_ADD_PATH_RECEIVE = 1, ERDIAG_ADD_PATH_SEND = 2 };

/* What an OPEN announced that the connection's hints are built from but
 * erdiag_bgp_open does not carry. */
typedef struct {
    gboolean as4;              /* capability 65 */
    gboolean extended_message; /* capability 6 */
    guint8 add_path_v4;        /* ERDIAG_ADD_PATH_* bits for AFI 1 SAFI 1 */
    guint8 add_path_v6;        /* ... for AFI 2 SAFI 1 */
} erdiag_bgp_open_caps;

/* Decode one message. hints may be NULL (nothing known). Returns the message,
 * owned by d and valid until the next call; msg->error names the first
 * problem ("UPDATE: attribute length 40 exceeds 12 bytes left"), and the
 * fields decoded before it are kept. */
const erdiag_bgp_msg *erdiag_bgp_decode(erdiag_bgp_decoded *d, const guint8 *buf, gsize len,
                                        const erdiag_bgp_session_hints *hints);

/* For the last decoded message when it was an OPEN. */
const erdiag_bgp_open_caps *erdiag_bgp_decoded_open_caps(const erdiag_bgp_decoded *d);

/* Hints for what `sender` sends to `receiver`, from their two OPENs. */
void erdiag_bgp_session_hints_from_opens(const erdiag_bgp_open_caps *sender,
                                         const erdiag_bgp_open_caps *receiver,
                                         erdiag_bgp_session_hints *out);

/* Do the avail bytes at buf start with a header worth resynchronising on:
 * the all-ones marker, a type 1..5, and a length that type can have, at
 * most max_len? Sets *msg_len. FALSE when avail is below 19. */
gboolean erdiag_bgp_header_plausible(const guint8 *buf, gsize avail, guint max_len, guint16 *msg_len);

G_END_DECLS

#endif
