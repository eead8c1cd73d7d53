/* epan's link, ARP, IP, ND, UDP and TCP fields -> erdiag_events.
 *
 * The events must be the ones the CLI's decoders (dissectors/decoder.c)
 * build from the same frame, so the engine reaches the same verdicts. Two
 * rules keep that true:
 *   - only the outermost headers count, as the CLI reads no tunnels: every
 *     item is taken from the frame's own tvb at the offset where that header
 *     must start (an ICMP error's quoted header or a tunnelled packet has the
 *     same fields, elsewhere);
 *   - values are read from the item's bytes, which works the same on every
 *     Wireshark version (field_info.value changed shape in 4.2).
 * Frames the CLI would only describe in a decode note (truncated or
 * malformed headers) produce no event here. */
#include "expressroute.h"

#include <string.h>
#include <wiretap/wtap.h>

enum {
    ETHERTYPE_IPV4 = 0x0800,
    ETHERTYPE_ARP = 0x0806,
    ETHERTYPE_IPV6 = 0x86dd,
    LINUX_PACKET_BROADCAST = 1,
    IPPROTO_TCP_ = 6,
    ND_NS = 135,
    ND_NA = 136,
    ND_OPT_SOURCE_LL = 1,
    ND_OPT_TARGET_LL = 2,
    BGP_PORT = 179,
};

typedef struct {
    tvbuff_t *tvb;
    packet_info *pinfo;
    proto_tree *tree;
    erdiag_packet_meta pkt;
    er_event_sink sink;
    gpointer user;
} frame_ctx;

/* The item of field f that starts exactly at off in the frame's own bytes. */
static field_info *item_at(const frame_ctx *f, er_wanted_field wf, gint off)
{
    GPtrArray *items = er_wf_items(f->tree, wf);
    if (!items)
        return NULL;
    for (guint i = 0; i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        if (fi->ds_tvb == f->tvb && fi->start == off)
            return fi;
    }
    return NULL;
}

static gboolean u16_at(tvbuff_t *tvb, gint off, guint16 *out)
{
    if (off < 0 || !tvb_bytes_exist(tvb, off, 2))
        return FALSE;
    *out = tvb_get_ntohs(tvb, off);
    return TRUE;
}

static gboolean u8_at(tvbuff_t *tvb, gint off, guint8 *out)
{
    if (off < 0 || !tvb_bytes_exist(tvb, off, 1))
        return FALSE;
    *out = ER_GET_U8(tvb, off);
    return TRUE;
}

static void emit(frame_ctx *f, erdiag_event *ev)
{
    ev->pkt = f->pkt;
    f->sink(ev, f->user);
}

/* ---- link layer ---- */

typedef struct {
    gint header_len;     /* where the first VLAN tag (or the payload) starts */
    gint ethertype_off;  /* the link header's own ethertype / protocol field */
} link_shape;

static gboolean link_shape_of(int encap, link_shape *ls)
{
    switch (encap) {
    case WTAP_ENCAP_ETHERNET: ls->header_len = 14; ls->ethertype_off = 12; return TRUE;
    case WTAP_ENCAP_SLL:      ls->header_len = 16; ls->ethertype_off = 14; return TRUE;
    case WTAP_ENCAP_SLL2:     ls->header_len = 20; ls->ethertype_off = 0;  return TRUE;
    default: return FALSE; /* the CLI reads only these three link types */
    }
}

static void read_macs(frame_ctx *f, int encap)
{
    if (encap == WTAP_ENCAP_ETHERNET) {
        field_info *dst = item_at(f, ER_WF_ETH_DST, 0);
        field_info *src = item_at(f, ER_WF_ETH_SRC, 6);
        if (dst && src && er_fi_bytes(dst, f->pkt.dst_mac, 6) && er_fi_bytes(src, f->pkt.src_mac, 6))
            f->pkt.has_macs = TRUE;
        return;
    }
    /* Linux cooked captures carry only the sender's address; the receiver
     * is known for broadcasts alone. epan adds sll.src.eth only for a
     * 6-byte Ethernet-like address, the case the CLI reports MACs for. */
    GPtrArray *src = er_wf_items(f->tree, ER_WF_SLL_SRC_ETH);
    field_info *fi = src ? g_ptr_array_index(src, 0) : NULL;
    if (!fi || fi->ds_tvb != f->tvb || !er_fi_bytes(fi, f->pkt.src_mac, 6))
        return;
    guint32 pkttype = 0;
    field_info *pt = er_wf_first(f->tree, ER_WF_SLL_PKTTYPE);
    if (pt)
        er_fi_uint(pt, &pkttype);
    memset(f->pkt.dst_mac, pkttype == LINUX_PACKET_BROADCAST ? 0xff : 0x00, 6);
    f->pkt.has_macs = TRUE;
}

static field_info *tag_at(const frame_ctx *f, gint off)
{
    field_info *fi = item_at(f, ER_WF_VLAN_ID, off);
    return fi ? fi : item_at(f, ER_WF_8021AD_ID, off);
}

/* The VLAN stack, outermost first: the tags epan decoded back to back right
 * after the link header. The TPID of the first tag is the link header's
 * ethertype, every later one the inner type of the tag before it.
 * Returns the ethertype of the payload and its offset, or FALSE when the
 * stack is deeper than the CLI decodes (it then emits nothing either). */
static gboolean read_tags(frame_ctx *f, const link_shape *ls, guint16 *ethertype, gint *payload_off)
{
    gint off = ls->header_len;
    gint type_off = ls->ethertype_off;
    for (;;) {
        guint16 type;
        if (!u16_at(f->tvb, type_off, &type))
            return FALSE;
        field_info *fi = tag_at(f, off);
        guint16 tci;
        if (!fi || !u16_at(f->tvb, off, &tci)) {
            *ethertype = type;
            *payload_off = off;
            return TRUE;
        }
        if (f->pkt.n_tags >= ERDIAG_MAX_TAGS)
            return FALSE;
        erdiag_vlan_tag *t = &f->pkt.tags[f->pkt.n_tags++];
        t->tpid = type;
        t->pcp = (guint8)(tci >> 13);
        t->vid = tci & 0x0fff;
        type_off = off + 2;
        off += 4;
    }
}

/* ---- ARP ---- */

static void extract_arp(frame_ctx *f, gint off)
{
    /* Ethernet/IPv4 ARP only: epan adds these four address fields just for
     * that shape, which is also the only one the CLI decodes. */
    field_info *op = item_at(f, ER_WF_ARP_OPCODE, off + 6);
    field_info *smac = item_at(f, ER_WF_ARP_SRC_MAC, off + 8);
    field_info *sip = item_at(f, ER_WF_ARP_SRC_IP, off + 14);
    field_info *tmac = item_at(f, ER_WF_ARP_DST_MAC, off + 18);
    field_info *tip = item_at(f, ER_WF_ARP_DST_IP, off + 24);
    guint32 opcode;
    guint16 htype, ptype;
    guint8 sip_b[4], tip_b[4];
    erdiag_event ev;
    memset(&ev, 0, sizeof ev);
    if (!op || !smac || !sip || !tmac || !tip || !er_fi_uint(op, &opcode))
        return;
    if (!u16_at(f->tvb, off, &htype) || !u16_at(f->tvb, off + 2, &ptype) || htype != 1 ||
        ptype != ETHERTYPE_IPV4)
        return;
    if (opcode != ERDIAG_ARP_REQUEST && opcode != ERDIAG_ARP_REPLY)
        return;
    if (!er_fi_bytes(smac, ev.u.arp.sender_mac, 6) || !er_fi_bytes(sip, sip_b, 4) ||
        !er_fi_bytes(tmac, ev.u.arp.target_mac, 6) || !er_fi_bytes(tip, tip_b, 4))
        return;
    ev.type = ERDIAG_EV_ARP;
    ev.u.arp.opcode = (guint16)opcode;
    ev.u.arp.nd = FALSE;
    ev.u.arp.sender_ip = erdiag_addr_v4(sip_b);
    ev.u.arp.target_ip = erdiag_addr_v4(tip_b);
    emit(f, &ev);
}

/* ---- IP ---- */

typedef struct {
    guint version;
    erdiag_addr src, dst;
    guint8 proto, ttl;
    guint32 ip_len;      /* claimed total length (IPv6: 40 + payload length) */
    gboolean has_l4;     /* not a later fragment */
    gint l4_off;         /* offset of the upper-layer header in the frame */
    guint32 l4_len;      /* upper-layer length the header claims */
} ip_hdr;

static void emit_ip(frame_ctx *f, const ip_hdr *ip, guint16 sport, guint16 dport)
{
    erdiag_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = ERDIAG_EV_IP;
    ev.u.ip.src = ip->src;
    ev.u.ip.dst = ip->dst;
    ev.u.ip.proto = ip->proto;
    ev.u.ip.ttl = ip->ttl;
    ev.u.ip.sport = sport;
    ev.u.ip.dport = dport;
    ev.u.ip.ip_len = ip->ip_len;
    emit(f, &ev);
}

/* Bytes captured from off to the end of the frame. */
static guint32 captured_from(const frame_ctx *f, gint off)
{
    gint n = tvb_captured_length_remaining(f->tvb, off);
    return n > 0 ? (guint32)n : 0;
}

static gboolean read_ipv4(frame_ctx *f, gint off, ip_hdr *ip)
{
    field_info *len_fi = item_at(f, ER_WF_IP_LEN, off + 2);
    field_info *ttl_fi = item_at(f, ER_WF_IP_TTL, off + 8);
    field_info *proto_fi = item_at(f, ER_WF_IP_PROTO, off + 9);
    field_info *src_fi = item_at(f, ER_WF_IP_SRC, off + 12);
    field_info *dst_fi = item_at(f, ER_WF_IP_DST, off + 16);
    guint32 total, ttl, proto;
    guint8 vihl, src[4], dst[4];
    guint16 frag;
    if (!len_fi || !ttl_fi || !proto_fi || !src_fi || !dst_fi)
        return FALSE;
    if (!er_fi_uint(len_fi, &total) || !er_fi_uint(ttl_fi, &ttl) || !er_fi_uint(proto_fi, &proto) ||
        !er_fi_bytes(src_fi, src, 4) || !er_fi_bytes(dst_fi, dst, 4) ||
        !u8_at(f->tvb, off, &vihl) || !u16_at(f->tvb, off + 6, &frag))
        return FALSE;
    guint32 hlen = (guint32)(vihl & 0x0f) * 4;
    guint32 captured = captured_from(f, off);
    if ((vihl >> 4) != 4 || hlen < 20 || captured < hlen)
        return FALSE;
    /* Segmentation offload leaves total length 0: go by what was captured. */
    guint32 claimed = total == 0 ? captured : total;
    if (claimed < hlen)
        return FALSE;
    ip->version = 4;
    ip->src = erdiag_addr_v4(src);
    ip->dst = erdiag_addr_v4(dst);
    ip->ttl = (guint8)ttl;
    ip->proto = (guint8)proto;
    ip->ip_len = claimed;
    ip->has_l4 = (frag & 0x1fff) == 0;
    ip->l4_off = off + (gint)hlen;
    ip->l4_len = claimed - hlen;
    return TRUE;
}

static gboolean is_ipv6_ext(guint8 nh)
{
    return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60;
}

static gboolean read_ipv6(frame_ctx *f, gint off, ip_hdr *ip)
{
    field_info *plen_fi = item_at(f, ER_WF_IPV6_PLEN, off + 4);
    field_info *nxt_fi = item_at(f, ER_WF_IPV6_NXT, off + 6);
    field_info *hlim_fi = item_at(f, ER_WF_IPV6_HLIM, off + 7);
    field_info *src_fi = item_at(f, ER_WF_IPV6_SRC, off + 8);
    field_info *dst_fi = item_at(f, ER_WF_IPV6_DST, off + 24);
    guint32 plen, nxt, hlim;
    guint8 src[16], dst[16];
    if (!plen_fi || !nxt_fi || !hlim_fi || !src_fi || !dst_fi)
        return FALSE;
    if (!er_fi_uint(plen_fi, &plen) || !er_fi_uint(nxt_fi, &nxt) || !er_fi_uint(hlim_fi, &hlim) ||
        !er_fi_bytes(src_fi, src, 16) || !er_fi_bytes(dst_fi, dst, 16))
        return FALSE;
    guint32 captured = captured_from(f, off);
    guint32 claimed = plen == 0 ? captured : 40 + plen;
    guint32 end = MIN(claimed, captured);
    ip->version = 6;
    ip->src = erdiag_addr_v6(src);
    ip->dst = erdiag_addr_v6(dst);
    ip->ttl = (guint8)hlim;
    ip->ip_len = claimed;
    ip->has_l4 = TRUE;

    /* epan shows each extension header's next-header field under its own
     * name; the upper-layer protocol is simply where the chain ends. Walk it
     * over the frame's bytes, bounded like the CLI (8 headers at most). */
    guint8 nh = (guint8)nxt;
    guint32 pos = 40;
    for (guint n = 0; is_ipv6_ext(nh); n++) {
        guint8 next, units;
        guint16 frag_field = 0;
        if (n == 8 || pos + 2 > end || !u8_at(f->tvb, off + (gint)pos, &next) ||
            !u8_at(f->tvb, off + (gint)pos + 1, &units))
            return FALSE;
        guint32 ext_len = nh == 44 ? 8 : nh == 51 ? ((guint32)units + 2) * 4 : ((guint32)units + 1) * 8;
        if (pos + ext_len > end)
            return FALSE;
        if (nh == 44) {
            if (!u16_at(f->tvb, off + (gint)pos + 2, &frag_field))
                return FALSE;
            if ((frag_field >> 3) != 0) {
                ip->has_l4 = FALSE; /* a later fragment: no upper-layer header */
                ip->proto = next;
                return TRUE;
            }
        }
        pos += ext_len;
        nh = next;
    }
    ip->proto = nh;
    ip->l4_off = off + (gint)pos;
    ip->l4_len = claimed > pos ? claimed - pos : 0;
    return TRUE;
}

/* ---- TCP ---- */

static void extract_tcp(frame_ctx *f, const ip_hdr *ip)
{
    gint l4 = ip->l4_off;
    field_info *sport_fi = item_at(f, ER_WF_TCP_SRCPORT, l4);
    field_info *dport_fi = item_at(f, ER_WF_TCP_DSTPORT, l4 + 2);
    field_info *seq_fi = item_at(f, ER_WF_TCP_SEQ, l4 + 4);
    field_info *ack_fi = item_at(f, ER_WF_TCP_ACK, l4 + 8);
    field_info *flags_fi = item_at(f, ER_WF_TCP_FLAGS, l4 + 12);
    guint32 sport, dport, seq, ack, flags;
    guint8 data_off;
    if (!sport_fi || !dport_fi || !seq_fi || !ack_fi || !flags_fi)
        return;
    if (!er_fi_uint(sport_fi, &sport) || !er_fi_uint(dport_fi, &dport) || !er_fi_uint(seq_fi, &seq) ||
        !er_fi_uint(ack_fi, &ack) || !er_fi_uint(flags_fi, &flags) || !u8_at(f->tvb, l4 + 12, &data_off))
        return;
    guint32 hlen = (guint32)(data_off >> 4) * 4;
    if (hlen < 20 || hlen > ip->l4_len || captured_from(f, l4) < hlen)
        return;

    erdiag_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = ERDIAG_EV_TCP;
    erdiag_tcp_ev *t = &ev.u.tcp;
    t->src = ip->src;
    t->dst = ip->dst;
    t->sport = (guint16)sport;
    t->dport = (guint16)dport;
    t->seq = seq;
    t->ack = ack;
    t->flags = (guint8)(flags & 0xff); /* the byte the CLI reads: CWR..FIN */
    t->ttl = ip->ttl;
    t->ip_len = ip->ip_len;
    t->payload_len = ip->l4_len - hlen;
    /* Options of this header only: the kinds epan listed between the fixed
     * header and the data. */
    GPtrArray *kinds = er_wf_items(f->tree, ER_WF_TCP_OPTION_KIND);
    for (guint i = 0; kinds && i < kinds->len; i++) {
        field_info *k = g_ptr_array_index(kinds, i);
        guint32 kind;
        if (k->ds_tvb != f->tvb || k->start < l4 + 20 || k->start >= l4 + (gint)hlen ||
            !er_fi_uint(k, &kind))
            continue;
        if (kind == 19)
            t->md5_option = TRUE;
        else if (kind == 29)
            t->ao_option = TRUE;
    }
    emit(f, &ev);

    if (t->sport == BGP_PORT || t->dport == BGP_PORT)
        er_extract_bgp(f->tvb, f->pinfo, f->tree, &ev, f->sink, f->user);
}

/* ---- UDP ---- */

static void extract_udp(frame_ctx *f, const ip_hdr *ip)
{
    field_info *sport_fi = item_at(f, ER_WF_UDP_SRCPORT, ip->l4_off);
    field_info *dport_fi = item_at(f, ER_WF_UDP_DSTPORT, ip->l4_off + 2);
    guint32 sport = 0, dport = 0;
    /* Ports cut off by the capture: the CLI still reports the packet, portless. */
    if (!sport_fi || !dport_fi || !er_fi_uint(sport_fi, &sport) || !er_fi_uint(dport_fi, &dport))
        sport = dport = 0;
    emit_ip(f, ip, (guint16)sport, (guint16)dport);
}

/* ---- ICMPv6 neighbour discovery ---- */

static gboolean is_unspecified(const erdiag_addr *a)
{
    static const guint8 zero[16];
    return a->family == 6 && memcmp(a->bytes, zero, 16) == 0;
}

static void extract_icmpv6(frame_ctx *f, const ip_hdr *ip)
{
    gint l4 = ip->l4_off;
    field_info *type_fi = item_at(f, ER_WF_ICMPV6_TYPE, l4);
    guint32 type;
    if (!type_fi || !er_fi_uint(type_fi, &type) || (type != ND_NS && type != ND_NA)) {
        emit_ip(f, ip, 0, 0);
        return;
    }
    field_info *target_fi = item_at(f, type == ND_NS ? ER_WF_ND_NS_TARGET : ER_WF_ND_NA_TARGET, l4 + 8);
    guint8 code, target[16];
    if (!target_fi || !er_fi_bytes(target_fi, target, 16) || !u8_at(f->tvb, l4 + 1, &code) || code != 0)
        return;

    /* The link-layer address option: the first of the wanted type holding a
     * 6-byte address (length 1 unit = 8 bytes). A zero length makes the
     * whole packet invalid (RFC 4861), as in the CLI. */
    guint8 wanted = type == ND_NS ? ND_OPT_SOURCE_LL : ND_OPT_TARGET_LL;
    gboolean have_ll = FALSE;
    guint8 ll[6];
    gint msg_end = l4 + (gint)MIN(ip->l4_len, captured_from(f, l4));
    GPtrArray *opts = er_wf_items(f->tree, ER_WF_ICMPV6_OPT_TYPE);
    for (guint i = 0; opts && i < opts->len; i++) {
        field_info *o = g_ptr_array_index(opts, i);
        guint8 otype, units;
        if (o->ds_tvb != f->tvb || o->start < l4 + 24 || o->start + 2 > msg_end)
            continue;
        if (!u8_at(f->tvb, o->start, &otype) || !u8_at(f->tvb, o->start + 1, &units))
            break;
        if (units == 0)
            return;
        field_info *addr;
        if (otype == wanted && units == 1 && !have_ll && o->start + 8 <= msg_end &&
            (addr = item_at(f, ER_WF_ICMPV6_OPT_LINKADDR, o->start + 2)) && er_fi_bytes(addr, ll, 6))
            have_ll = TRUE;
    }

    erdiag_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = ERDIAG_EV_ARP;
    erdiag_arp_ev *a = &ev.u.arp;
    a->nd = TRUE;
    if (type == ND_NS) {
        a->opcode = ERDIAG_ARP_REQUEST;
        if (!is_unspecified(&ip->src))
            a->sender_ip = ip->src; /* else duplicate address detection: no sender */
        if (have_ll)
            memcpy(a->sender_mac, ll, 6);
        else if (f->pkt.has_macs)
            memcpy(a->sender_mac, f->pkt.src_mac, 6);
        a->target_ip = erdiag_addr_v6(target);
    } else {
        a->opcode = ERDIAG_ARP_REPLY;
        a->sender_ip = erdiag_addr_v6(target);
        if (have_ll)
            memcpy(a->sender_mac, ll, 6);
        else if (f->pkt.has_macs)
            memcpy(a->sender_mac, f->pkt.src_mac, 6);
        a->target_ip = ip->dst;
        if (f->pkt.has_macs)
            memcpy(a->target_mac, f->pkt.dst_mac, 6);
    }
    emit(f, &ev);
}

static void extract_ip(frame_ctx *f, guint16 ethertype, gint off)
{
    ip_hdr ip;
    memset(&ip, 0, sizeof ip);
    if (!(ethertype == ETHERTYPE_IPV4 ? read_ipv4(f, off, &ip) : read_ipv6(f, off, &ip)))
        return;
    if (!ip.has_l4) {
        emit_ip(f, &ip, 0, 0);
        return;
    }
    switch (ip.proto) {
    case IPPROTO_TCP_:
        extract_tcp(f, &ip);
        break;
    case ERDIAG_IPPROTO_UDP:
        extract_udp(f, &ip);
        break;
    case ERDIAG_IPPROTO_ICMPV6:
        if (ip.version == 6)
            extract_icmpv6(f, &ip);
        else
            emit_ip(f, &ip, 0, 0);
        break;
    default:
        emit_ip(f, &ip, 0, 0);
        break;
    }
}

void er_extract_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      er_event_sink sink, gpointer user)
{
    if (!tree || !pinfo->rec || pinfo->rec->rec_type != REC_TYPE_PACKET)
        return;
    int encap = pinfo->rec->rec_header.packet_header.pkt_encap;
    link_shape ls;
    if (!link_shape_of(encap, &ls))
        return;

    frame_ctx f;
    memset(&f, 0, sizeof f);
    f.tvb = tvb;
    f.pinfo = pinfo;
    f.tree = tree;
    f.sink = sink;
    f.user = user;
    f.pkt.frame = pinfo->num;
    f.pkt.ts_us = (gint64)pinfo->abs_ts.secs * G_USEC_PER_SEC + pinfo->abs_ts.nsecs / 1000;
    f.pkt.iface = (pinfo->rec->presence_flags & WTAP_HAS_INTERFACE_ID)
                      ? pinfo->rec->rec_header.packet_header.interface_id : 0;
    f.pkt.wire_len = pinfo->fd->pkt_len;
    f.pkt.cap_len = pinfo->fd->cap_len;

    read_macs(&f, encap);
    guint16 ethertype;
    gint payload_off;
    if (!read_tags(&f, &ls, &ethertype, &payload_off))
        return;
    switch (ethertype) {
    case ETHERTYPE_ARP:
        extract_arp(&f, payload_off);
        break;
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
        extract_ip(&f, ethertype, payload_off);
        break;
    default:
        break;
    }
}
