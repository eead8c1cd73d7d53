/* BGP that no peering link holds: sessions between loopbacks, on a subnet
 * that is not a /30 (/126), or with a neighbour outside the configured
 * subnets. None of ExpressRoute's rules apply to them, but silence would
 * hide a hard reset or a Bad Peer AS: each session is reported as
 * capture.unmapped-bgp with what the capture tells of it (addresses, ports,
 * ASes, messages, states, NOTIFICATIONs).
 *
 * A session is the pair of addresses, whatever the ports (a reconnect uses
 * new ones). Memory is bounded: at most UNMAPPED_MAX sessions, each with a
 * bounded timeline; the rest are counted. */
#include <stdarg.h>
#include <string.h>
#include "engine_internal.h"

#define UNMAPPED_MAX 64

static const char *const advice_unmapped =
    "This BGP session is not between the two addresses of a peering /30 (/126), the shape an ExpressRoute "
    "private peering has (on-prem router on network + 1, MSEE on network + 2): it runs between loopbacks "
    "(multihop or iBGP), on another subnet, or to a neighbour address outside the peering subnets. It is "
    "reported as seen, without ExpressRoute's checks. If it is an ExpressRoute peering, give its subnets in "
    "the configuration (--config) and check the neighbour addresses against them.";

typedef struct {
    erdiag_unmapped_bgp pub;      /* must stay first */
    erdiag_finding *finding;
    gboolean open_seen[2];        /* in the current connection */
    gboolean ka_after_open[2];
    gboolean fin_pending;
    int fin_side;
    guint64 fin_frame;
    gint64 fin_ts_us;
} unmapped_impl;

static void timeline_free(gpointer p)
{
    erdiag_timeline_entry *t = p;
    g_free(t->text);
    g_free(t);
}

static void unmapped_free(gpointer p)
{
    unmapped_impl *u = p;
    g_ptr_array_unref(u->pub.timeline);
    g_free(u);
}

void unmapped_bgp_init(erdiag_engine *e)
{
    e->info.unmapped_bgp = g_ptr_array_new_with_free_func(unmapped_free);
}

void unmapped_bgp_free(erdiag_engine *e)
{
    g_ptr_array_unref(e->info.unmapped_bgp);
}

static void story(unmapped_impl *u, gint64 ts_us, guint64 frame, const char *fmt, ...)
{
    erdiag_unmapped_bgp *s = &u->pub;
    va_list ap;
    va_start(ap, fmt);
    timeline_append_v(s->timeline, ERDIAG_UNMAPPED_TIMELINE_MAX, &s->timeline_dropped, ts_us, frame,
                      ERDIAG_SIDE_UNKNOWN, s->state, fmt, ap);
    va_end(ap);
}

/* The session of a and b, made when create (NULL past the bound); *side
 * receives a's index in it. */
static unmapped_impl *lookup(erdiag_engine *e, const erdiag_addr *a, const erdiag_addr *b,
                             const erdiag_packet_meta *pkt, gboolean create, int *side)
{
    GPtrArray *all = e->info.unmapped_bgp;
    for (guint i = 0; i < all->len; i++) {
        unmapped_impl *u = g_ptr_array_index(all, i);
        for (int k = 0; k < 2; k++)
            if (erdiag_addr_equal(&u->pub.addr[k], a) && erdiag_addr_equal(&u->pub.addr[1 - k], b)) {
                *side = k;
                return u;
            }
    }
    if (!create)
        return NULL;
    if (all->len >= UNMAPPED_MAX) {
        if (e->info.unmapped_bgp_dropped++ == 0)
            erdiag_engine_note(e, "frame %" G_GUINT64_FORMAT ": more than %d BGP sessions outside the peering "
                               "links; the sessions seen from here on are not tracked", pkt->frame, UNMAPPED_MAX);
        return NULL;
    }
    unmapped_impl *u = g_new0(unmapped_impl, 1);
    u->pub.addr[0] = *a;
    u->pub.addr[1] = *b;
    u->pub.n_tags = pkt->n_tags;
    memcpy(u->pub.tags, pkt->tags, sizeof(u->pub.tags));
    u->pub.first_frame = pkt->frame;
    u->pub.first_ts_us = pkt->ts_us;
    u->pub.timeline = g_ptr_array_new_with_free_func(timeline_free);
    g_ptr_array_add(all, u);
    *side = 0;
    return u;
}

static char *who(const unmapped_impl *u, int side)
{
    char a[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&u->pub.addr[side], a);
    if (u->pub.asn[side])
        return g_strdup_printf("%s (AS %u)", a, u->pub.asn[side]);
    return g_strdup(a);
}

static void go_down(unmapped_impl *u, gint64 ts_us, guint64 frame, const char *why)
{
    erdiag_unmapped_bgp *s = &u->pub;
    gboolean was_up = s->state == ERDIAG_BGPS_ESTABLISHED;
    s->state = ERDIAG_BGPS_IDLE;
    if (was_up)
        s->times_lost++;
    u->open_seen[0] = u->open_seen[1] = FALSE;
    u->ka_after_open[0] = u->ka_after_open[1] = FALSE;
    story(u, ts_us, frame, "%s%s", why, was_up ? ": session down" : "");
}

static void up(unmapped_impl *u, const erdiag_packet_meta *pkt, const char *how)
{
    erdiag_unmapped_bgp *s = &u->pub;
    s->state = ERDIAG_BGPS_ESTABLISHED;
    s->ever_established = TRUE;
    s->times_established++;
    story(u, pkt->ts_us, pkt->frame, "%s", how);
}

/* The first thing seen of a session that is not its beginning (a SYN or an
 * OPEN): the capture starts mid-connection. */
static void first_sight(unmapped_impl *u, const erdiag_packet_meta *pkt, gboolean beginning)
{
    if (u->pub.last_frame)
        return;
    if (!beginning) {
        u->pub.start_unknown = TRUE;
        story(u, pkt->ts_us, pkt->frame, "the capture starts within a connection: the state before is unknown");
    }
}

static void touch(unmapped_impl *u, const erdiag_packet_meta *pkt)
{
    u->pub.last_frame = pkt->frame;
    u->pub.last_ts_us = pkt->ts_us;
}

/* A FIN rides with the NOTIFICATION that explains it, whose event follows
 * the TCP one: the close waits for the next event of another frame. */
static void apply_fin(unmapped_impl *u, guint64 frame)
{
    if (!u->fin_pending || frame == u->fin_frame)
        return;
    u->fin_pending = FALSE;
    if (u->pub.state != ERDIAG_BGPS_IDLE) {
        g_autofree char *w = who(u, u->fin_side);
        g_autofree char *why = g_strdup_printf("%s closes the TCP connection (FIN)", w);
        go_down(u, u->fin_ts_us, u->fin_frame, why);
    }
}

void unmapped_bgp_tcp(erdiag_engine *e, const erdiag_event *ev)
{
    const erdiag_tcp_ev *t = &ev->u.tcp;
    const erdiag_packet_meta *pkt = &ev->pkt;
    gboolean syn = (t->flags & ERDIAG_TCP_SYN) && !(t->flags & ERDIAG_TCP_ACK);
    int side;
    /* a session starts with a SYN or a BGP message; a stray segment makes none */
    unmapped_impl *u = lookup(e, &t->src, &t->dst, pkt, syn, &side);
    if (!u)
        return;
    apply_fin(u, pkt->frame);
    erdiag_unmapped_bgp *s = &u->pub;
    first_sight(u, pkt, syn);
    touch(u, pkt);
    if (!s->port[0]) {
        s->port[side] = t->sport;
        s->port[1 - side] = t->dport;
    }
    g_autofree char *w = who(u, side);
    if (syn) {
        s->connections++;
        if (s->state != ERDIAG_BGPS_ESTABLISHED)
            s->state = ERDIAG_BGPS_CONNECT;
        story(u, pkt->ts_us, pkt->frame, "%s opens TCP %u -> %u", w, t->sport, t->dport);
    } else if (t->flags & ERDIAG_TCP_RST) {
        if (s->state == ERDIAG_BGPS_CONNECT) {
            s->state = ERDIAG_BGPS_ACTIVE;
            story(u, pkt->ts_us, pkt->frame, "%s refuses the connection (RST)", w);
        } else if (s->state != ERDIAG_BGPS_IDLE && s->state != ERDIAG_BGPS_ACTIVE) {
            g_autofree char *why = g_strdup_printf("%s resets the TCP connection", w);
            go_down(u, pkt->ts_us, pkt->frame, why);
        }
    } else if (t->flags & ERDIAG_TCP_FIN) {
        u->fin_pending = TRUE;
        u->fin_side = side;
        u->fin_frame = pkt->frame;
        u->fin_ts_us = pkt->ts_us;
    }
}

static void notification(unmapped_impl *u, int side, const erdiag_bgp_notification *n,
                         const erdiag_packet_meta *pkt)
{
    const char *cname = erdiag_bgp_notification_code_name(n->code);
    const char *sname = erdiag_bgp_notification_subcode_name(n->code, n->subcode);
    g_autofree char *w = who(u, side);
    GString *why = g_string_new(NULL);
    g_string_append_printf(why, "%s sends NOTIFICATION %s", w, cname ? cname : "(unknown code)");
    if (sname)
        g_string_append_printf(why, " / %s", sname);
    g_string_append_printf(why, " (%u/%u)", n->code, n->subcode);
    if (n->shutdown_text && *n->shutdown_text)
        g_string_append_printf(why, ", shutdown message \"%s\"", n->shutdown_text);
    u->pub.notifications[side]++;
    if (u->pub.state == ERDIAG_BGPS_IDLE)
        story(u, pkt->ts_us, pkt->frame, "%s", why->str);
    else
        go_down(u, pkt->ts_us, pkt->frame, why->str);
    g_string_free(why, TRUE);
}

void unmapped_bgp_msg(erdiag_engine *e, const erdiag_event *ev)
{
    const erdiag_bgp_ev *b = &ev->u.bgp;
    const erdiag_packet_meta *pkt = &ev->pkt;
    const erdiag_bgp_msg *m = &b->msg;
    int side;
    unmapped_impl *u = lookup(e, &b->src, &b->dst, pkt, TRUE, &side);
    if (!u)
        return;
    apply_fin(u, pkt->frame);
    erdiag_unmapped_bgp *s = &u->pub;
    first_sight(u, pkt, m->type == ERDIAG_BGP_OPEN);
    touch(u, pkt);
    /* the ports of the connection that carries the messages (the last one),
     * not those of a refused or unanswered attempt before it */
    s->port[side] = b->sport;
    s->port[1 - side] = b->dport;
    if (m->type >= 1 && m->type <= 5)
        s->msgs[side][m->type]++;
    if (m->error && m->type != ERDIAG_BGP_NOTIFICATION && m->type != ERDIAG_BGP_KEEPALIVE
        && m->type != ERDIAG_BGP_UPDATE)
        return;
    switch (m->type) {
    case ERDIAG_BGP_OPEN: {
        s->asn[side] = erdiag_bgp_open_asn(&m->u.open);
        u->open_seen[side] = TRUE;
        u->ka_after_open[side] = FALSE;
        s->state = u->open_seen[1 - side] ? ERDIAG_BGPS_OPENCONFIRM : ERDIAG_BGPS_OPENSENT;
        g_autofree char *w = who(u, side);
        story(u, pkt->ts_us, pkt->frame, "%s OPEN: hold %u s%s", w, m->u.open.hold_time,
              s->asn[0] && s->asn[0] == s->asn[1] ? " (iBGP: both sides in one AS)" : "");
        break;
    }
    case ERDIAG_BGP_KEEPALIVE:
        if (u->open_seen[side])
            u->ka_after_open[side] = TRUE;
        if (s->state == ERDIAG_BGPS_OPENCONFIRM && u->ka_after_open[0] && u->ka_after_open[1])
            up(u, pkt, "Established");
        else if (s->state <= ERDIAG_BGPS_CONNECT && !u->open_seen[0] && !u->open_seen[1]
                 && s->msgs[1 - side][ERDIAG_BGP_KEEPALIVE] + s->msgs[1 - side][ERDIAG_BGP_UPDATE] > 0) {
            s->was_up_at_start = !s->ever_established;
            up(u, pkt, "already Established when the capture started (KEEPALIVEs both ways, no OPEN)");
        }
        break;
    case ERDIAG_BGP_UPDATE:
        /* only an Established speaker sends UPDATEs (RFC 4271 §9) */
        if (s->state != ERDIAG_BGPS_ESTABLISHED) {
            gboolean opens = u->open_seen[0] && u->open_seen[1];
            if (!opens)
                s->was_up_at_start = !s->ever_established;
            up(u, pkt, opens ? "Established (UPDATE after both OPENs; the KEEPALIVEs are not in the capture)"
                             : "already Established when the capture started (UPDATE without its OPEN)");
        }
        break;
    case ERDIAG_BGP_NOTIFICATION:
        notification(u, side, &m->u.notification, pkt);
        break;
    default:
        break;
    }
}

/* One line: who, what, how it went. */
static char *summary(const unmapped_impl *u)
{
    const erdiag_unmapped_bgp *s = &u->pub;
    GString *m = g_string_new(NULL);
    char a[2][ERDIAG_ADDR_STRLEN];
    for (int k = 0; k < 2; k++)
        erdiag_addr_to_string(&s->addr[k], a[k]);
    g_string_append(m, "BGP between ");
    for (int k = 0; k < 2; k++) {
        g_string_append_printf(m, "%s%s", k ? " and " : "", a[k]);
        if (s->port[k])
            g_string_append_printf(m, " port %u", s->port[k]);
        if (s->asn[k])
            g_string_append_printf(m, " (AS %u)", s->asn[k]);
    }
    if (s->asn[0] && s->asn[0] == s->asn[1])
        g_string_append(m, ", iBGP");
    g_string_append(m, ", outside any peering link: messages ");
    static const char *const names[6] = {NULL, "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"};
    for (int k = 0; k < 2; k++) {
        g_string_append_printf(m, "%s%s", k ? "; " : "", a[k]);
        gboolean any = FALSE;
        for (int t = 1; t <= 5; t++)
            if (s->msgs[k][t]) {
                g_string_append_printf(m, "%s %" G_GUINT64_FORMAT " %s", any ? "," : "", s->msgs[k][t], names[t]);
                any = TRUE;
            }
        if (!any)
            g_string_append(m, " none");
    }
    g_string_append(m, ". ");
    if (s->start_unknown)
        g_string_append(m, "The capture starts within the session (its earlier state is unknown). ");
    if (s->was_up_at_start)
        g_string_append(m, "It was Established before the capture. ");
    else if (s->ever_established)
        g_string_append_printf(m, "It reached Established %u time%s. ", s->times_established,
                               s->times_established == 1 ? "" : "s");
    else if (s->connections || s->msgs[0][ERDIAG_BGP_OPEN] || s->msgs[1][ERDIAG_BGP_OPEN])
        g_string_append(m, "It did not reach Established in the capture. ");
    /* the NOTIFICATIONs, from the timeline */
    guint shown = 0;
    for (guint i = 0; i < s->timeline->len; i++) {
        const erdiag_timeline_entry *t = g_ptr_array_index(s->timeline, i);
        if (!strstr(t->text, " sends NOTIFICATION "))
            continue;
        if (shown++ < 3)
            g_string_append_printf(m, "Frame %" G_GUINT64_FORMAT ": %s. ", t->frame, t->text);
    }
    if (shown > 3)
        g_string_append_printf(m, "%u more NOTIFICATIONs. ", shown - 3);
    g_string_append_printf(m, "State at the end: %s.", erdiag_bgp_state_name(s->state));
    return g_string_free(m, FALSE);
}

void unmapped_bgp_finish(erdiag_engine *e)
{
    GPtrArray *all = e->info.unmapped_bgp;
    for (guint i = 0; i < all->len; i++) {
        unmapped_impl *u = g_ptr_array_index(all, i);
        apply_fin(u, G_MAXUINT64);
        const erdiag_unmapped_bgp *s = &u->pub;
        g_autofree char *msg = summary(u);
        /* a session that failed or was torn down is worth a look; one that
         * ran quietly is a note */
        gboolean failed = s->notifications[0] + s->notifications[1] > 0 || s->times_lost > 0
                       || (!s->ever_established && s->connections > 0);
        char a[2][ERDIAG_ADDR_STRLEN];
        g_autofree char *key = g_strdup_printf("%s %s", erdiag_addr_to_string(&s->addr[0], a[0]),
                                               erdiag_addr_to_string(&s->addr[1], a[1]));
        erdiag_finding *f = finding_raise(e, ERDIAG_F_CAPTURE_UNMAPPED_BGP,
                                          failed ? ERDIAG_SEV_WARNING : ERDIAG_SEV_NOTE, NULL, NULL, key,
                                          advice_unmapped, "%s", msg);
        finding_evidence(e, f, s->first_frame, s->first_ts_us);
        for (guint k = 0; k < s->timeline->len; k++) {
            const erdiag_timeline_entry *t = g_ptr_array_index(s->timeline, k);
            if (strstr(t->text, " sends NOTIFICATION ") || strstr(t->text, " OPEN: "))
                finding_evidence(e, f, t->frame, t->ts_us);
        }
    }
}
