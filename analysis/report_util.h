/* Helpers the report writers share: wording, times, the checklist verdicts. */
#ifndef ERDIAG_REPORT_UTIL_H
#define ERDIAG_REPORT_UTIL_H

#include "erdiag/report.h"

/* "02:c0:00:00:01:01" */
void report_mac(const guint8 mac[6], char out[18]);
/* "00:05:12" (hours may exceed 24) */
char *report_duration(gint64 us);
/* "2026-11-25 12:00:01.123 UTC" */
char *report_timestamp(gint64 us);
/* Azure's route table summary columns for a link */
char *report_updown(const erdiag_link *l, gint64 end_us);
char *report_state_pfx(const erdiag_link *l);
/* Append text wrapped at width with the given indent on every line. */
void report_wrap(GString *out, const char *text, guint indent, guint width);
/* The same, continuation lines indented by hang. */
void report_wrap_hanging(GString *out, const char *text, guint indent, guint hang, guint width);
/* prefix (kept as is) then text, continuation lines aligned after the prefix */
void report_wrap_prefixed(GString *out, const char *prefix, const char *text, guint indent, guint width);
/* "1, 4, 9 (12 in all)" */
char *report_frames(const erdiag_finding *f);

/* The article's verification checklist: one verdict per item and link. */
typedef enum { VERDICT_PASS = 0, VERDICT_FAIL, VERDICT_WARN, VERDICT_NOT_SEEN } report_verdict;
typedef enum {
    CHECK_SETTINGS = 0, CHECK_ARP, CHECK_BGP, CHECK_ROUTES_ONPREM, CHECK_ROUTES_AZURE,
    CHECK_SOURCE_COVERED, CHECK_DATAPLANE, CHECK_COUNT,
} report_check;
const char *report_check_title(report_check c);
const char *report_verdict_name(report_verdict v);
report_verdict report_check_link(erdiag_engine *e, report_check c, const erdiag_link *l);
/* The findings on the link that make up the item's verdict, in report order:
 * a new array of borrowed erdiag_finding* (free the array only). */
GPtrArray *report_check_findings(erdiag_engine *e, report_check c, const erdiag_link *l);
/* Stable key of an item: "settings", "arp", ... (the JSON checklist's keys). */
const char *report_check_key(report_check c);
/* One paragraph that says what works and what fails first. */
char *report_summary(erdiag_engine *e);
/* Counts of findings per severity. */
void report_counts(erdiag_engine *e, guint counts[4]);

#endif
