/* Azure's own exports as input: the private peering's definition
 * (az network express-route peering show / list) becomes a configuration, and
 * the ARP tables, route tables and route table summaries Azure shows
 * (list-arp-tables, list-route-tables, list-route-tables-summary) become
 * evidence set beside what the capture shows. See docs/reports.md. */
#ifndef ERDIAG_AZURE_IMPORT_H
#define ERDIAG_AZURE_IMPORT_H

#include <glib.h>
#include "erdiag/config.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"

G_BEGIN_DECLS

#define ERDIAG_AZURE_ERROR erdiag_azure_error_quark()
GQuark erdiag_azure_error_quark(void);

/* The peering's JSON (one object, an array of peerings, or the REST shape with
 * "properties") as a configuration. The JSON is rendered as INI and loaded by
 * erdiag_config_load_data, so validation is the INI's; every error is one line
 * naming the file and the JSON key ("peering.json: vlanId = 5000: expected ..."). */
erdiag_config *erdiag_azure_peering_load(const char *path, GError **error);
/* The same from memory; source names the input in messages. Also returns the
 * INI text it rendered when ini_out is not NULL (for tests and merging). */
erdiag_config *erdiag_azure_peering_load_data(const char *data, gsize len, const char *source,
                                              char **ini_out, GError **error);

typedef enum {
    ERDIAG_AZURE_PATH_UNKNOWN = 0, /* matched to a link by its addresses */
    ERDIAG_AZURE_PATH_PRIMARY,
    ERDIAG_AZURE_PATH_SECONDARY,
} erdiag_azure_path;

typedef enum {
    ERDIAG_AZURE_TABLE_ARP = 0,    /* list-arp-tables */
    ERDIAG_AZURE_TABLE_ROUTES,     /* list-route-tables */
    ERDIAG_AZURE_TABLE_SUMMARY,    /* list-route-tables-summary */
} erdiag_azure_table_kind;

/* Every cell keeps Azure's text as given; the parsed form is beside it. */
typedef struct {
    char *age, *interface, *ip_text, *mac_text;
    gboolean ip_ok;  erdiag_addr ip;
    gboolean mac_ok; guint8 mac[6];   /* FALSE for "Incomplete" or empty */
} erdiag_azure_arp_row;

typedef struct {
    char *network, *next_hop, *loc_prf, *weight, *path;
    gboolean prefix_ok; erdiag_prefix prefix;
    gboolean nh_ok;     erdiag_addr nh;   /* a trailing '*' is ignored */
} erdiag_azure_route_row;

typedef struct {
    char *neighbor, *v, *as, *up_down, *state_pfx;
    gboolean nb_ok; erdiag_addr nb;
} erdiag_azure_summary_row;

typedef struct {
    erdiag_azure_table_kind kind;
    erdiag_azure_path path;
    char *source;                  /* the file it came from */
    GPtrArray *rows;               /* erdiag_azure_*_row* by kind */
} erdiag_azure_table;

struct erdiag_azure_evidence {
    GPtrArray *tables;             /* erdiag_azure_table*, in the order given */
};

/* arp_spec and routes_spec (either may be NULL) list files separated by
 * commas, each optionally prefixed "primary=" or "secondary=". Without a prefix
 * the path comes from the file name (a word "primary" / "secondary"), else
 * from the addresses in it. Returns NULL with a one-line error naming the
 * file (and the JSON key) when a file is unreadable or not such an export. */
erdiag_azure_evidence *erdiag_azure_evidence_load(const char *arp_spec, const char *routes_spec, GError **error);
erdiag_azure_evidence *erdiag_azure_evidence_new(void);
/* Adds one file's table; kind says which option it came from: ARP, or
 * ROUTES for route tables and summaries (told apart by their keys). */
gboolean erdiag_azure_evidence_add_data(erdiag_azure_evidence *ev, erdiag_azure_table_kind kind,
                                        erdiag_azure_path path, const char *data, gsize len,
                                        const char *source, GError **error);
void erdiag_azure_evidence_free(erdiag_azure_evidence *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(erdiag_azure_evidence, erdiag_azure_evidence_free)

/* One line of the comparison "Azure's view beside the capture". */
typedef enum {
    ERDIAG_AZURE_AGREE = 0,        /* both show the same */
    ERDIAG_AZURE_DIFFER,           /* both show it, with different values */
    ERDIAG_AZURE_AZURE_ONLY,       /* Azure shows it, the capture does not */
    ERDIAG_AZURE_CAPTURE_ONLY,     /* the capture shows it, Azure does not */
    ERDIAG_AZURE_UNMATCHED,        /* a table no link of the capture matches */
} erdiag_azure_verdict;

typedef struct {
    char *peering, *link;          /* NULL when no link matched */
    const char *table;             /* "arp", "routes", "summary" */
    char *source;                  /* the Azure file */
    char *item;                    /* "On-Prem 192.168.15.17", "10.50.0.0/16", "neighbor ..." */
    erdiag_azure_verdict verdict;
    char *azure;                   /* what Azure shows ("" when nothing) */
    char *capture;                 /* what the capture shows ("" when nothing) */
    char *explanation;             /* why they may differ, what to check */
} erdiag_azure_diff;

const char *erdiag_azure_verdict_name(erdiag_azure_verdict v); /* "agree", "differ", "azure only", ... */
/* Every row of every table set beside the capture's view of the matching
 * link, in table order. A new array of erdiag_azure_diff* that frees them. */
GPtrArray *erdiag_azure_compare(erdiag_engine *e, const erdiag_azure_evidence *ev);

G_END_DECLS

#endif
