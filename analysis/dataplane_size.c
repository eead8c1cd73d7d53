/* What concerns size on the data plane beyond the 1,500-byte MTU
 * (dataplane.oversize, in dataplane.c): IP fragments toward Azure, which
 * the ExpressRoute gateway does not forward, and path-MTU signals (ICMP
 * fragmentation needed / packet too big, and SYNs whose MSS the path
 * cannot carry). One finding of each per link; later packets add evidence. */
#include "dataplane_internal.h"

/* The peering's IP MTU (Microsoft's router configuration samples). */
#define PEERING_IP_MTU 1500u

static const char *const advice_fragmented =
    "The ExpressRoute virtual network gateway does not forward fragmented packets and supports "
    "TCP and UDP packets of up to 1,400 bytes (About ExpressRoute virtual network gateways): these "
    "fragments do not reach the VNet through the gateway. Keep packets below the limit at the "
    "source (a smaller MTU or TCP MSS on the sending host or the on-prem router, no large UDP "
    "datagrams), or enable FastPath, which bypasses the gateway (then set fastpath = yes in the "
    "configuration).";

static gboolean fastpath(const link_impl *l)
{
    const erdiag_peering_config *pc = l->pub.peering ? l->pub.peering->cfg : NULL;
    return pc && pc->fastpath;
}

void size_fragment(erdiag_engine *e, link_impl *l, const erdiag_ip_ev *ip, const erdiag_packet_meta *pkt)
{
    if (!l || fastpath(l))
        return;
    l->fragments++;
    char s[ERDIAG_ADDR_STRLEN], d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&ip->src, s);
    erdiag_addr_to_string(&ip->dst, d);
    if (!l->fragmented || ip->ip_len > l->fragmented_max) {
        l->fragmented_max = MAX(l->fragmented_max, ip->ip_len);
        l->fragmented = finding_raise(e, ERDIAG_F_DATAPLANE_FRAGMENTED, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL,
                                      advice_fragmented,
                                      "%s: IP fragments toward Azure (first from %s to %s; fragments of up to "
                                      "%u bytes): the ExpressRoute gateway forwards no fragments",
                                      l->pub.label, s, d, l->fragmented_max);
    }
    finding_evidence(e, l->fragmented, pkt->frame, pkt->ts_us);
}

static const char *const advice_pmtu =
    "Something on the path carries less than the packets sent: a router answered with 'fragmentation "
    "needed' / 'packet too big', or a SYN announced an MSS larger than the path carries. The "
    "peering's IP MTU is 1,500 bytes (Microsoft's router configuration samples) and the "
    "ExpressRoute gateway supports TCP and UDP packets of up to 1,400 bytes without fragments "
    "(About ExpressRoute virtual network gateways). Make sure those ICMP messages reach the senders "
    "(path MTU discovery), and clamp the TCP MSS on the on-prem router to what the path carries.";

/* The MTU the path is known to carry: the smallest an ICMP message gave, else the peering's. */
static guint32 path_mtu(const link_impl *l)
{
    return l->pmtu_min ? l->pmtu_min : PEERING_IP_MTU;
}

static void raise_pmtu(erdiag_engine *e, link_impl *l, const char *fmt, const char *a, const char *b, guint32 n)
{
    g_autofree char *what = g_strdup_printf(fmt, a, b, n);
    l->pmtu = finding_raise(e, ERDIAG_F_DATAPLANE_PMTU, ERDIAG_SEV_WARNING, &l->pub, NULL, NULL, advice_pmtu,
                            "%s: %s", l->pub.label, what);
}

void size_path_mtu(erdiag_engine *e, link_impl *l, const erdiag_ip_ev *ip, const erdiag_packet_meta *pkt)
{
    gboolean too_big = ip->proto == ERDIAG_IPPROTO_ICMP
                           ? ip->icmp_type == ERDIAG_ICMP4_UNREACHABLE && ip->icmp_code == ERDIAG_ICMP4_CODE_FRAG_NEEDED
                           : ip->icmp_type == ERDIAG_ICMP6_TOO_BIG;
    if (!l || !too_big)
        return;
    char from[ERDIAG_ADDR_STRLEN], to[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&ip->src, from);
    erdiag_addr_to_string(&ip->quote.dst, to);
    if (!l->pmtu || (ip->icmp_mtu && ip->icmp_mtu < path_mtu(l))) {
        if (ip->icmp_mtu && (!l->pmtu_min || ip->icmp_mtu < l->pmtu_min))
            l->pmtu_min = ip->icmp_mtu;
        raise_pmtu(e, l,
                   ip->icmp_mtu ? "%s reports the path toward %s carries packets of at most %u bytes (ICMP "
                                  "fragmentation needed / packet too big)"
                                : "%s reports a packet toward %s too big for the path (no MTU given%.0u)",
                   from, to, ip->icmp_mtu);
    }
    finding_evidence(e, l->pmtu, pkt->frame, pkt->ts_us);
}

void size_syn_mss(erdiag_engine *e, link_impl *l, const erdiag_tcp_ev *t, const erdiag_packet_meta *pkt)
{
    if (!l)
        return;
    guint32 headers = t->src.family == 6 ? 60u : 40u;
    guint32 carried = path_mtu(l) > headers ? path_mtu(l) - headers : 0;
    if (t->mss <= carried)
        return;
    char s[ERDIAG_ADDR_STRLEN], d[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&t->src, s);
    erdiag_addr_to_string(&t->dst, d);
    g_autofree char *pair = g_strdup_printf("%s -> %s", s, d);
    if (!l->pmtu) {
        g_autofree char *mss = g_strdup_printf("%u", t->mss);
        raise_pmtu(e, l, "SYN %s announces MSS %s, more than the %u bytes of TCP payload the path carries", pair,
                   mss, carried);
    }
    finding_evidence(e, l->pmtu, pkt->frame, pkt->ts_us);
}
