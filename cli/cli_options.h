/* The erdiag command line. */
#ifndef ERDIAG_CLI_OPTIONS_H
#define ERDIAG_CLI_OPTIONS_H

#include <glib.h>
#include "erdiag/report.h"

typedef struct {
    char *config_file;
    char *format_name;
    erdiag_format format;
    gboolean jsonl;          /* --format jsonl: stream findings and state changes */
    char *output;
    gint64 at_frame;
    gboolean redact;
    gint width;
    char **interfaces;       /* -i, repeatable */
    char *filter;
    gint duration;
    char *write_file;        /* -w */
    char *annotate;          /* --annotate OUT.pcapng */
    char *azure_peering, *azure_arp, *azure_routes;
    char **azure_nsg;        /* --azure-nsg [ADDRESS=]FILE, repeatable */
    char **azure_eroutes;    /* --azure-effective-routes FILE, repeatable */
    char *azure_circuit;     /* --azure-circuit FILE */
    gboolean version;
    char **inputs;           /* capture files, "-" for stdin */
} cli_options;

/* Returns FALSE (and prints a one-line error) on bad usage. */
gboolean cli_options_parse(cli_options *o, int *argc, char ***argv);
void cli_options_clear(cli_options *o);

#endif
