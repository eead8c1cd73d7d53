/* One dissected frame -> erdiag_events, through the CLI's own decoders.
 *
 * The link, ARP/ND, IP and TCP/UDP headers are read from the frame's bytes
 * by dissectors/decoder.c, exactly as the CLI reads them, so both front ends
 * hand the engine the same events (and the same decode notes) by
 * construction. Only BGP comes from epan: its messages, reassembled by epan
 * across TCP segments, are read from the bgp.* fields after each port-179
 * TCP event (extract_bgp.c), and the decoder's own BGP reassembly is off.
 *
 * Why not epan's eth/vlan/ip/tcp fields: a field the post-dissector asks for
 * is built for real in every frame that has it, and these are in every
 * data-plane frame; asking for them made tshark 40-50 % slower. The bgp.*
 * fields exist only in BGP frames. */
#include "expressroute.h"

#include <string.h>
#include <wiretap/wtap.h>

#include "decoder.h"

enum { BGP_PORT = 179 };

/* The frame being decoded: the decoder's sink needs epan's view of it to
 * add the BGP messages after a port-179 TCP event. */
typedef struct {
    tvbuff_t *tvb;
    packet_info *pinfo;
    proto_tree *tree;
    er_event_sink sink;
    gpointer user;
} frame_ctx;

static erdiag_decoder *decoder;
static frame_ctx *current;

/* The pcap link type of the encapsulations the CLI reads (Ethernet, Linux
 * SLL and SLL2, Juniper Ethernet, raw IP), -1 for the rest: they are left
 * alone, as the CLI refuses such files. (wiretap's own mapping is in
 * libwiretap, which wireshark.pc does not link.) */
static int linktype_of(int encap)
{
    switch (encap) {
    case WTAP_ENCAP_ETHERNET: return ERDIAG_LINKTYPE_ETHERNET;
    case WTAP_ENCAP_SLL: return ERDIAG_LINKTYPE_LINUX_SLL;
    case WTAP_ENCAP_SLL2: return ERDIAG_LINKTYPE_LINUX_SLL2;
    case WTAP_ENCAP_RAW_IP: return ERDIAG_LINKTYPE_RAW;
    case WTAP_ENCAP_RAW_IP4: return ERDIAG_LINKTYPE_IPV4;
    case WTAP_ENCAP_RAW_IP6: return ERDIAG_LINKTYPE_IPV6;
    case WTAP_ENCAP_JUNIPER_ETHER: return ERDIAG_LINKTYPE_JUNIPER_ETHER;
    default: return -1;
    }
}

static void decoder_sink(const erdiag_event *ev, gpointer user)
{
    (void)user;
    frame_ctx *f = current;
    f->sink(ev, f->user);
    if (ev->type == ERDIAG_EV_TCP && (ev->u.tcp.sport == BGP_PORT || ev->u.tcp.dport == BGP_PORT))
        er_extract_bgp(f->tvb, f->pinfo, f->tree, ev, f->sink, f->user);
}

void er_extract_reset(void)
{
    g_clear_pointer(&decoder, erdiag_decoder_free);
}

void er_extract_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      er_event_sink sink, gpointer user)
{
    if (!tree || !pinfo->rec || pinfo->rec->rec_type != REC_TYPE_PACKET)
        return;
    int linktype = linktype_of(pinfo->rec->rec_header.packet_header.pkt_encap);
    if (linktype < 0)
        return;
    if (!decoder) {
        decoder = erdiag_decoder_new(decoder_sink, NULL);
        erdiag_decoder_set_bgp_reassembly(decoder, FALSE);
    }

    erdiag_packet_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.frame = pinfo->num;
    meta.ts_us = (gint64)pinfo->abs_ts.secs * G_USEC_PER_SEC + pinfo->abs_ts.nsecs / 1000;
    meta.iface = (pinfo->rec->presence_flags & WTAP_HAS_INTERFACE_ID)
                     ? pinfo->rec->rec_header.packet_header.interface_id : 0;
    meta.wire_len = pinfo->fd->pkt_len;
    meta.cap_len = tvb_captured_length(tvb);
    static const guint8 empty[1];
    const guint8 *bytes = meta.cap_len ? tvb_get_ptr(tvb, 0, (gint)meta.cap_len) : empty;

    frame_ctx f = { tvb, pinfo, tree, sink, user };
    current = &f;
    erdiag_decoder_packet(decoder, linktype, bytes, &meta);
    current = NULL;
}
