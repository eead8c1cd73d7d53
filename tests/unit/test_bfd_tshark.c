/* BFD control packets decoded as tshark decodes them: on the BFD captures
 * made with BIRD (captures/bfd*), every frame tshark shows as a BFD control
 * packet (not one quoted inside ICMP) is one the decoder reports, with the
 * same source, state, diagnostic, multiplier, discriminators and intervals;
 * and the decoder reports no BFD frame tshark does not. Hand-built vectors
 * check the bounds: a packet cut short and a length field beyond the
 * datagram are refused. Skips (77) when tshark is absent. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "bfd.h"
#include "capture_reader.h"
#include "decoder.h"

static void sink(const erdiag_event *ev, gpointer user)
{
    if (ev->type != ERDIAG_EV_BFD)
        return;
    const erdiag_bfd_ev *b = &ev->u.bfd;
    char src[ERDIAG_ADDR_STRLEN];
    g_ptr_array_add(user, g_strdup_printf("%" G_GUINT64_FORMAT "\t%s\t0x%02x\t0x%02x\t%u\t0x%08x\t0x%08x\t%u\t%u", ev->pkt.frame,
                                          erdiag_addr_to_string(&b->src, src), b->state, b->diag, b->multiplier,
                                          b->my_discriminator, b->your_discriminator, b->desired_min_tx_us,
                                          b->required_min_rx_us));
}

static GPtrArray *decode(const char *path)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &err);
    g_assert_no_error(err);
    erdiag_decoder *d = erdiag_decoder_new(sink, rows);
    int linktype;
    erdiag_packet_meta meta;
    const guint8 *data;
    guint64 frame = 0;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &err)) {
        meta.frame = ++frame;
        erdiag_decoder_packet(d, linktype, data, &meta);
    }
    g_assert_no_error(err);
    erdiag_decoder_finish(d);
    erdiag_decoder_free(d);
    erdiag_capture_reader_close(r);
    return rows;
}

static void test_agreement(gconstpointer name)
{
    g_autofree char *path = g_build_filename(ERDIAG_SOURCE_DIR, "captures", name, "capture.pcapng", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "tshark -r '%s' -Y 'bfd && !icmp' -T fields -E separator=/t -e frame.number -e ip.src -e bfd.sta -e bfd.diag "
        "-e bfd.detect_time_multiplier -e bfd.my_discriminator -e bfd.your_discriminator "
        "-e bfd.desired_min_tx_interval -e bfd.required_min_rx_interval", path);
    g_autofree char *out = NULL;
    int status = 0;
    g_autoptr(GError) err = NULL;
    g_assert_true(g_spawn_command_line_sync(cmd, &out, NULL, &status, &err));
    g_assert_no_error(err);
    g_assert_cmpint(status, ==, 0);
    g_autoptr(GPtrArray) ours = decode(path);
    GString *mine = g_string_new(NULL);
    for (guint i = 0; i < ours->len; i++)
        g_string_append_printf(mine, "%s\n", (char *)g_ptr_array_index(ours, i));
    g_assert_cmpuint(ours->len, >, 10);
    g_assert_cmpstr(mine->str, ==, out);
    g_string_free(mine, TRUE);
}

static void test_bounds(void)
{
    guint8 pkt[24] = { 0x20, 0xc0, 3, 24, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0x04, 0x93, 0xe0, 0, 0x04, 0x93, 0xe0, 0, 0, 0, 0 };
    erdiag_bfd_ev ev;
    char *note = NULL;
    g_assert_cmpint(erdiag_bfd_decode(pkt, sizeof pkt, sizeof pkt, &ev, &note), ==, ERDIAG_BFD_OK);
    g_assert_null(note);
    g_assert_cmpuint(ev.state, ==, 3);
    g_assert_cmpuint(ev.desired_min_tx_us, ==, 300000);
    g_assert_cmpint(erdiag_bfd_decode(pkt, 23, sizeof pkt, &ev, &note), ==, ERDIAG_BFD_TRUNCATED);
    g_assert_nonnull(strstr(note, "truncated at 23 of 24"));
    g_free(note);
    pkt[3] = 48; /* longer than the datagram */
    g_assert_cmpint(erdiag_bfd_decode(pkt, sizeof pkt, sizeof pkt, &ev, &note), ==, ERDIAG_BFD_BAD);
    g_free(note);
    pkt[3] = 24;
    pkt[0] = 0x40; /* version 2 */
    g_assert_cmpint(erdiag_bfd_decode(pkt, sizeof pkt, sizeof pkt, &ev, &note), ==, ERDIAG_BFD_BAD);
    g_free(note);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bfd/bounds", test_bounds);
    g_autofree char *tshark = g_find_program_in_path("tshark");
    if (!tshark) {
        g_test_message("tshark not installed: agreement not checked");
    } else {
        static const char *const caps[] = { "bfd", "bfd-one-side", "bfd-down" };
        for (gsize i = 0; i < G_N_ELEMENTS(caps); i++) {
            g_autofree char *p = g_strdup_printf("/bfd/tshark-agreement/%s", caps[i]);
            g_test_add_data_func(p, caps[i], test_agreement);
        }
    }
    return g_test_run();
}
