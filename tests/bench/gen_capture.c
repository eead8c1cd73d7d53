/* gen_capture: writes a large, realistic ExpressRoute private-peering capture
 * for the benchmark (classic pcap, Ethernet, microsecond timestamps), plus
 * the matching erdiag configuration.
 *
 * What is on the wire (defaults; --scale multiplies the flows):
 *   - two links on VLAN 100: primary 192.168.15.16/30 and secondary
 *     192.168.15.20/30, the customer router on network + 1, the MSEE on + 2,
 *     fixed MACs;
 *   - on each link one BGP session over a real TCP connection (handshake,
 *     consistent sequence and acknowledgement numbers, stream bytes cut into
 *     1460-byte segments regardless of message boundaries, delayed ACKs):
 *     OPENs (AS 65010 / AS 12076, hold 180, MP, route refresh, AS4),
 *     KEEPALIVEs every 60 s per side, 10 000 on-prem prefixes packed into
 *     4096-byte UPDATEs grouped by AS path (the secondary prepends), the VNet
 *     prefixes from the MSEE, End-of-RIB, and churn over the hour (batches of
 *     prefixes withdrawn and re-advertised);
 *   - ARP at the start and refreshes every few minutes per side;
 *   - data-plane traffic: 100 000 flows between on-prem hosts and VNet
 *     addresses over both links, TCP (handshake, request/response exchanges of
 *     mixed sizes with ACKs, FIN both ways; a few SYNs nobody answers) and UDP
 *     (DNS, NTP, syslog).
 * About 10 million frames and 2 GB at --scale 1; the output is a pure
 * function of the options (a fixed seed, no clock, no randomness from the
 * system), so every run writes the same bytes. No libpcap, no root. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START_SEC 1709283600LL   /* 2024-03-01 09:00:00 UTC */
#define VLAN_ID 100
#define CUST_AS 65010u
#define MSEE_AS 12076u
#define HOLD_TIME 180
#define KEEPALIVE_US 60000000LL
#define MSS 1460
#define BGP_MAX_MSG 4096
#define N_LINKS 2
#define FLOWS_PER_SCALE 100000
#define SNAPLEN 262144

enum { CUST = 0, MSEE = 1 };

/* ---- deterministic randomness (splitmix64) ------------------------------ */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static int64_t rnd_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd64() % (uint64_t)(hi - lo + 1));
}

static int rnd_percent(int p)
{
    return (int)(rnd64() % 100) < p;
}

/* ---- output ------------------------------------------------------------- */

static FILE *out;
static int64_t last_ts_us;
static uint64_t frames_written, bytes_written;
static uint64_t max_frames;       /* 0 = no limit */
static uint8_t random_block[65536 + MSS];

static void put_u16le(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put_u32le(uint8_t *p, uint32_t v) { put_u16le(p, (uint16_t)v); put_u16le(p + 2, (uint16_t)(v >> 16)); }
static void put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put_u32(uint8_t *p, uint32_t v) { put_u16(p, (uint16_t)(v >> 16)); put_u16(p + 2, (uint16_t)v); }

static void die(const char *what)
{
    fprintf(stderr, "gen_capture: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void write_file_header(void)
{
    uint8_t h[24];
    put_u32le(h, 0xa1b2c3d4);
    put_u16le(h + 4, 2);
    put_u16le(h + 6, 4);
    put_u32le(h + 8, 0);
    put_u32le(h + 12, 0);
    put_u32le(h + 16, SNAPLEN);
    put_u32le(h + 20, 1); /* LINKTYPE_ETHERNET */
    if (fwrite(h, 1, sizeof h, out) != sizeof h)
        die("write");
}

/* Timestamps never go backwards: an event's burst may run a few
 * microseconds into the next event's time, which then waits. */
static void write_frame(int64_t ts_us, const uint8_t *frame, uint32_t len)
{
    if (ts_us < last_ts_us)
        ts_us = last_ts_us;
    last_ts_us = ts_us;
    uint32_t wire = len < 60 ? 60 : len;
    static const uint8_t pad[60];
    uint8_t h[16];
    int64_t t = START_SEC * 1000000LL + ts_us;
    put_u32le(h, (uint32_t)(t / 1000000));
    put_u32le(h + 4, (uint32_t)(t % 1000000));
    put_u32le(h + 8, wire);
    put_u32le(h + 12, wire);
    if (fwrite(h, 1, 16, out) != 16 || fwrite(frame, 1, len, out) != len ||
        (wire > len && fwrite(pad, 1, wire - len, out) != wire - len))
        die("write");
    frames_written++;
    bytes_written += 16 + wire;
}

/* ---- the peering -------------------------------------------------------- */

typedef struct {
    uint8_t mac[2][6];
    uint32_t ip[2];
    /* BGP connection: the customer connects from an ephemeral port */
    uint16_t port[2];
    uint32_t snd_nxt[2];        /* next sequence number each side sends */
    int ack_pending[2];         /* an ACK event is queued for this side */
    uint8_t *sendbuf[2];        /* stream bytes not yet segmented */
    size_t sendlen[2], sendcap[2];
} link_t;

static link_t links[N_LINKS];

static void links_init(void)
{
    static const uint8_t cust_mac[N_LINKS][6] = {{0x02, 0xc0, 0, 0, 0x01, 0x01}, {0x02, 0xc0, 0, 0, 0x02, 0x01}};
    static const uint8_t msee_mac[N_LINKS][6] = {{0x02, 0x12, 0x07, 0x60, 0x01, 0x02},
                                                 {0x02, 0x12, 0x07, 0x60, 0x02, 0x02}};
    for (int i = 0; i < N_LINKS; i++) {
        link_t *l = &links[i];
        memcpy(l->mac[CUST], cust_mac[i], 6);
        memcpy(l->mac[MSEE], msee_mac[i], 6);
        uint32_t net = 0xc0a80f10u + 4u * (uint32_t)i; /* 192.168.15.16/30, .20/30 */
        l->ip[CUST] = net + 1;
        l->ip[MSEE] = net + 2;
        l->port[CUST] = (uint16_t)(40000 + 1117 * i);
        l->port[MSEE] = 179;
        l->snd_nxt[CUST] = 0x1c2d3e4fu + 0x01010101u * (uint32_t)i;
        l->snd_nxt[MSEE] = 0x7a6b5c4du + 0x02020202u * (uint32_t)i;
    }
}

/* ---- frame building ----------------------------------------------------- */

static uint8_t frame_buf[2048];

/* Ethernet + 802.1Q header from `from` to the other side; returns 18. */
static size_t put_l2(uint8_t *p, const link_t *l, int from, const uint8_t *dst_mac, uint16_t ethertype)
{
    memcpy(p, dst_mac ? dst_mac : l->mac[1 - from], 6);
    memcpy(p + 6, l->mac[from], 6);
    put_u16(p + 12, 0x8100);
    put_u16(p + 14, VLAN_ID);
    put_u16(p + 16, ethertype);
    return 18;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)(p[n - 1] << 8);
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint16_t ip_id_counter = 1;

/* IPv4 header at p for l4len bytes of protocol proto; returns 20. */
static size_t put_ipv4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, uint8_t ttl, size_t l4len)
{
    p[0] = 0x45;
    p[1] = 0;
    put_u16(p + 2, (uint16_t)(20 + l4len));
    put_u16(p + 4, ip_id_counter++);
    put_u16(p + 6, 0x4000); /* DF */
    p[8] = ttl;
    p[9] = proto;
    put_u16(p + 10, 0);
    put_u32(p + 12, src);
    put_u32(p + 16, dst);
    put_u16(p + 10, csum_fold(csum_add(0, p, 20)));
    return 20;
}

static uint16_t l4_checksum(uint32_t src, uint32_t dst, uint8_t proto, const uint8_t *l4, size_t len)
{
    uint8_t ph[12];
    put_u32(ph, src);
    put_u32(ph + 4, dst);
    ph[8] = 0;
    ph[9] = proto;
    put_u16(ph + 10, (uint16_t)len);
    return csum_fold(csum_add(csum_add(0, ph, 12), l4, len));
}

enum { F_FIN = 0x01, F_SYN = 0x02, F_RST = 0x04, F_PSH = 0x08, F_ACK = 0x10 };

/* One TCP segment from side `from` of link l (src/dst are the IP endpoints,
 * not necessarily the routers). payload may be NULL: random bytes. */
static void emit_tcp(int64_t ts, const link_t *l, int from, uint32_t src, uint32_t dst, uint16_t sport,
                     uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, const uint8_t *payload,
                     size_t plen, uint8_t ttl)
{
    uint8_t *p = frame_buf;
    size_t off = put_l2(p, l, from, NULL, 0x0800);
    size_t optlen = (flags & F_SYN) ? 12 : 0;
    size_t thl = 20 + optlen;
    off += put_ipv4(p + off, src, dst, 6, ttl, thl + plen);
    uint8_t *t = p + off;
    put_u16(t, sport);
    put_u16(t + 2, dport);
    put_u32(t + 4, seq);
    put_u32(t + 8, (flags & F_ACK) ? ack : 0);
    t[12] = (uint8_t)((thl / 4) << 4);
    t[13] = flags;
    put_u16(t + 14, win);
    put_u16(t + 16, 0);
    put_u16(t + 18, 0);
    if (optlen) {
        static const uint8_t syn_opts[12] = {2, 4, MSS >> 8, MSS & 0xff, 1, 1, 4, 2, 1, 3, 3, 7};
        memcpy(t + 20, syn_opts, 12);
    }
    if (plen)
        memcpy(t + thl, payload ? payload : random_block + (rnd64() % 65536), plen);
    put_u16(t + 16, l4_checksum(src, dst, 6, t, thl + plen));
    write_frame(ts, p, (uint32_t)(off + thl + plen));
}

static void emit_udp(int64_t ts, const link_t *l, int from, uint32_t src, uint32_t dst, uint16_t sport,
                     uint16_t dport, const uint8_t *payload, size_t plen, uint8_t ttl)
{
    uint8_t *p = frame_buf;
    size_t off = put_l2(p, l, from, NULL, 0x0800);
    off += put_ipv4(p + off, src, dst, 17, ttl, 8 + plen);
    uint8_t *u = p + off;
    put_u16(u, sport);
    put_u16(u + 2, dport);
    put_u16(u + 4, (uint16_t)(8 + plen));
    put_u16(u + 6, 0);
    memcpy(u + 8, payload ? payload : random_block + (rnd64() % 65536), plen);
    put_u16(u + 6, l4_checksum(src, dst, 17, u, 8 + plen));
    write_frame(ts, p, (uint32_t)(off + 8 + plen));
}

/* ARP from side `from`: a request (broadcast on the first resolution,
 * unicast when refreshing a known entry) or the reply. */
static void emit_arp(int64_t ts, const link_t *l, int from, int reply, int broadcast)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6] = {0};
    uint8_t *p = frame_buf;
    size_t off = put_l2(p, l, from, broadcast ? bcast : NULL, 0x0806);
    uint8_t *a = p + off;
    put_u16(a, 1);
    put_u16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put_u16(a + 6, reply ? 2 : 1);
    memcpy(a + 8, l->mac[from], 6);
    put_u32(a + 14, l->ip[from]);
    memcpy(a + 18, reply ? l->mac[1 - from] : zero, 6);
    put_u32(a + 24, l->ip[1 - from]);
    write_frame(ts, p, (uint32_t)(off + 28));
}

/* ---- the event queue ---------------------------------------------------- */

typedef enum {
    EV_FLOW_START, EV_FLOW, EV_FLOW_ACK, EV_KEEPALIVE, EV_BGP_ACK, EV_ARP, EV_ARP_REPLY, EV_CHURN, EV_WITHDRAW, EV_READVERTISE,
} ev_kind;

typedef struct {
    int64_t t;
    uint64_t seq;               /* FIFO among equal times: a stable order */
    uint16_t kind, side;
    uint32_t idx;
    uint32_t arg;
} event;

static event *heap;
static size_t heap_len, heap_cap;
static uint64_t heap_seq;

static int ev_before(const event *a, const event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void schedule_arg(int64_t t, ev_kind kind, uint32_t idx, int side, uint32_t arg)
{
    if (heap_len == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 1024;
        heap = realloc(heap, heap_cap * sizeof *heap);
        if (!heap)
            die("realloc");
    }
    event e = {t, heap_seq++, (uint16_t)kind, (uint16_t)side, idx, arg};
    size_t i = heap_len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_before(&e, &heap[parent]))
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = e;
}

static void schedule(int64_t t, ev_kind kind, uint32_t idx, int side)
{
    schedule_arg(t, kind, idx, side, 0);
}

static event pop(void)
{
    event top = heap[0];
    event last = heap[--heap_len];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_len)
            break;
        if (c + 1 < heap_len && ev_before(&heap[c + 1], &heap[c]))
            c++;
        if (!ev_before(&heap[c], &last))
            break;
        heap[i] = heap[c];
        i = c;
    }
    if (heap_len)
        heap[i] = last;
    return top;
}

/* ---- BGP over TCP ------------------------------------------------------- */

#define N_ONPREM 10000
#define N_STABLE 9000           /* never churned: the data plane's hosts live here */
#define N_PATHS 48

typedef struct {
    uint32_t addr;
    uint8_t len;
    uint8_t path;               /* index into the AS path table */
    uint8_t withdrawn;
} onprem_prefix;

static onprem_prefix onprem[N_ONPREM];
static uint32_t path_asns[N_PATHS][4];
static int path_len[N_PATHS];

static const struct {
    uint32_t addr;
    uint8_t len;
} vnets[] = {
    {0x0a640000, 16}, {0x0a650000, 16}, {0x0a660000, 16}, {0x0a670000, 16}, /* 10.100-103.0.0/16 */
    {0x0a6e0000, 20}, {0x0a6e1000, 20}, {0x0a780000, 22}, {0x0a780400, 24}, /* 10.110.0.0/20 ... */
    {0x0ac80000, 16}, {0x0ac90000, 17},                                     /* 10.200.0.0/16, 10.201.0.0/17 */
};
#define N_VNETS (sizeof vnets / sizeof vnets[0])

static void prefixes_init(void)
{
    /* Most are /24../28 of 10.0.0.0/10 (one per /24, so never a duplicate),
     * a tenth are /22s of 172.16.0.0/12: a typical enterprise table. */
    for (int i = 0; i < N_ONPREM; i++) {
        onprem_prefix *p = &onprem[i];
        if (i % 10 == 9) {
            int j = i / 10;
            p->addr = 0xac100000u + ((uint32_t)j << 10);
            p->len = 22;
        } else {
            p->addr = 0x0a000000u + ((uint32_t)i << 8);
            static const uint8_t lens[8] = {24, 24, 24, 24, 24, 25, 26, 27};
            p->len = lens[rnd64() % 8];
        }
        p->path = (uint8_t)(i * 7 % N_PATHS);
    }
    /* On-prem AS paths: the edge's AS then one to three internal ASNs. */
    for (int k = 0; k < N_PATHS; k++) {
        path_len[k] = 1 + k % 4;
        path_asns[k][0] = CUST_AS;
        for (int j = 1; j < path_len[k]; j++)
            path_asns[k][j] = 65100u + (uint32_t)((k * 13 + j * 101) % 400);
    }
}

static void grow(uint8_t **buf, size_t *len, size_t *cap, size_t add)
{
    if (*len + add > *cap) {
        *cap = (*len + add) * 2;
        *buf = realloc(*buf, *cap);
        if (!*buf)
            die("realloc");
    }
}

/* Bytes from side `from` queued on the link's BGP connection. */
static void bgp_queue(link_t *l, int from, const uint8_t *msg, size_t len)
{
    grow(&l->sendbuf[from], &l->sendlen[from], &l->sendcap[from], len);
    memcpy(l->sendbuf[from] + l->sendlen[from], msg, len);
    l->sendlen[from] += len;
}

static uint32_t ip_of(int link, int side) { return links[link].ip[side]; }

/* Segments the queued bytes at MSS, a few microseconds apart, and has the
 * other side ACK them a little later (delayed ACK). */
static int64_t bgp_flush(int link, int from, int64_t t)
{
    link_t *l = &links[link];
    size_t off = 0;
    while (off < l->sendlen[from]) {
        size_t n = l->sendlen[from] - off;
        if (n > MSS)
            n = MSS;
        uint8_t flags = F_ACK | (off + n == l->sendlen[from] ? F_PSH : 0);
        emit_tcp(t, l, from, l->ip[from], l->ip[1 - from], l->port[from], l->port[1 - from], l->snd_nxt[from],
                 l->snd_nxt[1 - from], flags, 64240, l->sendbuf[from] + off, n, 1);
        l->snd_nxt[from] += (uint32_t)n;
        off += n;
        t += 12 + (int64_t)n / 100;
    }
    l->sendlen[from] = 0;
    if (!l->ack_pending[1 - from]) {
        l->ack_pending[1 - from] = 1;
        schedule(t + rnd_range(200, 40000), EV_BGP_ACK, (uint32_t)link, 1 - from);
    }
    return t;
}

static size_t bgp_header(uint8_t *m, size_t len, uint8_t type)
{
    memset(m, 0xff, 16);
    put_u16(m + 16, (uint16_t)len);
    m[18] = type;
    return 19;
}

static void bgp_open(int link, int from)
{
    uint8_t m[64];
    size_t o = 19;
    uint32_t as = from == CUST ? CUST_AS : MSEE_AS;
    m[o++] = 4;
    put_u16(m + o, (uint16_t)as);
    o += 2;
    put_u16(m + o, HOLD_TIME);
    o += 2;
    put_u32(m + o, ip_of(link, from));
    o += 4;
    static const uint8_t caps[] = {
        2, 6, 1, 4, 0, 1, 0, 1, /* MP IPv4 unicast */
        2, 2, 2, 0,             /* route refresh */
        2, 6, 65, 4, 0, 0, 0, 0 /* AS4, value patched below */
    };
    m[o++] = sizeof caps;
    memcpy(m + o, caps, sizeof caps);
    put_u32(m + o + sizeof caps - 4, as);
    o += sizeof caps;
    bgp_header(m, o, 1);
    bgp_queue(&links[link], from, m, o);
}

static void bgp_keepalive_msg(int link, int from)
{
    uint8_t m[19];
    bgp_header(m, 19, 4);
    bgp_queue(&links[link], from, m, 19);
}

static size_t nlri_put(uint8_t *p, uint32_t addr, uint8_t len)
{
    size_t n = ((size_t)len + 7) / 8;
    p[0] = len;
    for (size_t i = 0; i < n; i++)
        p[1 + i] = (uint8_t)(addr >> (24 - 8 * i));
    return 1 + n;
}

/* Path attributes: ORIGIN IGP, AS_PATH (4-byte ASNs, prepended `prepend`
 * extra times), NEXT_HOP, MED, and one community for on-prem routes. */
static size_t put_attrs(uint8_t *p, const uint32_t *asns, int n_asns, int prepend, uint32_t next_hop, int med,
                        int community)
{
    size_t o = 0;
    p[o++] = 0x40; p[o++] = 1; p[o++] = 1; p[o++] = 0;
    int total = n_asns + prepend;
    p[o++] = 0x40; p[o++] = 2; p[o++] = (uint8_t)(2 + 4 * total);
    p[o++] = 2; p[o++] = (uint8_t)total;
    for (int i = 0; i < prepend; i++, o += 4)
        put_u32(p + o, asns[0]);
    for (int i = 0; i < n_asns; i++, o += 4)
        put_u32(p + o, asns[i]);
    p[o++] = 0x40; p[o++] = 3; p[o++] = 4;
    put_u32(p + o, next_hop);
    o += 4;
    if (med >= 0) {
        p[o++] = 0x80; p[o++] = 4; p[o++] = 4;
        put_u32(p + o, (uint32_t)med);
        o += 4;
    }
    if (community) {
        p[o++] = 0xc0; p[o++] = 8; p[o++] = 4;
        put_u32(p + o, CUST_AS << 16 | 100u);
        o += 4;
    }
    return o;
}

/* Announces on-prem prefixes (indices) from the customer side of a link, one
 * UPDATE per AS path group, each packed up to 4096 bytes. */
static void announce_onprem(int link, const int *idx, int n)
{
    static uint8_t m[BGP_MAX_MSG];
    int prepend = link == 1 ? 2 : 0; /* the secondary is the backup: prepended */
    for (int path = 0; path < N_PATHS; path++) {
        size_t attr_len = 0, o = 0;
        int in_msg = 0;
        for (int k = 0; k <= n; k++) {
            int flush = k == n;
            if (!flush && onprem[idx[k]].path != path)
                continue;
            if (!flush && in_msg == 0) {
                o = 19;
                put_u16(m + o, 0);
                o += 2;
                attr_len = put_attrs(m + o + 2, path_asns[path], path_len[path], prepend, ip_of(link, CUST),
                                     link == 1 ? 200 : 100, 1);
                put_u16(m + o, (uint16_t)attr_len);
                o += 2 + attr_len;
            }
            if (!flush && o + 5 <= BGP_MAX_MSG) {
                o += nlri_put(m + o, onprem[idx[k]].addr, onprem[idx[k]].len);
                in_msg++;
                continue;
            }
            if (in_msg) {
                bgp_header(m, o, 2);
                bgp_queue(&links[link], CUST, m, o);
                in_msg = 0;
            }
            if (!flush)
                k--; /* the message was full: start the next one with this prefix */
        }
    }
}

static void withdraw_onprem(int link, const int *idx, int n)
{
    static uint8_t m[BGP_MAX_MSG];
    int k = 0;
    while (k < n) {
        size_t o = 21;
        while (k < n && o + 5 + 2 <= BGP_MAX_MSG)
            o += nlri_put(m + o, onprem[idx[k]].addr, onprem[idx[k]].len), k++;
        put_u16(m + 19, (uint16_t)(o - 21));
        put_u16(m + o, 0); /* no attributes */
        o += 2;
        bgp_header(m, o, 2);
        bgp_queue(&links[link], CUST, m, o);
    }
}

static void announce_vnets(int link)
{
    uint8_t m[BGP_MAX_MSG];
    size_t o = 19;
    put_u16(m + o, 0);
    o += 2;
    uint32_t as = MSEE_AS;
    size_t attr_len = put_attrs(m + o + 2, &as, 1, 0, ip_of(link, MSEE), -1, 0);
    put_u16(m + o, (uint16_t)attr_len);
    o += 2 + attr_len;
    for (size_t i = 0; i < N_VNETS; i++)
        o += nlri_put(m + o, vnets[i].addr, vnets[i].len);
    bgp_header(m, o, 2);
    bgp_queue(&links[link], MSEE, m, o);
}

static void end_of_rib(int link, int from)
{
    uint8_t m[23];
    put_u16(m + 19, 0);
    put_u16(m + 21, 0);
    bgp_header(m, 23, 2);
    bgp_queue(&links[link], from, m, 23);
}

/* ARP, TCP handshake, OPENs, KEEPALIVEs, the tables; returns when done. */
static int64_t bring_up_link(int link, int64_t t)
{
    link_t *l = &links[link];
    emit_arp(t, l, CUST, 0, 1);
    emit_arp(t += 180, l, MSEE, 1, 0);
    emit_arp(t += 2500, l, MSEE, 0, 1);
    emit_arp(t += 170, l, CUST, 1, 0);
    /* handshake: the SYNs consume one sequence number each */
    emit_tcp(t += 300, l, CUST, l->ip[CUST], l->ip[MSEE], l->port[CUST], 179, l->snd_nxt[CUST] - 1, 0, F_SYN, 64240,
             NULL, 0, 1);
    emit_tcp(t += 1200, l, MSEE, l->ip[MSEE], l->ip[CUST], 179, l->port[CUST], l->snd_nxt[MSEE] - 1,
             l->snd_nxt[CUST], F_SYN | F_ACK, 65160, NULL, 0, 1);
    emit_tcp(t += 60, l, CUST, l->ip[CUST], l->ip[MSEE], l->port[CUST], 179, l->snd_nxt[CUST], l->snd_nxt[MSEE],
             F_ACK, 64240, NULL, 0, 1);
    bgp_open(link, CUST);
    t = bgp_flush(link, CUST, t + 150);
    bgp_open(link, MSEE);
    t = bgp_flush(link, MSEE, t + 1500);
    bgp_keepalive_msg(link, CUST);
    t = bgp_flush(link, CUST, t + 80);
    bgp_keepalive_msg(link, MSEE);
    t = bgp_flush(link, MSEE, t + 900);
    int *all = malloc(sizeof(int) * N_ONPREM);
    if (!all)
        die("malloc");
    for (int i = 0; i < N_ONPREM; i++)
        all[i] = i;
    announce_onprem(link, all, N_ONPREM);
    free(all);
    end_of_rib(link, CUST);
    t = bgp_flush(link, CUST, t + 40000);
    announce_vnets(link);
    end_of_rib(link, MSEE);
    t = bgp_flush(link, MSEE, t + 2000);
    return t;
}

/* ---- churn -------------------------------------------------------------- */

typedef struct {
    int n;
    int *idx;
} batch;

static batch *batches;
static size_t n_batches;

static void churn(int64_t t, int64_t end)
{
    /* a batch of prefixes from the churnable tail, none already down */
    int want = (int)rnd_range(1, 20);
    batch b = {0, malloc(sizeof(int) * (size_t)want)};
    if (!b.idx)
        die("malloc");
    for (int tries = 0; b.n < want && tries < want * 4; tries++) {
        int i = (int)rnd_range(N_STABLE, N_ONPREM - 1);
        /* a few unstable prefixes come back again and again (they flap) */
        if (rnd_percent(10))
            i = N_STABLE + (int)rnd_range(0, 9);
        if (onprem[i].withdrawn)
            continue;
        onprem[i].withdrawn = 1;
        b.idx[b.n++] = i;
    }
    batches = realloc(batches, (n_batches + 1) * sizeof *batches);
    if (!batches)
        die("realloc");
    uint32_t id = (uint32_t)n_batches;
    batches[n_batches++] = b;
    for (int link = 0; link < N_LINKS; link++)
        schedule(t + link * rnd_range(500, 30000), EV_WITHDRAW, id, link);
    int64_t back = t + rnd_range(5, 240) * 1000000LL;
    if (back < end - 1000000)
        for (int link = 0; link < N_LINKS; link++)
            schedule(back + link * rnd_range(500, 30000), EV_READVERTISE, id, link);
}

/* ---- data-plane flows --------------------------------------------------- */

typedef enum { FK_TCP, FK_TCP_BLOCKED, FK_DNS, FK_NTP, FK_SYSLOG } flow_kind;

typedef struct {
    flow_kind kind;
    int link;
    int cli_side;               /* CUST: on-prem host initiates; MSEE: an Azure VM does */
    uint32_t cli_ip, srv_ip;
    uint16_t cport, sport;
    uint32_t cseq, sseq;
    int phase;
    int interactive;            /* SSH/RDP-like: many tiny exchanges */
    int left;                   /* exchanges, retransmissions or messages left */
    int resp_segs, resp_sent;   /* current response */
    uint32_t resp_last;         /* bytes in the response's last segment */
    uint16_t dns_id;
} flow;

static flow *flows;
static uint32_t *free_slots;
static size_t n_free, flows_cap;

static uint32_t flow_alloc(void)
{
    if (n_free == 0) {
        size_t old = flows_cap;
        flows_cap = flows_cap ? flows_cap * 2 : 4096;
        flows = realloc(flows, flows_cap * sizeof *flows);
        free_slots = realloc(free_slots, flows_cap * sizeof *free_slots);
        if (!flows || !free_slots)
            die("realloc");
        for (size_t i = flows_cap; i > old; i--)
            free_slots[n_free++] = (uint32_t)(i - 1);
    }
    return free_slots[--n_free];
}

static void flow_free(uint32_t slot)
{
    free_slots[n_free++] = slot;
}

/* Capture point at the peering: a packet from the far side of the capture
 * comes back after the round trip to Azure (about 2 ms) or to the on-prem
 * host (under a millisecond). */
static int64_t rtt_to(int side)
{
    return side == MSEE ? rnd_range(1500, 2600) : rnd_range(150, 900);
}

/* The hosts that talk across the peering: a few thousand on-prem machines
 * and a VM estate in the VNets, some much busier than others. */
#define N_ONPREM_HOSTS 6000
#define N_AZURE_HOSTS 1500

static uint32_t onprem_hosts[N_ONPREM_HOSTS], azure_hosts[N_AZURE_HOSTS];

static void hosts_init(void)
{
    for (int i = 0; i < N_ONPREM_HOSTS; i++) {
        const onprem_prefix *p = &onprem[rnd_range(0, N_STABLE - 1)];
        uint32_t hosts = (1u << (32 - p->len)) - 2;
        onprem_hosts[i] = p->addr + 1 + (uint32_t)(rnd64() % hosts);
    }
    for (int i = 0; i < N_AZURE_HOSTS; i++) {
        size_t v = (size_t)rnd_range(0, N_VNETS - 1);
        uint32_t size = 1u << (32 - vnets[v].len);
        azure_hosts[i] = vnets[v].addr + 4 + (uint32_t)(rnd64() % (size - 5 < 250 ? size - 5 : 250));
    }
}

/* index into a pool of n, skewed towards its start (busy hosts first) */
static int64_t skewed(int n)
{
    double u = (double)(rnd64() >> 11) / 9007199254740992.0;
    return (int64_t)(u * u * n);
}

static uint32_t onprem_host(void)
{
    return onprem_hosts[skewed(N_ONPREM_HOSTS)];
}

static uint32_t azure_host(void)
{
    return azure_hosts[skewed(N_AZURE_HOSTS)];
}

static void flow_start(int64_t t)
{
    uint32_t slot = flow_alloc();
    flow *f = &flows[slot];
    memset(f, 0, sizeof *f);
    int r = (int)rnd_range(0, 9999);
    f->kind = r < 2 ? FK_TCP_BLOCKED : r < 6800 ? FK_TCP : r < 8300 ? FK_DNS : r < 8800 ? FK_NTP : FK_SYSLOG;
    f->interactive = f->kind == FK_TCP && r < 600;
    f->link = rnd_percent(70) ? 0 : 1;
    f->cli_side = (f->kind == FK_TCP && rnd_percent(15)) ? MSEE : CUST;
    uint32_t onprem_ip = onprem_host(), azure_ip = azure_host();
    f->cli_ip = f->cli_side == CUST ? onprem_ip : azure_ip;
    f->srv_ip = f->cli_side == CUST ? azure_ip : onprem_ip;
    f->cport = (uint16_t)rnd_range(32768, 60999);
    f->cseq = (uint32_t)rnd64();
    f->sseq = (uint32_t)rnd64();
    switch (f->kind) {
    case FK_TCP: {
        static const uint16_t ports[] = {443, 443, 443, 443, 445, 1433, 3389, 22, 443, 8443};
        f->sport = ports[rnd64() % (sizeof ports / sizeof ports[0])];
        /* mostly short chatty connections, a few long ones */
        f->left = rnd_percent(80) ? (int)rnd_range(1, 12) : (int)rnd_range(13, 60);
        if (f->interactive) {
            f->sport = rnd_percent(50) ? 22 : 3389;
            f->left = (int)rnd_range(100, 400);
        }
        break;
    }
    case FK_TCP_BLOCKED:
        f->sport = 3389;
        f->left = 3;
        break;
    case FK_DNS:
        f->sport = 53;
        f->left = (int)rnd_range(1, 4);
        f->dns_id = (uint16_t)rnd64();
        break;
    case FK_NTP:
        f->sport = 123;
        f->cport = 123;
        f->left = 1;
        break;
    case FK_SYSLOG:
        f->sport = 514;
        f->left = (int)rnd_range(20, 400);
        break;
    }
    schedule(t, EV_FLOW, slot, 0);
}

static void flow_tcp(const flow *f, int64_t t, int from_client, uint8_t flags, size_t plen)
{
    int side = from_client ? f->cli_side : 1 - f->cli_side;
    /* TTL: 64 or 128 less the hops to the capture */
    uint8_t ttl = side == CUST ? 62 : 125;
    if (from_client)
        emit_tcp(t, &links[f->link], side, f->cli_ip, f->srv_ip, f->cport, f->sport, f->cseq, f->sseq, flags,
                 64240, NULL, plen, ttl);
    else
        emit_tcp(t, &links[f->link], side, f->srv_ip, f->cli_ip, f->sport, f->cport, f->sseq, f->cseq, flags,
                 65160, NULL, plen, ttl);
}

static size_t dns_message(uint8_t *m, const flow *f, int response)
{
    put_u16(m, f->dns_id);
    put_u16(m + 2, response ? 0x8180 : 0x0100);
    put_u16(m + 4, 1);
    put_u16(m + 6, response ? 1 : 0);
    put_u16(m + 8, 0);
    put_u16(m + 10, 0);
    size_t o = 12;
    char label[16];
    int n = snprintf(label, sizeof label, "vm%u", (unsigned)(f->srv_ip & 0xffff));
    static const char *const rest[] = {"contoso", "internal"};
    m[o++] = (uint8_t)n;
    memcpy(m + o, label, (size_t)n);
    o += (size_t)n;
    for (int i = 0; i < 2; i++) {
        size_t k = strlen(rest[i]);
        m[o++] = (uint8_t)k;
        memcpy(m + o, rest[i], k);
        o += k;
    }
    m[o++] = 0;
    put_u16(m + o, 1);
    put_u16(m + o + 2, 1);
    o += 4;
    if (response) {
        put_u16(m + o, 0xc00c);
        put_u16(m + o + 2, 1);
        put_u16(m + o + 4, 1);
        put_u32(m + o + 6, 300);
        put_u16(m + o + 10, 4);
        put_u32(m + o + 12, azure_host());
        o += 16;
    }
    return o;
}

/* Emits the flow's next packet(s) and schedules its next step. */
static void flow_step(uint32_t slot, int64_t t)
{
    flow *f = &flows[slot];
    link_t *l = &links[f->link];
    int srv_side = 1 - f->cli_side;
    switch (f->kind) {
    case FK_TCP_BLOCKED:
        /* SYN and two retransmissions; the NSG drops them silently */
        flow_tcp(f, t, 1, F_SYN, 0);
        if (--f->left == 0) {
            flow_free(slot);
            return;
        }
        schedule(t + (f->left == 2 ? 1000000 : 2000000), EV_FLOW, slot, 0);
        return;
    case FK_DNS:
    case FK_NTP: {
        uint8_t m[128];
        if (f->phase == 0) {
            size_t n = f->kind == FK_DNS ? dns_message(m, f, 0) : 48;
            if (f->kind == FK_NTP) {
                memset(m, 0, 48);
                m[0] = 0x23; /* v4, client */
            }
            emit_udp(t, l, f->cli_side, f->cli_ip, f->srv_ip, f->cport, f->sport, m, n, 62);
            f->phase = 1;
            schedule(t + rtt_to(srv_side), EV_FLOW, slot, 0);
            return;
        }
        size_t n = f->kind == FK_DNS ? dns_message(m, f, 1) : 48;
        if (f->kind == FK_NTP) {
            memcpy(m, random_block + (rnd64() % 65536), 48);
            m[0] = 0x24; /* v4, server */
        }
        emit_udp(t, l, srv_side, f->srv_ip, f->cli_ip, f->sport, f->cport, m, n, 125);
        if (--f->left == 0) {
            flow_free(slot);
            return;
        }
        f->phase = 0;
        f->dns_id++;
        f->cport = (uint16_t)rnd_range(32768, 60999);
        schedule(t + rnd_range(1000, 2000000), EV_FLOW, slot, 0);
        return;
    }
    case FK_SYSLOG: {
        char msg[400];
        int n = snprintf(msg, sizeof msg,
                         "<134>1 2024-03-01T09:%02u:%02u.%06uZ host%u app %u - - event %u: session from %u.%u.%u.%u "
                         "port %u state ok",
                         (unsigned)(t / 60000000 % 60), (unsigned)(t / 1000000 % 60), (unsigned)(t % 1000000),
                         (unsigned)(f->cli_ip & 0xfff), (unsigned)f->cport, (unsigned)f->left,
                         (unsigned)(f->cli_ip >> 24), (unsigned)(f->cli_ip >> 16 & 255), (unsigned)(f->cli_ip >> 8 & 255),
                         (unsigned)(f->cli_ip & 255), (unsigned)rnd_range(1024, 65535));
        size_t len = (size_t)n + (size_t)rnd_range(0, 80);
        if (len >= sizeof msg)
            len = sizeof msg - 1;
        memset(msg + n, 'x', len - (size_t)n);
        emit_udp(t, l, f->cli_side, f->cli_ip, f->srv_ip, f->cport, f->sport, (const uint8_t *)msg, len, 62);
        if (--f->left == 0) {
            flow_free(slot);
            return;
        }
        schedule(t + rnd_range(2000, 1500000), EV_FLOW, slot, 0);
        return;
    }
    case FK_TCP:
        break;
    }

    /* TCP: 0 SYN, 1 SYN-ACK, 2 ACK, 3 request, 4 response segments (the
     * client ACKs every second one), 5 FIN, 6 FIN-ACK, 7 last ACK. */
    switch (f->phase) {
    case 0:
        flow_tcp(f, t, 1, F_SYN, 0);
        f->cseq++;
        f->phase = 1;
        schedule(t + rtt_to(srv_side), EV_FLOW, slot, 0);
        return;
    case 1:
        flow_tcp(f, t, 0, F_SYN | F_ACK, 0);
        f->sseq++;
        f->phase = 2;
        schedule(t + rtt_to(f->cli_side), EV_FLOW, slot, 0);
        return;
    case 2:
        flow_tcp(f, t, 1, F_ACK, 0);
        f->phase = 3;
        schedule(t + rnd_range(50, 3000), EV_FLOW, slot, 0);
        return;
    case 3: {
        size_t q = (size_t)(f->interactive ? rnd_range(36, 120)
                            : rnd_percent(90) ? rnd_range(40, 300) : rnd_range(300, MSS));
        flow_tcp(f, t, 1, F_ACK | F_PSH, q);
        f->cseq += (uint32_t)q;
        /* response size: mostly one small segment, sometimes bulk */
        int r = (int)rnd_range(0, 99);
        f->resp_segs = f->interactive || r < 80 ? 1 : r < 98 ? (int)rnd_range(2, 3) : (int)rnd_range(4, 12);
        f->resp_last = (uint32_t)rnd_range(f->interactive ? 36 : 60,
                                           f->interactive ? 300 : f->resp_segs == 1 ? 500 : MSS);
        f->resp_sent = 0;
        f->phase = 4;
        schedule(t + rtt_to(srv_side) + rnd_range(0, 5000), EV_FLOW, slot, 0);
        return;
    }
    case 4: {
        int last = f->resp_sent + 1 == f->resp_segs;
        size_t n = last ? f->resp_last : MSS;
        flow_tcp(f, t, 0, F_ACK | (last ? F_PSH : 0), n);
        f->sseq += (uint32_t)n;
        f->resp_sent++;
        int64_t next = t + rnd_range(15, 120);
        /* the client ACKs every second segment, from across the capture
         * point; it comes back well before the flow's next step */
        if (f->resp_sent % 2 == 0 || last)
            schedule_arg(t + rtt_to(f->cli_side) / 4, EV_FLOW_ACK, slot, 0, f->sseq);
        if (!last) {
            schedule(next, EV_FLOW, slot, 0);
            return;
        }
        f->phase = --f->left > 0 ? 3 : 5;
        int64_t think = f->interactive ? rnd_range(20000, 2000000) : rnd_range(2000, 4000000);
        schedule(t + (f->phase == 3 ? think : rnd_range(1000, 200000)), EV_FLOW, slot, 0);
        return;
    }
    case 5:
        flow_tcp(f, t, 1, F_FIN | F_ACK, 0);
        f->cseq++;
        f->phase = 6;
        schedule(t + rtt_to(srv_side), EV_FLOW, slot, 0);
        return;
    case 6:
        flow_tcp(f, t, 0, F_FIN | F_ACK, 0);
        f->sseq++;
        f->phase = 7;
        schedule(t + rtt_to(f->cli_side), EV_FLOW, slot, 0);
        return;
    default:
        flow_tcp(f, t, 1, F_ACK, 0);
        flow_free(slot);
        return;
    }
}

/* ---- main --------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: gen_capture -o FILE.pcap [--ini FILE.ini] [--scale S] [--duration SECONDS] [--frames N] "
            "[--seed N]\n"
            "  --scale S       data-plane flows = 100000 * S (default 1: ~10 M frames, ~2 GB)\n"
            "  --duration SEC  capture length (default 3600)\n"
            "  --frames N      stop after N frames\n"
            "  --ini FILE      also write the matching erdiag configuration\n");
    exit(2);
}

static void write_ini(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die(path);
    fprintf(f, "# written by gen_capture: the peering of the benchmark capture\n"
               "[peering bench]\nvlan = %d\npeer-asn = %u\nprimary-subnet = 192.168.15.16/30\n"
               "secondary-subnet = 192.168.15.20/30\nsku = premium\nvnet-prefixes = ",
            VLAN_ID, CUST_AS);
    for (size_t i = 0; i < N_VNETS; i++)
        fprintf(f, "%s%u.%u.%u.%u/%u", i ? ", " : "", vnets[i].addr >> 24, vnets[i].addr >> 16 & 255,
                vnets[i].addr >> 8 & 255, vnets[i].addr & 255, vnets[i].len);
    fprintf(f, "\nexpected-onprem-prefixes = 10.0.0.0/24, 172.16.0.0/22\n");
    if (fclose(f) != 0)
        die(path);
}

int main(int argc, char **argv)
{
    const char *path = NULL, *ini = NULL;
    double scale = 1.0;
    int64_t duration_s = 3600;
    uint64_t seed = 0x45525f4245454e43ULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") && v)
            path = v, i++;
        else if (!strcmp(a, "--ini") && v)
            ini = v, i++;
        else if (!strcmp(a, "--scale") && v)
            scale = strtod(v, NULL), i++;
        else if (!strcmp(a, "--duration") && v)
            duration_s = strtoll(v, NULL, 10), i++;
        else if (!strcmp(a, "--frames") && v)
            max_frames = strtoull(v, NULL, 10), i++;
        else if (!strcmp(a, "--seed") && v)
            seed = strtoull(v, NULL, 0), i++;
        else
            usage();
    }
    if (!path || scale <= 0 || duration_s < 60)
        usage();
    rng_state = seed;
    for (size_t i = 0; i < sizeof random_block; i++)
        random_block[i] = (uint8_t)rnd64();
    out = fopen(path, "wb");
    if (!out)
        die(path);
    static char obuf[1 << 22];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    if (ini)
        write_ini(ini);

    links_init();
    prefixes_init();
    hosts_init();
    write_file_header();

    int64_t end = duration_s * 1000000LL;
    int64_t t = 0;
    for (int link = 0; link < N_LINKS; link++)
        t = bring_up_link(link, t + 1500000);
    for (int link = 0; link < N_LINKS; link++)
        for (int side = 0; side < 2; side++) {
            schedule(t + rnd_range(1, 60) * 1000000LL, EV_KEEPALIVE, (uint32_t)link, side);
            schedule(rnd_range(200, 300) * 1000000LL, EV_ARP, (uint32_t)link, side);
        }
    schedule(rnd_range(20, 90) * 1000000LL, EV_CHURN, 0, 0);

    uint64_t n_flows = (uint64_t)(FLOWS_PER_SCALE * scale + 0.5), started = 0;
    int64_t flow_span = end - 10000000 - t; /* flows start after the tables, end before the capture */
    if (n_flows)
        schedule(t + 1000000, EV_FLOW_START, 0, 0);

    while (heap_len > 0 && (!max_frames || frames_written < max_frames)) {
        event e = pop();
        if (e.t >= end)
            break;
        switch ((ev_kind)e.kind) {
        case EV_FLOW_START:
            flow_start(e.t);
            if (++started < n_flows)
                schedule(t + 1000000 + (int64_t)((double)flow_span * (double)started / (double)n_flows) +
                             rnd_range(0, 500),
                         EV_FLOW_START, 0, 0);
            break;
        case EV_FLOW:
            flow_step(e.idx, e.t);
            break;
        case EV_FLOW_ACK: {
            const flow *f = &flows[e.idx];
            emit_tcp(e.t, &links[f->link], f->cli_side, f->cli_ip, f->srv_ip, f->cport, f->sport, f->cseq, e.arg,
                     F_ACK, 64240, NULL, 0, f->cli_side == CUST ? 62 : 125);
            break;
        }
        case EV_KEEPALIVE:
            bgp_keepalive_msg((int)e.idx, e.side);
            bgp_flush((int)e.idx, e.side, e.t);
            /* BGP jitters the interval by up to a quarter */
            schedule(e.t + KEEPALIVE_US - rnd_range(0, KEEPALIVE_US / 4), EV_KEEPALIVE, e.idx, e.side);
            break;
        case EV_BGP_ACK: {
            link_t *l = &links[e.idx];
            int s = e.side;
            l->ack_pending[s] = 0;
            emit_tcp(e.t, l, s, l->ip[s], l->ip[1 - s], l->port[s], l->port[1 - s], l->snd_nxt[s], l->snd_nxt[1 - s],
                     F_ACK, 64240, NULL, 0, 1);
            break;
        }
        case EV_ARP:
            emit_arp(e.t, &links[e.idx], e.side, 0, 0);
            schedule(e.t + rtt_to(1 - e.side) / 4, EV_ARP_REPLY, e.idx, 1 - e.side);
            schedule(e.t + rnd_range(240, 300) * 1000000LL, EV_ARP, e.idx, e.side);
            break;
        case EV_ARP_REPLY:
            emit_arp(e.t, &links[e.idx], e.side, 1, 0);
            break;
        case EV_CHURN:
            churn(e.t, end);
            schedule(e.t + rnd_range(20, 120) * 1000000LL, EV_CHURN, 0, 0);
            break;
        case EV_WITHDRAW:
            withdraw_onprem(e.side, batches[e.idx].idx, batches[e.idx].n);
            bgp_flush(e.side, CUST, e.t);
            break;
        case EV_READVERTISE: {
            batch *b = &batches[e.idx];
            announce_onprem(e.side, b->idx, b->n);
            bgp_flush(e.side, CUST, e.t);
            if (e.side == N_LINKS - 1)
                for (int k = 0; k < b->n; k++)
                    onprem[b->idx[k]].withdrawn = 0;
            break;
        }
        }
    }
    if (fclose(out) != 0)
        die(path);
    fprintf(stderr, "gen_capture: %s: %" PRIu64 " frames, %" PRIu64 " bytes, %" PRIu64 " flows, %.0f s\n", path,
            frames_written, bytes_written + 24, started, (double)last_ts_us / 1e6);
    return 0;
}
