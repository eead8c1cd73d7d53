/* Building engine events by hand for the engine's unit tests. */
#ifndef ERDIAG_TEST_ENGINE_EVENTS_H
#define ERDIAG_TEST_ENGINE_EVENTS_H

#include <string.h>
#include "erdiag/engine.h"

static inline erdiag_addr ev_ip(const char *s)
{
    erdiag_addr a;
    g_assert_true(erdiag_addr_parse(s, &a));
    return a;
}

static inline void ev_meta(erdiag_event *ev, guint64 frame, double t, guint16 vlan)
{
    ev->pkt.frame = frame;
    ev->pkt.ts_us = 1700000000000000LL + (gint64)(t * 1e6);
    if (vlan) {
        ev->pkt.n_tags = 1;
        ev->pkt.tags[0] = (erdiag_vlan_tag){0x8100, vlan, 0};
    }
    ev->pkt.has_macs = TRUE;
}

static inline erdiag_event ev_arp(guint64 frame, double t, guint16 vlan, int op, const char *sip, guint8 smac_last,
                                  const char *tip)
{
    erdiag_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = ERDIAG_EV_ARP;
    ev_meta(&ev, frame, t, vlan);
    ev.u.arp.opcode = op;
    guint8 mac[6] = {2, 0, 0, 0, 0, smac_last};
    memcpy(ev.u.arp.sender_mac, mac, 6);
    memcpy(ev.pkt.src_mac, mac, 6);
    ev.u.arp.sender_ip = ev_ip(sip);
    ev.u.arp.target_ip = ev_ip(tip);
    return ev;
}

static inline erdiag_event ev_tcp(guint64 frame, double t, const char *src, guint16 sport, const char *dst,
                                  guint16 dport, guint8 flags, guint32 seq)
{
    erdiag_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = ERDIAG_EV_TCP;
    ev_meta(&ev, frame, t, 100);
    ev.u.tcp.src = ev_ip(src);
    ev.u.tcp.dst = ev_ip(dst);
    ev.u.tcp.sport = sport;
    ev.u.tcp.dport = dport;
    ev.u.tcp.flags = flags;
    ev.u.tcp.seq = seq;
    return ev;
}

static inline erdiag_event ev_bgp(guint64 frame, double t, const char *src, const char *dst, guint8 type)
{
    erdiag_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = ERDIAG_EV_BGP;
    ev_meta(&ev, frame, t, 100);
    ev.u.bgp.src = ev_ip(src);
    ev.u.bgp.dst = ev_ip(dst);
    ev.u.bgp.msg.type = type;
    ev.u.bgp.msg.length = 19;
    return ev;
}

static inline erdiag_event ev_open(guint64 frame, double t, const char *src, const char *dst, guint32 asn, guint16 hold)
{
    erdiag_event ev = ev_bgp(frame, t, src, dst, ERDIAG_BGP_OPEN);
    erdiag_bgp_open *o = &ev.u.bgp.msg.u.open;
    o->version = 4;
    o->hold_time = hold;
    o->bgp_id = 0x01010101;
    if (asn > 65535) {
        o->my_as = ERDIAG_BGP_AS_TRANS;
        o->has_as4 = TRUE;
        o->as4 = asn;
    } else {
        o->my_as = (guint16)asn;
    }
    return ev;
}

static inline int ev_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "id link" of every finding, sorted, joined by ';' */
static inline char *ev_findings(erdiag_engine *e)
{
    GPtrArray *all = erdiag_engine_findings(e);
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        g_ptr_array_add(lines, g_strdup_printf("%s %s", erdiag_finding_def_get(f->kind)->id, f->link ? f->link : "-"));
    }
    g_ptr_array_sort(lines, ev_cmp);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < lines->len; i++)
        g_string_append_printf(s, "%s%s", i ? ";" : "", (char *)g_ptr_array_index(lines, i));
    g_ptr_array_unref(lines);
    return g_string_free(s, FALSE);
}

#endif
