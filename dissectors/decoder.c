/* The CLI's packet decoder: link type → link header → ethertype → ARP / IP →
 * TCP / ND / other IP, turning each frame into events. Each layer lives in
 * its own file; this one only dispatches and words the decode notes. */
#include "decoder.h"
#include "bfd.h"
#include "icmp.h"
#include "macsec.h"

#include <stdarg.h>
#include <string.h>
#include "arp.h"
#include "bgp_stream.h"
#include "ip.h"
#include "link.h"
#include "tcp.h"

enum { BGP_PORT = 179, UDP_HEADER = 8 };

struct erdiag_decoder {
    erdiag_event_sink sink;
    gpointer user;
    erdiag_bgp_streams *bgp; /* NULL: BGP reassembly is the caller's */
    /* Link types already reported as unknown: one note per type, not one
     * per frame (a multi-interface pcapng may hold thousands of them). */
    GHashTable *unknown_linktypes_noted;
};

/* Per-packet state threaded through the layers. The packet's event is
 * filled in place: ev.pkt is the caller's meta plus tags and MACs, and the
 * layer that emits fills the union member it needs (only that member is
 * cleared), rather than building a whole event per packet and copying the
 * meta into it. */
typedef struct {
    erdiag_decoder *d;
    erdiag_event ev;
} packet_ctx;

static const struct {
    int linktype;
    const char *name;
} linktype_names[] = {
    { 0, "NULL" },
    { 1, "ETHERNET" },
    { 6, "IEEE802_5" },
    { 9, "PPP" },
    { 10, "FDDI" },
    { 12, "RAW" },
    { 14, "RAW" },
    { 50, "PPP_HDLC" },
    { 101, "RAW" },
    { 104, "C_HDLC" },
    { 105, "IEEE802_11" },
    { 108, "LOOP" },
    { 113, "LINUX_SLL" },
    { 119, "IEEE802_11_PRISM" },
    { 127, "IEEE802_11_RADIOTAP" },
    { 143, "DOCSIS" },
    { 147, "USER0" },
    { 178, "JUNIPER_ETHER" },
    { 189, "USB_LINUX" },
    { 192, "PPI" },
    { 195, "IEEE802_15_4_WITHFCS" },
    { 201, "BLUETOOTH_HCI_H4_WITH_PHDR" },
    { 220, "USB_LINUX_MMAPPED" },
    { 228, "IPV4" },
    { 229, "IPV6" },
    { 239, "NFLOG" },
    { 249, "USBPCAP" },
    { 253, "NETLINK" },
    { 276, "LINUX_SLL2" },
};

gboolean erdiag_decoder_linktype_supported(int linktype)
{
    switch (linktype) {
    case ERDIAG_LINKTYPE_ETHERNET:
    case ERDIAG_LINKTYPE_DLT_RAW:
    case ERDIAG_LINKTYPE_DLT_RAW_OPENBSD:
    case ERDIAG_LINKTYPE_RAW:
    case ERDIAG_LINKTYPE_LINUX_SLL:
    case ERDIAG_LINKTYPE_JUNIPER_ETHER:
    case ERDIAG_LINKTYPE_IPV4:
    case ERDIAG_LINKTYPE_IPV6:
    case ERDIAG_LINKTYPE_LINUX_SLL2:
        return TRUE;
    default:
        return FALSE;
    }
}

const char *erdiag_decoder_linktype_name(int linktype)
{
    for (gsize i = 0; i < G_N_ELEMENTS(linktype_names); i++)
        if (linktype_names[i].linktype == linktype)
            return linktype_names[i].name;
    return "unknown";
}

erdiag_decoder *erdiag_decoder_new(erdiag_event_sink sink, gpointer user)
{
    erdiag_decoder *d = g_new0(erdiag_decoder, 1);
    d->sink = sink;
    d->user = user;
    d->bgp = erdiag_bgp_streams_new();
    d->unknown_linktypes_noted = g_hash_table_new(g_direct_hash, g_direct_equal);
    return d;
}

void erdiag_decoder_set_bgp_reassembly(erdiag_decoder *d, gboolean on)
{
    if (on && !d->bgp)
        d->bgp = erdiag_bgp_streams_new();
    else if (!on && d->bgp)
        g_clear_pointer(&d->bgp, erdiag_bgp_streams_free);
}

void erdiag_decoder_free(erdiag_decoder *d)
{
    if (d == NULL)
        return;
    if (d->bgp)
        erdiag_bgp_streams_free(d->bgp);
    g_hash_table_destroy(d->unknown_linktypes_noted);
    g_free(d);
}

void erdiag_decoder_finish(erdiag_decoder *d)
{
    if (d->bgp)
        erdiag_bgp_streams_finish(d->bgp, d->sink, d->user);
}

/* Hands the packet's event to the sink, as filled by the layers. */
static void emit(packet_ctx *ctx, erdiag_event_type type)
{
    ctx->ev.type = type;
    ctx->d->sink(&ctx->ev, ctx->d->user);
}

/* "frame 12: <text>", plus where snaplen cut the frame when the text is
 * about something missing and the capture, not the packet, is to blame. */
static void emit_note_text(packet_ctx *ctx, const char *text, gboolean about_truncation)
{
    GString *s = g_string_new(NULL);
    const erdiag_packet_meta *pkt = &ctx->ev.pkt;
    g_string_printf(s, "frame %" G_GUINT64_FORMAT ": %s", pkt->frame, text);
    if (about_truncation && pkt->cap_len < pkt->wire_len)
        g_string_append_printf(s, " (frame cut by snaplen: %u of %u bytes captured)",
                               pkt->cap_len, pkt->wire_len);
    /* an event of its own: a note may come between the packet's events and
     * must not overwrite what a layer filled in */
    erdiag_event note;
    memset(&note, 0, sizeof note);
    note.type = ERDIAG_EV_DECODE_NOTE;
    note.pkt = *pkt;
    note.u.note.text = s->str;
    ctx->d->sink(&note, ctx->d->user);
    g_string_free(s, TRUE);
}

G_GNUC_PRINTF(3, 4)
static void emit_note(packet_ctx *ctx, gboolean about_truncation, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emit_note_text(ctx, text, about_truncation);
    g_free(text);
}

/* Emits the note a layer wrote (if any) and frees it. */
static void emit_owned_note(packet_ctx *ctx, char *note, gboolean about_truncation)
{
    if (note == NULL)
        return;
    emit_note_text(ctx, note, about_truncation);
    g_free(note);
}

static void decode_arp(packet_ctx *ctx, const guint8 *p, gsize len)
{
    memset(&ctx->ev.u.arp, 0, sizeof ctx->ev.u.arp);
    char *note = NULL;
    erdiag_arp_status st = erdiag_arp_decode(p, len, &ctx->ev.u.arp, &note);
    if (st == ERDIAG_ARP_DECODED)
        emit(ctx, ERDIAG_EV_ARP);
    emit_owned_note(ctx, note, st == ERDIAG_ARP_TRUNCATED);
}

/* MACsec: only the SecTAG is readable; what it protects (tags, IP, BGP)
 * is encrypted, and the engine says so (capture.macsec). */
static void decode_macsec(packet_ctx *ctx, const guint8 *p, gsize len)
{
    memset(&ctx->ev.u.macsec, 0, sizeof ctx->ev.u.macsec);
    if (!erdiag_macsec_decode(p, len, &ctx->ev.u.macsec)) {
        emit_note(ctx, TRUE, "MACsec SecTAG truncated at %" G_GSIZE_FORMAT " bytes", len);
        return;
    }
    emit(ctx, ERDIAG_EV_MACSEC);
}

static void emit_ip_event(packet_ctx *ctx, const erdiag_ip_info *ip, guint16 sport, guint16 dport)
{
    erdiag_ip_ev *ev = &ctx->ev.u.ip;
    memset(ev, 0, sizeof *ev);
    ev->src = ip->src;
    ev->dst = ip->dst;
    ev->proto = ip->proto;
    ev->ttl = ip->ttl;
    ev->sport = sport;
    ev->dport = dport;
    ev->ip_len = ip->ip_len;
    ev->fragment = ip->fragment;
    ev->later_fragment = !ip->has_l4;
    ev->dont_fragment = ip->dont_fragment;
    gboolean icmp = ip->version == 4 ? ip->proto == ERDIAG_IPPROTO_ICMP : ip->proto == ERDIAG_IPPROTO_ICMPV6;
    if (icmp && ip->has_l4)
        erdiag_icmp_read(ip, ev);
    emit(ctx, ERDIAG_EV_IP);
}

static void decode_tcp(packet_ctx *ctx, const erdiag_ip_info *ip)
{
    const guint8 *payload;
    guint32 payload_captured;
    char *note = NULL;
    erdiag_tcp_status st = erdiag_tcp_decode(ip, &ctx->ev.u.tcp, &payload, &payload_captured, &note);
    if (st != ERDIAG_TCP_DECODED && st != ERDIAG_TCP_DECODED_WITH_NOTE) {
        emit_owned_note(ctx, note, st == ERDIAG_TCP_TRUNCATED);
        return;
    }
    emit(ctx, ERDIAG_EV_TCP);
    emit_owned_note(ctx, note, FALSE);

    const erdiag_tcp_ev *tcp = &ctx->ev.u.tcp;
    if ((tcp->sport != BGP_PORT && tcp->dport != BGP_PORT) || !ctx->d->bgp)
        return;
    if (ip->fragment)
        emit_note(ctx, FALSE, "BGP segment %u -> %u in a fragmented IP packet: only the first "
                  "fragment's bytes reach the BGP stream (fragments are not reassembled)",
                  tcp->sport, tcp->dport);
    erdiag_bgp_streams_segment(ctx->d->bgp, &ctx->ev.pkt, tcp, payload, payload_captured,
                               ctx->d->sink, ctx->d->user);
}

static void decode_icmpv6(packet_ctx *ctx, const erdiag_ip_info *ip)
{
    erdiag_arp_ev *arp = &ctx->ev.u.arp;
    memset(arp, 0, sizeof *arp);
    char *note = NULL;
    erdiag_arp_status st = erdiag_nd_decode(ip->l4, ip->l4_captured, &ip->src, &ip->dst, &ctx->ev.pkt,
                                            arp, &note);
    switch (st) {
    case ERDIAG_ARP_DECODED:
        emit(ctx, ERDIAG_EV_ARP);
        /* The link-layer address option may be what the capture cut off. */
        if (note == NULL && ip->l4_captured < ip->l4_len)
            note = g_strdup_printf("ICMPv6 %s truncated at %" G_GSIZE_FORMAT " of %u bytes",
                                   arp->opcode == ERDIAG_ARP_REQUEST ? "Neighbor Solicitation"
                                                                         : "Neighbor Advertisement",
                                   ip->l4_captured, ip->l4_len);
        emit_owned_note(ctx, note, TRUE);
        break;
    case ERDIAG_ARP_NOT_ND:
        emit_ip_event(ctx, ip, 0, 0);
        /* With not even the type byte there, this may have been ND. */
        if (ip->l4_captured == 0 && ip->l4_len > 0)
            emit_note(ctx, TRUE, "ICMPv6 message truncated at 0 of %u bytes", ip->l4_len);
        break;
    default:
        emit_owned_note(ctx, note, st == ERDIAG_ARP_TRUNCATED);
        break;
    }
}

/* BFD control packets, after the UDP header (8 bytes). */
static void decode_bfd(packet_ctx *ctx, const erdiag_ip_info *ip, gboolean multihop)
{
    erdiag_bfd_ev *bfd = &ctx->ev.u.bfd;
    memset(bfd, 0, sizeof *bfd);
    gsize have = ip->l4_captured > UDP_HEADER ? ip->l4_captured - UDP_HEADER : 0;
    gsize claimed = ip->l4_len > UDP_HEADER ? ip->l4_len - UDP_HEADER : 0;
    char *note = NULL;
    erdiag_bfd_status st = erdiag_bfd_decode(ip->l4 + MIN(ip->l4_captured, (gsize)UDP_HEADER), have, claimed,
                                             bfd, &note);
    if (st != ERDIAG_BFD_OK) {
        emit_owned_note(ctx, note, st == ERDIAG_BFD_TRUNCATED);
        return;
    }
    bfd->src = ip->src;
    bfd->dst = ip->dst;
    bfd->multihop = multihop;
    emit(ctx, ERDIAG_EV_BFD);
}

static void decode_udp(packet_ctx *ctx, const erdiag_ip_info *ip)
{
    /* BFD, HSRP and the like are told apart by port: report when the
     * capture cut the ports off. */
    if (ip->l4_captured < 4) {
        emit_note(ctx, TRUE, "UDP header truncated at %" G_GSIZE_FORMAT " of %d bytes",
                  ip->l4_captured, UDP_HEADER);
        emit_ip_event(ctx, ip, 0, 0);
        return;
    }
    guint16 sport = (guint16)((ip->l4[0] << 8) | ip->l4[1]);
    guint16 dport = (guint16)((ip->l4[2] << 8) | ip->l4[3]);
    emit_ip_event(ctx, ip, sport, dport);
    if (dport == ERDIAG_BFD_PORT || dport == ERDIAG_BFD_MULTIHOP_PORT)
        decode_bfd(ctx, ip, dport == ERDIAG_BFD_MULTIHOP_PORT);
}

static void decode_ip(packet_ctx *ctx, guint16 ethertype, const guint8 *p, gsize len)
{
    erdiag_ip_info ip;
    char *note = NULL;
    erdiag_ip_status st = erdiag_ip_decode(ethertype, p, len, &ip, &note);
    if (st != ERDIAG_IP_OK) {
        emit_owned_note(ctx, note, st == ERDIAG_IP_TRUNCATED);
        return;
    }
    /* Shorter than claimed although nothing was cut by snaplen: the header
     * lies. Decode what is there, but say so. */
    if (ip.ip_len > len && ctx->ev.pkt.cap_len >= ctx->ev.pkt.wire_len)
        emit_note(ctx, FALSE, "IPv%u length %u exceeds the %" G_GSIZE_FORMAT " bytes the frame holds",
                  ip.version, ip.ip_len, len);
    if (!ip.has_l4) {
        emit_ip_event(ctx, &ip, 0, 0); /* a later fragment: no ports */
        return;
    }
    switch (ip.proto) {
    case ERDIAG_IPPROTO_TCP:
        decode_tcp(ctx, &ip);
        break;
    case ERDIAG_IPPROTO_UDP:
        decode_udp(ctx, &ip);
        break;
    case ERDIAG_IPPROTO_ICMPV6:
        if (ip.version == 6) {
            decode_icmpv6(ctx, &ip);
            break;
        }
        emit_ip_event(ctx, &ip, 0, 0);
        break;
    default:
        emit_ip_event(ctx, &ip, 0, 0);
        break;
    }
}

void erdiag_decoder_packet(erdiag_decoder *d, int linktype, const guint8 *data,
                           const erdiag_packet_meta *meta)
{
    packet_ctx ctx;
    ctx.d = d;
    erdiag_packet_meta *pkt = &ctx.ev.pkt;
    /* field by field: the caller has just written some of them, and a
     * whole-struct copy reads them back in wider loads, which stall */
    pkt->frame = meta->frame;
    pkt->ts_us = meta->ts_us;
    pkt->iface = meta->iface;
    pkt->wire_len = meta->wire_len;
    pkt->cap_len = meta->cap_len;
    pkt->n_tags = 0;
    memset(pkt->tags, 0, sizeof pkt->tags);
    pkt->has_macs = FALSE;
    memset(pkt->src_mac, 0, 6);
    memset(pkt->dst_mac, 0, 6);
    gsize len = data ? meta->cap_len : 0;

    erdiag_link_result link = erdiag_link_decode(linktype, data, len, pkt);
    switch (link.status) {
    case ERDIAG_LINK_OK:
        break;
    case ERDIAG_LINK_NOT_ETHERTYPE:
        return; /* 802.3/LLC (spanning tree, CDP ...): nothing for us */
    case ERDIAG_LINK_TRUNCATED:
        emit_note(&ctx, TRUE, "%s truncated at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                  link.what, link.have, link.need);
        return;
    case ERDIAG_LINK_TOO_MANY_TAGS:
        emit_note(&ctx, FALSE, "more than %d VLAN tags: not decoded further", ERDIAG_MAX_TAGS);
        return;
    case ERDIAG_LINK_UNDECODABLE:
        emit_note(&ctx, FALSE, "%s: not decoded further", link.what);
        return;
    case ERDIAG_LINK_UNKNOWN_TYPE:
        if (g_hash_table_add(d->unknown_linktypes_noted, GINT_TO_POINTER(linktype)))
            emit_note(&ctx, FALSE, "link type %d (%s) is not decoded; later frames of this link type "
                      "are skipped without a note", linktype, erdiag_decoder_linktype_name(linktype));
        return;
    }

    const guint8 *payload = data + link.payload_off;
    gsize payload_len = len - link.payload_off;
    switch (link.ethertype) {
    case ERDIAG_ETHERTYPE_ARP:
        decode_arp(&ctx, payload, payload_len);
        break;
    case ERDIAG_ETHERTYPE_IPV4:
    case ERDIAG_ETHERTYPE_IPV6:
        decode_ip(&ctx, link.ethertype, payload, payload_len);
        break;
    case ERDIAG_ETHERTYPE_MACSEC:
        decode_macsec(&ctx, payload, payload_len);
        break;
    default:
        break; /* LLDP, MPLS, ...: not used by the checks */
    }
}
