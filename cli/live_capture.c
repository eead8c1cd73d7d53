/* Live capture through libpcap (see live_capture.h). */
#include "live_capture.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <pcap/pcap.h>
#include "capture_reader.h"

/* Packets read from one interface per poll round: enough to drain a burst,
 * small enough that a busy interface cannot starve the others or the clock. */
#define MAX_PER_ROUND 4096
/* libpcap's buffer timeout; immediate mode delivers sooner, this is a bound. */
#define READ_TIMEOUT_MS 100
#define BUFFER_BYTES (8 * 1024 * 1024)

/* What the engine reads, at the link layer's payload. IPv6 TCP flags are
 * read at a fixed offset (no extension headers), as libpcap cannot index
 * the TCP header of IPv6 packets. All of UDP: a UDP flow is answered by
 * any datagram back (and HSRP, BFD are UDP). IP fragments: later ones
 * carry no ports (dataplane.fragmented). MACsec (0x88e5): capture.macsec.
 * "greater 1515": frames that may carry more than 1,500 IP bytes
 * (dataplane.oversize). */
static const char core_filter[] =
    "arp or tcp port 179"
    " or (tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0)"
    " or (ip6 and tcp and ip6[53] & 0x07 != 0)"
    " or icmp or icmp6"
    " or ip proto 112 or ip6 proto 112"
    " or udp"
    " or (ip[6:2] & 0x3fff != 0) or ip6 proto 44"
    " or ether proto 0x88e5"
    " or greater 1515";

typedef struct {
    char *name;
    pcap_t *pcap;                 /* owned by reader */
    erdiag_capture_reader *reader;
    int fd;
    int linktype;
    guint32 snaplen;
} live_iface;

struct live_capture {
    GArray *ifaces;               /* live_iface */
};

typedef struct {
    guint iface;
    guint seq;                    /* arrival order, to keep the sort stable */
    int linktype;
    erdiag_packet_meta meta;
    guint8 *data;
} held_packet;

char *live_capture_default_filter(void)
{
    /* libpcap's "vlan" moves the offsets of everything after it in the
     * expression past one tag, also in later "or" branches; so the tagged
     * alternatives are nested, each level one tag deeper:
     * F or (vlan and (F or (vlan and F))). */
    return g_strdup_printf("(%s) or (vlan and ((%s) or (vlan and (%s))))", core_filter, core_filter, core_filter);
}

static void iface_clear(gpointer p)
{
    live_iface *i = p;
    erdiag_capture_reader_close(i->reader);
    g_free(i->name);
}

static void activation_error(GError **error, const char *name, pcap_t *p, int rc)
{
    const char *why = pcap_geterr(p);
    switch (rc) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "-i %s: no such interface (%s)", name, why);
        break;
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN,
                    "-i %s: no permission to capture (run as root, or give erdiag the cap_net_raw and "
                    "cap_net_admin capabilities)", name);
        break;
    case PCAP_ERROR_IFACE_NOT_UP:
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "-i %s: the interface is down", name);
        break;
    default:
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "-i %s: %s", name,
                    rc == PCAP_ERROR ? why : pcap_statustostr(rc));
        break;
    }
}

static gboolean compile_and_set(pcap_t *p, const char *expr, char **why)
{
    struct bpf_program prog;
    if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        *why = g_strdup(pcap_geterr(p));
        return FALSE;
    }
    int rc = pcap_setfilter(p, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        *why = g_strdup(pcap_geterr(p));
        return FALSE;
    }
    return TRUE;
}

/* A filter the user gave must compile; the default one may not on some link
 * types ("vlan" on cooked captures), then the untagged part is used. */
static gboolean install_filter(pcap_t *p, const char *name, const char *user_filter, GError **error)
{
    g_autofree char *why = NULL;
    if (user_filter) {
        if (compile_and_set(p, user_filter, &why))
            return TRUE;
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "--filter '%s': %s", user_filter, why);
        return FALSE;
    }
    g_autofree char *full = live_capture_default_filter();
    if (compile_and_set(p, full, &why))
        return TRUE;
    g_clear_pointer(&why, g_free);
    if (compile_and_set(p, core_filter, &why))
        return TRUE;
    g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "-i %s: the default capture filter does not compile (%s): "
                "give one with --filter", name, why);
    return FALSE;
}

static gboolean open_one(live_capture *lc, const char *name, const char *filter, GError **error)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(name, errbuf);
    if (!p) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "-i %s: %s", name, errbuf);
        return FALSE;
    }
    pcap_set_snaplen(p, LIVE_CAPTURE_SNAPLEN);
    pcap_set_promisc(p, 1); /* a mirror port carries other routers' frames */
    pcap_set_immediate_mode(p, 1);
    pcap_set_timeout(p, READ_TIMEOUT_MS);
    pcap_set_buffer_size(p, BUFFER_BYTES);
    int rc = pcap_activate(p);
    if (rc < 0) {
        activation_error(error, name, p, rc);
        pcap_close(p);
        return FALSE;
    }
    if (!install_filter(p, name, filter, error)) {
        pcap_close(p);
        return FALSE;
    }
    if (pcap_setnonblock(p, 1, errbuf) != 0 || pcap_get_selectable_fd(p) < 0) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "-i %s: cannot poll the capture: %s", name,
                    *errbuf ? errbuf : "no selectable descriptor");
        pcap_close(p);
        return FALSE;
    }
    live_iface li = {.name = g_strdup(name), .pcap = p, .fd = pcap_get_selectable_fd(p),
                     .linktype = pcap_datalink(p), .snaplen = (guint32)pcap_snapshot(p)};
    li.reader = erdiag_capture_reader_from_pcap(p, name, error); /* owns p from here, also on failure */
    if (!li.reader) {
        g_free(li.name);
        return FALSE;
    }
    g_array_append_val(lc->ifaces, li);
    return TRUE;
}

live_capture *live_capture_open(char *const *names, const char *filter, GError **error)
{
    live_capture *lc = g_new0(live_capture, 1);
    lc->ifaces = g_array_new(FALSE, TRUE, sizeof(live_iface));
    g_array_set_clear_func(lc->ifaces, iface_clear);
    for (guint i = 0; names && names[i]; i++) {
        if (!open_one(lc, names[i], filter, error)) {
            live_capture_close(lc);
            return NULL;
        }
    }
    return lc;
}

guint live_capture_count(const live_capture *lc)
{
    return lc->ifaces->len;
}

const char *live_capture_name(const live_capture *lc, guint i)
{
    return g_array_index(lc->ifaces, live_iface, i).name;
}

int live_capture_linktype(const live_capture *lc, guint i)
{
    return g_array_index(lc->ifaces, live_iface, i).linktype;
}

guint32 live_capture_snaplen(const live_capture *lc, guint i)
{
    return g_array_index(lc->ifaces, live_iface, i).snaplen;
}

static int held_order(gconstpointer a, gconstpointer b)
{
    const held_packet *x = *(held_packet *const *)a, *y = *(held_packet *const *)b;
    if (x->meta.ts_us != y->meta.ts_us)
        return x->meta.ts_us < y->meta.ts_us ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void held_free(gpointer p)
{
    held_packet *h = p;
    g_free(h->data);
    g_free(h);
}

/* Reads what one interface has ready. With a single interface packets go
 * straight to fn; with several they are held and merged by time. Returns
 * the packets read, -1 on error. */
static int drain(live_capture *lc, guint idx, GPtrArray *held, live_packet_fn fn, gpointer user, GError **error)
{
    live_iface *li = &g_array_index(lc->ifaces, live_iface, idx);
    int n = 0;
    while (n < MAX_PER_ROUND) {
        int linktype;
        erdiag_packet_meta meta = {0};
        const guint8 *data;
        if (!erdiag_capture_reader_next(li->reader, &linktype, &meta, &data, error))
            return *error == NULL ? n : -1;
        n++;
        meta.iface = idx;
        if (!held) {
            fn(idx, linktype, &meta, data, user);
            continue;
        }
        held_packet *h = g_new0(held_packet, 1);
        *h = (held_packet){.iface = idx, .seq = held->len, .linktype = linktype, .meta = meta,
                           .data = g_malloc(MAX(meta.cap_len, 1u))};
        memcpy(h->data, data, meta.cap_len);
        g_ptr_array_add(held, h);
    }
    return n;
}

int live_capture_poll(live_capture *lc, int timeout_ms, live_packet_fn fn, gpointer user, GError **error)
{
    guint n = lc->ifaces->len;
    g_autofree struct pollfd *fds = g_new0(struct pollfd, n);
    for (guint i = 0; i < n; i++) {
        fds[i].fd = g_array_index(lc->ifaces, live_iface, i).fd;
        fds[i].events = POLLIN;
    }
    int rc = poll(fds, n, timeout_ms);
    if (rc < 0) {
        if (errno == EINTR)
            return 0;
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_OPEN, "poll: %s", g_strerror(errno));
        return -1;
    }
    if (rc == 0)
        return 0;
    g_autoptr(GPtrArray) held = n > 1 ? g_ptr_array_new_with_free_func(held_free) : NULL;
    int total = 0;
    for (guint i = 0; i < n; i++) {
        if (!fds[i].revents)
            continue;
        int got = drain(lc, i, held, fn, user, error);
        if (got < 0)
            return -1;
        total += got;
    }
    if (held) {
        g_ptr_array_sort(held, held_order);
        for (guint i = 0; i < held->len; i++) {
            held_packet *h = g_ptr_array_index(held, i);
            fn(h->iface, h->linktype, &h->meta, h->data, user);
        }
    }
    return total;
}

GPtrArray *live_capture_drop_notes(live_capture *lc)
{
    GPtrArray *notes = NULL;
    for (guint i = 0; i < lc->ifaces->len; i++) {
        live_iface *li = &g_array_index(lc->ifaces, live_iface, i);
        struct pcap_stat st;
        if (pcap_stats(li->pcap, &st) != 0 || (st.ps_drop == 0 && st.ps_ifdrop == 0))
            continue;
        if (!notes)
            notes = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(notes, g_strdup_printf("%s: %u packets dropped by the kernel (capture buffer full), "
                                               "%u by the interface: the analysis may miss them",
                                               li->name, st.ps_drop, st.ps_ifdrop));
    }
    return notes;
}

void live_capture_close(live_capture *lc)
{
    if (!lc)
        return;
    g_array_unref(lc->ifaces);
    g_free(lc);
}
