/* The JSON report: for scripts. The schema is documented in docs/json-schema.md;
 * keys inside tables follow Azure's own JSON (az network express-route ...). */
#include <json-glib/json-glib.h>
#include "report_json.h"
#include "report_json_routes.h"
#include "report_util.h"
#include "rib.h"
#include "azure_import.h"

static void add_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void add_int(JsonBuilder *b, const char *key, gint64 v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_int_value(b, v);
}

static void add_bool(JsonBuilder *b, const char *key, gboolean v)
{
    json_builder_set_member_name(b, key);
    json_builder_add_boolean_value(b, v);
}

static void add_time(JsonBuilder *b, const char *key, gint64 us)
{
    if (!us) {
        add_str(b, key, NULL);
        return;
    }
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
    g_autoptr(GDateTime) full = dt ? g_date_time_add(dt, us % G_USEC_PER_SEC) : NULL;
    g_autofree char *s = full ? g_date_time_format_iso8601(full) : NULL;
    add_str(b, key, s);
}

static void findings_json(JsonBuilder *b, erdiag_engine *e)
{
    GPtrArray *all = erdiag_engine_findings(e);
    json_builder_set_member_name(b, "findings");
    json_builder_begin_array(b);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
        json_builder_begin_object(b);
        add_str(b, "id", d->id);
        add_str(b, "severity", erdiag_severity_name(f->severity));
        add_str(b, "step", erdiag_step_name(d->step));
        add_str(b, "title", d->title);
        add_str(b, "peering", f->peering);
        add_str(b, "link", f->link);
        json_builder_set_member_name(b, "frames");
        json_builder_begin_array(b);
        for (guint k = 0; k < f->n_frames; k++)
            json_builder_add_int_value(b, (gint64)f->frames[k]);
        json_builder_end_array(b);
        add_int(b, "frame_count", (gint64)f->frame_count);
        add_time(b, "first_time", f->first_ts_us);
        add_time(b, "last_time", f->last_ts_us);
        add_str(b, "message", f->message);
        add_str(b, "advice", f->advice);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static void tags_json(JsonBuilder *b, guint8 n, const erdiag_vlan_tag *tags)
{
    json_builder_set_member_name(b, "tags");
    json_builder_begin_array(b);
    for (guint i = 0; i < n; i++) {
        json_builder_begin_object(b);
        if (tags[i].tpid) {
            g_autofree char *tp = g_strdup_printf("0x%04x", tags[i].tpid);
            add_str(b, "tpid", tp);
        }
        add_int(b, "vid", tags[i].vid);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    g_autofree char *text = erdiag_tags_to_string(n, tags);
    add_str(b, "vlan", text);
}

static void open_json(JsonBuilder *b, const char *key, const erdiag_bgp_session *s, int side)
{
    json_builder_set_member_name(b, key);
    if (!s->open_seen[side] && !s->open[side].version) {
        json_builder_add_null_value(b);
        return;
    }
    const erdiag_bgp_open *o = &s->open[side];
    json_builder_begin_object(b);
    add_int(b, "as", erdiag_bgp_open_asn(o));
    add_int(b, "my_as_field", o->my_as);
    add_int(b, "hold_time", o->hold_time);
    g_autofree char *id = g_strdup_printf("%u.%u.%u.%u", o->bgp_id >> 24, (o->bgp_id >> 16) & 255,
                                          (o->bgp_id >> 8) & 255, o->bgp_id & 255);
    add_str(b, "bgp_identifier", id);
    add_int(b, "frame", (gint64)s->open_frame[side]);
    json_builder_set_member_name(b, "capabilities");
    json_builder_begin_array(b);
    for (guint i = 0; i < o->n_caps; i++) {
        const char *n = erdiag_bgp_capability_name(o->caps[i]);
        if (n)
            json_builder_add_string_value(b, n);
        else {
            g_autofree char *c = g_strdup_printf("%u", o->caps[i]);
            json_builder_add_string_value(b, c);
        }
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

/* BFD per side, as advertised while Up; null sides sent no BFD. */
static void bfd_json(JsonBuilder *b, const erdiag_bfd_view *v)
{
    static const char *const states[] = {"AdminDown", "Down", "Init", "Up"};
    json_builder_set_member_name(b, "bfd");
    json_builder_begin_object(b);
    for (int s = 0; s < 2; s++) {
        json_builder_set_member_name(b, s == ERDIAG_CUST ? "onprem" : "microsoft");
        if (!v->packets[s]) {
            json_builder_add_null_value(b);
            continue;
        }
        json_builder_begin_object(b);
        add_int(b, "packets", (gint64)v->packets[s]);
        add_str(b, "state", states[v->state[s] & 3]);
        add_bool(b, "was_up", v->up[s]);
        if (v->multiplier[s]) {
            add_int(b, "desired_min_tx_ms", v->desired_min_tx_us[s] / 1000);
            add_int(b, "required_min_rx_ms", v->required_min_rx_us[s] / 1000);
            add_int(b, "multiplier", v->multiplier[s]);
        }
        json_builder_end_object(b);
    }
    add_int(b, "downs", v->downs);
    json_builder_end_object(b);
}

static const char *proto_key(guint8 proto)
{
    return proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 1 ? "icmp" : "icmpv6";
}

/* The link's flows table: verdict counts of every flow, and the rows kept. */
static void flows_json(JsonBuilder *b, const erdiag_link *l)
{
    json_builder_set_member_name(b, "flows");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "verdicts");
    json_builder_begin_object(b);
    for (int v = 0; v < ERDIAG_FLOW_VERDICT_COUNT; v++)
        add_int(b, erdiag_flow_verdict_name(v), (gint64)l->flow_verdicts[v]);
    json_builder_end_object(b);
    add_int(b, "not_listed", (gint64)l->flows_not_listed);
    json_builder_set_member_name(b, "rows");
    json_builder_begin_array(b);
    for (guint i = 0; i < l->flows->len; i++) {
        const erdiag_flow_row *r = g_ptr_array_index(l->flows, i);
        char a[ERDIAG_ADDR_STRLEN];
        json_builder_begin_object(b);
        add_str(b, "verdict", erdiag_flow_verdict_name(r->verdict));
        add_str(b, "protocol", proto_key(r->proto));
        add_str(b, "source", erdiag_addr_to_string(&r->src, a));
        add_str(b, "destination", erdiag_addr_to_string(&r->dst, a));
        if (r->proto == 6 || r->proto == 17) {
            add_int(b, "source_port", r->sport);
            add_int(b, "destination_port", r->dport);
        } else {
            add_int(b, "echo_id", r->sport);
        }
        add_str(b, "direction", r->from_azure ? "from_azure" : "to_azure");
        add_str(b, "link_out", r->link[0] ? r->link[0]->label : NULL);
        add_str(b, "link_back", r->link[1] ? r->link[1]->label : NULL);
        add_bool(b, "link_moved", r->link_moved);
        add_int(b, "packets_out", (gint64)r->packets[0]);
        add_int(b, "packets_back", (gint64)r->packets[1]);
        add_int(b, "bytes_out", (gint64)r->bytes[0]);
        add_int(b, "bytes_back", (gint64)r->bytes[1]);
        add_int(b, "first_frame", (gint64)r->first_frame);
        add_time(b, "first_time", r->first_ts_us);
        if (r->verdict_frame)
            add_int(b, "verdict_frame", (gint64)r->verdict_frame);
        add_str(b, "detail", r->detail);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static void link_json(JsonBuilder *b, erdiag_engine *e, const erdiag_link *l, report_json_routes *t)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    char buf[ERDIAG_PREFIX_STRLEN];
    json_builder_begin_object(b);
    add_str(b, "link", l->label);
    add_str(b, "role", l->role == ERDIAG_ROLE_PRIMARY ? "primary" : l->role == ERDIAG_ROLE_SECONDARY ? "secondary" : "unknown");
    add_int(b, "family", l->family);
    add_str(b, "subnet", erdiag_prefix_to_string(&l->subnet, buf));
    add_str(b, "customer_address", erdiag_addr_to_string(&l->addr[ERDIAG_CUST], buf));
    add_str(b, "microsoft_address", erdiag_addr_to_string(&l->addr[ERDIAG_MSFT], buf));
    add_str(b, "microsoft_evidence", erdiag_msft_evidence_name(l->msft_evidence));
    /* who is on the far side: the MSEE (l2), or a layer-3 provider's PE */
    add_str(b, "provider", erdiag_link_layer3(l) ? "l3" : "l2");
    guint32 provider_asn = erdiag_link_provider_asn(l);
    if (provider_asn)
        add_int(b, "provider_asn", provider_asn);
    add_bool(b, "configured", l->configured);
    add_bool(b, "seen", l->seen);
    add_int(b, "frames", (gint64)l->frames);
    tags_json(b, l->n_tags, l->tags);

    json_builder_set_member_name(b, "arp_table");
    json_builder_begin_array(b);
    for (int s = 0; s < 2; s++) {
        const erdiag_arp_row *r = &l->arp[s];
        char mac[18] = "Incomplete";
        if (r->resolved)
            report_mac(r->mac, mac);
        json_builder_begin_object(b);
        if (r->last_seen_us)
            add_int(b, "age", (info->last_ts_us - r->last_seen_us) / (60 * G_USEC_PER_SEC));
        else
            add_str(b, "age", NULL);
        add_str(b, "interface", erdiag_side_azure_name(r->side));
        add_str(b, "ipAddress", erdiag_addr_to_string(&r->ip, buf));
        add_str(b, "macAddress", mac);
        add_int(b, "requests_for", r->requests_for);
        add_int(b, "replies_from", r->replies_from);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);

    const erdiag_bgp_session *s = &l->bgp;
    json_builder_set_member_name(b, "bgp");
    json_builder_begin_object(b);
    add_bool(b, "seen", s->seen);
    add_str(b, "state", erdiag_bgp_state_name(s->state));
    add_str(b, "neighbor", erdiag_addr_to_string(&l->addr[ERDIAG_CUST], buf));
    add_int(b, "v", 4);
    if (s->asn[ERDIAG_CUST])
        add_int(b, "as", s->asn[ERDIAG_CUST]);
    else
        add_str(b, "as", NULL);
    g_autofree char *ud = report_updown(l, info->last_ts_us);
    g_autofree char *pfx = report_state_pfx(l);
    add_str(b, "upDown", ud);
    add_str(b, "statePfxRcd", pfx);
    add_bool(b, "ever_established", s->ever_established);
    add_bool(b, "routes_partial", l->routes_partial);
    add_int(b, "times_established", s->times_established);
    add_int(b, "times_lost", s->times_lost);
    add_int(b, "connection_attempts", s->connection_attempts);
    add_int(b, "hold_time", s->hold_time);
    open_json(b, "customer_open", s, ERDIAG_CUST);
    open_json(b, "microsoft_open", s, ERDIAG_MSFT);
    json_builder_set_member_name(b, "timeline");
    json_builder_begin_array(b);
    for (guint i = 0; i < s->timeline->len; i++) {
        const erdiag_timeline_entry *t = g_ptr_array_index(s->timeline, i);
        json_builder_begin_object(b);
        add_time(b, "time", t->ts_us);
        add_int(b, "frame", (gint64)t->frame);
        add_str(b, "by", erdiag_side_name(t->by));
        add_str(b, "state", erdiag_bgp_state_name(t->state));
        add_str(b, "text", t->text);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "routes");
    json_builder_begin_object(b);
    report_json_routes_member(t, b, "from_onprem", l, ERDIAG_CUST);
    report_json_routes_member(t, b, "from_microsoft", l, ERDIAG_MSFT);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "prefix_counts");
    json_builder_begin_array(b);
    for (guint i = 0; i < l->counts->len; i++) {
        const erdiag_count_sample *c = &g_array_index(l->counts, erdiag_count_sample, i);
        json_builder_begin_object(b);
        add_time(b, "time", c->ts_us);
        add_int(b, "frame", (gint64)c->frame);
        add_int(b, "from_onprem", c->count[ERDIAG_CUST]);
        add_int(b, "from_microsoft", c->count[ERDIAG_MSFT]);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);

    flows_json(b, l);
    bfd_json(b, &l->bfd);

    json_builder_set_member_name(b, "checklist");
    json_builder_begin_object(b);
    for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++)
        add_str(b, report_check_key(c), report_verdict_name(report_check_link(e, c, l)));
    json_builder_end_object(b);
    /* why a verdict no finding explains is what it is */
    json_builder_set_member_name(b, "checklist_details");
    json_builder_begin_object(b);
    for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++) {
        g_autofree char *detail = report_check_detail(e, c, l);
        if (detail)
            add_str(b, report_check_key(c), detail);
    }
    json_builder_end_object(b);
    json_builder_end_object(b);
}

/* BGP sessions outside the peering links (capture.unmapped-bgp). */
static void unmapped_bgp_json(JsonBuilder *b, const erdiag_capture_info *info)
{
    static const char *const types[6] = {NULL, "open", "update", "notification", "keepalive", "route_refresh"};
    char buf[ERDIAG_ADDR_STRLEN];
    json_builder_set_member_name(b, "unmapped_bgp");
    json_builder_begin_array(b);
    for (guint i = 0; i < info->unmapped_bgp->len; i++) {
        const erdiag_unmapped_bgp *u = g_ptr_array_index(info->unmapped_bgp, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "speakers");
        json_builder_begin_array(b);
        for (int k = 0; k < 2; k++) {
            json_builder_begin_object(b);
            add_str(b, "address", erdiag_addr_to_string(&u->addr[k], buf));
            add_int(b, "port", u->port[k]);
            if (u->asn[k])
                add_int(b, "as", u->asn[k]);
            else
                add_str(b, "as", NULL);
            json_builder_set_member_name(b, "messages");
            json_builder_begin_object(b);
            for (int t = 1; t <= 5; t++)
                add_int(b, types[t], (gint64)u->msgs[k][t]);
            json_builder_end_object(b);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        tags_json(b, u->n_tags, u->tags);
        add_str(b, "state", erdiag_bgp_state_name(u->state));
        add_bool(b, "start_unknown", u->start_unknown);
        add_bool(b, "established_before_capture", u->was_up_at_start);
        add_bool(b, "ever_established", u->ever_established);
        add_int(b, "times_established", u->times_established);
        add_int(b, "times_lost", u->times_lost);
        add_int(b, "connections", u->connections);
        add_int(b, "first_frame", (gint64)u->first_frame);
        add_int(b, "last_frame", (gint64)u->last_frame);
        json_builder_set_member_name(b, "timeline");
        json_builder_begin_array(b);
        for (guint t = 0; t < u->timeline->len; t++) {
            const erdiag_timeline_entry *en = g_ptr_array_index(u->timeline, t);
            json_builder_begin_object(b);
            add_time(b, "time", en->ts_us);
            add_int(b, "frame", (gint64)en->frame);
            add_str(b, "state", erdiag_bgp_state_name(en->state));
            add_str(b, "text", en->text);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        add_int(b, "timeline_dropped", (gint64)u->timeline_dropped);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    add_int(b, "unmapped_bgp_dropped", (gint64)info->unmapped_bgp_dropped);
}

/* Azure's exported tables beside the capture (--azure-arp / --azure-routes). */
static void azure_comparison_json(JsonBuilder *b, erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(e, ev);
    json_builder_set_member_name(b, "azure_comparison");
    json_builder_begin_array(b);
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        json_builder_begin_object(b);
        add_str(b, "peering", d->peering);
        add_str(b, "link", d->link);
        add_str(b, "table", d->table);
        add_str(b, "source", d->source);
        add_str(b, "item", d->item);
        add_str(b, "verdict", erdiag_azure_verdict_name(d->verdict));
        add_str(b, "azure", d->azure);
        add_str(b, "capture", d->capture);
        add_str(b, "explanation", d->explanation);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

void report_json_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(report_json_routes) tables = report_json_routes_new();
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const erdiag_config *cfg = erdiag_engine_config(e);
    json_builder_begin_object(b);
    add_str(b, "erdiag_version", ERDIAG_VERSION_STRING);
    add_int(b, "schema_version", 1);

    json_builder_set_member_name(b, "capture");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "files");
    json_builder_begin_array(b);
    for (guint i = 0; i < info->files->len; i++)
        json_builder_add_string_value(b, g_ptr_array_index(info->files, i));
    json_builder_end_array(b);
    add_int(b, "frames", (gint64)info->frames);
    add_time(b, "first_time", info->first_ts_us);
    add_time(b, "last_time", info->last_ts_us);
    json_builder_set_member_name(b, "duration_s");
    json_builder_add_double_value(b, (info->last_ts_us - info->first_ts_us) / 1e6);
    add_bool(b, "truncated", info->truncated);
    if (opt && opt->at_frame)
        add_int(b, "at_frame", (gint64)opt->at_frame);
    json_builder_set_member_name(b, "notes");
    json_builder_begin_array(b);
    for (guint i = 0; i < info->notes->len; i++)
        json_builder_add_string_value(b, g_ptr_array_index(info->notes, i));
    json_builder_end_array(b);
    add_int(b, "notes_dropped", (gint64)info->notes_dropped);
    json_builder_end_object(b);

    json_builder_set_member_name(b, "config");
    if (cfg) {
        json_builder_begin_object(b);
        add_str(b, "source", cfg->source);
        json_builder_end_object(b);
    } else {
        json_builder_add_null_value(b);
    }
    g_autofree char *summary = report_summary(e);
    add_str(b, "summary", summary);
    guint counts[4];
    report_counts(e, counts);
    json_builder_set_member_name(b, "counts");
    json_builder_begin_object(b);
    for (int s = ERDIAG_SEV_ERROR; s >= ERDIAG_SEV_INFO; s--)
        add_int(b, erdiag_severity_name(s), counts[s]);
    json_builder_end_object(b);

    findings_json(b, e);

    json_builder_set_member_name(b, "peerings");
    json_builder_begin_array(b);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        json_builder_begin_object(b);
        add_str(b, "name", pe->name);
        add_bool(b, "configured", pe->configured);
        add_str(b, "peering_type", erdiag_peering_is_microsoft(pe) ? "microsoft" : "private");
        add_str(b, "peering_type_evidence", erdiag_peering_type_evidence(pe));
        tags_json(b, pe->n_tags, pe->tags);
        json_builder_set_member_name(b, "links");
        json_builder_begin_array(b);
        for (guint i = 0; i < pe->links->len; i++)
            link_json(b, e, g_ptr_array_index(pe->links, i), tables);
        json_builder_end_array(b);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    unmapped_bgp_json(b, info);
    if (opt && opt->azure)
        azure_comparison_json(b, e, opt->azure);
    json_builder_end_object(b);

    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    g_autofree char *text = json_generator_to_data(gen, NULL);
    report_json_routes_splice(tables, text, out);
    g_string_append_c(out, '\n');
}
