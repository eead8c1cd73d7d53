#ifndef ERDIAG_REPORT_TEXT_H
#define ERDIAG_REPORT_TEXT_H
#include "erdiag/report.h"
void report_text_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out);
#endif
