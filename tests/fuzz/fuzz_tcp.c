/* Fuzz target: TCP header and option decoding.
 *
 * Input: bytes 0-1 are the segment length the IP header claims (big
 * endian); the rest is the captured segment, header first. */
#include "fuzz_common.h"
#include "tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const guint8 a[4] = { 192, 168, 15, 17 }, b[4] = { 192, 168, 15, 18 };
    erdiag_ip_info ip;
    memset(&ip, 0, sizeof ip);
    ip.version = 4;
    ip.src = erdiag_addr_v4(a);
    ip.dst = erdiag_addr_v4(b);
    ip.proto = 6;
    ip.ttl = 255;
    ip.has_l4 = TRUE;
    ip.l4 = data + 2;
    ip.l4_captured = size - 2;
    ip.l4_len = fuzz_be16(data);
    ip.ip_len = ip.l4_len + 20;

    erdiag_tcp_ev ev;
    const guint8 *payload = NULL;
    guint32 captured = 0;
    char *note = NULL;
    erdiag_tcp_status st = erdiag_tcp_decode(&ip, &ev, &payload, &captured, &note);
    switch (st) {
    case ERDIAG_TCP_DECODED:
        FUZZ_CHECK(note == NULL);
        /* fall through */
    case ERDIAG_TCP_DECODED_WITH_NOTE:
        FUZZ_CHECK(st == ERDIAG_TCP_DECODED || note != NULL);
        FUZZ_CHECK(captured <= ev.payload_len);
        FUZZ_CHECK(payload >= ip.l4 && payload + captured <= ip.l4 + ip.l4_captured);
        FUZZ_CHECK(ev.payload_len <= ip.l4_len);
        fuzz_touch(payload, captured);
        break;
    case ERDIAG_TCP_TRUNCATED:
    case ERDIAG_TCP_BAD:
        FUZZ_CHECK(note != NULL);
        break;
    }
    fuzz_touch_string(note);
    g_free(note);
    return 0;
}
