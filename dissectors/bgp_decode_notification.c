/* NOTIFICATION (RFC 4271 4.5, 6.x): code, subcode, and the data each error
 * defines, decoded into a text as Wireshark and tcpdump show it: the bad
 * length or type, the peer AS, the unsupported capabilities, the faulty
 * attribute, the prefix limit (RFC 4486), the shutdown communication
 * (RFC 8203 / 9003), and the error a Hard Reset wraps (RFC 8538). */
#include <string.h>
#include "bgp_decode_internal.h"

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
static void append_printable(GString *out, const guint8 *text, gsize len)
{
    gsize off = 0;
    while (off < len) {
        gunichar c = text[off] ? g_utf8_get_char_validated((const char *)text + off, (gssize)(len - off))
                               : 0;
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_unichar(out, 0xfffd);
            off++;
            continue;
        }
        g_string_append_unichar(out, unsafe_char(c) ? '?' : c);
        off += text[off] ? (gsize)g_utf8_skip[text[off]] : 1;
    }
}

/* RFC 8203 / 9003: a length byte, then that much UTF-8 (length 0: none). */
static void shutdown_communication(erdiag_bgp_decoded *d, erdiag_cursor data)
{
    erdiag_bgp_notification *n = &d->msg.u.notification;
    if (erdiag_cursor_at_end(&data))
        return;
    guint text_len = erdiag_cursor_get_u8(&data);
    guint left = (guint)erdiag_cursor_remaining(&data);
    erdiag_cursor text = erdiag_cursor_take(&data, text_len);
    if (data.err) {
        erdiag_bgp_fail(d, "NOTIFICATION: shutdown communication length %u exceeds %u bytes left",
                        text_len, left);
        return;
    }
    if (text_len > 0) {
        append_printable(d->shutdown_text, erdiag_cursor_ptr(&text), text_len);
        n->shutdown_text = d->shutdown_text->str;
    }
    if (!erdiag_cursor_at_end(&data))
        g_string_append_printf(d->notification_text, "%s%u bytes after the shutdown communication",
                               d->notification_text->len ? ", " : "", (guint)erdiag_cursor_remaining(&data));
}

static void append_caps(GString *t, erdiag_cursor data)
{
    while (!erdiag_cursor_at_end(&data)) {
        guint8 code = erdiag_cursor_get_u8(&data);
        guint len = erdiag_cursor_get_u8(&data);
        if (data.err || !erdiag_cursor_skip(&data, len))
            break;
        g_string_append_printf(t, "%scapability %u (%s)", t->len ? ", " : "unsupported ", code,
                               erdiag_bgp_capability_name(code));
    }
}

/* The text for code/subcode's data into d->notification_text; FALSE when
 * the data is not what that error defines (then it is shown raw). */
static gboolean data_text(erdiag_bgp_decoded *d, guint code, guint sub, erdiag_cursor data)
{
    GString *t = d->notification_text;
    gsize len = erdiag_cursor_remaining(&data);
    switch (code * 256 + sub) {
    case 1 * 256 + 2: /* Bad Message Length: the length */
        if (len != 2)
            return FALSE;
        g_string_append_printf(t, "bad length %u", erdiag_cursor_get_u16be(&data));
        return TRUE;
    case 1 * 256 + 3: /* Bad Message Type: the type */
        if (len != 1)
            return FALSE;
        g_string_append_printf(t, "bad type %u", erdiag_cursor_get_u8(&data));
        return TRUE;
    case 2 * 256 + 1: /* Unsupported Version Number: the largest supported */
        if (len != 2)
            return FALSE;
        g_string_append_printf(t, "supported version %u", erdiag_cursor_get_u16be(&data));
        return TRUE;
    case 2 * 256 + 2: /* Bad Peer AS: the AS as received, 2 or 4 bytes */
        if (len == 2)
            g_string_append_printf(t, "peer AS %u", erdiag_cursor_get_u16be(&data));
        else if (len == 4)
            g_string_append_printf(t, "peer AS %u", erdiag_cursor_get_u32be(&data));
        else
            return FALSE;
        return TRUE;
    case 2 * 256 + 3: /* Bad BGP Identifier */
        if (len != 4)
            return FALSE;
        {
            guint32 id = erdiag_cursor_get_u32be(&data);
            g_string_append_printf(t, "BGP identifier %u.%u.%u.%u", id >> 24, (id >> 16) & 255,
                                   (id >> 8) & 255, id & 255);
        }
        return TRUE;
    case 2 * 256 + 7: /* Unsupported Capability (RFC 5492 3): the capabilities */
        append_caps(t, data);
        return t->len > 0;
    case 3 * 256 + 3: /* Missing Well-known Attribute: its type code */
        if (len != 1)
            return FALSE;
        {
            guint8 type = erdiag_cursor_get_u8(&data);
            g_string_append_printf(t, "missing %s (type %u)", erdiag_bgp_attr_name(type), type);
        }
        return TRUE;
    case 3 * 256 + 2: case 3 * 256 + 4: case 3 * 256 + 5: case 3 * 256 + 6: case 3 * 256 + 8:
    case 3 * 256 + 9: /* the faulty attribute: flags, type, length, value */
        if (len < 2)
            return FALSE;
        {
            guint8 flags = erdiag_cursor_get_u8(&data), type = erdiag_cursor_get_u8(&data);
            g_string_append_printf(t, "attribute %s (type %u, flags 0x%02x)", erdiag_bgp_attr_name(type),
                                   type, flags);
        }
        return TRUE;
    case 6 * 256 + 1: /* Maximum Number of Prefixes Reached (RFC 4486 4) */
        if (len != 7)
            return FALSE;
        {
            guint16 afi = erdiag_cursor_get_u16be(&data);
            guint8 safi = erdiag_cursor_get_u8(&data);
            guint32 limit = erdiag_cursor_get_u32be(&data);
            char fam[64];
            g_string_append_printf(t, "%s, limit %u prefixes", erdiag_bgp_afi_safi_text(afi, safi, fam, sizeof fam),
                                   limit);
        }
        return TRUE;
    case 6 * 256 + 2: case 6 * 256 + 4:
        shutdown_communication(d, data);
        return TRUE;
    default:
        return FALSE;
    }
}

void erdiag_bgp_decode_notification(erdiag_bgp_decoded *d, erdiag_cursor body)
{
    erdiag_bgp_notification *n = &d->msg.u.notification;
    n->code = erdiag_cursor_get_u8(&body);
    n->subcode = erdiag_cursor_get_u8(&body);
    n->data_len = (guint16)erdiag_cursor_remaining(&body);
    n->data = n->data_len ? erdiag_cursor_ptr(&body) : NULL;
    erdiag_cursor data = body;
    if (n->code == 6 && n->subcode == 9) {
        /* RFC 8538 3: the data is the code, subcode and data of the error
         * that caused the Hard Reset. */
        if (erdiag_cursor_remaining(&data) < 2) {
            erdiag_bgp_fail(d, "NOTIFICATION: Hard Reset without the error it wraps (%u data bytes)",
                            n->data_len);
            return;
        }
        n->hard_reset = TRUE;
        n->inner_code = erdiag_cursor_get_u8(&data);
        n->inner_subcode = erdiag_cursor_get_u8(&data);
        const char *cname = erdiag_bgp_notification_code_name(n->inner_code);
        const char *sname = erdiag_bgp_notification_subcode_name(n->inner_code, n->inner_subcode);
        GString *t = g_string_new(NULL);
        g_string_printf(t, "wrapping %s%s%s (%u/%u)", cname, sname ? " / " : "", sname ? sname : "",
                        n->inner_code, n->inner_subcode);
        gsize before = d->notification_text->len;
        if (!erdiag_cursor_at_end(&data) && data_text(d, n->inner_code, n->inner_subcode, data) &&
            d->notification_text->len > before)
            g_string_append_printf(t, ": %s", d->notification_text->str + before);
        g_string_assign(d->notification_text, t->str);
        g_string_free(t, TRUE);
        n->data_text = d->notification_text->str;
        return;
    }
    if (erdiag_cursor_at_end(&data))
        return;
    if (data_text(d, n->code, n->subcode, data) && d->notification_text->len)
        n->data_text = d->notification_text->str;
}
