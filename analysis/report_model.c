/* The report model the Markdown and HTML writers render (report_model.h):
 * what each section holds, decided once. */
#include <string.h>
#include "report_model.h"
#include "report_markup.h"
#include "azure_import.h"
#include "rib.h"

static rm_block *block_new(rm_kind kind, char *text)
{
    rm_block *b = g_new0(rm_block, 1);
    b->kind = kind;
    b->text = text;
    return b;
}

static void row_free(gpointer p)
{
    rm_row *r = p;
    g_strfreev(r->cells);
    g_free(r->verdict);
    g_free(r);
}

static void block_free(gpointer p)
{
    rm_block *b = p;
    g_free(b->text);
    if (b->rows)
        g_ptr_array_unref(b->rows);
    if (b->routes)
        g_ptr_array_unref(b->routes);
    g_free(b);
}

guint rm_block_n_rows(const rm_block *b)
{
    return b->routes ? b->routes->len : b->rows ? b->rows->len : 0;
}

rm_row *rm_block_row(const rm_block *b, guint i)
{
    if (!b->routes)
        return g_ptr_array_index(b->rows, i);
    rm_row *r = g_new0(rm_row, 1);
    r->cells = report_route_row(b->route_link, b->route_dir, g_ptr_array_index(b->routes, i));
    return r;
}

void rm_row_release(const rm_block *b, rm_row *r)
{
    if (b->routes)
        row_free(r);
}

static rm_block *table_new(const char *cls, const char *const *cols)
{
    rm_block *b = block_new(RM_TABLE, NULL);
    b->cls = cls;
    b->cols = cols;
    b->rows = g_ptr_array_new_with_free_func(row_free);
    return b;
}

/* Adds a row; takes cells. */
static rm_row *table_add(rm_block *t, char **cells)
{
    rm_row *r = g_new0(rm_row, 1);
    r->cells = cells;
    g_ptr_array_add(t->rows, r);
    return r;
}

static rm_section *section(report_model *m, const char *id, const char *title)
{
    rm_section *s = g_new0(rm_section, 1);
    s->id = id;
    s->title = title;
    s->blocks = g_ptr_array_new_with_free_func(block_free);
    g_ptr_array_add(m->sections, s);
    return s;
}

static void add(rm_section *s, rm_block *b)
{
    g_ptr_array_add(s->blocks, b);
}

static void section_free(gpointer p)
{
    rm_section *s = p;
    g_ptr_array_unref(s->blocks);
    g_free(s);
}

/* A NULL-terminated array of copies of the arguments (also NULL-terminated). */
static char **strv(const char *first, ...) G_GNUC_NULL_TERMINATED;
static char **strv(const char *first, ...)
{
    GPtrArray *a = g_ptr_array_new();
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        g_ptr_array_add(a, g_strdup(s));
    va_end(ap);
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

char *report_link_name(const erdiag_link *l)
{
    return g_strdup_printf("%s / %s", l->peering->name, l->label);
}

GPtrArray *report_all_links(erdiag_engine *e)
{
    GPtrArray *links = g_ptr_array_new();
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++)
            g_ptr_array_add(links, g_ptr_array_index(pe->links, i));
    }
    return links;
}

char **report_arp_row(const erdiag_arp_row *r, gint64 end_us)
{
    char ip[ERDIAG_ADDR_STRLEN], mac[18];
    g_autofree char *age = report_arp_age(r, end_us);
    return strv(age, erdiag_side_azure_name(r->side), erdiag_addr_to_string(&r->ip, ip), report_arp_mac(r, mac), NULL);
}

char **report_summary_row(const erdiag_link *l, gint64 end_us)
{
    char nb[ERDIAG_ADDR_STRLEN];
    g_autofree char *as = l->bgp.open_seen[ERDIAG_CUST] || l->bgp.asn[ERDIAG_CUST]
                              ? g_strdup_printf("%u", l->bgp.asn[ERDIAG_CUST]) : g_strdup("-");
    g_autofree char *ud = report_updown(l, end_us);
    g_autofree char *pfx = report_state_pfx(l);
    return strv(l->label, erdiag_addr_to_string(&l->addr[ERDIAG_CUST], nb), "4", as, ud, pfx, NULL);
}

char **report_route_row(const erdiag_link *l, int dir, const erdiag_route *rt)
{
    char p[ERDIAG_PREFIX_STRLEN], nh[ERDIAG_ADDR_STRLEN] = "";
    erdiag_prefix_to_string(&rt->prefix, p);
    if (rt->next_hop.family)
        erdiag_addr_to_string(&rt->next_hop, nh);
    g_autofree char *lp = rt->has_local_pref ? g_strdup_printf("%u", rt->local_pref) : g_strdup("");
    g_autofree char *path = g_strconcat(rt->as_path ? rt->as_path : "",
                                        erdiag_route_is_echo(l, dir, rt) ? "  (echo: on-prem rejects it)" : "", NULL);
    return strv(p, nh, lp, "0", path, NULL);
}

char **report_flow_row(const erdiag_flow_row *r)
{
    char src[ERDIAG_ADDR_STRLEN], dst[ERDIAG_ADDR_STRLEN];
    erdiag_addr_to_string(&r->src, src);
    erdiag_addr_to_string(&r->dst, dst);
    const char *proto = r->proto == 6 ? "TCP" : r->proto == 17 ? "UDP" : r->proto == 1 ? "ICMP" : "ICMPv6";
    g_autofree char *port = r->proto == 6 || r->proto == 17 ? g_strdup_printf("%s/%u", proto, r->dport)
                                                            : g_strdup_printf("%s echo", proto);
    g_autofree char *links = g_strdup_printf("%s / %s%s", r->link[0] ? r->link[0]->label : "-",
                                             r->link[1] ? r->link[1]->label : "-", r->link_moved ? " (moved)" : "");
    g_autofree char *pkts = g_strdup_printf("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, r->packets[0], r->packets[1]);
    g_autofree char *bytes = g_strdup_printf("%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, r->bytes[0], r->bytes[1]);
    g_autofree char *frame = g_strdup_printf("%" G_GUINT64_FORMAT, r->first_frame);
    return strv(erdiag_flow_verdict_name(r->verdict), src, dst, port, r->from_azure ? "from Azure" : "to Azure",
                links, pkts, bytes, frame, r->detail ? r->detail : "", NULL);
}

char *report_flows_title(const erdiag_link *l)
{
    guint64 n = 0, failed = 0;
    for (int v = 0; v < ERDIAG_FLOW_VERDICT_COUNT; v++) {
        n += l->flow_verdicts[v];
        if (erdiag_flow_verdict_failed(v))
            failed += l->flow_verdicts[v];
    }
    g_autofree char *count = report_count_noun(n, "flow", "flows");
    return g_strdup_printf("%s / %s, flows opened over this link (%s, %" G_GUINT64_FORMAT " failed)",
                           l->peering->name, l->label, count, failed);
}

char *report_route_table_title(const erdiag_link *l, int dir, guint n)
{
    g_autofree char *count = report_count_noun(n, "prefix", "prefixes");
    return g_strdup_printf("%s / %s, %s (%s)", l->peering->name, l->label,
                           dir == ERDIAG_CUST ? "received from on-prem" : "advertised by Microsoft", count);
}

static void header(report_model *m, erdiag_engine *e, const erdiag_report_options *opt)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const erdiag_config *cfg = erdiag_engine_config(e);
    GString *cap = g_string_new(NULL);
    for (guint i = 0; i < info->files->len; i++)
        g_string_append_printf(cap, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(info->files, i));
    if (info->frames) {
        g_autofree char *t0 = report_timestamp(info->first_ts_us);
        g_autofree char *dur = report_duration(info->last_ts_us - info->first_ts_us);
        g_autofree char *n = report_count_noun(info->frames, "frame", "frames");
        g_string_append_printf(cap, "%s%s from %s, lasting %s", cap->len ? ": " : "", n, t0, dur);
    } else {
        g_string_append(cap, cap->len ? " (no frames)" : "no frames");
    }
    g_ptr_array_add(m->meta, g_strdup("Capture"));
    g_ptr_array_add(m->meta, g_string_free(cap, FALSE));
    g_ptr_array_add(m->meta, g_strdup("Configuration"));
    g_ptr_array_add(m->meta, g_strdup(cfg ? (cfg->source ? cfg->source : "given, file name unknown")
                                          : "none: peerings inferred from the capture"));
    if (opt && opt->at_frame) {
        g_ptr_array_add(m->meta, g_strdup("State"));
        g_ptr_array_add(m->meta, g_strdup_printf("as of frame %" G_GUINT64_FORMAT, opt->at_frame));
    }
    g_ptr_array_add(m->meta, g_strdup("Tool"));
    g_ptr_array_add(m->meta, g_strdup("erdiag " ERDIAG_VERSION_STRING));
    guint counts[4];
    report_counts(e, counts);
    m->summary = report_summary(e);
    m->tone = counts[ERDIAG_SEV_ERROR] ? 2 : counts[ERDIAG_SEV_WARNING] ? 1 : 0;
}

static void peerings_section(report_model *m)
{
    static const char *const cols[] = {"Peering", "Link", "Subnet", "On-prem", "Microsoft", "VLAN", "Frames", "Source",
                                       "Far side", NULL};
    if (m->links->len == 0)
        return;
    rm_section *s = section(m, "peerings", "Peerings");
    rm_block *t = table_new("peerings", cols);
    for (guint i = 0; i < m->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(m->links, i);
        char sub[ERDIAG_PREFIX_STRLEN], c[ERDIAG_ADDR_STRLEN], ms[ERDIAG_ADDR_STRLEN];
        g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
        g_autofree char *frames = g_strdup_printf("%" G_GUINT64_FORMAT, l->frames);
        g_autofree char *far = erdiag_link_far_side_text(l);
        table_add(t, strv(l->peering->name, l->label, erdiag_prefix_to_string(&l->subnet, sub),
                          erdiag_addr_to_string(&l->addr[ERDIAG_CUST], c), erdiag_addr_to_string(&l->addr[ERDIAG_MSFT], ms),
                          tags, frames, l->peering->configured ? "configuration" : "inferred",
                          far, NULL));
    }
    add(s, t);
}

static void findings_section(report_model *m, erdiag_engine *e)
{
    GPtrArray *all = erdiag_engine_findings(e);
    rm_section *s = section(m, "findings", "Findings");
    for (erdiag_step step = ERDIAG_STEP_CONFIG; step < ERDIAG_STEP_COUNT; step++) {
        add(s, block_new(RM_HEADING, g_strdup_printf("Step %d: %s (%s)", (int)step + 1, erdiag_step_title(step),
                                                     erdiag_step_name(step))));
        guint n = 0;
        for (guint i = 0; i < all->len; i++) {
            const erdiag_finding *f = g_ptr_array_index(all, i);
            if (erdiag_finding_def_get(f->kind)->step != step)
                continue;
            rm_block *b = block_new(RM_FINDING, NULL);
            b->finding = f;
            add(s, b);
            n++;
        }
        if (n == 0)
            add(s, block_new(RM_NONE, g_strdup("No findings.")));
    }
}

static void arp_section(report_model *m, erdiag_engine *e)
{
    static const char *const cols[] = {"Age", "Interface", "IpAddress", "MacAddress", NULL};
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    rm_section *s = section(m, "arp", "ARP tables");
    for (guint i = 0; i < m->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(m->links, i);
        g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
        add(s, block_new(RM_HEADING, g_strdup_printf("%s / %s (%s)", l->peering->name, l->label, tags)));
        if (!l->seen) {
            add(s, block_new(RM_NONE, g_strdup("Not in the capture.")));
            continue;
        }
        rm_block *t = table_new("arp-table", cols);
        for (int side = 0; side < 2; side++)
            table_add(t, report_arp_row(&l->arp[side], info->last_ts_us));
        add(s, t);
    }
    if (m->links->len == 0)
        add(s, block_new(RM_NONE, g_strdup("No peering link in the capture.")));
}

/* Prepends the peering's name to a row. */
static char **with_peering(const erdiag_link *l, char **row)
{
    guint n = g_strv_length(row);
    char **out = g_new0(char *, n + 2);
    out[0] = g_strdup(l->peering->name);
    memcpy(out + 1, row, n * sizeof(char *));
    g_free(row);
    return out;
}

static void sessions_sections(report_model *m, erdiag_engine *e)
{
    static const char *const cols[] = {"Peering", "Path", "Neighbor", "V", "AS", "UpDown", "StatePfxRcd", NULL};
    static const char *const tcols[] = {"Time (s)", "Frame", "By", "State after", "Event", NULL};
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    rm_section *s = section(m, "route-summary", "Route table summary");
    if (m->links->len) {
        rm_block *t = table_new("route-summary", cols);
        for (guint i = 0; i < m->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(m->links, i);
            table_add(t, with_peering(l, report_summary_row(l, info->last_ts_us)));
        }
        add(s, t);
    }
    s = section(m, "timelines", "Session timelines");
    guint shown = 0;
    for (guint i = 0; i < m->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(m->links, i);
        if (!l->bgp.seen)
            continue;
        shown++;
        add(s, block_new(RM_HEADING, report_link_name(l)));
        rm_block *t = table_new("session-timeline", tcols);
        for (guint k = 0; k < l->bgp.timeline->len; k++) {
            const erdiag_timeline_entry *te = g_ptr_array_index(l->bgp.timeline, k);
            g_autofree char *secs = g_strdup_printf("%.3f", (te->ts_us - info->first_ts_us) / 1e6);
            g_autofree char *frame = g_strdup_printf("%" G_GUINT64_FORMAT, te->frame);
            table_add(t, strv(secs, frame, report_by_name(te->by), erdiag_bgp_state_name(te->state), te->text, NULL));
        }
        add(s, t);
        if (l->bgp.timeline_dropped)
            add(s, block_new(RM_NONE, g_strdup_printf("%" G_GUINT64_FORMAT " more events not listed.",
                                                      l->bgp.timeline_dropped)));
    }
    if (!shown)
        add(s, block_new(RM_NONE, g_strdup("No BGP in the capture.")));
}

static void routes_section(report_model *m)
{
    static const char *const cols[] = {"Network", "NextHop", "LocPrf", "Weight", "Path", NULL};
    rm_section *s = section(m, "routes", "Route tables");
    guint shown = 0;
    for (guint i = 0; i < m->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(m->links, i);
        if (!l->bgp.ever_established && erdiag_rib_records(l->rib[0]) + erdiag_rib_records(l->rib[1]) == 0)
            continue;
        shown++;
        for (int dir = ERDIAG_CUST; dir <= ERDIAG_MSFT; dir++) {
            GPtrArray *routes = erdiag_rib_routes(l->rib[dir], FALSE);
            add(s, block_new(RM_HEADING, report_route_table_title(l, dir, routes->len)));
            if (routes->len) {
                rm_block *t = table_new("route-table", cols);
                t->routes = g_ptr_array_ref(routes);
                t->route_link = l;
                t->route_dir = dir;
                add(s, t);
            } else if (l->bgp.ever_established && l->bgp.state != ERDIAG_BGPS_ESTABLISHED) {
                add(s, block_new(RM_NONE, g_strdup("None now: the session went down, and its routes with it.")));
            }
            g_ptr_array_unref(routes);
        }
    }
    if (!shown)
        add(s, block_new(RM_NONE, g_strdup("No session reached Established and no route was advertised.")));
}

static void flows_section(report_model *m)
{
    static const char *const cols[] = {"Verdict", "Source", "Destination", "Service", "Direction",
                                       "Link out / back", "Packets out / back", "Bytes out / back", "First frame",
                                       "Detail", NULL};
    rm_section *s = section(m, "flows", "Flows across the peering");
    guint shown = 0;
    for (guint i = 0; i < m->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(m->links, i);
        if (l->flows->len == 0)
            continue;
        shown++;
        add(s, block_new(RM_HEADING, report_flows_title(l)));
        rm_block *t = table_new("flows", cols);
        for (guint k = 0; k < l->flows->len; k++) {
            const erdiag_flow_row *fr = g_ptr_array_index(l->flows, k);
            rm_row *r = table_add(t, report_flow_row(fr));
            r->verdict = g_strdup(erdiag_flow_verdict_name(fr->verdict));
            r->good = !erdiag_flow_verdict_failed(fr->verdict);
        }
        add(s, t);
        if (l->flows_not_listed)
            add(s, block_new(RM_NONE, g_strdup_printf("%" G_GUINT64_FORMAT " more flows counted, not listed "
                                                      "(failed flows are listed first).", l->flows_not_listed)));
    }
    if (!shown)
        add(s, block_new(RM_NONE, g_strdup("No TCP, UDP or ICMP echo flow crossed the peering.")));
}

static void azure_section(report_model *m, erdiag_engine *e, const erdiag_azure_evidence *ev)
{
    static const char *const cols[] = {"Verdict", "Table", "Link", "Item", "Azure", "Capture", "Why", NULL};
    g_autoptr(GPtrArray) diffs = erdiag_azure_compare(e, ev);
    rm_section *s = section(m, "azure", "Azure's view beside the capture");
    if (diffs->len == 0) {
        add(s, block_new(RM_NONE, g_strdup("Azure's tables hold no rows.")));
        return;
    }
    rm_block *t = table_new("azure-comparison", cols);
    t->id = "azure-comparison";
    for (guint i = 0; i < diffs->len; i++) {
        const erdiag_azure_diff *d = g_ptr_array_index(diffs, i);
        g_autofree char *link = g_strdup_printf("%s%s%s", d->peering ? d->peering : "-", d->link ? " / " : "",
                                                d->link ? d->link : "");
        rm_row *r = table_add(t, strv(erdiag_azure_verdict_name(d->verdict), d->table, link, d->item,
                                      *d->azure ? d->azure : "-", *d->capture ? d->capture : "-", d->explanation, NULL));
        r->verdict = g_strdup(erdiag_azure_verdict_name(d->verdict));
        r->good = d->verdict == ERDIAG_AZURE_AGREE;
    }
    add(s, t);
}

static void notes(report_model *m, erdiag_engine *e)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    if (info->truncated)
        g_ptr_array_add(m->notes, g_strdup("The capture ends mid-record: it was analysed as far as it goes."));
    for (guint i = 0; i < info->notes->len; i++)
        g_ptr_array_add(m->notes, g_strdup(g_ptr_array_index(info->notes, i)));
    if (info->notes_dropped)
        g_ptr_array_add(m->notes, g_strdup_printf("%" G_GUINT64_FORMAT " more notes", info->notes_dropped));
}

report_model *report_model_new(erdiag_engine *e, const erdiag_report_options *opt)
{
    report_model *m = g_new0(report_model, 1);
    m->meta = g_ptr_array_new_with_free_func(g_free);
    m->sections = g_ptr_array_new_with_free_func(section_free);
    m->notes = g_ptr_array_new_with_free_func(g_free);
    m->links = report_all_links(e);
    header(m, e, opt);
    peerings_section(m);
    findings_section(m, e);
    arp_section(m, e);
    sessions_sections(m, e);
    routes_section(m);
    flows_section(m);
    if (opt && opt->azure)
        azure_section(m, e, opt->azure);
    notes(m, e);
    return m;
}

void report_model_free(report_model *m)
{
    if (!m)
        return;
    g_ptr_array_unref(m->meta);
    g_ptr_array_unref(m->sections);
    g_ptr_array_unref(m->notes);
    g_ptr_array_unref(m->links);
    g_free(m->summary);
    g_free(m);
}

const rm_section *report_model_section(const report_model *m, const char *id)
{
    for (guint i = 0; i < m->sections->len; i++) {
        const rm_section *s = g_ptr_array_index(m->sections, i);
        if (strcmp(s->id, id) == 0)
            return s;
    }
    return NULL;
}
