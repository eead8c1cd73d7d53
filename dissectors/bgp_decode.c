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

static gboolean marker_ok(const guint8 *buf)
{
    for (guint i = 0; i < ERDIAG_BGP_MARKER_LEN; i++)
        if (buf[i] != 0xff)
            return FALSE;
    return TRUE;
}

gboolean erdiag_bgp_header_plausible(const guint8 *buf, guint max_len, guint16 *msg_len)
{
    if (!marker_ok(buf))
        return FALSE;
    guint16 len = erdiag_get16(buf + 16);
    guint8 type = buf[18];
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

static void decode_add_path(erdiag_bgp_decoded *d, const guint8 *v, guint len)
{
    erdiag_bgp_open *o = &d->msg.u.open;
    o->add_path = TRUE;
    if (len % 4 != 0) {
        erdiag_bgp_fail(d, "OPEN: ADD-PATH capability length %u is not a multiple of 4", len);
        return;
    }
    for (guint i = 0; i < len; i += 4) {
        guint16 afi = erdiag_get16(v + i);
        guint8 safi = v[i + 2], send_receive = v[i + 3];
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

static void decode_capability(erdiag_bgp_decoded *d, guint8 code, const guint8 *v, guint len)
{
    erdiag_bgp_open *o = &d->msg.u.open;
    if (o->n_caps < ERDIAG_BGP_MAX_CAPS)
        o->caps[o->n_caps++] = code;
    switch (code) {
    case ERDIAG_CAP_MP:
        if (len != 4) {
            erdiag_bgp_fail(d, "OPEN: multiprotocol capability length %u, expected 4", len);
            return;
        }
        if (v[3] == 1 && erdiag_get16(v) == 1)
            o->mp_ipv4_unicast = TRUE;
        if (v[3] == 1 && erdiag_get16(v) == 2)
            o->mp_ipv6_unicast = TRUE;
        return;
    case ERDIAG_CAP_AS4:
        if (len != 4) {
            erdiag_bgp_fail(d, "OPEN: 4-octet AS capability length %u, expected 4", len);
            return;
        }
        o->has_as4 = TRUE;
        o->as4 = erdiag_get32(v);
        d->open_caps.as4 = TRUE;
        return;
    case ERDIAG_CAP_EXT_MESSAGE:
        if (len != 0)
            erdiag_bgp_fail(d, "OPEN: extended message capability length %u, expected 0", len);
        d->open_caps.extended_message = TRUE;
        return;
    case ERDIAG_CAP_ADD_PATH:
        decode_add_path(d, v, len);
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

static void decode_capabilities(erdiag_bgp_decoded *d, const guint8 *p, guint len)
{
    guint off = 0;
    while (off < len) {
        if (len - off < 2) {
            erdiag_bgp_fail(d, "OPEN: capability header truncated (%u byte left)", len - off);
            return;
        }
        guint8 code = p[off];
        guint clen = p[off + 1];
        if (clen > len - off - 2) {
            erdiag_bgp_fail(d, "OPEN: capability %u length %u exceeds %u bytes left", code, clen,
                            len - off - 2);
            return;
        }
        decode_capability(d, code, p + off + 2, clen);
        off += 2 + clen;
    }
}

static void decode_open(erdiag_bgp_decoded *d, const guint8 *b, guint len)
{
    erdiag_bgp_open *o = &d->msg.u.open;
    o->version = b[0];
    o->my_as = erdiag_get16(b + 1);
    o->hold_time = erdiag_get16(b + 3);
    o->bgp_id = erdiag_get32(b + 5);
    guint params_len = b[9];
    const guint8 *p = b + 10;
    guint left = len - 10;
    guint param_hdr = 2;
    /* RFC 9072: a first parameter of type 255 under length 255 announces a
     * 2-byte total length and 2-byte parameter lengths. */
    if (params_len == 255 && left >= 1 && p[0] == 255) {
        if (left < 3) {
            erdiag_bgp_fail(d, "OPEN: extended optional parameters length truncated");
            return;
        }
        o->extended_params = TRUE;
        params_len = erdiag_get16(p + 1);
        p += 3;
        left -= 3;
        param_hdr = 3;
    }
    if (params_len > left) {
        erdiag_bgp_fail(d, "OPEN: optional parameters length %u exceeds %u bytes left", params_len,
                        left);
        return;
    }
    if (params_len < left)
        erdiag_bgp_fail(d, "OPEN: %u bytes after the optional parameters", left - params_len);
    guint off = 0;
    while (off < params_len) {
        if (params_len - off < param_hdr) {
            erdiag_bgp_fail(d, "OPEN: optional parameter header truncated");
            return;
        }
        guint8 type = p[off];
        guint plen = param_hdr == 3 ? erdiag_get16(p + off + 1) : p[off + 1];
        if (plen > params_len - off - param_hdr) {
            erdiag_bgp_fail(d, "OPEN: optional parameter %u length %u exceeds %u bytes left", type,
                            plen, params_len - off - param_hdr);
            return;
        }
        if (type == 2) /* RFC 5492 capabilities; others (1, authentication) are obsolete */
            decode_capabilities(d, p + off + param_hdr, plen);
        off += param_hdr + plen;
    }
}

/* ---- NOTIFICATION ---- */

/* Characters a terminal or report would act on rather than show: C0/C1
 * controls, DEL, and the Unicode line/paragraph separators and bidi
 * overrides that can make text appear other than it is. */
static gboolean unsafe_char(gunichar c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Appends text as valid UTF-8: invalid bytes become U+FFFD, unsafe
 * characters '?'. */
static void append_printable(GString *out, const guint8 *text, guint len)
{
    guint off = 0;
    while (off < len) {
        gunichar c = text[off] ? g_utf8_get_char_validated((const char *)text + off, len - off)
                               : 0;
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_unichar(out, 0xfffd);
            off++;
            continue;
        }
        g_string_append_unichar(out, unsafe_char(c) ? '?' : c);
        off += text[off] ? (guint)g_utf8_skip[text[off]] : 1;
    }
}

static void decode_notification(erdiag_bgp_decoded *d, const guint8 *b, guint len)
{
    erdiag_bgp_notification *n = &d->msg.u.notification;
    n->code = b[0];
    n->subcode = b[1];
    n->data = len > 2 ? b + 2 : NULL;
    n->data_len = (guint16)(len - 2);
    /* RFC 8203 / 9003: Cease / Administrative Shutdown or Reset may carry a
     * length-prefixed UTF-8 text (length 0: none). */
    if (n->code != 6 || (n->subcode != 2 && n->subcode != 4) || n->data_len == 0)
        return;
    guint text_len = n->data[0];
    if (text_len > (guint)n->data_len - 1) {
        erdiag_bgp_fail(d, "NOTIFICATION: shutdown communication length %u exceeds %u bytes left",
                        text_len, n->data_len - 1u);
        return;
    }
    if (text_len == 0)
        return;
    append_printable(d->shutdown_text, n->data + 1, text_len);
    n->shutdown_text = d->shutdown_text->str;
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
    if (len < ERDIAG_BGP_HEADER_LEN) {
        erdiag_bgp_fail(d, "header: %" G_GSIZE_FORMAT " bytes, shorter than the 19-byte header",
                        len);
        return &d->msg;
    }
    d->msg.length = erdiag_get16(buf + 16);
    d->msg.type = buf[18];
    guint type = d->msg.type;
    guint msg_len = d->msg.length;
    guint max = h->as4_known && !h->extended_message ? ERDIAG_BGP_MAX_LEN : ERDIAG_BGP_MAX_EXT_LEN;

    if (!marker_ok(buf))
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

    const guint8 *body = buf + ERDIAG_BGP_HEADER_LEN;
    guint body_len = msg_len - ERDIAG_BGP_HEADER_LEN;
    switch (type) {
    case ERDIAG_BGP_OPEN:
        if (msg_len > ERDIAG_BGP_MAX_LEN)
            erdiag_bgp_fail(d, "OPEN: length %u above 4096 (RFC 8654 does not extend OPEN)",
                            msg_len);
        decode_open(d, body, body_len);
        break;
    case ERDIAG_BGP_UPDATE:
        erdiag_bgp_decode_update(d, body, body_len, h);
        break;
    case ERDIAG_BGP_NOTIFICATION:
        decode_notification(d, body, body_len);
        break;
    case ERDIAG_BGP_KEEPALIVE:
        if (msg_len != ERDIAG_BGP_HEADER_LEN)
            erdiag_bgp_fail(d, "KEEPALIVE: length %u, must be 19", msg_len);
        break;
    case ERDIAG_BGP_ROUTE_REFRESH: {
        erdiag_bgp_route_refresh *rr = &d->msg.u.route_refresh;
        rr->afi = erdiag_get16(body);
        rr->subtype = body[2];
        rr->safi = body[3];
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
