/* Fuzz target: one frame through the link layer (Ethernet, SLL, SLL2,
 * Juniper Ethernet, raw IP, VLAN stacks) and then the whole per-frame decoder.
 *
 * Input: byte 0 picks the link type (0 Ethernet, 1 Linux SLL, 2 Linux SLL2,
 * anything else is taken as a raw LINKTYPE_ value: 12, 14, 101 raw IP, 178
 * Juniper Ethernet, 228/229 IPv4/IPv6, most others unsupported);
 * the rest is the captured frame. Byte 1's low bit, when set, claims a wire
 * length twice the captured one (a frame cut by snaplen). */
#include "fuzz_common.h"
#include "decoder.h"
#include "link.h"

static int pick_linktype(uint8_t b)
{
    switch (b) {
    case 0: return ERDIAG_LINKTYPE_ETHERNET;
    case 1: return ERDIAG_LINKTYPE_LINUX_SLL;
    case 2: return ERDIAG_LINKTYPE_LINUX_SLL2;
    default: return b;
    }
}

static void check_event(const erdiag_event *ev, gpointer user)
{
    (void)user;
    fuzz_walk_event(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int linktype = pick_linktype(data[0]);
    gboolean snapped = data[1] & 1;
    const uint8_t *frame = data + 2;
    gsize len = size - 2;

    erdiag_packet_meta meta;
    memset(&meta, 0, sizeof meta);
    erdiag_link_result r = erdiag_link_decode(linktype, frame, len, &meta);
    FUZZ_CHECK(meta.n_tags <= ERDIAG_MAX_TAGS);
    switch (r.status) {
    case ERDIAG_LINK_OK:
    case ERDIAG_LINK_NOT_ETHERTYPE:
    case ERDIAG_LINK_TOO_MANY_TAGS:
        FUZZ_CHECK(r.payload_off <= len);
        break;
    case ERDIAG_LINK_TRUNCATED:
        FUZZ_CHECK(r.what != NULL && r.have < r.need);
        break;
    case ERDIAG_LINK_UNKNOWN_TYPE:
        break;
    case ERDIAG_LINK_UNDECODABLE:
        FUZZ_CHECK(r.what != NULL);
        break;
    }
    FUZZ_CHECK(r.status != ERDIAG_LINK_TOO_MANY_TAGS || meta.n_tags == ERDIAG_MAX_TAGS);

    /* The same bytes through the decoder the CLI uses. */
    erdiag_decoder *d = erdiag_decoder_new(check_event, NULL);
    memset(&meta, 0, sizeof meta);
    meta.frame = 1;
    meta.ts_us = 1000000;
    meta.cap_len = (guint32)len;
    meta.wire_len = snapped ? (guint32)len * 2 + 1 : (guint32)len;
    erdiag_decoder_packet(d, linktype, frame, &meta);
    erdiag_decoder_finish(d);
    erdiag_decoder_free(d);
    return 0;
}
