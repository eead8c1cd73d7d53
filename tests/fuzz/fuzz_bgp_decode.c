/* Fuzz target: BGP message decoding (OPEN, UPDATE with every attribute the
 * decoder reads, NOTIFICATION, ROUTE-REFRESH).
 *
 * Input: byte 0 sets the session hints: bit 0 as4, bit 1 as4_known, bit 2
 * ADD-PATH for IPv4, bit 3 ADD-PATH for IPv6, bit 4 extended messages, bit 5
 * no hints at all (NULL). The rest is decoded twice: first whole, as one
 * message whose length fields may lie about the bytes given, then split
 * into messages by their header length fields, with one decoder reused
 * across them (the reuse path the stream reassembler takes), and OPENs
 * feeding the hints of the messages after them. */
#include "fuzz_common.h"
#include "bgp_decode.h"

static void hints_from_byte(guint8 b, erdiag_bgp_session_hints *h)
{
    memset(h, 0, sizeof *h);
    h->as4 = (b & 1) != 0;
    h->as4_known = (b & 2) != 0;
    h->add_path_v4 = (b & 4) != 0;
    h->add_path_v6 = (b & 8) != 0;
    h->extended_message = (b & 16) != 0;
}

static void decode_one(erdiag_bgp_decoded *d, const guint8 *buf, gsize len, const erdiag_bgp_session_hints *h)
{
    /* An exact-size copy: a read one byte past the message is caught even
     * when more input follows it. */
    guint8 *copy = g_memdup2(buf, len);
    const erdiag_bgp_msg *m = erdiag_bgp_decode(d, copy, len, h);
    FUZZ_CHECK(m != NULL);
    fuzz_walk_bgp_msg(m);
    if (m->type == ERDIAG_BGP_OPEN && m->error == NULL) {
        const erdiag_bgp_open_caps *caps = erdiag_bgp_decoded_open_caps(d);
        FUZZ_CHECK(caps != NULL);
    }
    g_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    erdiag_bgp_session_hints hints;
    hints_from_byte(data[0], &hints);
    const erdiag_bgp_session_hints *h = (data[0] & 32) ? NULL : &hints;
    const uint8_t *p = data + 1;
    gsize len = size - 1;

    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    decode_one(d, p, len, h);

    /* Message by message, as a stream would cut them. */
    erdiag_bgp_open_caps open_caps[2];
    guint n_opens = 0;
    gsize off = 0;
    while (len - off >= ERDIAG_BGP_HEADER_LEN) {
        guint16 plausible_len = 0;
        guint max = hints.extended_message ? ERDIAG_BGP_MAX_EXT_LEN : ERDIAG_BGP_MAX_LEN;
        if (erdiag_bgp_header_plausible(p + off, len - off, max, &plausible_len))
            FUZZ_CHECK(plausible_len >= ERDIAG_BGP_HEADER_LEN && plausible_len <= max);
        gsize mlen = fuzz_be16(p + off + 16);
        mlen = CLAMP(mlen, (gsize)ERDIAG_BGP_HEADER_LEN, len - off);
        decode_one(d, p + off, mlen, h);
        const erdiag_bgp_open_caps *caps = erdiag_bgp_decoded_open_caps(d);
        if (p[off + 18] == ERDIAG_BGP_OPEN && caps != NULL && n_opens < 2) {
            open_caps[n_opens++] = *caps;
            if (n_opens == 2) {
                /* Both OPENs seen: later messages use negotiated hints. */
                erdiag_bgp_session_hints_from_opens(&open_caps[0], &open_caps[1], &hints);
                h = &hints;
            }
        }
        off += mlen;
    }
    erdiag_bgp_decoded_free(d);
    return 0;
}
