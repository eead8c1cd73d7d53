/* Fuzz target: IPv4 / IPv6 header decoding, extension headers included.
 *
 * Input: byte 0 bit 0 picks the ethertype (0 IPv4, 1 IPv6); the rest is the
 * IP packet as captured. */
#include "fuzz_common.h"
#include "ip.h"
#include "link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    guint16 ethertype = (data[0] & 1) ? ERDIAG_ETHERTYPE_IPV6 : ERDIAG_ETHERTYPE_IPV4;
    const uint8_t *p = data + 1;
    gsize len = size - 1;
    erdiag_ip_info ip;
    char *note = NULL;
    erdiag_ip_status st = erdiag_ip_decode(ethertype, p, len, &ip, &note);
    if (st != ERDIAG_IP_OK) {
        FUZZ_CHECK(note != NULL);
        fuzz_touch_string(note);
        g_free(note);
        return 0;
    }
    FUZZ_CHECK(note == NULL);
    FUZZ_CHECK(ip.version == (ethertype == ERDIAG_ETHERTYPE_IPV6 ? 6 : 4));
    FUZZ_CHECK(ip.src.family == ip.version && ip.dst.family == ip.version);
    if (ip.has_l4) {
        /* The upper layer lies inside what was captured... */
        FUZZ_CHECK(ip.l4 >= p && ip.l4 <= p + len);
        FUZZ_CHECK(ip.l4_captured <= (gsize)(p + len - ip.l4));
        /* ... and never beyond what the header claims. */
        FUZZ_CHECK(ip.l4_captured <= ip.l4_len);
        fuzz_touch(ip.l4, ip.l4_captured);
    }
    return 0;
}
