/* erdiag_event -> one line of text (see event_text.h). */
#include "event_text.h"

static void add_addr(GString *out, const erdiag_addr *a)
{
    char buf[ERDIAG_ADDR_STRLEN];
    g_string_append(out, a->family ? erdiag_addr_to_string(a, buf) : "-");
}

static void add_mac(GString *out, const guint8 m[6])
{
    g_string_append_printf(out, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void add_prefixes(GString *out, const char *name, const erdiag_bgp_nlri *n, guint count)
{
    char buf[ERDIAG_PREFIX_STRLEN];
    g_string_append_printf(out, " %s=[", name);
    for (guint i = 0; i < count; i++) {
        g_string_append(out, i ? "," : "");
        g_string_append(out, erdiag_prefix_to_string(&n[i].prefix, buf));
        if (n[i].path_id)
            g_string_append_printf(out, "#%u", n[i].path_id);
    }
    g_string_append_c(out, ']');
}

static void add_meta(GString *out, const erdiag_packet_meta *p)
{
    g_string_append_printf(out, "frame=%" G_GUINT64_FORMAT " ts=%" G_GINT64_FORMAT " iface=%u wire=%u cap=%u tags=[",
                           p->frame, p->ts_us, p->iface, p->wire_len, p->cap_len);
    for (guint i = 0; i < p->n_tags && i < ERDIAG_MAX_TAGS; i++)
        g_string_append_printf(out, "%s%04x:%u:%u", i ? "," : "", p->tags[i].tpid, p->tags[i].vid,
                               p->tags[i].pcp);
    g_string_append(out, "] macs=");
    if (p->has_macs) {
        add_mac(out, p->src_mac);
        g_string_append_c(out, '>');
        add_mac(out, p->dst_mac);
    } else {
        g_string_append_c(out, '-');
    }
}

static void add_bgp(GString *out, const erdiag_bgp_ev *b)
{
    const erdiag_bgp_msg *m = &b->msg;
    g_string_append(out, " BGP ");
    add_addr(out, &b->src);
    g_string_append_printf(out, ":%u>", b->sport);
    add_addr(out, &b->dst);
    g_string_append_printf(out, ":%u first=%" G_GUINT64_FORMAT " type=%u len=%u error=%s", b->dport,
                           b->first_frame, m->type, m->length, m->error ? "yes" : "no");
    switch (m->type) {
    case ERDIAG_BGP_OPEN: {
        const erdiag_bgp_open *o = &m->u.open;
        g_string_append_printf(out, " ver=%u as=%u hold=%u id=%u as4=%s:%u caps=[", o->version, o->my_as,
                               o->hold_time, o->bgp_id, o->has_as4 ? "yes" : "no", o->as4);
        for (guint i = 0; i < o->n_caps && i < ERDIAG_BGP_MAX_CAPS; i++)
            g_string_append_printf(out, "%s%u", i ? "," : "", o->caps[i]);
        g_string_append_printf(out, "] mp4=%d mp6=%d addpath=%d extparams=%d", o->mp_ipv4_unicast,
                               o->mp_ipv6_unicast, o->add_path, o->extended_params);
        break;
    }
    case ERDIAG_BGP_UPDATE: {
        const erdiag_bgp_update *u = &m->u.update;
        add_prefixes(out, "ann", u->announced, u->n_announced);
        add_prefixes(out, "wd", u->withdrawn, u->n_withdrawn);
        if (u->has_origin)
            g_string_append_printf(out, " origin=%u", u->origin);
        if (u->has_as_path)
            g_string_append_printf(out, " path=\"%s\"/%u", u->as_path ? u->as_path : "", u->as_path_length);
        if (u->has_next_hop) {
            g_string_append(out, " nh=");
            add_addr(out, &u->next_hop);
        }
        if (u->has_med)
            g_string_append_printf(out, " med=%u", u->med);
        if (u->has_local_pref)
            g_string_append_printf(out, " lp=%u", u->local_pref);
        g_string_append_printf(out, " atomic=%d comms=[", u->atomic_aggregate);
        for (guint i = 0; i < u->n_communities; i++)
            g_string_append_printf(out, "%s%u:%u", i ? "," : "", u->communities[i] >> 16,
                                   u->communities[i] & 0xffff);
        g_string_append_printf(out, "] large=%u eor=%d", u->n_large_communities, u->end_of_rib);
        break;
    }
    case ERDIAG_BGP_NOTIFICATION: {
        const erdiag_bgp_notification *n = &m->u.notification;
        g_string_append_printf(out, " code=%u sub=%u data=", n->code, n->subcode);
        for (guint i = 0; i < n->data_len && n->data; i++)
            g_string_append_printf(out, "%02x", n->data[i]);
        if (n->shutdown_text)
            g_string_append_printf(out, " text=\"%s\"", n->shutdown_text);
        break;
    }
    case ERDIAG_BGP_ROUTE_REFRESH: {
        const erdiag_bgp_route_refresh *r = &m->u.route_refresh;
        g_string_append_printf(out, " afi=%u sub=%u safi=%u", r->afi, r->subtype, r->safi);
        break;
    }
    default:
        break;
    }
}

void er_event_to_text(const erdiag_event *ev, GString *out)
{
    add_meta(out, &ev->pkt);
    switch (ev->type) {
    case ERDIAG_EV_ARP: {
        const erdiag_arp_ev *a = &ev->u.arp;
        g_string_append_printf(out, " ARP op=%u nd=%d sender=", a->opcode, a->nd);
        add_mac(out, a->sender_mac);
        g_string_append_c(out, '/');
        add_addr(out, &a->sender_ip);
        g_string_append(out, " target=");
        add_mac(out, a->target_mac);
        g_string_append_c(out, '/');
        add_addr(out, &a->target_ip);
        break;
    }
    case ERDIAG_EV_TCP: {
        const erdiag_tcp_ev *t = &ev->u.tcp;
        g_string_append(out, " TCP ");
        add_addr(out, &t->src);
        g_string_append_printf(out, ":%u>", t->sport);
        add_addr(out, &t->dst);
        g_string_append_printf(out, ":%u flags=%02x seq=%u ack=%u plen=%u md5=%d ao=%d ttl=%u iplen=%u",
                               t->dport, t->flags, t->seq, t->ack, t->payload_len, t->md5_option,
                               t->ao_option, t->ttl, t->ip_len);
        break;
    }
    case ERDIAG_EV_BGP:
        add_bgp(out, &ev->u.bgp);
        break;
    case ERDIAG_EV_IP: {
        const erdiag_ip_ev *i = &ev->u.ip;
        g_string_append(out, " IP ");
        add_addr(out, &i->src);
        g_string_append_c(out, '>');
        add_addr(out, &i->dst);
        g_string_append_printf(out, " proto=%u ttl=%u ports=%u>%u iplen=%u", i->proto, i->ttl, i->sport,
                               i->dport, i->ip_len);
        break;
    }
    case ERDIAG_EV_MACSEC:
        g_string_append_printf(out, " MACSEC tci_an=0x%02x pn=%u sci=%s", ev->u.macsec.tci_an, ev->u.macsec.pn,
                               ev->u.macsec.has_sci ? "yes" : "no");
        break;
    case ERDIAG_EV_DECODE_NOTE:
        g_string_append_printf(out, " NOTE %s", ev->u.note.text ? ev->u.note.text : "");
        break;
    case ERDIAG_EV_TICK:
        g_string_append(out, " TICK");
        break;
    default:
        g_string_append_printf(out, " type=%d", ev->type);
        break;
    }
    g_string_append_c(out, '\n');
}
