/* Picks the report writer for a format. */
#include <string.h>
#include "erdiag/report.h"
#include "report_json.h"
#include "report_text.h"
#include "report_markup.h"
#include "redact.h"

gboolean erdiag_format_parse(const char *name, erdiag_format *out)
{
    static const struct {
        const char *name;
        erdiag_format f;
    } formats[] = {
        {"text", ERDIAG_FORMAT_TEXT}, {"json", ERDIAG_FORMAT_JSON},
        {"markdown", ERDIAG_FORMAT_MARKDOWN}, {"md", ERDIAG_FORMAT_MARKDOWN}, {"html", ERDIAG_FORMAT_HTML},
    };
    for (guint i = 0; name && i < G_N_ELEMENTS(formats); i++)
        if (g_ascii_strcasecmp(name, formats[i].name) == 0) {
            *out = formats[i].f;
            return TRUE;
        }
    return FALSE;
}

void erdiag_report_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out)
{
    if (opt && opt->redact) {
        /* written whole, then rewritten: redaction sees the finished text of every format */
        erdiag_report_options plain = *opt;
        plain.redact = FALSE;
        GString *body = g_string_new(NULL);
        erdiag_report_write(e, &plain, body);
        erdiag_redact_apply(e, opt->azure, body);
        g_string_append_len(out, body->str, body->len);
        g_string_free(body, TRUE);
        return;
    }
    erdiag_format f = opt ? opt->format : ERDIAG_FORMAT_TEXT;
    switch (f) {
    case ERDIAG_FORMAT_JSON:
        report_json_write(e, opt, out);
        break;
    case ERDIAG_FORMAT_MARKDOWN:
        report_markdown_write(e, opt, out);
        break;
    case ERDIAG_FORMAT_HTML:
        report_html_write(e, opt, out);
        break;
    default:
        report_text_write(e, opt, out);
        break;
    }
}

int erdiag_report_exit_status(erdiag_engine *e)
{
    return erdiag_engine_worst_severity(e) >= ERDIAG_SEV_WARNING ? 1 : 0;
}
