/* BGP message header, OPEN, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH
 * (RFC 4271, 5492, 6793, 7313, 8203, 8654, 9003, 9072). UPDATE lives in
 * bgp_decode_update.c. */
#include <string.h>
#include "bgp_decode_internal.h"

/* Minimum total length per message type (RFC 4271 4.1, 4.2, 4.3, 4.5;
 * RFC 2918 for ROUTE-REFRESH); index 0 is unused. */
static const guint16 min_len[] = { 0, 29, 23, 21, 19, 23 };

erdiag_bgp_decoded *erdiag_bgp_decoded_new(void)
{
    erdiag_bgp_decoded *d = g_new0(erdiag_bgp_decoded, 1);
    d->error = g_string_new(NULL);
    d->announced = g_array_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri));
    d->withdrawn = g_array_new(FALSE, FALSE, sizeof(erdiag_bgp_nlri));
    d->communities = g_array_new(FALSE, FALSE, sizeof(guint32));
    d->as_path_text = g_string_new(NULL);
    d->shutdown_text = g_string_new(NULL);
    d->notification_text = g_string_new(NULL);
    erdiag_as_path_init(&d->as_path);
    erdiag_as_path_init(&d->as4_path);
    erdiag_as_path_init(&d->merged);
    return d;
}

void erdiag_bgp_decoded_free(erdiag_bgp_decoded *d)
{
    if (!d)
        return;
    g_string_free(d->error, TRUE);
    g_array_free(d->announced, TRUE);
    g_array_free(d->withdrawn, TRUE);
    g_array_free(d->communities, TRUE);
    g_string_free(d->as_path_text, TRUE);
    g_string_free(d->shutdown_text, TRUE);
    g_string_free(d->notification_text, TRUE);
    erdiag_as_path_clear(&d->as_path);
    erdiag_as_path_clear(&d->as4_path);
    erdiag_as_path_clear(&d->merged);
    g_free(d);
}

void erdiag_bgp_fail(erdiag_bgp_decoded *d, const char *fmt, ...)
{
    if (d->msg.error)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_string_vprintf(d->error, fmt, ap);
    va_end(ap);
    d->msg.error = d->error->str;
}

const erdiag_bgp_open_caps *erdiag_bgp_decoded_open_caps(const erdiag_bgp_decoded *d)
{
    return &d->open_caps;
}

void erdiag_bgp_session_hints_from_opens(const erdiag_bgp_open_caps *sender,
                                         const erdiag_bgp_open_caps *receiver,
                                         erdiag_bgp_session_hints *out)
{
    memset(out, 0, sizeof *out);
    out->as4_known = TRUE;
    out->as4 = sender->as4 && receiver->as4;
    out->extended_message = sender->extended_message && receiver->extended_message;
    /* RFC 7911 4: path ids flow where one side may send and the other receive. */
    out->add_path_v4 = (sender->add_path_v4 & ERDIAG_ADD_PATH_SEND) &&
                       (receiver->add_path_v4 & ERDIAG_ADD_PATH_RECEIVE);
    out->add_path_v6 = (sender->add_path_v6 & ERDIAG_ADD_PATH_SEND) &&
                       (receiver->add_path_v6 & ERDIAG_ADD_PATH_RECEIVE);
}

/* Reads the marker, length and type; FALSE when c holds fewer than 19 bytes. */
static gboolean read_header(erdiag_cursor *c, gboolean *marker_ok, guint16 *len, guint8 *type)
{
    guint8 marker[ERDIAG_BGP_MARKER_LEN];
    erdiag_cursor_get_bytes(c, marker, sizeof marker);
    *len = erdiag_cursor_get_u16be(c);
    *type = erdiag_cursor_get_u8(c);
    *marker_ok = TRUE;
    for (guint i = 0; i < ERDIAG_BGP_MARKER_LEN; i++)
        if (marker[i] != 0xff)
            *marker_ok = FALSE;
    return !c->err;
}

gboolean erdiag_bgp_header_plausible(const guint8 *buf, gsize avail, guint max_len, guint16 *msg_len)
{
    erdiag_cursor c = erdiag_cursor_make(buf, avail);
    gboolean marker_ok;
    guint16 len;
    guint8 type;
    if (!read_header(&c, &marker_ok, &len, &type) || !marker_ok)
        return FALSE;
    if (type < ERDIAG_BGP_OPEN || type > ERDIAG_BGP_ROUTE_REFRESH)
        return FALSE;
    if (len < min_len[type] || len > max_len)
        return FALSE;
    /* RFC 8654 leaves KEEPALIVE and OPEN at their classic sizes. */
    if (type == ERDIAG_BGP_KEEPALIVE && len != ERDIAG_BGP_HEADER_LEN)
        return FALSE;
    if (type == ERDIAG_BGP_OPEN && len > ERDIAG_BGP_MAX_LEN)
        return FALSE;
    *msg_len = len;
    return TRUE;
}

/* ---- OPEN ---- */

static void decode_add_path(erdiag_bgp_decoded *d, erdiag_cursor v)
{
    erdiag_bgp_open *o = &d->msg.u.open;
    o->add_path = TRUE;
    gsize len = erdiag_cursor_remaining(&v);
    if (len % 4 != 0) {
        erdiag_bgp_fail(d, "OPEN: ADD-PATH capability length %u is not a multiple of 4", (guint)len);
        return;
    }
    while (!erdiag_cursor_at_end(&v)) {
        guint16 afi = erdiag_cursor_get_u16be(&v);
        guint8 safi = erdiag_cursor_get_u8(&v), send_receive = erdiag_cursor_get_u8(&v);
        if (send_receive < 1 || send_receive > 3)
            erdiag_bgp_fail(d, "OPEN: ADD-PATH Send/Receive value %u", send_receive);
        if (safi != 1)
            continue;
        if (afi == 1)
            d->open_caps.add_path_v4 = send_receive & 3;
        else if (afi == 2)
            d->open_caps.add_path_v6 = send_receive & 3;
    }
}

static void decode_capability(erdiag_bgp_decoded *d, guint8 code, erdiag_cursor v)
{
    erdiag_bgp_open *o = &d->msg.u.open;
    guint len = (guint)erdiag_cursor_remaining(&v);
    if (o->n_caps < ERDIAG_BGP_MAX_CAPS)
        o->caps[o->n_caps++] = code;
    switch (code) {
    case ERDIAG_CAP_MP: {
        if (len != 4) {
            erdiag_bgp_fail(d, "OPEN: multiprotocol capability length %u, expected 4", len);
            return;
        }
        guint16 afi = erdiag_cursor_get_u16be(&v);
        erdiag_cursor_skip(&v, 1); /* reserved */
        guint8 safi = erdiag_cursor_get_u8(&v);
        if (safi == 1 && afi == 1)
            o->mp_ipv4_unicast = TRUE;
        if (safi == 1 && afi == 2)
            o->mp_ipv6_unicast = TRUE;
        return;
    }
    case ERDIAG_CAP_AS4:
        if (len != 4) {
            erdiag_bgp_fail(d, "OPEN: 4-octet AS capability length %u, expected 4", len);
            return;
        }
        o->has_as4 = TRUE;
        o->as4 = erdiag_cursor_get_u32be(&v);
        d->open_caps.as4 = TRUE;
        return;
    case ERDIAG_CAP_EXT_MESSAGE:
        if (len != 0)
            erdiag_bgp_fail(d, "OPEN: extended message capability length %u, expected 0", len);
        d->open_caps.extended_message = TRUE;
        return;
    case ERDIAG_CAP_ADD_PATH:
        decode_add_path(d, v);
        return;
    case ERDIAG_CAP_GRACEFUL_RESTART:
        /* RFC 4724: 2 bytes of flags and time, then 4 per AFI/SAFI. */
        if (len < 2 || (len - 2) % 4 != 0)
            erdiag_bgp_fail(d, "OPEN: graceful restart capability length %u", len);
        return;
    default:
        return;
    }
}

static void decode_capabilities(erdiag_bgp_decoded *d, erdiag_cursor p)
{
    while (!erdiag_cursor_at_end(&p)) {
        gsize left = erdiag_cursor_remaining(&p);
        if (left < 2) {
            erdiag_bgp_fail(d, "OPEN: capability header truncated (%u byte left)", (guint)left);
            return;
        }
        guint8 code = erdiag_cursor_get_u8(&p);
        guint clen = erdiag_cursor_get_u8(&p);
        erdiag_cursor v = erdiag_cursor_take(&p, clen);
        if (p.err) {
            erdiag_bgp_fail(d, "OPEN: capability %u length %u exceeds %u bytes left", code, clen,
                            (guint)left - 2);
            return;
        }
        decode_capability(d, code, v);
    }
}

static void decode_open(erdiag_bgp_decoded *d, erdiag_cursor b)
{
    erdiag_bgp_open *o = &d->msg.u.open;
    o->version = erdiag_cursor_get_u8(&b);
    o->my_as = erdiag_cursor_get_u16be(&b);
    o->hold_time = erdiag_cursor_get_u16be(&b);
    o->bgp_id = erdiag_cursor_get_u32be(&b);
    guint params_len = erdiag_cursor_get_u8(&b);
    if (b.err) {
        erdiag_bgp_fail(d, "OPEN: truncated before the optional parameters");
        return;
    }
    guint param_hdr = 2;
    /* RFC 9072: a first parameter of type 255 under length 255 announces a
     * 2-byte total length and 2-byte parameter lengths. */
    erdiag_cursor peek = b;
    if (params_len == 255 && erdiag_cursor_get_u8(&peek) == 255 && !peek.err) {
        if (erdiag_cursor_remaining(&b) < 3) {
            erdiag_bgp_fail(d, "OPEN: extended optional parameters length truncated");
            return;
        }
        o->extended_params = TRUE;
        erdiag_cursor_skip(&b, 1);
        params_len = erdiag_cursor_get_u16be(&b);
        param_hdr = 3;
    }
    guint left = (guint)erdiag_cursor_remaining(&b);
    if (params_len > left) {
        erdiag_bgp_fail(d, "OPEN: optional parameters length %u exceeds %u bytes left", params_len,
                        left);
        return;
    }
    if (params_len < left)
        erdiag_bgp_fail(d, "OPEN: %u bytes after the optional parameters", left - params_len);
    erdiag_cursor p = erdiag_cursor_take(&b, params_len);
    while (!erdiag_cursor_at_end(&p)) {
        if (erdiag_cursor_remaining(&p) < param_hdr) {
            erdiag_bgp_fail(d, "OPEN: optional parameter header truncated");
            return;
        }
        guint8 type = erdiag_cursor_get_u8(&p);
        guint plen = param_hdr == 3 ? erdiag_cursor_get_u16be(&p) : erdiag_cursor_get_u8(&p);
        guint room = (guint)erdiag_cursor_remaining(&p);
        erdiag_cursor v = erdiag_cursor_take(&p, plen);
        if (p.err) {
            erdiag_bgp_fail(d, "OPEN: optional parameter %u length %u exceeds %u bytes left", type,
                            plen, room);
            return;
        }
        if (type == 2) /* RFC 5492 capabilities; others (1, authentication) are obsolete */
            decode_capabilities(d, v);
    }
}

/* ---- the message ---- */

static void reset(erdiag_bgp_decoded *d)
{
    memset(&d->msg, 0, sizeof d->msg);
    memset(&d->open_caps, 0, sizeof d->open_caps);
    g_string_truncate(d->error, 0);
    g_array_set_size(d->announced, 0);
    g_array_set_size(d->withdrawn, 0);
    g_array_set_size(d->communities, 0);
    g_string_truncate(d->as_path_text, 0);
    g_string_truncate(d->shutdown_text, 0);
    g_string_truncate(d->notification_text, 0);
}

static const char *type_label(guint8 type)
{
    static const char *const names[] = { NULL, "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE",
                                         "ROUTE-REFRESH" };
    return type >= 1 && type <= 5 ? names[type] : "message";
}

const erdiag_bgp_msg *erdiag_bgp_decode(erdiag_bgp_decoded *d, const guint8 *buf, gsize len,
                                        const erdiag_bgp_session_hints *hints)
{
    static const erdiag_bgp_session_hints unknown = { 0 };
    const erdiag_bgp_session_hints *h = hints ? hints : &unknown;
    reset(d);
    erdiag_cursor c = erdiag_cursor_make(buf, len);
    gboolean marker_ok;
    guint16 length;
    guint8 type8;
    if (!read_header(&c, &marker_ok, &length, &type8)) {
        erdiag_bgp_fail(d, "header: %" G_GSIZE_FORMAT " bytes, shorter than the 19-byte header",
                        len);
        return &d->msg;
    }
    d->msg.length = length;
    d->msg.type = type8;
    guint type = type8;
    guint msg_len = length;
    guint max = h->as4_known && !h->extended_message ? ERDIAG_BGP_MAX_LEN : ERDIAG_BGP_MAX_EXT_LEN;

    if (!marker_ok)
        erdiag_bgp_fail(d, "header: marker is not all ones");
    if (msg_len < ERDIAG_BGP_HEADER_LEN || msg_len > max) {
        erdiag_bgp_fail(d, "header: length %u outside %u..%u", msg_len, ERDIAG_BGP_HEADER_LEN, max);
        return &d->msg;
    }
    if (msg_len > len) {
        erdiag_bgp_fail(d, "%s: truncated, length %u but %" G_GSIZE_FORMAT " bytes present",
                        type_label(d->msg.type), msg_len, len);
        return &d->msg;
    }
    if (msg_len < len)
        erdiag_bgp_fail(d, "header: length %u but %" G_GSIZE_FORMAT " bytes given", msg_len, len);
    if (type < ERDIAG_BGP_OPEN || type > ERDIAG_BGP_ROUTE_REFRESH) {
        erdiag_bgp_fail(d, "header: unknown message type %u", type);
        return &d->msg;
    }
    if (msg_len < min_len[type]) {
        erdiag_bgp_fail(d, "%s: length %u below the minimum %u", type_label(type), msg_len,
                        min_len[type]);
        return &d->msg;
    }

    /* The body as the header's length bounds it. */
    erdiag_cursor body = erdiag_cursor_take(&c, msg_len - ERDIAG_BGP_HEADER_LEN);
    switch (type) {
    case ERDIAG_BGP_OPEN:
        if (msg_len > ERDIAG_BGP_MAX_LEN)
            erdiag_bgp_fail(d, "OPEN: length %u above 4096 (RFC 8654 does not extend OPEN)",
                            msg_len);
        decode_open(d, body);
        break;
    case ERDIAG_BGP_UPDATE:
        erdiag_bgp_decode_update(d, body, h);
        break;
    case ERDIAG_BGP_NOTIFICATION:
        erdiag_bgp_decode_notification(d, body);
        break;
    case ERDIAG_BGP_KEEPALIVE:
        if (msg_len != ERDIAG_BGP_HEADER_LEN)
            erdiag_bgp_fail(d, "KEEPALIVE: length %u, must be 19", msg_len);
        break;
    case ERDIAG_BGP_ROUTE_REFRESH: {
        erdiag_bgp_route_refresh *rr = &d->msg.u.route_refresh;
        rr->afi = erdiag_cursor_get_u16be(&body);
        rr->subtype = erdiag_cursor_get_u8(&body);
        rr->safi = erdiag_cursor_get_u8(&body);
        /* Longer only with RFC 5291 ORF entries, and only for a normal request. */
        if (msg_len > 23 && rr->subtype != 0)
            erdiag_bgp_fail(d, "ROUTE-REFRESH: length %u with subtype %u", msg_len, rr->subtype);
        break;
    }
    default:
        break;
    }
    return &d->msg;
}
