/* Link state for the streaming output, read from the engine's model. */
#include "link_status.h"

#include <string.h>
#include "rib.h"
#include "report_util.h"

static link_arp_state arp_state(const erdiag_arp_row *row)
{
    if (row->resolved)
        return ARP_RESOLVED;
    return row->requests_for > 0 ? ARP_UNANSWERED : ARP_NOT_SEEN;
}

static void status_clear(gpointer p)
{
    link_status *s = p;
    g_free(s->name);
}

GArray *link_status_collect(erdiag_engine *e)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(link_status));
    g_array_set_clear_func(a, status_clear);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; peerings && p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint k = 0; pe->links && k < pe->links->len; k++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, k);
            link_status s = {
                .link = l,
                .name = g_strdup_printf("%s/%s", pe->name ? pe->name : "?", l->label ? l->label : "?"),
                .seen = l->seen,
                .arp = {arp_state(&l->arp[ERDIAG_CUST]), arp_state(&l->arp[ERDIAG_MSFT])},
                .bgp = l->bgp.state,
                .established_at_us = l->bgp.state == ERDIAG_BGPS_ESTABLISHED ? l->bgp.established_at_us : 0,
                .prefixes = {erdiag_rib_count(l->rib[ERDIAG_CUST], 0), erdiag_rib_count(l->rib[ERDIAG_MSFT], 0)},
            };
            g_array_append_val(a, s);
        }
    }
    return a;
}

void link_status_array_free(GArray *a)
{
    if (a)
        g_array_unref(a);
}

gboolean link_status_differs(const link_status *a, const link_status *b, gboolean *major)
{
    *major = a->link != b->link || g_strcmp0(a->name, b->name) != 0 || a->seen != b->seen
          || a->arp[0] != b->arp[0] || a->arp[1] != b->arp[1] || a->bgp != b->bgp
          || a->established_at_us != b->established_at_us;
    return *major || a->prefixes[0] != b->prefixes[0] || a->prefixes[1] != b->prefixes[1];
}

static const char *arp_word(link_arp_state s)
{
    return s == ARP_RESOLVED ? "ok" : s == ARP_UNANSWERED ? "unresolved" : "-";
}

static const char *arp_json_word(link_arp_state s)
{
    return s == ARP_RESOLVED ? "resolved" : s == ARP_UNANSWERED ? "unresolved" : "not-seen";
}

static gint64 uptime_us(const link_status *s, gint64 now_us)
{
    return s->established_at_us && now_us > s->established_at_us ? now_us - s->established_at_us : 0;
}

char *link_status_text(const link_status *s, gint64 now_us)
{
    if (!s->seen)
        return g_strdup("not seen yet");
    GString *t = g_string_new(NULL);
    g_string_append_printf(t, "ARP on-prem %s, MSEE %s | BGP %s", arp_word(s->arp[ERDIAG_CUST]),
                           arp_word(s->arp[ERDIAG_MSFT]), erdiag_bgp_state_name(s->bgp));
    if (s->established_at_us) {
        g_autofree char *up = report_duration(uptime_us(s, now_us));
        g_string_append_printf(t, " %s", up);
    }
    g_string_append_printf(t, " | prefixes from on-prem %u, from Azure %u", s->prefixes[ERDIAG_CUST],
                           s->prefixes[ERDIAG_MSFT]);
    return g_string_free(t, FALSE);
}

void link_status_cells(const link_status *s, gint64 now_us, char **arp, char **bgp, char **prefixes)
{
    if (!s->seen) {
        *arp = g_strdup("-");
        *bgp = g_strdup("not seen yet");
        *prefixes = g_strdup("-");
        return;
    }
    *arp = g_strdup_printf("%s/%s", arp_word(s->arp[ERDIAG_CUST]), arp_word(s->arp[ERDIAG_MSFT]));
    g_autofree char *up = s->established_at_us ? report_duration(uptime_us(s, now_us)) : NULL;
    *bgp = g_strdup_printf("%s%s%s", erdiag_bgp_state_name(s->bgp), up ? " " : "", up ? up : "");
    *prefixes = g_strdup_printf("%u/%u", s->prefixes[ERDIAG_CUST], s->prefixes[ERDIAG_MSFT]);
}

void link_status_json(const link_status *s, gint64 now_us, JsonBuilder *b)
{
    const erdiag_link *l = s->link;
    json_builder_set_member_name(b, "peering");
    json_builder_add_string_value(b, l->peering && l->peering->name ? l->peering->name : "");
    json_builder_set_member_name(b, "link");
    json_builder_add_string_value(b, l->label ? l->label : "");
    json_builder_set_member_name(b, "seen");
    json_builder_add_boolean_value(b, s->seen);

    json_builder_set_member_name(b, "arp");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "customer");
    json_builder_add_string_value(b, arp_json_word(s->arp[ERDIAG_CUST]));
    json_builder_set_member_name(b, "microsoft");
    json_builder_add_string_value(b, arp_json_word(s->arp[ERDIAG_MSFT]));
    json_builder_end_object(b);

    json_builder_set_member_name(b, "bgp");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, erdiag_bgp_state_name(s->bgp));
    json_builder_set_member_name(b, "uptime_s");
    json_builder_add_int_value(b, uptime_us(s, now_us) / G_USEC_PER_SEC);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "prefixes");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "from_customer");
    json_builder_add_int_value(b, s->prefixes[ERDIAG_CUST]);
    json_builder_set_member_name(b, "from_microsoft");
    json_builder_add_int_value(b, s->prefixes[ERDIAG_MSFT]);
    json_builder_end_object(b);
}
