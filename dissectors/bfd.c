/* BFD control packet decoding (RFC 5880 4.1). */
#include "bfd.h"

#include <string.h>
#include "cursor.h"

enum { BFD_MIN_LENGTH = 24 };

erdiag_bfd_status erdiag_bfd_decode(const guint8 *p, gsize len, gsize udp_len, erdiag_bfd_ev *out, char **note)
{
    memset(out, 0, sizeof *out);
    *note = NULL;
    erdiag_cursor c = erdiag_cursor_make(p, len);
    guint8 vers_diag = erdiag_cursor_get_u8(&c);
    guint8 sta_flags = erdiag_cursor_get_u8(&c);
    out->multiplier = erdiag_cursor_get_u8(&c);
    guint8 length = erdiag_cursor_get_u8(&c);
    out->my_discriminator = erdiag_cursor_get_u32be(&c);
    out->your_discriminator = erdiag_cursor_get_u32be(&c);
    out->desired_min_tx_us = erdiag_cursor_get_u32be(&c);
    out->required_min_rx_us = erdiag_cursor_get_u32be(&c);
    out->required_min_echo_rx_us = erdiag_cursor_get_u32be(&c);
    if (c.err) {
        *note = g_strdup_printf("BFD control packet truncated at %" G_GSIZE_FORMAT " of %d bytes", len, BFD_MIN_LENGTH);
        return ERDIAG_BFD_TRUNCATED;
    }
    out->version = vers_diag >> 5;
    out->diag = vers_diag & 0x1f;
    out->state = sta_flags >> 6;
    out->flags = sta_flags & 0x3f;
    out->length = length;
    if (out->version != 1) {
        *note = g_strdup_printf("BFD version %u (expected 1)", out->version);
        return ERDIAG_BFD_BAD;
    }
    if (length < BFD_MIN_LENGTH || length > udp_len) {
        *note = g_strdup_printf("BFD length %u outside 24 to the %" G_GSIZE_FORMAT "-byte datagram", length, udp_len);
        return ERDIAG_BFD_BAD;
    }
    return ERDIAG_BFD_OK;
}

const char *erdiag_bfd_diag_name(guint8 diag)
{
    static const char *const names[] = {
        "No Diagnostic", "Control Detection Time Expired", "Echo Function Failed", "Neighbor Signaled Session Down",
        "Forwarding Plane Reset", "Path Down", "Concatenated Path Down", "Administratively Down",
        "Reverse Concatenated Path Down",
    };
    return diag < G_N_ELEMENTS(names) ? names[diag] : "reserved diagnostic";
}

const char *erdiag_bfd_state_name(guint8 state)
{
    static const char *const names[] = {"AdminDown", "Down", "Init", "Up"};
    return names[state & 3];
}
