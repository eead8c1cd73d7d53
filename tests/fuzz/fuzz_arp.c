/* Fuzz target: ARP and IPv6 Neighbour Discovery decoding.
 *
 * Input: byte 0 bit 0 picks ARP (0) or ND (1); bit 1 says whether the frame
 * had MACs to fall back on; bit 2 makes the ND source address "::"
 * (duplicate address detection). The rest is the ARP packet or the ICMPv6
 * message. */
#include "fuzz_common.h"
#include "arp.h"

static const guint8 ND_SRC[16] = { 0xfe, 0x80, [15] = 0x01 };
static const guint8 ND_DST[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff, [15] = 0x02 };

static void check_result(erdiag_arp_status st, const erdiag_arp_ev *ev, char *note)
{
    if (st == ERDIAG_ARP_DECODED) {
        FUZZ_CHECK(ev->opcode == ERDIAG_ARP_REQUEST || ev->opcode == ERDIAG_ARP_REPLY);
    } else if (st != ERDIAG_ARP_NOT_ND) {
        /* Every refusal says why. */
        FUZZ_CHECK(note != NULL);
    }
    fuzz_touch_string(note);
    g_free(note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    guint8 mode = data[0];
    const uint8_t *p = data + 1;
    gsize len = size - 1;
    erdiag_arp_ev ev;
    char *note = NULL;
    if (!(mode & 1)) {
        erdiag_arp_status st = erdiag_arp_decode(p, len, &ev, &note);
        FUZZ_CHECK(st != ERDIAG_ARP_NOT_ND);
        FUZZ_CHECK(st != ERDIAG_ARP_DECODED || len >= ERDIAG_ARP_LEN);
        check_result(st, &ev, note);
        return 0;
    }
    erdiag_packet_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.has_macs = (mode & 2) != 0;
    memset(meta.src_mac, 0x02, 6);
    memset(meta.dst_mac, 0x33, 6);
    guint8 zero[16] = { 0 };
    erdiag_addr src = erdiag_addr_v6((mode & 4) ? zero : ND_SRC);
    erdiag_addr dst = erdiag_addr_v6(ND_DST);
    erdiag_arp_status st = erdiag_nd_decode(p, len, &src, &dst, &meta, &ev, &note);
    check_result(st, &ev, note);
    return 0;
}
