/* One report model for the Markdown and HTML writers: the header, the
 * sections and their tables as plain text, built once from the engine; each
 * writer only renders it (and escapes every value on the way out). The text
 * report keeps its own terminal layout but shares the row builders. */
#ifndef ERDIAG_REPORT_MODEL_H
#define ERDIAG_REPORT_MODEL_H
#include "erdiag/report.h"
#include "report_util.h"

typedef enum {
    RM_HEADING,   /* text: a sub-heading (h3 / ###) */
    RM_NONE,      /* text: "No findings.", "Not in the capture." (muted) */
    RM_TABLE,     /* cols, rows */
    RM_FINDING,   /* finding */
} rm_kind;

typedef struct {
    char **cells;   /* plain text, one per column */
    char *verdict;  /* NULL, or a verdict word shown as a badge in the first cell ("agree") */
    gboolean good;  /* the verdict is good news (styling) */
} rm_row;

typedef struct {
    rm_kind kind;
    char *text;
    const char *cls;                 /* HTML class of a table (stable for tests), or NULL */
    const char *id;                  /* HTML id of a table that occurs once, or NULL */
    const char *const *cols;         /* NULL-terminated column names */
    GPtrArray *rows;                 /* rm_row*; read them with rm_block_n_rows / rm_block_row */
    const erdiag_finding *finding;
    /* a route table keeps no text: its rows are made one at a time as a
     * writer reads them (a capture may hold 50,000 routes) */
    GPtrArray *routes;               /* erdiag_route*, or NULL */
    const erdiag_link *route_link;
    int route_dir;
} rm_block;

typedef struct {
    const char *id;      /* HTML section id */
    const char *title;
    GPtrArray *blocks;   /* rm_block* */
} rm_section;

typedef struct {
    GPtrArray *meta;      /* char* pairs: label, value ("Capture", "hold-timer.pcapng: 47 frames ...") */
    char *summary;
    int tone;             /* 2 errors, 1 warnings, 0 neither */
    GPtrArray *links;     /* erdiag_link*, the checklist's columns in report order */
    GPtrArray *sections;  /* rm_section*, after the checklist, in order */
    GPtrArray *notes;     /* char*: the Notes section's items */
} report_model;

report_model *report_model_new(erdiag_engine *e, const erdiag_report_options *opt);
void report_model_free(report_model *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(report_model, report_model_free)

/* A table's rows: rm_block_row's result is freed with rm_row_release. */
guint rm_block_n_rows(const rm_block *b);
rm_row *rm_block_row(const rm_block *b, guint i);
void rm_row_release(const rm_block *b, rm_row *r);

/* The section with this id, or NULL. */
const rm_section *report_model_section(const report_model *m, const char *id);
/* "hold-timer / primary" */
char *report_link_name(const erdiag_link *l);
/* Every link of every peering, in report order (borrowed pointers). */
GPtrArray *report_all_links(erdiag_engine *e);
/* Table rows the text report shares: ARP, route summary, one route. */
char **report_arp_row(const erdiag_arp_row *r, gint64 end_us);
char **report_summary_row(const erdiag_link *l, gint64 end_us);
/* A flows-table row: verdict, source, destination, service, direction,
 * links, packets, bytes, first frame, detail; and the table's title. */
char **report_flow_row(const erdiag_flow_row *r);
char *report_flows_title(const erdiag_link *l);
char **report_route_row(const erdiag_link *l, int dir, const erdiag_route *rt);
/* "received from on-prem (1 prefix)" */
char *report_route_table_title(const erdiag_link *l, int dir, guint n);
#endif
