/* Step "bgp" on hand-built events: the session tracker and its findings. */
#include "engine_events.h"

#define C "192.168.15.17"
#define M "192.168.15.18"

static void feed(erdiag_engine *e, erdiag_event ev)
{
    erdiag_engine_feed(e, &ev, NULL);
}

static void arp_ok(erdiag_engine *e)
{
    feed(e, ev_arp(1, 0.0, 100, 1, C, 0x11, M));
    feed(e, ev_arp(2, 0.001, 100, 2, M, 0x12, C));
}

/* SYN, SYN-ACK, OPENs, KEEPALIVEs: Established, routes both ways. */
static guint64 bring_up(erdiag_engine *e, guint64 f, double t, guint32 cust_as, guint16 cust_hold)
{
    guint16 port = (guint16)(40000 + f);
    feed(e, ev_tcp(f++, t, C, port, M, 179, ERDIAG_TCP_SYN, 1000));
    feed(e, ev_tcp(f++, t + 0.001, M, 179, C, port, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, 5000));
    feed(e, ev_open(f++, t + 0.01, C, M, cust_as, cust_hold));
    feed(e, ev_open(f++, t + 0.02, M, C, 12076, 180));
    feed(e, ev_bgp(f++, t + 0.03, C, M, ERDIAG_BGP_KEEPALIVE));
    feed(e, ev_bgp(f++, t + 0.04, M, C, ERDIAG_BGP_KEEPALIVE));
    return f;
}

static erdiag_event ev_update(guint64 frame, double t, const char *src, const char *dst, const char *prefix)
{
    static erdiag_bgp_nlri n;
    erdiag_event ev = ev_bgp(frame, t, src, dst, ERDIAG_BGP_UPDATE);
    g_assert_true(erdiag_prefix_parse(prefix, &n.prefix, NULL));
    ev.u.bgp.msg.u.update.announced = &n;
    ev.u.bgp.msg.u.update.n_announced = 1;
    ev.u.bgp.msg.u.update.has_as_path = TRUE;
    ev.u.bgp.msg.u.update.as_path = "65010";
    ev.u.bgp.msg.u.update.has_next_hop = TRUE;
    ev.u.bgp.msg.u.update.next_hop = ev_ip(src);
    return ev;
}

static void test_established(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    guint64 f = bring_up(e, 3, 1.0, 65010, 240);
    feed(e, ev_update(f++, 1.1, C, M, "172.16.0.0/16"));
    feed(e, ev_update(f++, 1.2, M, C, "10.1.0.0/16"));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "");
    const erdiag_link *l = g_ptr_array_index(((erdiag_peering *)g_ptr_array_index(erdiag_engine_peerings(e), 0))->links, 0);
    g_assert_cmpint(l->bgp.state, ==, ERDIAG_BGPS_ESTABLISHED);
    g_assert_cmpuint(l->bgp.hold_time, ==, 180);
    g_assert_cmpuint(l->bgp.asn[ERDIAG_CUST], ==, 65010);
    g_assert_cmpint(l->bgp.initiator, ==, ERDIAG_SIDE_CUSTOMER);
    erdiag_engine_free(e);
}

static void test_no_routes(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    bring_up(e, 3, 1.0, 65010, 180);
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "routes.none-from-azure primary;routes.none-from-onprem primary");
    erdiag_engine_free(e);
}

static void test_refused(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    feed(e, ev_tcp(3, 1.0, C, 40001, M, 179, ERDIAG_TCP_SYN, 1));
    feed(e, ev_tcp(4, 1.001, M, 179, C, 40001, ERDIAG_TCP_RST | ERDIAG_TCP_ACK, 0));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.not-established primary;bgp.tcp.refused primary");
    erdiag_engine_free(e);
}

static void test_md5(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    for (int i = 0; i < 3; i++) {
        erdiag_event syn = ev_tcp(3 + i, 1.0 + i * 2, C, 40001, M, 179, ERDIAG_TCP_SYN, 7);
        syn.u.tcp.md5_option = TRUE;
        feed(e, syn);
    }
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.not-established primary;bgp.tcp.md5-mismatch primary");
    erdiag_engine_free(e);
}

static void test_unanswered(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    for (int i = 0; i < 3; i++)
        feed(e, ev_tcp(3 + i, 1.0 + i * 2, C, 40001, M, 179, ERDIAG_TCP_SYN, 7));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.not-established primary;bgp.tcp.unanswered primary");
    erdiag_engine_free(e);
}

static void test_wrong_asn_and_notification(void)
{
    const char *ini = "[peering p]\nvlan = 100\npeer-asn = 65010\nprimary-subnet = 192.168.15.16/30\n";
    erdiag_config *c = erdiag_config_load_data(ini, strlen(ini), "t.ini", NULL, NULL);
    erdiag_engine *e = erdiag_engine_new(c);
    arp_ok(e);
    feed(e, ev_tcp(3, 1.0, C, 40001, M, 179, ERDIAG_TCP_SYN, 1));
    feed(e, ev_tcp(4, 1.001, M, 179, C, 40001, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, 9));
    feed(e, ev_open(5, 1.01, C, M, 65011, 180));
    erdiag_event n = ev_bgp(6, 1.02, M, C, ERDIAG_BGP_NOTIFICATION);
    n.u.bgp.msg.u.notification.code = 2;
    n.u.bgp.msg.u.notification.subcode = 2;
    feed(e, n);
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.not-established primary;bgp.notification primary;bgp.open.peer-asn-mismatch primary");
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if (f->kind == ERDIAG_F_BGP_NOTIFICATION)
            g_assert_nonnull(strstr(f->message, "Bad Peer AS"));
        if (f->kind == ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH)
            g_assert_nonnull(strstr(f->message, "65011"));
    }
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

static void test_reserved_and_timers(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    guint64 f = bring_up(e, 3, 1.0, 65515, 9);
    feed(e, ev_update(f++, 1.1, C, M, "172.16.0.0/16"));
    feed(e, ev_update(f++, 1.2, M, C, "10.1.0.0/16"));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.open.reserved-asn primary;bgp.timers primary");
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *fi = g_ptr_array_index(all, i);
        g_assert_cmpint(fi->severity, >=, fi->kind == ERDIAG_F_BGP_TIMERS ? ERDIAG_SEV_WARNING : ERDIAG_SEV_ERROR);
    }
    erdiag_engine_free(e);
}

/* Silence longer than the hold time while Established, and a flap. */
static void test_hold_and_flap(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    guint64 f = bring_up(e, 3, 1.0, 65010, 180);
    feed(e, ev_update(f++, 1.1, C, M, "172.16.0.0/16"));
    feed(e, ev_update(f++, 1.2, M, C, "10.1.0.0/16"));
    /* only Microsoft keeps talking: the customer is silent for > 180 s */
    for (int i = 1; i <= 4; i++)
        feed(e, ev_bgp(f++, 1.2 + 60 * i, M, C, ERDIAG_BGP_KEEPALIVE));
    erdiag_event n = ev_bgp(f++, 242.0, M, C, ERDIAG_BGP_NOTIFICATION);
    n.u.bgp.msg.u.notification.code = 4;
    feed(e, n);
    f = bring_up(e, f, 250.0, 65010, 180);
    feed(e, ev_update(f++, 250.1, C, M, "172.16.0.0/16"));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.hold-timer-expired primary;bgp.notification primary;bgp.session-flap primary");
    erdiag_engine_free(e);
}

/* Both sides talk but the capture holds no OPEN: the session predates it. */
static void test_midstream(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    feed(e, ev_bgp(1, 0, C, M, ERDIAG_BGP_KEEPALIVE));
    feed(e, ev_bgp(2, 0.5, M, C, ERDIAG_BGP_KEEPALIVE));
    feed(e, ev_update(3, 1, C, M, "172.16.0.0/16"));
    feed(e, ev_update(4, 1.1, M, C, "10.1.0.0/16"));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "");
    erdiag_engine_free(e);
}

static gboolean has_message(erdiag_engine *e, const char *needle)
{
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++)
        if (strstr(((const erdiag_finding *)g_ptr_array_index(all, i))->message, needle))
            return TRUE;
    return FALSE;
}

/* Keepalive 1 s (every interval 0.75-1 s) is below Azure's 3 s floor;
 * keepalive 3 s jittered to 2.3-3 s is not, nor is a reconnect's burst. */
static void test_keepalive_cadence(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    guint64 f = bring_up(e, 3, 1.0, 65010, 180);
    static const double fast[] = {0.8, 1.0, 0.9, 0.95};
    double t = 1.1;
    for (guint i = 0; i < G_N_ELEMENTS(fast); i++)
        feed(e, ev_bgp(f++, t += fast[i], C, M, ERDIAG_BGP_KEEPALIVE));
    static const double jittered[] = {2.29, 2.95, 2.5, 2.3, 2.8};
    t = 1.1;
    for (guint i = 0; i < G_N_ELEMENTS(jittered); i++)
        feed(e, ev_bgp(f++, t += jittered[i], M, C, ERDIAG_BGP_KEEPALIVE));
    erdiag_engine_finish(e);
    g_assert_true(has_message(e, "the on-prem side sends KEEPALIVEs every 0.9-1.0 s (3 intervals)"));
    g_assert_false(has_message(e, "the Microsoft side sends KEEPALIVEs"));
    erdiag_engine_free(e);

    /* a reset, the session back, two KEEPALIVEs 44 ms apart, then 60 s ones */
    e = erdiag_engine_new(NULL);
    arp_ok(e);
    f = bring_up(e, 3, 1.0, 65010, 180);
    for (int i = 1; i <= 4; i++)
        feed(e, ev_bgp(f++, 1.0 + 60 * i, C, M, ERDIAG_BGP_KEEPALIVE));
    feed(e, ev_tcp(f++, 250, C, 40001, M, 179, ERDIAG_TCP_RST, 2000));
    f = bring_up(e, f, 251.0, 65010, 180);
    feed(e, ev_bgp(f++, 251.074, C, M, ERDIAG_BGP_KEEPALIVE));
    for (int i = 1; i <= 3; i++)
        feed(e, ev_bgp(f++, 251.074 + 60 * i, C, M, ERDIAG_BGP_KEEPALIVE));
    erdiag_engine_finish(e);
    g_assert_false(has_message(e, "KEEPALIVEs every"));
    erdiag_engine_free(e);
}

/* The capture starts after the on-prem OPEN: Microsoft's OPEN, then
 * KEEPALIVEs both ways (or an UPDATE) show the session Established. */
static void test_one_open_missing(void)
{
    for (int variant = 0; variant < 2; variant++) {
        erdiag_engine *e = erdiag_engine_new(NULL);
        arp_ok(e);
        feed(e, ev_open(3, 1.0, M, C, 12076, 180));
        if (variant == 0) {
            feed(e, ev_bgp(4, 1.01, C, M, ERDIAG_BGP_KEEPALIVE));
            feed(e, ev_bgp(5, 1.02, M, C, ERDIAG_BGP_KEEPALIVE));
        } else {
            feed(e, ev_update(4, 1.1, C, M, "172.16.0.0/16"));
        }
        feed(e, ev_update(6, 1.2, C, M, "172.16.0.0/16"));
        feed(e, ev_update(7, 1.3, M, C, "10.1.0.0/16"));
        erdiag_engine_finish(e);
        g_autofree char *s = ev_findings(e);
        g_assert_cmpstr(s, ==, "");
        const erdiag_link *l =
            g_ptr_array_index(((erdiag_peering *)g_ptr_array_index(erdiag_engine_peerings(e), 0))->links, 0);
        g_assert_cmpint(l->bgp.state, ==, ERDIAG_BGPS_ESTABLISHED);
        g_assert_cmpint(l->msft_evidence, ==, ERDIAG_MSFT_BY_ASN);
        erdiag_engine_free(e);
    }
}

/* Both OPENs, no KEEPALIVE in the capture, then UPDATEs: Established. */
static void test_update_after_opens(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    feed(e, ev_tcp(3, 1.0, C, 40000, M, 179, ERDIAG_TCP_SYN, 1000));
    feed(e, ev_tcp(4, 1.001, M, 179, C, 40000, ERDIAG_TCP_SYN | ERDIAG_TCP_ACK, 5000));
    feed(e, ev_open(5, 1.01, C, M, 65010, 180));
    feed(e, ev_open(6, 1.02, M, C, 12076, 180));
    feed(e, ev_update(7, 1.1, C, M, "172.16.0.0/16"));
    feed(e, ev_update(8, 1.2, M, C, "10.1.0.0/16"));
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "");
    erdiag_engine_free(e);
}

/* The capture starts with a NOTIFICATION: the session ended, its earlier
 * state is unknown; no "never reached Established". */
static void test_starts_with_notification(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    arp_ok(e);
    feed(e, ev_tcp(3, 1.0, M, 179, C, 40000, ERDIAG_TCP_ACK | ERDIAG_TCP_PSH, 7000));
    erdiag_event n = ev_bgp(3, 1.0, M, C, ERDIAG_BGP_NOTIFICATION);
    n.u.bgp.msg.u.notification.code = 6;
    n.u.bgp.msg.u.notification.subcode = 2;
    feed(e, n);
    erdiag_engine_finish(e);
    g_autofree char *s = ev_findings(e);
    g_assert_cmpstr(s, ==, "bgp.notification primary");
    erdiag_engine_free(e);
}

/* Two /30s of two /29s, one untagged wire, different ASes on both sides:
 * two peerings, not a primary and a secondary to compare. Two /30s of one
 * /29 with AS 12076 and one on-prem AS: one peering. */
static void test_pairing(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    erdiag_event ev[] = {
        ev_open(1, 1.0, "10.0.0.1", "10.0.0.2", 65001, 180),
        ev_open(2, 1.1, "10.0.0.2", "10.0.0.1", 65100, 180),
        ev_open(3, 1.2, "10.0.9.1", "10.0.9.2", 65002, 180),
        ev_open(4, 1.3, "10.0.9.2", "10.0.9.1", 65200, 180),
    };
    for (guint i = 0; i < G_N_ELEMENTS(ev); i++) {
        ev[i].pkt.n_tags = 0;
        feed(e, ev[i]);
    }
    erdiag_engine_finish(e);
    g_assert_cmpuint(erdiag_engine_peerings(e)->len, ==, 2);
    erdiag_engine_free(e);

    e = erdiag_engine_new(NULL);
    erdiag_event same[] = {
        ev_open(1, 1.0, "10.0.0.1", "10.0.0.2", 65001, 180),
        ev_open(2, 1.1, "10.0.0.2", "10.0.0.1", 12076, 180),
        ev_open(3, 1.2, "10.0.0.5", "10.0.0.6", 65001, 180),
        ev_open(4, 1.3, "10.0.0.6", "10.0.0.5", 12076, 180),
    };
    for (guint i = 0; i < G_N_ELEMENTS(same); i++) {
        same[i].pkt.n_tags = 0;
        feed(e, same[i]);
    }
    erdiag_engine_finish(e);
    g_assert_cmpuint(erdiag_engine_peerings(e)->len, ==, 1);
    erdiag_engine_free(e);
}

/* BGP between loopbacks: told, not dropped; and bounded. */
static void test_unmapped_bounded(void)
{
    erdiag_engine *e = erdiag_engine_new(NULL);
    for (guint i = 0; i < 100; i++) {
        g_autofree char *a = g_strdup_printf("10.255.%u.1", i);
        g_autofree char *b = g_strdup_printf("10.254.%u.1", i);
        feed(e, ev_open(2 * i + 1, 1.0 + i, a, b, 65001, 90));
        erdiag_event n = ev_bgp(2 * i + 2, 1.5 + i, b, a, ERDIAG_BGP_NOTIFICATION);
        n.u.bgp.msg.u.notification.code = 2;
        n.u.bgp.msg.u.notification.subcode = 2;
        feed(e, n);
    }
    erdiag_engine_finish(e);
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    g_assert_cmpuint(info->unmapped_bgp->len, ==, 64);
    g_assert_cmpuint(info->unmapped_bgp_dropped, ==, 72); /* the 36 others' OPENs and NOTIFICATIONs */
    const erdiag_unmapped_bgp *u = g_ptr_array_index(info->unmapped_bgp, 0);
    g_assert_cmpuint(u->asn[0], ==, 65001);
    g_assert_cmpuint(u->notifications[1], ==, 1);
    guint n_unmapped = 0;
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if (f->kind == ERDIAG_F_CAPTURE_UNMAPPED_BGP) {
            n_unmapped++;
            g_assert_cmpint(f->severity, ==, ERDIAG_SEV_WARNING);
        }
    }
    g_assert_cmpuint(n_unmapped, ==, 64);
    g_assert_true(has_message(e, "10.254.0.1 sends NOTIFICATION OPEN Message Error / Bad Peer AS (2/2)"));
    erdiag_engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/engine/bgp/established", test_established);
    g_test_add_func("/engine/bgp/no-routes", test_no_routes);
    g_test_add_func("/engine/bgp/refused", test_refused);
    g_test_add_func("/engine/bgp/md5", test_md5);
    g_test_add_func("/engine/bgp/unanswered", test_unanswered);
    g_test_add_func("/engine/bgp/wrong-asn", test_wrong_asn_and_notification);
    g_test_add_func("/engine/bgp/reserved-timers", test_reserved_and_timers);
    g_test_add_func("/engine/bgp/hold-flap", test_hold_and_flap);
    g_test_add_func("/engine/bgp/midstream", test_midstream);
    g_test_add_func("/engine/bgp/keepalive-cadence", test_keepalive_cadence);
    g_test_add_func("/engine/bgp/one-open-missing", test_one_open_missing);
    g_test_add_func("/engine/bgp/update-after-opens", test_update_after_opens);
    g_test_add_func("/engine/bgp/starts-with-notification", test_starts_with_notification);
    g_test_add_func("/engine/bgp/pairing", test_pairing);
    g_test_add_func("/engine/bgp/unmapped-bounded", test_unmapped_bounded);
    return g_test_run();
}
