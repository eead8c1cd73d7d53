/* Writes the crafted BGP captures of hostile_bgp.h to pcap files, to run
 * the CLI on them by hand (peak RSS, time):
 *   gen_hostile_bgp --list
 *   gen_hostile_bgp -o out.pcap --preset 1mb-long-path
 *   gen_hostile_bgp -o out.pcap --links 4 --updates 10 --asns 1000 --prefixes 500 --as2
 * test_adversarial_bgp.c runs the same cases in memory, with budgets. */
#include <stdlib.h>
#include "adversarial/hostile_bgp.h"

int main(int argc, char **argv)
{
    char *out = NULL, *preset = NULL;
    gboolean list = FALSE;
    gint links = 1, updates = 10, asns = 1000, prefixes = 500;
    gboolean extended = FALSE, as2 = FALSE, vary = FALSE, echo = FALSE;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "pcap file to write", "FILE" },
        { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "one of the named cases (--list)", "NAME" },
        { "list", 0, 0, G_OPTION_ARG_NONE, &list, "list the named cases", NULL },
        { "links", 0, 0, G_OPTION_ARG_INT, &links, "sessions, each on its own link", "N" },
        { "updates", 0, 0, G_OPTION_ARG_INT, &updates, "UPDATEs per session", "N" },
        { "asns", 0, 0, G_OPTION_ARG_INT, &asns, "AS_PATH length", "N" },
        { "prefixes", 0, 0, G_OPTION_ARG_INT, &prefixes, "/24s per UPDATE", "N" },
        { "extended", 0, 0, G_OPTION_ARG_NONE, &extended, "RFC 8654 extended messages", NULL },
        { "as2", 0, 0, G_OPTION_ARG_NONE, &as2, "2-byte ASNs", NULL },
        { "vary-path", 0, 0, G_OPTION_ARG_NONE, &vary, "a different path in every UPDATE", NULL },
        { "echo", 0, 0, G_OPTION_ARG_NONE, &echo, "Microsoft's side echoes every UPDATE", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    GOptionContext *ctx = g_option_context_new("- crafted BGP captures");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        g_printerr("%s\n", err->message);
        return 2;
    }
    g_option_context_free(ctx);
    if (list) {
        for (gsize i = 0; i < G_N_ELEMENTS(hb_presets); i++)
            g_print("%-26s %s\n", hb_presets[i].name, hb_presets[i].what);
        return 0;
    }
    hb_params p = { .links = (guint)links, .updates = (guint)updates, .asns = (guint)asns,
                    .prefixes = (guint)prefixes, .extended = extended, .as2 = as2, .vary_path = vary,
                    .echo = echo };
    if (preset) {
        const hb_preset *h = hb_preset_find(preset);
        if (h == NULL) {
            g_printerr("unknown preset %s (--list)\n", preset);
            return 2;
        }
        p = h->p;
    }
    if (out == NULL || links < 1 || links > 4096 || asns < 1 || asns > 16000 || prefixes < 0) {
        g_printerr("usage: gen_hostile_bgp -o FILE [--preset NAME | options] (--help)\n");
        return 2;
    }
    adv_capture *c = hb_capture(&p);
    if (!g_file_set_contents(out, (const char *)c->bytes->data, (gssize)c->bytes->len, &err)) {
        g_printerr("%s\n", err->message);
        return 1;
    }
    g_print("%s: %u frames, %u bytes\n", out, c->frames, c->bytes->len);
    adv_capture_free(c);
    g_free(out);
    g_free(preset);
    return 0;
}
