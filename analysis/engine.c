/* The engine: dispatches events to the trackers, keeps the clock that the
 * time-based findings run on (capture time, never the wall clock), and
 * answers the front ends' questions. */
#include <stdarg.h>
#include <string.h>
#include "engine_internal.h"

#define NOTES_MAX 100
/* Time-based checks run at most this often (capture time). */
#define CHECK_INTERVAL_US (G_USEC_PER_SEC / 4)

erdiag_engine *erdiag_engine_new(const erdiag_config *cfg)
{
    erdiag_engine *e = g_new0(erdiag_engine, 1);
    if (!cfg) {
        e->default_cfg = erdiag_config_new_default();
        cfg = e->default_cfg;
    }
    e->cfg = cfg;
    e->zero_config = cfg->peerings->len == 0;
    finding_store_init(e);
    peering_map_init(e);
    e->info.files = g_ptr_array_new_with_free_func(g_free);
    e->info.notes = g_ptr_array_new_with_free_func(g_free);
    unmapped_bgp_init(e);
    e->unmapped_arps = g_array_new(FALSE, FALSE, sizeof(unmapped_arp));
    e->dataplane = dataplane_new(e, &cfg->thresholds);
    config_checks_run(e);
    return e;
}

void erdiag_engine_free(erdiag_engine *e)
{
    if (!e)
        return;
    dataplane_free(e->dataplane);
    macsec_free(e);
    g_array_unref(e->unmapped_arps);
    g_ptr_array_unref(e->info.files);
    g_ptr_array_unref(e->info.notes);
    unmapped_bgp_free(e);
    peering_map_free(e);
    finding_store_free(e);
    erdiag_config_free(e->default_cfg);
    g_free(e);
}

void erdiag_engine_set_finding_callback(erdiag_engine *e, erdiag_finding_cb cb, gpointer user)
{
    e->cb = cb;
    e->cb_user = user;
}

static void run_checks(erdiag_engine *e, gboolean at_end)
{
    arp_tracker_check_time(e, at_end);
    bgp_session_check_time(e, at_end);
    dataplane_check_time(e, at_end);
}

static void advance_clock(erdiag_engine *e, gint64 now_us)
{
    if (now_us <= e->now_us)
        return;
    e->now_us = now_us;
    if (now_us >= e->next_check_us) {
        run_checks(e, FALSE);
        e->next_check_us = now_us + CHECK_INTERVAL_US;
    }
}

static gboolean is_bgp_port(const erdiag_tcp_ev *t)
{
    return t->sport == 179 || t->dport == 179;
}

static void count_frame(erdiag_engine *e, guint64 frame, gint64 ts_us)
{
    if (!e->first_frame)
        e->first_frame = frame;
    e->info.frames++;
    if (frame > e->max_frame)
        e->max_frame = frame;
    if (e->info.frames == 1 || ts_us < e->info.first_ts_us)
        e->info.first_ts_us = ts_us;
    if (e->info.frames == 1 || ts_us > e->info.last_ts_us)
        e->info.last_ts_us = ts_us;
}

void erdiag_engine_frame(erdiag_engine *e, guint64 frame, gint64 ts_us)
{
    if (e->finished)
        return;
    e->frames_reported = TRUE;
    count_frame(e, frame, ts_us);
    /* the previous frame's events are all in */
    if (frame != e->last_frame && e->fin_pending_any)
        bgp_session_frame_done(e);
    e->last_frame = frame;
    advance_clock(e, ts_us);
}

void erdiag_engine_feed(erdiag_engine *e, const erdiag_event *ev, erdiag_packet_class *out)
{
    /* the trackers always fill a class: it also tells whether one took the packet */
    erdiag_packet_class local, *cls = out ? out : &local;
    *cls = (erdiag_packet_class){NULL, NULL, ERDIAG_SIDE_UNKNOWN, ERDIAG_STEP_L2};
    if (e->finished)
        return;
    if (ev->type == ERDIAG_EV_TICK) {
        erdiag_engine_tick(e, ev->pkt.ts_us);
        return;
    }
    const erdiag_packet_meta *pkt = &ev->pkt;
    /* a caller that does not report frames: the first event of each new
     * frame number stands for the frame (a BGP message completed by a later
     * segment carries its earlier frame and is not counted twice) */
    if (!e->frames_reported && pkt->frame > e->max_frame)
        count_frame(e, pkt->frame, pkt->ts_us);
    if (pkt->frame != e->last_frame) {
        if (e->fin_pending_any)
            bgp_session_frame_done(e);
        e->last_frame = pkt->frame;
    }
    advance_clock(e, pkt->ts_us);
    switch (ev->type) {
    case ERDIAG_EV_ARP:
        arp_tracker_feed(e, ev, cls);
        break;
    case ERDIAG_EV_TCP:
        if (is_bgp_port(&ev->u.tcp))
            bgp_session_tcp(e, ev, cls);
        if (!cls->link)
            dataplane_tcp(e, ev, cls);
        break;
    case ERDIAG_EV_BGP:
        bgp_session_msg(e, ev, cls);
        break;
    case ERDIAG_EV_IP:
        dataplane_ip(e, ev, cls);
        break;
    case ERDIAG_EV_BFD:
        bfd_feed(e, ev, cls);
        break;
    case ERDIAG_EV_MACSEC:
        macsec_feed(e, ev);
        break;
    case ERDIAG_EV_DECODE_NOTE:
        erdiag_engine_note(e, "%s", ev->u.note.text ? ev->u.note.text : "(decode note)");
        break;
    default:
        break;
    }
}

void erdiag_engine_tick(erdiag_engine *e, gint64 now_us)
{
    if (!e->finished)
        advance_clock(e, now_us);
}

#define MSEE_ASN 12076u

static const char *const advice_no_expressroute =
    "Nothing in this capture is an ExpressRoute private peering: no configured peering subnet carries "
    "traffic and no BGP speaker uses AS 12076, Microsoft's. Usually the capture was taken on the wrong "
    "interface (not the one facing the MSEEs or the provider's trunk), a capture filter dropped the peering "
    "traffic (it must pass VLAN-tagged frames, ARP and TCP 179), or it was taken on the connectivity "
    "provider's side of a Layer 3 service, whose BGP with you is not Microsoft's. With a configuration, "
    "check its subnets and VLAN IDs against the capture.";

/* Is this capture ExpressRoute at all? A configured link with traffic, or
 * AS 12076 in an OPEN, says so; a link whose BGP never showed an OPEN
 * (unanswered, refused, MD5) cannot say either way. Without any of these,
 * the links inferred from addresses are only a guess: say so, rather than
 * "no failure". */
static void no_expressroute_check(erdiag_engine *e)
{
    guint inferred = 0, bgp_links = 0;
    for (guint i = 0; i < e->links->len; i++) {
        const link_impl *l = g_ptr_array_index(e->links, i);
        const erdiag_bgp_session *s = &l->pub.bgp;
        if (l->pub.configured && l->pub.seen)
            return;
        if (s->asn[ERDIAG_CUST] == MSEE_ASN || s->asn[ERDIAG_MSFT] == MSEE_ASN)
            return;
        if (l->pub.msft_evidence == ERDIAG_MSFT_BY_PATH)
            return; /* AS 12076 behind a layer-3 provider's PE */
        if (s->seen && !s->asn[ERDIAG_CUST] && !s->asn[ERDIAG_MSFT])
            return; /* BGP tried, no OPEN: undecided */
        if (!l->pub.configured && l->pub.seen) {
            inferred++;
            bgp_links += s->seen;
        }
    }
    guint unmapped = e->info.unmapped_bgp->len;
    for (guint i = 0; i < unmapped; i++) {
        const erdiag_unmapped_bgp *u = g_ptr_array_index(e->info.unmapped_bgp, i);
        if (u->asn[0] == MSEE_ASN || u->asn[1] == MSEE_ASN)
            return;
    }
    GString *seen = g_string_new(NULL);
    if (inferred)
        g_string_append_printf(seen, "%u link%s guessed from addresses (network + 1 / + 2 of a /30 or /126), "
                               "%u with BGP from other ASes", inferred, inferred == 1 ? "" : "s", bgp_links);
    if (unmapped)
        g_string_append_printf(seen, "%s%u BGP session%s outside any peering link", seen->len ? "; " : "",
                               unmapped, unmapped == 1 ? "" : "s");
    if (!seen->len)
        g_string_append(seen, "no peering-shaped traffic at all");
    erdiag_finding *f = finding_raise(e, ERDIAG_F_CAPTURE_NO_EXPRESSROUTE, ERDIAG_SEV_WARNING, NULL, NULL, NULL,
                                      advice_no_expressroute, "No ExpressRoute peering in the capture: %s, and no "
                                      "BGP speaker with AS 12076 (%" G_GUINT64_FORMAT " frames read; seen: %s)",
                                      e->zero_config ? "no configuration" : "no configured peering subnet carries "
                                      "traffic", e->info.frames, seen->str);
    g_string_free(seen, TRUE);
    if (e->first_frame)
        finding_evidence(e, f, e->first_frame, e->info.first_ts_us);
}

void erdiag_engine_finish(erdiag_engine *e)
{
    if (e->finished)
        return;
    run_checks(e, TRUE);
    arp_tracker_finish(e);
    bgp_session_finish(e);
    unmapped_bgp_finish(e);
    routes_finish(e);
    topology_finish(e);
    redundancy_finish(e);
    bfd_finish(e);
    macsec_finish(e);
    if (!macsec_seen(e)) /* encrypted frames hide the peering: capture.macsec says so */
        no_expressroute_check(e);
    finding_store_anchor(e);
    e->finished = TRUE;
}

void erdiag_engine_add_file(erdiag_engine *e, const char *name)
{
    g_ptr_array_add(e->info.files, g_strdup(name));
}

void erdiag_engine_note(erdiag_engine *e, const char *fmt, ...)
{
    if (e->info.notes->len >= NOTES_MAX) {
        e->info.notes_dropped++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    g_ptr_array_add(e->info.notes, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

void erdiag_engine_set_truncated(erdiag_engine *e)
{
    e->info.truncated = TRUE;
}

static int finding_order(gconstpointer a, gconstpointer b)
{
    const erdiag_finding *x = *(erdiag_finding *const *)a, *y = *(erdiag_finding *const *)b;
    const erdiag_finding_def *dx = erdiag_finding_def_get(x->kind), *dy = erdiag_finding_def_get(y->kind);
    if (dx->step != dy->step)
        return (int)dx->step - (int)dy->step;
    int c = g_strcmp0(x->peering, y->peering);
    if (c)
        return c;
    c = g_strcmp0(x->link, y->link);
    if (c)
        return c;
    if (x->severity != y->severity)
        return (int)y->severity - (int)x->severity;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

GPtrArray *erdiag_engine_findings(erdiag_engine *e)
{
    if (!e->findings_sorted) {
        g_ptr_array_sort(e->findings, finding_order);
        e->findings_sorted = TRUE;
    }
    return e->findings;
}

const GPtrArray *erdiag_engine_frame_findings(erdiag_engine *e, guint64 frame)
{
    return finding_store_frame_findings(e, frame);
}

const GPtrArray *erdiag_engine_peerings(const erdiag_engine *e)
{
    return e->peerings;
}

const erdiag_capture_info *erdiag_engine_capture_info(const erdiag_engine *e)
{
    return &e->info;
}

const erdiag_config *erdiag_engine_config(const erdiag_engine *e)
{
    return e->zero_config ? NULL : e->cfg;
}

int erdiag_engine_worst_severity(erdiag_engine *e)
{
    int worst = -1;
    for (guint i = 0; i < e->findings->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(e->findings, i);
        worst = MAX(worst, (int)f->severity);
    }
    return worst;
}
