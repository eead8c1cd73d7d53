/* Step "l2" on hand-built events: the ARP table and the ARP/VLAN findings. */
#include "engine_events.h"

static erdiag_config *config(const char *ini)
{
    g_autoptr(GError) err = NULL;
    erdiag_config *c = erdiag_config_load_data(ini, strlen(ini), "t.ini", NULL, &err);
    g_assert_no_error(err);
    return c;
}

static void feed(erdiag_engine *e, erdiag_event ev)
{
    erdiag_engine_feed(e, &ev, NULL);
}

/* Both links resolve: an On-Prem and a Microsoft row each, no finding. */
static void test_healthy(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    feed(e, ev_arp(1, 0.0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    feed(e, ev_arp(2, 0.001, 100, 2, "192.168.15.18", 0x12, "192.168.15.17"));
    feed(e, ev_arp(3, 0.5, 100, 1, "192.168.15.21", 0x21, "192.168.15.22"));
    feed(e, ev_arp(4, 0.501, 100, 2, "192.168.15.22", 0x22, "192.168.15.21"));
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    /* ARP alone, no configuration and no AS 12076: nothing shows ExpressRoute */
    g_assert_cmpstr(f, ==, "capture.no-expressroute -");
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    g_assert_cmpuint(peerings->len, ==, 1);
    const erdiag_peering *pe = g_ptr_array_index(peerings, 0);
    g_assert_cmpstr(pe->name, ==, "vlan100");
    g_assert_cmpuint(pe->links->len, ==, 2);
    const erdiag_link *pri = g_ptr_array_index(pe->links, 0), *sec = g_ptr_array_index(pe->links, 1);
    g_assert_cmpstr(pri->label, ==, "primary");
    g_assert_cmpstr(sec->label, ==, "secondary");
    g_assert_true(pri->arp[ERDIAG_CUST].resolved && pri->arp[ERDIAG_MSFT].resolved);
    g_assert_cmpuint(pri->arp[ERDIAG_MSFT].mac[5], ==, 0x12);
    g_assert_cmpuint(pri->arp[ERDIAG_CUST].mac[5], ==, 0x11);
    erdiag_engine_free(e);
}

/* The secondary MSEE never answers: arp.unanswered on secondary only, and
 * the primary working makes it a redundancy problem. */
static void test_secondary_silent(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    feed(e, ev_arp(1, 0.0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    feed(e, ev_arp(2, 0.001, 100, 2, "192.168.15.18", 0x12, "192.168.15.17"));
    for (int i = 0; i < 5; i++)
        feed(e, ev_arp(3 + i, 1.0 + i, 100, 1, "192.168.15.21", 0x21, "192.168.15.22"));
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    g_assert_cmpstr(f, ==, "arp.unanswered secondary;capture.no-expressroute -;redundancy.link-down secondary");
    GPtrArray *all = erdiag_engine_findings(e);
    const erdiag_finding *un = NULL;
    for (guint i = 0; i < all->len && !un; i++)
        if (((const erdiag_finding *)g_ptr_array_index(all, i))->kind == ERDIAG_F_ARP_UNANSWERED)
            un = g_ptr_array_index(all, i);
    g_assert_nonnull(un);
    g_assert_cmpuint(un->frame_count, ==, 5);
    g_assert_cmpuint(un->frames[0], ==, 3);
    g_assert_nonnull(strstr(un->message, "192.168.15.22"));
    g_assert_nonnull(strstr(un->advice, "VLAN ID"));
    /* the frame index answers "which findings is frame 4 evidence for": the
     * unanswered request, and the link-down it shows (anchored on the
     * failing link's evidence), in the order they became known */
    const GPtrArray *ff = erdiag_engine_frame_findings(e, 4);
    g_assert_nonnull(ff);
    g_assert_cmpuint(ff->len, ==, 2);
    g_assert_cmpint(((const erdiag_finding *)g_ptr_array_index((GPtrArray *)ff, 0))->kind, ==, ERDIAG_F_ARP_UNANSWERED);
    g_assert_cmpint(((const erdiag_finding *)g_ptr_array_index((GPtrArray *)ff, 1))->kind, ==,
                    ERDIAG_F_REDUNDANCY_LINK_DOWN);
    g_assert_cmpuint(((const erdiag_finding *)g_ptr_array_index(all, 1))->frame_count, ==, 5);
    erdiag_engine_free(e);
}

/* Every request a finding counts is marked, past the reports' 16-frame
 * lists, and requests that got their answer are not. */
static void test_every_evidence_frame_indexed(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    feed(e, ev_arp(1, 0.0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    feed(e, ev_arp(2, 0.001, 100, 2, "192.168.15.18", 0x12, "192.168.15.17"));
    /* answered after two tries: not evidence */
    feed(e, ev_arp(3, 0.5, 100, 1, "192.168.15.21", 0x21, "192.168.15.22"));
    feed(e, ev_arp(4, 0.6, 100, 1, "192.168.15.21", 0x21, "192.168.15.22"));
    feed(e, ev_arp(5, 0.7, 100, 2, "192.168.15.22", 0x22, "192.168.15.21"));
    /* then 40 requests into silence, one a second */
    for (int i = 0; i < 40; i++)
        feed(e, ev_arp(10 + i, 10.0 + i, 100, 1, "192.168.15.21", 0x21, "192.168.15.22"));
    erdiag_engine_finish(e);
    const erdiag_finding *un = NULL;
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++)
        if (((const erdiag_finding *)g_ptr_array_index(all, i))->kind == ERDIAG_F_ARP_UNANSWERED)
            un = g_ptr_array_index(all, i);
    g_assert_nonnull(un);
    /* the last request, still within its timeout at capture end, is not judged */
    g_assert_cmpuint(un->frame_count, ==, 39);
    g_assert_cmpuint(un->n_frames, ==, ERDIAG_FINDING_MAX_FRAMES);
    guint marked = 0;
    for (guint64 fr = 1; fr <= 60; fr++) {
        const GPtrArray *ff = erdiag_engine_frame_findings(e, fr);
        for (guint k = 0; ff && k < ff->len; k++)
            if (g_ptr_array_index((GPtrArray *)ff, k) == un) {
                g_assert_cmpuint(fr, >=, 10);
                marked++;
            }
    }
    g_assert_cmpuint(marked, ==, 39);
    erdiag_engine_free(e);
}

/* Customer tags 101, the MSEE 100: each side asks, nobody answers. */
static void test_vlan_mismatch_zero_config(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    for (int i = 0; i < 4; i++) {
        feed(e, ev_arp(1 + 2 * i, i, 101, 1, "192.168.15.17", 0x11, "192.168.15.18"));
        feed(e, ev_arp(2 + 2 * i, i + 0.1, 100, 1, "192.168.15.18", 0x12, "192.168.15.17"));
    }
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    g_assert_cmpstr(f, ==, "arp.unanswered primary;arp.unanswered primary;arp.vlan-mismatch primary;capture.no-expressroute -");
    /* the link belongs to the peering of Microsoft's tag */
    const erdiag_peering *pe = g_ptr_array_index(erdiag_engine_peerings(e), 0);
    g_assert_cmpstr(pe->name, ==, "vlan100");
    erdiag_engine_free(e);
}

/* Thousands of frames, each evidence of several findings, part of it
 * judged late (after later frames were indexed): the index's batched
 * merges keep every frame, in order, and no frame twice per finding. */
static void test_index_many_late_entries(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    const int n = 3000;
    for (int i = 0; i < n; i++) {
        feed(e, ev_arp(1 + 2 * (guint64)i, i, 101, 1, "192.168.15.17", 0x11, "192.168.15.18"));
        feed(e, ev_arp(2 + 2 * (guint64)i, i + 0.1, 100, 1, "192.168.15.18", 0x12, "192.168.15.17"));
    }
    erdiag_engine_finish(e);
    GPtrArray *all = erdiag_engine_findings(e);
    GHashTable *marked = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint64 fr = 1; fr <= 2 * (guint64)n; fr++) {
        const GPtrArray *ff = erdiag_engine_frame_findings(e, fr);
        g_assert_nonnull(ff);
        for (guint k = 0; k < ff->len; k++) {
            gpointer f = g_ptr_array_index((GPtrArray *)ff, k);
            for (guint j = 0; j < k; j++)
                g_assert_true(g_ptr_array_index((GPtrArray *)ff, j) != f);
            g_hash_table_insert(marked, f, GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(marked, f)) + 1));
        }
    }
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        g_assert_cmpuint(f->frame_count, >, 0);
        g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(marked, f)), ==, f->frame_count);
    }
    g_hash_table_destroy(marked);
    erdiag_engine_free(e);
}

static void test_vlan_mismatch_config(void)
{
    erdiag_config *c = config("[peering p]\nvlan = 100\nprimary-subnet = 192.168.15.16/30\n");
    erdiag_engine *e = erdiag_engine_new(c);
    feed(e, ev_arp(1, 0, 101, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    feed(e, ev_arp(2, 0.001, 101, 2, "192.168.15.18", 0x12, "192.168.15.17"));
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    /* both sides on 101: consistent with each other, not with the config */
    g_assert_cmpstr(f, ==, "arp.vlan-mismatch primary;arp.vlan-mismatch primary");
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

static void test_duplicate_and_wrong_subnet(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    feed(e, ev_arp(1, 0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    feed(e, ev_arp(2, 0.001, 100, 2, "192.168.15.18", 0x12, "192.168.15.17"));
    feed(e, ev_arp(3, 0.002, 100, 2, "192.168.15.18", 0x99, "192.168.15.17"));
    feed(e, ev_arp(4, 0.003, 100, 1, "192.168.15.17", 0x11, "192.168.15.25"));
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    g_assert_cmpstr(f, ==, "arp.duplicate-ip primary;arp.wrong-subnet primary;capture.no-expressroute -");
    erdiag_engine_free(e);
}

/* ARP whose addresses are no link's: the link alone on its capture
 * interface (one interface per link), else (a trunk) the peering. */
static char *stray_arp_findings(guint32 stray_iface, gboolean trunk)
{
    erdiag_config *c = config("[peering p]\nvlan = 100\nprimary-subnet = 192.168.15.16/30\n"
                              "secondary-subnet = 192.168.15.20/30\n");
    erdiag_engine *e = erdiag_engine_new(c);
    erdiag_event ev[] = {
        ev_arp(1, 0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"),
        ev_arp(2, 0.001, 100, 2, "192.168.15.18", 0x12, "192.168.15.17"),
        ev_arp(3, 0.002, 100, 1, "192.168.15.21", 0x21, "192.168.15.22"),
        ev_arp(4, 0.003, 100, 2, "192.168.15.22", 0x22, "192.168.15.21"),
        ev_arp(5, 0.004, 100, 1, "192.168.15.25", 0x23, "192.168.15.30"),
    };
    static const guint32 per_link[] = {0, 0, 1, 1};
    for (guint i = 0; i < G_N_ELEMENTS(ev); i++) {
        ev[i].pkt.iface = i < 4 ? (trunk ? 0 : per_link[i]) : stray_iface;
        feed(e, ev[i]);
    }
    erdiag_engine_finish(e);
    char *f = ev_findings(e);
    erdiag_engine_free(e);
    erdiag_config_free(c);
    return f;
}

static void test_stray_arp_link_by_interface(void)
{
    g_autofree char *secondary = stray_arp_findings(1, FALSE);
    g_assert_cmpstr(secondary, ==, "arp.wrong-subnet secondary");
    g_autofree char *primary = stray_arp_findings(0, FALSE);
    g_assert_cmpstr(primary, ==, "arp.wrong-subnet primary");
    g_autofree char *trunk = stray_arp_findings(0, TRUE);
    g_assert_cmpstr(trunk, ==, "arp.wrong-subnet -");
    g_autofree char *unknown = stray_arp_findings(7, FALSE); /* an interface no link was seen on */
    g_assert_cmpstr(unknown, ==, "arp.wrong-subnet -");
}

/* A refresh cut short by the end of the capture is not a failure. */
static void test_refresh_at_end(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    feed(e, ev_arp(1, 0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    feed(e, ev_arp(2, 0.001, 100, 2, "192.168.15.18", 0x12, "192.168.15.17"));
    feed(e, ev_arp(3, 60, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    g_assert_cmpstr(f, ==, "capture.no-expressroute -"); /* and no arp.unanswered */
    erdiag_engine_free(e);
}

/* Live mode: the tick makes an unanswered request known before the end. */
static void test_tick_fires(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    guint fired = 0;
    feed(e, ev_arp(1, 0, 100, 1, "192.168.15.17", 0x11, "192.168.15.18"));
    erdiag_engine_tick(e, 1700000000000000LL + 2 * G_USEC_PER_SEC);
    g_assert_cmpuint(erdiag_engine_findings(e)->len, ==, 0);
    erdiag_engine_tick(e, 1700000000000000LL + 4 * G_USEC_PER_SEC);
    fired = erdiag_engine_findings(e)->len;
    g_assert_cmpuint(fired, ==, 1);
    erdiag_engine_free(e);
}

static void test_config_overlap(void)
{
    erdiag_config *c = config("[peering p]\nprimary-subnet = 10.1.0.0/30\nsecondary-subnet = 192.168.0.4/30\n"
                              "vnet-prefixes = 10.1.0.0/16\ngateway-subnet = 10.1.255.0/28\n");
    erdiag_engine *e = erdiag_engine_new(c);
    erdiag_engine_finish(e);
    g_autofree char *f = ev_findings(e);
    /* no packet at all: nothing shows the peering either */
    g_assert_cmpstr(f, ==, "capture.no-expressroute -;config.gateway-subnet -;config.subnet-overlap -");
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/engine/l2/healthy", test_healthy);
    g_test_add_func("/engine/l2/secondary-silent", test_secondary_silent);
    g_test_add_func("/engine/l2/every-evidence-frame-indexed", test_every_evidence_frame_indexed);
    g_test_add_func("/engine/l2/index-many-late-entries", test_index_many_late_entries);
    g_test_add_func("/engine/l2/vlan-mismatch-zero-config", test_vlan_mismatch_zero_config);
    g_test_add_func("/engine/l2/vlan-mismatch-config", test_vlan_mismatch_config);
    g_test_add_func("/engine/l2/duplicate-wrong-subnet", test_duplicate_and_wrong_subnet);
    g_test_add_func("/engine/l2/stray-arp-link-by-interface", test_stray_arp_link_by_interface);
    g_test_add_func("/engine/l2/refresh-at-end", test_refresh_at_end);
    g_test_add_func("/engine/l2/tick", test_tick_fires);
    g_test_add_func("/engine/config/overlap", test_config_overlap);
    return g_test_run();
}
