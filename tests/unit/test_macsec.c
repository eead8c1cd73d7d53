/* MACsec frames in a capture: the SecTAG read against hand-built bytes, a
 * capture that mixes MACsec with a clear peering (capture.macsec counts the
 * encrypted frames, names the tags in clear and the secure channels; the
 * clear session is analysed as before), and a SecTAG cut short (a note, no
 * finding from a frame that could not be read). */
#include "adversarial/adversarial.h"
#include "macsec.h"

static void test_sectag(void)
{
    /* TCI/AN: SC, E, C, AN 2; SL 0; PN 0x01020304; SCI 02:c0:00:00:01:01 port 1 */
    static const guint8 with_sci[] = { 0x2e, 0x00, 0x01, 0x02, 0x03, 0x04, 0x02, 0xc0, 0x00, 0x00, 0x01, 0x01, 0x00, 0x01 };
    erdiag_macsec_ev ev;
    g_assert_true(erdiag_macsec_decode(with_sci, sizeof with_sci, &ev));
    g_assert_cmphex(ev.tci_an & 0x03, ==, 2);
    g_assert_cmpuint(ev.pn, ==, 0x01020304);
    g_assert_true(ev.has_sci);
    g_assert_cmphex(ev.sci[1], ==, 0xc0);
    g_assert_cmphex(ev.sci[7], ==, 0x01);
    /* without the SC bit no SCI is read; with it, 13 bytes are too few */
    static const guint8 no_sci[] = { 0x0c, 0x10, 0x00, 0x00, 0x00, 0x07 };
    g_assert_true(erdiag_macsec_decode(no_sci, sizeof no_sci, &ev));
    g_assert_false(ev.has_sci);
    g_assert_cmpuint(ev.short_length, ==, 0x10);
    g_assert_false(erdiag_macsec_decode(with_sci, sizeof with_sci - 1, &ev));
    g_assert_false(erdiag_macsec_decode(no_sci, 5, &ev));
}

/* A MACsec frame from src, with an 802.1Q tag in clear when vid is not 0,
 * the SecTAG cut to sectag_len bytes (14 is whole). */
static void macsec_frame(adv_capture *c, const guint8 *src, guint16 vid, gsize sectag_len)
{
    static const guint8 sectag[] = { 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0xc0, 0x00, 0x00, 0x01, 0x01, 0x00, 0x01 };
    GByteArray *f = g_byte_array_new();
    fb_eth(f, FB_MAC_BCAST, src, vid ? 0x8100 : 0x88e5);
    if (vid)
        fb_tag(f, 0, vid, 0x88e5);
    fb_bytes(f, sectag, sectag_len);
    if (sectag_len == sizeof sectag)
        fb_zeros(f, 64); /* ciphertext and ICV */
    adv_capture_frame(c, f->data, f->len, f->len);
    g_byte_array_free(f, TRUE);
}

static JsonObject *only(const adv_report *r, const char *id, guint *n)
{
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    JsonObject *hit = NULL;
    *n = 0;
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        if (g_strcmp0(json_object_get_string_member(f, "id"), id) == 0) {
            hit = f;
            (*n)++;
        }
    }
    return hit;
}

static void test_mixed_capture(void)
{
    adv_session *s = adv_session_new(FALSE);
    macsec_frame(s->cap, FB_MAC_A, 0, 14);
    macsec_frame(s->cap, FB_MAC_B, 100, 14);
    macsec_frame(s->cap, FB_MAC_B, 100, 14);
    macsec_frame(s->cap, FB_MAC_B, 100, 3); /* cut short: a note only */
    adv_report *r = adv_run_capture(s->cap, TRUE);
    guint n;
    JsonObject *f = only(r, "capture.macsec", &n);
    g_assert_cmpuint(n, ==, 1);
    const char *msg = json_object_get_string_member(f, "message");
    g_assert_nonnull(strstr(msg, "3 MACsec frames"));
    g_assert_nonnull(strstr(msg, "untagged, VLAN 100 (in clear)"));
    g_assert_nonnull(strstr(msg, "02:c0:00:00:01:01/1"));
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(f, "frames")), ==, 3);
    g_assert_nonnull(adv_find_note(r, "MACsec SecTAG truncated at 3 bytes", NULL));
    /* the clear session is still read: Established on the primary */
    JsonObject *pe = json_array_get_object_element(json_object_get_array_member(r->root, "peerings"), 0);
    JsonObject *link = json_array_get_object_element(json_object_get_array_member(pe, "links"), 0);
    g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(link, "bgp"), "state"), ==,
                    "Established");
    only(r, "capture.no-expressroute", &n);
    g_assert_cmpuint(n, ==, 0);
    adv_report_free(r);
    adv_session_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/macsec/sectag", test_sectag);
    g_test_add_func("/macsec/mixed-capture", test_mixed_capture);
    return g_test_run();
}
