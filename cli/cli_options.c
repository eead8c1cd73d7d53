/* Parsing the command line with GOptionContext. */
#include <stdio.h>
#include <string.h>
#include "cli_options.h"

gboolean cli_options_parse(cli_options *o, int *argc, char ***argv)
{
    memset(o, 0, sizeof(*o));
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config_file, "Peering configuration (INI)", "FILE"},
        {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format_name, "text (default), json, jsonl, markdown or html", "FORMAT"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, "Write the report to FILE instead of standard output", "FILE"},
        {"at", 0, 0, G_OPTION_ARG_INT64, &o->at_frame, "Report the state as of frame N", "N"},
        {"redact", 0, 0, G_OPTION_ARG_NONE, &o->redact, "Replace customer MACs, on-prem addresses and names", NULL},
        {"width", 0, 0, G_OPTION_ARG_INT, &o->width, "Text report width (default 80)", "COLUMNS"},
        {"interface", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &o->interfaces, "Capture live on IFACE (repeatable)", "IFACE"},
        {"filter", 0, 0, G_OPTION_ARG_STRING, &o->filter, "Capture filter for live capture (BPF)", "EXPR"},
        {"duration", 0, 0, G_OPTION_ARG_INT, &o->duration, "Stop a live capture after SECONDS", "SECONDS"},
        {"write", 'w', 0, G_OPTION_ARG_FILENAME, &o->write_file, "Save what a live run captured (pcapng)", "FILE"},
        {"annotate", 0, 0, G_OPTION_ARG_FILENAME, &o->annotate, "Write the frames as pcapng with a comment on every evidence frame", "OUT"},
        {"azure-peering", 0, 0, G_OPTION_ARG_FILENAME, &o->azure_peering, "Peering definition from 'az network express-route peering show/list' (JSON; private or Microsoft peering)", "FILE"},
        {"azure-arp", 0, 0, G_OPTION_ARG_FILENAME, &o->azure_arp, "ARP tables from 'az network express-route list-arp-tables' (JSON)", "FILE"},
        {"azure-routes", 0, 0, G_OPTION_ARG_FILENAME, &o->azure_routes, "Route tables from 'az network express-route list-route-tables' (JSON)", "FILE"},
        {"azure-nsg", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->azure_nsg, "NSG rules from 'az network nic list-effective-nsg' or 'az network nsg show' (JSON; ADDRESS= limits it to that VM; repeatable)", "[ADDRESS=]FILE"},
        {"azure-effective-routes", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->azure_eroutes, "A VM NIC's routes from 'az network nic show-effective-route-table' (JSON; repeatable)", "FILE"},
        {"azure-circuit", 0, 0, G_OPTION_ARG_FILENAME, &o->azure_circuit, "The circuit from 'az network express-route show' (JSON): its provisioning state", "FILE"},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &o->version, "Print the version", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->inputs, NULL, "CAPTURE..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("CAPTURE... - diagnose an ExpressRoute private peering from a packet capture");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx,
        "Reads pcap/pcapng captures taken on the peering VLANs (or '-' for standard input) and reports,\n"
        "per peering and link, the ARP table, the BGP session, the route tables and every problem found,\n"
        "in the order Azure's verification guide checks them.\n\n"
        "Live: -i IFACE (repeatable) captures through libpcap with a filter that keeps what the analysis\n"
        "reads (--filter to replace it), until Ctrl-C or --duration; live and stdin runs print each\n"
        "finding as it becomes known and a status line per link, then the full report. -w saves the\n"
        "capture; --annotate writes an evidence pcapng with a comment on every evidence frame.\n\n"
        "Exit status: 0 no warning or error, 1 warnings or errors found, 2 bad usage, unreadable\n"
        "capture or invalid configuration.");
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        fprintf(stderr, "erdiag: %s (try --help)\n", err->message);
        return FALSE;
    }
    if (o->version)
        return TRUE;
    const char *fmt = o->format_name ? o->format_name : "text";
    if (g_ascii_strcasecmp(fmt, "jsonl") == 0) {
        o->jsonl = TRUE;
        o->format = ERDIAG_FORMAT_JSON;
    } else if (!erdiag_format_parse(fmt, &o->format)) {
        fprintf(stderr, "erdiag: --format %s: expected text, json, jsonl, markdown or html\n", fmt);
        return FALSE;
    }
    if (o->at_frame < 0) {
        fprintf(stderr, "erdiag: --at %" G_GINT64_FORMAT ": expected a frame number (1 or more)\n", o->at_frame);
        return FALSE;
    }
    if (o->width != 0 && (o->width < 40 || o->width > 1000)) {
        fprintf(stderr, "erdiag: --width %d: expected 40 to 1000 columns\n", o->width);
        return FALSE;
    }
    if (o->duration < 0) {
        fprintf(stderr, "erdiag: --duration %d: expected seconds (1 or more)\n", o->duration);
        return FALSE;
    }
    gboolean live = o->interfaces && o->interfaces[0];
    if (!live && (!o->inputs || !o->inputs[0])) {
        fprintf(stderr, "erdiag: no capture given: erdiag [OPTIONS] CAPTURE... (or -i IFACE, or - for stdin; try --help)\n");
        return FALSE;
    }
    if (live && o->inputs && o->inputs[0]) {
        fprintf(stderr, "erdiag: give capture files or -i interfaces, not both\n");
        return FALSE;
    }
    if (!live && (o->filter || o->duration || o->write_file)) {
        fprintf(stderr, "erdiag: --filter, --duration and -w apply to live capture (-i IFACE) only\n");
        return FALSE;
    }
    return TRUE;
}

void cli_options_clear(cli_options *o)
{
    g_free(o->config_file);
    g_free(o->format_name);
    g_free(o->output);
    g_strfreev(o->interfaces);
    g_free(o->filter);
    g_free(o->write_file);
    g_free(o->annotate);
    g_free(o->azure_peering);
    g_free(o->azure_arp);
    g_free(o->azure_routes);
    g_strfreev(o->azure_nsg);
    g_strfreev(o->azure_eroutes);
    g_free(o->azure_circuit);
    g_strfreev(o->inputs);
}
