/* Reports to attach to a support case: Markdown, and self-contained HTML. */
#ifndef ERDIAG_REPORT_MARKUP_H
#define ERDIAG_REPORT_MARKUP_H
#include "erdiag/report.h"
void report_markdown_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out);
void report_html_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out);

#include "report_util.h"

/* "1, 19, 20, 22 ... (18 in all)": the first few evidence frames, for table cells. */
char *report_frames_short(const erdiag_finding *f);

/* Text made safe for each format (newly allocated). Markdown: backslash
 * before the characters that would start emphasis, code, links, HTML or end
 * a table cell; line breaks become spaces. HTML: g_markup_escape_text. */
char *report_md_escape(const char *text);
char *report_html_escape(const char *text);
/* Appends the escaped text. */
void report_html_append(GString *out, const char *text);

/* The inline SVG picture of every link over the capture's time: BGP state
 * bands, prefix counts per direction, ARP failure, NOTIFICATION and
 * data-plane markers, an axis in seconds from capture start that runs a
 * little past its end (<svg id="timeline">). */
void report_svg_timeline(erdiag_engine *e, GString *out);
#endif
