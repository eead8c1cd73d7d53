/* Statistics > ExpressRoute > Checklist (tshark -z expressroute,tree): the
 * report's checklist per link, so the GUI shows the verdicts without the CLI.
 *
 *   peering P, link L                    frames of the link
 *     1 Peering settings (...): pass     findings behind the verdict
 *       error arp.unanswered: message    evidence frames of the finding
 *
 * Verdicts come from the report's own checklist model (report_util.h), so
 * they are the CLI's. They need the whole file: the tree is built on the
 * first packet the tap sees once the engine has finished (tshark -2, the GUI
 * after loading); a single-pass tshark gets a node saying so. */
#include "expressroute.h"

#include <epan/stats_tree.h>

#include "report_util.h"

#define CHECKLIST_ABBR "expressroute"
#define NOT_FINISHED_NODE "The checklist needs the whole file: run tshark with -2"

/* stats tree -> the set of its link nodes' names (the GUI may have several
 * trees open); a tree not in it has not been built yet */
static GHashTable *built;

/* No "/" in a name: the stats tree would show only what follows it. */
static char *link_node_name(const char *peering, const char *link)
{
    return g_strdup_printf("peering %s, link %s", peering ? peering : "?", link);
}

static void build(stats_tree *st, erdiag_engine *engine, GHashTable *links)
{
    const GPtrArray *peerings = erdiag_engine_peerings(engine);
    for (guint p = 0; peerings && p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index((GPtrArray *)peerings, p);
        for (guint k = 0; pe->links && k < pe->links->len; k++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, k);
            char *lname = link_node_name(pe->name, l->label);
            g_hash_table_add(links, lname);
            int lid = stats_tree_create_node(st, lname, 0, STAT_DT_INT, TRUE);
            for (int c = 0; c < CHECK_COUNT; c++) {
                report_verdict v = report_check_link(engine, (report_check)c, l);
                GPtrArray *fs = report_check_findings(engine, (report_check)c, l);
                /* numbered: the GUI may sort nodes by name */
                g_autofree char *cname = g_strdup_printf("%d %s: %s", c + 1, report_check_title((report_check)c),
                                                         report_verdict_name(v));
                int cid = stats_tree_create_node(st, cname, lid, STAT_DT_INT, TRUE);
                increase_stat_node(st, cname, lid, TRUE, (gint)fs->len);
                for (guint i = 0; i < fs->len; i++) {
                    const erdiag_finding *f = g_ptr_array_index(fs, i);
                    const erdiag_finding_def *def = erdiag_finding_def_get(f->kind);
                    g_autofree char *fname = g_strdup_printf("%s %s: %s", erdiag_severity_name(f->severity),
                                                             def ? def->id : "?",
                                                             f->message ? f->message : "");
                    stats_tree_create_node(st, fname, cid, STAT_DT_INT, FALSE);
                    increase_stat_node(st, fname, cid, FALSE, (gint)MIN(f->frame_count, (guint64)G_MAXINT));
                }
                g_ptr_array_unref(fs);
            }
        }
    }
}

static tap_packet_status checklist_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                          const void *data, tap_flags_t flags _U_)
{
    const er_frame_record *rec = data;
    erdiag_engine *engine = er_capture_engine();
    if (!engine)
        return TAP_PACKET_DONT_REDRAW;
    GHashTable *links = g_hash_table_lookup(built, st);
    if (!links) {
        links = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(built, st, links);
        if (er_capture_finished())
            build(st, engine, links);
        else
            stats_tree_create_node(st, NOT_FINISHED_NODE, 0, STAT_DT_INT, FALSE);
    }
    if (!rec || !rec->mapped || !rec->link)
        return TAP_PACKET_REDRAW;
    /* the link's node counts its frames (a frame read before zero-config
     * renamed its peering matches no node, and is not counted) */
    g_autofree char *lname = link_node_name(rec->peering, rec->link);
    if (g_hash_table_contains(links, lname))
        tick_stat_node(st, lname, 0, TRUE);
    return TAP_PACKET_REDRAW;
}

static void checklist_init(stats_tree *st)
{
    if (built)
        g_hash_table_remove(built, st);
}

static void checklist_cleanup(stats_tree *st)
{
    if (built)
        g_hash_table_remove(built, st);
}

void er_stats_checklist_register(void)
{
    built = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_hash_table_destroy);
    stats_tree_register_plugin("expressroute", CHECKLIST_ABBR, "ExpressRoute/Checklist", 0, checklist_packet,
                               checklist_init, checklist_cleanup);
}
