/* The seam between the front ends (libpcap CLI, Wireshark plugin) and the
 * shared engine. A front end turns each packet into zero or more events;
 * everything after this header knows nothing about pcap or epan. */
#ifndef ERDIAG_EVENT_H
#define ERDIAG_EVENT_H

#include <glib.h>
#include "erdiag/addr.h"
#include "erdiag/bgp.h"

G_BEGIN_DECLS

#define ERDIAG_MAX_TAGS 8

typedef struct {
    guint16 tpid;   /* 0x8100, 0x88a8, 0x9100 (or 0 when only the id is known) */
    guint16 vid;    /* 0..4095 */
    guint8 pcp;
} erdiag_vlan_tag;

/* Where and when a packet was seen. */
typedef struct {
    guint64 frame;       /* 1-based, continuous across the files of one run */
    gint64 ts_us;        /* capture timestamp, microseconds since the epoch */
    guint32 iface;       /* pcapng interface id (or file index for pcap) */
    guint8 n_tags;       /* VLAN tags, outermost first */
    erdiag_vlan_tag tags[ERDIAG_MAX_TAGS];
    gboolean has_macs;   /* false for SLL without a link-layer address */
    guint8 src_mac[6], dst_mac[6];
    guint32 wire_len;    /* length on the wire */
    guint32 cap_len;     /* bytes captured */
} erdiag_packet_meta;

typedef enum {
    ERDIAG_EV_ARP = 1,     /* ARP or IPv6 Neighbour Discovery (NS/NA) */
    ERDIAG_EV_TCP,         /* a TCP segment (any port): flags and options */
    ERDIAG_EV_BGP,         /* one complete BGP message from a port-179 stream */
    ERDIAG_EV_IP,          /* other IP traffic the checks use (UDP, ICMP, VRRP, HSRP, BFD) */
    ERDIAG_EV_DECODE_NOTE, /* a packet or stream the decoders could not read fully */
    ERDIAG_EV_TICK,        /* no packet: the clock moved (live front end) */
    ERDIAG_EV_MACSEC,      /* a MACsec (802.1AE) frame: its SecTAG, the rest is encrypted */
    ERDIAG_EV_BFD,         /* a BFD control packet (UDP 3784 / 4784) */
} erdiag_event_type;

enum { ERDIAG_ARP_REQUEST = 1, ERDIAG_ARP_REPLY = 2 };

typedef struct {
    guint16 opcode;            /* ERDIAG_ARP_REQUEST / _REPLY (ND: NS = request, NA = reply) */
    gboolean nd;               /* IPv6 Neighbour Discovery rather than ARP */
    guint8 sender_mac[6];
    erdiag_addr sender_ip;     /* family 0 for ND without a source (DAD) */
    guint8 target_mac[6];
    erdiag_addr target_ip;
} erdiag_arp_ev;

/* TCP flag bits as on the wire. */
enum {
    ERDIAG_TCP_FIN = 0x01, ERDIAG_TCP_SYN = 0x02, ERDIAG_TCP_RST = 0x04,
    ERDIAG_TCP_PSH = 0x08, ERDIAG_TCP_ACK = 0x10,
};

typedef struct {
    erdiag_addr src, dst;
    guint16 sport, dport;
    guint8 flags;
    guint32 seq, ack;
    guint32 payload_len;       /* TCP payload length claimed by the IP header */
    gboolean md5_option;       /* option kind 19 */
    gboolean ao_option;        /* option kind 29 */
    guint8 ttl;                /* IPv4 TTL / IPv6 hop limit */
    guint32 ip_len;            /* IP total length (for MTU checks) */
    guint16 mss;               /* MSS option (kind 2) of a SYN, 0 when absent */
    gboolean dont_fragment;    /* IPv4 DF bit (IPv6: always, routers never fragment) */
} erdiag_tcp_ev;

typedef struct {
    erdiag_addr src, dst;      /* the TCP connection the message came on */
    guint16 sport, dport;
    guint64 first_frame;       /* frame holding the message's first byte */
    erdiag_bgp_msg msg;
} erdiag_bgp_ev;

enum { ERDIAG_IPPROTO_ICMP = 1, ERDIAG_IPPROTO_UDP = 17, ERDIAG_IPPROTO_ICMPV6 = 58,
       ERDIAG_IPPROTO_VRRP = 112 };

/* ICMP and ICMPv6 types the data-plane verdicts read. */
enum {
    ERDIAG_ICMP4_ECHO_REPLY = 0, ERDIAG_ICMP4_UNREACHABLE = 3, ERDIAG_ICMP4_ECHO_REQUEST = 8,
    ERDIAG_ICMP4_TIME_EXCEEDED = 11, ERDIAG_ICMP4_CODE_FRAG_NEEDED = 4,
    ERDIAG_ICMP6_UNREACHABLE = 1, ERDIAG_ICMP6_TOO_BIG = 2, ERDIAG_ICMP6_TIME_EXCEEDED = 3,
    ERDIAG_ICMP6_ECHO_REQUEST = 128, ERDIAG_ICMP6_ECHO_REPLY = 129,
};

/* The packet an ICMP error quotes: enough of it to find the flow it answers. */
typedef struct {
    erdiag_addr src, dst;
    guint8 proto;
    guint16 sport, dport;      /* TCP/UDP ports; ICMP echo: the identifier in both */
} erdiag_icmp_quote;

typedef struct {
    erdiag_addr src, dst;
    guint8 proto;
    guint8 ttl;
    guint16 sport, dport;      /* UDP ports, 0 otherwise */
    guint32 ip_len;
    /* fragments: a later fragment has no ports (has_l4 FALSE in the decoder) */
    gboolean fragment;         /* part of a fragmented datagram */
    gboolean later_fragment;   /* not the first fragment: ports unknown */
    gboolean dont_fragment;    /* IPv4 DF bit */
    /* ICMP / ICMPv6 (proto 1 / 58): type and code; echo id/seq; errors quote a packet */
    gboolean icmp;             /* an ICMP header was read */
    guint8 icmp_type, icmp_code;
    guint16 icmp_id, icmp_seq; /* echo request / reply */
    guint32 icmp_mtu;          /* fragmentation needed / packet too big: the next-hop MTU */
    gboolean has_quote;        /* an error whose quoted IP header (and ports) could be read */
    erdiag_icmp_quote quote;
} erdiag_ip_ev;

/* A BFD control packet (RFC 5880 4.1); intervals in microseconds. */
typedef struct {
    erdiag_addr src, dst;
    gboolean multihop;         /* UDP 4784 */
    guint8 version, diag, state, flags;  /* state: 0 AdminDown, 1 Down, 2 Init, 3 Up; flags P F C A D M */
    guint8 multiplier, length;
    guint32 my_discriminator, your_discriminator;
    guint32 desired_min_tx_us, required_min_rx_us, required_min_echo_rx_us;
} erdiag_bfd_ev;

/* The SecTAG of a MACsec frame (IEEE 802.1AE-2018 9.3). */
typedef struct {
    guint8 tci_an;             /* V ES SC SCB E C, then the association number (low two bits) */
    guint8 short_length;       /* SL: payload length when under 48 bytes, else 0 */
    guint32 pn;                /* packet number */
    gboolean has_sci;          /* SC bit: the secure channel identifier follows */
    guint8 sci[8];             /* the sender's MAC and a port number */
} erdiag_macsec_ev;

typedef struct {
    const char *text;          /* "BGP stream 192.168.15.17:179 -> ...: gap of 1200 bytes, resynchronised" */
} erdiag_note_ev;

typedef struct {
    erdiag_event_type type;
    erdiag_packet_meta pkt;    /* for TICK only pkt.ts_us is meaningful */
    union {
        erdiag_arp_ev arp;
        erdiag_tcp_ev tcp;
        erdiag_bgp_ev bgp;
        erdiag_ip_ev ip;
        erdiag_note_ev note;
        erdiag_macsec_ev macsec;
        erdiag_bfd_ev bfd;
    } u;
} erdiag_event;

G_END_DECLS

#endif
