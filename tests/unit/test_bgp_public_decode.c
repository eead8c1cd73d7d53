/* The decoder on third-party captures (../shared/public-pcaps), values
 * checked by hand against `tshark -V` (Wireshark 4.0): NOTIFICATION data
 * (Hard Reset's wrapped error, shutdown communications), the NLRI of
 * address families the engine counts but does not analyse, BGPsec paths.
 * Where tshark 4.0 cannot decode a value (RT constraint NLRI are
 * "Malformed" there), the bytes were decoded by hand from `tcp.payload`.
 * Skips when ../shared is absent. */
#include <string.h>
#include "capture_reader.h"
#include "decoder.h"

typedef struct {
    GPtrArray *notifications; /* "6/9 <data_text> | <shutdown text>" */
    GPtrArray *paths;         /* AS path of each UPDATE that has one */
    guint32 other[4][4];      /* [i] = afi, safi, announced, withdrawn */
    guint n_other;
    guint bgpsec;
    guint update_errors;
} seen;

static void on_event(const erdiag_event *ev, gpointer user)
{
    seen *s = user;
    if (ev->type != ERDIAG_EV_BGP)
        return;
    const erdiag_bgp_msg *m = &ev->u.bgp.msg;
    if (m->type == ERDIAG_BGP_NOTIFICATION) {
        const erdiag_bgp_notification *n = &m->u.notification;
        g_ptr_array_add(s->notifications, g_strdup_printf("%u/%u %s | %s", n->code, n->subcode,
                                                          n->data_text ? n->data_text : "-",
                                                          n->shutdown_text ? n->shutdown_text : "-"));
    } else if (m->type == ERDIAG_BGP_UPDATE) {
        const erdiag_bgp_update *u = &m->u.update;
        s->update_errors += u->n_errors;
        if (u->has_as_path)
            g_ptr_array_add(s->paths, g_strdup(u->as_path));
        if (u->bgpsec)
            s->bgpsec++;
        for (guint i = 0; i < u->n_other_afi; i++) {
            guint k = 0;
            while (k < s->n_other && (s->other[k][0] != u->other_afi[i].afi || s->other[k][1] != u->other_afi[i].safi))
                k++;
            if (k == s->n_other) {
                g_assert_cmpuint(s->n_other, <, 4);
                s->n_other++;
                s->other[k][0] = u->other_afi[i].afi;
                s->other[k][1] = u->other_afi[i].safi;
            }
            s->other[k][2] += u->other_afi[i].announced;
            s->other[k][3] += u->other_afi[i].withdrawn;
        }
    }
}

static seen *run(const char *name)
{
    g_autofree char *path = g_build_filename(ERDIAG_SHARED_DIR, "public-pcaps", name, NULL);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_test_skip("../shared/public-pcaps is absent");
        return NULL;
    }
    g_autoptr(GError) err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
    g_assert_no_error(err);
    seen *s = g_new0(seen, 1);
    s->notifications = g_ptr_array_new_with_free_func(g_free);
    s->paths = g_ptr_array_new_with_free_func(g_free);
    erdiag_decoder *dec = erdiag_decoder_new(on_event, s);
    int linktype;
    erdiag_packet_meta meta;
    const guint8 *data;
    guint64 frame = 0;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
        meta.frame = ++frame;
        erdiag_decoder_packet(dec, linktype, data, &meta);
    }
    g_assert_no_error(err);
    erdiag_capture_reader_close(r);
    erdiag_decoder_finish(dec);
    erdiag_decoder_free(dec);
    return s;
}

static void seen_free(seen *s)
{
    g_ptr_array_unref(s->notifications);
    g_ptr_array_unref(s->paths);
    g_free(s);
}

static void assert_notifications(const seen *s, const char *const *expected)
{
    guint n = 0;
    for (; expected[n]; n++) {
        g_assert_cmpuint(n, <, s->notifications->len);
        g_assert_cmpstr(g_ptr_array_index(s->notifications, n), ==, expected[n]);
    }
    g_assert_cmpuint(s->notifications->len, ==, n);
}

/* tshark: "Minor error Code (Cease): Hard Reset (9)", "Data: 0603". */
static void test_hard_reset(void)
{
    seen *s = run("bgp-cease-hard-reset.pcap");
    if (!s)
        return;
    static const char *const want[] = { "6/9 wrapping Cease / Peer De-configured (6/3) | -", NULL };
    assert_notifications(s, want);
    seen_free(s);
}

/* tshark: "BGP Shutdown Communication Length: 52", "Shutdown Communication:
 * This is a test of the shutdown communication system." */
static void test_shutdown_communication(void)
{
    seen *s = run("bgp-shutdown-communication.pcapng");
    if (!s)
        return;
    static const char *const want[] = {
        "6/2 - | This is a test of the shutdown communication system.", NULL };
    assert_notifications(s, want);
    seen_free(s);
}

/* tshark: length 210 (RFC 9003 allows 255), the ticket text three times. */
static void test_extended_shutdown(void)
{
    seen *s = run("bgp-extended-shutdown-msg.pcapng");
    if (!s)
        return;
    const char *once = "[TICKET-1-1438367390] software upgrade; Expected downtime for 2 hours;";
    g_autofree char *text = g_strdup_printf("6/2 - | %s%s%s", once, once, once);
    static const char *want[2];
    want[0] = text;
    assert_notifications(s, want);
    seen_free(s);
}

/* tshark shows "Data: 0a30313233343536373839457874726144617461": a length
 * of 10, "0123456789", then 9 more bytes ("ExtraData"). */
static void test_shutdown_trailing_data(void)
{
    seen *s = run("bgp-shutdown-msg-variations.pcap");
    if (!s)
        return;
    static const char *const want[] = {
        "6/4 9 bytes after the shutdown communication | 0123456789", NULL };
    assert_notifications(s, want);
    seen_free(s);
}

/* tshark: two MP_REACH_NLRI of AFI 1 SAFI 4 ("Label Stack=100,101,102,103
 * (bottom) IPv4=30.1.1.1/32"), one MP_UNREACH_NLRI of length 11 holding
 * one labeled prefix, two empty ones (End-of-RIB). */
static void test_labeled_unicast(void)
{
    seen *s = run("bgp-lu-multiple-labels.pcap");
    if (!s)
        return;
    g_assert_cmpuint(s->n_other, ==, 1);
    g_assert_cmpuint(s->other[0][0], ==, 1);
    g_assert_cmpuint(s->other[0][1], ==, 4);
    g_assert_cmpuint(s->other[0][2], ==, 2);
    g_assert_cmpuint(s->other[0][3], ==, 1);
    g_assert_cmpuint(s->update_errors, ==, 0);
    seen_free(s);
}

/* SAFI 132: five MP_REACH_NLRI of one NLRI each (lengths 32, 48, 80, 96,
 * 96 bits) and three MP_UNREACH_NLRI (48, 83, 96 bits), by hand from the
 * payload; tshark 4.0 reports these NLRI as malformed. */
static void test_rt_constraint(void)
{
    seen *s = run("bgp-rt-prefix.pcap");
    if (!s)
        return;
    g_assert_cmpuint(s->n_other, ==, 1);
    g_assert_cmpuint(s->other[0][1], ==, 132);
    g_assert_cmpuint(s->other[0][2], ==, 5);
    g_assert_cmpuint(s->other[0][3], ==, 3);
    seen_free(s);
}

/* tshark: ten Secure Paths of one segment (pCount 1, AS 2) and ten of two
 * (AS 3, then AS 2); no AS_PATH. */
static void test_bgpsec(void)
{
    seen *s = run("bgp-bgpsec.pcap");
    if (!s)
        return;
    g_assert_cmpuint(s->bgpsec, ==, 20);
    g_assert_cmpuint(s->paths->len, ==, 20);
    guint one = 0, two = 0;
    for (guint i = 0; i < s->paths->len; i++) {
        const char *p = g_ptr_array_index(s->paths, i);
        one += strcmp(p, "2") == 0;
        two += strcmp(p, "3 2") == 0;
    }
    g_assert_cmpuint(one, ==, 10);
    g_assert_cmpuint(two, ==, 10);
    g_assert_cmpuint(s->update_errors, ==, 0);
    seen_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bgp_public/hard-reset", test_hard_reset);
    g_test_add_func("/bgp_public/shutdown-communication", test_shutdown_communication);
    g_test_add_func("/bgp_public/extended-shutdown", test_extended_shutdown);
    g_test_add_func("/bgp_public/shutdown-trailing-data", test_shutdown_trailing_data);
    g_test_add_func("/bgp_public/labeled-unicast", test_labeled_unicast);
    g_test_add_func("/bgp_public/rt-constraint", test_rt_constraint);
    g_test_add_func("/bgp_public/bgpsec", test_bgpsec);
    return g_test_run();
}
