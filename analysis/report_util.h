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
/* Azure's ARP table MacAddress column: the MAC, "Incomplete" (asked for, no
 * answer) or "not seen" (no ARP for it in the capture); out is returned. */
const char *report_arp_mac(const erdiag_arp_row *r, char out[18]);
/* Age column: minutes before the capture's end, "-" when never seen. */
char *report_arp_age(const erdiag_arp_row *r, gint64 end_us);
/* Who did a timeline event: "on-prem", "Microsoft", "-" (inferred). */
const char *report_by_name(erdiag_side by);
/* Append text wrapped at width with the given indent on every line. */
void report_wrap(GString *out, const char *text, guint indent, guint width);
/* The same, continuation lines indented by hang. */
void report_wrap_hanging(GString *out, const char *text, guint indent, guint hang, guint width);
/* prefix (kept as is) then text, continuation lines aligned after the prefix */
void report_wrap_prefixed(GString *out, const char *prefix, const char *text, guint indent, guint width);
/* The peering's tag stack ("S-tag 20 / C-tag 100"); when its links were
 * seen on different stacks (one S-tag per link), each with its link:
 * "S-tag 20 / C-tag 100 (primary), S-tag 21 / C-tag 100 (secondary)". */
char *report_peering_tags(const erdiag_peering *pe);
/* "1, 4, 9 (12 in all)" */
char *report_frames(const erdiag_finding *f);

/* The verification checklist: one verdict per item and link. Its items are
 * the findings' six steps, in the same order and under the same names; step 4
 * (route advertisements) has three items, 4a-4c. */
typedef enum {
    VERDICT_PASS = 0, VERDICT_FAIL, VERDICT_WARN, VERDICT_NOT_SEEN,
    VERDICT_BLOCKED, /* an earlier step fails, so this one could not happen or did not last */
} report_verdict;
typedef enum {
    CHECK_SETTINGS = 0, CHECK_ARP, CHECK_BGP, CHECK_ROUTES_ONPREM, CHECK_ROUTES_AZURE,
    CHECK_SOURCE_COVERED, CHECK_REDUNDANCY, CHECK_BFD, CHECK_DATAPLANE, CHECK_COUNT,
} report_check;
const char *report_check_title(report_check c);
/* "1", "2", "3", "4a", "4b", "4c", "5a", "5b", "6": the step the item belongs to */
const char *report_check_number(report_check c);
erdiag_step report_check_step(report_check c);
const char *report_verdict_name(report_verdict v);
/* FAIL iff an error stands behind the item on this link, WARN iff warnings
 * only; otherwise what the capture shows (pass, not in capture, blocked). */
report_verdict report_check_link(erdiag_engine *e, report_check c, const erdiag_link *l);
/* Why a verdict that no finding explains is what it is ("Idle: not attempted,
 * ARP fails (step 2)", "2 received, then lost with the session (step 3)"),
 * or NULL. Newly allocated. */
char *report_check_detail(erdiag_engine *e, report_check c, const erdiag_link *l);
/* The findings on the link that make up the item's verdict, in report order:
 * a new array of borrowed erdiag_finding* (free the array only). */
GPtrArray *report_check_findings(erdiag_engine *e, report_check c, const erdiag_link *l);
/* Findings on no peering (the capture as a whole): they stand in no cell, so
 * every checklist names them under its table. Borrowed pointers. */
GPtrArray *report_capture_findings(erdiag_engine *e);
/* Stable key of an item: "settings", "arp", ... (the JSON checklist's keys). */
const char *report_check_key(report_check c);
/* "1 frame" / "12 frames": a count and its noun, singular when it is one. */
char *report_count_noun(guint64 n, const char *one, const char *many);
/* One paragraph that says what works and what fails first. */
char *report_summary(erdiag_engine *e);
/* Counts of findings per severity. */
void report_counts(erdiag_engine *e, guint counts[4]);

#endif
